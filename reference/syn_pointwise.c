/* Reference per-voxel helpers of the SyN driver (kernels_syn_pointwise.h):
 * plain loops in C order; the two exact reductions keep DIPY's meaning
 * (numpy min/max) and the canonical block layout of their scratch. */
#include <math.h>

#include "kernels.h"
#include "syn_pointwise_point.h"

void omreg_ref_syn_range_f32(int nthreads, const float *x, size_t n, double *scratch, double out[3])
{
    (void)nthreads;
    (void)scratch; /* min, max and a count are exact: one pass in order */
    double lo = INFINITY, hi = -INFINITY, nan = 0;
    for (size_t v = 0; v < n; ++v) {
        if (isnan(x[v])) {
            nan += 1;
            continue;
        }
        if (x[v] < lo)
            lo = x[v];
        if (x[v] > hi)
            hi = x[v];
    }
    out[0] = lo;
    out[1] = hi;
    out[2] = nan;
}

void omreg_ref_syn_subtract_f32(int nthreads, const float *a, const float *b, size_t n, float *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = a[v] - b[v];
}

void omreg_ref_syn_gather_f32(int nthreads, const float *table, const int *labels, size_t n,
                              float *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = table[labels[v]];
}

void omreg_ref_syn_positive_mask_f32(int nthreads, const float *x, size_t n, int *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = x[v] > 0;
}

void omreg_ref_syn_multiply_i32(int nthreads, const int *a, const int *b, size_t n, int *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = a[v] * b[v];
}

void omreg_ref_syn_divide_spacing_f32(int nthreads, float *f, size_t nvox, int dim,
                                      const double *spacing)
{
    (void)nthreads;
    for (size_t v = 0; v < nvox; ++v)
        for (int c = 0; c < dim; ++c)
            f[v * (size_t)dim + (size_t)c] =
                (float)((double)f[v * (size_t)dim + (size_t)c] / spacing[c]);
}

void omreg_ref_syn_zero_boundary_f32(int nthreads, float *f, int dim, const size_t *shape)
{
    (void)nthreads;
    const size_t ns = dim == 3 ? shape[0] : 1, nr = shape[dim - 2], nc = shape[dim - 1];
    for (size_t k = 0; k < ns; ++k)
        for (size_t i = 0; i < nr; ++i)
            for (size_t j = 0; j < nc; ++j)
                if (syn_on_boundary(k, i, j, dim == 3 ? ns : 0, nr, nc)) {
                    float *p = f + ((k * nr + i) * nc + j) * (size_t)dim;
                    for (int c = 0; c < dim; ++c)
                        p[c] = 0.0f;
                }
}

void omreg_ref_syn_max_norm_f32(int nthreads, const float *f, size_t nvox, int dim,
                                const double *spacing, double *scratch, double *out)
{
    (void)nthreads;
    (void)scratch; /* a maximum is exact: one pass in order */
    double best = -INFINITY;
    int nan = 0;
    for (size_t v = 0; v < nvox; ++v) {
        double nrm = syn_scaled_norm(f + v * (size_t)dim, dim, spacing);
        if (isnan(nrm))
            nan = 1;
        else if (nrm > best)
            best = nrm;
    }
    *out = nan ? NAN : best;
}

void omreg_ref_syn_scale_f32(int nthreads, float *x, size_t n, float divisor)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        x[v] = x[v] / divisor;
}
