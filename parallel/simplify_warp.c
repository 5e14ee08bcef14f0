/* Parallel simplification of a warp (DIPY vector_fields.pyx
 * simplify_warp_function_{2,3}d): out[x] = W d(U x) + V x - x. Pointwise:
 * threads take output rows ((k, i) pairs in 3D); each voxel is computed
 * exactly as in the reference, so the bits do not depend on the split. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "vector_fields_fp_guard.h" /* first: see there */
#include "kernels.h"
#include "vector_fields_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "simplify_warp.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "simplify_warp.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_par_simplify_warp_function_2d)(int nthreads, const FLT *d, const size_t d_shape[2],
                                              const double *affine_idx_in,
                                              const double *affine_idx_out,
                                              const double *affine_disp, const size_t out_shape[2],
                                              FLT *out)
{
    const size_t nrows = out_shape[0], ncols = out_shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < nrows; ++i)
        for (size_t j = 0; j < ncols; ++j) {
            size_t v = 2 * (i * ncols + j);
            SFX(simplify_point_2d)(d, (ptrdiff_t)d_shape[0], (ptrdiff_t)d_shape[1],
                                   affine_idx_in ? NULL : &d[v],
                                   affine_idx_in, affine_idx_out, affine_disp, (double)i,
                                   (double)j, &out[v]);
        }
}

void SFX(omreg_par_simplify_warp_function_3d)(int nthreads, const FLT *d, const size_t d_shape[3],
                                              const double *affine_idx_in,
                                              const double *affine_idx_out,
                                              const double *affine_disp, const size_t out_shape[3],
                                              FLT *out)
{
    const size_t nrows = out_shape[1], ncols = out_shape[2], ntasks = out_shape[0] * nrows;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < ntasks; ++row) {
        const size_t k = row / nrows, i = row % nrows;
        for (size_t j = 0; j < ncols; ++j) {
            size_t v = 3 * (row * ncols + j);
            SFX(simplify_point_3d)(d, (ptrdiff_t)d_shape[0], (ptrdiff_t)d_shape[1],
                                   (ptrdiff_t)d_shape[2], affine_idx_in ? NULL : &d[v],
                                   affine_idx_in, affine_idx_out, affine_disp, (double)k,
                                   (double)i, (double)j, &out[v]);
        }
    }
}

#endif /* FLT */
