/* Kernels of DIPY 1.6 dipy/align/expectmax.pyx, the EM metric's per-voxel
 * work: quantize_positive_{2,3}d (positive intensities into num_levels - 1
 * equal-width classes, class 0 for v <= 0), compute_masked_class_stats_{2,3}d
 * (per-class mean and variance of an image over a mask) and
 * compute_em_demons_step_{2,3}d (the demons step of Vercauteren 2009 eq. 4
 * with EM class variances, and the energy sum delta^2).
 *
 * Canonical reduction order (DESIGN.md, contract item 2): the voxels, in C
 * order, are cut into fixed blocks of OMREG_REDUCE_BLOCK voxels
 * (kernels_reduce.h, omreg_reduce_blocks(n) blocks, the last may be
 * shorter). Each block accumulates its partials over its voxels in C order
 * from 0; the totals add the block partials in block order from 0 (per
 * class for the class sums). Min, max and counts are exact in any order but
 * use the same blocks. DIPY sums serially over all voxels, so the class
 * means/variances and the energy can differ from DIPY's in the last bits
 * (they are equal when the grid is a single block).
 *
 * Arithmetic as in DIPY's Cython (checked against its generated C): min,
 * max, delta and the class index in double; levels stored in FLT after
 * every step; class sums, means, squared differences and variances in FLT
 * (division by the int count converted to FLT); the demons step's nrm2 is
 * the FLT sum of FLT squares, everything else in double, stored to FLT.
 * Labels, masks, class images and histograms are int (DIPY's int32). */
#ifndef OMREG_CORE_KERNELS_EXPECTMAX_H
#define OMREG_CORE_KERNELS_EXPECTMAX_H

#include <stddef.h>

#include "kernels_reduce.h"

/* ---- quantize_positive ----------------------------------------------------
 * v: the image (shape[0] x ... voxels, C order). L = num_levels >= 2 (the
 * caller checks). DIPY's rule, n = L - 1 positive classes:
 *   min, max over v > 0 (both -1 when no voxel is positive);
 *   delta = (max - min + 1e-8) / n;
 *   if n < 2 or delta < 1e-8: out = (v > 0), levels = {0, (min + max) / 2,
 *     0, ...}, hist = {#(v <= 0), #(v > 0), 0, ...};
 *   else levels[0] = 0, levels[1] = min + delta / 2, levels[i] =
 *     levels[i-1] + delta (in double, stored to FLT each time), and
 *     out = 0 for v <= 0 (NaN, -Inf included), else
 *     1 + floor((v - min) / delta), hist = class counts.
 * Deviation: a class index past n (DIPY writes past the end of hist: only
 * when max - min exceeds ~9e7 so that 1e-8 vanishes in delta, or with
 * +Inf voxels, whose index is NaN) is clamped to n.
 * range = {min, max} as above, so the caller can reject +Inf.
 * range_scratch holds 2 * omreg_reduce_blocks(nvox) doubles, hist_scratch
 * omreg_reduce_blocks(nvox) * L ints (the reference uses neither). */
typedef void omreg_quantize_positive_2d_f64_fn(int nthreads, const double *v, const size_t shape[2],
                                               int num_levels, int *out, double *levels, int *hist,
                                               double *range_scratch, int *hist_scratch,
                                               double range[2]);
typedef void omreg_quantize_positive_2d_f32_fn(int nthreads, const float *v, const size_t shape[2],
                                               int num_levels, int *out, float *levels, int *hist,
                                               double *range_scratch, int *hist_scratch,
                                               double range[2]);
typedef void omreg_quantize_positive_3d_f64_fn(int nthreads, const double *v, const size_t shape[3],
                                               int num_levels, int *out, double *levels, int *hist,
                                               double *range_scratch, int *hist_scratch,
                                               double range[2]);
typedef void omreg_quantize_positive_3d_f32_fn(int nthreads, const float *v, const size_t shape[3],
                                               int num_levels, int *out, float *levels, int *hist,
                                               double *range_scratch, int *hist_scratch,
                                               double range[2]);

/* ---- compute_masked_class_stats -------------------------------------------
 * Over the voxels with mask != 0, with L = num_labels >= 1 and
 * c = counts[l] the number of such voxels labelled l:
 *   means[l] = (sum of v) / c (FLT), 0 when c = 0;
 *   variances[l] = (sum of (v - means[l])^2) / c (FLT), +Inf when c < 2
 *   (DIPY's docstring says standard deviation; it is the variance).
 * counts has L + 1 entries: counts[L] is the number of masked voxels whose
 * label is outside [0, L); they are skipped (DIPY would index out of
 * bounds) and the caller rejects the input when it is not 0.
 * sum_scratch holds omreg_reduce_blocks(nvox) * L FLT and count_scratch
 * omreg_reduce_blocks(nvox) * (L + 1) ints (the reference uses one block's
 * worth of each). */
typedef void omreg_compute_masked_class_stats_2d_f64_fn(int nthreads, const int *mask,
                                                        const double *v, int num_labels,
                                                        const int *labels, const size_t shape[2],
                                                        double *means, double *variances,
                                                        int *counts, double *sum_scratch,
                                                        int *count_scratch);
typedef void omreg_compute_masked_class_stats_2d_f32_fn(int nthreads, const int *mask,
                                                        const float *v, int num_labels,
                                                        const int *labels, const size_t shape[2],
                                                        float *means, float *variances, int *counts,
                                                        float *sum_scratch, int *count_scratch);
typedef void omreg_compute_masked_class_stats_3d_f64_fn(int nthreads, const int *mask,
                                                        const double *v, int num_labels,
                                                        const int *labels, const size_t shape[3],
                                                        double *means, double *variances,
                                                        int *counts, double *sum_scratch,
                                                        int *count_scratch);
typedef void omreg_compute_masked_class_stats_3d_f32_fn(int nthreads, const int *mask,
                                                        const float *v, int num_labels,
                                                        const int *labels, const size_t shape[3],
                                                        float *means, float *variances, int *counts,
                                                        float *sum_scratch, int *count_scratch);

/* ---- compute_em_demons_step -------------------------------------------------
 * Per voxel x (delta = delta_field[x], s = sigma_sq_field[x], g =
 * gradient_moving[x], dim components, nrm2 = |g|^2 summed in FLT):
 *   out[x] = 0 if s is +-Inf, or if s == 0 and nrm2 == 0;
 *   out[x] = delta g / nrm2 if s == 0;
 *   out[x] = (sigma_sq_x delta) g / (sigma_sq_x nrm2 + s) otherwise;
 * *energy = sum of delta^2 in double over all voxels (canonical order).
 * out is (shape..., dim) C order; scratch holds omreg_reduce_blocks(nvox)
 * doubles (the reference uses none). */
typedef void omreg_compute_em_demons_step_2d_f64_fn(int nthreads, const double *delta_field,
                                                    const double *sigma_sq_field,
                                                    const double *gradient_moving,
                                                    const size_t shape[2], double sigma_sq_x,
                                                    double *out, double *scratch, double *energy);
typedef void omreg_compute_em_demons_step_2d_f32_fn(int nthreads, const float *delta_field,
                                                    const float *sigma_sq_field,
                                                    const float *gradient_moving,
                                                    const size_t shape[2], double sigma_sq_x,
                                                    float *out, double *scratch, double *energy);
typedef void omreg_compute_em_demons_step_3d_f64_fn(int nthreads, const double *delta_field,
                                                    const double *sigma_sq_field,
                                                    const double *gradient_moving,
                                                    const size_t shape[3], double sigma_sq_x,
                                                    double *out, double *scratch, double *energy);
typedef void omreg_compute_em_demons_step_3d_f32_fn(int nthreads, const float *delta_field,
                                                    const float *sigma_sq_field,
                                                    const float *gradient_moving,
                                                    const size_t shape[3], double sigma_sq_x,
                                                    float *out, double *scratch, double *energy);

#endif
