/* Type-generic body of transform_affine.c (FLT, SFX defined by the includer).
 * LOOKUP2/LOOKUP3 select the linear or nearest point lookup. */

#define DEFINE_TRANSFORM_2D(NAME, LOOKUP2)                                                     \
    void SFX(NAME)(const FLT *img, const size_t img_shape[2], const size_t out_shape[2],     \
                   const double *affine, FLT *out)                                           \
    {                                                                                          \
        for (size_t i = 0; i < out_shape[0]; ++i)                                              \
            for (size_t j = 0; j < out_shape[1]; ++j) {                                        \
                double dii = (double)i, djj = (double)j;                                       \
                if (affine) {                                                                  \
                    dii = affine_apply_2d(affine, 0, (double)i, (double)j, 1);                 \
                    djj = affine_apply_2d(affine, 1, (double)i, (double)j, 1);                 \
                }                                                                              \
                LOOKUP2(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1], dii, djj,       \
                        &out[i * out_shape[1] + j]);                                           \
            }                                                                                  \
    }

#define DEFINE_TRANSFORM_3D(NAME, LOOKUP3)                                                     \
    void SFX(NAME)(const FLT *img, const size_t img_shape[3], const size_t out_shape[3],     \
                   const double *affine, FLT *out)                                           \
    {                                                                                          \
        for (size_t k = 0; k < out_shape[0]; ++k)                                              \
            for (size_t i = 0; i < out_shape[1]; ++i)                                          \
                for (size_t j = 0; j < out_shape[2]; ++j) {                                    \
                    double dkk = (double)k, dii = (double)i, djj = (double)j;                  \
                    if (affine) {                                                              \
                        dkk = affine_apply_3d(affine, 0, (double)k, (double)i, (double)j, 1);  \
                        dii = affine_apply_3d(affine, 1, (double)k, (double)i, (double)j, 1);  \
                        djj = affine_apply_3d(affine, 2, (double)k, (double)i, (double)j, 1);  \
                    }                                                                          \
                    LOOKUP3(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1],             \
                            (ptrdiff_t)img_shape[2], dkk, dii, djj,                            \
                            &out[(k * out_shape[1] + i) * out_shape[2] + j]);                  \
                }                                                                              \
    }

DEFINE_TRANSFORM_2D(omreg_ref_transform_affine_2d, SFX(interp_scalar_2d))
DEFINE_TRANSFORM_2D(omreg_ref_transform_affine_nn_2d, SFX(interp_scalar_nn_2d))
DEFINE_TRANSFORM_3D(omreg_ref_transform_affine_3d, SFX(interp_scalar_3d))
DEFINE_TRANSFORM_3D(omreg_ref_transform_affine_nn_3d, SFX(interp_scalar_nn_3d))

#undef DEFINE_TRANSFORM_2D
#undef DEFINE_TRANSFORM_3D
