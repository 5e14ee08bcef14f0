/* Parallel per-voxel helpers of the SyN driver (kernels_syn_pointwise.h):
 * independent voxels split over threads with the reference's per-voxel
 * arithmetic. The range and maximum-norm reductions keep one partial per
 * fixed OMREG_REDUCE_BLOCK block in the caller's scratch and combine them
 * in block order; min, max and counts are exact, so this equals the
 * reference's single pass for any thread count and schedule. */
#include <math.h>

#include "kernels.h"
#include "syn_pointwise_point.h"

static size_t block_end(size_t b, size_t n)
{
    size_t end = (b + 1) * OMREG_REDUCE_BLOCK;
    return end < n ? end : n;
}

void omreg_par_syn_range_f32(int nthreads, const float *x, size_t n, double *scratch, double out[3])
{
    const size_t nblocks = omreg_reduce_blocks(n);
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        double lo = INFINITY, hi = -INFINITY, nan = 0;
        for (size_t v = b * OMREG_REDUCE_BLOCK; v < block_end(b, n); ++v) {
            if (isnan(x[v])) {
                nan += 1;
                continue;
            }
            if (x[v] < lo)
                lo = x[v];
            if (x[v] > hi)
                hi = x[v];
        }
        scratch[3 * b] = lo;
        scratch[3 * b + 1] = hi;
        scratch[3 * b + 2] = nan;
    }
    double lo = INFINITY, hi = -INFINITY, nan = 0;
    for (size_t b = 0; b < nblocks; ++b) {
        if (scratch[3 * b] < lo)
            lo = scratch[3 * b];
        if (scratch[3 * b + 1] > hi)
            hi = scratch[3 * b + 1];
        nan += scratch[3 * b + 2];
    }
    out[0] = lo;
    out[1] = hi;
    out[2] = nan;
}

void omreg_par_syn_subtract_f32(int nthreads, const float *a, const float *b, size_t n, float *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = a[v] - b[v];
}

void omreg_par_syn_gather_f32(int nthreads, const float *table, const int *labels, size_t n,
                              float *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = table[labels[v]];
}

void omreg_par_syn_positive_mask_f32(int nthreads, const float *x, size_t n, int *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = x[v] > 0;
}

void omreg_par_syn_multiply_i32(int nthreads, const int *a, const int *b, size_t n, int *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = a[v] * b[v];
}

void omreg_par_syn_divide_spacing_f32(int nthreads, float *f, size_t nvox, int dim,
                                      const double *spacing)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < nvox; ++v)
        for (int c = 0; c < dim; ++c)
            f[v * (size_t)dim + (size_t)c] =
                (float)((double)f[v * (size_t)dim + (size_t)c] / spacing[c]);
}

void omreg_par_syn_zero_boundary_f32(int nthreads, float *f, int dim, const size_t *shape)
{
    const size_t ns = dim == 3 ? shape[0] : 1, nr = shape[dim - 2], nc = shape[dim - 1];
    /* one task per (slice, row) */
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < ns * nr; ++row) {
        const size_t k = row / nr, i = row % nr;
        for (size_t j = 0; j < nc; ++j)
            if (syn_on_boundary(k, i, j, dim == 3 ? ns : 0, nr, nc)) {
                float *p = f + (row * nc + j) * (size_t)dim;
                for (int c = 0; c < dim; ++c)
                    p[c] = 0.0f;
            }
    }
}

void omreg_par_syn_max_norm_f32(int nthreads, const float *f, size_t nvox, int dim,
                                const double *spacing, double *scratch, double *out)
{
    const size_t nblocks = omreg_reduce_blocks(nvox);
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        double best = -INFINITY;
        int nan = 0;
        for (size_t v = b * OMREG_REDUCE_BLOCK; v < block_end(b, nvox); ++v) {
            double nrm = syn_scaled_norm(f + v * (size_t)dim, dim, spacing);
            if (isnan(nrm))
                nan = 1;
            else if (nrm > best)
                best = nrm;
        }
        scratch[b] = nan ? NAN : best;
    }
    double best = -INFINITY;
    int nan = 0;
    for (size_t b = 0; b < nblocks; ++b) {
        if (isnan(scratch[b]))
            nan = 1;
        else if (scratch[b] > best)
            best = scratch[b];
    }
    *out = nan ? NAN : best;
}

void omreg_par_syn_scale_f32(int nthreads, float *x, size_t n, float divisor)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        x[v] = x[v] / divisor;
}
