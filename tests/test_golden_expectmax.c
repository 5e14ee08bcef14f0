/* Golden test of the EM-metric kernels against DIPY 1.6
 * (fixtures/gen_expectmax.py): quantize_positive_{2,3}d,
 * compute_masked_class_stats_{2,3}d and compute_em_demons_step_{2,3}d,
 * float64 and float32, through the public API with omreg_test_backend()
 * and with the reference table.
 *
 * Bitwise against DIPY: the class images, levels and histograms (DIPY's
 * arithmetic, stored to the image dtype where DIPY's `floating` arrays
 * are; min/max/counts are exact), the demons step field, and the demons
 * energy on a grid of a single reduction block (canonical order = DIPY's
 * serial order there).
 * Bitwise against the fixture's canonical-order recomputation (blocks of
 * 4096 voxels, partials added per class in block order): the class means,
 * variances and the energy on grids of two blocks.
 * Tolerance against DIPY's own serial sums on those grids:
 * SUM_ORDER_ULPS_PER_TERM and MEAN_SHIFT_FACTOR below.
 * NaN policy: fixtures hold no NaN (Inf variances are compared as bytes). */
#include "omreg_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/expectmax.h"
#include "omreg/image.h"

/* Recursive summation of c terms of one sign has relative error at most
 * (c - 1) u in any order (Higham, Accuracy and Stability, 4.2), so DIPY's
 * serial class sums and omreg's block-order sums differ by at most
 * 2 (c - 1) u relative, plus 1/2 ulp from each division by c: 2 (c + 1) u
 * bounds the means and the variances' sums of squares (and the energy,
 * with c = voxels) while a single missing or extra voxel moves a class mean
 * by ~1/c, far outside. */
static const double SUM_ORDER_ULPS_PER_TERM = 2.0;
/* The variance also sees the two means differ, by delta <= 2e with
 * e = (c + 1) u |mean| the bound on either's error: sum (v - m')^2 -
 * sum (v - m)^2 = c delta^2 - 2 delta sum (v - m) with |sum (v - m)| <=
 * c e, at most 8 c e^2, i.e. 8 e^2 / var relative; 16 leaves margin. */
static const double MEAN_SHIFT_FACTOR = 16.0;

static const char *const DTS[2] = {"f64", "f32"};
static const omreg_dtype DTYPES[2] = {OMREG_F64, OMREG_F32};

static void load(const char *name, omreg_npy_type type, omreg_npy *out)
{
    char rel[256];
    snprintf(rel, sizeof rel, "expectmax/%s.npy", name);
    omreg_test_load(rel, type, out);
}

static omreg_npy_type npy_type(omreg_dtype dt)
{
    return dt == OMREG_F64 ? OMREG_NPY_F64 : OMREG_NPY_F32;
}

static double unit_roundoff(omreg_dtype dt)
{
    return dt == OMREG_F64 ? DBL_EPSILON / 2 : FLT_EPSILON / 2;
}

/* The two tables every golden case runs with. */
static const omreg_backend *backend_at(int k)
{
    return k == 0 ? omreg_test_backend() : omreg_backend_reference();
}

/* A new image over a float32 fixture of `dim` spatial axes (plus a last
 * axis of dim components when ncomp == dim), values cast to dt (exact). */
static omreg_image *image_from_f32(const omreg_npy *a, int dim, int ncomp, omreg_dtype dt)
{
    assert_int_equal(a->type, OMREG_NPY_F32);
    assert_int_equal(a->ndim, dim + (ncomp > 1));
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, a->shape, ncomp, dt, NULL), OMREG_OK);
    const float *src = a->data;
    if (dt == OMREG_F32)
        memcpy(omreg_image_data(img), src, a->count * sizeof(float));
    else
        for (size_t i = 0; i < a->count; ++i)
            ((double *)omreg_image_data(img))[i] = src[i];
    return img;
}

static int *ints_from_u8(const omreg_npy *a)
{
    assert_int_equal(a->type, OMREG_NPY_U8);
    int *out = omreg_test_alloc(a->count, sizeof(int));
    for (size_t i = 0; i < a->count; ++i)
        out[i] = ((const unsigned char *)a->data)[i];
    return out;
}

static int same(omreg_dtype dt, const char *what, const void *got, const void *want, size_t n)
{
    return dt == OMREG_F64 ? omreg_test_same_f64(what, got, want, n)
                           : omreg_test_same_f32(what, got, want, n);
}

static double at(omreg_dtype dt, const void *a, size_t i)
{
    return dt == OMREG_F64 ? ((const double *)a)[i] : (double)((const float *)a)[i];
}

/* ---- quantize_positive ---------------------------------------------------- */

/* Quantise fixture `input` at `nlev_name` levels; labels/levels/hist of
 * prefix_<dt>_*. */
static void check_quantize(int dim, const char *input, const char *nlev_name,
                           const char *prefix)
{
    char name[160], what[200];
    omreg_npy in, nl;
    load(input, OMREG_NPY_F32, &in);
    load(nlev_name, OMREG_NPY_I32, &nl);
    const int nlev = ((const int *)nl.data)[0];
    for (int k = 0; k < 2; ++k) {
        omreg_npy lab, lev, hist;
        snprintf(name, sizeof name, "%s_%s_labels", prefix, DTS[k]);
        load(name, OMREG_NPY_U8, &lab);
        snprintf(name, sizeof name, "%s_%s_levels", prefix, DTS[k]);
        load(name, npy_type(DTYPES[k]), &lev);
        snprintf(name, sizeof name, "%s_%s_hist", prefix, DTS[k]);
        load(name, OMREG_NPY_I32, &hist);
        assert_int_equal(lev.count, (size_t)nlev);
        int *want = ints_from_u8(&lab);
        omreg_image *img = image_from_f32(&in, dim, 1, DTYPES[k]);
        for (int b = 0; b < 2; ++b) {
            const omreg_backend *be = backend_at(b);
            int *labels = NULL, *h = NULL;
            void *levels = NULL;
            assert_int_equal(omreg_quantize_positive(be, img, nlev, &labels, &levels, &h),
                             OMREG_OK);
            snprintf(what, sizeof what, "%s %s [%s]", prefix, DTS[k], omreg_backend_name(be));
            assert_true(omreg_test_same_i32(what, labels, want, in.count));
            assert_true(same(DTYPES[k], what, levels, lev.data, lev.count));
            assert_true(omreg_test_same_i32(what, h, hist.data, hist.count));
            free(labels);
            free(levels);
            free(h);
        }
        omreg_image_free(img);
        free(want);
        omreg_npy_free(&lab);
        omreg_npy_free(&lev);
        omreg_npy_free(&hist);
    }
    omreg_npy_free(&in);
    omreg_npy_free(&nl);
}

static void quantize_dim(int dim)
{
    static const char *const cases[] = {"two", "const", "nopos", "q256"};
    char input[160], nlev[160], prefix[96];
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        snprintf(prefix, sizeof prefix, "quant%dd_%s", dim, cases[c]);
        snprintf(input, sizeof input, "%s_input", prefix);
        snprintf(nlev, sizeof nlev, "%s_nlev", prefix);
        check_quantize(dim, input, nlev, prefix);
    }
    snprintf(prefix, sizeof prefix, "stats%dd", dim);
    snprintf(input, sizeof input, "%s_static", prefix);
    snprintf(nlev, sizeof nlev, "%s_nlev", prefix);
    check_quantize(dim, input, nlev, prefix);
}

static void quantize_2d(void **state)
{
    (void)state;
    quantize_dim(2);
}

static void quantize_3d(void **state)
{
    (void)state;
    quantize_dim(3);
}

/* ---- class statistics and the energy on two-block grids -------------------- */

struct stats_case {
    omreg_npy static_img, moving, mask, nlev;
    int *mask_i;
    int nl;
};

static void stats_load(int dim, struct stats_case *s)
{
    char name[96];
    snprintf(name, sizeof name, "stats%dd_static", dim);
    load(name, OMREG_NPY_F32, &s->static_img);
    snprintf(name, sizeof name, "stats%dd_moving", dim);
    load(name, OMREG_NPY_F32, &s->moving);
    snprintf(name, sizeof name, "stats%dd_mask", dim);
    load(name, OMREG_NPY_U8, &s->mask);
    snprintf(name, sizeof name, "stats%dd_nlev", dim);
    load(name, OMREG_NPY_I32, &s->nlev);
    s->mask_i = ints_from_u8(&s->mask);
    s->nl = ((const int *)s->nlev.data)[0];
    /* two reduction blocks, so the canonical order differs from DIPY's */
    assert_true(s->static_img.count > 4096 && s->static_img.count <= 2 * 4096);
}

static void stats_free(struct stats_case *s)
{
    omreg_npy_free(&s->static_img);
    omreg_npy_free(&s->moving);
    omreg_npy_free(&s->mask);
    omreg_npy_free(&s->nlev);
    free(s->mask_i);
}

static void class_stats_dim(int dim)
{
    char name[128], what[200];
    struct stats_case s;
    stats_load(dim, &s);
    const size_t n = s.moving.count;
    for (int k = 0; k < 2; ++k) {
        const omreg_dtype dt = DTYPES[k];
        omreg_npy lab, means, vars, cmeans, cvars;
#define LOADS(var, what_, type)                                                                \
    snprintf(name, sizeof name, "stats%dd_%s_%s", dim, DTS[k], what_);                         \
    load(name, type, &var)
        LOADS(lab, "labels", OMREG_NPY_U8);
        LOADS(means, "means", npy_type(dt));
        LOADS(vars, "variances", npy_type(dt));
        LOADS(cmeans, "means_canonical", npy_type(dt));
        LOADS(cvars, "variances_canonical", npy_type(dt));
#undef LOADS
        int *labels = ints_from_u8(&lab);
        /* class sizes, counted here independently of the kernels */
        int *count = omreg_test_alloc((size_t)s.nl, sizeof(int));
        for (size_t i = 0; i < n; ++i)
            if (s.mask_i[i])
                count[labels[i]] += 1;
        omreg_image *mov = image_from_f32(&s.moving, dim, 1, dt);
        const double u = unit_roundoff(dt);
        for (int b = 0; b < 2; ++b) {
            const omreg_backend *be = backend_at(b);
            void *m = NULL, *v = NULL;
            assert_int_equal(omreg_compute_masked_class_stats(be, s.mask_i, mov, s.nl, labels,
                                                              &m, &v),
                             OMREG_OK);
            snprintf(what, sizeof what, "class stats %dD %s [%s]", dim, DTS[k],
                     omreg_backend_name(be));
            assert_true(same(dt, what, m, cmeans.data, (size_t)s.nl));
            assert_true(same(dt, what, v, cvars.data, (size_t)s.nl));
            for (int l = 0; l < s.nl; ++l) {
                const double c = count[l];
                const double got_m = at(dt, m, (size_t)l), want_m = at(dt, means.data, (size_t)l);
                const double got_v = at(dt, v, (size_t)l), want_v = at(dt, vars.data, (size_t)l);
                const double rtol = SUM_ORDER_ULPS_PER_TERM * (c + 1) * u;
                if (fabs(got_m - want_m) > rtol * fabs(want_m))
                    fail_msg("%s class %d (%g voxels): mean %a vs DIPY %a", what, l, c, got_m,
                             want_m);
                if (count[l] < 2) { /* DIPY: +Inf */
                    assert_true(isinf(got_v) && got_v > 0 && isinf(want_v));
                    continue;
                }
                const double shift = (c + 1) * u * want_m;
                const double vtol = rtol + MEAN_SHIFT_FACTOR * shift * shift / want_v;
                if (fabs(got_v - want_v) > vtol * want_v)
                    fail_msg("%s class %d (%g voxels): variance %a vs DIPY %a", what, l, c,
                             got_v, want_v);
            }
            free(m);
            free(v);
        }
        omreg_image_free(mov);
        free(count);
        free(labels);
        omreg_npy_free(&lab);
        omreg_npy_free(&means);
        omreg_npy_free(&vars);
        omreg_npy_free(&cmeans);
        omreg_npy_free(&cvars);
    }
    stats_free(&s);
}

static void class_stats_2d(void **state)
{
    (void)state;
    class_stats_dim(2);
}

static void class_stats_3d(void **state)
{
    (void)state;
    class_stats_dim(3);
}

/* EMMetric's forward demons inputs: delta = static - means[labels] and
 * sigma = variances[labels] in the case's dtype (numpy does one rounding
 * per subtraction, as here), the gradient zero. */
static void energy_dim(int dim)
{
    char name[128], what[200];
    struct stats_case s;
    stats_load(dim, &s);
    const size_t n = s.static_img.count;
    const float *st = s.static_img.data;
    for (int k = 0; k < 2; ++k) {
        const omreg_dtype dt = DTYPES[k];
        omreg_npy lab, means, vars, energy, cenergy;
#define LOADS(var, what_, type)                                                                \
    snprintf(name, sizeof name, "stats%dd_%s_%s", dim, DTS[k], what_);                         \
    load(name, type, &var)
        LOADS(lab, "labels", OMREG_NPY_U8);
        LOADS(means, "means", npy_type(dt));
        LOADS(vars, "variances", npy_type(dt));
        LOADS(energy, "energy", OMREG_NPY_F64);
        LOADS(cenergy, "energy_canonical", OMREG_NPY_F64);
#undef LOADS
        const unsigned char *lb = lab.data;
        omreg_image *delta = NULL, *sigma = NULL, *grad = NULL;
        assert_int_equal(omreg_image_create(&delta, dim, s.static_img.shape, 1, dt, NULL),
                         OMREG_OK);
        assert_int_equal(omreg_image_create(&sigma, dim, s.static_img.shape, 1, dt, NULL),
                         OMREG_OK);
        assert_int_equal(omreg_image_create(&grad, dim, s.static_img.shape, dim, dt, NULL),
                         OMREG_OK);
        for (size_t i = 0; i < n; ++i) {
            if (dt == OMREG_F64) {
                ((double *)omreg_image_data(delta))[i] =
                    (double)st[i] - ((const double *)means.data)[lb[i]];
                ((double *)omreg_image_data(sigma))[i] = ((const double *)vars.data)[lb[i]];
            } else {
                ((float *)omreg_image_data(delta))[i] =
                    st[i] - ((const float *)means.data)[lb[i]];
                ((float *)omreg_image_data(sigma))[i] = ((const float *)vars.data)[lb[i]];
            }
        }
        const double want = ((const double *)energy.data)[0];
        const double rtol = SUM_ORDER_ULPS_PER_TERM * ((double)n + 1) * (DBL_EPSILON / 2);
        for (int b = 0; b < 2; ++b) {
            const omreg_backend *be = backend_at(b);
            omreg_image *out = NULL;
            double e = NAN;
            assert_int_equal(omreg_compute_em_demons_step(be, delta, sigma, grad, 0.731, &out,
                                                          &e),
                             OMREG_OK);
            snprintf(what, sizeof what, "energy %dD %s [%s]", dim, DTS[k],
                     omreg_backend_name(be));
            assert_true(omreg_test_same_f64(what, &e, cenergy.data, 1));
            if (fabs(e - want) > rtol * want)
                fail_msg("%s: %a vs DIPY %a", what, e, want);
            for (size_t i = 0; i < n * (size_t)dim; ++i) /* zero gradient: zero step */
                assert_true(at(dt, omreg_image_cdata(out), i) == 0.0);
            omreg_image_free(out);
        }
        omreg_image_free(delta);
        omreg_image_free(sigma);
        omreg_image_free(grad);
        omreg_npy_free(&lab);
        omreg_npy_free(&means);
        omreg_npy_free(&vars);
        omreg_npy_free(&energy);
        omreg_npy_free(&cenergy);
    }
    stats_free(&s);
}

static void energy_2d(void **state)
{
    (void)state;
    energy_dim(2);
}

static void energy_3d(void **state)
{
    (void)state;
    energy_dim(3);
}

/* ---- the demons step, every branch, one block ------------------------------ */

static void demons_dim(int dim)
{
    char name[128], what[200];
    omreg_npy d, s, g, sx;
    snprintf(name, sizeof name, "demons%dd_delta", dim);
    load(name, OMREG_NPY_F32, &d);
    snprintf(name, sizeof name, "demons%dd_sigma", dim);
    load(name, OMREG_NPY_F32, &s);
    snprintf(name, sizeof name, "demons%dd_grad", dim);
    load(name, OMREG_NPY_F32, &g);
    snprintf(name, sizeof name, "demons%dd_sigma_sq_x", dim);
    load(name, OMREG_NPY_F64, &sx);
    assert_true(d.count <= 4096); /* one block: the energy is DIPY's serial sum */
    for (int k = 0; k < 2; ++k) {
        const omreg_dtype dt = DTYPES[k];
        omreg_npy want, energy;
        snprintf(name, sizeof name, "demons%dd_%s_out", dim, DTS[k]);
        load(name, npy_type(dt), &want);
        snprintf(name, sizeof name, "demons%dd_%s_energy", dim, DTS[k]);
        load(name, OMREG_NPY_F64, &energy);
        omreg_image *delta = image_from_f32(&d, dim, 1, dt);
        omreg_image *sigma = image_from_f32(&s, dim, 1, dt);
        omreg_image *grad = image_from_f32(&g, dim, dim, dt);
        for (int b = 0; b < 2; ++b) {
            const omreg_backend *be = backend_at(b);
            omreg_image *out = NULL;
            double e = NAN;
            assert_int_equal(omreg_compute_em_demons_step(be, delta, sigma, grad,
                                                          ((const double *)sx.data)[0], &out,
                                                          &e),
                             OMREG_OK);
            snprintf(what, sizeof what, "demons %dD %s [%s]", dim, DTS[k],
                     omreg_backend_name(be));
            assert_true(same(dt, what, omreg_image_cdata(out), want.data, want.count));
            assert_true(omreg_test_same_f64(what, &e, energy.data, 1));
            omreg_image_free(out);
        }
        omreg_image_free(delta);
        omreg_image_free(sigma);
        omreg_image_free(grad);
        omreg_npy_free(&want);
        omreg_npy_free(&energy);
    }
    omreg_npy_free(&d);
    omreg_npy_free(&s);
    omreg_npy_free(&g);
    omreg_npy_free(&sx);
}

static void demons_2d(void **state)
{
    (void)state;
    demons_dim(2);
}

static void demons_3d(void **state)
{
    (void)state;
    demons_dim(3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(quantize_2d),    cmocka_unit_test(quantize_3d),
        cmocka_unit_test(class_stats_2d), cmocka_unit_test(class_stats_3d),
        cmocka_unit_test(energy_2d),      cmocka_unit_test(energy_3d),
        cmocka_unit_test(demons_2d),      cmocka_unit_test(demons_3d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
