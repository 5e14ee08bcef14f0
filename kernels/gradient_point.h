/* One sample point of DIPY's physical-space gradient, shared by both
 * backends' gradient kernels. */
#ifndef OMREG_CORE_GRADIENT_POINT_H
#define OMREG_CORE_GRADIENT_POINT_H

#include "affine_apply.h"
#include "interp_point.h"

/* The trilinear lookup of the 3D gradient: DIPY's (interp_point.h) unless
 * the including kernel names one with the same bits (parallel/interp_fast.h)
 * before including this header. */
#ifndef GRADIENT_LOOKUP_3D
#define GRADIENT_LOOKUP_3D SFX(interp_scalar_3d)
#endif

#define FLT double
#define SFX(name) name##_f64
#include "gradient_point_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "gradient_point_body.h"
#undef FLT
#undef SFX

#endif
