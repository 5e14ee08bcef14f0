/* Reference affine resampling in grid coordinates (DIPY vector_fields.pyx
 * transform_{2,3}d_affine[_nn]): out[x] = img(A x), linear or nearest,
 * 0 outside; A NULL is the identity. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "affine_apply.h"
#include "interp_point.h"
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
        (void)nthreads;                                                                            \
        for (size_t i = 0; i < out_shape[0]; ++i)                                                  \
            for (size_t j = 0; j < out_shape[1]; ++j) {                                            \
                double dii = (double)i, djj = (double)j;                                           \
                if (affine) {                                                                      \
                    dii = affine_apply_2d(affine, 0, (double)i, (double)j, 1);                     \
                    djj = affine_apply_2d(affine, 1, (double)i, (double)j, 1);                     \
                }                                                                                  \
                LOOKUP2(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1], dii, djj,           \
                        &out[i * out_shape[1] + j]);                                               \
            }                                                                                      \
    }

#define DEFINE_TRANSFORM_3D(NAME, LOOKUP3)                                                         \
    void SFX(NAME)(int nthreads, const FLT *img, const size_t img_shape[3],                        \
                   const size_t out_shape[3], const double *affine, FLT *out)                      \
    {                                                                                              \
        (void)nthreads;                                                                            \
        for (size_t k = 0; k < out_shape[0]; ++k)                                                  \
            for (size_t i = 0; i < out_shape[1]; ++i)                                              \
                for (size_t j = 0; j < out_shape[2]; ++j) {                                        \
                    double dkk = (double)k, dii = (double)i, djj = (double)j;                      \
                    if (affine) {                                                                  \
                        dkk = affine_apply_3d(affine, 0, (double)k, (double)i, (double)j, 1);      \
                        dii = affine_apply_3d(affine, 1, (double)k, (double)i, (double)j, 1);      \
                        djj = affine_apply_3d(affine, 2, (double)k, (double)i, (double)j, 1);      \
                    }                                                                              \
                    LOOKUP3(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1],                 \
                            (ptrdiff_t)img_shape[2], dkk, dii, djj,                                \
                            &out[(k * out_shape[1] + i) * out_shape[2] + j]);                      \
                }                                                                                  \
    }

DEFINE_TRANSFORM_2D(omreg_ref_transform_affine_2d, SFX(interp_scalar_2d))
DEFINE_TRANSFORM_2D(omreg_ref_transform_affine_nn_2d, SFX(interp_scalar_nn_2d))
DEFINE_TRANSFORM_3D(omreg_ref_transform_affine_3d, SFX(interp_scalar_3d))
DEFINE_TRANSFORM_3D(omreg_ref_transform_affine_nn_3d, SFX(interp_scalar_nn_3d))

#undef DEFINE_TRANSFORM_2D
#undef DEFINE_TRANSFORM_3D

#endif /* FLT */
