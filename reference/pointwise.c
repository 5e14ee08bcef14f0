/* Reference per-voxel helpers (kernels_pointwise.h). */
#include <math.h>

#include "affine_apply.h"
#include "kernels.h"
#include "sample_point.h"

void omreg_ref_masked_range_f64(int nthreads, const double *x, const int *mask, size_t n,
                                double *scratch, double out[2])
{
    (void)nthreads;
    (void)scratch;
    double lo = INFINITY, hi = -INFINITY;
    for (size_t v = 0; v < n; ++v) {
        if (mask && mask[v] == 0)
            continue;
        if (x[v] < lo)
            lo = x[v];
        if (x[v] > hi)
            hi = x[v];
    }
    out[0] = lo;
    out[1] = hi;
}

void omreg_ref_normalize_f64(int nthreads, const double *x, size_t n, double lo, double range,
                             double *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = (x[v] - lo) / range;
}

void omreg_ref_normalize_f32(int nthreads, const float *x, size_t n, float lo, float range,
                             float *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v) {
        float d = x[v] - lo;
        out[v] = d / range;
    }
}

void omreg_ref_normalize_f64_to_f32(int nthreads, const double *x, size_t n, double lo,
                                    double range, float *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = (float)((x[v] - lo) / range);
}

void omreg_ref_convert_f32_to_f64(int nthreads, const float *x, size_t n, double *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = x[v];
}

void omreg_ref_convert_f64_to_f32(int nthreads, const double *x, size_t n, float *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = (float)x[v];
}

void omreg_ref_add_f64(int nthreads, double *acc, const double *inc, size_t n)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        acc[v] += inc[v];
}

void omreg_ref_add_f32(int nthreads, float *acc, const float *inc, size_t n)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        acc[v] += inc[v];
}

void omreg_ref_mask_to_i32(int nthreads, const double *x, size_t n, int *out)
{
    (void)nthreads;
    for (size_t v = 0; v < n; ++v)
        out[v] = (int)x[v];
}

void omreg_ref_apply_affine_points(int nthreads, const double *A, int dim, const double *pts,
                                   size_t n, double *out)
{
    (void)nthreads;
    for (size_t p = 0; p < n; ++p) {
        const double *x = pts + (size_t)dim * p;
        double *y = out + (size_t)dim * p, t[3];
        for (int r = 0; r < dim; ++r)
            t[r] = dim == 2 ? affine_apply_2d(A, r, x[0], x[1], 1)
                            : affine_apply_3d(A, r, x[0], x[1], x[2], 1);
        for (int r = 0; r < dim; ++r) /* out may alias pts */
            y[r] = t[r];
    }
}

void omreg_ref_sample_domain_regular(int nthreads, int dim, const size_t *shape, size_t k,
                                     const double *grid2world, uint64_t seed, double sigma,
                                     size_t m, double *out)
{
    (void)nthreads;
    for (size_t i = 0; i < m; ++i)
        sample_regular_point(dim, shape, k, grid2world, seed, sigma, i, out + (size_t)dim * i);
}
