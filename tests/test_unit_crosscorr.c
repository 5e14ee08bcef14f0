/* Unit tests of the CC kernels (DIPY crosscorr.pyx), run with both tables.
 *
 * 1. Sliding windows == brute force (as DIPY's test_cc_factors_{2,3}d), on
 *    odd grids, radius 0..7, radius above one or every axis, one-voxel rows,
 *    columns and slabs, float64 and float32 — including the cases where
 *    DIPY itself is undefined (radius > an axis) or wrong (3D grids with one
 *    row or one column): omreg's windows are the clipped ones everywhere.
 *    Tolerance (images in [0, 1], W = largest window count, N = cells the
 *    sliding kernel visits): the 3D sweep is a running sum, so a window sum
 *    carries the rounding of every earlier update (<= 15 roundings, each on
 *    a partial of <= 9 W) and the factor formula amplifies a sum's error by
 *    <= 8: |sliding - brute| <= SWEEP_ROUNDING_BOUND * N * 2^-53 * W in
 *    float64; float32 adds the brute force's float squares (2^-24 W) and the
 *    two roundings to float (2^-22 W). A wrong window is off by O(1 / W) of
 *    a factor's scale, millions of times more.
 * 2. The steps against central finite differences. DIPY's forward step is
 *    exactly out[x] = -(d lc_x / d I(x)) grad_static[x], where lc_x =
 *    sfm^2 / (sff smm) is the local correlation of the window centred at x
 *    and I(x) the static intensity at its centre (the other windows that
 *    contain x are ignored: it is the gradient of the energy term -lc_x,
 *    not of the whole energy); the backward step is the same with the
 *    moving intensity J(x) and grad_moving. Checked against (lc_x(+h) -
 *    lc_x(-h)) / 2h computed from the window in long double with h = 1e-6:
 *    truncation h^2 |lc'''| / 6 and rounding 2^-64 lc / h are both below
 *    1e-11 of the step's scale for these windows (sff, smm > 0.1), so
 *    FD_RTOL = 1e-8 of the largest step bounds them with margin.
 * 3. Every branch of DIPY's step on hand-made factors: skipped voxels (sff
 *    or smm = 0: zero step, no energy), sff smm <= 1e-5 (lc = 0, step
 *    kept), lc >= 1 (left out of the energy, step kept), the zero band of
 *    width radius, the energy's canonical order; bitwise.
 * 4. Bad input to the entry points: statuses, outputs untouched.
 * NaN policy: inputs are finite; bitwise checks compare bytes. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "omreg/crosscorr.h"
#include "omreg/image.h"

static const double SWEEP_ROUNDING_BOUND = 8.0 * 15.0 * 9.0;
static const double FD_RTOL = 1e-8;

static const omreg_backend *backend_at(int k)
{
    return k == 0 ? omreg_backend_parallel() : omreg_backend_reference();
}

static size_t voxels(int dim, const size_t *shape)
{
    size_t n = 1;
    for (int d = 0; d < dim; ++d)
        n *= shape[d];
    return n;
}

static omreg_image *new_image(int dim, const size_t *shape, int ncomp, omreg_dtype dt,
                              uint64_t seed, double lo, double hi)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, ncomp, dt, NULL), OMREG_OK);
    const size_t n = voxels(dim, shape) * (size_t)ncomp;
    if (dt == OMREG_F64)
        omreg_test_fill_uniform_f64(omreg_image_data(img), n, seed, lo, hi);
    else
        omreg_test_fill_uniform_f32(omreg_image_data(img), n, seed, lo, hi);
    return img;
}

/* ---- 1. sliding windows == brute force --------------------------------- */

struct window_case {
    int dim;
    size_t shape[3];
    size_t radius;
};

static const struct window_case window_cases[] = {
    {2, {13, 11, 1}, 0}, {2, {13, 11, 1}, 1}, {2, {13, 11, 1}, 2}, {2, {13, 11, 1}, 3},
    {2, {13, 11, 1}, 4}, {2, {9, 3, 1}, 4},   /* radius > columns */
    {2, {3, 7, 1}, 3},                         /* radius == rows */
    {2, {3, 40, 1}, 5},                        /* radius > rows: DIPY undefined */
    {2, {2, 5, 1}, 7},   {2, {1, 1, 1}, 2},   {2, {1, 9, 1}, 1}, {2, {8, 1, 1}, 3},
    {3, {5, 7, 5}, 0},   {3, {5, 7, 5}, 1},   {3, {5, 7, 5}, 2}, {3, {5, 7, 5}, 3},
    {3, {5, 7, 5}, 4},   {3, {5, 7, 5}, 5},   /* radius == two axes */
    {3, {11, 13, 12}, 3}, {3, {4, 9, 6}, 7},  /* radius > every axis: undefined */
    {3, {3, 4, 2}, 6},   {3, {1, 6, 7}, 1},   /* one slab */
    {3, {6, 1, 7}, 1},   {3, {6, 7, 1}, 2},   /* one row / column: DIPY wrong */
    {3, {1, 1, 1}, 1},   {3, {7, 1, 1}, 4},
};

static void sliding_equals_brute_force(void **state)
{
    (void)state;
    const double u = ldexp(1.0, -53);
    double worst = 0;
    for (size_t i = 0; i < sizeof window_cases / sizeof window_cases[0]; ++i) {
        const struct window_case *wc = &window_cases[i];
        const size_t n = voxels(wc->dim, wc->shape), nval = 5 * n, r = wc->radius;
        /* W: the largest window; N: the cells the sliding kernels visit */
        double W = 1, N = 1;
        for (int d = 0; d < wc->dim; ++d) {
            W *= (double)(2 * r + 1 < wc->shape[d] ? 2 * r + 1 : wc->shape[d]);
            N *= (double)(wc->shape[d] + r);
        }
        for (int k = 0; k < 2; ++k) {
            const omreg_dtype dt = k == 0 ? OMREG_F64 : OMREG_F32;
            double tol = SWEEP_ROUNDING_BOUND * N * u * W;
            if (dt == OMREG_F32)
                tol += ldexp(W, -24) + ldexp(W, -22);
            omreg_image *S = new_image(wc->dim, wc->shape, 1, dt, 700 + i, 0.0, 1.0);
            omreg_image *M = new_image(wc->dim, wc->shape, 1, dt, 800 + i, 0.0, 1.0);
            for (int b = 0; b < 2; ++b) {
                void *fast = NULL, *slow = NULL;
                assert_int_equal(omreg_cc_precompute_factors(backend_at(b), S, M, r,
                                                             OMREG_CC_SLIDING, &fast),
                                 OMREG_OK);
                assert_int_equal(omreg_cc_precompute_factors(backend_at(b), S, M, r,
                                                             OMREG_CC_BRUTE_FORCE, &slow),
                                 OMREG_OK);
                for (size_t v = 0; v < nval; ++v) {
                    const double a = dt == OMREG_F64 ? ((double *)fast)[v] : ((float *)fast)[v];
                    const double e = dt == OMREG_F64 ? ((double *)slow)[v] : ((float *)slow)[v];
                    const double err = fabs(a - e);
                    if (!(err <= tol))
                        fail_msg("%dD shape (%zu, %zu, %zu) radius %zu %s [%s]: voxel %zu "
                                 "factor %zu: sliding %a, brute force %a (tolerance %g)",
                                 wc->dim, wc->shape[0], wc->shape[1], wc->shape[2], r,
                                 k ? "f32" : "f64", omreg_backend_name(backend_at(b)), v / 5,
                                 v % 5, a, e, tol);
                    if (err / tol > worst)
                        worst = err / tol;
                }
                free(fast);
                free(slow);
            }
            omreg_image_free(S);
            omreg_image_free(M);
        }
    }
    print_message("sliding vs brute force: largest error / tolerance = %.3g\n", worst);
}

/* ---- 2. steps vs finite differences ------------------------------------ */

/* Local correlation of the window of radius r centred at voxel (s, i, j)
 * of an (ns, nr, nc) grid, the centre value of image `which` (0 static, 1
 * moving) replaced by centre + t; long double, two-pass centred sums. */
static long double window_lc(const double *img[2], const size_t shape[3], size_t r, size_t s,
                             size_t i, size_t j, int which, long double t)
{
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
    const size_t centre = (s * nr + i) * nc + j;
    long double sum[2] = {0, 0}, n = 0;
    for (size_t a = s - (ns > 1 ? r : 0); a <= s + (ns > 1 ? r : 0); ++a)
        for (size_t b = i - r; b <= i + r; ++b)
            for (size_t c = j - r; c <= j + r; ++c) {
                const size_t w = (a * nr + b) * nc + c;
                for (int q = 0; q < 2; ++q)
                    sum[q] += img[q][w] + (w == centre && q == which ? t : 0);
                n += 1;
            }
    const long double mean[2] = {sum[0] / n, sum[1] / n};
    long double sfm = 0, sff = 0, smm = 0;
    for (size_t a = s - (ns > 1 ? r : 0); a <= s + (ns > 1 ? r : 0); ++a)
        for (size_t b = i - r; b <= i + r; ++b)
            for (size_t c = j - r; c <= j + r; ++c) {
                const size_t w = (a * nr + b) * nc + c;
                const long double x =
                    img[0][w] + (w == centre && which == 0 ? t : 0) - mean[0];
                const long double y =
                    img[1][w] + (w == centre && which == 1 ? t : 0) - mean[1];
                sfm += x * y;
                sff += x * x;
                smm += y * y;
            }
    return sfm * sfm / (sff * smm);
}

static void steps_match_finite_differences_dim(int dim, const size_t *shape, size_t r)
{
    const size_t shape3[3] = {dim == 3 ? shape[0] : 1, shape[dim - 2], shape[dim - 1]};
    const size_t n = voxels(dim, shape);
    omreg_image *S = new_image(dim, shape, 1, OMREG_F64, 901, 0.0, 1.0);
    omreg_image *M = new_image(dim, shape, 1, OMREG_F64, 902, 0.0, 1.0);
    omreg_image *G[2] = {new_image(dim, shape, dim, OMREG_F64, 903, -1.0, 1.0),
                         new_image(dim, shape, dim, OMREG_F64, 904, -1.0, 1.0)};
    const double *img[2] = {omreg_image_cdata(S), omreg_image_cdata(M)};
    const long double h = 1e-6L;
    for (int b = 0; b < 2; ++b) {
        void *f = NULL;
        assert_int_equal(
            omreg_cc_precompute_factors(backend_at(b), S, M, r, OMREG_CC_SLIDING, &f),
            OMREG_OK);
        for (int dir = 0; dir < 2; ++dir) {
            omreg_image *out = NULL;
            double energy;
            assert_int_equal(dir == 0 ? omreg_cc_forward_step(backend_at(b), G[0], f, r, &out,
                                                              &energy)
                                      : omreg_cc_backward_step(backend_at(b), G[1], f, r,
                                                               &out, &energy),
                             OMREG_OK);
            const double *o = omreg_image_cdata(out), *g = omreg_image_cdata(G[dir]);
            double scale = 0, worst = 0;
            for (size_t v = 0; v < n * (size_t)dim; ++v)
                scale = fmax(scale, fabs(o[v]));
            assert_true(scale > 0);
            for (size_t v = 0; v < n; ++v) {
                const size_t j = v % shape3[2], i = v / shape3[2] % shape3[1],
                             s = v / (shape3[2] * shape3[1]);
                const int interior = j >= r && j + r < shape3[2] && i >= r &&
                                     i + r < shape3[1] &&
                                     (dim == 2 || (s >= r && s + r < shape3[0]));
                const long double d =
                    interior ? (window_lc(img, shape3, r, s, i, j, dir, h) -
                                window_lc(img, shape3, r, s, i, j, dir, -h)) /
                                   (2 * h)
                             : 0;
                for (int c = 0; c < dim; ++c) {
                    const double want = (double)(-d * g[v * (size_t)dim + (size_t)c]);
                    const double err = fabs(o[v * (size_t)dim + (size_t)c] - want);
                    worst = fmax(worst, err / scale);
                    if (!(err <= FD_RTOL * scale))
                        fail_msg("%dD %s step [%s] voxel %zu axis %d: %a, finite "
                                 "differences %a",
                                 dim, dir ? "backward" : "forward",
                                 omreg_backend_name(backend_at(b)), v, c,
                                 o[v * (size_t)dim + (size_t)c], want);
                }
            }
            print_message("%dD %s step [%s]: largest |step - FD| / max |step| = %.3g\n", dim,
                          dir ? "backward" : "forward", omreg_backend_name(backend_at(b)),
                          worst);
            omreg_image_free(out);
        }
        free(f);
    }
    omreg_image_free(S);
    omreg_image_free(M);
    omreg_image_free(G[0]);
    omreg_image_free(G[1]);
}

static void steps_match_finite_differences(void **state)
{
    (void)state;
    const size_t shape2[2] = {15, 13}, shape3[3] = {7, 8, 9};
    steps_match_finite_differences_dim(2, shape2, 2);
    steps_match_finite_differences_dim(3, shape3, 1);
}

/* ---- 3. step branches on hand-made factors ----------------------------- */

/* A 5x6 grid, radius 1: interior rows 1..3, columns 1..4. Each interior
 * voxel gets factors chosen for one branch; the band gets normal-looking
 * factors that must be ignored. */
static void step_branches(void **state)
{
    (void)state;
    const size_t shape[2] = {5, 6}, n = 30;
    double f[30 * 5], g[30 * 2];
    omreg_test_fill_uniform_f64(g, 60, 950, -1.0, 1.0);
    for (size_t v = 0; v < n; ++v) { /* ordinary: |corr| < 1 */
        f[5 * v + 0] = 0.1 + 0.01 * (double)v;
        f[5 * v + 1] = -0.2 + 0.02 * (double)v;
        f[5 * v + 2] = 0.3 + 0.001 * (double)v;
        f[5 * v + 3] = 0.9;
        f[5 * v + 4] = 0.7;
    }
    const size_t skip_sff = 1 * 6 + 1, skip_smm = 1 * 6 + 2, faint = 2 * 6 + 3,
                 bad = 3 * 6 + 4;
    f[5 * skip_sff + 3] = 0.0;
    f[5 * skip_smm + 4] = 0.0;
    f[5 * faint + 3] = 2e-3; /* sff smm = 8e-6 <= 1e-5: lc = 0 */
    f[5 * faint + 4] = 4e-3;
    f[5 * bad + 2] = 0.95; /* sfm^2 > sff smm: lc > 1 */
    for (int b = 0; b < 2; ++b) {
        double out[60], energy = NAN, scratch[5];
        for (int dir = 0; dir < 2; ++dir) {
            memset(out, 0xA5, sizeof out);
            if (dir == 0)
                backend_at(b)->compute_cc_forward_step_2d_f64(
                    omreg_backend_threads(backend_at(b), 0), g, f, shape, 1, scratch, out, &energy);
            else
                backend_at(b)->compute_cc_backward_step_2d_f64(
                    omreg_backend_threads(backend_at(b), 0), g, f, shape, 1, scratch, out, &energy);
            double want_energy = 0;
            for (size_t r = 0; r < 5; ++r) { /* canonical: per row, rows in order */
                double partial = 0;
                for (size_t c = 0; c < 6; ++c) {
                    const size_t v = r * 6 + c;
                    const double ii = f[5 * v], ji = f[5 * v + 1], sfm = f[5 * v + 2],
                                 sff = f[5 * v + 3], smm = f[5 * v + 4];
                    double want[2] = {0, 0};
                    if (r >= 1 && r <= 3 && c >= 1 && c <= 4 && v != skip_sff &&
                        v != skip_smm) {
                        const double lc = v == faint ? 0 : sfm * sfm / (sff * smm);
                        if (v == faint)
                            assert_true(sff * smm <= 1e-5);
                        if (v == bad)
                            assert_true(lc >= 1);
                        else
                            partial -= lc;
                        const double t =
                            dir == 0 ? 2.0 * sfm / (sff * smm) * (ji - sfm / sff * ii)
                                     : 2.0 * sfm / (sff * smm) * (ii - sfm / smm * ji);
                        for (int d = 0; d < 2; ++d)
                            want[d] = 0.0 - t * g[2 * v + (size_t)d];
                        assert_true(want[0] != 0);
                    }
                    char what[96];
                    snprintf(what, sizeof what, "%s step [%s] voxel (%zu, %zu)",
                             dir ? "backward" : "forward", omreg_backend_name(backend_at(b)),
                             r, c);
                    assert_true(omreg_test_same_f64(what, &out[2 * v], want, 2));
                }
                want_energy += partial;
            }
            assert_true(omreg_test_same_f64("energy", &energy, &want_energy, 1));
        }
    }
}

/* ---- 4. bad input -------------------------------------------------------- */

static void bad_input(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_backend_parallel();
    const size_t s2[2] = {6, 7}, s2b[2] = {6, 8}, s3[3] = {4, 6, 7};
    omreg_image *A = new_image(2, s2, 1, OMREG_F64, 1, 0, 1);
    omreg_image *B = new_image(2, s2, 1, OMREG_F64, 2, 0, 1);
    omreg_image *Bshape = new_image(2, s2b, 1, OMREG_F64, 3, 0, 1);
    omreg_image *Bf32 = new_image(2, s2, 1, OMREG_F32, 4, 0, 1);
    omreg_image *B3 = new_image(3, s3, 1, OMREG_F64, 5, 0, 1);
    omreg_image *F = new_image(2, s2, 2, OMREG_F64, 6, 0, 1);
    void *sentinel = &sentinel, *factors = sentinel;
    const struct {
        const omreg_backend *be;
        const omreg_image *s, *m;
        size_t radius;
        int method;
        void **out;
        omreg_status want;
    } cases[] = {
        {NULL, A, B, 1, OMREG_CC_SLIDING, &factors, OMREG_EINVAL},
        {be, NULL, B, 1, OMREG_CC_SLIDING, &factors, OMREG_EINVAL},
        {be, A, NULL, 1, OMREG_CC_SLIDING, &factors, OMREG_EINVAL},
        {be, A, B, 1, OMREG_CC_SLIDING, NULL, OMREG_EINVAL},
        {be, A, B, 1, 7, &factors, OMREG_EINVAL},
        {be, A, B, OMREG_CC_MAX_RADIUS + 1, OMREG_CC_SLIDING, &factors, OMREG_EINVAL},
        {be, F, B, 1, OMREG_CC_SLIDING, &factors, OMREG_ESHAPE},
        {be, A, F, 1, OMREG_CC_BRUTE_FORCE, &factors, OMREG_ESHAPE},
        {be, A, Bshape, 1, OMREG_CC_SLIDING, &factors, OMREG_ESHAPE},
        {be, A, Bf32, 1, OMREG_CC_SLIDING, &factors, OMREG_ESHAPE},
        {be, A, B3, 1, OMREG_CC_SLIDING, &factors, OMREG_ESHAPE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; ++i) {
        omreg_clear_error();
        omreg_status st = omreg_cc_precompute_factors(cases[i].be, cases[i].s, cases[i].m,
                                                      cases[i].radius,
                                                      (omreg_cc_method)cases[i].method,
                                                      cases[i].out);
        if (st != cases[i].want)
            fail_msg("precompute case %zu: %s, expected %s", i, omreg_status_str(st),
                     omreg_status_str(cases[i].want));
        assert_true(strlen(omreg_last_error()) > 0);
        assert_ptr_equal(factors, sentinel);
    }
    /* the largest radius is accepted */
    assert_int_equal(omreg_cc_precompute_factors(be, A, B, OMREG_CC_MAX_RADIUS,
                                                 OMREG_CC_SLIDING, &factors),
                     OMREG_OK);
    omreg_image *out = (omreg_image *)sentinel;
    double energy = 42;
    const struct {
        const omreg_backend *be;
        const omreg_image *g;
        const void *f;
        size_t radius;
        omreg_image **out;
        omreg_status want;
    } steps[] = {
        {NULL, F, factors, 1, &out, OMREG_EINVAL},
        {be, NULL, factors, 1, &out, OMREG_EINVAL},
        {be, F, NULL, 1, &out, OMREG_EINVAL},
        {be, F, factors, 1, NULL, OMREG_EINVAL},
        {be, F, factors, OMREG_CC_MAX_RADIUS + 1, &out, OMREG_EINVAL},
        {be, A, factors, 1, &out, OMREG_ESHAPE},
    };
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; ++i)
        for (int dir = 0; dir < 2; ++dir) {
            omreg_clear_error();
            omreg_status st =
                dir == 0 ? omreg_cc_forward_step(steps[i].be, steps[i].g, steps[i].f,
                                                 steps[i].radius, steps[i].out, &energy)
                         : omreg_cc_backward_step(steps[i].be, steps[i].g, steps[i].f,
                                                  steps[i].radius, steps[i].out, &energy);
            if (st != steps[i].want)
                fail_msg("step case %zu dir %d: %s, expected %s", i, dir, omreg_status_str(st),
                         omreg_status_str(steps[i].want));
            assert_true(strlen(omreg_last_error()) > 0);
            assert_ptr_equal(out, sentinel);
            assert_true(energy == 42);
        }
    /* energy may be NULL; the output keeps grad's grid2world */
    assert_int_equal(omreg_cc_forward_step(be, F, factors, 1, &out, NULL), OMREG_OK);
    assert_int_equal(omreg_image_ndim(out), 2);
    assert_int_equal(omreg_image_ncomp(out), 2);
    assert_memory_equal(omreg_image_shape(out), s2, sizeof s2);
    omreg_image_free(out);
    free(factors);
    omreg_image_free(A);
    omreg_image_free(B);
    omreg_image_free(Bshape);
    omreg_image_free(Bf32);
    omreg_image_free(B3);
    omreg_image_free(F);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sliding_equals_brute_force),
        cmocka_unit_test(steps_match_finite_differences),
        cmocka_unit_test(step_branches),
        cmocka_unit_test(bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
