/* Parallel resampling of a displacement field onto another grid (DIPY
 * vector_fields.pyx resample_displacement_field_{2,3}d): out[x] =
 * field(diag(factors) x), bi/trilinear, zero outside. Split by output row
 * (2D) or (slice, row) pair (3D); each voxel is an independent lookup done
 * by the same interp_point.h code as the reference, so the bits are equal. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "interp_point.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "resample_field.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "resample_field.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_par_resample_displacement_field_2d)(int nthreads, const FLT *field,
                                                   const size_t shape[2], const double factors[2],
                                                   const size_t out_shape[2], FLT *out)
{
    const size_t nrows = out_shape[0], ncols = out_shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < nrows; ++i)
        for (size_t j = 0; j < ncols; ++j) {
            double dii = (double)i * factors[0], djj = (double)j * factors[1];
            (void)SFX(interp_vector_2d)(field, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1], dii,
                                        djj, &out[2 * (i * ncols + j)]);
        }
}

void SFX(omreg_par_resample_displacement_field_3d)(int nthreads, const FLT *field,
                                                   const size_t shape[3], const double factors[3],
                                                   const size_t out_shape[3], FLT *out)
{
    const size_t nrows = out_shape[1], ncols = out_shape[2];
    const size_t nlines = out_shape[0] * nrows;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t line = 0; line < nlines; ++line) {
        size_t k = line / nrows, i = line % nrows;
        double dkk = (double)k * factors[0], dii = (double)i * factors[1];
        for (size_t j = 0; j < ncols; ++j) {
            double djj = (double)j * factors[2];
            (void)SFX(interp_vector_3d)(field, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1],
                                        (ptrdiff_t)shape[2], dkk, dii, djj,
                                        &out[3 * (line * ncols + j)]);
        }
    }
}

#endif /* FLT */
