/* Golden test of the CC kernels against DIPY 1.6 (fixtures/gen_crosscorr.py):
 * precompute_cc_factors_{2,3}d (sliding windows), their _test brute-force
 * versions and compute_cc_{forward,backward}_step_{2,3}d, float64 and
 * float32, through the public API with omreg_test_backend() and with the
 * reference table.
 *
 * Bitwise: every factors array (sliding and brute force: omreg performs
 * DIPY's operations in DIPY's order, including the 3D sweep's wrapped stale
 * values, storing to float exactly where DIPY's `floating` arrays do; the
 * build has -ffp-contract=off), every step field, and the energy against
 * the fixture's canonical-order recomputation from DIPY's factors.
 * Tolerance: DIPY's own energy, summed serially over all voxels, within
 * ENERGY_ORDER_RTOL.
 * Cases: odd sizes, radius 0..5, radius equal to an axis, radius above the
 * second axis in 2D, one-row, one-column (2D) and one-slab (3D) grids.
 * NaN policy: fixtures are finite; outputs are compared as bytes. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/crosscorr.h"
#include "omreg/image.h"

/* DIPY sums at most 195 local correlations in [0, 1) serially, omreg per
 * grid row then rows in order: both are sums of same-sign terms with
 * relative error <= n * 2^-53 (2.2e-14), so 1e-12 bounds the order
 * difference with margin; the canonical energy is checked bit for bit. */
static const double ENERGY_ORDER_RTOL = 1e-12;

static const char *const DTS[2] = {"f64", "f32"};
static const omreg_dtype DTYPES[2] = {OMREG_F64, OMREG_F32};

static void load(const char *name, omreg_npy_type type, omreg_npy *out)
{
    char rel[256];
    snprintf(rel, sizeof rel, "crosscorr/%s.npy", name);
    omreg_test_load(rel, type, out);
}

static omreg_npy_type npy_type(omreg_dtype dt)
{
    return dt == OMREG_F64 ? OMREG_NPY_F64 : OMREG_NPY_F32;
}

static int same(omreg_dtype dt, const char *what, const void *got, const void *want, size_t n)
{
    return dt == OMREG_F64 ? omreg_test_same_f64(what, got, want, n)
                           : omreg_test_same_f32(what, got, want, n);
}

/* The two tables every golden case runs with. */
static const omreg_backend *backend_at(int k)
{
    return k == 0 ? omreg_test_backend() : omreg_backend_reference();
}

/* Borrowing image over part of a fixture: ncomp components per voxel. */
static omreg_image *wrap(void *data, int dim, const size_t *shape, int ncomp, omreg_dtype dt)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_wrap(&img, data, dim, shape, ncomp, dt, NULL), OMREG_OK);
    return img;
}

/* ---- factors ----------------------------------------------------------- */

static void precompute_case(const char *name, int dim)
{
    char fname[128], what[192];
    omreg_npy radii;
    snprintf(fname, sizeof fname, "%s_radii", name);
    load(fname, OMREG_NPY_I32, &radii);
    const int *rad = radii.data;
    const size_t nrad = radii.shape[0];
    for (int k = 0; k < 2; ++k) {
        const omreg_dtype dt = DTYPES[k];
        omreg_npy images, fast, brute = {0};
        snprintf(fname, sizeof fname, "%s_%s_images", name, DTS[k]);
        load(fname, npy_type(dt), &images);
        snprintf(fname, sizeof fname, "%s_%s_factors", name, DTS[k]);
        load(fname, npy_type(dt), &fast);
        int has_brute = 0;
        for (size_t i = 0; i < nrad; ++i)
            has_brute |= rad[2 * i + 1] >= 0;
        if (has_brute) {
            snprintf(fname, sizeof fname, "%s_%s_brute", name, DTS[k]);
            load(fname, npy_type(dt), &brute);
        }
        assert_int_equal(images.ndim, dim + 1);
        const size_t *shape = &images.shape[1];
        size_t nvox = 1;
        for (int d = 0; d < dim; ++d)
            nvox *= shape[d];
        const size_t nval = nvox * 5, esz = images.elem_size;
        assert_int_equal(fast.count, nrad * nval);
        omreg_image *S = wrap(images.data, dim, shape, 1, dt);
        omreg_image *M = wrap((char *)images.data + nvox * esz, dim, shape, 1, dt);
        for (size_t i = 0; i < nrad; ++i)
            for (int b = 0; b < 2; ++b) {
                const omreg_backend *be = backend_at(b);
                void *got = NULL;
                assert_int_equal(omreg_cc_precompute_factors(be, S, M, (size_t)rad[2 * i],
                                                             OMREG_CC_SLIDING, &got),
                                 OMREG_OK);
                snprintf(what, sizeof what, "%s %s radius %d sliding [%s]", name, DTS[k],
                         rad[2 * i], omreg_backend_name(be));
                assert_true(same(dt, what, got, (char *)fast.data + i * nval * esz, nval));
                free(got);
                if (rad[2 * i + 1] < 0)
                    continue;
                assert_int_equal(omreg_cc_precompute_factors(be, S, M, (size_t)rad[2 * i],
                                                             OMREG_CC_BRUTE_FORCE, &got),
                                 OMREG_OK);
                snprintf(what, sizeof what, "%s %s radius %d brute force [%s]", name, DTS[k],
                         rad[2 * i], omreg_backend_name(be));
                assert_true(same(dt, what, got,
                                 (char *)brute.data + (size_t)rad[2 * i + 1] * nval * esz,
                                 nval));
                free(got);
            }
        omreg_image_free(S);
        omreg_image_free(M);
        omreg_npy_free(&images);
        omreg_npy_free(&fast);
        omreg_npy_free(&brute);
    }
    omreg_npy_free(&radii);
}

static void factors_2d(void **state)
{
    (void)state;
    precompute_case("p2d", 2);
}
static void factors_2d_radius_above_columns(void **state)
{
    (void)state;
    precompute_case("p2d_wide", 2);
}
static void factors_2d_radius_equals_rows(void **state)
{
    (void)state;
    precompute_case("p2d_eqrow", 2);
}
static void factors_2d_one_row(void **state)
{
    (void)state;
    precompute_case("p2d_row1", 2);
}
static void factors_2d_one_column(void **state)
{
    (void)state;
    precompute_case("p2d_col1", 2);
}
static void factors_3d(void **state)
{
    (void)state;
    precompute_case("p3d", 3);
}
static void factors_3d_one_slab(void **state)
{
    (void)state;
    precompute_case("p3d_slab1", 3);
}
static void factors_2d_step_images(void **state)
{
    (void)state;
    precompute_case("s2d", 2);
}
static void factors_3d_step_images(void **state)
{
    (void)state;
    precompute_case("s3d", 3);
}

/* ---- steps ------------------------------------------------------------- */

static void step_case(const char *name, int dim)
{
    char fname[128], what[192];
    omreg_npy radii;
    snprintf(fname, sizeof fname, "%s_radii", name);
    load(fname, OMREG_NPY_I32, &radii);
    const int *rad = radii.data;
    const size_t nrad = radii.shape[0];
    for (int k = 0; k < 2; ++k) {
        const omreg_dtype dt = DTYPES[k];
        omreg_npy grads, factors, steps, energy;
        snprintf(fname, sizeof fname, "%s_%s_grads", name, DTS[k]);
        load(fname, npy_type(dt), &grads);
        snprintf(fname, sizeof fname, "%s_%s_factors", name, DTS[k]);
        load(fname, npy_type(dt), &factors);
        snprintf(fname, sizeof fname, "%s_%s_steps", name, DTS[k]);
        load(fname, npy_type(dt), &steps);
        snprintf(fname, sizeof fname, "%s_%s_energy", name, DTS[k]);
        load(fname, OMREG_NPY_F64, &energy);
        assert_int_equal(grads.ndim, dim + 2);
        const size_t *shape = &grads.shape[1];
        size_t nvox = 1;
        for (int d = 0; d < dim; ++d)
            nvox *= shape[d];
        const size_t nfield = nvox * (size_t)dim, nfac = nvox * 5, esz = grads.elem_size;
        assert_int_equal(steps.count, nrad * 2 * nfield);
        assert_int_equal(energy.count, nrad * 4);
        const double *e = energy.data;
        omreg_image *G[2] = {wrap(grads.data, dim, shape, dim, dt),
                             wrap((char *)grads.data + nfield * esz, dim, shape, dim, dt)};
        for (size_t i = 0; i < nrad; ++i) {
            const void *f = (const char *)factors.data + i * nfac * esz;
            for (int dir = 0; dir < 2; ++dir) {
                const void *want = (const char *)steps.data + (2 * i + (size_t)dir) * nfield * esz;
                const double dipy = e[4 * i + 2 * (size_t)dir];
                const double canonical = e[4 * i + 2 * (size_t)dir + 1];
                for (int b = 0; b < 2; ++b) {
                    const omreg_backend *be = backend_at(b);
                    omreg_image *out = NULL;
                    double got_e = NAN;
                    omreg_status st =
                        dir == 0 ? omreg_cc_forward_step(be, G[0], f, (size_t)rad[2 * i], &out,
                                                         &got_e)
                                 : omreg_cc_backward_step(be, G[1], f, (size_t)rad[2 * i], &out,
                                                          &got_e);
                    assert_int_equal(st, OMREG_OK);
                    snprintf(what, sizeof what, "%s %s radius %d %s step [%s]", name, DTS[k],
                             rad[2 * i], dir == 0 ? "forward" : "backward",
                             omreg_backend_name(be));
                    assert_true(same(dt, what, omreg_image_cdata(out), want, nfield));
                    strcat(what, " canonical energy");
                    assert_true(omreg_test_same_f64(what, &got_e, &canonical, 1));
                    if (!(fabs(got_e - dipy) <= ENERGY_ORDER_RTOL * fabs(dipy)))
                        fail_msg("%s: energy %.17g vs DIPY %.17g", what, got_e, dipy);
                    omreg_image_free(out);
                }
            }
        }
        omreg_image_free(G[0]);
        omreg_image_free(G[1]);
        omreg_npy_free(&grads);
        omreg_npy_free(&factors);
        omreg_npy_free(&steps);
        omreg_npy_free(&energy);
    }
    omreg_npy_free(&radii);
}

static void steps_2d(void **state)
{
    (void)state;
    step_case("s2d", 2);
}
static void steps_3d(void **state)
{
    (void)state;
    step_case("s3d", 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(factors_2d),
        cmocka_unit_test(factors_2d_radius_above_columns),
        cmocka_unit_test(factors_2d_radius_equals_rows),
        cmocka_unit_test(factors_2d_one_row),
        cmocka_unit_test(factors_2d_one_column),
        cmocka_unit_test(factors_3d),
        cmocka_unit_test(factors_3d_one_slab),
        cmocka_unit_test(factors_2d_step_images),
        cmocka_unit_test(factors_3d_step_images),
        cmocka_unit_test(steps_2d),
        cmocka_unit_test(steps_3d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
