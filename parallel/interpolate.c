/* Parallel point-list interpolation: points are independent, so any split
 * of the index range gives the reference bits
 * (DIPY dipy/core/interpolation.pyx interpolate_*); 3D scalar lookups
 * through interp_fast.h, which has the reference's bits. */
#include "interp_fast.h"
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
