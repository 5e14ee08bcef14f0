/* Parallel warp of a point list through a displacement field (DIPY
 * vector_fields.pyx warp_coordinates_{2,3}d): out[p] = world2out (in2world p
 * + field(in2grid p)). Split by point; each point is computed by the same
 * warp_point.h code as the reference and written to its own slot, so the
 * bits are the same for any thread count and schedule. */
#include "kernels_warp.h"
#include "warp_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "warp_coordinates_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "warp_coordinates_body.h"
#undef FLT
#undef SFX
