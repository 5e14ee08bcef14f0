/* Unit tests of base/: status names and the thread-local last error, image
 * containers (owning vs borrowed, validation), overflow-checked sizes and
 * the allocation-failure hook, matrix helpers against analytic answers,
 * DIPY's get_direction_and_spacings, the counter RNG's statistics, and the
 * .npy reader/writer (round trips and corrupt files).
 * NaN policy: no computation here is expected to produce NaN; values are
 * compared exactly where the answer is exact and within the named
 * tolerances below otherwise. */
#define _POSIX_C_SOURCE 200809L

#include "omreg_test.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "omreg/image.h"
#include "omreg/matrix.h"
#include "omreg/npy.h"
#include "omreg/random.h"
#include "omreg/status.h"

/* Gauss-Jordan with partial pivoting on a well-conditioned (cond < 10)
 * matrix of size <= 4 loses a few ulps per entry; 1e-13 is ~500 ulps of
 * an O(1) entry, far below any wrong pivot or sign error. */
#define MAT_INV_TOL 1e-13
/* Column norms of R * diag(s) are s * sqrt(sum of squares of a unit
 * column): a few roundings, a relative error of a few ulps (the test's s
 * are exact floats, so DIPY's float32 rounding of the norms adds nothing). */
#define DIRSP_REL_TOL 1e-14
/* Statistical checks: 5 standard deviations (false alarm ~6e-7; the
 * draws are deterministic anyway, so a pass is a pass forever). */
#define N_SIGMA 5.0
#define N_DRAWS 100000

static char sentinel_byte;
#define SENTINEL ((void *)&sentinel_byte)

/* ---- status and last error ------------------------------------------------ */

static void status_names(void **state)
{
    (void)state;
    static const char *const want[OMREG_STATUS_COUNT] = {
        "OMREG_OK",         "OMREG_EINVAL",    "OMREG_ENOMEM",     "OMREG_EOVERFLOW",
        "OMREG_ESHAPE",     "OMREG_ESINGULAR", "OMREG_ENONFINITE", "OMREG_EIO",
        "OMREG_EFORMAT",    "OMREG_EUNSUPPORTED", "OMREG_ECANCELED",
    };
    for (int s = 0; s < OMREG_STATUS_COUNT; ++s) {
        assert_non_null(want[s]); /* a new code must be added to this list */
        assert_string_equal(omreg_status_str((omreg_status)s), want[s]);
    }
    assert_int_equal(OMREG_OK, 0);
    assert_string_equal(omreg_status_str(OMREG_STATUS_COUNT), "unknown status");
    assert_string_equal(omreg_status_str((omreg_status)-1), "unknown status");
    assert_string_equal(omreg_status_str((omreg_status)1000), "unknown status");
}

static void *fail_in_other_thread(void *arg)
{
    (void)arg;
    omreg_image *img = NULL;
    size_t shape[2] = {2, 2};
    omreg_status st = omreg_image_create(&img, 7, shape, 1, OMREG_F64, NULL);
    return st == OMREG_ESHAPE && strstr(omreg_last_error(), "ndim 7") != NULL ? SENTINEL : NULL;
}

static void last_error_messages(void **state)
{
    (void)state;
    omreg_clear_error();
    assert_string_equal(omreg_last_error(), "");

    omreg_image *img = SENTINEL;
    size_t shape[3] = {4, 5, 6};
    assert_int_equal(omreg_image_create(&img, 4, shape, 1, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_non_null(strstr(omreg_last_error(), "ndim 4"));
    assert_ptr_equal(img, SENTINEL);

    /* the next failure overwrites the message */
    size_t zero[3] = {4, 0, 6};
    assert_int_equal(omreg_image_create(&img, 3, zero, 1, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_non_null(strstr(omreg_last_error(), "axis 1 has size 0"));
    assert_null(strstr(omreg_last_error(), "ndim"));

    omreg_npy arr;
    assert_int_equal(omreg_npy_read("/nonexistent/omreg/x.npy", &arr), OMREG_EIO);
    assert_non_null(strstr(omreg_last_error(), "/nonexistent/omreg/x.npy"));

    /* thread-local: a failure on another thread leaves ours alone */
    pthread_t t;
    void *ok = NULL;
    assert_int_equal(pthread_create(&t, NULL, fail_in_other_thread, NULL), 0);
    assert_int_equal(pthread_join(t, &ok), 0);
    assert_ptr_equal(ok, SENTINEL);
    assert_non_null(strstr(omreg_last_error(), "/nonexistent/omreg/x.npy"));

    /* a long message is truncated, not overflowed */
    char longpath[2000];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    assert_int_equal(omreg_npy_read(longpath, &arr), OMREG_EIO);
    assert_true(strlen(omreg_last_error()) > 0 && strlen(omreg_last_error()) < sizeof longpath);

    omreg_clear_error();
    assert_string_equal(omreg_last_error(), "");
}

/* ---- images ---------------------------------------------------------------- */

static void dtype_sizes(void **state)
{
    (void)state;
    assert_int_equal(omreg_dtype_size(OMREG_F32), sizeof(float));
    assert_int_equal(omreg_dtype_size(OMREG_F64), sizeof(double));
}

static void image_create_owning(void **state)
{
    (void)state;
    const double g2w[9] = {2, 0, 1, 0, 3, -1, 0, 0, 1};
    size_t shape2[2] = {4, 7};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 2, shape2, 2, OMREG_F32, g2w), OMREG_OK);
    assert_non_null(img);
    assert_true(omreg_image_owns_data(img));
    assert_int_equal(omreg_image_ndim(img), 2);
    assert_int_equal(omreg_image_ncomp(img), 2);
    assert_int_equal(omreg_image_dtype(img), OMREG_F32);
    const size_t *s = omreg_image_shape(img);
    assert_int_equal(s[0], 4);
    assert_int_equal(s[1], 7);
    assert_int_equal(s[2], 1); /* padding past ndim */
    assert_int_equal(omreg_image_voxels(img), 28);
    assert_memory_equal(omreg_image_grid2world(img), g2w, sizeof g2w);
    assert_ptr_equal(omreg_image_cdata(img), omreg_image_data(img));
    /* zero-filled, and every one of voxels * ncomp floats is writable */
    float *d = omreg_image_data(img);
    for (size_t i = 0; i < 28 * 2; ++i) {
        assert_true(d[i] == 0.0f);
        d[i] = (float)i;
    }
    omreg_image_free(img);

    size_t shape3[3] = {3, 5, 2};
    assert_int_equal(omreg_image_create(&img, 3, shape3, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_voxels(img), 30);
    assert_int_equal(omreg_image_ncomp(img), 1);
    assert_int_equal(omreg_image_shape(img)[2], 2);
    double eye[16];
    omreg_mat_identity(4, eye);
    assert_memory_equal(omreg_image_grid2world(img), eye, sizeof eye);
    double *v = omreg_image_data(img);
    for (size_t i = 0; i < 30; ++i)
        assert_true(v[i] == 0.0);
    omreg_image_free(img);
}

static void image_wrap_borrowed(void **state)
{
    (void)state;
    /* a stack buffer: freeing it by mistake would abort the test */
    double buf[2 * 3 * 4 * 3];
    for (size_t i = 0; i < sizeof buf / sizeof buf[0]; ++i)
        buf[i] = (double)i;
    size_t shape[3] = {2, 3, 4};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_wrap(&img, buf, 3, shape, 3, OMREG_F64, NULL), OMREG_OK);
    assert_false(omreg_image_owns_data(img));
    assert_ptr_equal(omreg_image_data(img), buf);
    assert_int_equal(omreg_image_voxels(img), 24);
    assert_int_equal(omreg_image_ncomp(img), 3);
    omreg_image_free(img);
    for (size_t i = 0; i < sizeof buf / sizeof buf[0]; ++i)
        assert_true(buf[i] == (double)i);

    img = SENTINEL;
    assert_int_equal(omreg_image_wrap(&img, NULL, 3, shape, 1, OMREG_F64, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_image_wrap(NULL, buf, 3, shape, 1, OMREG_F64, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_image_wrap(&img, buf, 3, shape, 2, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_ptr_equal(img, SENTINEL);

    omreg_image_free(NULL); /* no-op */
}

static void image_create_validation(void **state)
{
    (void)state;
    omreg_image *img = SENTINEL;
    size_t shape[3] = {4, 5, 6};
    const double nan_g2w[9] = {1, 0, 0, 0, NAN, 0, 0, 0, 1};
    const double inf_g2w[9] = {1, 0, INFINITY, 0, 1, 0, 0, 0, 1};
    const double notaff_g2w[9] = {1, 0, 0, 0, 1, 0, 0, 1, 1};
    const double sing_g2w[9] = {1, 2, 0, 2, 4, 0, 0, 0, 1};
    size_t huge[3] = {SIZE_MAX / 2, 3, 1};
    size_t huge2[2] = {(size_t)1 << 40, (size_t)1 << 30};

    assert_int_equal(omreg_image_create(NULL, 3, shape, 1, OMREG_F64, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_image_create(&img, 3, NULL, 1, OMREG_F64, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_image_create(&img, 3, shape, 1, (omreg_dtype)7, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_image_create(&img, 1, shape, 1, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_int_equal(omreg_image_create(&img, 4, shape, 1, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_int_equal(omreg_image_create(&img, 0, shape, 1, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_int_equal(omreg_image_create(&img, 3, shape, 2, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_int_equal(omreg_image_create(&img, 3, shape, 0, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_int_equal(omreg_image_create(&img, 2, shape, 3, OMREG_F64, NULL), OMREG_ESHAPE);
    size_t zero0[3] = {0, 5, 6}, zero2[3] = {4, 5, 0};
    assert_int_equal(omreg_image_create(&img, 3, zero0, 1, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_int_equal(omreg_image_create(&img, 3, zero2, 1, OMREG_F64, NULL), OMREG_ESHAPE);
    assert_int_equal(omreg_image_create(&img, 3, huge, 1, OMREG_F64, NULL), OMREG_EOVERFLOW);
    assert_int_equal(omreg_image_create(&img, 2, huge2, 2, OMREG_F32, NULL), OMREG_EOVERFLOW);
    assert_int_equal(omreg_image_create(&img, 2, shape, 1, OMREG_F64, nan_g2w), OMREG_ENONFINITE);
    assert_int_equal(omreg_image_create(&img, 2, shape, 1, OMREG_F64, inf_g2w), OMREG_ENONFINITE);
    assert_int_equal(omreg_image_create(&img, 2, shape, 1, OMREG_F64, notaff_g2w),
                     OMREG_ESINGULAR);
    assert_int_equal(omreg_image_create(&img, 2, shape, 1, OMREG_F64, sing_g2w), OMREG_ESINGULAR);
    assert_ptr_equal(img, SENTINEL);
}

static void image_set_grid2world(void **state)
{
    (void)state;
    size_t shape[2] = {3, 3};
    omreg_image *img = NULL;
    const double g0[9] = {1, 0, 5, 0, 2, 6, 0, 0, 1};
    const double g1[9] = {0, -1, 1, 1, 0, 2, 0, 0, 1};
    assert_int_equal(omreg_image_create(&img, 2, shape, 1, OMREG_F64, g0), OMREG_OK);
    const double bad_nan[9] = {0, -1, 1, 1, 0, NAN, 0, 0, 1};
    const double bad_row[9] = {0, -1, 1, 1, 0, 2, 0, 0, 2};
    const double bad_sing[9] = {1, 1, 1, 1, 1, 2, 0, 0, 1};
    assert_int_equal(omreg_image_set_grid2world(NULL, g1), OMREG_EINVAL);
    assert_int_equal(omreg_image_set_grid2world(img, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_image_set_grid2world(img, bad_nan), OMREG_ENONFINITE);
    assert_int_equal(omreg_image_set_grid2world(img, bad_row), OMREG_ESINGULAR);
    assert_int_equal(omreg_image_set_grid2world(img, bad_sing), OMREG_ESINGULAR);
    assert_memory_equal(omreg_image_grid2world(img), g0, sizeof g0); /* unchanged */
    assert_int_equal(omreg_image_set_grid2world(img, g1), OMREG_OK);
    assert_memory_equal(omreg_image_grid2world(img), g1, sizeof g1);
    omreg_image_free(img);
}

/* ---- sizes and allocation -------------------------------------------------- */

static void size_mul_overflow(void **state)
{
    (void)state;
    size_t r = 12345;
    assert_int_equal(omreg_size_mul(&r, 3, 5), OMREG_OK);
    assert_int_equal(r, 15);
    assert_int_equal(omreg_size_mul(&r, 0, SIZE_MAX), OMREG_OK);
    assert_int_equal(r, 0);
    assert_int_equal(omreg_size_mul(&r, SIZE_MAX, 0), OMREG_OK);
    assert_int_equal(r, 0);
    assert_int_equal(omreg_size_mul(&r, SIZE_MAX, 1), OMREG_OK);
    assert_true(r == SIZE_MAX);
    assert_int_equal(omreg_size_mul(&r, SIZE_MAX / 2, 2), OMREG_OK);
    assert_true(r == SIZE_MAX - 1);
    r = 777;
    assert_int_equal(omreg_size_mul(&r, SIZE_MAX / 2 + 1, 2), OMREG_EOVERFLOW);
    assert_int_equal(omreg_size_mul(&r, 2, SIZE_MAX / 2 + 1), OMREG_EOVERFLOW);
    assert_int_equal(omreg_size_mul(&r, SIZE_MAX, SIZE_MAX), OMREG_EOVERFLOW);
    assert_int_equal(r, 777); /* untouched */
    assert_non_null(strstr(omreg_last_error(), "overflows"));
}

static void calloc_hook(void **state)
{
    (void)state;
    void *q = NULL;
    /* overflow is reported before the hook counts, and stays distinguishable
     * from out-of-memory through omreg_calloc_failure() */
    assert_null(omreg_calloc(SIZE_MAX, 2, "x"));
    assert_int_equal(omreg_calloc_failure(), OMREG_EOVERFLOW);
    assert_non_null(strstr(omreg_last_error(), "overflows"));

    omreg_testing_fail_alloc_at(1);
    assert_null(omreg_calloc(4, 8, "first buffer"));
    assert_int_equal(omreg_calloc_failure(), OMREG_ENOMEM);
    assert_non_null(strstr(omreg_last_error(), "first buffer"));
    q = omreg_calloc(4, 8, "next"); /* only the n-th fails */
    assert_non_null(q);
    free(q);

    omreg_testing_fail_alloc_at(2);
    q = omreg_calloc(1, 1, "a");
    assert_non_null(q);
    assert_null(omreg_calloc(1, 1, "b"));
    assert_int_equal(omreg_calloc_failure(), OMREG_ENOMEM);
    free(q);

    assert_null(omreg_calloc(SIZE_MAX, SIZE_MAX, "y")); /* the status follows the last failure */
    assert_int_equal(omreg_calloc_failure(), OMREG_EOVERFLOW);

    omreg_testing_fail_alloc_at(1);
    omreg_testing_fail_alloc_at(0); /* disables */
    q = omreg_calloc(0, 8, "empty"); /* zero bytes: valid pointer */
    assert_non_null(q);
    free(q);
    omreg_testing_fail_alloc_at(-3); /* negative also disables */
    q = omreg_calloc(2, 8, "c");
    assert_non_null(q);
    free(q);
}

/* Fail the n-th allocation of `call` for n = 1, 2, ... until it succeeds;
 * every failing run must return OMREG_ENOMEM with outputs untouched
 * (`untouched`) and, as Valgrind checks, free what it had allocated.
 * Returns the number of allocations the call makes. */
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
        assert_non_null(strstr(omreg_last_error(), "out of memory"));
        untouched(ctx);
    }
    fail_msg("call still failing after 64 allocation failures");
    return -1;
}

struct image_ctx {
    omreg_image *img;
    int wrap;
    double buf[24];
};

static omreg_status image_call(void *c)
{
    struct image_ctx *x = c;
    size_t shape[3] = {2, 3, 4};
    const double g2w[16] = {1, 0, 0, 1, 0, 2, 0, 2, 0, 0, 3, 3, 0, 0, 0, 1};
    return x->wrap ? omreg_image_wrap(&x->img, x->buf, 3, shape, 1, OMREG_F64, g2w)
                   : omreg_image_create(&x->img, 3, shape, 1, OMREG_F64, g2w);
}
static void image_untouched(void *c) { assert_ptr_equal(((struct image_ctx *)c)->img, SENTINEL); }
static void image_cleanup(void *c)
{
    struct image_ctx *x = c;
    assert_ptr_not_equal(x->img, SENTINEL);
    assert_int_equal(omreg_image_voxels(x->img), 24);
    omreg_image_free(x->img);
}

static void image_alloc_failures(void **state)
{
    (void)state;
    struct image_ctx c = {.img = SENTINEL, .wrap = 0};
    assert_int_equal(alloc_sweep(image_call, image_untouched, image_cleanup, &c), 2);
    c.img = SENTINEL;
    c.wrap = 1;
    assert_int_equal(alloc_sweep(image_call, image_untouched, image_cleanup, &c), 1);
}

/* ---- matrices -------------------------------------------------------------- */

static double max_abs_diff(int n, const double *a, const double *b)
{
    double m = 0.0;
    for (int i = 0; i < n * n; ++i)
        m = fmax(m, fabs(a[i] - b[i]));
    return m;
}

/* rotation by t about axis `axis` (0, 1, 2) as a 3x3 row-major matrix */
static void rotation3(int axis, double t, double r[9])
{
    int a = (axis + 1) % 3, b = (axis + 2) % 3;
    omreg_mat_identity(3, r);
    r[a * 3 + a] = cos(t);
    r[a * 3 + b] = -sin(t);
    r[b * 3 + a] = sin(t);
    r[b * 3 + b] = cos(t);
}

static void mat_inverse_analytic(void **state)
{
    (void)state;
    double inv[16], want[16];
    /* 2D rotation: inverse = transpose */
    const double t = 0.7;
    const double r2[4] = {cos(t), -sin(t), sin(t), cos(t)};
    const double r2t[4] = {cos(t), sin(t), -sin(t), cos(t)};
    assert_int_equal(omreg_mat_inverse(2, r2, inv), OMREG_OK);
    assert_true(max_abs_diff(2, inv, r2t) <= MAT_INV_TOL);

    /* 3D rotation (two axes composed): inverse = transpose */
    double ra[9], rb[9], r3[9], r3t[9];
    rotation3(0, 0.4, ra);
    rotation3(2, -1.1, rb);
    omreg_mat_mul(3, ra, rb, r3);
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            r3t[j * 3 + i] = r3[i * 3 + j];
    assert_int_equal(omreg_mat_inverse(3, r3, inv), OMREG_OK);
    assert_true(max_abs_diff(3, inv, r3t) <= MAT_INV_TOL);

    /* homogeneous rigid [R t; 0 1]: inverse [R^T, -R^T t; 0 1] */
    const double tr[3] = {3.0, -2.0, 0.5};
    double h[16], hinv[16];
    omreg_mat_identity(4, h);
    omreg_mat_identity(4, hinv);
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j) {
            h[i * 4 + j] = r3[i * 3 + j];
            hinv[i * 4 + j] = r3t[i * 3 + j];
        }
        h[i * 4 + 3] = tr[i];
        hinv[i * 4 + 3] = -(r3t[i * 3 + 0] * tr[0] + r3t[i * 3 + 1] * tr[1] +
                            r3t[i * 3 + 2] * tr[2]);
    }
    assert_int_equal(omreg_mat_inverse(4, h, inv), OMREG_OK);
    assert_true(max_abs_diff(4, inv, hinv) <= MAT_INV_TOL);
    assert_true(inv[12] == 0.0 && inv[13] == 0.0 && inv[14] == 0.0 && inv[15] == 1.0);

    /* diagonal: each entry's reciprocal, correctly rounded (one division) */
    const double d[16] = {3, 0, 0, 0, 0, -7, 0, 0, 0, 0, 0.1, 0, 0, 0, 0, 256};
    omreg_mat_identity(4, want);
    want[0] = 1.0 / 3.0;
    want[5] = 1.0 / -7.0;
    want[10] = 1.0 / 0.1;
    want[15] = 1.0 / 256.0;
    assert_int_equal(omreg_mat_inverse(4, d, inv), OMREG_OK);
    for (int i = 0; i < 16; ++i) /* == so that -0.0 (0 / -7) counts as 0 */
        assert_true(inv[i] == want[i]);

    /* 1x1, and aliasing a == inv */
    double one[1] = {4.0};
    assert_int_equal(omreg_mat_inverse(1, one, one), OMREG_OK);
    assert_true(one[0] == 0.25);
    double al[4] = {0, 2, 4, 0}; /* needs a row swap */
    assert_int_equal(omreg_mat_inverse(2, al, al), OMREG_OK);
    const double al_inv[4] = {0, 0.25, 0.5, 0};
    for (int i = 0; i < 4; ++i)
        assert_true(al[i] == al_inv[i]);
}

static void mat_inverse_random(void **state)
{
    (void)state;
    /* A = 4 I + U(-1, 1): diagonally dominant, condition number < 10 */
    for (int n = 1; n <= 4; ++n)
        for (uint64_t trial = 0; trial < 200; ++trial) {
            double a[16], inv[16], prod[16], eye[16];
            for (int i = 0; i < n * n; ++i)
                a[i] = 2.0 * omreg_random_uniform(1000 + (uint64_t)n, trial * 16 + (uint64_t)i) -
                       1.0;
            for (int i = 0; i < n; ++i)
                a[i * n + i] += 4.0;
            assert_int_equal(omreg_mat_inverse(n, a, inv), OMREG_OK);
            omreg_mat_identity(n, eye);
            omreg_mat_mul(n, a, inv, prod);
            if (max_abs_diff(n, prod, eye) > MAT_INV_TOL)
                fail_msg("n=%d trial %d: |A inv(A) - I| = %g", n, (int)trial,
                         max_abs_diff(n, prod, eye));
            omreg_mat_mul(n, inv, a, prod);
            assert_true(max_abs_diff(n, prod, eye) <= MAT_INV_TOL);
        }
}

static void mat_inverse_failures(void **state)
{
    (void)state;
    double inv[16];
    for (int i = 0; i < 16; ++i)
        inv[i] = -42.0;
    const double rankdef[9] = {1, 2, 3, 2, 4, 6, 0, 1, 1};
    const double zero[4] = {0, 0, 0, 0};
    const double near[4] = {1, 1, 1, 1 + 1e-14};
    const double nan3[9] = {1, 0, 0, 0, NAN, 0, 0, 0, 1};
    const double inf2[4] = {1, -INFINITY, 0, 1};
    const double tiny[1] = {1e-320}; /* above the relative pivot threshold; 1/x overflows */
    assert_int_equal(omreg_mat_inverse(3, rankdef, inv), OMREG_ESINGULAR);
    assert_non_null(strstr(omreg_last_error(), "singular"));
    assert_int_equal(omreg_mat_inverse(2, zero, inv), OMREG_ESINGULAR);
    assert_int_equal(omreg_mat_inverse(2, near, inv), OMREG_ESINGULAR);
    assert_int_equal(omreg_mat_inverse(1, tiny, inv), OMREG_ESINGULAR);
    assert_int_equal(omreg_mat_inverse(3, nan3, inv), OMREG_ENONFINITE);
    assert_int_equal(omreg_mat_inverse(2, inf2, inv), OMREG_ENONFINITE);
    assert_int_equal(omreg_mat_inverse(0, zero, inv), OMREG_EINVAL);
    assert_int_equal(omreg_mat_inverse(5, zero, inv), OMREG_EINVAL);
    for (int i = 0; i < 16; ++i)
        assert_true(inv[i] == -42.0); /* untouched */
}

static void mat_mul_and_validity(void **state)
{
    (void)state;
    const double a[4] = {1, 2, 3, 4}, b[4] = {5, 6, 7, 8};
    const double ab[4] = {19, 22, 43, 50}, ba[4] = {23, 34, 31, 46};
    double c[4], a2[4];
    omreg_mat_mul(2, a, b, c);
    assert_memory_equal(c, ab, sizeof ab);
    omreg_mat_mul(2, b, a, c);
    assert_memory_equal(c, ba, sizeof ba);
    memcpy(a2, a, sizeof a);
    omreg_mat_mul(2, a2, b, a2); /* c aliases a */
    assert_memory_equal(a2, ab, sizeof ab);
    memcpy(a2, b, sizeof b);
    omreg_mat_mul(2, a, a2, a2); /* c aliases b */
    assert_memory_equal(a2, ab, sizeof ab);
    double eye[9], m3[9], p[9];
    omreg_mat_identity(3, eye);
    rotation3(1, 0.3, m3);
    omreg_mat_mul(3, eye, m3, p);
    assert_memory_equal(p, m3, sizeof p);

    double g3[16];
    omreg_mat_identity(4, g3);
    assert_true(omreg_affine_is_valid(3, g3));
    g3[3] = 1e300;
    assert_true(omreg_affine_is_valid(3, g3));
    g3[14] = 1e-300; /* last row must be exactly (0, 0, 0, 1) */
    assert_false(omreg_affine_is_valid(3, g3));
    g3[14] = 0.0;
    g3[15] = 2.0;
    assert_false(omreg_affine_is_valid(3, g3));
    g3[15] = 1.0;
    g3[5] = NAN;
    assert_false(omreg_affine_is_valid(3, g3));
    assert_false(omreg_mat_is_finite(4, g3));
    g3[5] = INFINITY;
    assert_false(omreg_affine_is_valid(3, g3));
    const double g2[9] = {0, 0, 0, 0, 0, 0, 0, 0, 1}; /* singular but affine */
    assert_true(omreg_affine_is_valid(2, g2));
    const double g2bad[9] = {1, 0, 0, 0, 1, 0, 1, 0, 1};
    assert_false(omreg_affine_is_valid(2, g2bad));
    assert_true(omreg_mat_is_finite(3, g2bad));
}

static void direction_and_spacings(void **state)
{
    (void)state;
    double dir[9], sp[3];
    /* 3D: A = [R diag(s) | t] -> direction R, spacings s */
    double ra[9], rb[9], r[9];
    rotation3(1, 0.9, ra);
    rotation3(0, -0.35, rb);
    omreg_mat_mul(3, ra, rb, r);
    const double s[3] = {0.5, 2.0, 3.25}, t[3] = {10, -20, 5};
    double a[16];
    omreg_mat_identity(4, a);
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j)
            a[i * 4 + j] = r[i * 3 + j] * s[j];
        a[i * 4 + 3] = t[i];
    }
    assert_int_equal(omreg_get_direction_and_spacings(3, a, dir, sp), OMREG_OK);
    for (int c = 0; c < 3; ++c)
        assert_true(fabs(sp[c] - s[c]) <= DIRSP_REL_TOL * s[c]);
    assert_true(max_abs_diff(3, dir, r) <= DIRSP_REL_TOL);

    /* 2D with a flip: the direction keeps the sign */
    /* powers of two: every step is exact */
    const double a2[9] = {0, -4, 1, 0.5, 0, 2, 0, 0, 1};
    const double dir2[4] = {0, -1, 1, 0}, sp2[2] = {0.5, 4};
    assert_int_equal(omreg_get_direction_and_spacings(2, a2, dir, sp), OMREG_OK);
    assert_memory_equal(dir, dir2, sizeof dir2);
    assert_memory_equal(sp, sp2, sizeof sp2);

    /* DIPY reads the spacings back from a NIfTI header (float32 pixdim):
     * a non-float spacing comes back rounded to float */
    const double d2[9] = {0.1, 0, 0, 0, 3.3, 0, 0, 0, 1};
    assert_int_equal(omreg_get_direction_and_spacings(2, d2, dir, sp), OMREG_OK);
    assert_true(sp[0] == (double)(float)0.1 && sp[1] == (double)(float)3.3);
    assert_true(sp[0] != 0.1 && sp[1] != 3.3);

    /* NULL: identity and ones */
    const double eye2[4] = {1, 0, 0, 1}, ones[2] = {1, 1};
    assert_int_equal(omreg_get_direction_and_spacings(2, NULL, dir, sp), OMREG_OK);
    assert_memory_equal(dir, eye2, sizeof eye2);
    assert_memory_equal(sp, ones, sizeof ones);

    /* failures leave the outputs alone */
    for (int i = 0; i < 9; ++i)
        dir[i] = -1.0;
    sp[0] = sp[1] = sp[2] = -1.0;
    const double zcol[9] = {1, 0, 0, 2, 0, 0, 0, 0, 1};
    const double nan2[9] = {1, 0, NAN, 0, 1, 0, 0, 0, 1};
    const double big[9] = {1e200, 0, 0, 1e200, 1, 0, 0, 0, 1};
    assert_int_equal(omreg_get_direction_and_spacings(2, zcol, dir, sp), OMREG_ESINGULAR);
    assert_int_equal(omreg_get_direction_and_spacings(2, nan2, dir, sp), OMREG_ENONFINITE);
    assert_int_equal(omreg_get_direction_and_spacings(2, big, dir, sp), OMREG_ENONFINITE);
    assert_int_equal(omreg_get_direction_and_spacings(0, a2, dir, sp), OMREG_EINVAL);
    assert_int_equal(omreg_get_direction_and_spacings(4, a2, dir, sp), OMREG_EINVAL);
    for (int i = 0; i < 9; ++i)
        assert_true(dir[i] == -1.0);
    assert_true(sp[0] == -1.0 && sp[1] == -1.0 && sp[2] == -1.0);
}

/* ---- counter-based random numbers ------------------------------------------ */

static void random_is_a_function_of_seed_and_index(void **state)
{
    (void)state;
    size_t same_seed_collisions = 0, same_index_collisions = 0;
    for (uint64_t i = 0; i < 1000; ++i) {
        assert_true(omreg_random_u64(7, i) == omreg_random_u64(7, i));
        double u = omreg_random_uniform(7, i), g = omreg_random_normal(7, i);
        assert_memory_equal(&u, &(double){omreg_random_uniform(7, i)}, sizeof u);
        assert_memory_equal(&g, &(double){omreg_random_normal(7, i)}, sizeof g);
        same_seed_collisions += omreg_random_u64(7, i) == omreg_random_u64(7, i + 1);
        same_index_collisions += omreg_random_u64(7, i) == omreg_random_u64(8, i);
        /* uniform uses the top 53 bits */
        assert_true(u == (double)(omreg_random_u64(7, i) >> 11) * 0x1.0p-53);
    }
    assert_int_equal(same_seed_collisions, 0);
    assert_int_equal(same_index_collisions, 0);
    /* a different seed gives a different stream, not a shifted one */
    size_t shifted = 0;
    for (uint64_t i = 0; i < 1000; ++i)
        for (uint64_t k = 1; k < 4; ++k)
            shifted += omreg_random_u64(1, i) == omreg_random_u64(2, i + k);
    assert_int_equal(shifted, 0);
}

static void random_uniform_statistics(void **state)
{
    (void)state;
    double sum = 0.0, sumsq = 0.0, lo = 1.0, hi = 0.0;
    size_t bits[64] = {0};
    for (uint64_t i = 0; i < N_DRAWS; ++i) {
        double u = omreg_random_uniform(12345, i);
        assert_true(u >= 0.0 && u < 1.0);
        lo = fmin(lo, u);
        hi = fmax(hi, u);
        sum += u;
        sumsq += u * u;
        uint64_t r = omreg_random_u64(12345, i);
        for (int b = 0; b < 64; ++b)
            bits[b] += (r >> b) & 1u;
    }
    const double n = N_DRAWS, mean = sum / n, var = sumsq / n - mean * mean;
    /* mean of U(0,1): 1/2, sd sqrt(1/12 / n); variance 1/12 with
     * sd sqrt((mu4 - sigma^4) / n), mu4 = 1/80 */
    assert_true(fabs(mean - 0.5) <= N_SIGMA * sqrt(1.0 / 12.0 / n));
    assert_true(fabs(var - 1.0 / 12.0) <= N_SIGMA * sqrt((1.0 / 80.0 - 1.0 / 144.0) / n));
    assert_true(lo < 1e-3 && hi > 1.0 - 1e-3);
    /* every output bit is set half the time (Bernoulli sd sqrt(n/4)) */
    for (int b = 0; b < 64; ++b)
        assert_true(fabs((double)bits[b] - n / 2) <= N_SIGMA * sqrt(n / 4));
}

static void random_normal_statistics(void **state)
{
    (void)state;
    double sum = 0.0, sumsq = 0.0;
    size_t beyond2 = 0;
    for (uint64_t i = 0; i < N_DRAWS; ++i) {
        double g = omreg_random_normal(99, i);
        assert_true(isfinite(g));
        sum += g;
        sumsq += g * g;
        beyond2 += fabs(g) > 2.0;
    }
    const double n = N_DRAWS, mean = sum / n, var = sumsq / n - mean * mean;
    /* N(0,1): mean sd 1/sqrt(n); variance sd sqrt(2/n) (mu4 = 3) */
    assert_true(fabs(mean) <= N_SIGMA * sqrt(1.0 / n));
    assert_true(fabs(var - 1.0) <= N_SIGMA * sqrt(2.0 / n));
    /* P(|g| > 2) = 0.0455003 (erfc(sqrt 2)) */
    const double p = erfc(sqrt(2.0));
    assert_true(fabs((double)beyond2 - n * p) <= N_SIGMA * sqrt(n * p * (1 - p)));
}

/* ---- .npy ------------------------------------------------------------------ */

static char tmpdir[256];

static int npy_setup(void **state)
{
    (void)state;
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/omreg_unit_core_XXXXXX", base && *base ? base : "/tmp");
    return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int npy_teardown(void **state)
{
    (void)state;
    return rmdir(tmpdir);
}

static const char *tmp_path(const char *name)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    return path;
}

static void write_bytes(const char *path, const void *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static void npy_round_trip(void **state)
{
    (void)state;
    static const struct {
        omreg_npy_type type;
        size_t size;
    } types[] = {{OMREG_NPY_F64, 8}, {OMREG_NPY_F32, 4}, {OMREG_NPY_I32, 4},
                 {OMREG_NPY_I64, 8}, {OMREG_NPY_U8, 1}};
    static const struct {
        int ndim;
        size_t shape[4];
    } shapes[] = {{0, {0}}, {1, {1}}, {1, {7}}, {2, {3, 5}}, {3, {2, 3, 4}}, {4, {2, 1, 3, 2}},
                  {2, {0, 3}}};
    unsigned char data[256], want[256];
    for (size_t t = 0; t < sizeof types / sizeof types[0]; ++t)
        for (size_t s = 0; s < sizeof shapes / sizeof shapes[0]; ++s) {
            size_t count = 1;
            for (int d = 0; d < shapes[s].ndim; ++d)
                count *= shapes[s].shape[d];
            size_t bytes = count * types[t].size;
            for (size_t i = 0; i < bytes; ++i)
                want[i] = (unsigned char)omreg_random_u64(t * 100 + s, i);
            memcpy(data, want, bytes);
            const char *path = tmp_path("rt.npy");
            assert_int_equal(omreg_npy_write(path, types[t].type, shapes[s].ndim, shapes[s].shape,
                                             data),
                             OMREG_OK);
            /* numpy's format 1.0: magic, version, header length, a header
             * padded so the data starts at a multiple of 64, ending '\n' */
            FILE *f = fopen(path, "rb");
            assert_non_null(f);
            unsigned char pre[10];
            assert_int_equal(fread(pre, 1, 10, f), 10);
            fclose(f);
            assert_memory_equal(pre, "\x93NUMPY\x01\x00", 8);
            size_t hlen = (size_t)pre[8] | ((size_t)pre[9] << 8);
            assert_int_equal((10 + hlen) % 64, 0);

            omreg_npy arr;
            assert_int_equal(omreg_npy_read(path, &arr), OMREG_OK);
            assert_int_equal(arr.type, types[t].type);
            assert_int_equal(arr.ndim, shapes[s].ndim);
            assert_int_equal(arr.count, count);
            assert_int_equal(arr.elem_size, types[t].size);
            for (int d = 0; d < arr.ndim; ++d)
                assert_int_equal(arr.shape[d], shapes[s].shape[d]);
            assert_non_null(arr.data);
            if (bytes)
                assert_memory_equal(arr.data, want, bytes);
            omreg_npy_free(&arr);
            assert_null(arr.data);
            assert_int_equal(remove(path), 0);
        }
    omreg_npy_free(NULL); /* no-op */
}

/* An npy file with the given header dict (format 1.0) followed by
 * data_bytes bytes of data. */
static void write_npy_raw(const char *path, const char *dict, size_t data_bytes)
{
    unsigned char buf[1024] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    size_t n = strlen(dict);
    size_t hlen = n + 1;
    buf[8] = (unsigned char)(hlen & 0xff);
    buf[9] = (unsigned char)(hlen >> 8);
    memcpy(buf + 10, dict, n);
    buf[10 + n] = '\n';
    for (size_t i = 0; i < data_bytes; ++i)
        buf[11 + n + i] = (unsigned char)i;
    write_bytes(path, buf, 11 + n + data_bytes);
}

static void npy_format_variants(void **state)
{
    (void)state;
    const char *path = tmp_path("v.npy");
    omreg_npy arr;
    /* format 2.0: four-byte header length */
    const char dict[] = "{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }\n";
    unsigned char buf[128] = {0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0};
    size_t hlen = sizeof dict - 1;
    buf[8] = (unsigned char)hlen;
    memcpy(buf + 12, dict, hlen);
    const int vals[2] = {-5, 1 << 20};
    memcpy(buf + 12 + hlen, vals, sizeof vals);
    write_bytes(path, buf, 12 + hlen + sizeof vals);
    assert_int_equal(omreg_npy_read(path, &arr), OMREG_OK);
    assert_int_equal(arr.type, OMREG_NPY_I32);
    assert_int_equal(arr.ndim, 1);
    assert_int_equal(arr.shape[0], 2);
    assert_memory_equal(arr.data, vals, sizeof vals);
    omreg_npy_free(&arr);

    /* key order and spacing as other writers emit them */
    write_npy_raw(path, "{'shape': (2, 1), 'fortran_order': False, 'descr': '<f4'}", 8);
    assert_int_equal(omreg_npy_read(path, &arr), OMREG_OK);
    assert_int_equal(arr.type, OMREG_NPY_F32);
    assert_int_equal(arr.ndim, 2);
    assert_int_equal(arr.count, 2);
    omreg_npy_free(&arr);
    assert_int_equal(remove(path), 0);
}

static void npy_corrupt_files(void **state)
{
    (void)state;
    const char *path = tmp_path("bad.npy");
    omreg_npy arr;
    static const struct {
        const char *dict;
        size_t data;
        omreg_status want;
    } cases[] = {
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 24, OMREG_OK},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 23, OMREG_EFORMAT},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (3,), }", 0, OMREG_EFORMAT},
        {"{'descr': '<f8', 'fortran_order': True, 'shape': (3,), }", 24, OMREG_EFORMAT},
        {"{'descr': '>f8', 'fortran_order': False, 'shape': (3,), }", 24, OMREG_EFORMAT},
        {"{'descr': '<c16', 'fortran_order': False, 'shape': (3,), }", 48, OMREG_EFORMAT},
        {"{'descr': '<f8x', 'fortran_order': False, 'shape': (3,), }", 24, OMREG_EFORMAT},
        {"{'fortran_order': False, 'shape': (3,), }", 24, OMREG_EFORMAT},
        {"{'descr': '<f8', 'shape': (3,), }", 24, OMREG_EFORMAT},
        {"{'descr': '<f8', 'fortran_order': False, }", 24, OMREG_EFORMAT},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': 3, }", 24, OMREG_EFORMAT},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (a,), }", 24, OMREG_EFORMAT},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (3, ", 24, OMREG_EFORMAT},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1,1,1,1,1,1,1,1,1), }", 8,
         OMREG_EFORMAT},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (1099511627776, 1099511627776), }",
         8, OMREG_EOVERFLOW},
        {"{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296), }", 8,
         OMREG_EOVERFLOW},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        write_npy_raw(path, cases[c].dict, cases[c].data);
        omreg_status st = omreg_npy_read(path, &arr);
        if (st != cases[c].want)
            fail_msg("case %zu (%s): got %s (%s)", c, cases[c].dict, omreg_status_str(st),
                     omreg_last_error());
        if (st == OMREG_OK)
            omreg_npy_free(&arr);
        else
            assert_null(arr.data);
    }

    /* broken preambles */
    static const struct {
        const char *bytes;
        size_t n;
    } pre[] = {
        {"", 0},                                          /* empty file */
        {"\x93NUM", 4},                                   /* truncated magic */
        {"\x93NUMPX\x01\x00\x10\x00", 10},                /* wrong magic */
        {"PK\x03\x04zipfile...", 14},                     /* not npy at all */
        {"\x93NUMPY\x09\x00\x10\x00", 10},                /* unknown version */
        {"\x93NUMPY\x01\x00\x40\x00{'descr'", 17},        /* truncated header */
        {"\x93NUMPY\x02\x00\x10", 9},                     /* truncated v2 preamble */
        {"\x93NUMPY\x02\x00\x10\x00", 10},                /* truncated v2 length */
        {"\x93NUMPY\x02\x00\xff\xff\xff\xff{", 13},       /* absurd header length */
    };
    for (size_t c = 0; c < sizeof pre / sizeof pre[0]; ++c) {
        write_bytes(path, pre[c].bytes, pre[c].n);
        omreg_status st = omreg_npy_read(path, &arr);
        if (st != OMREG_EFORMAT)
            fail_msg("preamble case %zu: got %s (%s)", c, omreg_status_str(st),
                     omreg_last_error());
        assert_null(arr.data);
    }
    assert_int_equal(remove(path), 0);

    /* missing file, a directory, NULL arguments */
    assert_int_equal(omreg_npy_read(tmp_path("missing.npy"), &arr), OMREG_EIO);
    assert_int_equal(omreg_npy_read(tmpdir, &arr), OMREG_EIO);
    assert_int_equal(omreg_npy_read(NULL, &arr), OMREG_EINVAL);
    assert_int_equal(omreg_npy_read(path, NULL), OMREG_EINVAL);
}

static void npy_write_failures(void **state)
{
    (void)state;
    const double x[2] = {1, 2};
    const size_t shape[9] = {2, 1, 1, 1, 1, 1, 1, 1, 1};
    assert_int_equal(omreg_npy_write(tmp_path("no/such/dir/x.npy"), OMREG_NPY_F64, 1, shape, x),
                     OMREG_EIO);
    assert_int_equal(omreg_npy_write(NULL, OMREG_NPY_F64, 1, shape, x), OMREG_EINVAL);
    assert_int_equal(omreg_npy_write(tmp_path("x.npy"), OMREG_NPY_F64, 1, NULL, x), OMREG_EINVAL);
    assert_int_equal(omreg_npy_write(tmp_path("x.npy"), OMREG_NPY_F64, 1, shape, NULL),
                     OMREG_EINVAL);
    /* a 0-d array has one element, so it needs data too */
    assert_int_equal(omreg_npy_write(tmp_path("x.npy"), OMREG_NPY_F64, 0, NULL, NULL),
                     OMREG_EINVAL);
    assert_int_equal(omreg_npy_write(tmp_path("x.npy"), OMREG_NPY_F64, 9, shape, x),
                     OMREG_EINVAL);
    assert_int_equal(omreg_npy_write(tmp_path("x.npy"), OMREG_NPY_F64, -1, shape, x),
                     OMREG_EINVAL);
    assert_int_equal(omreg_npy_write(tmp_path("x.npy"), (omreg_npy_type)99, 1, shape, x),
                     OMREG_EINVAL);
    /* a device that is always full: the buffered data fails at fclose */
    FILE *full = fopen("/dev/full", "wb");
    if (full) {
        fclose(full);
        assert_int_equal(omreg_npy_write("/dev/full", OMREG_NPY_F64, 1, shape, x), OMREG_EIO);
        assert_non_null(strstr(omreg_last_error(), "write failed"));
    }
    /* nothing was created by the failed calls */
    FILE *f = fopen(tmp_path("x.npy"), "rb");
    assert_null(f);
}

struct npy_ctx {
    omreg_npy arr;
    const char *path;
};

static omreg_status npy_call(void *c)
{
    struct npy_ctx *x = c;
    return omreg_npy_read(x->path, &x->arr);
}
static void npy_untouched(void *c) { assert_null(((struct npy_ctx *)c)->arr.data); }
static void npy_cleanup(void *c)
{
    struct npy_ctx *x = c;
    assert_int_equal(x->arr.count, 6);
    assert_true(((double *)x->arr.data)[5] == 5.0);
    omreg_npy_free(&x->arr);
}

static void npy_alloc_failures(void **state)
{
    (void)state;
    const double v[6] = {0, 1, 2, 3, 4, 5};
    const size_t shape[2] = {2, 3};
    struct npy_ctx c = {.path = tmp_path("alloc.npy")};
    assert_int_equal(omreg_npy_write(c.path, OMREG_NPY_F64, 2, shape, v), OMREG_OK);
    /* header buffer and data buffer */
    assert_int_equal(alloc_sweep(npy_call, npy_untouched, npy_cleanup, &c), 2);
    assert_int_equal(remove(c.path), 0);
}

int main(void)
{
    const struct CMUnitTest core[] = {
        cmocka_unit_test(status_names),
        cmocka_unit_test(last_error_messages),
        cmocka_unit_test(dtype_sizes),
        cmocka_unit_test(image_create_owning),
        cmocka_unit_test(image_wrap_borrowed),
        cmocka_unit_test(image_create_validation),
        cmocka_unit_test(image_set_grid2world),
        cmocka_unit_test(size_mul_overflow),
        cmocka_unit_test(calloc_hook),
        cmocka_unit_test(image_alloc_failures),
        cmocka_unit_test(mat_inverse_analytic),
        cmocka_unit_test(mat_inverse_random),
        cmocka_unit_test(mat_inverse_failures),
        cmocka_unit_test(mat_mul_and_validity),
        cmocka_unit_test(direction_and_spacings),
        cmocka_unit_test(random_is_a_function_of_seed_and_index),
        cmocka_unit_test(random_uniform_statistics),
        cmocka_unit_test(random_normal_statistics),
    };
    const struct CMUnitTest npy[] = {
        cmocka_unit_test(npy_round_trip),
        cmocka_unit_test(npy_format_variants),
        cmocka_unit_test(npy_corrupt_files),
        cmocka_unit_test(npy_write_failures),
        cmocka_unit_test(npy_alloc_failures),
    };
    int failed = cmocka_run_group_tests_name("core", core, NULL, NULL);
    failed += cmocka_run_group_tests_name("npy", npy, npy_setup, npy_teardown);
    return failed;
}
