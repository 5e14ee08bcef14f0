/* Type-generic body of transform_affine.c (FLT, SFX defined by the includer).
 * LOOKUP2/LOOKUP3 select the linear or nearest point lookup. */

#define DEFINE_TRANSFORM_2D(NAME, LOOKUP2)                                                     \
    void SFX(NAME)(const FLT *img, const size_t img_shape[2], const size_t out_shape[2],     \
                   const double *affine, FLT *out)                                           \
    {                                                                                          \
        const size_t nrows = out_shape[0], ncols = out_shape[1];                               \
        _Pragma("omp parallel for schedule(runtime)")                                         \
        for (size_t i = 0; i < nrows; ++i)                                                     \
            for (size_t j = 0; j < ncols; ++j) {                                               \
                double dii = (double)i, djj = (double)j;                                       \
                if (affine) {                                                                  \
                    dii = affine_apply_2d(affine, 0, (double)i, (double)j, 1);                 \
                    djj = affine_apply_2d(affine, 1, (double)i, (double)j, 1);                 \
                }                                                                              \
                LOOKUP2(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1], dii, djj,       \
                        &out[i * ncols + j]);                                                  \
            }                                                                                  \
    }

#define DEFINE_TRANSFORM_3D(NAME, LOOKUP3)                                                     \
    void SFX(NAME)(const FLT *img, const size_t img_shape[3], const size_t out_shape[3],     \
                   const double *affine, FLT *out)                                           \
    {                                                                                          \
        const size_t nrows = out_shape[1], ncols = out_shape[2];                               \
        const size_t nlines = out_shape[0] * nrows;                                            \
        _Pragma("omp parallel for schedule(runtime)")                                         \
        for (size_t line = 0; line < nlines; ++line) {                                         \
            size_t k = line / nrows, i = line % nrows;                                         \
            for (size_t j = 0; j < ncols; ++j) {                                               \
                double dkk = (double)k, dii = (double)i, djj = (double)j;                      \
                if (affine) {                                                                  \
                    dkk = affine_apply_3d(affine, 0, (double)k, (double)i, (double)j, 1);      \
                    dii = affine_apply_3d(affine, 1, (double)k, (double)i, (double)j, 1);      \
                    djj = affine_apply_3d(affine, 2, (double)k, (double)i, (double)j, 1);      \
                }                                                                              \
                LOOKUP3(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1],                 \
                        (ptrdiff_t)img_shape[2], dkk, dii, djj, &out[line * ncols + j]);       \
            }                                                                                  \
        }                                                                                      \
    }

DEFINE_TRANSFORM_2D(omreg_par_transform_affine_2d, SFX(interp_scalar_2d))
DEFINE_TRANSFORM_2D(omreg_par_transform_affine_nn_2d, SFX(interp_scalar_nn_2d))
DEFINE_TRANSFORM_3D(omreg_par_transform_affine_3d, SFX(fast_interp_scalar_3d))
DEFINE_TRANSFORM_3D(omreg_par_transform_affine_nn_3d, SFX(interp_scalar_nn_3d))

#undef DEFINE_TRANSFORM_2D
#undef DEFINE_TRANSFORM_3D
