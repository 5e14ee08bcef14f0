/* Parallel per-voxel helpers (kernels_pointwise.h): independent voxels
 * split over threads; the range reduction keeps one {min, max} per fixed
 * block and combines them in block order (exact either way). */
#include <math.h>

#include "affine_apply.h"
#include "kernels.h"
#include "sample_point.h"

void omreg_par_masked_range_f64(int nthreads, const double *x, const int *mask, size_t n,
                                double *scratch, double out[2])
{
    const size_t nblocks = omreg_reduce_blocks(n);
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start = b * OMREG_REDUCE_BLOCK;
        size_t end = start + OMREG_REDUCE_BLOCK < n ? start + OMREG_REDUCE_BLOCK : n;
        double lo = INFINITY, hi = -INFINITY;
        for (size_t v = start; v < end; ++v) {
            if (mask && mask[v] == 0)
                continue;
            if (x[v] < lo)
                lo = x[v];
            if (x[v] > hi)
                hi = x[v];
        }
        scratch[2 * b] = lo;
        scratch[2 * b + 1] = hi;
    }
    double lo = INFINITY, hi = -INFINITY;
    for (size_t b = 0; b < nblocks; ++b) {
        if (scratch[2 * b] < lo)
            lo = scratch[2 * b];
        if (scratch[2 * b + 1] > hi)
            hi = scratch[2 * b + 1];
    }
    out[0] = lo;
    out[1] = hi;
}

void omreg_par_normalize_f64(int nthreads, const double *x, size_t n, double lo, double range,
                             double *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = (x[v] - lo) / range;
}

void omreg_par_normalize_f32(int nthreads, const float *x, size_t n, float lo, float range,
                             float *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v) {
        float d = x[v] - lo;
        out[v] = d / range;
    }
}

void omreg_par_normalize_f64_to_f32(int nthreads, const double *x, size_t n, double lo,
                                    double range, float *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = (float)((x[v] - lo) / range);
}

void omreg_par_convert_f32_to_f64(int nthreads, const float *x, size_t n, double *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = x[v];
}

void omreg_par_convert_f64_to_f32(int nthreads, const double *x, size_t n, float *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = (float)x[v];
}

/* acc += inc over fixed chunks of ADD_CHUNK values, on the team of
 * nthreads; below ADD_PARALLEL_MIN values the caller does it all with no
 * region (the SSD V-cycle's coarse levels: a parallel region would cost
 * more than the adds). Each value is one addition, so any split gives the
 * reference's bits. */
#define ADD_PARALLEL_MIN ((size_t)4096)
#define ADD_CHUNK ((size_t)4096)
#define DEFINE_ADD(T, SFX)                                                                         \
    void omreg_par_add##SFX(int nthreads, T *acc, const T *inc, size_t n)                          \
    {                                                                                              \
        if (n < ADD_PARALLEL_MIN) {                                                                \
            for (size_t v = 0; v < n; ++v)                                                         \
                acc[v] += inc[v];                                                                  \
            return;                                                                                \
        }                                                                                          \
        const size_t nchunks = (n + ADD_CHUNK - 1) / ADD_CHUNK;                                    \
        _Pragma("omp parallel for num_threads(nthreads) schedule(runtime)") for (size_t b = 0;     \
                                                                                 b < nchunks; ++b) \
        {                                                                                          \
            const size_t end = (b + 1) * ADD_CHUNK < n ? (b + 1) * ADD_CHUNK : n;                  \
            for (size_t v = b * ADD_CHUNK; v < end; ++v)                                           \
                acc[v] += inc[v];                                                                  \
        }                                                                                          \
    }
DEFINE_ADD(double, _f64)
DEFINE_ADD(float, _f32)

void omreg_par_mask_to_i32(int nthreads, const double *x, size_t n, int *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t v = 0; v < n; ++v)
        out[v] = (int)x[v];
}

void omreg_par_apply_affine_points(int nthreads, const double *A, int dim, const double *pts,
                                   size_t n, double *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p) {
        const double *x = pts + (size_t)dim * p;
        double *y = out + (size_t)dim * p, t[3];
        for (int r = 0; r < dim; ++r)
            t[r] = dim == 2 ? affine_apply_2d(A, r, x[0], x[1], 1)
                            : affine_apply_3d(A, r, x[0], x[1], x[2], 1);
        for (int r = 0; r < dim; ++r)
            y[r] = t[r];
    }
}

void omreg_par_sample_domain_regular(int nthreads, int dim, const size_t *shape, size_t k,
                                     const double *grid2world, uint64_t seed, double sigma,
                                     size_t m, double *out)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < m; ++i)
        sample_regular_point(dim, shape, k, grid2world, seed, sigma, i, out + (size_t)dim * i);
}
