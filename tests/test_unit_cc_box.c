/* The box-sum CC factors (OMREG_CC_BOX_SUMS, kernels_cc_box.h) against
 * independent oracles, through the public entry point with
 * omreg_test_backend() and with the reference table:
 *
 * 1. Exact windows and counts: on images of small integers every square,
 *    product and window sum is an integer below 2^53, so every method's
 *    window sums are exact and the factors must equal DIPY's brute-force
 *    ones (precompute_cc_factors_{2,3}d_test, OMREG_CC_BRUTE_FORCE) bit for
 *    bit: a window too wide or narrow, a lost border row or a wrong count
 *    shows. Shapes: odd sizes, radius above every axis, 1-voxel axes.
 *
 * 2. Close to DIPY mode's factors (the sliding windows, OMREG_CC_SLIDING) on
 *    a real image (Colin27 ch2bet, every third voxel, normalised to [0, 1];
 *    moving = the same shifted by one voxel; skipped without mricron-data),
 *    within a per-value bound computed from float rounding (tol() below),
 *    float32 and float64. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omreg/crosscorr.h"
#include "omreg/image.h"
#include "omreg/nifti.h"

#define CH2BET "/usr/share/mricron/templates/ch2bet.nii.gz"

static const double U64 = 0x1p-53; /* unit roundoff, double */
static const double U32 = 0x1p-24; /* unit roundoff, float */

static omreg_image *image(int dim, const size_t *shape, omreg_dtype dt)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, 1, dt, NULL), OMREG_OK);
    return img;
}

static double value(const omreg_image *img, size_t i)
{
    return omreg_image_dtype(img) == OMREG_F64 ? ((const double *)omreg_image_cdata(img))[i]
                                               : ((const float *)omreg_image_cdata(img))[i];
}

static void set_value(omreg_image *img, size_t i, double x)
{
    if (omreg_image_dtype(img) == OMREG_F64)
        ((double *)omreg_image_data(img))[i] = x;
    else
        ((float *)omreg_image_data(img))[i] = (float)x;
}

static void *factors(const omreg_backend *b, const omreg_image *s, const omreg_image *m,
                     size_t radius, omreg_cc_method method)
{
    void *f = NULL;
    if (omreg_cc_precompute_factors(b, s, m, radius, method, &f) != OMREG_OK)
        fail_msg("factors (method %d): %s", (int)method, omreg_last_error());
    return f;
}

/* ---- 1. exact on integer images ------------------------------------------ */

static void integer_case(int dim, const size_t *shape, size_t radius, omreg_dtype dt)
{
    omreg_image *s = image(dim, shape, dt), *m = image(dim, shape, dt);
    const size_t n = omreg_image_voxels(s);
    uint64_t x = 0x9E3779B97F4A7C15ull ^ (uint64_t)(n * 31 + radius);
    for (size_t i = 0; i < n; ++i) { /* integers 0..15, moving correlated */
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        const int a = (int)(x >> 60), c = (int)((x >> 40) & 7);
        set_value(s, i, a);
        set_value(m, i, (a + c) / 2);
    }
    void *want = factors(omreg_backend_reference(), s, m, radius, OMREG_CC_BRUTE_FORCE);
    const omreg_backend *tables[2] = {omreg_test_backend(), omreg_backend_reference()};
    char what[96];
    for (int t = 0; t < 2; ++t) {
        void *got = factors(tables[t], s, m, radius, OMREG_CC_BOX_SUMS);
        snprintf(what, sizeof what, "%dD %s radius %zu, %s table", dim,
                 dt == OMREG_F64 ? "f64" : "f32", radius, omreg_backend_name(tables[t]));
        if (dt == OMREG_F64)
            assert_true(omreg_test_same_f64(what, got, want, 5 * n));
        else
            assert_true(omreg_test_same_f32(what, got, want, 5 * n));
        free(got);
    }
    free(want);
    omreg_image_free(s);
    omreg_image_free(m);
}

static void exact_on_integer_images(void **state)
{
    (void)state;
    static const size_t s2[][2] = {{23, 17}, {3, 40}, {31, 1}, {1, 9}};
    static const size_t r2[] = {2, 5, 3, 4};
    static const size_t s3[][3] = {{13, 11, 9}, {3, 4, 2}, {7, 1, 12}, {9, 8, 1}, {1, 6, 7}};
    static const size_t r3[] = {3, 6, 2, 2, 1};
    for (int d = 0; d < 2; ++d) {
        const omreg_dtype dt = d ? OMREG_F32 : OMREG_F64;
        for (size_t i = 0; i < sizeof r2 / sizeof r2[0]; ++i)
            integer_case(2, s2[i], r2[i], dt);
        for (size_t i = 0; i < sizeof r3 / sizeof r3[0]; ++i)
            integer_case(3, s3[i], r3[i], dt);
        integer_case(3, s3[0], 0, dt); /* radius 0: one-voxel windows */
    }
}

/* ---- 2. close to DIPY's sliding windows on a real image -------------------
 *
 * Both methods round exact factors F (real arithmetic on the same input
 * values) twice: in double (window sums, then the factor formula) and
 * once to the output type. So for one value, box b and sliding d,
 *     |b - d| <= u_out (|b| + |d|) (1 + 2 u_out) + E_box + E_dipy,
 * u_out the output's unit roundoff, E the double-precision error bounds:
 * - window sums (nonnegative terms here: images in [0, 1]): box sums add
 *   at most 6 radius terms on any path, error <= 6 radius U64 W (W: the
 *   window sum of the term); DIPY's sweep updates each sum from 7 earlier
 *   sums and up to 8 corner terms (14 roundings of partial sums bounded by
 *   7 W_max + 8 T_max), and its rounding errors accumulate along the sweep
 *   (the error satisfies the sweep's own recurrence, whose solution is the
 *   sum of every earlier cell's rounding): error <= N 14 (7 W_max + 8
 *   T_max) U64, N the sweep's cells.
 * - the formula: f0 = I - SI / n (error <= E_SI + 2 U64 max|I|); f2..f4 =
 *   Sxy - my Sx - mx Sy + n mx my, means <= max value M, every term <= the
 *   window's W_xy (Cauchy-Schwarz): error <= E_xy + 4 M (E_x + E_y) + 10
 *   U64 4 W_xy (first order; U64 terms of second order are below the
 *   slack of the 4). */
typedef struct bounds {
    double w[5];   /* largest window sum of each term (SI, SI2, SJ, SJ2, SIJ) */
    double t[5];   /* largest term */
    double maxval; /* largest |I|, |J| */
    double ncells; /* DIPY's sweep cells */
    size_t radius;
} bounds;

static double e_box(const bounds *b, int k)
{
    return 6.0 * (double)b->radius * U64 * b->w[k];
}

static double e_dipy(const bounds *b, int k)
{
    return b->ncells * 14.0 * (7.0 * b->w[k] + 8.0 * b->t[k]) * U64;
}

/* the double-precision error bound of factor q (box sums or DIPY's sweep) */
static double e_factor(const bounds *b, int q, int dipy)
{
    double e[5];
    for (int k = 0; k < 5; ++k)
        e[k] = dipy ? e_dipy(b, k) : e_box(b, k);
    const double M = b->maxval;
    switch (q) {
    case 0: return e[0] + 2 * U64 * M;
    case 1: return e[2] + 2 * U64 * M;
    case 2: return e[4] + 4 * M * (e[0] + e[2]) + 40 * U64 * b->w[4];
    case 3: return e[1] + 8 * M * e[0] + 40 * U64 * b->w[1];
    default: return e[3] + 8 * M * e[2] + 40 * U64 * b->w[3];
    }
}

static void close_to_sliding(const omreg_image *s, const omreg_image *m, size_t radius)
{
    const size_t *sh = omreg_image_shape(s), n = omreg_image_voxels(s);
    const omreg_dtype dt = omreg_image_dtype(s);
    const double uout = dt == OMREG_F64 ? U64 : U32;
    bounds b = {.radius = radius};
    b.ncells = (double)(sh[0] + radius) * (double)(sh[1] + radius) * (double)(sh[2] + radius);
    for (size_t i = 0; i < n; ++i) {
        const double I = value(s, i), J = value(m, i);
        const double t[5] = {I, I * I, J, J * J, I * J};
        for (int k = 0; k < 5; ++k)
            b.t[k] = fmax(b.t[k], fabs(t[k]));
        b.maxval = fmax(b.maxval, fmax(fabs(I), fabs(J)));
    }
    /* window sums of the terms, from integer-exact counting: W <= count T */
    const double count = pow(2.0 * (double)radius + 1.0, 3.0);
    for (int k = 0; k < 5; ++k)
        b.w[k] = count * b.t[k];
    void *fd = factors(omreg_backend_reference(), s, m, radius, OMREG_CC_SLIDING);
    const omreg_backend *tables[2] = {omreg_test_backend(), omreg_backend_reference()};
    for (int tb = 0; tb < 2; ++tb) {
        void *fb = factors(tables[tb], s, m, radius, OMREG_CC_BOX_SUMS);
        double worst = 0, maxdiff = 0;
        size_t nonzero = 0;
        for (size_t i = 0; i < 5 * n; ++i) {
            const double x = dt == OMREG_F64 ? ((double *)fb)[i] : ((float *)fb)[i];
            const double y = dt == OMREG_F64 ? ((double *)fd)[i] : ((float *)fd)[i];
            const int q = (int)(i % 5);
            const double tol = uout * (fabs(x) + fabs(y)) * (1 + 2 * uout) +
                               e_factor(&b, q, 0) + e_factor(&b, q, 1);
            const double d = fabs(x - y);
            nonzero += d > 0;
            maxdiff = fmax(maxdiff, d);
            worst = fmax(worst, d / tol);
            if (!(d <= tol))
                fail_msg("value %zu (factor %d): box %.17g, sliding %.17g, |diff| %.3g > "
                         "bound %.3g", i, q, x, y, d, tol);
        }
        print_message("%s radius %zu, %s table: %zu of %zu values differ, max |diff| %.3g, "
                      "max |diff| / bound %.3g\n", dt == OMREG_F64 ? "f64" : "f32", radius,
                      omreg_backend_name(tables[tb]), nonzero, 5 * n, maxdiff, worst);
        assert_true(nonzero > 0); /* a different method: not the same rounding */
        free(fb);
    }
    free(fd);
}

static void close_to_dipy_on_ch2(void **state)
{
    (void)state;
    if (access(CH2BET, R_OK) != 0) {
        print_message("mricron-data not installed: skipped\n");
        skip();
    }
    omreg_image *src = NULL;
    assert_int_equal(omreg_nifti_read(CH2BET, OMREG_F64, &src), OMREG_OK);
    const size_t *full = omreg_image_shape(src);
    const size_t step = 3, shape[3] = {full[0] / step - 1, full[1] / step - 1, full[2] / step - 1};
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < omreg_image_voxels(src); ++i) {
        lo = fmin(lo, value(src, i));
        hi = fmax(hi, value(src, i));
    }
    for (int d = 0; d < 2; ++d) {
        const omreg_dtype dt = d ? OMREG_F32 : OMREG_F64;
        omreg_image *s = image(3, shape, dt), *m = image(3, shape, dt);
        size_t v = 0;
        for (size_t i = 0; i < shape[0]; ++i)
            for (size_t j = 0; j < shape[1]; ++j)
                for (size_t k = 0; k < shape[2]; ++k, ++v) {
                    const size_t a = ((i * step) * full[1] + j * step) * full[2] + k * step;
                    const size_t c = (((i * step + 1) * full[1]) + j * step + 1) * full[2] +
                                     k * step + 1; /* the moving: one voxel along */
                    set_value(s, v, (value(src, a) - lo) / (hi - lo));
                    set_value(m, v, (value(src, c) - lo) / (hi - lo));
                }
        close_to_sliding(s, m, 4);
        close_to_sliding(s, m, 2);
        omreg_image_free(s);
        omreg_image_free(m);
    }
    omreg_image_free(src);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_on_integer_images),
        cmocka_unit_test(close_to_dipy_on_ch2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
