/* Parallel image gradient in physical units (DIPY vector_fields.pyx
 * _gradient_{2,3}d, _sparse_gradient_{2,3}d): for each sample point x and
 * axis p, g_p = (I(x + h_p e_p) - I(x - h_p e_p)) / spacing_p with
 * h_p = spacing_p / 2, both lookups through img_world2grid. Dense grids are
 * split by (slice, row) pairs and point lists by index; every output voxel
 * is computed exactly as in the reference, so the bits are the same; the
 * 3D lookups take interp_fast.h's path for cells inside the grid. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "interp_fast.h"
#define GRADIENT_LOOKUP_3D SFX(fast_interp_scalar_3d)
#include "gradient_point.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "gradient.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "gradient.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_par_gradient_2d)(int nthreads, const FLT *img, const size_t img_shape[2],
                                const double *img_world2grid, const double img_spacing[2],
                                const size_t out_shape[2], const double *out_grid2world, FLT *out,
                                int *inside)
{
    const size_t nrows = out_shape[0], ncols = out_shape[1];
#ifdef OMREG_CANARY_REGION_AMBIENT_THREADS
    /* planted (ci/canaries.tsv): the run's count dropped, OpenMP's ambient one used */
    (void)nthreads;
#pragma omp parallel for schedule(runtime)
#else
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
#endif
    for (size_t i = 0; i < nrows; ++i)
        for (size_t j = 0; j < ncols; ++j) {
            size_t v = i * ncols + j;
            double x[2] = {affine_apply_2d(out_grid2world, 0, (double)i, (double)j, 1),
                           affine_apply_2d(out_grid2world, 1, (double)i, (double)j, 1)};
            inside[v] = SFX(gradient_point_2d)(img, (ptrdiff_t)img_shape[0],
                                               (ptrdiff_t)img_shape[1], img_world2grid,
                                               img_spacing, x, &out[2 * v]);
        }
}

void SFX(omreg_par_gradient_3d)(int nthreads, const FLT *img, const size_t img_shape[3],
                                const double *img_world2grid, const double img_spacing[3],
                                const size_t out_shape[3], const double *out_grid2world, FLT *out,
                                int *inside)
{
    const size_t nslices = out_shape[0], nrows = out_shape[1], ncols = out_shape[2];
    /* one task per (slice, row): enough parallelism for thin volumes */
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nslices * nrows; ++row) {
        size_t k = row / nrows, i = row % nrows;
        for (size_t j = 0; j < ncols; ++j) {
            size_t v = row * ncols + j;
            double x[3];
            for (int r = 0; r < 3; ++r)
                x[r] = affine_apply_3d(out_grid2world, r, (double)k, (double)i, (double)j, 1);
            inside[v] = SFX(gradient_point_3d)(img, (ptrdiff_t)img_shape[0],
                                               (ptrdiff_t)img_shape[1], (ptrdiff_t)img_shape[2],
                                               img_world2grid, img_spacing, x, &out[3 * v]);
        }
    }
}

void SFX(omreg_par_sparse_gradient_2d)(int nthreads, const FLT *img, const size_t img_shape[2],
                                       const double *img_world2grid, const double img_spacing[2],
                                       const double *points, size_t n, FLT *out, int *inside)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(gradient_point_2d)(img, (ptrdiff_t)img_shape[0],
                                           (ptrdiff_t)img_shape[1], img_world2grid, img_spacing,
                                           &points[2 * p], &out[2 * p]);
}

void SFX(omreg_par_sparse_gradient_3d)(int nthreads, const FLT *img, const size_t img_shape[3],
                                       const double *img_world2grid, const double img_spacing[3],
                                       const double *points, size_t n, FLT *out, int *inside)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(gradient_point_3d)(img, (ptrdiff_t)img_shape[0],
                                           (ptrdiff_t)img_shape[1], (ptrdiff_t)img_shape[2],
                                           img_world2grid, img_spacing, &points[3 * p],
                                           &out[3 * p]);
}

#endif /* FLT */
