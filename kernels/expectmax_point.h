/* Per-voxel and per-block pieces of the expectmax kernels
 * (kernels_expectmax.h), shared by both backends so that a block's partials
 * and every output voxel are the same bits in either. */
#ifndef OMREG_CORE_EXPECTMAX_POINT_H
#define OMREG_CORE_EXPECTMAX_POINT_H

#include <math.h>
#include <stddef.h>

#include "kernels_reduce.h"

/* DIPY's epsilon in quantize_positive. */
#define OMREG_EM_QUANT_EPSILON 1e-8

/* Voxels [*start, *end) of block b of n (kernels_reduce.h). */
static inline void omreg_em_block(size_t b, size_t n, size_t *start, size_t *end)
{
    *start = b * OMREG_REDUCE_BLOCK;
    *end = *start + OMREG_REDUCE_BLOCK < n ? *start + OMREG_REDUCE_BLOCK : n;
}

/* DIPY's quantisation parameters from the positive range: delta =
 * (max - min + eps) / n with n = num_levels - 1; returns 1 for DIPY's
 * degenerate branch (n < 2 or delta < eps: every positive voxel in class 1). */
static inline int omreg_em_quant_delta(double min_val, double max_val, int num_levels,
                                       double *delta)
{
    const int n = num_levels - 1; /* zero is one of the levels */
    *delta = (max_val - min_val + OMREG_EM_QUANT_EPSILON) / (double)n;
    return n < 2 || *delta < OMREG_EM_QUANT_EPSILON;
}

/* Class of a positive voxel x in the regular branch: 1 + floor((x - min) /
 * delta), in double as DIPY's ifloor. An index past n - 1 (possible only
 * when 1e-8 vanishes in delta, or NaN from +Inf) is clamped to n - 1, where
 * DIPY would write past the end of its histogram. */
static inline int omreg_em_quant_class(double x, double min_val, double delta, int n)
{
    const double t = (x - min_val) / delta;
    if (!(t < (double)n))
        return n;
    return (int)floor(t) + 1;
}

/* Merge a block's range into the running range by the same rule (a block
 * with a positive voxel has min > 0). Min and max are exact, so merging
 * blocks in block order gives DIPY's serial result bit for bit. */
static inline void omreg_em_range_merge(double *min_val, double *max_val, double bmin,
                                        double bmax)
{
    if (bmin > 0) {
        if (*min_val < 0 || bmin < *min_val)
            *min_val = bmin;
        if (bmax > *max_val)
            *max_val = bmax;
    }
}

#define FLT double
#define SFX(name) name##_f64
#include "expectmax_point_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "expectmax_point_body.h"
#undef FLT
#undef SFX

#endif
