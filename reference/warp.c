/* Reference warping of images through a displacement field (DIPY
 * vector_fields.pyx warp_{2,3}d and warp_{2,3}d_nn): for every voxel x of
 * the sampling grid, out[x] = img(C * field(A x) + B x), bi/trilinear or
 * nearest, 0 outside the image (warp_point.h has the formula). Plain
 * raster-order loops, one independent voxel at a time. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "interp_point.h"
#include "kernels.h"
#include "warp_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "warp.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "warp.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

/* LOOKUP2/LOOKUP3 select the linear or nearest image lookup. */

#define DEFINE_WARP_2D(NAME, LOOKUP2)                                                              \
    void SFX(NAME)(int nthreads, const FLT *img, const size_t img_shape[2], const FLT *field,      \
                   const size_t field_shape[2], const double *affine_idx_in,                       \
                   const double *affine_idx_out, const double *affine_disp,                        \
                   const size_t out_shape[2], FLT *out)                                            \
    {                                                                                              \
        (void)nthreads;                                                                            \
        for (size_t i = 0; i < out_shape[0]; ++i)                                                  \
            for (size_t j = 0; j < out_shape[1]; ++j) {                                            \
                double pos[2];                                                                     \
                SFX(warp_position_2d)                                                              \
                (field, (ptrdiff_t)field_shape[0], (ptrdiff_t)field_shape[1], affine_idx_in,       \
                 affine_idx_out, affine_disp, i, j, pos);                                          \
                (void)LOOKUP2(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1], pos[0],       \
                              pos[1], &out[i * out_shape[1] + j]);                                 \
            }                                                                                      \
    }

#define DEFINE_WARP_3D(NAME, LOOKUP3)                                                              \
    void SFX(NAME)(int nthreads, const FLT *img, const size_t img_shape[3], const FLT *field,      \
                   const size_t field_shape[3], const double *affine_idx_in,                       \
                   const double *affine_idx_out, const double *affine_disp,                        \
                   const size_t out_shape[3], FLT *out)                                            \
    {                                                                                              \
        (void)nthreads;                                                                            \
        for (size_t k = 0; k < out_shape[0]; ++k)                                                  \
            for (size_t i = 0; i < out_shape[1]; ++i)                                              \
                for (size_t j = 0; j < out_shape[2]; ++j) {                                        \
                    double pos[3];                                                                 \
                    SFX(warp_position_3d)                                                          \
                    (field, (ptrdiff_t)field_shape[0], (ptrdiff_t)field_shape[1],                  \
                     (ptrdiff_t)field_shape[2], affine_idx_in, affine_idx_out, affine_disp, k, i,  \
                     j, pos);                                                                      \
                    (void)LOOKUP3(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1],           \
                                  (ptrdiff_t)img_shape[2], pos[0], pos[1], pos[2],                 \
                                  &out[(k * out_shape[1] + i) * out_shape[2] + j]);                \
                }                                                                                  \
    }

DEFINE_WARP_2D(omreg_ref_warp_linear_2d, SFX(interp_scalar_2d))
DEFINE_WARP_2D(omreg_ref_warp_nn_2d, SFX(interp_scalar_nn_2d))
DEFINE_WARP_3D(omreg_ref_warp_linear_3d, SFX(interp_scalar_3d))
DEFINE_WARP_3D(omreg_ref_warp_nn_3d, SFX(interp_scalar_nn_3d))

#undef DEFINE_WARP_2D
#undef DEFINE_WARP_3D

#endif /* FLT */
