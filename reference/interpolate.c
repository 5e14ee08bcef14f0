/* Reference point-list interpolation: one lookup per point, in order
 * (DIPY dipy/core/interpolation.pyx interpolate_*). */
#include "interp_point.h"
#include "kernels_interpolate.h"

#define FLT double
#define SFX(name) name##_f64
#include "interpolate_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "interpolate_body.h"
#undef FLT
#undef SFX
