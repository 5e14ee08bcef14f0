/* Unit and bad-input tests of the EM-metric entry points
 * (include/omreg/expectmax.h), with omreg_test_backend(): analytic cases
 * whose answers follow from the definitions (a four-valued image
 * quantises into exactly classes 0, 1 and 3 with exact means and
 * variances; demons steps with exact quotients; exact integer energies),
 * DIPY's degenerate branches, the clamp of the class index past the
 * histogram, non-finite voxels, out-of-range labels, argument validation
 * and allocation failures (outputs untouched, nothing leaked).
 * Grids of 9000 voxels span three reduction blocks.
 * NaN policy: NaN appears only as an input voxel (class 0). */
#include "omreg_test.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/expectmax.h"
#include "omreg/image.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */

static const size_t shape2[2] = {100, 90};
static const size_t shape3[3] = {20, 15, 30};
static const omreg_dtype DTYPES[2] = {OMREG_F64, OMREG_F32};

static const size_t *shape_of(int dim) { return dim == 2 ? shape2 : shape3; }

static double get(const omreg_image *img, size_t i)
{
    const void *d = omreg_image_cdata(img);
    return omreg_image_dtype(img) == OMREG_F64 ? ((const double *)d)[i]
                                               : (double)((const float *)d)[i];
}

static void set(omreg_image *img, size_t i, double x)
{
    void *d = omreg_image_data(img);
    if (omreg_image_dtype(img) == OMREG_F64)
        ((double *)d)[i] = x;
    else
        ((float *)d)[i] = (float)x;
}

static double vget(omreg_dtype dt, const void *a, size_t i)
{
    return dt == OMREG_F64 ? ((const double *)a)[i] : (double)((const float *)a)[i];
}

static omreg_image *new_image(int dim, int ncomp, omreg_dtype dt)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape_of(dim), ncomp, dt, NULL), OMREG_OK);
    return img;
}

/* ---- quantisation and class statistics -------------------------------------- */

/* voxel i holds {0, -2, 2.5, 40}[i % 4] */
static const double FOUR[4] = {0.0, -2.0, 2.5, 40.0};

static void four_valued(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k) {
            omreg_image *img = new_image(dim, 1, DTYPES[k]);
            const size_t n = omreg_image_voxels(img);
            for (size_t i = 0; i < n; ++i)
                set(img, i, FOUR[i % 4]);
            int *labels = NULL, *hist = NULL;
            void *levels = NULL;
            assert_int_equal(omreg_quantize_positive(be, img, 4, &labels, &levels, &hist),
                             OMREG_OK);
            /* positive range [2.5, 40] in three intervals: 2.5 -> 1, 40 -> 3 */
            static const int cls[4] = {0, 0, 1, 3};
            for (size_t i = 0; i < n; ++i)
                assert_int_equal(labels[i], cls[i % 4]);
            assert_int_equal(hist[0], (int)(n / 2));
            assert_int_equal(hist[1], (int)(n / 4));
            assert_int_equal(hist[2], 0);
            assert_int_equal(hist[3], (int)(n / 4));
            /* levels: 0, then the interval midpoints 2.5 + (i - 1/2) 37.5 / 3 */
            assert_true(vget(DTYPES[k], levels, 0) == 0.0);
            for (int l = 1; l < 4; ++l) {
                const double mid = 2.5 + (l - 0.5) * 37.5 / 3.0;
                assert_true(fabs(vget(DTYPES[k], levels, (size_t)l) - mid) < 1e-5 * mid);
            }

            /* statistics of the image itself over an all-ones mask */
            int *mask = omreg_test_alloc(n, sizeof(int));
            for (size_t i = 0; i < n; ++i)
                mask[i] = 1;
            void *means = NULL, *vars = NULL;
            assert_int_equal(
                omreg_compute_masked_class_stats(be, mask, img, 4, labels, &means, &vars),
                OMREG_OK);
            /* class 0 = half 0, half -2: mean -1, variance 1; classes 1 and 3
             * constant; class 2 empty: mean 0, variance +Inf */
            static const double want_mean[4] = {-1.0, 2.5, 0.0, 40.0};
            static const double want_var[4] = {1.0, 0.0, INFINITY, 0.0};
            for (size_t l = 0; l < 4; ++l) {
                assert_true(vget(DTYPES[k], means, l) == want_mean[l]);
                assert_true(vget(DTYPES[k], vars, l) == want_var[l]);
            }
            free(means);
            free(vars);

            /* a mask keeping one voxel of class 3 (variance +Inf) and a
             * non-zero mask value other than 1 */
            for (size_t i = 0; i < n; ++i)
                mask[i] = (i % 4 != 3) ? 7 * (int)(i % 2 == 0) : (i == 3);
            assert_int_equal(
                omreg_compute_masked_class_stats(be, mask, img, 4, labels, &means, &vars),
                OMREG_OK);
            assert_true(vget(DTYPES[k], means, 0) == 0.0); /* only the 0 voxels */
            assert_true(vget(DTYPES[k], vars, 0) == 0.0);
            assert_true(vget(DTYPES[k], means, 1) == 2.5);
            assert_true(vget(DTYPES[k], means, 3) == 40.0);
            assert_true(isinf(vget(DTYPES[k], vars, 3)));
            free(means);
            free(vars);
            free(mask);
            free(labels);
            free(levels);
            free(hist);
            omreg_image_free(img);
        }
}

static void degenerate_branches(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k) {
            const omreg_dtype dt = DTYPES[k];
            omreg_image *img = new_image(dim, 1, dt);
            const size_t n = omreg_image_voxels(img);
            int *labels = NULL, *hist = NULL;
            void *levels = NULL;
            /* two levels: every positive voxel in class 1, levels[1] = (min + max) / 2 */
            for (size_t i = 0; i < n; ++i)
                set(img, i, i % 3 == 0 ? -1.0 : 2.0 + (double)(i % 9));
            assert_int_equal(omreg_quantize_positive(be, img, 2, &labels, &levels, &hist),
                             OMREG_OK);
            for (size_t i = 0; i < n; ++i)
                assert_int_equal(labels[i], i % 3 != 0);
            assert_true(vget(dt, levels, 1) == 0.5 * (3.0 + 10.0)); /* min 3, max 10 */
            assert_int_equal(hist[0], (int)(n / 3));
            assert_int_equal(hist[1], (int)(n - n / 3));
            free(labels);
            free(levels);
            free(hist);
            /* constant positives at 6 levels: delta < 1e-8, class 1, midpoint */
            for (size_t i = 0; i < n; ++i)
                set(img, i, i % 3 == 0 ? 0.0 : 5.5);
            assert_int_equal(omreg_quantize_positive(be, img, 6, &labels, &levels, &hist),
                             OMREG_OK);
            for (size_t i = 0; i < n; ++i)
                assert_int_equal(labels[i], i % 3 != 0);
            assert_true(vget(dt, levels, 1) == 5.5);
            for (size_t l = 2; l < 6; ++l) {
                assert_true(vget(dt, levels, l) == 0.0);
                assert_int_equal(hist[l], 0);
            }
            free(labels);
            free(levels);
            free(hist);
            /* no positive voxel: DIPY's min = max = -1 give levels[1] = -1 */
            for (size_t i = 0; i < n; ++i)
                set(img, i, -(double)(i % 5));
            assert_int_equal(omreg_quantize_positive(be, img, 5, &labels, &levels, &hist),
                             OMREG_OK);
            for (size_t i = 0; i < n; ++i)
                assert_int_equal(labels[i], 0);
            assert_true(vget(dt, levels, 1) == -1.0);
            assert_int_equal(hist[0], (int)n);
            for (size_t l = 1; l < 5; ++l)
                assert_int_equal(hist[l], 0);
            free(labels);
            free(levels);
            free(hist);
            omreg_image_free(img);
        }
}

/* A range so wide that 1e-8 vanishes in delta: (max - min) / delta reaches
 * num_levels - 1, where DIPY writes past its histogram; omreg clamps to the
 * top class. NaN and -Inf voxels are not positive: class 0. */
static void clamp_and_nonfinite(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k) {
            omreg_image *img = new_image(dim, 1, DTYPES[k]);
            const size_t n = omreg_image_voxels(img);
            for (size_t i = 0; i < n; ++i)
                set(img, i, i % 2 ? 1.0 : 1e9);
            set(img, 7, NAN);
            set(img, 9, -INFINITY);
            int *labels = NULL, *hist = NULL;
            assert_int_equal(omreg_quantize_positive(be, img, 4, &labels, NULL, &hist),
                             OMREG_OK);
            long total = 0;
            for (int l = 0; l < 4; ++l)
                total += hist[l];
            assert_int_equal(total, (long)n);
            assert_int_equal(labels[0], 3);
            assert_int_equal(labels[1], 1);
            assert_int_equal(labels[7], 0);
            assert_int_equal(labels[9], 0);
            assert_int_equal(hist[0], 2);
            free(labels);
            free(hist);
            /* +Inf: rejected, outputs untouched */
            set(img, n - 1, INFINITY);
            int *sentinel = (int *)&total;
            labels = sentinel;
            hist = sentinel;
            void *levels = sentinel;
            assert_int_equal(omreg_quantize_positive(be, img, 4, &labels, &levels, &hist),
                             OMREG_ENONFINITE);
            assert_ptr_equal(labels, sentinel);
            assert_ptr_equal(levels, sentinel);
            assert_ptr_equal(hist, sentinel);
            omreg_image_free(img);
        }
}

static void bad_labels(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    omreg_image *img = new_image(3, 1, OMREG_F32);
    const size_t n = omreg_image_voxels(img);
    int *mask = omreg_test_alloc(n, sizeof(int)), *labels = omreg_test_alloc(n, sizeof(int));
    for (size_t i = 0; i < n; ++i) {
        set(img, i, (double)(i % 7));
        mask[i] = i % 2;
        labels[i] = mask[i] ? (int)(i % 3) : -5 - (int)i; /* unmasked: never read */
    }
    void *means = NULL, *vars = NULL;
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, img, 3, labels, &means, &vars),
                     OMREG_OK);
    free(means);
    free(vars);
    means = vars = NULL;
    labels[n - 1] = 3; /* masked (n - 1 is odd) and == num_labels */
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, img, 3, labels, &means, &vars),
                     OMREG_EINVAL);
    assert_null(means);
    assert_null(vars);
    labels[n - 1] = -1;
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, img, 3, labels, &means, &vars),
                     OMREG_EINVAL);
    free(mask);
    free(labels);
    omreg_image_free(img);
}

/* ---- the demons step ------------------------------------------------------------ */

/* Repeated pattern of five voxels, exact results:
 *  s = 0:    delta g / |g|^2 with delta = |g|^2   -> g
 *  s > 0:    delta g / (|g|^2 + s), sigma_sq_x = 1, delta = |g|^2 + s -> g
 *  s = +Inf, s = -Inf, and s = 0 with g = 0        -> 0
 * g = (3, 4) in 2D (|g|^2 = 25), (2, 3, 6) in 3D (49); s = 75 or 51. */
static void demons_analytic(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k) {
            const omreg_dtype dt = DTYPES[k];
            omreg_image *delta = new_image(dim, 1, dt), *sigma = new_image(dim, 1, dt);
            omreg_image *grad = new_image(dim, dim, dt);
            const size_t n = omreg_image_voxels(delta), d = (size_t)dim;
            const double g[3] = {dim == 2 ? 3.0 : 2.0, dim == 2 ? 4.0 : 3.0, 6.0};
            const double nrm2 = dim == 2 ? 25.0 : 49.0, s_pos = 100.0 - nrm2;
            double want_energy = 0.0;
            for (size_t i = 0; i < n; ++i) {
                const int kind = (int)(i % 5);
                const double de[5] = {nrm2, 100.0, -3.0, 5.0, 9.0};
                const double s[5] = {0.0, s_pos, INFINITY, -INFINITY, 0.0};
                set(delta, i, de[kind]);
                set(sigma, i, s[kind]);
                for (size_t c = 0; c < d; ++c)
                    set(grad, i * d + c, kind == 4 ? 0.0 : g[c]);
                want_energy += de[kind] * de[kind]; /* integers: exact in any order */
            }
            omreg_image *out = NULL;
            double energy = 0.0;
            assert_int_equal(
                omreg_compute_em_demons_step(be, delta, sigma, grad, 1.0, &out, &energy),
                OMREG_OK);
            assert_int_equal(omreg_image_ncomp(out), dim);
            assert_int_equal(omreg_image_dtype(out), dt);
            for (size_t i = 0; i < n; ++i)
                for (size_t c = 0; c < d; ++c) {
                    const double want = (i % 5) < 2 ? g[c] : 0.0;
                    if (get(out, i * d + c) != want)
                        fail_msg("%dD %s voxel %zu comp %zu: %a, want %a", dim,
                                 k ? "f32" : "f64", i, c, get(out, i * d + c), want);
                }
            assert_true(energy == want_energy);
            omreg_image_free(out);
            /* energy NULL is allowed */
            assert_int_equal(
                omreg_compute_em_demons_step(be, delta, sigma, grad, 1.0, &out, NULL),
                OMREG_OK);
            omreg_image_free(out);
            omreg_image_free(delta);
            omreg_image_free(sigma);
            omreg_image_free(grad);
        }
}

/* ---- argument validation and allocation failures ------------------------------ */

static void bad_arguments(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    omreg_image *img = new_image(2, 1, OMREG_F64), *field = new_image(2, 2, OMREG_F64);
    omreg_image *img32 = new_image(2, 1, OMREG_F32), *img3 = new_image(3, 1, OMREG_F64);
    const size_t n = omreg_image_voxels(img);
    int *mask = omreg_test_alloc(n, sizeof(int)), *labels = omreg_test_alloc(n, sizeof(int));
    int *l = NULL, *h = NULL;
    void *lev = NULL, *m = NULL, *v = NULL;
    omreg_image *out = NULL;
    double e = 0;

    assert_int_equal(omreg_quantize_positive(NULL, img, 4, &l, &lev, &h), OMREG_EINVAL);
    assert_int_equal(omreg_quantize_positive(be, NULL, 4, &l, &lev, &h), OMREG_EINVAL);
    assert_int_equal(omreg_quantize_positive(be, img, 4, NULL, &lev, &h), OMREG_EINVAL);
    assert_int_equal(omreg_quantize_positive(be, img, 1, &l, &lev, &h), OMREG_EINVAL);
    assert_int_equal(omreg_quantize_positive(be, img, INT_MIN, &l, &lev, &h), OMREG_EINVAL);
    assert_int_equal(omreg_quantize_positive(be, field, 4, &l, &lev, &h), OMREG_ESHAPE);
    assert_null(l);
    assert_null(lev);
    assert_null(h);

    assert_int_equal(omreg_compute_masked_class_stats(NULL, mask, img, 3, labels, &m, &v),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_masked_class_stats(be, NULL, img, 3, labels, &m, &v),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, NULL, 3, labels, &m, &v),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, img, 3, NULL, &m, &v),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, img, 3, labels, NULL, &v),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, img, 3, labels, &m, NULL),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, img, 0, labels, &m, &v),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, img, INT_MAX, labels, &m, &v),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, field, 3, labels, &m, &v),
                     OMREG_ESHAPE);
    assert_null(m);
    assert_null(v);

    assert_int_equal(omreg_compute_em_demons_step(NULL, img, img, field, 1.0, &out, &e),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_em_demons_step(be, NULL, img, field, 1.0, &out, &e),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_em_demons_step(be, img, NULL, field, 1.0, &out, &e),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_em_demons_step(be, img, img, NULL, 1.0, &out, &e),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_em_demons_step(be, img, img, field, 1.0, NULL, &e),
                     OMREG_EINVAL);
    assert_int_equal(omreg_compute_em_demons_step(be, field, img, field, 1.0, &out, &e),
                     OMREG_ESHAPE);
    assert_int_equal(omreg_compute_em_demons_step(be, img, field, field, 1.0, &out, &e),
                     OMREG_ESHAPE);
    assert_int_equal(omreg_compute_em_demons_step(be, img, img, img, 1.0, &out, &e),
                     OMREG_ESHAPE);
    assert_int_equal(omreg_compute_em_demons_step(be, img, img32, field, 1.0, &out, &e),
                     OMREG_ESHAPE);
    assert_int_equal(omreg_compute_em_demons_step(be, img, img3, field, 1.0, &out, &e),
                     OMREG_ESHAPE);
    assert_int_equal(omreg_compute_em_demons_step(be, img, img, field, NAN, &out, &e),
                     OMREG_ENONFINITE);
    assert_int_equal(omreg_compute_em_demons_step(be, img, img, field, INFINITY, &out, &e),
                     OMREG_ENONFINITE);
    assert_null(out);
    assert_true(e == 0.0);

    /* more than INT_MAX voxels (the counts are int): a borrowed header whose
     * data is never read because the check comes first */
    const size_t huge[2] = {65536, 32769};
    omreg_image *big = NULL;
    assert_int_equal(omreg_image_wrap(&big, mask, 2, huge, 1, OMREG_F32, NULL), OMREG_OK);
    assert_int_equal(omreg_quantize_positive(be, big, 4, &l, &lev, &h), OMREG_EOVERFLOW);
    assert_int_equal(omreg_compute_masked_class_stats(be, mask, big, 3, labels, &m, &v),
                     OMREG_EOVERFLOW);
    assert_null(l);
    assert_null(m);
    omreg_image_free(big);

    free(mask);
    free(labels);
    omreg_image_free(img);
    omreg_image_free(field);
    omreg_image_free(img32);
    omreg_image_free(img3);
}

/* Fail the 1st, 2nd, ... allocation of each entry point until one call
 * succeeds: every failure returns OMREG_ENOMEM with the outputs untouched
 * (Valgrind checks that nothing leaks). */
static void allocation_failures(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    omreg_image *img = new_image(3, 1, OMREG_F32), *field = new_image(3, 3, OMREG_F32);
    const size_t n = omreg_image_voxels(img);
    int *mask = omreg_test_alloc(n, sizeof(int)), *labels = omreg_test_alloc(n, sizeof(int));
    for (size_t i = 0; i < n; ++i) {
        set(img, i, (double)(i % 11));
        mask[i] = 1;
        labels[i] = (int)(i % 4);
    }
    for (int op = 0; op < 3; ++op) {
        int done = 0;
        for (long k = 1; k < 20 && !done; ++k) {
            int *l = NULL, *h = NULL;
            void *lev = NULL, *m = NULL, *v = NULL;
            omreg_image *out = NULL;
            double e = -1.0;
            omreg_testing_fail_alloc_at(k);
            omreg_status st;
            if (op == 0)
                st = omreg_quantize_positive(be, img, 4, &l, &lev, &h);
            else if (op == 1)
                st = omreg_compute_masked_class_stats(be, mask, img, 4, labels, &m, &v);
            else
                st = omreg_compute_em_demons_step(be, img, img, field, 1.0, &out, &e);
            omreg_testing_fail_alloc_at(0);
            if (st == OMREG_OK) {
                assert_true(k > 1); /* at least one allocation was exercised */
                done = 1;
            } else {
                assert_int_equal(st, OMREG_ENOMEM);
                assert_null(l);
                assert_null(lev);
                assert_null(h);
                assert_null(m);
                assert_null(v);
                assert_null(out);
                assert_true(e == -1.0);
            }
            free(l);
            free(lev);
            free(h);
            free(m);
            free(v);
            omreg_image_free(out);
        }
        assert_true(done);
    }
    free(mask);
    free(labels);
    omreg_image_free(img);
    omreg_image_free(field);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(four_valued),        cmocka_unit_test(degenerate_branches),
        cmocka_unit_test(clamp_and_nonfinite), cmocka_unit_test(bad_labels),
        cmocka_unit_test(demons_analytic),    cmocka_unit_test(bad_arguments),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
