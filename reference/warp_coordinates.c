/* Reference warp of a point list through a displacement field (DIPY
 * vector_fields.pyx warp_coordinates_{2,3}d): out[p] = world2out (in2world p
 * + field(in2grid p)), field interpolated linearly, zero outside; NULL
 * affines are identities (the entry point resolves DIPY's in2grid rule). */
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
