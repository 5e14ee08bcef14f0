/* Reference EM-metric kernels (DIPY 1.6 expectmax.pyx; kernels_expectmax.h):
 * quantize_positive_{2,3}d, compute_masked_class_stats_{2,3}d and
 * compute_em_demons_step_{2,3}d, serial, voxels in C order. The class sums
 * and the energy follow the canonical block order (blocks of
 * OMREG_REDUCE_BLOCK voxels; serially, adding each block's partials to the
 * totals as soon as the block is done is the same arithmetic as storing
 * them and adding them afterwards). The range (min, max) and the counts are
 * exact in any order, so they are computed in one serial pass as DIPY does. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "expectmax_point.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "expectmax.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "expectmax.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

/* quantize_positive over nvox voxels: DIPY's two serial passes. */
static void SFX(quantize)(const FLT *v, size_t nvox, int num_levels, int *out, FLT *levels,
                          int *hist, double range[2])
{
    double min_val, max_val, delta;
    SFX(omreg_em_range_block)(v, 0, nvox, &min_val, &max_val);
    const int degenerate = omreg_em_quant_delta(min_val, max_val, num_levels, &delta);
    SFX(omreg_em_quant_levels)(min_val, max_val, delta, degenerate, num_levels, levels);
    for (int l = 0; l < num_levels; ++l)
        hist[l] = 0;
    SFX(omreg_em_quant_block)(v, 0, nvox, degenerate, min_val, delta, num_levels, out, hist);
    range[0] = min_val;
    range[1] = max_val;
}

void SFX(omreg_ref_quantize_positive_2d)(int nthreads, const FLT *v, const size_t shape[2],
                                         int num_levels, int *out, FLT *levels, int *hist,
                                         double *range_scratch, int *hist_scratch, double range[2])
{
    (void)nthreads;
    (void)range_scratch; /* exact reductions: no block storage needed */
    (void)hist_scratch;
    SFX(quantize)(v, shape[0] * shape[1], num_levels, out, levels, hist, range);
}

void SFX(omreg_ref_quantize_positive_3d)(int nthreads, const FLT *v, const size_t shape[3],
                                         int num_levels, int *out, FLT *levels, int *hist,
                                         double *range_scratch, int *hist_scratch, double range[2])
{
    (void)nthreads;
    (void)range_scratch;
    (void)hist_scratch;
    SFX(quantize)(v, shape[0] * shape[1] * shape[2], num_levels, out, levels, hist, range);
}

/* compute_masked_class_stats over nvox voxels: per block the class
 * partials (one block's scratch, reused), added to the totals per class in
 * block order; then the same for the squared deviations from the means. */
static void SFX(class_stats)(const int *mask, const FLT *v, int num_labels, const int *labels,
                             size_t nvox, FLT *means, FLT *variances, int *counts,
                             FLT *psum, int *pcount)
{
    const size_t nblocks = omreg_reduce_blocks(nvox);
    for (int l = 0; l < num_labels; ++l) {
        means[l] = 0;
        variances[l] = 0;
    }
    for (int l = 0; l <= num_labels; ++l)
        counts[l] = 0;
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start, end;
        omreg_em_block(b, nvox, &start, &end);
        SFX(omreg_em_class_sums_block)(mask, v, labels, start, end, num_labels, psum, pcount);
        for (int l = 0; l < num_labels; ++l) {
            means[l] += psum[l];
            counts[l] += pcount[l];
        }
        counts[num_labels] += pcount[num_labels];
    }
    for (int l = 0; l < num_labels; ++l)
        means[l] = SFX(omreg_em_class_mean)(means[l], counts[l]);
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start, end;
        omreg_em_block(b, nvox, &start, &end);
        SFX(omreg_em_class_sq_block)(mask, v, labels, start, end, num_labels, means, psum);
        for (int l = 0; l < num_labels; ++l)
            variances[l] += psum[l];
    }
    for (int l = 0; l < num_labels; ++l)
        variances[l] = SFX(omreg_em_class_variance)(variances[l], counts[l]);
}

void SFX(omreg_ref_compute_masked_class_stats_2d)(int nthreads, const int *mask, const FLT *v,
                                                  int num_labels, const int *labels,
                                                  const size_t shape[2], FLT *means, FLT *variances,
                                                  int *counts, FLT *sum_scratch, int *count_scratch)
{
    (void)nthreads;
    SFX(class_stats)(mask, v, num_labels, labels, shape[0] * shape[1], means, variances,
                     counts, sum_scratch, count_scratch);
}

void SFX(omreg_ref_compute_masked_class_stats_3d)(int nthreads, const int *mask, const FLT *v,
                                                  int num_labels, const int *labels,
                                                  const size_t shape[3], FLT *means, FLT *variances,
                                                  int *counts, FLT *sum_scratch, int *count_scratch)
{
    (void)nthreads;
    SFX(class_stats)(mask, v, num_labels, labels, shape[0] * shape[1] * shape[2], means,
                     variances, counts, sum_scratch, count_scratch);
}

/* compute_em_demons_step over nvox voxels of a dim-D grid. */
static double SFX(demons)(int dim, const FLT *delta_field, const FLT *sigma_sq_field,
                          const FLT *grad, size_t nvox, double sigma_sq_x, FLT *out)
{
    double energy = 0.0;
    for (size_t b = 0; b < omreg_reduce_blocks(nvox); ++b) {
        size_t start, end;
        omreg_em_block(b, nvox, &start, &end);
        energy += SFX(omreg_em_demons_block)(dim, delta_field, sigma_sq_field, grad,
                                             sigma_sq_x, start, end, out);
    }
    return energy;
}

void SFX(omreg_ref_compute_em_demons_step_2d)(int nthreads, const FLT *delta_field,
                                              const FLT *sigma_sq_field, const FLT *gradient_moving,
                                              const size_t shape[2], double sigma_sq_x, FLT *out,
                                              double *scratch, double *energy)
{
    (void)nthreads;
    (void)scratch;
    *energy = SFX(demons)(2, delta_field, sigma_sq_field, gradient_moving,
                          shape[0] * shape[1], sigma_sq_x, out);
}

void SFX(omreg_ref_compute_em_demons_step_3d)(int nthreads, const FLT *delta_field,
                                              const FLT *sigma_sq_field, const FLT *gradient_moving,
                                              const size_t shape[3], double sigma_sq_x, FLT *out,
                                              double *scratch, double *energy)
{
    (void)nthreads;
    (void)scratch;
    *energy = SFX(demons)(3, delta_field, sigma_sq_field, gradient_moving,
                          shape[0] * shape[1] * shape[2], sigma_sq_x, out);
}

#endif /* FLT */
