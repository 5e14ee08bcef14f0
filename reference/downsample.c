/* Reference 2x down-sampling of images and displacement fields (DIPY
 * vector_fields.pyx downsample_{scalar,displacement}_field_{2,3}d): output
 * cell c = x / 2 (integer division per axis, so shape (n + 1) / 2) holds the
 * mean of the input cells that fall in it. As in DIPY, the output starts at
 * 0, input voxels are scattered into it in raster order (FLT additions),
 * then each cell is divided by its count (in FLT). The counts are computed
 * from the shape instead of DIPY's count array: 2 per axis, 1 on the last
 * cell of an odd axis. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "kernels.h"

/* number of input cells along an axis of n that fall in output cell c */
static inline size_t half_count(size_t n, size_t c) { return 2 * c + 1 < n ? 2 : 1; }

#define FLT double
#define SFX(name) name##_f64
#include "downsample.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "downsample.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

/* NCOMP is the number of components per voxel (1: scalar, dim: field). */

#define DEFINE_DOWNSAMPLE_2D(NAME, NCOMP)                                                          \
    void SFX(NAME)(int nthreads, const FLT *in, const size_t shape[2], FLT *out)                   \
    {                                                                                              \
        (void)nthreads;                                                                            \
        const size_t nr = shape[0], nc = shape[1], nnr = (nr + 1) / 2, nnc = (nc + 1) / 2;         \
        for (size_t v = 0; v < nnr * nnc * NCOMP; ++v)                                             \
            out[v] = 0;                                                                            \
        for (size_t i = 0; i < nr; ++i)                                                            \
            for (size_t j = 0; j < nc; ++j) {                                                      \
                FLT *o = &out[((i / 2) * nnc + j / 2) * NCOMP];                                    \
                const FLT *x = &in[(i * nc + j) * NCOMP];                                          \
                for (size_t c = 0; c < NCOMP; ++c)                                                 \
                    o[c] += x[c];                                                                  \
            }                                                                                      \
        for (size_t ii = 0; ii < nnr; ++ii)                                                        \
            for (size_t jj = 0; jj < nnc; ++jj) {                                                  \
                FLT cnt = (FLT)(half_count(nr, ii) * half_count(nc, jj));                          \
                for (size_t c = 0; c < NCOMP; ++c)                                                 \
                    out[(ii * nnc + jj) * NCOMP + c] /= cnt;                                       \
            }                                                                                      \
    }

#define DEFINE_DOWNSAMPLE_3D(NAME, NCOMP)                                                          \
    void SFX(NAME)(int nthreads, const FLT *in, const size_t shape[3], FLT *out)                   \
    {                                                                                              \
        (void)nthreads;                                                                            \
        const size_t ns = shape[0], nr = shape[1], nc = shape[2];                                  \
        const size_t nns = (ns + 1) / 2, nnr = (nr + 1) / 2, nnc = (nc + 1) / 2;                   \
        for (size_t v = 0; v < nns * nnr * nnc * NCOMP; ++v)                                       \
            out[v] = 0;                                                                            \
        for (size_t k = 0; k < ns; ++k)                                                            \
            for (size_t i = 0; i < nr; ++i)                                                        \
                for (size_t j = 0; j < nc; ++j) {                                                  \
                    FLT *o = &out[(((k / 2) * nnr + i / 2) * nnc + j / 2) * NCOMP];                \
                    const FLT *x = &in[((k * nr + i) * nc + j) * NCOMP];                           \
                    for (size_t c = 0; c < NCOMP; ++c)                                             \
                        o[c] += x[c];                                                              \
                }                                                                                  \
        for (size_t kk = 0; kk < nns; ++kk)                                                        \
            for (size_t ii = 0; ii < nnr; ++ii)                                                    \
                for (size_t jj = 0; jj < nnc; ++jj) {                                              \
                    FLT cnt = (FLT)(half_count(ns, kk) * half_count(nr, ii) * half_count(nc, jj)); \
                    for (size_t c = 0; c < NCOMP; ++c)                                             \
                        out[((kk * nnr + ii) * nnc + jj) * NCOMP + c] /= cnt;                      \
                }                                                                                  \
    }

DEFINE_DOWNSAMPLE_2D(omreg_ref_downsample_scalar_field_2d, 1)
DEFINE_DOWNSAMPLE_2D(omreg_ref_downsample_displacement_field_2d, 2)
DEFINE_DOWNSAMPLE_3D(omreg_ref_downsample_scalar_field_3d, 1)
DEFINE_DOWNSAMPLE_3D(omreg_ref_downsample_displacement_field_3d, 3)

#undef DEFINE_DOWNSAMPLE_2D
#undef DEFINE_DOWNSAMPLE_3D

#endif /* FLT */
