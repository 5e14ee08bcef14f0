/* Golden: Gaussian smoothing vs scipy.ndimage.gaussian_filter 1.10 called
 * as DIPY 1.6 calls it (fixtures/gen_smooth.py: 2D/3D, float32/float64,
 * fields per component, sigma 0 / 1e-16 / negative (skipped), radius 0,
 * non-integer sigmas, kernels many times wider than the axis, 1-voxel-thick
 * axes, every boundary mode, non-default truncate).
 *
 * Bitwise: run with scipy's own weights (stored in the fixture), both
 * backends reproduce scipy's output bit for bit: same line extension,
 * same order of multiply-adds (centre, then pairs from the outermost in),
 * same double accumulator and the same float32 rounding after each axis
 * pass. In-place and out-of-place runs are bitwise equal.
 *
 * Tolerance: with omreg's own weights (the public entry points), omreg
 * and scipy compute the same formula (exp, numpy's pairwise sum,
 * division) but numpy's np.exp on this machine is the SVML AVX-512 exp
 * (numpy 1.24 links Intel SVML when the CPU has AVX512_SKX), which differs
 * from libm's exp() by one ulp in about a quarter of the arguments. So
 * weights are compared within WEIGHT_RTOL and outputs within
 * SMOOTH_F64_ATOL_EPS / SMOOTH_F32_ATOL_EPS times max|input|. On a machine
 * whose numpy uses libm's exp the weights would agree bitwise; bitwise
 * agreement with scipy across machines always depends on the exp of both
 * sides. Both omreg backends use the identical weights computed once in
 * api/smooth_api.c, so parallel == reference never depends on exp.
 *
 * NaN policy: inputs are finite; outputs are compared as bytes
 * (bitwise cases) or with a tolerance that rejects NaN. */
#include "omreg_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "image_internal.h"
#include "kernels_smooth.h"
#include "omreg/image.h"
#include "omreg/smooth.h"

/* Weight = exp / pairwise sum of exps: one ulp from each side's exp, the
 * sum of slightly different terms and the division; measured worst
 * 2.75 eps relative over 135 sigmas (a third of the weights differ). */
#define WEIGHT_RTOL (4.0 * DBL_EPSILON)
/* Each pass output is sum_k w_k x_k with sum w_k = 1: weights off by
 * <= WEIGHT_RTOL move it by <= 4 eps max|x|, and the two sides' rounding
 * of their (different) partial sums adds a little; up to 3 passes give
 * <= 12 eps plus rounding. Measured worst 1.28 eps max|x|. */
#define SMOOTH_F64_ATOL_EPS 16.0
/* Float32 stores each pass: a double-level difference can flip a float
 * rounding (one float ulp of a value <= max|x|, i.e. <= FLT_EPSILON
 * max|x|), and later passes carry it on with weights summing to 1:
 * <= 1 per pass, 3 passes, plus headroom. Measured: all float32 cases
 * bitwise. */
#define SMOOTH_F32_ATOL_EPS 4.0

/* cases.npy columns (gen_smooth.py) */
enum { C_INPUT, C_NCOMP, C_MODE, C_CVAL, C_TRUNCATE, C_SIGMA0, C_COLS = 8 };

static omreg_npy cases;

static int setup(void **state)
{
    (void)state;
    omreg_status st = omreg_npy_read(omreg_test_fixture_path("smooth/cases.npy"), &cases);
    if (st != OMREG_OK || cases.type != OMREG_NPY_F64 || cases.ndim != 2 ||
        cases.shape[1] != C_COLS)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    omreg_npy_free(&cases);
    return 0;
}

/* One fixture case, loaded and wrapped. */
struct gcase {
    int index;
    omreg_npy input, want;
    omreg_image *img;
    int ndim, ncomp;
    omreg_dtype dtype;
    omreg_smooth_mode mode;
    double cval, truncate, sigmas[3];
    omreg_npy w[3];           /* scipy's weights, count 0 for skipped axes */
    const double *weights[3]; /* half weights w[0..r] or NULL */
    size_t radius[3];
    size_t nvalues; /* voxels * ncomp */
    double max_abs;
};

static int file_exists(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f)
        fclose(f);
    return f != NULL;
}

static void load_case(struct gcase *c, int n)
{
    memset(c, 0, sizeof *c);
    const double *row = (const double *)cases.data + (size_t)n * C_COLS;
    char name[64];
    c->index = n;
    snprintf(name, sizeof name, "smooth/in_%d.npy", (int)row[C_INPUT]);
    assert_int_equal(omreg_npy_read(omreg_test_fixture_path(name), &c->input), OMREG_OK);
    snprintf(name, sizeof name, "smooth/case%02d_out.npy", n);
    assert_int_equal(omreg_npy_read(omreg_test_fixture_path(name), &c->want), OMREG_OK);
    assert_int_equal(c->want.type, c->input.type);
    assert_int_equal(c->want.count, c->input.count);
    c->ncomp = (int)row[C_NCOMP];
    c->ndim = c->input.ndim - (c->ncomp > 1 ? 1 : 0);
    assert_true(c->ndim == 2 || c->ndim == 3);
    c->dtype = c->input.type == OMREG_NPY_F64 ? OMREG_F64 : OMREG_F32;
    assert_true(c->input.type == OMREG_NPY_F64 || c->input.type == OMREG_NPY_F32);
    c->mode = (omreg_smooth_mode)(int)row[C_MODE];
    c->cval = row[C_CVAL];
    c->truncate = row[C_TRUNCATE];
    for (int a = 0; a < c->ndim; ++a) {
        c->sigmas[a] = row[C_SIGMA0 + a];
        snprintf(name, sizeof name, "smooth/case%02d_w%d.npy", n, a);
        const char *path = omreg_test_fixture_path(name);
        /* scipy filters an axis iff sigma > 1e-15: its weight file says so */
        assert_int_equal(file_exists(path), c->sigmas[a] > 1e-15);
        if (!(c->sigmas[a] > 1e-15))
            continue;
        assert_int_equal(omreg_npy_read(path, &c->w[a]), OMREG_OK);
        assert_int_equal(c->w[a].type, OMREG_NPY_F64);
        assert_int_equal(c->w[a].count % 2, 1);
        c->radius[a] = c->w[a].count / 2;
        c->weights[a] = (const double *)c->w[a].data + c->radius[a];
    }
    assert_int_equal(omreg_image_wrap(&c->img, c->input.data, c->ndim, c->input.shape, c->ncomp,
                                      c->dtype, NULL),
                     OMREG_OK);
    c->nvalues = c->input.count;
    for (size_t i = 0; i < c->nvalues; ++i) {
        double v = c->dtype == OMREG_F64 ? ((const double *)c->input.data)[i]
                                         : ((const float *)c->input.data)[i];
        if (fabs(v) > c->max_abs)
            c->max_abs = fabs(v);
    }
}

static void free_case(struct gcase *c)
{
    omreg_image_free(c->img);
    omreg_npy_free(&c->input);
    omreg_npy_free(&c->want);
    for (int a = 0; a < 3; ++a)
        omreg_npy_free(&c->w[a]);
}

static int same(const struct gcase *c, const char *what, const void *got)
{
    char label[128];
    snprintf(label, sizeof label, "case %02d %s", c->index, what);
    if (c->dtype == OMREG_F64)
        return omreg_test_same_f64(label, got, c->want.data, c->nvalues);
    return omreg_test_same_f32(label, got, c->want.data, c->nvalues);
}

static void describe(const struct gcase *c)
{
    print_message("case %02d: %dD %s ncomp %d mode %d cval %g truncate %g sigmas %g %g %g\n",
                  c->index, c->ndim, c->dtype == OMREG_F64 ? "f64" : "f32", c->ncomp,
                  (int)c->mode, c->cval, c->truncate, c->sigmas[0], c->sigmas[1],
                  c->ndim == 3 ? c->sigmas[2] : 0.0);
}

/* Kernels with scipy's weights: bitwise, both backends, out-of-place and
 * in-place (a borrowed copy of the input). */
static void scipy_weights_bitwise(void **state)
{
    (void)state;
    const omreg_backend *backends[2] = {omreg_test_backend(), omreg_backend_reference()};
    size_t failures = 0;
    for (int n = 0; n < (int)cases.shape[0]; ++n) {
        struct gcase c;
        load_case(&c, n);
        for (int b = 0; b < 2; ++b) {
            omreg_image *out = NULL;
            assert_int_equal(omreg_image_create(&out, c.ndim, c.input.shape, c.ncomp, c.dtype,
                                                NULL),
                             OMREG_OK);
            /* the backend's default thread count, then an explicit 3 */
            assert_int_equal(omreg_gaussian_filter_weights(backends[b], 0, c.img, out, c.weights,
                                                           c.radius, c.mode, c.cval),
                             OMREG_OK);
            int ok = same(&c, omreg_backend_name(backends[b]), omreg_image_cdata(out));
            /* in place on a copy of the input */
            size_t bytes = c.nvalues * c.input.elem_size;
            void *copy = omreg_test_alloc(bytes, 1);
            memcpy(copy, c.input.data, bytes);
            omreg_image *inplace = NULL;
            assert_int_equal(omreg_image_wrap(&inplace, copy, c.ndim, c.input.shape, c.ncomp,
                                              c.dtype, NULL),
                             OMREG_OK);
            assert_int_equal(omreg_gaussian_filter_weights(backends[b], 3, inplace, inplace,
                                                           c.weights, c.radius, c.mode, c.cval),
                             OMREG_OK);
            ok &= same(&c, "in place", copy);
            if (!ok) {
                describe(&c);
                ++failures;
            }
            omreg_image_free(inplace);
            free(copy);
            omreg_image_free(out);
        }
        free_case(&c);
    }
    assert_int_equal(failures, 0);
}

/* Public entry points with omreg's weights: radius exactly scipy's,
 * values within the exp tolerance, in-place == out-of-place bitwise,
 * geometry and dtype carried over. */
static void entry_points_close(void **state)
{
    (void)state;
    const omreg_backend *backends[2] = {omreg_test_backend(), omreg_backend_reference()};
    size_t failures = 0, bitwise = 0, total = 0;
    for (int n = 0; n < (int)cases.shape[0]; ++n) {
        struct gcase c;
        load_case(&c, n);
        for (int a = 0; a < c.ndim; ++a) {
            if (!(c.sigmas[a] > 1e-15))
                continue;
            size_t r = 0;
            assert_int_equal(omreg_gaussian_radius(c.sigmas[a], c.truncate, &r), OMREG_OK);
            assert_int_equal(r, c.radius[a]);
        }
        for (int b = 0; b < 2; ++b) {
            omreg_image *out = NULL;
            assert_int_equal(omreg_gaussian_filter(backends[b], c.img, c.sigmas, c.mode, c.cval,
                                                   c.truncate, &out),
                             OMREG_OK);
            assert_int_equal(omreg_image_ndim(out), c.ndim);
            assert_int_equal(omreg_image_ncomp(out), c.ncomp);
            assert_int_equal(omreg_image_dtype(out), c.dtype);
            assert_true(omreg_image_owns_data(out));
            char label[64];
            snprintf(label, sizeof label, "case %02d %s", n, omreg_backend_name(backends[b]));
            int ok;
            if (c.dtype == OMREG_F64) {
                ok = omreg_test_close_f64(label, omreg_image_cdata(out), c.want.data,
                                          c.nvalues, 0.0,
                                          SMOOTH_F64_ATOL_EPS * DBL_EPSILON * c.max_abs);
                bitwise += memcmp(omreg_image_cdata(out), c.want.data, c.nvalues * 8) == 0;
            } else {
                ok = omreg_test_close_f32(label, omreg_image_cdata(out), c.want.data,
                                          c.nvalues, 0.0,
                                          SMOOTH_F32_ATOL_EPS * FLT_EPSILON * c.max_abs);
                bitwise += memcmp(omreg_image_cdata(out), c.want.data, c.nvalues * 4) == 0;
            }
            ++total;
            /* in place on a copy gives the same bits as out of place */
            size_t bytes = c.nvalues * c.input.elem_size;
            void *copy = omreg_test_alloc(bytes, 1);
            memcpy(copy, c.input.data, bytes);
            omreg_image *inplace = NULL;
            assert_int_equal(omreg_image_wrap(&inplace, copy, c.ndim, c.input.shape, c.ncomp,
                                              c.dtype, NULL),
                             OMREG_OK);
            assert_int_equal(omreg_gaussian_filter_inplace(backends[b], inplace, c.sigmas,
                                                           c.mode, c.cval, c.truncate),
                             OMREG_OK);
            snprintf(label, sizeof label, "case %02d %s in place", n,
                     omreg_backend_name(backends[b]));
            omreg_test_dump(label, copy, bytes);
            ok &= memcmp(copy, omreg_image_cdata(out), bytes) == 0;
            if (!ok) {
                describe(&c);
                ++failures;
            }
            omreg_image_free(inplace);
            free(copy);
            omreg_image_free(out);
        }
        free_case(&c);
    }
    print_message("omreg weights: %zu of %zu case runs bitwise equal to scipy\n", bitwise, total);
    assert_int_equal(failures, 0);
}

/* omreg's weights vs scipy's for many sigmas (radius 0 to 48, and 160:
 * numpy's pairwise recursion): same radius, weights within WEIGHT_RTOL. */
static void weights_close(void **state)
{
    (void)state;
    omreg_npy sig, radii, all;
    omreg_test_load("smooth/weights_sigmas.npy", OMREG_NPY_F64, &sig);
    omreg_test_load("smooth/weights_radii.npy", OMREG_NPY_I64, &radii);
    omreg_test_load("smooth/weights_all.npy", OMREG_NPY_F64, &all);
    const double *s = sig.data, *want = all.data;
    const long long *r = radii.data;
    size_t at = 0, exact = 0, worst_at = 0;
    double worst = 0.0;
    for (size_t i = 0; i < sig.count; ++i) {
        size_t radius = 0;
        assert_int_equal(omreg_gaussian_radius(s[i], OMREG_SMOOTH_TRUNCATE, &radius), OMREG_OK);
        assert_int_equal(radius, (size_t)r[i]);
        double *w = omreg_test_alloc(radius + 1, sizeof(double));
        double *phi = omreg_test_alloc(2 * radius + 1, sizeof(double));
        omreg_gaussian_weights(s[i], radius, w, phi);
        char label[64];
        snprintf(label, sizeof label, "weights sigma %03zu", i);
        omreg_test_dump(label, w, (radius + 1) * sizeof(double));
        for (size_t k = 0; k <= radius; ++k) {
            double rel = fabs(w[k] - want[at + k]) / want[at + k];
            exact += w[k] == want[at + k];
            if (rel > worst) {
                worst = rel;
                worst_at = at + k;
            }
        }
        at += radius + 1;
        free(w);
        free(phi);
    }
    assert_int_equal(at, all.count);
    print_message("weights: %zu of %zu bitwise equal to scipy; worst relative difference "
                  "%.3g eps at %zu\n",
                  exact, at, worst / DBL_EPSILON, worst_at);
    assert_true(worst <= WEIGHT_RTOL);
    omreg_npy_free(&sig);
    omreg_npy_free(&radii);
    omreg_npy_free(&all);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weights_close),
        cmocka_unit_test(scipy_weights_bitwise),
        cmocka_unit_test(entry_points_close),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
