/* Golden test of the displacement-field operations against DIPY 1.6
 * (fixtures/gen_vector_fields.py): compose_vector_fields_{2,3}d,
 * invert_vector_field_fixed_point_{2,3}d, simplify_warp_function_{2,3}d and
 * reorient_vector_field_{2,3}d, float64 and float32, through the public API
 * with omreg_test_backend() and with the reference table.
 *
 * Bitwise: every output field (omreg does DIPY's arithmetic in DIPY's order,
 * storing to float exactly where DIPY's `floating` arrays do; the build has
 * -ffp-contract=off), the inversion's iteration count, the maximum-norm
 * statistic (a max does not depend on order), and all three statistics
 * against the fixture's canonical-order recomputation (per grid row, rows
 * in order). Tolerance: DIPY's own mean/std statistics, summed serially
 * over all voxels, within STATS_ORDER_RTOL.
 * NaN policy: fixtures are finite; fields are compared as bytes. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/image.h"
#include "omreg/vector_fields.h"

/* DIPY sums the composition's n <= 336 squared norms serially, omreg per
 * grid row then rows in order: both are sums of positive terms with
 * relative error <= n * 2^-53 (4e-14), and the std's variance cancels by a
 * factor (mean sq + mean^2) / var below 10 on these fields, so 1e-12 bounds
 * the order difference with margin while catching any wrong term. */
static const double STATS_ORDER_RTOL = 1e-12;

static const char *const DTS[2] = {"f64", "f32"};
static const omreg_dtype DTYPES[2] = {OMREG_F64, OMREG_F32};

static void load(const char *name, omreg_npy_type type, omreg_npy *out)
{
    char rel[256];
    snprintf(rel, sizeof rel, "vector_fields/%s.npy", name);
    omreg_test_load(rel, type, out);
}

static omreg_npy_type npy_type(omreg_dtype dt)
{
    return dt == OMREG_F64 ? OMREG_NPY_F64 : OMREG_NPY_F32;
}

/* Borrowing field image over a (shape..., dim) fixture. */
static omreg_image *wrap_field(omreg_npy *a, int dim, omreg_dtype dt)
{
    assert_int_equal(a->ndim, dim + 1);
    assert_int_equal(a->shape[dim], (size_t)dim);
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_wrap(&img, a->data, dim, a->shape, dim, dt, NULL), OMREG_OK);
    return img;
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

/* ---- composition ------------------------------------------------------- */

struct compose_case {
    const char *name;
    int has_A, has_B;
};
static const struct compose_case compose_cases[] = {
    {"obl", 1, 1}, {"none", 0, 0}, {"disp", 0, 1}};

static void compose_dim(int dim)
{
    char name[128], what[160];
    for (size_t c = 0; c < sizeof compose_cases / sizeof compose_cases[0]; ++c) {
        const struct compose_case *cc = &compose_cases[c];
        omreg_npy A = {0}, B = {0}, t;
        snprintf(name, sizeof name, "compose%dd_%s_t", dim, cc->name);
        load(name, OMREG_NPY_F64, &t);
        if (cc->has_A) {
            snprintf(name, sizeof name, "compose%dd_%s_A", dim, cc->name);
            load(name, OMREG_NPY_F64, &A);
        }
        if (cc->has_B) {
            snprintf(name, sizeof name, "compose%dd_%s_B", dim, cc->name);
            load(name, OMREG_NPY_F64, &B);
        }
        for (int k = 0; k < 2; ++k) {
            omreg_dtype dt = DTYPES[k];
            omreg_npy d1, d2, comp, stats, canon;
#define LOADC(var, what_, type)                                                                \
    snprintf(name, sizeof name, "compose%dd_%s_%s_%s", dim, cc->name, DTS[k], what_);          \
    load(name, type, &var)
            LOADC(d1, "d1", npy_type(dt));
            LOADC(d2, "d2", npy_type(dt));
            LOADC(comp, "comp", npy_type(dt));
            LOADC(stats, "stats", OMREG_NPY_F64);
            LOADC(canon, "stats_canonical", OMREG_NPY_F64);
#undef LOADC
            omreg_image *f1 = wrap_field(&d1, dim, dt), *f2 = wrap_field(&d2, dim, dt);
            const size_t nval = d1.count;
            for (int b = 0; b < 2; ++b) {
                const omreg_backend *be = backend_at(b);
                /* into a fresh field ... */
                omreg_image *out = NULL;
                assert_int_equal(omreg_image_create(&out, dim, d1.shape, dim, dt, NULL),
                                 OMREG_OK);
                memset(omreg_image_data(out), 0xA5, nval * d1.elem_size);
                double st[3];
                assert_int_equal(omreg_compose_vector_fields(be, f1, f2, A.data, B.data,
                                                             ((double *)t.data)[0], out, st),
                                 OMREG_OK);
                snprintf(what, sizeof what, "compose %dD %s %s [%s]", dim, cc->name, DTS[k],
                         omreg_backend_name(be));
                assert_true(same(dt, what, omreg_image_cdata(out), comp.data, nval));
                assert_true(omreg_test_same_f64(what, st, canon.data, 3));
                assert_true(omreg_test_same_f64(what, st, stats.data, 1)); /* max: exact */
                assert_true(omreg_test_close_f64(what, st + 1, (double *)stats.data + 1, 2,
                                                 STATS_ORDER_RTOL, 0));
                /* ... and in place over a copy of d1, as DIPY's SyN update does */
                memcpy(omreg_image_data(out), d1.data, nval * d1.elem_size);
                double st2[3];
                assert_int_equal(omreg_compose_vector_fields(be, out, f2, A.data, B.data,
                                                             ((double *)t.data)[0], out, st2),
                                 OMREG_OK);
                assert_true(same(dt, what, omreg_image_cdata(out), comp.data, nval));
                assert_true(omreg_test_same_f64(what, st2, st, 3));
                omreg_image_free(out);
            }
            omreg_image_free(f1);
            omreg_image_free(f2);
            omreg_npy_free(&d1);
            omreg_npy_free(&d2);
            omreg_npy_free(&comp);
            omreg_npy_free(&stats);
            omreg_npy_free(&canon);
        }
        omreg_npy_free(&A);
        omreg_npy_free(&B);
        omreg_npy_free(&t);
    }
}

static void golden_compose_2d(void **state)
{
    (void)state;
    compose_dim(2);
}

static void golden_compose_3d(void **state)
{
    (void)state;
    compose_dim(3);
}

/* ---- inversion --------------------------------------------------------- */

static const char *const invert_cases[] = {"plain", "start", "loose", "short"};

static void invert_dim(int dim)
{
    char name[128], what[160];
    omreg_npy w2g, spacing;
    snprintf(name, sizeof name, "invert%dd_w2g", dim);
    load(name, OMREG_NPY_F64, &w2g);
    snprintf(name, sizeof name, "invert%dd_spacing", dim);
    load(name, OMREG_NPY_F64, &spacing);
    for (int k = 0; k < 2; ++k) {
        omreg_dtype dt = DTYPES[k];
        omreg_npy d, start;
        snprintf(name, sizeof name, "invert%dd_%s_d", dim, DTS[k]);
        load(name, npy_type(dt), &d);
        snprintf(name, sizeof name, "invert%dd_%s_start", dim, DTS[k]);
        load(name, npy_type(dt), &start);
        omreg_image *fd = wrap_field(&d, dim, dt), *fs = wrap_field(&start, dim, dt);
        for (size_t c = 0; c < sizeof invert_cases / sizeof invert_cases[0]; ++c) {
            omreg_npy inv, iters, params;
            snprintf(name, sizeof name, "invert%dd_%s_%s_inv", dim, invert_cases[c], DTS[k]);
            load(name, npy_type(dt), &inv);
            snprintf(name, sizeof name, "invert%dd_%s_%s_iters", dim, invert_cases[c], DTS[k]);
            load(name, OMREG_NPY_I32, &iters);
            snprintf(name, sizeof name, "invert%dd_%s_%s_params", dim, invert_cases[c], DTS[k]);
            load(name, OMREG_NPY_F64, &params);
            const double *prm = params.data;
            const int use_start = strcmp(invert_cases[c], "start") == 0;
            for (int b = 0; b < 2; ++b) {
                const omreg_backend *be = backend_at(b);
                omreg_image *out = NULL;
                omreg_invert_info info = {-1, -1};
                assert_int_equal(omreg_invert_vector_field_fixed_point(
                                     be, fd, w2g.data, spacing.data, (int)prm[0], prm[1],
                                     use_start ? fs : NULL, &out, &info),
                                 OMREG_OK);
                snprintf(what, sizeof what, "invert %dD %s %s [%s]", dim, invert_cases[c],
                         DTS[k], omreg_backend_name(be));
                assert_int_equal(omreg_image_dtype(out), dt);
                assert_int_equal(omreg_image_voxels(out) * (size_t)dim, inv.count);
                assert_true(same(dt, what, omreg_image_cdata(out), inv.data, inv.count));
                assert_int_equal(info.iterations, ((const int *)iters.data)[0]);
                /* stopped by the tolerance unless max_iter (or 3D's difmag) ended it */
                if (info.iterations < (int)prm[0] && dim == 2)
                    assert_true(info.error <= prm[1]);
                omreg_image_free(out);
            }
            omreg_npy_free(&inv);
            omreg_npy_free(&iters);
            omreg_npy_free(&params);
        }
        omreg_image_free(fd);
        omreg_image_free(fs);
        omreg_npy_free(&d);
        omreg_npy_free(&start);
    }
    omreg_npy_free(&w2g);
    omreg_npy_free(&spacing);
}

static void golden_invert_2d(void **state)
{
    (void)state;
    invert_dim(2);
}

static void golden_invert_3d(void **state)
{
    (void)state;
    invert_dim(3);
}

/* ---- simplification ---------------------------------------------------- */

struct simplify_case {
    const char *name;
    int has_U, has_V, has_W;
};
static const struct simplify_case simplify_cases[] = {
    {"full", 1, 1, 1}, {"noin", 0, 1, 1}, {"nodisp", 1, 1, 0}, {"none", 0, 0, 0}};

static void simplify_dim(int dim)
{
    char name[128], what[160];
    for (size_t c = 0; c < sizeof simplify_cases / sizeof simplify_cases[0]; ++c) {
        const struct simplify_case *sc = &simplify_cases[c];
        omreg_npy U = {0}, V = {0}, W = {0}, shp;
        if (sc->has_U) {
            snprintf(name, sizeof name, "simplify%dd_%s_U", dim, sc->name);
            load(name, OMREG_NPY_F64, &U);
        }
        if (sc->has_V) {
            snprintf(name, sizeof name, "simplify%dd_%s_V", dim, sc->name);
            load(name, OMREG_NPY_F64, &V);
        }
        if (sc->has_W) {
            snprintf(name, sizeof name, "simplify%dd_%s_W", dim, sc->name);
            load(name, OMREG_NPY_F64, &W);
        }
        snprintf(name, sizeof name, "simplify%dd_%s_shape", dim, sc->name);
        load(name, OMREG_NPY_I32, &shp);
        size_t out_shape[3];
        for (int a = 0; a < dim; ++a)
            out_shape[a] = (size_t)((const int *)shp.data)[a];
        for (int k = 0; k < 2; ++k) {
            omreg_dtype dt = DTYPES[k];
            omreg_npy d, want;
            snprintf(name, sizeof name, "simplify%dd_%s_d", dim, DTS[k]);
            load(name, npy_type(dt), &d);
            snprintf(name, sizeof name, "simplify%dd_%s_%s_out", dim, sc->name, DTS[k]);
            load(name, npy_type(dt), &want);
            omreg_image *fd = wrap_field(&d, dim, dt);
            for (int b = 0; b < 2; ++b) {
                const omreg_backend *be = backend_at(b);
                omreg_image *out = NULL;
                assert_int_equal(omreg_simplify_warp_function(be, fd, U.data, V.data, W.data,
                                                              out_shape, &out),
                                 OMREG_OK);
                snprintf(what, sizeof what, "simplify %dD %s %s [%s]", dim, sc->name, DTS[k],
                         omreg_backend_name(be));
                for (int a = 0; a < dim; ++a)
                    assert_int_equal(omreg_image_shape(out)[a], out_shape[a]);
                assert_int_equal(omreg_image_voxels(out) * (size_t)dim, want.count);
                assert_true(same(dt, what, omreg_image_cdata(out), want.data, want.count));
                omreg_image_free(out);
            }
            omreg_image_free(fd);
            omreg_npy_free(&d);
            omreg_npy_free(&want);
        }
        omreg_npy_free(&U);
        omreg_npy_free(&V);
        omreg_npy_free(&W);
        omreg_npy_free(&shp);
    }
}

static void golden_simplify_2d(void **state)
{
    (void)state;
    simplify_dim(2);
}

static void golden_simplify_3d(void **state)
{
    (void)state;
    simplify_dim(3);
}

/* ---- reorientation ----------------------------------------------------- */

static void reorient_dim(int dim)
{
    char name[128], what[160];
    omreg_npy A;
    snprintf(name, sizeof name, "reorient%dd_A", dim);
    load(name, OMREG_NPY_F64, &A);
    for (int k = 0; k < 2; ++k) {
        omreg_dtype dt = DTYPES[k];
        omreg_npy d, want;
        snprintf(name, sizeof name, "reorient%dd_%s_d", dim, DTS[k]);
        load(name, npy_type(dt), &d);
        snprintf(name, sizeof name, "reorient%dd_%s_out", dim, DTS[k]);
        load(name, npy_type(dt), &want);
        for (int b = 0; b < 2; ++b) {
            const omreg_backend *be = backend_at(b);
            omreg_image *f = NULL;
            assert_int_equal(omreg_image_create(&f, dim, d.shape, dim, dt, NULL), OMREG_OK);
            memcpy(omreg_image_data(f), d.data, d.count * d.elem_size);
            assert_int_equal(omreg_reorient_vector_field(be, f, A.data), OMREG_OK);
            snprintf(what, sizeof what, "reorient %dD %s [%s]", dim, DTS[k],
                     omreg_backend_name(be));
            assert_true(same(dt, what, omreg_image_cdata(f), want.data, want.count));
            omreg_image_free(f);
        }
        omreg_npy_free(&d);
        omreg_npy_free(&want);
    }
    omreg_npy_free(&A);
}

static void golden_reorient_2d(void **state)
{
    (void)state;
    reorient_dim(2);
}

static void golden_reorient_3d(void **state)
{
    (void)state;
    reorient_dim(3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_compose_2d),  cmocka_unit_test(golden_compose_3d),
        cmocka_unit_test(golden_invert_2d),   cmocka_unit_test(golden_invert_3d),
        cmocka_unit_test(golden_simplify_2d), cmocka_unit_test(golden_simplify_3d),
        cmocka_unit_test(golden_reorient_2d), cmocka_unit_test(golden_reorient_3d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
