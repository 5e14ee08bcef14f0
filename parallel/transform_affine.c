/* Parallel affine resampling in grid coordinates (DIPY vector_fields.pyx
 * transform_{2,3}d_affine[_nn]): out[x] = img(A x), linear or nearest,
 * 0 outside; A NULL is the identity. Split by output row (2D) or by
 * (slice, row) (3D); every voxel is computed as in the reference (3D
 * linear lookups through interp_fast.h, which has the reference's bits). */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "affine_apply.h"
#include "interp_fast.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "transform_affine.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "transform_affine.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

/* LOOKUP2/LOOKUP3 select the linear or nearest point lookup. */

#define DEFINE_TRANSFORM_2D(NAME, LOOKUP2)                                                         \
    void SFX(NAME)(int nthreads, const FLT *img, const size_t img_shape[2],                        \
                   const size_t out_shape[2], const double *affine, FLT *out)                      \
    {                                                                                              \
        const size_t nrows = out_shape[0], ncols = out_shape[1];                                   \
        _Pragma(                                                                                   \
            "omp parallel for num_threads(nthreads) schedule(runtime)") for (size_t i = 0;         \
                                                                             i < nrows;            \
                                                                             ++i) for (size_t j =  \
                                                                                           0;      \
                                                                                       j < ncols;  \
                                                                                       ++j)        \
        {                                                                                          \
            double dii = (double)i, djj = (double)j;                                               \
            if (affine) {                                                                          \
                dii = affine_apply_2d(affine, 0, (double)i, (double)j, 1);                         \
                djj = affine_apply_2d(affine, 1, (double)i, (double)j, 1);                         \
            }                                                                                      \
            LOOKUP2(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1], dii, djj,               \
                    &out[i * ncols + j]);                                                          \
        }                                                                                          \
    }

#define DEFINE_TRANSFORM_3D(NAME, LOOKUP3)                                                         \
    void SFX(NAME)(int nthreads, const FLT *img, const size_t img_shape[3],                        \
                   const size_t out_shape[3], const double *affine, FLT *out)                      \
    {                                                                                              \
        const size_t nrows = out_shape[1], ncols = out_shape[2];                                   \
        const size_t nlines = out_shape[0] * nrows;                                                \
        _Pragma("omp parallel for num_threads(nthreads) schedule(runtime)") for (size_t line = 0;  \
                                                                                 line < nlines;    \
                                                                                 ++line)           \
        {                                                                                          \
            size_t k = line / nrows, i = line % nrows;                                             \
            for (size_t j = 0; j < ncols; ++j) {                                                   \
                double dkk = (double)k, dii = (double)i, djj = (double)j;                          \
                if (affine) {                                                                      \
                    dkk = affine_apply_3d(affine, 0, (double)k, (double)i, (double)j, 1);          \
                    dii = affine_apply_3d(affine, 1, (double)k, (double)i, (double)j, 1);          \
                    djj = affine_apply_3d(affine, 2, (double)k, (double)i, (double)j, 1);          \
                }                                                                                  \
                LOOKUP3(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1],                     \
                        (ptrdiff_t)img_shape[2], dkk, dii, djj, &out[line * ncols + j]);           \
            }                                                                                      \
        }                                                                                          \
    }

DEFINE_TRANSFORM_2D(omreg_par_transform_affine_2d, SFX(interp_scalar_2d))
DEFINE_TRANSFORM_2D(omreg_par_transform_affine_nn_2d, SFX(interp_scalar_nn_2d))
DEFINE_TRANSFORM_3D(omreg_par_transform_affine_3d, SFX(fast_interp_scalar_3d))
DEFINE_TRANSFORM_3D(omreg_par_transform_affine_nn_3d, SFX(interp_scalar_nn_3d))

#undef DEFINE_TRANSFORM_2D
#undef DEFINE_TRANSFORM_3D

#endif /* FLT */
