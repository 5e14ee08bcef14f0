/* Properties of the displacement-field operations that follow from their
 * definitions, independent of DIPY's fixtures; run with
 * omreg_test_backend() (and so under OMREG_BACKEND=reference too).
 *  - compose with a zero field: comp = d1 exactly where x + d1(x) lies in
 *    [0, n-1) on every axis, 0 elsewhere; with a zero d1 and no
 *    premultiplication, comp = t * d2 at grid points (weights 1 and 0);
 *    statistics of a constant field; NaN mean/std with no voxel inside;
 *  - the inverse of a smooth field composed with the field is close to the
 *    identity (INVERSE_RESIDUAL_MAX, INVERSE_RESIDUAL_MEAN below);
 *  - inverse of the zero field is zero after one iteration; max_iter 0
 *    returns the start field;
 *  - reorient by the identity (with any translation) is a no-op, and by
 *    A then A^-1 returns the field within REORIENT_ROUNDTRIP_RTOL;
 *  - simplify with all affines NULL, or only U = identity, returns d.
 * Exact checks compare bytes; inputs hold no signed zeros (x*1 + 0 would
 * turn -0 into +0). NaN policy: NaN appears only where asserted. */
#include "omreg_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/image.h"
#include "omreg/matrix.h"
#include "omreg/vector_fields.h"

/* Inverse of d(x) = A sin(2 pi x / L), component a varying along axis
 * a+1 (A = 0.8 voxel, L = 16 voxels, so |grad d| <= A 2 pi / L = 0.31 and
 * the map is a diffeomorphism), checked in the other order: c(x) = d(x) +
 * inv(x + d(x)) should vanish. Linear interpolation of a component with
 * |d''| <= A (2 pi / L)^2 = 0.123 errs by at most |d''| h^2 / 8 = 0.0154
 * voxel (h = 1). The fixed point inverts the interpolated d, so inv is off
 * by about 0.0154 / (1 - 0.31) = 0.022 at grid points, and interpolating
 * inv at x + d(x) adds about as much again: 0.045 voxel per component, so
 * sqrt(2) * 0.045 = 0.064 for the norm in 2D plus the mean-residual
 * tolerance (1e-4). In 3D DIPY also stops once the largest residual is
 * <= 0.1 voxel, which adds 0.1 to sqrt(3) * 0.045 = 0.078. Measured over
 * voxels at least MARGIN from the border (near it the inverse would need
 * values from outside the grid). */
static const double INVERSE_RESIDUAL_MAX_2D = 0.07;
static const double INVERSE_RESIDUAL_MAX_3D = 0.18;
/* ... and the inverse must cancel most of d: mean |c| <= this fraction of
 * mean |d| (about 0.7 voxel); a no-op inverse gives 1. */
static const double INVERSE_RESIDUAL_FRACTION = 0.1;
#define MARGIN 3
/* A (A^-1 v) rounds twice per component through dim-term dot products:
 * a few ulps relative to |v| for the well-conditioned A used here. */
static const double REORIENT_ROUNDTRIP_RTOL = 1e-13;

static omreg_image *field(int dim, const size_t *shape, omreg_dtype dt)
{
    omreg_image *f = NULL;
    assert_int_equal(omreg_image_create(&f, dim, shape, dim, dt, NULL), OMREG_OK);
    return f;
}

static double get(const omreg_image *f, size_t i)
{
    return omreg_image_dtype(f) == OMREG_F64 ? ((const double *)omreg_image_cdata(f))[i]
                                              : ((const float *)omreg_image_cdata(f))[i];
}

static void set(omreg_image *f, size_t i, double v)
{
    if (omreg_image_dtype(f) == OMREG_F64)
        ((double *)omreg_image_data(f))[i] = v;
    else
        ((float *)omreg_image_data(f))[i] = (float)v;
}

static void fill_uniform(omreg_image *f, uint64_t seed, double lo, double hi)
{
    size_t n = omreg_image_voxels(f) * (size_t)omreg_image_ncomp(f);
    if (omreg_image_dtype(f) == OMREG_F64)
        omreg_test_fill_uniform_f64(omreg_image_data(f), n, seed, lo, hi);
    else
        omreg_test_fill_uniform_f32(omreg_image_data(f), n, seed, lo, hi);
}

/* grid index of voxel v along axis a */
static size_t coord(int dim, const size_t *shape, size_t v, int a)
{
    for (int b = dim - 1; b > a; --b)
        v /= shape[b];
    return v % shape[a];
}

static const size_t shape2[2] = {19, 23}, shape3[3] = {11, 13, 12};
static const omreg_dtype DTYPES[2] = {OMREG_F64, OMREG_F32};

static size_t nvoxels(int dim, const size_t *shape)
{
    size_t n = 1;
    for (int a = 0; a < dim; ++a)
        n *= shape[a];
    return n;
}

/* ---- composition ---------------------------------------------------------- */

/* comp = d1 + t * 0 = d1 where every corner around x + d1(x) is in the
 * grid, i.e. 0 <= x_a + d1_a(x) < n_a - 1 on every axis; 0 elsewhere. */
static void compose_zero_d2(int dim, omreg_dtype dt)
{
    const omreg_backend *be = omreg_test_backend();
    const size_t *shape = dim == 2 ? shape2 : shape3, n = nvoxels(dim, shape);
    omreg_image *d1 = field(dim, shape, dt), *zero = field(dim, shape, dt);
    omreg_image *comp = field(dim, shape, dt);
    fill_uniform(d1, 11, -1.5, 1.5);
    double stats[3];
    assert_int_equal(omreg_compose_vector_fields(be, d1, zero, NULL, NULL, 0.6, comp, stats),
                     OMREG_OK);
    size_t inside = 0;
    for (size_t v = 0; v < n; ++v) {
        int in = 1;
        for (int a = 0; a < dim; ++a) {
            /* the position in double, as the kernel forms it */
            double pos = (double)coord(dim, shape, v, a) + get(d1, v * (size_t)dim + (size_t)a);
            in = in && pos >= 0 && pos < (double)(shape[a] - 1);
        }
        inside += (size_t)in;
        for (int a = 0; a < dim; ++a) {
            size_t k = v * (size_t)dim + (size_t)a;
            double want = in ? get(d1, k) : 0.0;
            assert_memory_equal(&(double){get(comp, k)}, &want, sizeof want);
        }
    }
    assert_true(inside > n / 4 && inside < n); /* both kinds of voxel occur */
    omreg_image_free(d1);
    omreg_image_free(zero);
    omreg_image_free(comp);
}

/* d1 = 0, no premultiplication: x + 0 is a grid point, the interpolation
 * weights are 1 and 0, so comp = t * d2[x] exactly where x_a < n_a - 1 on
 * every axis (the last slice/row/column lacks its far corners: 0). */
static void compose_zero_d1(int dim, omreg_dtype dt)
{
    const omreg_backend *be = omreg_test_backend();
    const size_t *shape = dim == 2 ? shape2 : shape3, n = nvoxels(dim, shape);
    omreg_image *zero = field(dim, shape, dt), *d2 = field(dim, shape, dt);
    omreg_image *comp = field(dim, shape, dt);
    fill_uniform(d2, 12, -2.0, 2.0);
    const double t = 0.37;
    assert_int_equal(omreg_compose_vector_fields(be, zero, d2, NULL, NULL, t, comp, NULL),
                     OMREG_OK);
    for (size_t v = 0; v < n; ++v) {
        int in = 1;
        for (int a = 0; a < dim; ++a)
            in = in && coord(dim, shape, v, a) + 1 < shape[a];
        for (int a = 0; a < dim; ++a) {
            size_t k = v * (size_t)dim + (size_t)a;
            double want = in ? t * get(d2, k) + 0.0 : 0.0;
            if (dt == OMREG_F32)
                want = (float)want;
            assert_memory_equal(&(double){get(comp, k)}, &want, sizeof want);
        }
    }
    omreg_image_free(zero);
    omreg_image_free(d2);
    omreg_image_free(comp);
}

/* A constant d1 = c over a zero d2, everything inside: stats[0] = |c|
 * exactly (one value, squared in the field's type), mean = |c|^2 up to
 * the rounding of n equal additions. All outside: DIPY's 0 / 0. */
static void compose_stats(int dim, omreg_dtype dt)
{
    const omreg_backend *be = omreg_test_backend();
    const size_t *shape = dim == 2 ? shape2 : shape3, n = nvoxels(dim, shape);
    omreg_image *d1 = field(dim, shape, dt), *zero = field(dim, shape, dt);
    omreg_image *comp = field(dim, shape, dt);
    const double c[3] = {0.25, -0.125, 0.375}; /* exact in float; |x + c| stays in the grid */
    for (size_t v = 0; v < n; ++v)
        for (int a = 0; a < dim; ++a)
            set(d1, v * (size_t)dim + (size_t)a, c[a]);
    /* premult_index shrinks the grid by 0.5 so x + c stays inside d2 */
    double A[16] = {0};
    for (int a = 0; a < dim; ++a) {
        A[a * (dim + 1) + a] = 0.5;
        A[a * (dim + 1) + dim] = 1.0;
    }
    A[dim * (dim + 1) + dim] = 1.0;
    double stats[3];
    assert_int_equal(omreg_compose_vector_fields(be, d1, zero, A, NULL, 2.0, comp, stats),
                     OMREG_OK);
    double nn = 0;
    for (int a = 0; a < dim; ++a)
        nn += c[a] * c[a]; /* exact: few bits */
    double norm = sqrt(nn);
    assert_memory_equal(&stats[0], &norm, sizeof norm);
    assert_true(omreg_test_close_f64("mean", &stats[1], &norm, 1, 1e-13, 0));
    assert_true(!(stats[2] > 1e-6)); /* ~0, or NaN as DIPY's sqrt of a tiny negative */
    /* every point outside d2 */
    for (int a = 0; a < dim; ++a)
        A[a * (dim + 1) + dim] = 1000.0;
    assert_int_equal(omreg_compose_vector_fields(be, d1, zero, A, NULL, 2.0, comp, stats),
                     OMREG_OK);
    assert_true(stats[0] == 0.0);
    assert_true(isnan(stats[1]) && isnan(stats[2]));
    for (size_t k = 0; k < n * (size_t)dim; ++k)
        assert_true(get(comp, k) == 0.0);
    omreg_image_free(d1);
    omreg_image_free(zero);
    omreg_image_free(comp);
}

static void compose_props(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k) {
            compose_zero_d2(dim, DTYPES[k]);
            compose_zero_d1(dim, DTYPES[k]);
            compose_stats(dim, DTYPES[k]);
        }
}

/* ---- inversion ------------------------------------------------------------ */

#define PERIOD 16.0
#define AMPLITUDE 0.8
static const double PI = 3.14159265358979323846;

static void inverse_case(int dim, omreg_dtype dt)
{
    const omreg_backend *be = omreg_test_backend();
    const size_t shape2i[2] = {40, 36}, shape3i[3] = {20, 22, 18};
    const size_t *shape = dim == 2 ? shape2i : shape3i, n = nvoxels(dim, shape);
    /* anisotropic grid: world = diag(s) x, so displacements are in mm */
    const double s[3] = {1.5, 0.75, 1.25};
    double w2g[16] = {0}, spacing[3];
    for (int a = 0; a < dim; ++a) {
        w2g[a * (dim + 1) + a] = 1.0 / s[a];
        spacing[a] = s[a];
    }
    w2g[dim * (dim + 1) + dim] = 1.0;
    /* d_a(x) = s_a A sin(2 pi x_{a+1} / L): A voxels along axis a */
    omreg_image *d = field(dim, shape, dt);
    for (size_t v = 0; v < n; ++v)
        for (int a = 0; a < dim; ++a) {
            double x = (double)coord(dim, shape, v, (a + 1) % dim);
            set(d, v * (size_t)dim + (size_t)a, s[a] * AMPLITUDE * sin(2 * PI * x / PERIOD));
        }
    omreg_image *inv = NULL;
    omreg_invert_info info;
    assert_int_equal(omreg_invert_vector_field_fixed_point(be, d, w2g, spacing, 200, 1e-4, NULL,
                                                           &inv, &info),
                     OMREG_OK);
    assert_true(info.iterations > 1 && info.iterations < 200);
    assert_true(info.error <= 1e-4 || (dim == 3 && info.error < 0.1));
    /* the other order: c(x) = d(x) + inv(x + W d(x)) should vanish */
    omreg_image *c = field(dim, shape, dt);
    assert_int_equal(omreg_compose_vector_fields(be, d, inv, NULL, w2g, 1.0, c, NULL), OMREG_OK);
    double worst = 0, sum = 0, sum_d = 0;
    size_t counted = 0;
    for (size_t v = 0; v < n; ++v) {
        int interior = 1;
        for (int a = 0; a < dim; ++a) {
            size_t x = coord(dim, shape, v, a);
            interior = interior && x >= MARGIN && x + MARGIN < shape[a];
        }
        if (!interior)
            continue;
        double r2 = 0, d2 = 0;
        for (int a = 0; a < dim; ++a) {
            double r = get(c, v * (size_t)dim + (size_t)a) / s[a]; /* voxels */
            double dd = get(d, v * (size_t)dim + (size_t)a) / s[a];
            r2 += r * r;
            d2 += dd * dd;
        }
        sum_d += sqrt(d2);
        double r = sqrt(r2);
        worst = r > worst ? r : worst;
        sum += r;
        ++counted;
    }
    print_message("inverse %dD %s: %d iterations, error %.3g, |d o inv| max %.4f mean %.4f "
                  "(mean |d| %.4f)\n",
                  dim, dt == OMREG_F64 ? "f64" : "f32", info.iterations, info.error, worst,
                  sum / (double)counted, sum_d / (double)counted);
    assert_true(worst <= (dim == 2 ? INVERSE_RESIDUAL_MAX_2D : INVERSE_RESIDUAL_MAX_3D));
    assert_true(sum <= INVERSE_RESIDUAL_FRACTION * sum_d);
    omreg_image_free(c);
    omreg_image_free(inv);
    omreg_image_free(d);
}

static void invert_smooth_field(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k)
            inverse_case(dim, DTYPES[k]);
}

static void invert_trivial(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    const double spacing[3] = {1, 1, 1};
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k) {
            const size_t *shape = dim == 2 ? shape2 : shape3, n = nvoxels(dim, shape);
            omreg_image *zero = field(dim, shape, DTYPES[k]), *start = field(dim, shape, DTYPES[k]);
            fill_uniform(start, 21, -1.0, 1.0);
            omreg_image *inv = NULL;
            omreg_invert_info info;
            /* zero field: residual 0 at once, one iteration, zero inverse */
            assert_int_equal(omreg_invert_vector_field_fixed_point(be, zero, NULL, spacing, 20,
                                                                   1e-3, NULL, &inv, &info),
                             OMREG_OK);
            assert_int_equal(info.iterations, 1);
            assert_true(info.error == 0.0);
            for (size_t v = 0; v < n * (size_t)dim; ++v)
                assert_true(get(inv, v) == 0.0);
            omreg_image_free(inv);
            /* max_iter 0: the start field, untouched; error 1 + tolerance */
            assert_int_equal(omreg_invert_vector_field_fixed_point(be, zero, NULL, spacing, 0,
                                                                   1e-3, start, &inv, &info),
                             OMREG_OK);
            assert_int_equal(info.iterations, 0);
            assert_true(info.error == 1 + 1e-3);
            assert_memory_equal(omreg_image_cdata(inv), omreg_image_cdata(start),
                                n * (size_t)dim * omreg_dtype_size(DTYPES[k]));
            omreg_image_free(inv);
            omreg_image_free(zero);
            omreg_image_free(start);
        }
}

/* ---- reorientation and simplification -------------------------------------- */

static void reorient_props(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k) {
            const omreg_dtype dt = DTYPES[k];
            const size_t *shape = dim == 2 ? shape2 : shape3, n = nvoxels(dim, shape);
            const size_t bytes = n * (size_t)dim * omreg_dtype_size(dt);
            omreg_image *d = field(dim, shape, dt), *w = field(dim, shape, dt);
            fill_uniform(d, 31, -3.0, 3.0);
            /* identity with a translation: no effect on vectors */
            double I[16] = {0};
            for (int a = 0; a <= dim; ++a)
                I[a * (dim + 1) + a] = 1.0;
            for (int a = 0; a < dim; ++a)
                I[a * (dim + 1) + dim] = 17.0 + a;
            memcpy(omreg_image_data(w), omreg_image_cdata(d), bytes);
            assert_int_equal(omreg_reorient_vector_field(be, w, I), OMREG_OK);
            assert_memory_equal(omreg_image_cdata(w), omreg_image_cdata(d), bytes);
            /* NULL: DIPY's None, a no-op */
            assert_int_equal(omreg_reorient_vector_field(be, w, NULL), OMREG_OK);
            assert_memory_equal(omreg_image_cdata(w), omreg_image_cdata(d), bytes);
            /* A then A^-1 (float64 only: float32 rounds to 2^-24 in between) */
            if (dt == OMREG_F64) {
                double A[16] = {0}, Ainv[16];
                for (int a = 0; a <= dim; ++a)
                    for (int b = 0; b <= dim; ++b)
                        A[a * (dim + 1) + b] = a == dim ? (b == dim ? 1.0 : 0.0)
                                               : a == b ? 1.2 - 0.1 * a
                                                        : 0.1 * (b - a);
                assert_int_equal(omreg_mat_inverse(dim + 1, A, Ainv), OMREG_OK);
                assert_int_equal(omreg_reorient_vector_field(be, w, A), OMREG_OK);
                assert_int_equal(omreg_reorient_vector_field(be, w, Ainv), OMREG_OK);
                assert_true(omreg_test_close_f64("reorient round trip", omreg_image_cdata(w),
                                                 omreg_image_cdata(d), n * (size_t)dim,
                                                 REORIENT_ROUNDTRIP_RTOL, 1e-15));
            }
            omreg_image_free(d);
            omreg_image_free(w);
        }
}

static void simplify_props(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    for (int dim = 2; dim <= 3; ++dim)
        for (int k = 0; k < 2; ++k) {
            const omreg_dtype dt = DTYPES[k];
            const size_t *shape = dim == 2 ? shape2 : shape3, n = nvoxels(dim, shape);
            const size_t bytes = n * (size_t)dim * omreg_dtype_size(dt);
            omreg_image *d = field(dim, shape, dt), *out = NULL;
            fill_uniform(d, 41, -3.0, 3.0);
            /* all None: out = d */
            assert_int_equal(omreg_simplify_warp_function(be, d, NULL, NULL, NULL, shape, &out),
                             OMREG_OK);
            assert_memory_equal(omreg_image_cdata(out), omreg_image_cdata(d), bytes);
            omreg_image_free(out);
            /* U = identity: interpolation at grid points (weights 1, 0) */
            double I[16] = {0};
            for (int a = 0; a <= dim; ++a)
                I[a * (dim + 1) + a] = 1.0;
            assert_int_equal(omreg_simplify_warp_function(be, d, I, NULL, NULL, shape, &out),
                             OMREG_OK);
            assert_memory_equal(omreg_image_cdata(out), omreg_image_cdata(d), bytes);
            omreg_image_free(out);
            omreg_image_free(d);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compose_props),  cmocka_unit_test(invert_smooth_field),
        cmocka_unit_test(invert_trivial), cmocka_unit_test(reorient_props),
        cmocka_unit_test(simplify_props),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
