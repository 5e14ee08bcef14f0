/* Type-generic body of downsample.c (FLT, SFX defined by the includer).
 * NCOMP is the number of components per voxel (1: scalar, dim: field). */

#define DEFINE_DOWNSAMPLE_2D(NAME, NCOMP)                                                      \
    void SFX(NAME)(const FLT *in, const size_t shape[2], FLT *out)                            \
    {                                                                                          \
        const size_t nr = shape[0], nc = shape[1], nnr = (nr + 1) / 2, nnc = (nc + 1) / 2;     \
        _Pragma("omp parallel for schedule(runtime)")                                         \
        for (size_t ii = 0; ii < nnr; ++ii) {                                                  \
            const size_t iend = 2 * ii + 2 < nr ? 2 * ii + 2 : nr;                             \
            for (size_t jj = 0; jj < nnc; ++jj) {                                              \
                const size_t jend = 2 * jj + 2 < nc ? 2 * jj + 2 : nc;                         \
                FLT cnt = (FLT)((iend - 2 * ii) * (jend - 2 * jj));                            \
                for (size_t c = 0; c < NCOMP; ++c) {                                           \
                    FLT s = 0;                                                                 \
                    for (size_t i = 2 * ii; i < iend; ++i)                                     \
                        for (size_t j = 2 * jj; j < jend; ++j)                                 \
                            s += in[(i * nc + j) * NCOMP + c];                                 \
                    out[(ii * nnc + jj) * NCOMP + c] = s / cnt;                                \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    }

#define DEFINE_DOWNSAMPLE_3D(NAME, NCOMP)                                                      \
    void SFX(NAME)(const FLT *in, const size_t shape[3], FLT *out)                            \
    {                                                                                          \
        const size_t ns = shape[0], nr = shape[1], nc = shape[2];                              \
        const size_t nnr = (nr + 1) / 2, nnc = (nc + 1) / 2;                                   \
        const size_t nlines = (ns + 1) / 2 * nnr;                                              \
        _Pragma("omp parallel for schedule(runtime)")                                         \
        for (size_t line = 0; line < nlines; ++line) {                                         \
            const size_t kk = line / nnr, ii = line % nnr;                                     \
            const size_t kend = 2 * kk + 2 < ns ? 2 * kk + 2 : ns;                             \
            const size_t iend = 2 * ii + 2 < nr ? 2 * ii + 2 : nr;                             \
            for (size_t jj = 0; jj < nnc; ++jj) {                                              \
                const size_t jend = 2 * jj + 2 < nc ? 2 * jj + 2 : nc;                         \
                FLT cnt = (FLT)((kend - 2 * kk) * (iend - 2 * ii) * (jend - 2 * jj));          \
                for (size_t c = 0; c < NCOMP; ++c) {                                           \
                    FLT s = 0;                                                                 \
                    for (size_t k = 2 * kk; k < kend; ++k)                                     \
                        for (size_t i = 2 * ii; i < iend; ++i)                                 \
                            for (size_t j = 2 * jj; j < jend; ++j)                             \
                                s += in[((k * nr + i) * nc + j) * NCOMP + c];                  \
                    out[(line * nnc + jj) * NCOMP + c] = s / cnt;                              \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
    }

DEFINE_DOWNSAMPLE_2D(omreg_par_downsample_scalar_field_2d, 1)
DEFINE_DOWNSAMPLE_2D(omreg_par_downsample_displacement_field_2d, 2)
DEFINE_DOWNSAMPLE_3D(omreg_par_downsample_scalar_field_3d, 1)
DEFINE_DOWNSAMPLE_3D(omreg_par_downsample_displacement_field_3d, 3)

#undef DEFINE_DOWNSAMPLE_2D
#undef DEFINE_DOWNSAMPLE_3D
