/* Per-voxel math shared by both backends' SyN helpers
 * (kernels_syn_pointwise.h). */
#ifndef OMREG_CORE_SYN_POINTWISE_POINT_H
#define OMREG_CORE_SYN_POINTWISE_POINT_H

#include <math.h>
#include <stddef.h>

/* sqrt(sum_c (v[c] / spacing[c])^2) in double, c in order (numpy's
 * float32 / float64 promotes; the reduction over the last axis adds the
 * squares left to right) */
static inline double syn_scaled_norm(const float *v, int dim, const double *spacing)
{
    double s = 0.0;
    for (int c = 0; c < dim; ++c) {
        double q = (double)v[c] / spacing[c];
        s += q * q;
    }
    return sqrt(s);
}

/* 1 when voxel index (k, i, j) lies on a face of the grid (first or last
 * index of some axis); 2D grids pass k = 0, ns = 0 (no slice axis) */
static inline int syn_on_boundary(size_t k, size_t i, size_t j, size_t ns, size_t nr, size_t nc)
{
    if (ns && (k == 0 || k == ns - 1))
        return 1;
    return i == 0 || i == nr - 1 || j == 0 || j == nc - 1;
}

#endif
