/* Unit tests of the parametric transforms, independent of DIPY's numbers:
 * - every Jacobian against central finite differences of
 *   param_to_matrix(params) * x, every type, 2D and 3D, random parameters
 *   and points (tolerance derived from the step below);
 * - identity parameters give exactly the identity matrix;
 * - parameter counts match DIPY's documented layouts;
 * - the 3D rotation is Rz(c) * Rx(a) * Ry(b), built from the elementary
 *   rotations (tolerance: a few ulps, since the product is summed in a
 *   different order than DIPY's closed form);
 * - the name lookup round-trips for every (name, dim);
 * - the initial alignments on images whose centres are known exactly
 *   (a single bright voxel, a constant image: all sums are exact integers
 *   times a power of two), with both backends.
 * NaN policy: all inputs are finite; outputs are pre-filled with NaN so an
 * unwritten entry fails. */
#include "omreg_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "omreg/image.h"
#include "omreg/matrix.h"
#include "omreg/random.h"
#include "omreg/transform.h"

#define NTRIALS 40 /* random (params, point) pairs per transform */
#define PI 3.14159265358979323846

/* Random parameters stay in these ranges (see random_params). */
#define COORD_MAX 60.0 /* |x_i| */
#define SHIFT_MAX 30.0 /* |translation| */
#define SCALE_MAX 2.0  /* scales in [0.5, 2], affine entries in [-2, 2] */

/* Central differences f'(p) ~ (f(p + h) - f(p - h)) / (2h). The error is
 * truncation h^2/6 * |f'''| plus rounding ~ 2 eps |f| / (2h) per evaluation.
 * Each f = (M(p) x)_r is linear in translations, scales and affine entries
 * (no truncation) and a sum of at most 3 terms (scale * trig * x_i) in the
 * angles, whose third derivatives are bounded by the same sums with
 * |trig'''| <= 1 along one angle: |f'''| <= F = SCALE_MAX * 3 * COORD_MAX,
 * and |f| <= F + SHIFT_MAX + ... bounded by FMAX below. With h = 1e-5 the
 * bound is ~1e-8; FD_SAFETY covers the few roundings of the matrix itself. */
#define FD_STEP 1e-5
#define FD_F3_BOUND (SCALE_MAX * 3.0 * COORD_MAX)
#define FD_FMAX (4.0 * SCALE_MAX * 3.0 * COORD_MAX + SHIFT_MAX)
#define FD_SAFETY 4.0
#define FD_TOL                                                                                  \
    (FD_SAFETY * (FD_STEP * FD_STEP / 6.0 * FD_F3_BOUND + 2.0 * DBL_EPSILON * FD_FMAX / FD_STEP))

/* Elementary-rotation products differ from the closed form only by the
 * rounding of a few products and sums of numbers <= 1 in magnitude. */
#define ROT_COMPOSE_TOL (8.0 * DBL_EPSILON)

static const char *const names[] = {"TRANSLATION",  "ROTATION", "RIGID", "RIGIDISOSCALING",
                                    "RIGIDSCALING", "SCALING",  "AFFINE"};
#define NNAMES (sizeof names / sizeof names[0])

static double uni(uint64_t seed, uint64_t i, double lo, double hi)
{
    return lo + (hi - lo) * omreg_random_uniform(seed, i);
}

/* Random parameters for the type, in the ranges above. */
static void random_params(omreg_transform_type type, int dim, uint64_t seed, double *p)
{
    const int nang = dim == 2 ? 1 : 3;
    int n = 0;
    assert_int_equal(omreg_transform_nparams(type, dim, &n), OMREG_OK);
    for (int i = 0; i < n; ++i) {
        double v;
        if (type == OMREG_TRANSFORM_AFFINE)
            v = (i % (dim + 1) == dim) ? uni(seed, i, -SHIFT_MAX, SHIFT_MAX)
                                       : uni(seed, i, -SCALE_MAX, SCALE_MAX);
        else if (type == OMREG_TRANSFORM_TRANSLATION)
            v = uni(seed, i, -SHIFT_MAX, SHIFT_MAX);
        else if (type == OMREG_TRANSFORM_SCALING)
            v = uni(seed, i, 0.5, SCALE_MAX);
        else if (i < nang) /* angles */
            v = uni(seed, i, -PI, PI);
        else if (i < nang + dim) /* translations */
            v = uni(seed, i, -SHIFT_MAX, SHIFT_MAX);
        else /* scales */
            v = uni(seed, i, 0.5, SCALE_MAX);
        p[i] = v;
    }
}

/* (M x)_r for the (dim+1)x(dim+1) matrix M. */
static void apply(int dim, const double *m, const double *x, double *y)
{
    for (int r = 0; r < dim; ++r) {
        double s = m[r * (dim + 1) + dim];
        for (int c = 0; c < dim; ++c)
            s += m[r * (dim + 1) + c] * x[c];
        y[r] = s;
    }
}

static void jacobian_vs_finite_differences(int dim)
{
    for (size_t t = 0; t < NNAMES; ++t) {
        omreg_transform_type type;
        assert_int_equal(omreg_transform_from_name(names[t], dim, &type), OMREG_OK);
        int n = 0;
        assert_int_equal(omreg_transform_nparams(type, dim, &n), OMREG_OK);
        double worst = 0.0;
        for (uint64_t trial = 0; trial < NTRIALS; ++trial) {
            const uint64_t seed = 1000 * (uint64_t)dim + 100 * t + trial;
            double p[OMREG_TRANSFORM_MAX_PARAMS], x[3], jac[3 * OMREG_TRANSFORM_MAX_PARAMS];
            random_params(type, dim, seed, p);
            for (int d = 0; d < dim; ++d)
                x[d] = uni(seed + 77777, (uint64_t)d, -COORD_MAX, COORD_MAX);
            memset(jac, 0xFF, sizeof jac);
            int is_constant = -1;
            assert_int_equal(omreg_transform_jacobian(type, dim, p, x, jac, &is_constant),
                             OMREG_OK);
            assert_int_equal(is_constant, type == OMREG_TRANSFORM_TRANSLATION);
            for (int j = 0; j < n; ++j) {
                double pp[OMREG_TRANSFORM_MAX_PARAMS], pm[OMREG_TRANSFORM_MAX_PARAMS];
                double mp[16], mm[16], yp[3], ym[3];
                memcpy(pp, p, sizeof pp);
                memcpy(pm, p, sizeof pm);
                pp[j] += FD_STEP;
                pm[j] -= FD_STEP;
                assert_int_equal(omreg_transform_param_to_matrix(type, dim, pp, mp), OMREG_OK);
                assert_int_equal(omreg_transform_param_to_matrix(type, dim, pm, mm), OMREG_OK);
                apply(dim, mp, x, yp);
                apply(dim, mm, x, ym);
                for (int r = 0; r < dim; ++r) {
                    /* divide by the step actually taken (pp[j] - pm[j] is exact
                     * up to the rounding of p +- h, which we remove this way) */
                    double fd = (yp[r] - ym[r]) / (pp[j] - pm[j]);
                    double err = fabs(fd - jac[r * n + j]);
                    if (!(err <= FD_TOL))
                        fail_msg("%s %dD trial %u: dT_%d/dp_%d = %a, finite difference %a, "
                                 "error %g > %g",
                                 names[t], dim, (unsigned)trial, r, j, jac[r * n + j], fd, err,
                                 FD_TOL);
                    if (err > worst)
                        worst = err;
                }
            }
        }
        printf("# %s %dD: worst Jacobian vs finite difference %.3g (tolerance %.3g)\n",
               names[t], dim, worst, FD_TOL);
    }
}

static void jacobian_fd_2d(void **state)
{
    (void)state;
    jacobian_vs_finite_differences(2);
}

static void jacobian_fd_3d(void **state)
{
    (void)state;
    jacobian_vs_finite_differences(3);
}

static void identity_params_give_identity_matrix(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim)
        for (size_t t = 0; t < NNAMES; ++t) {
            omreg_transform_type type;
            assert_int_equal(omreg_transform_from_name(names[t], dim, &type), OMREG_OK);
            double p[OMREG_TRANSFORM_MAX_PARAMS], m[16], eye[16];
            memset(p, 0xFF, sizeof p);
            memset(m, 0xFF, sizeof m);
            assert_int_equal(omreg_transform_identity_params(type, dim, p), OMREG_OK);
            assert_int_equal(omreg_transform_param_to_matrix(type, dim, p, m), OMREG_OK);
            omreg_mat_identity(dim + 1, eye);
            /* compared by value: DIPY's -sin(0) puts -0.0 in rotation matrices
             * (the golden test checks those bits) */
            for (int i = 0; i < (dim + 1) * (dim + 1); ++i)
                if (!(m[i] == eye[i]))
                    fail_msg("%s %dD identity matrix: entry %d is %a", names[t], dim, i, m[i]);
        }
}

/* DIPY's documented parameter layouts (transforms.pyx docstrings). */
static void nparams_per_type(void **state)
{
    (void)state;
    static const int want[NNAMES][2] = {{2, 3}, {1, 3}, {3, 6}, {4, 7}, {5, 9}, {1, 1}, {6, 12}};
    for (size_t t = 0; t < NNAMES; ++t)
        for (int dim = 2; dim <= 3; ++dim) {
            omreg_transform_type type;
            int n = -1;
            assert_int_equal(omreg_transform_from_name(names[t], dim, &type), OMREG_OK);
            assert_int_equal(omreg_transform_nparams(type, dim, &n), OMREG_OK);
            assert_int_equal(n, want[t][dim - 2]);
            assert_true(n <= OMREG_TRANSFORM_MAX_PARAMS);
        }
}

static void rot_x(double a, double *m)
{
    omreg_mat_identity(4, m);
    m[5] = cos(a), m[6] = -sin(a), m[9] = sin(a), m[10] = cos(a);
}
static void rot_y(double b, double *m)
{
    omreg_mat_identity(4, m);
    m[0] = cos(b), m[2] = sin(b), m[8] = -sin(b), m[10] = cos(b);
}
static void rot_z(double c, double *m)
{
    omreg_mat_identity(4, m);
    m[0] = cos(c), m[1] = -sin(c), m[4] = sin(c), m[5] = cos(c);
}

/* DIPY: "rotation matrices of angles theta[0], theta[1], theta[2] around
 * axes x, y, z applied in the following order: y, x, z". */
static void rotation_3d_order_is_y_x_z(void **state)
{
    (void)state;
    for (uint64_t trial = 0; trial < 20; ++trial) {
        double ang[3], rx[16], ry[16], rz[16], want[16], got[16];
        for (int i = 0; i < 3; ++i)
            ang[i] = uni(4242 + trial, (uint64_t)i, -PI, PI);
        rot_x(ang[0], rx);
        rot_y(ang[1], ry);
        rot_z(ang[2], rz);
        omreg_mat_mul(4, rx, ry, want);
        omreg_mat_mul(4, rz, want, want);
        assert_int_equal(
            omreg_transform_param_to_matrix(OMREG_TRANSFORM_ROTATION, 3, ang, got), OMREG_OK);
        assert_true(omreg_test_close_f64("Rz Rx Ry", got, want, 16, 0.0, ROT_COMPOSE_TOL));
        /* RIGIDSCALING scales rows: M = diag(s) R, translation last column */
        double prs[9] = {ang[0], ang[1], ang[2], 1.5, -2.5, 3.5, 0.75, 1.25, 1.5}, mrs[16];
        assert_int_equal(
            omreg_transform_param_to_matrix(OMREG_TRANSFORM_RIGIDSCALING, 3, prs, mrs),
            OMREG_OK);
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c)
                assert_true(fabs(mrs[r * 4 + c] - prs[6 + r] * want[r * 4 + c]) <=
                            SCALE_MAX * ROT_COMPOSE_TOL);
            assert_true(mrs[r * 4 + 3] == prs[3 + r]);
        }
    }
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim)
        for (size_t t = 0; t < NNAMES; ++t) {
            omreg_transform_type type = OMREG_TRANSFORM_TYPE_COUNT;
            assert_int_equal(omreg_transform_from_name(names[t], dim, &type), OMREG_OK);
            assert_int_equal((int)type, (int)t); /* enum order = the table order above */
            assert_string_equal(omreg_transform_name(type), names[t]);
        }
}

/* static: one voxel of value 3.5 at `at`, else 0; moving: constant 2.0.
 * Identity grid-to-world: the translation is exactly
 * (shape_m - 1) / 2 - at per axis. */
static void centers_of_mass_exact(int dim, const size_t *shape_s, const size_t *at,
                                  const size_t *shape_m)
{
    const omreg_backend *tables[2] = {omreg_backend_reference(), omreg_backend_parallel()};
    omreg_image *s = NULL, *m = NULL;
    assert_int_equal(omreg_image_create(&s, dim, shape_s, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&m, dim, shape_m, 1, OMREG_F64, NULL), OMREG_OK);
    size_t idx = 0;
    for (int d = 0; d < dim; ++d)
        idx = idx * shape_s[d] + at[d];
    ((double *)omreg_image_data(s))[idx] = 3.5;
    for (size_t v = 0; v < omreg_image_voxels(m); ++v)
        ((double *)omreg_image_data(m))[v] = 2.0;
    for (int t = 0; t < 2; ++t) {
        double a[16], eye[16];
        memset(a, 0xFF, sizeof a);
        assert_int_equal(omreg_transform_centers_of_mass(tables[t], s, m, a), OMREG_OK);
        omreg_mat_identity(dim + 1, eye);
        for (int r = 0; r < dim; ++r)
            eye[r * (dim + 1) + dim] = ((double)shape_m[r] - 1.0) / 2.0 - (double)at[r];
        for (int i = 0; i < (dim + 1) * (dim + 1); ++i)
            if (!(a[i] == eye[i]))
                fail_msg("%dD centres of mass (%s): entry %d is %a, want %a", dim,
                         omreg_backend_name(tables[t]), i, a[i], eye[i]);
    }
    omreg_image_free(s);
    omreg_image_free(m);
}

static void centers_of_mass_exact_2d(void **state)
{
    (void)state;
    const size_t shape_s[2] = {13, 9}, at[2] = {11, 2}, shape_m[2] = {8, 15};
    centers_of_mass_exact(2, shape_s, at, shape_m);
}

static void centers_of_mass_exact_3d(void **state)
{
    (void)state;
    const size_t shape_s[3] = {7, 9, 5}, at[3] = {4, 2, 3}, shape_m[3] = {6, 11, 8};
    centers_of_mass_exact(3, shape_s, at, shape_m);
}

/* Geometric centres and origins with translations-only grid-to-world
 * affines: exact half-integer arithmetic. */
static void geometric_centers_and_origins_exact(void **state)
{
    (void)state;
    const size_t shape_s[3] = {7, 9, 5}, shape_m[3] = {6, 11, 8};
    const double ts[3] = {1.5, -2.0, 4.25}, tm[3] = {-3.0, 0.5, 2.0};
    for (int dim = 2; dim <= 3; ++dim) {
        const int n = dim + 1;
        double gs[16], gm[16], a[16], want[16];
        omreg_mat_identity(n, gs);
        omreg_mat_identity(n, gm);
        for (int r = 0; r < dim; ++r) {
            gs[r * n + dim] = ts[r];
            gm[r * n + dim] = tm[r];
        }
        omreg_image *s = NULL, *m = NULL;
        assert_int_equal(omreg_image_create(&s, dim, shape_s, 1, OMREG_F32, gs), OMREG_OK);
        assert_int_equal(omreg_image_create(&m, dim, shape_m, dim, OMREG_F64, gm), OMREG_OK);

        omreg_mat_identity(n, want);
        for (int r = 0; r < dim; ++r)
            want[r * n + dim] = ((double)shape_m[r] * 0.5 + tm[r]) -
                                ((double)shape_s[r] * 0.5 + ts[r]);
        memset(a, 0xFF, sizeof a);
        assert_int_equal(omreg_transform_geometric_centers(s, m, a), OMREG_OK);
        assert_true(omreg_test_same_f64("geometric centres", a, want, (size_t)(n * n)));

        for (int r = 0; r < dim; ++r)
            want[r * n + dim] = tm[r] - ts[r];
        memset(a, 0xFF, sizeof a);
        assert_int_equal(omreg_transform_origins(s, m, a), OMREG_OK);
        assert_true(omreg_test_same_f64("origins", a, want, (size_t)(n * n)));
        omreg_image_free(s);
        omreg_image_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(jacobian_fd_2d),
        cmocka_unit_test(jacobian_fd_3d),
        cmocka_unit_test(identity_params_give_identity_matrix),
        cmocka_unit_test(nparams_per_type),
        cmocka_unit_test(rotation_3d_order_is_y_x_z),
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(centers_of_mass_exact_2d),
        cmocka_unit_test(centers_of_mass_exact_3d),
        cmocka_unit_test(geometric_centers_and_origins_exact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
