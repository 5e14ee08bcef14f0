/* Parallel warping of images through a displacement field (DIPY
 * vector_fields.pyx warp_{2,3}d and warp_{2,3}d_nn): out[x] =
 * img(C * field(A x) + B x), bi/trilinear or nearest, 0 outside. Split by
 * output row (2D) or (slice, row) pair (3D); every voxel is independent and
 * computed by the same warp_point.h code as the reference, so the bits are
 * the same for any thread count and schedule (3D linear image lookups
 * through interp_fast.h, which has the reference's bits). */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "interp_fast.h"
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

#ifdef OMREG_CANARY_WARP_DROP_LAST_ROW
#define WARP_CANARY_ROWS_DROPPED 1 /* planted (ci/canaries.tsv): last row never written */
#else
#define WARP_CANARY_ROWS_DROPPED 0
#endif

#define DEFINE_WARP_2D(NAME, LOOKUP2)                                                              \
    void SFX(NAME)(int nthreads, const FLT *img, const size_t img_shape[2], const FLT *field,      \
                   const size_t field_shape[2], const double *affine_idx_in,                       \
                   const double *affine_idx_out, const double *affine_disp,                        \
                   const size_t out_shape[2], FLT *out)                                            \
    {                                                                                              \
        const size_t nrows = out_shape[0] - WARP_CANARY_ROWS_DROPPED, ncols = out_shape[1];        \
        _Pragma(                                                                                   \
            "omp parallel for num_threads(nthreads) schedule(runtime)") for (size_t i = 0;         \
                                                                             i < nrows;            \
                                                                             ++i) for (size_t j =  \
                                                                                           0;      \
                                                                                       j < ncols;  \
                                                                                       ++j)        \
        {                                                                                          \
            double pos[2];                                                                         \
            SFX(warp_position_2d)                                                                  \
            (field, (ptrdiff_t)field_shape[0], (ptrdiff_t)field_shape[1], affine_idx_in,           \
             affine_idx_out, affine_disp, i, j, pos);                                              \
            (void)LOOKUP2(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1], pos[0], pos[1],   \
                          &out[i * ncols + j]);                                                    \
        }                                                                                          \
    }

/* one task per (slice, row): enough parallelism for thin volumes */
#define DEFINE_WARP_3D(NAME, LOOKUP3)                                                              \
    void SFX(NAME)(int nthreads, const FLT *img, const size_t img_shape[3], const FLT *field,      \
                   const size_t field_shape[3], const double *affine_idx_in,                       \
                   const double *affine_idx_out, const double *affine_disp,                        \
                   const size_t out_shape[3], FLT *out)                                            \
    {                                                                                              \
        const size_t nrows = out_shape[1], ncols = out_shape[2];                                   \
        const size_t nlines = out_shape[0] * nrows;                                                \
        _Pragma("omp parallel for num_threads(nthreads) schedule(runtime)") for (size_t line = 0;  \
                                                                                 line < nlines;    \
                                                                                 ++line)           \
        {                                                                                          \
            size_t k = line / nrows, i = line % nrows;                                             \
            for (size_t j = 0; j < ncols; ++j) {                                                   \
                double pos[3];                                                                     \
                SFX(warp_position_3d)                                                              \
                (field, (ptrdiff_t)field_shape[0], (ptrdiff_t)field_shape[1],                      \
                 (ptrdiff_t)field_shape[2], affine_idx_in, affine_idx_out, affine_disp, k, i, j,   \
                 pos);                                                                             \
                (void)LOOKUP3(img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1],               \
                              (ptrdiff_t)img_shape[2], pos[0], pos[1], pos[2],                     \
                              &out[line * ncols + j]);                                             \
            }                                                                                      \
        }                                                                                          \
    }

DEFINE_WARP_2D(omreg_par_warp_linear_2d, SFX(interp_scalar_2d))
DEFINE_WARP_2D(omreg_par_warp_nn_2d, SFX(interp_scalar_nn_2d))
DEFINE_WARP_3D(omreg_par_warp_linear_3d, SFX(fast_interp_scalar_3d))
DEFINE_WARP_3D(omreg_par_warp_nn_3d, SFX(interp_scalar_nn_3d))

#undef DEFINE_WARP_2D
#undef DEFINE_WARP_3D
#undef WARP_CANARY_ROWS_DROPPED

#endif /* FLT */
