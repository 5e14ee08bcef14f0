/* One sample point of DIPY's physical-space gradient, shared by both
 * backends' gradient kernels. */
#ifndef OMREG_CORE_GRADIENT_POINT_H
#define OMREG_CORE_GRADIENT_POINT_H

#include "affine_apply.h"
#include "interp_point.h"

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
