/* One voxel of DIPY 1.6 sumsqdiff.pyx, shared by both backends: the 2x2
 * and 3x3 symmetric positive-definite solves
 * (_solve_{2,3}d_symmetric_positive_definite), the Gauss-Seidel update,
 * the residual and the demons step, plus the serial combiners of the
 * canonical row reductions (kernels_sumsqdiff.h). */
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
#include "sumsqdiff_point_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "sumsqdiff_point_body.h"
#undef FLT
#undef SFX

#endif
