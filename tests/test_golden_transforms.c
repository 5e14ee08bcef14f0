/* Golden test of the parametric transforms against DIPY 1.6
 * (fixtures/gen_transforms.py: regtransforms[(NAME, dim)] param_to_matrix,
 * jacobian, get_identity_parameters, get_number_of_parameters), every type
 * in 2D and 3D. Everything is compared BITWISE: omreg evaluates DIPY's
 * expression trees in DIPY's order with the same libm sin/cos, and the
 * build has -ffp-contract=off (DIPY's x86-64 build cannot fuse either).
 * Transforms are O(parameters) core functions, not backend kernels, so no
 * backend table is involved. NaN policy: the main fixtures are finite;
 * outputs are pre-filled with NaN so an unwritten entry fails the byte
 * comparison. The non-finite cases (each parameter, then each coordinate,
 * set to NaN, +inf, -inf) compare finite entries bitwise and require NaN
 * exactly where DIPY has NaN (any payload: cos(inf)'s NaN is libm's);
 * their outputs are pre-filled with a finite sentinel instead. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/transform.h"
#include "transform_point.h"

struct key {
    const char *name; /* DIPY's regtransforms name */
    const char *file; /* fixture prefix */
};

static const struct key keys[] = {
    {"TRANSLATION", "translation"},         {"ROTATION", "rotation"},
    {"RIGID", "rigid"},                     {"RIGIDISOSCALING", "rigidisoscaling"},
    {"RIGIDSCALING", "rigidscaling"},       {"SCALING", "scaling"},
    {"AFFINE", "affine"},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static void load(const struct key *k, int dim, const char *what, omreg_npy_type type,
                 omreg_npy *out)
{
    char rel[256];
    snprintf(rel, sizeof rel, "transforms/%s_%dd_%s.npy", k->file, dim, what);
    omreg_test_load(rel, type, out);
}

static void fill_nan(double *a, size_t n)
{
    memset(a, 0xFF, n * sizeof(double)); /* all-ones bytes: a NaN */
}

static void check_key(const struct key *k, int dim)
{
    omreg_transform_type type;
    assert_int_equal(omreg_transform_from_name(k->name, dim, &type), OMREG_OK);
    assert_string_equal(omreg_transform_name(type), k->name);

    omreg_npy identity, params, points, matrix, jac, constant;
    load(k, dim, "identity", OMREG_NPY_F64, &identity);
    load(k, dim, "params", OMREG_NPY_F64, &params);
    load(k, dim, "points", OMREG_NPY_F64, &points);
    load(k, dim, "matrix", OMREG_NPY_F64, &matrix);
    load(k, dim, "jacobian", OMREG_NPY_F64, &jac);
    load(k, dim, "constant", OMREG_NPY_I32, &constant);

    /* number of parameters: DIPY's get_number_of_parameters */
    int n = -1;
    assert_int_equal(omreg_transform_nparams(type, dim, &n), OMREG_OK);
    assert_int_equal((size_t)n, identity.count);
    assert_int_equal(params.ndim, 2);
    assert_int_equal(params.shape[1], (size_t)n);
    assert_int_equal(points.shape[1], (size_t)dim);
    const size_t nk = params.shape[0], np_ = points.shape[0];
    const size_t msz = (size_t)(dim + 1) * (size_t)(dim + 1), jsz = (size_t)dim * (size_t)n;
    assert_int_equal(matrix.count, nk * msz);
    assert_int_equal(jac.count, nk * np_ * jsz);

    char what[128];
    double buf[OMREG_TRANSFORM_MAX_PARAMS * 3 + 16];

    /* identity parameters */
    fill_nan(buf, (size_t)n);
    assert_int_equal(omreg_transform_identity_params(type, dim, buf), OMREG_OK);
    snprintf(what, sizeof what, "%s %dD identity params", k->name, dim);
    assert_true(omreg_test_same_f64(what, buf, identity.data, (size_t)n));

    const double *P = params.data, *X = points.data, *M = matrix.data, *J = jac.data;
    const int want_constant = ((const int *)constant.data)[0];
    for (size_t i = 0; i < nk; ++i) {
        /* param_to_matrix */
        fill_nan(buf, msz);
        assert_int_equal(omreg_transform_param_to_matrix(type, dim, P + i * (size_t)n, buf),
                         OMREG_OK);
        snprintf(what, sizeof what, "%s %dD matrix of params[%zu]", k->name, dim, i);
        assert_true(omreg_test_same_f64(what, buf, M + i * msz, msz));

        /* the kernels' unchecked path gives the same bits */
        fill_nan(buf, msz);
        omreg_transform_matrix_unchecked(type, dim, P + i * (size_t)n, buf);
        assert_true(omreg_test_same_f64(what, buf, M + i * msz, msz));

        for (size_t p = 0; p < np_; ++p) {
            int is_constant = -1;
            fill_nan(buf, jsz);
            assert_int_equal(omreg_transform_jacobian(type, dim, P + i * (size_t)n,
                                                      X + p * (size_t)dim, buf, &is_constant),
                             OMREG_OK);
            snprintf(what, sizeof what, "%s %dD jacobian of params[%zu] at points[%zu]",
                     k->name, dim, i, p);
            assert_true(omreg_test_same_f64(what, buf, J + (i * np_ + p) * jsz, jsz));
            assert_int_equal(is_constant, want_constant);

            fill_nan(buf, jsz);
            is_constant = omreg_transform_jacobian_unchecked(type, dim, P + i * (size_t)n,
                                                             X + p * (size_t)dim, buf);
            assert_true(omreg_test_same_f64(what, buf, J + (i * np_ + p) * jsz, jsz));
            assert_int_equal(is_constant, want_constant);
        }
    }

    omreg_npy_free(&identity);
    omreg_npy_free(&params);
    omreg_npy_free(&points);
    omreg_npy_free(&matrix);
    omreg_npy_free(&jac);
    omreg_npy_free(&constant);
}

/* Same bits, or NaN where DIPY has NaN. */
static void same_or_both_nan(const char *what, const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        const int ok = isnan(want[i]) ? isnan(got[i]) != 0
                                      : memcmp(&got[i], &want[i], sizeof(double)) == 0;
        if (!ok)
            fail_msg("%s[%zu]: got %a, want %a", what, i, got[i], want[i]);
    }
}

static void fill_sentinel(double *a, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        a[i] = -12345.0;
}

/* DIPY's param_to_matrix / jacobian on non-finite values (fixtures
 * <name>_<dim>d_nonfinite_{matrix,jacobian_params,jacobian_points}). */
static void check_nonfinite(const struct key *k, int dim)
{
    static const double bad[3] = {NAN, INFINITY, -INFINITY};
    omreg_transform_type type;
    assert_int_equal(omreg_transform_from_name(k->name, dim, &type), OMREG_OK);
    int n = 0;
    assert_int_equal(omreg_transform_nparams(type, dim, &n), OMREG_OK);
    omreg_npy identity, matrix, jp, jx;
    load(k, dim, "identity", OMREG_NPY_F64, &identity);
    load(k, dim, "nonfinite_matrix", OMREG_NPY_F64, &matrix);
    load(k, dim, "nonfinite_jacobian_params", OMREG_NPY_F64, &jp);
    load(k, dim, "nonfinite_jacobian_points", OMREG_NPY_F64, &jx);
    const size_t nm = (size_t)(dim + 1) * (size_t)(dim + 1), nj = (size_t)dim * (size_t)n;
    assert_int_equal(matrix.count, 3 * (size_t)n * nm);
    assert_int_equal(jp.count, 3 * (size_t)n * nj);
    assert_int_equal(jx.count, 3 * (size_t)dim * nj);
    char what[128];
    for (int b = 0; b < 3; ++b) {
        const double x0[3] = {1, 2, 3};
        for (int q = 0; q < n; ++q) {
            double p[OMREG_TRANSFORM_MAX_PARAMS], m[16], j[3 * OMREG_TRANSFORM_MAX_PARAMS];
            memcpy(p, identity.data, (size_t)n * sizeof(double));
            p[q] = bad[b];
            fill_sentinel(m, nm);
            fill_sentinel(j, nj);
            assert_int_equal(omreg_transform_param_to_matrix(type, dim, p, m), OMREG_OK);
            assert_int_equal(omreg_transform_jacobian(type, dim, p, x0, j, NULL), OMREG_OK);
            snprintf(what, sizeof what, "%s %dD matrix, param %d = %g", k->name, dim, q, bad[b]);
            same_or_both_nan(what, m, (const double *)matrix.data + ((size_t)b * n + q) * nm, nm);
            snprintf(what, sizeof what, "%s %dD jacobian, param %d = %g", k->name, dim, q,
                     bad[b]);
            same_or_both_nan(what, j, (const double *)jp.data + ((size_t)b * n + q) * nj, nj);
        }
        for (int d = 0; d < dim; ++d) {
            double x[3] = {1, 2, 3}, j[3 * OMREG_TRANSFORM_MAX_PARAMS];
            x[d] = bad[b];
            fill_sentinel(j, nj);
            assert_int_equal(omreg_transform_jacobian(type, dim, identity.data, x, j, NULL),
                             OMREG_OK);
            snprintf(what, sizeof what, "%s %dD jacobian, x[%d] = %g", k->name, dim, d, bad[b]);
            same_or_both_nan(what, j, (const double *)jx.data + ((size_t)b * dim + d) * nj, nj);
        }
    }
    omreg_npy_free(&identity);
    omreg_npy_free(&matrix);
    omreg_npy_free(&jp);
    omreg_npy_free(&jx);
}

static void nonfinite(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim)
        for (size_t i = 0; i < NKEYS; ++i)
            check_nonfinite(&keys[i], dim);
}

static void golden_2d(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKEYS; ++i)
        check_key(&keys[i], 2);
}

static void golden_3d(void **state)
{
    (void)state;
    for (size_t i = 0; i < NKEYS; ++i)
        check_key(&keys[i], 3);
}

/* Every DIPY key is covered: the table above has one entry per type. */
static void every_type_is_covered(void **state)
{
    (void)state;
    assert_int_equal(NKEYS, OMREG_TRANSFORM_TYPE_COUNT);
    for (int t = 0; t < OMREG_TRANSFORM_TYPE_COUNT; ++t) {
        int found = 0;
        for (size_t i = 0; i < NKEYS; ++i)
            found += strcmp(keys[i].name, omreg_transform_name((omreg_transform_type)t)) == 0;
        assert_int_equal(found, 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_2d),
        cmocka_unit_test(golden_3d),
        cmocka_unit_test(nonfinite),
        cmocka_unit_test(every_type_is_covered),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
