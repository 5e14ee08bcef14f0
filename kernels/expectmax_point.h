/* Per-voxel and per-block pieces of the expectmax kernels
 * (kernels_expectmax.h), shared by both backends so that a block's partials
 * and every output voxel are the same bits in either. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
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
#include "expectmax_point.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "expectmax_point.h"
#undef FLT
#undef SFX

#endif /* OMREG_CORE_EXPECTMAX_POINT_H */

#else /* FLT: the type-generic body */

/* FLT is DIPY's `floating`: every value DIPY keeps in a floating array or
 * variable is stored in an FLT here at the same step. */

/* ---- quantize_positive ---------------------------------------------------- */

/* DIPY's running positive range over voxels [start, end) in C order:
 * min = first positive value or a smaller one, max = largest; both stay -1
 * when no voxel is positive (NaN and -Inf are not positive). */
static inline void SFX(omreg_em_range_block)(const FLT *v, size_t start, size_t end,
                                             double *min_val, double *max_val)
{
    double mn = -1.0, mx = -1.0;
    for (size_t x = start; x < end; ++x) {
        if (v[x] > 0) {
            if (mn < 0 || v[x] < mn)
                mn = v[x];
            if (v[x] > mx)
                mx = v[x];
        }
    }
    *min_val = mn;
    *max_val = mx;
}

/* levels[0..L-1]: 0 everywhere, then levels[1] = (min + max) / 2 in the
 * degenerate branch, else levels[1] = min + delta / 2 and levels[i] =
 * levels[i-1] + delta, each computed in double from the stored FLT value
 * and stored to FLT (DIPY's `floating[:] levels`). */
static inline void SFX(omreg_em_quant_levels)(double min_val, double max_val, double delta,
                                              int degenerate, int num_levels, FLT *levels)
{
    for (int i = 0; i < num_levels; ++i)
        levels[i] = 0;
    if (degenerate) {
        levels[1] = (FLT)(0.5 * (min_val + max_val));
        return;
    }
    levels[1] = (FLT)(min_val + delta * 0.5);
    for (int i = 2; i < num_levels; ++i)
        levels[i] = (FLT)((double)levels[i - 1] + delta);
}

/* Classes of voxels [start, end) into out, counted into hist (L entries,
 * added to). Degenerate branch: class 1 for every positive voxel. */
static inline void SFX(omreg_em_quant_block)(const FLT *v, size_t start, size_t end,
                                             int degenerate, double min_val, double delta,
                                             int num_levels, int *out, int *hist)
{
    const int n = num_levels - 1;
    for (size_t x = start; x < end; ++x) {
        int c = 0;
        if (v[x] > 0)
            c = degenerate ? 1 : omreg_em_quant_class(v[x], min_val, delta, n);
        out[x] = c;
        hist[c] += 1;
    }
}

/* ---- compute_masked_class_stats ------------------------------------------- */

/* Block partials over voxels [start, end) with mask != 0: psum[l] = FLT sum
 * of v in C order from 0, pcount[l] = count (l < L), pcount[L] = voxels
 * whose label is outside [0, L) (skipped). Overwrites psum[0..L-1] and
 * pcount[0..L]. */
static inline void SFX(omreg_em_class_sums_block)(const int *mask, const FLT *v,
                                                  const int *labels, size_t start, size_t end,
                                                  int num_labels, FLT *psum, int *pcount)
{
    for (int l = 0; l < num_labels; ++l) {
        psum[l] = 0;
        pcount[l] = 0;
    }
    pcount[num_labels] = 0;
    for (size_t x = start; x < end; ++x) {
        if (mask[x] == 0)
            continue;
        const int l = labels[x];
        if (l < 0 || l >= num_labels) {
            pcount[num_labels] += 1;
            continue;
        }
        psum[l] += v[x];
        pcount[l] += 1;
    }
}

/* Block partials of the squared deviations: psq[l] = FLT sum of
 * (v - means[l])^2 over the block's masked voxels labelled l, from 0.
 * DIPY's 3D version squares means[l] - v: the same bits, since
 * a - b = -(b - a) exactly. Overwrites psq[0..L-1]. */
static inline void SFX(omreg_em_class_sq_block)(const int *mask, const FLT *v,
                                                const int *labels, size_t start, size_t end,
                                                int num_labels, const FLT *means, FLT *psq)
{
    for (int l = 0; l < num_labels; ++l)
        psq[l] = 0;
    for (size_t x = start; x < end; ++x) {
        if (mask[x] == 0)
            continue;
        const int l = labels[x];
        if (l < 0 || l >= num_labels)
            continue;
        const FLT diff = v[x] - means[l];
        psq[l] += diff * diff; /* DIPY: diff ** 2, powf/pow(diff, 2) folded to a product */
    }
}

/* DIPY: means[l] /= counts[l] when counts[l] > 0 (FLT / int: the count
 * converted to FLT); the sum of no voxel stays 0. */
static inline FLT SFX(omreg_em_class_mean)(FLT sum, int count)
{
    return count > 0 ? sum / (FLT)count : sum;
}

/* DIPY: variances[l] /= counts[l] when counts[l] > 1, else +Inf. */
static inline FLT SFX(omreg_em_class_variance)(FLT sumsq, int count)
{
    return count > 1 ? sumsq / (FLT)count : (FLT)INFINITY;
}

/* ---- compute_em_demons_step ------------------------------------------------ */

/* One voxel of the EM demons step; g and out have dim components. nrm2 is
 * DIPY's FLT expression g0**2 + g1**2 (+ g2**2) widened to double; delta,
 * s and the quotients are double, stored to FLT. */
static inline void SFX(omreg_em_demons_point)(int dim, FLT delta_f, FLT s_f, const FLT *g,
                                              double sigma_sq_x, FLT *out)
{
    const double delta = delta_f, sigma_sq_i = s_f;
    if (isinf(sigma_sq_i)) {
        for (int c = 0; c < dim; ++c)
            out[c] = 0;
        return;
    }
    FLT sq = g[0] * g[0] + g[1] * g[1];
    if (dim == 3)
        sq = sq + g[2] * g[2];
    const double nrm2 = sq;
    if (sigma_sq_i == 0) {
        if (nrm2 == 0) {
            for (int c = 0; c < dim; ++c)
                out[c] = 0;
        } else {
            for (int c = 0; c < dim; ++c)
                out[c] = (FLT)(delta * (double)g[c] / nrm2);
        }
        return;
    }
    const double den = sigma_sq_x * nrm2 + sigma_sq_i;
    const double prod = sigma_sq_x * delta;
    for (int c = 0; c < dim; ++c)
        out[c] = (FLT)(prod * (double)g[c] / den);
}

/* Step over voxels [start, end) of a dim-D grid; returns the block's
 * energy partial: sum of delta^2 in double, in C order from 0. */
static inline double SFX(omreg_em_demons_block)(int dim, const FLT *delta_field,
                                                const FLT *sigma_sq_field, const FLT *grad,
                                                double sigma_sq_x, size_t start, size_t end,
                                                FLT *out)
{
    const size_t d = (size_t)dim;
    double energy = 0.0;
    for (size_t x = start; x < end; ++x) {
        const double delta = delta_field[x];
        energy += delta * delta; /* DIPY: pow(delta, 2.0), folded to a product */
        SFX(omreg_em_demons_point)(dim, delta_field[x], sigma_sq_field[x], grad + x * d,
                                   sigma_sq_x, out + x * d);
    }
    return energy;
}

#endif /* FLT */
