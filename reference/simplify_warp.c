/* Reference simplification of a warp (DIPY vector_fields.pyx
 * simplify_warp_function_{2,3}d): out[x] = W d(U x) + V x - x over the
 * output grid, folding the affines of a diffeomorphic map into one field. */
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

void SFX(omreg_ref_simplify_warp_function_2d)(int nthreads, const FLT *d, const size_t d_shape[2],
                                              const double *affine_idx_in,
                                              const double *affine_idx_out,
                                              const double *affine_disp, const size_t out_shape[2],
                                              FLT *out)
{
    (void)nthreads;
    const size_t nrows = out_shape[0], ncols = out_shape[1];
    for (size_t i = 0; i < nrows; ++i)
        for (size_t j = 0; j < ncols; ++j) {
            size_t v = 2 * (i * ncols + j);
            SFX(simplify_point_2d)(d, (ptrdiff_t)d_shape[0], (ptrdiff_t)d_shape[1],
                                   affine_idx_in ? NULL : &d[v],
                                   affine_idx_in, affine_idx_out, affine_disp, (double)i,
                                   (double)j, &out[v]);
        }
}

void SFX(omreg_ref_simplify_warp_function_3d)(int nthreads, const FLT *d, const size_t d_shape[3],
                                              const double *affine_idx_in,
                                              const double *affine_idx_out,
                                              const double *affine_disp, const size_t out_shape[3],
                                              FLT *out)
{
    (void)nthreads;
    const size_t nslices = out_shape[0], nrows = out_shape[1], ncols = out_shape[2];
    for (size_t k = 0; k < nslices; ++k)
        for (size_t i = 0; i < nrows; ++i)
            for (size_t j = 0; j < ncols; ++j) {
                size_t v = 3 * ((k * nrows + i) * ncols + j);
                SFX(simplify_point_3d)(d, (ptrdiff_t)d_shape[0], (ptrdiff_t)d_shape[1],
                                       (ptrdiff_t)d_shape[2], affine_idx_in ? NULL : &d[v],
                                       affine_idx_in, affine_idx_out, affine_disp, (double)k,
                                       (double)i, (double)j, &out[v]);
            }
}

#endif /* FLT */
