/* Parallel point-list interpolation: points are independent, so any split
 * of the index range gives the reference bits
 * (DIPY dipy/core/interpolation.pyx interpolate_*); 3D scalar lookups
 * through interp_fast.h, which has the reference's bits. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "interp_fast.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "interpolate.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "interpolate.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_par_interpolate_scalar_2d)(int nthreads, const FLT *img, const size_t shape[2],
                                          const double *locs, size_t n, FLT *out, int *inside)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(interp_scalar_2d)(img, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1],
                                          locs[2 * p], locs[2 * p + 1], &out[p]);
}

void SFX(omreg_par_interpolate_scalar_3d)(int nthreads, const FLT *img, const size_t shape[3],
                                          const double *locs, size_t n, FLT *out, int *inside)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(fast_interp_scalar_3d)(img, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1],
                                          (ptrdiff_t)shape[2], locs[3 * p], locs[3 * p + 1],
                                          locs[3 * p + 2], &out[p]);
}

void SFX(omreg_par_interpolate_vector_2d)(int nthreads, const FLT *field, const size_t shape[2],
                                          const double *locs, size_t n, FLT *out, int *inside)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(interp_vector_2d)(field, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1],
                                          locs[2 * p], locs[2 * p + 1], &out[2 * p]);
}

void SFX(omreg_par_interpolate_vector_3d)(int nthreads, const FLT *field, const size_t shape[3],
                                          const double *locs, size_t n, FLT *out, int *inside)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(interp_vector_3d)(field, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1],
                                          (ptrdiff_t)shape[2], locs[3 * p], locs[3 * p + 1],
                                          locs[3 * p + 2], &out[3 * p]);
}

void SFX(omreg_par_interpolate_scalar_nn_2d)(int nthreads, const FLT *img, const size_t shape[2],
                                             const double *locs, size_t n, FLT *out, int *inside)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(interp_scalar_nn_2d)(img, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1],
                                             locs[2 * p], locs[2 * p + 1], &out[p]);
}

void SFX(omreg_par_interpolate_scalar_nn_3d)(int nthreads, const FLT *img, const size_t shape[3],
                                             const double *locs, size_t n, FLT *out, int *inside)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(interp_scalar_nn_3d)(img, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1],
                                             (ptrdiff_t)shape[2], locs[3 * p], locs[3 * p + 1],
                                             locs[3 * p + 2], &out[p]);
}

#endif /* FLT */
