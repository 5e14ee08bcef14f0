/* Point interpolation shared by both backends (DIPY dipy/core/
 * interpolation.pyx): bilinear/trilinear and nearest-neighbour lookups of
 * one point, for float64 (_f64) and float32 (_f32) storage. The kernels in
 * reference/ and parallel/ are the loops around these. */
#ifndef OMREG_CORE_INTERP_POINT_H
#define OMREG_CORE_INTERP_POINT_H

#include <math.h>
#include <stddef.h>

#define FLT double
#define SFX(name) name##_f64
#include "interp_point_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "interp_point_body.h"
#undef FLT
#undef SFX

#endif
