/* Reference reorientation of a displacement field (DIPY vector_fields.pyx
 * reorient_vector_field_{2,3}d): every vector v becomes A (v, 0), in place;
 * the translation of A meets the homogeneous 0 of a vector. */
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

void SFX(omreg_ref_reorient_vector_field_2d)(int nthreads, FLT *d, const size_t shape[2],
                                             const double *affine)
{
    (void)nthreads;
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j)
            SFX(reorient_point_2d)(affine, &d[2 * (i * shape[1] + j)]);
}

void SFX(omreg_ref_reorient_vector_field_3d)(int nthreads, FLT *d, const size_t shape[3],
                                             const double *affine)
{
    (void)nthreads;
    for (size_t k = 0; k < shape[0]; ++k)
        for (size_t i = 0; i < shape[1]; ++i)
            for (size_t j = 0; j < shape[2]; ++j)
                SFX(reorient_point_3d)(affine, &d[3 * ((k * shape[1] + i) * shape[2] + j)]);
}

#endif /* FLT */
