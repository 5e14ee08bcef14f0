/* Unit properties of the SSD metric and its multigrid solver
 * (include/omreg/sumsqdiff.h), with omreg_test_backend():
 * - the 2x2 / 3x3 solves satisfy their systems; singular 3x3 is flagged;
 * - the demons step and its energy against the analytic formula, evaluated
 *   independently in long double;
 * - the residual against its definition b - (g g^T u + sigmasq lambda L u),
 *   L the graph Laplacian, evaluated independently in long double;
 * - a red-black sweep leaves the colour it updated last exactly solved
 *   (zero residual there) and reports the largest change it made;
 * - V-cycles reduce the residual, and faster than plain sweeps, in either
 *   Gauss-Seidel order;
 * - red-black vs DIPY's raster-order (lexicographic) sweep inside the
 *   V-cycle (OMREG_SSD_ORDER_LEXICOGRAPHIC, same backend): SSDMetric's Gauss-Newton problem (lambda 4, inner_iter 10) on
 *   a blob image pair warped by a smooth field, 2D 40x40 (3 levels below)
 *   and 3D 16^3 (2 levels below), float64 and float32, from u = 0.
 *   Measured (gcc 12 and clang 14, both backends; the test prints them;
 *   |b| = the residual at u = 0):
 *
 *     case     cycles  |u_rb - u_lex| / |u_lex|  |r_rb| / |b|  |r_lex| / |b|
 *     2D f64     1            1.9e-2                4.6e-4        4.1e-4
 *     2D f64     5            5.8e-6                1.1e-8        4.8e-8
 *     3D f64     1            2.4e-2                4.5e-4        4.1e-4
 *     3D f64     5            1.9e-5                4.7e-8        1.1e-7
 *     (float32, one cycle: the same digits as float64)
 *
 *   So after SyN's single cycle the two orders differ by about 2% of the
 *   solution and red-black leaves a residual 8-13% larger (either is
 *   ~2200x below |b|, where 20 plain sweeps reach only 1/400-1/500); with
 *   more cycles both converge to the same solution, red-black's residual
 *   then falling faster. The bounds below are these numbers with margin.
 * - the entry points reject bad arguments and leave outputs untouched.
 * NaN policy: inputs are finite (sigmasq's inf entries excepted); values
 * are compared with the tolerances named below. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "omreg/image.h"
#include "omreg/sumsqdiff.h"

/* analytic demons step: double kernel vs long double formula, a handful of
 * roundings of at most 2^-53 each */
static const double DEMONS_F64_RTOL = 1e-14;
/* float32: the squares, their sum and the stored result round to float */
static const double DEMONS_F32_RTOL = 1e-6;
/* residual vs definition (double kernel, long double reference), relative
 * to the largest term of the sum (cancellation makes single entries small) */
static const double RESIDUAL_F64_RTOL = 1e-13;
/* "exactly solved": a voxel's residual after its own update, relative to
 * |b| + lambda-term scale, is a few roundings of the 2x2 solve */
static const double SOLVED_RTOL = 1e-12;

/* red-black vs lexicographic (see the table above), with margin */
static const double RB_LEX_ONE_CYCLE_RTOL = 0.05;   /* measured <= 2.4e-2 */
static const double RB_LEX_FIVE_CYCLES_RTOL = 1e-4; /* measured <= 1.9e-5 */
static const double RB_RESIDUAL_RATIO_MAX = 1.3;    /* |r_rb|/|r_lex| after 1 cycle, <= 1.13 */

static const omreg_ssd_order LEX = OMREG_SSD_ORDER_LEXICOGRAPHIC;
static const omreg_ssd_order RB = OMREG_SSD_ORDER_RED_BLACK;

/* ---- images ------------------------------------------------------------- */

static size_t nvox(int dim, const size_t *shape)
{
    size_t n = 1;
    for (int d = 0; d < dim; ++d)
        n *= shape[d];
    return n;
}

/* An image of ncomp components filled from n doubles (rounded once). */
static omreg_image *make(int dim, const size_t *shape, int ncomp, omreg_dtype dt,
                         const double *values)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, ncomp, dt, NULL), OMREG_OK);
    const size_t n = nvox(dim, shape) * (size_t)ncomp;
    if (values) {
        if (dt == OMREG_F64)
            memcpy(omreg_image_data(img), values, n * sizeof(double));
        else
            for (size_t i = 0; i < n; ++i)
                ((float *)omreg_image_data(img))[i] = (float)values[i];
    }
    return img;
}

static double at(const omreg_image *img, size_t i)
{
    return omreg_image_dtype(img) == OMREG_F64 ? ((const double *)omreg_image_cdata(img))[i]
                                               : ((const float *)omreg_image_cdata(img))[i];
}

static void fill_uniform(double *x, size_t n, uint64_t seed, double lo, double hi)
{
    omreg_test_fill_uniform_f64(x, n, seed, lo, hi);
}

/* ---- solves --------------------------------------------------------------- */

static void solves_satisfy_their_systems(void **state)
{
    (void)state;
    for (int c = 0; c < 20; ++c) {
        double r[6];
        fill_uniform(r, 6, 1000 + (uint64_t)c, -2, 2);
        /* SPD: [[a, b], [b, d]] with a, d > |b| */
        const double A[3] = {fabs(r[0]) + 2.5, r[1], fabs(r[2]) + 2.5}, y[2] = {r[3], r[4]};
        const double det = A[0] * A[2] - A[1] * A[1];
        double x[2];
        assert_int_equal(omreg_solve_2d_symmetric_positive_definite(A, y, det, x), OMREG_OK);
        assert_true(fabs(A[0] * x[0] + A[1] * x[1] - y[0]) < 1e-13);
        assert_true(fabs(A[1] * x[0] + A[2] * x[1] - y[1]) < 1e-13);

        double g[3] = {r[0], r[1], r[2]}, y3[3] = {r[3], r[4], r[5]}, x3[3];
        const double tau = 0.05 + fabs(r[5]);
        int singular = -1;
        assert_int_equal(omreg_solve_3d_symmetric_positive_definite(g, y3, tau, x3, &singular),
                         OMREG_OK);
        assert_int_equal(singular, 0);
        const double gx = g[0] * x3[0] + g[1] * x3[1] + g[2] * x3[2];
        for (int q = 0; q < 3; ++q)
            assert_true(fabs(g[q] * gx + tau * x3[q] - y3[q]) < 1e-11);
        /* tau = 0: g g^T has rank 1, DIPY flags it and leaves out alone */
        double keep[3] = {7, 8, 9};
        assert_int_equal(omreg_solve_3d_symmetric_positive_definite(g, y3, 0.0, keep, &singular),
                         OMREG_OK);
        assert_int_equal(singular, 1);
        assert_true(keep[0] == 7 && keep[1] == 8 && keep[2] == 9);
    }
}

/* ---- demons step ---------------------------------------------------------- */

static void demons_case(int dim, omreg_dtype dt)
{
    const size_t shape[3] = {dim == 2 ? 37u : 9u, 41, dim == 2 ? 1u : 11u};
    const size_t n = nvox(dim, shape);
    double *delta = omreg_test_alloc(n, sizeof(double));
    double *grad = omreg_test_alloc(n * (size_t)dim, sizeof(double));
    fill_uniform(delta, n, 11, -3, 3);
    fill_uniform(grad, n * (size_t)dim, 12, -2, 2);
    for (size_t v = 0; v < n / 10; ++v) { /* a flat matching patch: den = 0 */
        delta[v] = 0;
        for (int c = 0; c < dim; ++c)
            grad[(size_t)dim * v + c] = 0;
    }
    const double sigma_sq_x = 1.7;
    omreg_image *d = make(dim, shape, 1, dt, delta), *g = make(dim, shape, dim, dt, grad);
    omreg_image *out = make(dim, shape, dim, dt, NULL);
    double energy = -1;
    assert_int_equal(omreg_ssd_demons_step(omreg_test_backend(), d, g, sigma_sq_x, out, &energy),
                     OMREG_OK);
    long double esum = 0;
    const double rtol = dt == OMREG_F64 ? DEMONS_F64_RTOL : DEMONS_F32_RTOL;
    size_t zeros = 0;
    for (size_t v = 0; v < n; ++v) {
        const long double dl = at(d, v);
        long double nrm2 = 0;
        for (int c = 0; c < dim; ++c)
            nrm2 += (long double)at(g, (size_t)dim * v + c) * at(g, (size_t)dim * v + c);
        const long double den = dl * dl / sigma_sq_x + nrm2;
        esum += dl * dl;
        for (int c = 0; c < dim; ++c) {
            const double got = at(out, (size_t)dim * v + c);
            if (den < 1e-9) {
                assert_true(got == 0);
                ++zeros;
                continue;
            }
            const long double want = dl * at(g, (size_t)dim * v + c) / den;
            if (!(fabsl(got - want) <= rtol * fabsl(want)))
                fail_msg("demons %dD voxel %zu comp %d: %.17g vs formula %.17Lg", dim, v, c, got,
                         want);
        }
    }
    assert_true(zeros >= (size_t)dim * (n / 10));
    assert_true(fabsl(energy - esum) <= 1e-13L * esum);
    omreg_image_free(d);
    omreg_image_free(g);
    omreg_image_free(out);
    free(delta);
    free(grad);
}

static void demons_step_matches_formula(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim) {
        demons_case(dim, OMREG_F64);
        demons_case(dim, OMREG_F32);
    }
}

/* ---- residual -------------------------------------------------------------- */

/* Neighbours of voxel v (any order: the test sums in long double). */
static int neighbours(int dim, const size_t *shape, size_t v, size_t nb[6])
{
    size_t idx[3], strides[3];
    size_t s = 1;
    for (int d = dim - 1; d >= 0; --d) {
        strides[d] = s;
        idx[d] = (v / s) % shape[d];
        s *= shape[d];
    }
    int n = 0;
    for (int d = 0; d < dim; ++d) {
        if (idx[d] > 0)
            nb[n++] = v - strides[d];
        if (idx[d] + 1 < shape[d])
            nb[n++] = v + strides[d];
    }
    return n;
}

static void residual_case(int dim, int with_sigmasq, int with_target)
{
    const size_t shape[3] = {dim == 2 ? 23u : 7u, 19, 9};
    const size_t n = nvox(dim, shape), nf = n * (size_t)dim;
    double *delta = omreg_test_alloc(n, sizeof(double)), *sig = omreg_test_alloc(n, sizeof(double));
    double *grad = omreg_test_alloc(nf, sizeof(double)),
           *tgt = omreg_test_alloc(nf, sizeof(double));
    double *u = omreg_test_alloc(nf, sizeof(double));
    fill_uniform(delta, n, 21, -2, 2);
    fill_uniform(sig, n, 22, 0.5, 2);
    for (size_t v = 0; v < n; v += 7)
        sig[v] = v % 2 ? INFINITY : 0.0;
    fill_uniform(grad, nf, 23, -1.5, 1.5);
    fill_uniform(tgt, nf, 24, -1, 1);
    fill_uniform(u, nf, 25, -0.7, 0.7);
    const double lambda = 1.3;
    omreg_image *D = make(dim, shape, 1, OMREG_F64, delta),
                *S = make(dim, shape, 1, OMREG_F64, sig);
    omreg_image *G = make(dim, shape, dim, OMREG_F64, grad);
    omreg_image *T = make(dim, shape, dim, OMREG_F64, tgt),
                *U = make(dim, shape, dim, OMREG_F64, u);
    omreg_image *R = make(dim, shape, dim, OMREG_F64, NULL);
    double sqnorm = -1;
    assert_int_equal(omreg_ssd_compute_residual_displacement_field(
                         omreg_test_backend(), D, with_sigmasq ? S : NULL, G,
                         with_target ? T : NULL, lambda, U, R, &sqnorm),
                     OMREG_OK);
    long double sq = 0;
    for (size_t v = 0; v < n; ++v) {
        size_t nb[6];
        const int nn = neighbours(dim, shape, v, nb);
        const long double s2 = with_sigmasq ? sig[v] : 1.0L;
        long double gu = 0;
        for (int c = 0; c < dim; ++c)
            gu += (long double)grad[dim * v + c] * u[dim * v + c];
        for (int c = 0; c < dim; ++c) {
            long double lap = 0;
            for (int q = 0; q < nn; ++q)
                lap += (long double)u[dim * v + c] - u[dim * nb[q] + c];
            const long double b =
                with_target ? tgt[dim * v + c] : (long double)delta[v] * grad[dim * v + c];
            long double want, scale;
            if (isinf(s2)) {
                want = -lambda * lap;
                scale = fabsl(lambda * lap) + 1;
            } else {
                want = b - (grad[dim * v + c] * gu + s2 * lambda * lap);
                scale = fabsl(b) + fabsl(grad[dim * v + c] * gu) + fabsl(s2 * lambda * lap) + 1;
            }
            const double got = at(R, dim * v + c);
            if (!(fabsl(got - want) <= RESIDUAL_F64_RTOL * scale))
                fail_msg("residual %dD voxel %zu comp %d: %.17g vs definition %.17Lg", dim, v, c,
                         got, want);
            sq += (long double)got * got;
        }
    }
    assert_true(fabsl(sqnorm - sq) <= 1e-13L * sq);
    omreg_image_free(D);
    omreg_image_free(S);
    omreg_image_free(G);
    omreg_image_free(T);
    omreg_image_free(U);
    omreg_image_free(R);
    free(delta);
    free(sig);
    free(grad);
    free(tgt);
    free(u);
}

static void residual_matches_definition(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim) {
        residual_case(dim, 0, 0);
        residual_case(dim, 1, 1);
    }
}

/* ---- one sweep -------------------------------------------------------------- */

static void sweep_case(int dim)
{
    const size_t shape[3] = {dim == 2 ? 31u : 8u, 27, 11};
    const size_t n = nvox(dim, shape), nf = n * (size_t)dim;
    double *delta = omreg_test_alloc(n, sizeof(double)),
           *grad = omreg_test_alloc(nf, sizeof(double));
    double *u = omreg_test_alloc(nf, sizeof(double));
    fill_uniform(delta, n, 31, -2, 2);
    fill_uniform(grad, nf, 32, -1.5, 1.5);
    fill_uniform(u, nf, 33, -0.5, 0.5);
    const double lambda = 4;
    omreg_image *D = make(dim, shape, 1, OMREG_F64, delta),
                *G = make(dim, shape, dim, OMREG_F64, grad);
    omreg_image *U = make(dim, shape, dim, OMREG_F64, u),
                *R = make(dim, shape, dim, OMREG_F64, NULL);
    double step = -1;
    assert_int_equal(omreg_ssd_iterate_residual_displacement_field(omreg_test_backend(), RB, D,
                                                                   NULL, G, NULL, lambda, U, &step),
                     OMREG_OK);
    /* the largest change, recomputed from the fields */
    double maxsq = 0;
    for (size_t v = 0; v < n; ++v) {
        double s = 0;
        for (int c = 0; c < dim; ++c) {
            double x = u[dim * v + c] - at(U, dim * v + c);
            s += x * x;
        }
        if (maxsq < s)
            maxsq = s;
    }
    assert_true(step == sqrt(maxsq));
    assert_int_equal(omreg_ssd_compute_residual_displacement_field(omreg_test_backend(), D, NULL, G,
                                                                   NULL, lambda, U, R, NULL),
                     OMREG_OK);
    /* colour 1 (odd parity) was updated last, from final neighbours: solved.
     * Colour 0 was solved against colour 1's old values: not solved. */
    double worst_odd = 0, worst_even = 0;
    for (size_t v = 0; v < n; ++v) {
        size_t idx_sum = 0, s = 1;
        for (int d = dim - 1; d >= 0; --d) {
            idx_sum += (v / s) % shape[d];
            s *= shape[d];
        }
        for (int c = 0; c < dim; ++c) {
            double scale = fabs(delta[v] * grad[dim * v + c]) + 8 * lambda * 2;
            double r = fabs(at(R, dim * v + c)) / scale;
            if (idx_sum % 2)
                worst_odd = fmax(worst_odd, r);
            else
                worst_even = fmax(worst_even, r);
        }
    }
    if (!(worst_odd <= SOLVED_RTOL))
        fail_msg("%dD: the last colour is not solved (relative residual %.3g)", dim, worst_odd);
    assert_true(worst_even > 1e-3);
    omreg_image_free(D);
    omreg_image_free(G);
    omreg_image_free(U);
    omreg_image_free(R);
    free(delta);
    free(grad);
    free(u);
}

static void red_black_sweep_solves_last_colour(void **state)
{
    (void)state;
    sweep_case(2);
    sweep_case(3);
}

/* ---- V-cycles on SSDMetric's problem ------------------------------------------ */

/* A blob image (three Gaussians) and its warp by a smooth field: delta =
 * static - moving, gradient of moving (analytic), as SSDMetric's forward
 * Gauss-Newton step. */
struct problem {
    int dim;
    size_t shape[3];
    omreg_image *delta, *grad;
};

static double blob(int dim, const double *p, const size_t *shape, double *grad)
{
    static const double centres[3][3] = {{0.3, 0.35, 0.5}, {0.65, 0.6, 0.4}, {0.5, 0.7, 0.6}};
    double val = 0;
    if (grad)
        for (int d = 0; d < dim; ++d)
            grad[d] = 0;
    for (int b = 0; b < 3; ++b) {
        double r2 = 0, s = 0.12 * (double)shape[0];
        double diff[3];
        for (int d = 0; d < dim; ++d) {
            diff[d] = p[d] - centres[b][d] * (double)shape[d];
            r2 += diff[d] * diff[d];
        }
        double e = (b == 1 ? -60.0 : 100.0) * exp(-r2 / (2 * s * s));
        val += e;
        if (grad)
            for (int d = 0; d < dim; ++d)
                grad[d] += -e * diff[d] / (s * s);
    }
    return val;
}

static struct problem make_problem(int dim, omreg_dtype dt)
{
    struct problem pr = {dim, {dim == 2 ? 40u : 16u, dim == 2 ? 40u : 16u, 16u}, NULL, NULL};
    const size_t n = nvox(dim, pr.shape);
    double *delta = omreg_test_alloc(n, sizeof(double));
    double *grad = omreg_test_alloc(n * (size_t)dim, sizeof(double));
    for (size_t v = 0; v < n; ++v) {
        double p[3], q[3];
        size_t s = 1;
        for (int d = dim - 1; d >= 0; --d) {
            p[d] = (double)((v / s) % pr.shape[d]);
            s *= pr.shape[d];
        }
        for (int d = 0; d < dim; ++d) /* a smooth displacement of up to 1.5 voxels */
            q[d] = p[d] +
                   1.5 * sin(2 * 3.14159265358979323846 * p[(d + 1) % dim] / (double)pr.shape[d]);
        delta[v] = blob(dim, q, pr.shape, NULL) - blob(dim, p, pr.shape, &grad[dim * v]);
    }
    pr.delta = make(dim, pr.shape, 1, dt, delta);
    pr.grad = make(dim, pr.shape, dim, dt, grad);
    free(delta);
    free(grad);
    return pr;
}

static void free_problem(struct problem *pr)
{
    omreg_image_free(pr->delta);
    omreg_image_free(pr->grad);
}

static double residual_norm(const omreg_backend *be, const struct problem *pr, double lambda,
                            const omreg_image *u)
{
    omreg_image *R = make(pr->dim, pr->shape, pr->dim, omreg_image_dtype(u), NULL);
    double sq = -1;
    assert_int_equal(omreg_ssd_compute_residual_displacement_field(be, pr->delta, NULL, pr->grad,
                                                                   NULL, lambda, u, R, &sq),
                     OMREG_OK);
    omreg_image_free(R);
    return sqrt(sq);
}

static double rel_diff(const omreg_image *a, const omreg_image *b)
{
    const size_t n = omreg_image_voxels(a) * (size_t)omreg_image_ncomp(a);
    double num = 0, den = 0;
    for (size_t i = 0; i < n; ++i) {
        double d = at(a, i) - at(b, i);
        num += d * d;
        den += at(b, i) * at(b, i);
    }
    return sqrt(num / den);
}

static const double LAMBDA = 4.0; /* SSDMetric's smooth */
static const int INNER_ITER = 10; /* SSDMetric's inner_iter */

static int levels_below(int dim)
{
    return dim == 2 ? 3 : 2;
}

static void v_cycles_reduce_the_residual(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    for (int o = 0; o < 2; ++o)
    for (int dim = 2; dim <= 3; ++dim)
        for (int t = 0; t < 2; ++t) {
            const omreg_dtype dt = t == 0 ? OMREG_F64 : OMREG_F32;
            const omreg_ssd_order order = o == 0 ? LEX : RB;
            struct problem pr = make_problem(dim, dt);
            omreg_image *u = make(dim, pr.shape, dim, dt, NULL);
            omreg_image *w = make(dim, pr.shape, dim, dt, NULL);
            const double r0 = residual_norm(be, &pr, LAMBDA, u);
            /* one V-cycle vs the same number of finest-grid sweeps (2k) */
            assert_int_equal(omreg_ssd_v_cycle(be, order, levels_below(dim), INNER_ITER, pr.delta,
                                               NULL, pr.grad, NULL, LAMBDA, u, NULL, NULL),
                             OMREG_OK);
            assert_int_equal(omreg_ssd_v_cycle(be, order, 0, 2 * INNER_ITER, pr.delta, NULL,
                                               pr.grad, NULL, LAMBDA, w, NULL, NULL),
                             OMREG_OK);
            double r = residual_norm(be, &pr, LAMBDA, u);
            const double r_sweeps = residual_norm(be, &pr, LAMBDA, w);
            printf("%s %dD %s: |r|/|b| 1 V-cycle %.3g, %d plain sweeps %.3g\n",
                   o == 0 ? "lexicographic" : "red-black", dim, t ? "f32" : "f64", r / r0,
                   2 * INNER_ITER, r_sweeps / r0);
            assert_true(r < 0.5 * r_sweeps); /* the coarse grids do real work */
            for (int cycle = 2; cycle <= 3; ++cycle) {
                assert_int_equal(omreg_ssd_v_cycle(be, order, levels_below(dim), INNER_ITER,
                                                   pr.delta, NULL, pr.grad, NULL, LAMBDA, u, NULL,
                                                   NULL),
                                 OMREG_OK);
                const double rn = residual_norm(be, &pr, LAMBDA, u);
                assert_true(rn < 0.7 * r);
                r = rn;
            }
            omreg_image_free(u);
            omreg_image_free(w);
            free_problem(&pr);
        }
}

/* u += `cycles` V-cycles with the given table. */
static void run_cycles(const omreg_backend *be, omreg_ssd_order order, const struct problem *pr,
                       omreg_ssd_workspace *ws, int cycles, omreg_image *u)
{
    for (int c = 0; c < cycles; ++c)
        assert_int_equal(omreg_ssd_v_cycle(be, order, levels_below(pr->dim), INNER_ITER, pr->delta,
                                           NULL, pr->grad, NULL, LAMBDA, u, ws, NULL),
                         OMREG_OK);
}

static void red_black_vs_lexicographic(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    printf("case     cycles  |u_rb-u_lex|/|u_lex|  |r_rb|/|b|  |r_lex|/|b|\n");
    for (int dim = 2; dim <= 3; ++dim)
        for (int t = 0; t < 2; ++t) {
            const omreg_dtype dt = t == 0 ? OMREG_F64 : OMREG_F32;
            struct problem pr = make_problem(dim, dt);
            omreg_ssd_workspace *ws = NULL;
            assert_int_equal(
                omreg_ssd_workspace_create(&ws, dim, pr.shape, dt, levels_below(dim), false),
                OMREG_OK);
            omreg_image *rb = make(dim, pr.shape, dim, dt, NULL);
            omreg_image *lex = make(dim, pr.shape, dim, dt, NULL);
            const double b = residual_norm(be, &pr, LAMBDA, rb); /* u = 0: r = b */
            double diff1 = 0;
            /* float32: one cycle (SyN's use); the convergence stage in float64 */
            for (int stage = 0; stage < (dt == OMREG_F64 ? 2 : 1); ++stage) {
                const int cycles = stage == 0 ? 1 : 4; /* 1, then 5 in all */
                run_cycles(be, RB, &pr, ws, cycles, rb);
                run_cycles(be, LEX, &pr, ws, cycles, lex);
                const double diff = rel_diff(rb, lex);
                const double r_rb = residual_norm(be, &pr, LAMBDA, rb) / b;
                const double r_lex = residual_norm(be, &pr, LAMBDA, lex) / b;
                printf("%dD %s  %6d  %20.2e  %10.2e  %11.2e\n", dim, t ? "f32" : "f64",
                       stage == 0 ? 1 : 5, diff, r_rb, r_lex);
                assert_true(diff > 0); /* the orders really differ */
                if (stage == 0) {
                    diff1 = diff;
                    if (!(diff <= RB_LEX_ONE_CYCLE_RTOL))
                        fail_msg("%dD: one cycle, red-black %.3g from lexicographic", dim, diff);
                    assert_true(r_rb <= RB_RESIDUAL_RATIO_MAX * r_lex);
                } else {
                    /* both converge to the system's solution */
                    if (!(diff <= RB_LEX_FIVE_CYCLES_RTOL))
                        fail_msg("%dD: five cycles, red-black %.3g from lexicographic", dim, diff);
                    assert_true(diff < 0.01 * diff1);
                }
            }
            omreg_image_free(rb);
            omreg_image_free(lex);
            omreg_ssd_workspace_free(ws);
            free_problem(&pr);
        }
}

/* ---- bad arguments ----------------------------------------------------------- */

static void entry_points_reject_bad_arguments(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    const size_t shape[2] = {9, 8}, other[2] = {9, 7};
    omreg_image *d = make(2, shape, 1, OMREG_F64, NULL), *g = make(2, shape, 2, OMREG_F64, NULL);
    omreg_image *u = make(2, shape, 2, OMREG_F64, NULL), *g32 = make(2, shape, 2, OMREG_F32, NULL);
    omreg_image *gs = make(2, other, 2, OMREG_F64, NULL), *s = make(2, shape, 1, OMREG_F64, NULL);
    memset(omreg_image_data(u), 0x5A, 9 * 8 * 2 * sizeof(double));
    const uint64_t h = omreg_test_hash(omreg_image_cdata(u), 9 * 8 * 2 * sizeof(double));
    double e = 123;

    assert_int_equal(omreg_ssd_energy(NULL, d, &e), OMREG_EINVAL);
    assert_int_equal(omreg_ssd_energy(be, NULL, &e), OMREG_EINVAL);
    assert_int_equal(omreg_ssd_energy(be, d, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_ssd_energy(be, g, &e), OMREG_ESHAPE);
    assert_int_equal(omreg_ssd_demons_step(be, d, gs, 1.0, u, &e), OMREG_ESHAPE);
    assert_int_equal(omreg_ssd_demons_step(be, d, g32, 1.0, u, &e), OMREG_ESHAPE);
    assert_int_equal(omreg_ssd_demons_step(be, d, g, 0.0, u, &e), OMREG_EINVAL);
    assert_int_equal(omreg_ssd_demons_step(be, d, g, NAN, u, &e), OMREG_ENONFINITE);
    assert_int_equal(omreg_ssd_demons_step(be, d, g, 1.0, g, &e), OMREG_EINVAL); /* overlap */
    assert_true(e == 123);

    assert_int_equal(
        omreg_ssd_iterate_residual_displacement_field(be, LEX, d, NULL, g, NULL, -1, u, NULL),
        OMREG_EINVAL);
    assert_int_equal(
        omreg_ssd_iterate_residual_displacement_field(be, LEX, d, NULL, g, NULL, INFINITY, u, NULL),
        OMREG_ENONFINITE);
    assert_int_equal(
        omreg_ssd_iterate_residual_displacement_field(be, LEX, d, g, g, NULL, 1, u, NULL),
        OMREG_ESHAPE); /* sigmasq must be scalar */
    assert_int_equal(
        omreg_ssd_iterate_residual_displacement_field(be, LEX, d, NULL, g, g, 1, g, NULL),
        OMREG_EINVAL); /* disp overlaps its inputs */
    assert_int_equal(
        omreg_ssd_compute_residual_displacement_field(be, d, NULL, g, NULL, 1, u, u, NULL),
        OMREG_EINVAL); /* residual overlaps disp */
    assert_int_equal(omreg_ssd_iterate_residual_displacement_field(
                         be, (omreg_ssd_order)OMREG_SSD_ORDER_COUNT, d, NULL, g, NULL, 1, u, NULL),
                     OMREG_EINVAL); /* unknown order */
    assert_int_equal(omreg_ssd_v_cycle(be, (omreg_ssd_order)-1, 1, 2, d, NULL, g, NULL, 1, u, NULL,
                                       NULL),
                     OMREG_EINVAL);
    omreg_ssd_order order = RB;
    assert_int_equal(omreg_ssd_order_from_name("DIPY", &order), OMREG_OK);
    assert_true(order == LEX);
    assert_int_equal(omreg_ssd_order_from_name("red-black", &order), OMREG_OK);
    assert_true(order == RB);
    assert_int_equal(omreg_ssd_order_from_name("Lexicographic", &order), OMREG_OK);
    assert_true(order == LEX);
    assert_int_equal(omreg_ssd_order_from_name("redblack", &order), OMREG_EINVAL);
    assert_true(order == LEX);
    assert_int_equal(omreg_ssd_v_cycle(be, LEX, -1, 2, d, NULL, g, NULL, 1, u, NULL, NULL),
                     OMREG_EINVAL);
    assert_int_equal(
        omreg_ssd_v_cycle(be, LEX, OMREG_SSD_MAX_LEVELS + 1, 2, d, NULL, g, NULL, 1, u, NULL, NULL),
        OMREG_EINVAL);
    assert_int_equal(omreg_ssd_v_cycle(be, LEX, 1, -2, d, NULL, g, NULL, 1, u, NULL, NULL),
                     OMREG_EINVAL);
    assert_int_equal(omreg_ssd_v_cycle(be, LEX, 1, 2, d, NULL, g, NULL, 1, NULL, NULL, NULL),
                     OMREG_EINVAL);
    /* workspaces that do not fit: too shallow, no sigmasq room, other grid */
    omreg_ssd_workspace *ws = NULL;
    assert_int_equal(omreg_ssd_workspace_create(&ws, 2, shape, OMREG_F64, 1, false), OMREG_OK);
    assert_int_equal(omreg_ssd_v_cycle(be, LEX, 2, 2, d, NULL, g, NULL, 1, u, ws, NULL),
                     OMREG_EINVAL);
    assert_int_equal(omreg_ssd_v_cycle(be, LEX, 1, 2, d, s, g, NULL, 1, u, ws, NULL), OMREG_EINVAL);
    omreg_ssd_workspace_free(ws);
    assert_int_equal(omreg_ssd_workspace_create(&ws, 2, other, OMREG_F64, 1, true), OMREG_OK);
    assert_int_equal(omreg_ssd_v_cycle(be, LEX, 1, 2, d, NULL, g, NULL, 1, u, ws, NULL),
                     OMREG_EINVAL);
    omreg_ssd_workspace_free(ws);
    assert_int_equal(omreg_ssd_workspace_create(&ws, 4, shape, OMREG_F64, 1, false), OMREG_EINVAL);
    assert_int_equal(omreg_ssd_workspace_create(&ws, 2, other, OMREG_F64, 99, false), OMREG_EINVAL);
    const size_t zero[2] = {0, 3};
    assert_int_equal(omreg_ssd_workspace_create(&ws, 2, zero, OMREG_F64, 1, false), OMREG_ESHAPE);
    omreg_ssd_workspace_free(NULL);
    assert_true(omreg_test_hash(omreg_image_cdata(u), 9 * 8 * 2 * sizeof(double)) == h);

    int singular = 5;
    double x[3] = {1, 2, 3};
    assert_int_equal(omreg_solve_2d_symmetric_positive_definite(NULL, x, 1, x), OMREG_EINVAL);
    assert_int_equal(omreg_solve_3d_symmetric_positive_definite(x, x, 1, x, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_solve_3d_symmetric_positive_definite(x, NULL, 1, x, &singular),
                     OMREG_EINVAL);
    assert_true(singular == 5 && x[0] == 1 && x[1] == 2 && x[2] == 3);
    omreg_image_free(d);
    omreg_image_free(g);
    omreg_image_free(u);
    omreg_image_free(g32);
    omreg_image_free(gs);
    omreg_image_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solves_satisfy_their_systems),
        cmocka_unit_test(demons_step_matches_formula),
        cmocka_unit_test(residual_matches_definition),
        cmocka_unit_test(red_black_sweep_solves_last_colour),
        cmocka_unit_test(v_cycles_reduce_the_residual),
        cmocka_unit_test(red_black_vs_lexicographic),
        cmocka_unit_test(entry_points_reject_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
