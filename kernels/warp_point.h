/* Per-point math of the warping kernels, shared by both backends (DIPY
 * vector_fields.pyx warp_{2,3}d[_nn] and warp_coordinates_{2,3}d):
 * the sampling position C * d(A x) + B x of one output voxel, and one
 * warped point of warp_coordinates. _f64/_f32 name the field's storage. */
#ifndef OMREG_CORE_WARP_POINT_H
#define OMREG_CORE_WARP_POINT_H

#include <stddef.h>

#include "affine_apply.h"
#include "interp_point.h"

/* GCC 12.2 at -O2/-O3 miscompiles warp_coordinate_3d_f32 inside the point
 * loop of the warp_coordinates kernels: after PRE forwards the float stores
 * of the interpolation temporary, the SLP vectoriser pairs components 0 and
 * 1 and drops the float narrowing between the partial sums, so they
 * accumulate in double (gcc -O0/-O1, -fno-tree-pre, -fno-tree-slp-vectorize
 * and clang all round to float after every term, as DIPY). Both backends
 * were wrong identically; only the DIPY golden test saw it. The
 * warp_coordinates kernels (2D too, as a precaution) therefore turn SLP
 * vectorisation off for themselves; the attribute also reaches their OpenMP
 * regions (checked by the golden test on the parallel backend). */
#if defined(__GNUC__) && !defined(__clang__)
#define OMREG_NO_SLP_VECTORIZE __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define OMREG_NO_SLP_VECTORIZE
#endif

#define FLT double
#define SFX(name) name##_f64
#include "warp_point_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "warp_point_body.h"
#undef FLT
#undef SFX

#endif
