/* Reference warp of a point list through a displacement field (DIPY
 * vector_fields.pyx warp_coordinates_{2,3}d): out[p] = world2out (in2world p
 * + field(in2grid p)), field interpolated linearly, zero outside; NULL
 * affines are identities (the entry point resolves DIPY's in2grid rule). */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "kernels.h"
#include "warp_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "warp_coordinates.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "warp_coordinates.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

OMREG_NO_SLP_VECTORIZE
void SFX(omreg_ref_warp_coordinates_2d)(int nthreads, const FLT *field, const size_t field_shape[2],
                                        const double *in2world, const double *in2grid,
                                        const double *world2out, const double *points, size_t n,
                                        double *out)
{
    (void)nthreads;
    for (size_t p = 0; p < n; ++p)
        SFX(warp_coordinate_2d)(field, (ptrdiff_t)field_shape[0], (ptrdiff_t)field_shape[1],
                                in2world, in2grid, world2out, &points[2 * p], &out[2 * p]);
}

OMREG_NO_SLP_VECTORIZE
void SFX(omreg_ref_warp_coordinates_3d)(int nthreads, const FLT *field, const size_t field_shape[3],
                                        const double *in2world, const double *in2grid,
                                        const double *world2out, const double *points, size_t n,
                                        double *out)
{
    (void)nthreads;
    for (size_t p = 0; p < n; ++p)
        SFX(warp_coordinate_3d)(field, (ptrdiff_t)field_shape[0], (ptrdiff_t)field_shape[1],
                                (ptrdiff_t)field_shape[2], in2world, in2grid, world2out,
                                &points[3 * p], &out[3 * p]);
}

#endif /* FLT */
