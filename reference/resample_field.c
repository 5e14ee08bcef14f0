/* Reference resampling of a displacement field onto another grid (DIPY
 * vector_fields.pyx resample_displacement_field_{2,3}d, used to expand
 * fields between pyramid levels): out[x] = field(diag(factors) x) by
 * bi/trilinear interpolation, zero outside the field. The vectors are not
 * rescaled (DIPY's fields live in world units). */
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

void SFX(omreg_ref_resample_displacement_field_2d)(int nthreads, const FLT *field,
                                                   const size_t shape[2], const double factors[2],
                                                   const size_t out_shape[2], FLT *out)
{
    (void)nthreads;
    for (size_t i = 0; i < out_shape[0]; ++i)
        for (size_t j = 0; j < out_shape[1]; ++j) {
            double dii = (double)i * factors[0], djj = (double)j * factors[1];
            (void)SFX(interp_vector_2d)(field, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1], dii,
                                        djj, &out[2 * (i * out_shape[1] + j)]);
        }
}

void SFX(omreg_ref_resample_displacement_field_3d)(int nthreads, const FLT *field,
                                                   const size_t shape[3], const double factors[3],
                                                   const size_t out_shape[3], FLT *out)
{
    (void)nthreads;
    for (size_t k = 0; k < out_shape[0]; ++k)
        for (size_t i = 0; i < out_shape[1]; ++i)
            for (size_t j = 0; j < out_shape[2]; ++j) {
                double dkk = (double)k * factors[0], dii = (double)i * factors[1],
                       djj = (double)j * factors[2];
                (void)SFX(interp_vector_3d)(
                    field, (ptrdiff_t)shape[0], (ptrdiff_t)shape[1], (ptrdiff_t)shape[2], dkk,
                    dii, djj, &out[3 * ((k * out_shape[1] + i) * out_shape[2] + j)]);
            }
}

#endif /* FLT */
