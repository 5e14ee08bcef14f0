/* Bad input to the Foundation entry points (omreg_interpolate,
 * omreg_gradient, omreg_sparse_gradient, omreg_transform_affine,
 * omreg_image_moments): NULL arguments, fields where scalars are needed,
 * zero-size and overflowing output shapes, non-finite, non-affine and
 * singular affines, allocation failures. Each gets its exact status, a
 * message naming the function, and leaves its outputs untouched; failing
 * calls leak nothing (checked when run under Valgrind).
 * NaN policy: NaN appears only as bad input; no output is compared. */
#include "omreg_test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/gradient.h"
#include "omreg/image.h"
#include "omreg/interpolate.h"
#include "omreg/resample.h"
#include "omreg/stats.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */

static char sentinel_byte;
#define SENTINEL ((void *)&sentinel_byte)
#define FILL 0xA5

static const omreg_backend *backend;
static omreg_image *scalar2, *scalar3, *field2, *field3;

static const size_t shape2[2] = {6, 5};
static const size_t shape3[3] = {4, 6, 5};

static int setup(void **state)
{
    (void)state;
    backend = omreg_test_backend();
    const double g2w2[9] = {1.5, 0.2, 1, -0.1, 2, -3, 0, 0, 1};
    if (omreg_image_create(&scalar2, 2, shape2, 1, OMREG_F64, g2w2) != OMREG_OK ||
        omreg_image_create(&scalar3, 3, shape3, 1, OMREG_F32, NULL) != OMREG_OK ||
        omreg_image_create(&field2, 2, shape2, 2, OMREG_F64, NULL) != OMREG_OK ||
        omreg_image_create(&field3, 3, shape3, 3, OMREG_F32, NULL) != OMREG_OK)
        return -1;
    float *v = omreg_image_data(scalar3);
    for (size_t i = 0; i < omreg_image_voxels(scalar3); ++i)
        v[i] = (float)(i % 7);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    omreg_image_free(scalar2);
    omreg_image_free(scalar3);
    omreg_image_free(field2);
    omreg_image_free(field3);
    return 0;
}

/* The call returned `want` and recorded a message naming `fn`. */
static void expect(omreg_status got, omreg_status want, const char *fn, int line)
{
    if (got != want)
        fail_msg("line %d: %s returned %s (%s), want %s", line, fn ? fn : "call",
                 omreg_status_str(got), omreg_last_error(), omreg_status_str(want));
    if (fn && strstr(omreg_last_error(), fn) == NULL)
        fail_msg("line %d: message \"%s\" does not name %s", line, omreg_last_error(), fn);
}
#define EXPECT(call, want, fn) expect((call), (want), (fn), __LINE__)

static void assert_filled(const void *buf, size_t bytes)
{
    const unsigned char *b = buf;
    for (size_t i = 0; i < bytes; ++i)
        if (b[i] != FILL)
            fail_msg("output byte %zu was written by a failing call", i);
}

/* Affines that must be rejected, for ndim = 2 (3x3) and 3 (4x4). */
struct bad_affine {
    double a[16];
    omreg_status want;
    const char *what;
};

static size_t bad_affines(int ndim, struct bad_affine *out)
{
    const int n = ndim + 1;
    size_t k = 0;
    for (int v = 0; v < 7; ++v) {
        double *a = out[k].a;
        for (int i = 0; i < n; ++i)
            for (int j = 0; j < n; ++j)
                a[i * n + j] = i == j ? 1.0 : 0.0;
        a[0 * n + ndim] = 2.0; /* a translation, so the identity part is not special */
        switch (v) {
        case 0: a[1 * n + 0] = NAN; out[k].want = OMREG_ENONFINITE; out[k].what = "NaN"; break;
        case 1: a[0 * n + ndim] = INFINITY; out[k].want = OMREG_ENONFINITE; out[k].what = "+Inf"; break;
        case 2: a[ndim * n + ndim] = -INFINITY; out[k].want = OMREG_ENONFINITE; out[k].what = "-Inf"; break;
        case 3: a[ndim * n + 0] = 0.5; out[k].want = OMREG_ESINGULAR; out[k].what = "last row"; break;
        case 4: a[ndim * n + ndim] = 2.0; out[k].want = OMREG_ESINGULAR; out[k].what = "h = 2"; break;
        case 5: /* rank deficient: row 1 = 2 * row 0 */
            for (int j = 0; j < n; ++j)
                a[1 * n + j] = 2.0 * a[0 * n + j];
            out[k].want = OMREG_ESINGULAR; out[k].what = "rank deficient"; break;
        case 6: /* all-zero linear part */
            for (int i = 0; i < ndim; ++i)
                for (int j = 0; j < ndim; ++j)
                    a[i * n + j] = 0.0;
            out[k].want = OMREG_ESINGULAR; out[k].what = "zero"; break;
        }
        ++k;
    }
    return k;
}

/* ---- omreg_interpolate ---------------------------------------------------- */

static void interpolate_bad_input(void **state)
{
    (void)state;
    const char *fn = "omreg_interpolate";
    double locs[6] = {1, 1, 2, 2.5, 3, 0.5}, out[6];
    int inside[3];
    memset(out, FILL, sizeof out);
    memset(inside, FILL, sizeof inside);
    EXPECT(omreg_interpolate(NULL, scalar2, locs, 3, 0, out, inside), OMREG_EINVAL, fn);
    EXPECT(omreg_interpolate(backend, NULL, locs, 3, 0, out, inside), OMREG_EINVAL, fn);
    EXPECT(omreg_interpolate(backend, scalar2, NULL, 3, 0, out, inside), OMREG_EINVAL, fn);
    EXPECT(omreg_interpolate(backend, scalar2, locs, 3, 0, NULL, inside), OMREG_EINVAL, fn);
    EXPECT(omreg_interpolate(backend, scalar2, locs, 3, 0, out, NULL), OMREG_EINVAL, fn);
    /* nearest neighbour is for scalar images only */
    EXPECT(omreg_interpolate(backend, field2, locs, 3, 1, out, inside), OMREG_ESHAPE, fn);
    EXPECT(omreg_interpolate(backend, field3, locs, 2, 1, out, inside), OMREG_ESHAPE, fn);
    /* n * ndim values (or their bytes) overflow size_t */
    EXPECT(omreg_interpolate(backend, scalar2, locs, SIZE_MAX / 2 + 1, 0, out, inside),
           OMREG_EOVERFLOW, fn);
    EXPECT(omreg_interpolate(backend, field3, locs, SIZE_MAX / 16, 0, out, inside),
           OMREG_EOVERFLOW, fn);
    /* n = 0: a valid empty request that writes nothing */
    EXPECT(omreg_interpolate(backend, scalar2, locs, 0, 0, out, inside), OMREG_OK, NULL);
    assert_filled(out, sizeof out);
    assert_filled(inside, sizeof inside);
    /* it allocates nothing: a pending allocation failure is not consumed */
    omreg_testing_fail_alloc_at(1);
    EXPECT(omreg_interpolate(backend, field2, locs, 3, 0, out, inside), OMREG_OK, NULL);
    omreg_testing_fail_alloc_at(0);
    assert_true(inside[0] == 0 || inside[0] == 1);
}

/* ---- omreg_sparse_gradient ---------------------------------------------------- */

static void sparse_gradient_bad_input(void **state)
{
    (void)state;
    const char *fn = "omreg_sparse_gradient";
    double pts[6] = {1, 1, 2, 2.5, 3, 0.5}, out[6];
    int inside[3];
    memset(out, FILL, sizeof out);
    memset(inside, FILL, sizeof inside);
    EXPECT(omreg_sparse_gradient(NULL, scalar2, pts, 3, out, inside), OMREG_EINVAL, fn);
    EXPECT(omreg_sparse_gradient(backend, NULL, pts, 3, out, inside), OMREG_EINVAL, fn);
    EXPECT(omreg_sparse_gradient(backend, scalar2, NULL, 3, out, inside), OMREG_EINVAL, fn);
    EXPECT(omreg_sparse_gradient(backend, scalar2, pts, 3, NULL, inside), OMREG_EINVAL, fn);
    EXPECT(omreg_sparse_gradient(backend, scalar2, pts, 3, out, NULL), OMREG_EINVAL, fn);
    EXPECT(omreg_sparse_gradient(backend, field2, pts, 3, out, inside), OMREG_ESHAPE, fn);
    EXPECT(omreg_sparse_gradient(backend, field3, pts, 2, out, inside), OMREG_ESHAPE, fn);
    EXPECT(omreg_sparse_gradient(backend, scalar3, pts, SIZE_MAX / 3 + 1, out, inside),
           OMREG_EOVERFLOW, fn);
    EXPECT(omreg_sparse_gradient(backend, scalar2, pts, 0, out, inside), OMREG_OK, NULL);
    assert_filled(out, sizeof out);
    assert_filled(inside, sizeof inside);
    omreg_testing_fail_alloc_at(1);
    EXPECT(omreg_sparse_gradient(backend, scalar2, pts, 3, out, inside), OMREG_OK, NULL);
    omreg_testing_fail_alloc_at(0);
    assert_true(inside[0] == 0 || inside[0] == 1);
}

/* ---- omreg_gradient ----------------------------------------------------------- */

static void gradient_bad_input(void **state)
{
    (void)state;
    const char *fn = "omreg_gradient";
    const double g2[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    const double g3[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    omreg_image *field = SENTINEL;
    int *inside = SENTINEL;
    EXPECT(omreg_gradient(NULL, scalar2, shape2, g2, &field, &inside), OMREG_EINVAL, fn);
    EXPECT(omreg_gradient(backend, NULL, shape2, g2, &field, &inside), OMREG_EINVAL, fn);
    EXPECT(omreg_gradient(backend, scalar2, NULL, g2, &field, &inside), OMREG_EINVAL, fn);
    EXPECT(omreg_gradient(backend, scalar2, shape2, NULL, &field, &inside), OMREG_EINVAL, fn);
    EXPECT(omreg_gradient(backend, scalar2, shape2, g2, NULL, &inside), OMREG_EINVAL, fn);
    /* a field has no scalar gradient here */
    EXPECT(omreg_gradient(backend, field2, shape2, g2, &field, &inside), OMREG_ESHAPE, fn);
    EXPECT(omreg_gradient(backend, field3, shape3, g3, &field, &inside), OMREG_ESHAPE, fn);
    /* zero-size and overflowing output grids */
    const size_t z2[2] = {6, 0}, z3[3] = {0, 6, 5}, huge3[3] = {SIZE_MAX / 4, 3, 1};
    const size_t huge2[2] = {(size_t)1 << 31, (size_t)1 << 31};
    EXPECT(omreg_gradient(backend, scalar2, z2, g2, &field, &inside), OMREG_ESHAPE, fn);
    EXPECT(omreg_gradient(backend, scalar3, z3, g3, &field, &inside), OMREG_ESHAPE, fn);
    EXPECT(omreg_gradient(backend, scalar3, huge3, g3, &field, &inside), OMREG_EOVERFLOW, fn);
    EXPECT(omreg_gradient(backend, scalar2, huge2, g2, &field, NULL), OMREG_EOVERFLOW, fn);
    /* bad sampling-grid affines */
    for (int ndim = 2; ndim <= 3; ++ndim) {
        struct bad_affine bad[8];
        size_t nbad = bad_affines(ndim, bad);
        for (size_t k = 0; k < nbad; ++k) {
            omreg_status st = omreg_gradient(backend, ndim == 2 ? scalar2 : scalar3,
                                             ndim == 2 ? shape2 : shape3, bad[k].a, &field,
                                             &inside);
            if (st != bad[k].want)
                fail_msg("%dD out_grid2world %s: got %s, want %s", ndim, bad[k].what,
                         omreg_status_str(st), omreg_status_str(bad[k].want));
            assert_non_null(strstr(omreg_last_error(), "out_grid2world"));
        }
    }
    assert_ptr_equal(field, SENTINEL);
    assert_ptr_equal(inside, SENTINEL);
}

/* ---- omreg_transform_affine ------------------------------------------------------ */

static void transform_affine_bad_input(void **state)
{
    (void)state;
    const char *fn = "omreg_transform_affine";
    omreg_image *out = SENTINEL;
    const double a2[9] = {1, 0, 0.5, 0, 1, 0.5, 0, 0, 1};
    EXPECT(omreg_transform_affine(NULL, scalar2, shape2, a2, 0, &out), OMREG_EINVAL, fn);
    EXPECT(omreg_transform_affine(backend, NULL, shape2, a2, 0, &out), OMREG_EINVAL, fn);
    EXPECT(omreg_transform_affine(backend, scalar2, NULL, a2, 0, &out), OMREG_EINVAL, fn);
    EXPECT(omreg_transform_affine(backend, scalar2, shape2, a2, 0, NULL), OMREG_EINVAL, fn);
    EXPECT(omreg_transform_affine(backend, field2, shape2, a2, 0, &out), OMREG_ESHAPE, fn);
    EXPECT(omreg_transform_affine(backend, field3, shape3, NULL, 1, &out), OMREG_ESHAPE, fn);
    const size_t z2[2] = {0, 5}, z3[3] = {4, 6, 0};
    const size_t huge2[2] = {SIZE_MAX / 8, 2}, huge3[3] = {(size_t)1 << 22, (size_t)1 << 21,
                                                          (size_t)1 << 20};
    EXPECT(omreg_transform_affine(backend, scalar2, z2, a2, 0, &out), OMREG_ESHAPE, fn);
    EXPECT(omreg_transform_affine(backend, scalar3, z3, NULL, 1, &out), OMREG_ESHAPE, fn);
    EXPECT(omreg_transform_affine(backend, scalar2, huge2, a2, 0, &out), OMREG_EOVERFLOW, fn);
    EXPECT(omreg_transform_affine(backend, scalar3, huge3, NULL, 0, &out), OMREG_EOVERFLOW, fn);
    for (int ndim = 2; ndim <= 3; ++ndim) {
        struct bad_affine bad[8];
        size_t nbad = bad_affines(ndim, bad);
        for (size_t k = 0; k < nbad; ++k)
            for (int nearest = 0; nearest < 2; ++nearest) {
                /* a singular matrix is applied as DIPY applies it (the
                 * results are golden in test_golden_foundation) */
                const int singular = strcmp(bad[k].what, "rank deficient") == 0 ||
                                     strcmp(bad[k].what, "zero") == 0;
                const omreg_status want = singular ? OMREG_OK : bad[k].want;
                omreg_status st = omreg_transform_affine(
                    backend, ndim == 2 ? scalar2 : scalar3, ndim == 2 ? shape2 : shape3,
                    bad[k].a, nearest, &out);
                if (st != want)
                    fail_msg("%dD grid_affine %s: got %s, want %s", ndim, bad[k].what,
                             omreg_status_str(st), omreg_status_str(want));
                if (singular) {
                    omreg_image_free(out);
                    out = SENTINEL;
                    continue;
                }
                assert_non_null(strstr(omreg_last_error(), "grid_affine"));
            }
    }
    assert_ptr_equal(out, SENTINEL);
}

/* ---- omreg_image_moments ------------------------------------------------------------ */

static void moments_bad_input(void **state)
{
    (void)state;
    const char *fn = "omreg_image_moments";
    double m[2] = {-7.0, -7.0};
    EXPECT(omreg_image_moments(NULL, scalar2, m), OMREG_EINVAL, fn);
    EXPECT(omreg_image_moments(backend, NULL, m), OMREG_EINVAL, fn);
    EXPECT(omreg_image_moments(backend, scalar2, NULL), OMREG_EINVAL, fn);
    EXPECT(omreg_image_moments(backend, field2, m), OMREG_ESHAPE, fn);
    EXPECT(omreg_image_moments(backend, field3, m), OMREG_ESHAPE, fn);
    assert_true(m[0] == -7.0 && m[1] == -7.0);
}

/* Images cannot be made with a wrong dimensionality or component count,
 * so no entry point ever sees one. */
static void wrong_dimensionality_is_caught_at_creation(void **state)
{
    (void)state;
    omreg_image *img = SENTINEL;
    const size_t s[4] = {3, 3, 3, 3};
    double buf[81];
    EXPECT(omreg_image_create(&img, 1, s, 1, OMREG_F64, NULL), OMREG_ESHAPE, NULL);
    EXPECT(omreg_image_create(&img, 4, s, 1, OMREG_F64, NULL), OMREG_ESHAPE, NULL);
    EXPECT(omreg_image_create(&img, 3, s, 2, OMREG_F64, NULL), OMREG_ESHAPE, NULL);
    EXPECT(omreg_image_wrap(&img, buf, 4, s, 1, OMREG_F64, NULL), OMREG_ESHAPE, NULL);
    EXPECT(omreg_image_wrap(&img, buf, 2, s, 3, OMREG_F64, NULL), OMREG_ESHAPE, NULL);
    assert_ptr_equal(img, SENTINEL);
}

/* ---- allocation failures ------------------------------------------------------------- */

/* Fail the n-th allocation for n = 1, 2, ... until the call succeeds:
 * each failure is OMREG_ENOMEM with outputs untouched. Returns the number
 * of allocations the call makes. */
typedef omreg_status sweep_call_fn(void *ctx);
typedef void sweep_ctx_fn(void *ctx);

static long alloc_sweep(sweep_call_fn *call, sweep_ctx_fn *untouched, sweep_ctx_fn *cleanup,
                        void *ctx)
{
    for (long n = 1; n <= 64; ++n) {
        omreg_testing_fail_alloc_at(n);
        omreg_status st = call(ctx);
        omreg_testing_fail_alloc_at(0);
        if (st == OMREG_OK) {
            cleanup(ctx);
            return n - 1;
        }
        if (st != OMREG_ENOMEM)
            fail_msg("allocation %ld failed: got %s (%s), want OMREG_ENOMEM", n,
                     omreg_status_str(st), omreg_last_error());
        untouched(ctx);
    }
    fail_msg("call still failing after 64 allocation failures");
    return -1;
}

struct grad_ctx {
    omreg_image *img, *field;
    int *inside;
    int want_inside;
};
static omreg_status grad_call(void *c)
{
    struct grad_ctx *x = c;
    const double g2w[16] = {1, 0, 0, 0.5, 0, 1, 0, 0.5, 0, 0, 1, 0.5, 0, 0, 0, 1};
    return omreg_gradient(backend, x->img, shape3, g2w, &x->field,
                          x->want_inside ? &x->inside : NULL);
}
static void grad_untouched(void *c)
{
    struct grad_ctx *x = c;
    assert_ptr_equal(x->field, SENTINEL);
    assert_ptr_equal(x->inside, SENTINEL);
}
static void grad_cleanup(void *c)
{
    struct grad_ctx *x = c;
    assert_ptr_not_equal(x->field, SENTINEL);
    assert_int_equal(omreg_image_ncomp(x->field), 3);
    omreg_image_free(x->field);
    if (x->want_inside) {
        assert_ptr_not_equal(x->inside, SENTINEL);
        free(x->inside);
    } else {
        assert_ptr_equal(x->inside, SENTINEL);
    }
}

struct transform_ctx {
    omreg_image *img, *out;
    int nearest;
};
static omreg_status transform_call(void *c)
{
    struct transform_ctx *x = c;
    const double a[9] = {1, 0.1, 0, -0.1, 1, 0.5, 0, 0, 1};
    const size_t s[2] = {7, 4};
    return omreg_transform_affine(backend, x->img, s, a, x->nearest, &x->out);
}
static void transform_untouched(void *c)
{
    assert_ptr_equal(((struct transform_ctx *)c)->out, SENTINEL);
}
static void transform_cleanup(void *c)
{
    struct transform_ctx *x = c;
    assert_ptr_not_equal(x->out, SENTINEL);
    assert_int_equal(omreg_image_voxels(x->out), 28);
    omreg_image_free(x->out);
}

struct moments_ctx {
    omreg_image *img;
    double m[2];
};
static omreg_status moments_call(void *c)
{
    struct moments_ctx *x = c;
    return omreg_image_moments(backend, x->img, x->m);
}
static void moments_untouched(void *c)
{
    struct moments_ctx *x = c;
    assert_true(x->m[0] == -7.0 && x->m[1] == -7.0);
}
static void moments_cleanup(void *c)
{
    struct moments_ctx *x = c;
    /* scalar3 holds i % 7 for 120 voxels */
    double s = 0, s2 = 0;
    for (size_t i = 0; i < 120; ++i) {
        s += (double)(i % 7);
        s2 += (double)((i % 7) * (i % 7));
    }
    assert_true(x->m[0] == s && x->m[1] == s2);
}

static void allocation_failures(void **state)
{
    (void)state;
    /* gradient: field data, field header, inside flags */
    for (int want_inside = 0; want_inside < 2; ++want_inside) {
        struct grad_ctx g = {scalar3, SENTINEL, SENTINEL, want_inside};
        assert_int_equal(alloc_sweep(grad_call, grad_untouched, grad_cleanup, &g), 3);
    }
    /* transform: output data and header */
    for (int nearest = 0; nearest < 2; ++nearest) {
        struct transform_ctx t = {scalar2, SENTINEL, nearest};
        assert_int_equal(alloc_sweep(transform_call, transform_untouched, transform_cleanup, &t),
                         2);
    }
    /* moments: the block scratch */
    struct moments_ctx m = {scalar3, {-7.0, -7.0}};
    assert_int_equal(alloc_sweep(moments_call, moments_untouched, moments_cleanup, &m), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interpolate_bad_input),
        cmocka_unit_test(sparse_gradient_bad_input),
        cmocka_unit_test(gradient_bad_input),
        cmocka_unit_test(transform_affine_bad_input),
        cmocka_unit_test(moments_bad_input),
        cmocka_unit_test(wrong_dimensionality_is_caught_at_creation),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
