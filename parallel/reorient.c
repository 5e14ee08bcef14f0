/* Parallel reorientation of a displacement field (DIPY vector_fields.pyx
 * reorient_vector_field_{2,3}d): v = A (v, 0) in place. Pointwise: threads
 * take grid rows ((k, i) pairs in 3D); each vector is transformed exactly
 * as in the reference, so the bits do not depend on the split. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "vector_fields_fp_guard.h" /* first: see there */
#include "kernels.h"
#include "vector_fields_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "reorient.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "reorient.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_par_reorient_vector_field_2d)(int nthreads, FLT *d, const size_t shape[2],
                                             const double *affine)
{
    const size_t nrows = shape[0], ncols = shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < nrows; ++i)
        for (size_t j = 0; j < ncols; ++j)
            SFX(reorient_point_2d)(affine, &d[2 * (i * ncols + j)]);
}

void SFX(omreg_par_reorient_vector_field_3d)(int nthreads, FLT *d, const size_t shape[3],
                                             const double *affine)
{
    const size_t nrows = shape[0] * shape[1], ncols = shape[2];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row)
        for (size_t j = 0; j < ncols; ++j)
            SFX(reorient_point_3d)(affine, &d[3 * (row * ncols + j)]);
}

#endif /* FLT */
