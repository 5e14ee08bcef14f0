/* Parallel 2x down-sampling of images and displacement fields (DIPY
 * vector_fields.pyx downsample_{scalar,displacement}_field_{2,3}d).
 * Loop order differs from the reference: the reference (like DIPY) scatters
 * input voxels into a zeroed output in input raster order; here each output
 * cell gathers its own 1..2^d input cells. A cell's sum still starts at 0
 * and adds its inputs in input raster order (slice, then row, then column),
 * which is exactly the order in which the scatter reaches that cell, and the
 * division by the count is the same FLT operation, so the bits are equal.
 * Split by output row (2D) or (slice, row) pair (3D); cells never share
 * memory, so nothing depends on the thread count or schedule. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "kernels.h"

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
        const size_t nr = shape[0], nc = shape[1], nnr = (nr + 1) / 2, nnc = (nc + 1) / 2;         \
        _Pragma("omp parallel for num_threads(nthreads) schedule(runtime)") for (size_t ii = 0;    \
                                                                                 ii < nnr; ++ii)   \
        {                                                                                          \
            const size_t iend = 2 * ii + 2 < nr ? 2 * ii + 2 : nr;                                 \
            for (size_t jj = 0; jj < nnc; ++jj) {                                                  \
                const size_t jend = 2 * jj + 2 < nc ? 2 * jj + 2 : nc;                             \
                FLT cnt = (FLT)((iend - 2 * ii) * (jend - 2 * jj));                                \
                for (size_t c = 0; c < NCOMP; ++c) {                                               \
                    FLT s = 0;                                                                     \
                    for (size_t i = 2 * ii; i < iend; ++i)                                         \
                        for (size_t j = 2 * jj; j < jend; ++j)                                     \
                            s += in[(i * nc + j) * NCOMP + c];                                     \
                    out[(ii * nnc + jj) * NCOMP + c] = s / cnt;                                    \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    }

#define DEFINE_DOWNSAMPLE_3D(NAME, NCOMP)                                                          \
    void SFX(NAME)(int nthreads, const FLT *in, const size_t shape[3], FLT *out)                   \
    {                                                                                              \
        const size_t ns = shape[0], nr = shape[1], nc = shape[2];                                  \
        const size_t nnr = (nr + 1) / 2, nnc = (nc + 1) / 2;                                       \
        const size_t nlines = (ns + 1) / 2 * nnr;                                                  \
        _Pragma("omp parallel for num_threads(nthreads) schedule(runtime)") for (size_t line = 0;  \
                                                                                 line < nlines;    \
                                                                                 ++line)           \
        {                                                                                          \
            const size_t kk = line / nnr, ii = line % nnr;                                         \
            const size_t kend = 2 * kk + 2 < ns ? 2 * kk + 2 : ns;                                 \
            const size_t iend = 2 * ii + 2 < nr ? 2 * ii + 2 : nr;                                 \
            for (size_t jj = 0; jj < nnc; ++jj) {                                                  \
                const size_t jend = 2 * jj + 2 < nc ? 2 * jj + 2 : nc;                             \
                FLT cnt = (FLT)((kend - 2 * kk) * (iend - 2 * ii) * (jend - 2 * jj));              \
                for (size_t c = 0; c < NCOMP; ++c) {                                               \
                    FLT s = 0;                                                                     \
                    for (size_t k = 2 * kk; k < kend; ++k)                                         \
                        for (size_t i = 2 * ii; i < iend; ++i)                                     \
                            for (size_t j = 2 * jj; j < jend; ++j)                                 \
                                s += in[((k * nr + i) * nc + j) * NCOMP + c];                      \
                    out[(line * nnc + jj) * NCOMP + c] = s / cnt;                                  \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
    }

DEFINE_DOWNSAMPLE_2D(omreg_par_downsample_scalar_field_2d, 1)
DEFINE_DOWNSAMPLE_2D(omreg_par_downsample_displacement_field_2d, 2)
DEFINE_DOWNSAMPLE_3D(omreg_par_downsample_scalar_field_3d, 1)
DEFINE_DOWNSAMPLE_3D(omreg_par_downsample_displacement_field_3d, 3)

#undef DEFINE_DOWNSAMPLE_2D
#undef DEFINE_DOWNSAMPLE_3D

#endif /* FLT */
