/* One voxel of DIPY 1.6 sumsqdiff.pyx, shared by both backends: the 2x2
 * and 3x3 symmetric positive-definite solves
 * (_solve_{2,3}d_symmetric_positive_definite), the Gauss-Seidel update,
 * the residual and the demons step, plus the serial combiners of the
 * canonical row reductions (kernels_sumsqdiff.h). */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_CORE_SUMSQDIFF_POINT_H
#define OMREG_CORE_SUMSQDIFF_POINT_H

#include <math.h>
#include <stddef.h>

#include "kernels_sumsqdiff.h"

/* M x = y with M = [[A0, A1], [A1, A2]] and det = det(M) precomputed by the
 * caller: back substitution in DIPY's order. */
static inline void ssd_solve_2d_spd(const double A[3], const double y[2], double det,
                                    double out[2])
{
    out[1] = (A[0] * y[1] - A[1] * y[0]) / det;
    out[0] = (y[0] - A[1] * out[1]) / A[0];
}

/* (g g^T + tau I) x = y by DIPY's Gaussian elimination; returns 1 and
 * leaves out untouched when a pivot is below 1e-9 (DIPY's is_singular). */
static inline int ssd_solve_3d_spd(const double g[3], const double y[3], double tau,
                                   double out[3])
{
    const double a = g[0] * g[0] + tau;
    if (a < 1e-9)
        return 1;
    const double b = g[0] * g[1];
    const double sub_det = a * (g[1] * g[1] + tau) - b * b;
    if (sub_det < 1e-9)
        return 1;
    const double c = g[0] * g[2];
    const double d = (a * (g[1] * g[1] + tau) - b * b) / a;
    const double e = (a * (g[1] * g[2]) - b * c) / a;
    const double f = (a * (g[2] * g[2] + tau) - c * c) / a - (e * e * a) / sub_det;
    if (f < 1e-9)
        return 1;
    const double y0 = y[0];
    const double y1 = (y[1] * a - y0 * b) / a;
    const double y2 = (y[2] * a - c * y0) / a - (e * (y[1] * a - b * y0)) / sub_det;
    out[2] = y2 / f;
    out[1] = (y1 - e * out[2]) / d;
    out[0] = (y0 - b * out[1] - c * out[2]) / a;
    return 0;
}

/* Linear indices of the in-grid neighbours of (i, j) in DIPY's order (up,
 * right, down, left); returns their count. */
static inline int ssd_neighbours_2d(size_t nr, size_t nc, size_t i, size_t j, size_t nb[4])
{
    const size_t v = i * nc + j;
    int n = 0;
    if (i > 0)
        nb[n++] = v - nc;
    if (j + 1 < nc)
        nb[n++] = v + 1;
    if (i + 1 < nr)
        nb[n++] = v + nc;
    if (j > 0)
        nb[n++] = v - 1;
    return n;
}

/* The same for (k, i, j) in DIPY's order (slice-1, up, right, down, left,
 * slice+1). */
static inline int ssd_neighbours_3d(size_t ns, size_t nr, size_t nc, size_t k, size_t i,
                                    size_t j, size_t nb[6])
{
    const size_t v = (k * nr + i) * nc + j, slice = nr * nc;
    int n = 0;
    if (k > 0)
        nb[n++] = v - slice;
    if (i > 0)
        nb[n++] = v - nc;
    if (j + 1 < nc)
        nb[n++] = v + 1;
    if (i + 1 < nr)
        nb[n++] = v + nc;
    if (j > 0)
        nb[n++] = v - 1;
    if (k + 1 < ns)
        nb[n++] = v + slice;
    return n;
}

/* Canonical sum of the row partials: added to 0 in block order. */
static inline double ssd_sum_rows(const double *scratch, size_t nrows)
{
    double total = 0;
    for (size_t b = 0; b < nrows; ++b)
        total += scratch[OMREG_SSD_SCRATCH_PER_ROW * b];
    return total;
}

/* Maximum of the row partials (exact: any order gives the same bits). */
static inline double ssd_max_rows(const double *scratch, size_t nrows)
{
    double m = 0;
    for (size_t b = 0; b < nrows; ++b)
        if (m < scratch[OMREG_SSD_SCRATCH_PER_ROW * b])
            m = scratch[OMREG_SSD_SCRATCH_PER_ROW * b];
    return m;
}

#define FLT double
#define SFX(name) name##_f64
#include "sumsqdiff_point.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "sumsqdiff_point.h"
#undef FLT
#undef SFX

#endif /* OMREG_CORE_SUMSQDIFF_POINT_H */

#else /* FLT: the type-generic body */

/* Everything DIPY holds in `double` locals is double here; an expression
 * DIPY writes on two `floating` elements (a square, a product, a
 * difference) is evaluated in FLT, as C does for float * float; every
 * value DIPY stores in a `floating` array is stored in FLT at the same
 * point of the computation. */

/* DIPY's energy term: delta[x] ** 2 on a `floating` element. */
static inline double SFX(ssd_energy_point)(FLT delta)
{
    FLT sq = delta * delta;
    return sq;
}

/* Demons step at voxel v of a dim-D grid (compute_ssd_demons_step_{2,3}d):
 * writes out[dim v ...] and returns delta^2 (in double) for the energy. */
static inline double SFX(ssd_demons_point)(int dim, const FLT *delta, const FLT *grad,
                                           double sigma_sq_x, size_t v, FLT *out)
{
    const double dl = delta[v]; /* DIPY's `double delta` */
    const double delta_2 = dl * dl;
    const FLT *g = &grad[(size_t)dim * v];
    FLT *o = &out[(size_t)dim * v];
    FLT nrm2 = g[0] * g[0] + g[1] * g[1];
    if (dim == 3)
        nrm2 = nrm2 + g[2] * g[2];
    const double den = delta_2 / sigma_sq_x + nrm2;
    for (int c = 0; c < dim; ++c)
        o[c] = den < 1e-9 ? 0 : (FLT)(dl * g[c] / den);
    return delta_2;
}

/* One Gauss-Seidel update of voxel (i, j) of an nr x nc grid, in place
 * (the body of DIPY's iterate_residual_displacement_field_ssd_2d). Returns
 * the squared change |old - new|^2, or 0 where DIPY does not track it
 * (the small-determinant branch); 0 never raises the running maximum. */
static inline double SFX(ssd_gs_point_2d)(const FLT *delta, const FLT *sigmasq_field,
                                          const FLT *grad, const FLT *target, size_t nr,
                                          size_t nc, double lambda, size_t i, size_t j,
                                          FLT *disp)
{
    const size_t v = i * nc + j;
    const FLT *g = &grad[2 * v];
    const double sigmasq = sigmasq_field ? (double)sigmasq_field[v] : 1.0;
    double b0, b1;
    if (target == NULL) {
        const FLT t0 = delta[v] * g[0], t1 = delta[v] * g[1]; /* floating * floating */
        b0 = t0;
        b1 = t1;
    } else {
        b0 = target[2 * v];
        b1 = target[2 * v + 1];
    }
    size_t nb[4];
    const int nn = ssd_neighbours_2d(nr, nc, i, j, nb);
    double y0 = 0, y1 = 0;
    for (int q = 0; q < nn; ++q) {
        y0 += disp[2 * nb[q]];
        y1 += disp[2 * nb[q] + 1];
    }
    FLT *u = &disp[2 * v];
    if (isinf(sigmasq)) { /* infinite variance: the neighbour mean */
        double xx = u[0], yy = u[1];
        u[0] = (FLT)(y0 / (double)nn);
        u[1] = (FLT)(y1 / (double)nn);
        xx -= u[0];
        yy -= u[1];
        return xx * xx + yy * yy;
    }
    const FLT g00 = g[0] * g[0], g01 = g[0] * g[1], g11 = g[1] * g[1];
    const double sl = sigmasq * lambda;
    const double A[3] = {g00 + sl * (double)nn, g01, g11 + sl * (double)nn};
    const double det = A[0] * A[2] - A[1] * A[1];
    if (det < 1e-9) {
        const FLT nrm2 = g00 + g11;
        if (nrm2 < 1e-9) {
            u[0] = 0;
            u[1] = 0;
        } else {
            u[0] = (FLT)(b0 / nrm2);
            u[1] = (FLT)(b1 / nrm2);
        }
        return 0; /* DIPY does not count this change */
    }
    const double y[2] = {b0 + sl * y0, b1 + sl * y1};
    double d[2];
    ssd_solve_2d_spd(A, y, det, d);
    const double xx = u[0] - d[0], yy = u[1] - d[1];
    u[0] = (FLT)d[0];
    u[1] = (FLT)d[1];
    return xx * xx + yy * yy;
}

/* One Gauss-Seidel update of voxel (k, i, j) of an ns x nr x nc grid, in
 * place (DIPY's iterate_residual_displacement_field_ssd_3d). Returns the
 * squared change or 0 where DIPY does not track it (sigmasq < 1e-9).
 * dstate is DIPY's `d`, the last 3x3 solution: non-NULL reproduces DIPY,
 * where a singular solve stores the stale dstate (and measures the change
 * from the discarded b / |g|^2 fallback); NULL (red-black sweep) stores the
 * fallback itself, so no voxel depends on which voxel was solved before. */
static inline double SFX(ssd_gs_point_3d)(const FLT *delta, const FLT *sigmasq_field,
                                          const FLT *grad, const FLT *target, size_t ns,
                                          size_t nr, size_t nc, double lambda, size_t k,
                                          size_t i, size_t j, FLT *disp, double *dstate)
{
    const size_t v = (k * nr + i) * nc + j;
    const double g[3] = {grad[3 * v], grad[3 * v + 1], grad[3 * v + 2]};
    const double sigmasq = sigmasq_field ? (double)sigmasq_field[v] : 1.0;
    double b[3];
    for (int c = 0; c < 3; ++c)
        b[c] = target == NULL ? (double)delta[v] * g[c] : (double)target[3 * v + c];
    size_t nb[6];
    const int nn = ssd_neighbours_3d(ns, nr, nc, k, i, j, nb);
    double y[3] = {0, 0, 0};
    for (int q = 0; q < nn; ++q)
        for (int c = 0; c < 3; ++c)
            y[c] += disp[3 * nb[q] + c];
    FLT *u = &disp[3 * v];
    if (isinf(sigmasq)) { /* infinite variance: the neighbour mean */
        double xx[3], opt = 0;
        for (int c = 0; c < 3; ++c) {
            xx[c] = u[c];
            u[c] = (FLT)(y[c] / (double)nn);
            xx[c] -= u[c];
        }
        opt = xx[0] * xx[0] + xx[1] * xx[1] + xx[2] * xx[2];
        return opt;
    }
    const double nrm2 = g[0] * g[0] + g[1] * g[1] + g[2] * g[2];
    if (sigmasq < 1e-9) { /* zero variance: the data term alone */
        for (int c = 0; c < 3; ++c)
            u[c] = nrm2 < 1e-9 ? 0 : (FLT)(b[c] / nrm2);
        return 0; /* DIPY does not count this change */
    }
    const double sl = sigmasq * lambda;
    const double tau = sl * (double)nn;
    for (int c = 0; c < 3; ++c)
        y[c] = b[c] + sl * y[c];
    double local[3];
    double *d = dstate ? dstate : local;
    if (ssd_solve_3d_spd(g, y, tau, d)) {
        if (dstate) {
            /* DIPY: store b / |g|^2, measure the change from it to the stale
             * d, then overwrite it with that stale d */
            for (int c = 0; c < 3; ++c)
                u[c] = nrm2 < 1e-9 ? 0 : (FLT)(b[c] / nrm2);
        } else {
            for (int c = 0; c < 3; ++c)
                d[c] = nrm2 < 1e-9 ? 0 : b[c] / nrm2;
        }
    }
    double xx[3];
    for (int c = 0; c < 3; ++c) {
        xx[c] = u[c] - d[c];
        u[c] = (FLT)d[c];
    }
    return xx[0] * xx[0] + xx[1] * xx[1] + xx[2] * xx[2];
}

/* Residual at voxel v of a dim-D grid (compute_residual_displacement_
 * field_ssd_{2,3}d); nb lists the in-grid neighbours in DIPY's order.
 * Writes res[dim v ...] and returns its squared norm in double. */
static inline double SFX(ssd_residual_point)(int dim, const FLT *delta, const FLT *sigmasq_field,
                                             const FLT *grad, const FLT *target, double lambda,
                                             const FLT *disp, size_t v, const size_t *nb,
                                             int nnb, FLT *res)
{
    const double sigmasq = sigmasq_field ? (double)sigmasq_field[v] : 1.0;
    const FLT *g = &grad[(size_t)dim * v], *u = &disp[(size_t)dim * v];
    FLT *r = &res[(size_t)dim * v];
    double b[3], y[3] = {0, 0, 0};
    for (int c = 0; c < dim; ++c) {
        b[c] = target == NULL ? (double)delta[v] * g[c] : (double)target[(size_t)dim * v + c];
        for (int q = 0; q < nnb; ++q) {
            const FLT diff = u[c] - disp[(size_t)dim * nb[q] + c]; /* floating - floating */
            y[c] += diff;
        }
    }
    double sq = 0;
    if (isinf(sigmasq)) {
        for (int c = 0; c < dim; ++c) {
            r[c] = (FLT)(-lambda * y[c]);
            sq += (double)r[c] * r[c];
        }
        return sq;
    }
    FLT dotP = g[0] * u[0] + g[1] * u[1]; /* floating arithmetic */
    if (dim == 3)
        dotP = dotP + g[2] * u[2];
    const double sl = sigmasq * lambda;
    for (int c = 0; c < dim; ++c) {
        r[c] = (FLT)(b[c] - ((double)g[c] * (double)dotP + sl * y[c]));
        sq += (double)r[c] * r[c];
    }
    return sq;
}

#endif /* FLT */
