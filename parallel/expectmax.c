/* Parallel EM-metric kernels (DIPY 1.6 expectmax.pyx; kernels_expectmax.h).
 * Loop order vs the reference: threads take whole blocks of
 * OMREG_REDUCE_BLOCK voxels; every block's partials (range, class counts,
 * class sums, squared deviations, energy) go to the block's own row of the
 * caller's scratch, computed by the same shared routines
 * (expectmax_point.h) as the reference's. The totals are then formed per
 * class (classes in parallel, each class adding its block partials in block
 * order from 0) or, for the energy and the range, by one thread in block
 * order: exactly the reference's sequence of operations per output, so the
 * bits do not depend on threads or schedule. Min, max and counts are exact,
 * so their block merge equals the reference's single serial pass. Per-voxel
 * outputs (classes, steps) are written once by the thread owning the block. */
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

/* quantize_positive over nvox voxels: block ranges, merged in block order;
 * levels (O(L), serial); block classes and histogram rows; histogram
 * columns summed per level. */
static void SFX(quantize)(int nthreads, const FLT *v, size_t nvox, int num_levels, int *out,
                          FLT *levels, int *hist, double *range_scratch, int *hist_scratch,
                          double range[2])
{
    const size_t nblocks = omreg_reduce_blocks(nvox);
    const size_t L = (size_t)num_levels;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start, end;
        omreg_em_block(b, nvox, &start, &end);
        SFX(omreg_em_range_block)(v, start, end, &range_scratch[2 * b],
                                  &range_scratch[2 * b + 1]);
    }
    double min_val = -1.0, max_val = -1.0, delta;
    for (size_t b = 0; b < nblocks; ++b) /* block order (exact anyway) */
        omreg_em_range_merge(&min_val, &max_val, range_scratch[2 * b],
                             range_scratch[2 * b + 1]);
    const int degenerate = omreg_em_quant_delta(min_val, max_val, num_levels, &delta);
    SFX(omreg_em_quant_levels)(min_val, max_val, delta, degenerate, num_levels, levels);
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start, end;
        omreg_em_block(b, nvox, &start, &end);
        int *row = hist_scratch + b * L;
        for (size_t l = 0; l < L; ++l)
            row[l] = 0;
        SFX(omreg_em_quant_block)(v, start, end, degenerate, min_val, delta, num_levels, out,
                                  row);
    }
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t l = 0; l < L; ++l) {
        int count = 0;
        for (size_t b = 0; b < nblocks; ++b)
            count += hist_scratch[b * L + l];
        hist[l] = count;
    }
    range[0] = min_val;
    range[1] = max_val;
}

void SFX(omreg_par_quantize_positive_2d)(int nthreads, const FLT *v, const size_t shape[2],
                                         int num_levels, int *out, FLT *levels, int *hist,
                                         double *range_scratch, int *hist_scratch, double range[2])
{
    SFX(quantize)
    (nthreads, v, shape[0] * shape[1], num_levels, out, levels, hist, range_scratch, hist_scratch,
     range);
}

void SFX(omreg_par_quantize_positive_3d)(int nthreads, const FLT *v, const size_t shape[3],
                                         int num_levels, int *out, FLT *levels, int *hist,
                                         double *range_scratch, int *hist_scratch, double range[2])
{
    SFX(quantize)
    (nthreads, v, shape[0] * shape[1] * shape[2], num_levels, out, levels, hist, range_scratch,
     hist_scratch, range);
}

/* compute_masked_class_stats over nvox voxels: block rows of class sums
 * and counts, class totals in block order, block rows of squared
 * deviations (reusing the sum rows), class totals in block order. */
static void SFX(class_stats)(int nthreads, const int *mask, const FLT *v, int num_labels,
                             const int *labels, size_t nvox, FLT *means, FLT *variances,
                             int *counts, FLT *sum_scratch, int *count_scratch)
{
    const size_t nblocks = omreg_reduce_blocks(nvox);
    const size_t L = (size_t)num_labels;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start, end;
        omreg_em_block(b, nvox, &start, &end);
        SFX(omreg_em_class_sums_block)(mask, v, labels, start, end, num_labels,
                                       sum_scratch + b * L, count_scratch + b * (L + 1));
    }
    /* l == L: the masked voxels with an out-of-range label */
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t l = 0; l <= L; ++l) {
        FLT sum = 0;
        int count = 0;
        for (size_t b = 0; b < nblocks; ++b) { /* block order: the canonical sum */
            if (l < L)
                sum += sum_scratch[b * L + l];
            count += count_scratch[b * (L + 1) + l];
        }
        counts[l] = count;
        if (l < L)
            means[l] = SFX(omreg_em_class_mean)(sum, count);
    }
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start, end;
        omreg_em_block(b, nvox, &start, &end);
        SFX(omreg_em_class_sq_block)(mask, v, labels, start, end, num_labels, means,
                                     sum_scratch + b * L);
    }
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t l = 0; l < L; ++l) {
        FLT sumsq = 0;
        for (size_t b = 0; b < nblocks; ++b) /* block order: the canonical sum */
            sumsq += sum_scratch[b * L + l];
        variances[l] = SFX(omreg_em_class_variance)(sumsq, counts[l]);
    }
}

void SFX(omreg_par_compute_masked_class_stats_2d)(int nthreads, const int *mask, const FLT *v,
                                                  int num_labels, const int *labels,
                                                  const size_t shape[2], FLT *means, FLT *variances,
                                                  int *counts, FLT *sum_scratch, int *count_scratch)
{
    SFX(class_stats)
    (nthreads, mask, v, num_labels, labels, shape[0] * shape[1], means, variances, counts,
     sum_scratch, count_scratch);
}

void SFX(omreg_par_compute_masked_class_stats_3d)(int nthreads, const int *mask, const FLT *v,
                                                  int num_labels, const int *labels,
                                                  const size_t shape[3], FLT *means, FLT *variances,
                                                  int *counts, FLT *sum_scratch, int *count_scratch)
{
    SFX(class_stats)
    (nthreads, mask, v, num_labels, labels, shape[0] * shape[1] * shape[2], means, variances,
     counts, sum_scratch, count_scratch);
}

/* compute_em_demons_step over nvox voxels: block steps and energy
 * partials, energy summed in block order. */
static double SFX(demons)(int nthreads, int dim, const FLT *delta_field, const FLT *sigma_sq_field,
                          const FLT *grad, size_t nvox, double sigma_sq_x, FLT *out,
                          double *scratch)
{
    const size_t nblocks = omreg_reduce_blocks(nvox);
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start, end;
        omreg_em_block(b, nvox, &start, &end);
        scratch[b] = SFX(omreg_em_demons_block)(dim, delta_field, sigma_sq_field, grad,
                                                sigma_sq_x, start, end, out);
    }
    double energy = 0.0;
    for (size_t b = 0; b < nblocks; ++b) /* block order: the canonical sum */
        energy += scratch[b];
    return energy;
}

void SFX(omreg_par_compute_em_demons_step_2d)(int nthreads, const FLT *delta_field,
                                              const FLT *sigma_sq_field, const FLT *gradient_moving,
                                              const size_t shape[2], double sigma_sq_x, FLT *out,
                                              double *scratch, double *energy)
{
    *energy = SFX(demons)(nthreads, 2, delta_field, sigma_sq_field, gradient_moving,
                          shape[0] * shape[1], sigma_sq_x, out, scratch);
}

void SFX(omreg_par_compute_em_demons_step_3d)(int nthreads, const FLT *delta_field,
                                              const FLT *sigma_sq_field, const FLT *gradient_moving,
                                              const size_t shape[3], double sigma_sq_x, FLT *out,
                                              double *scratch, double *energy)
{
    *energy = SFX(demons)(nthreads, 3, delta_field, sigma_sq_field, gradient_moving,
                          shape[0] * shape[1] * shape[2], sigma_sq_x, out, scratch);
}

#endif /* FLT */
