/* Parallel warping of images through a displacement field (DIPY
 * vector_fields.pyx warp_{2,3}d and warp_{2,3}d_nn): out[x] =
 * img(C * field(A x) + B x), bi/trilinear or nearest, 0 outside. Split by
 * output row (2D) or (slice, row) pair (3D); every voxel is independent and
 * computed by the same warp_point.h code as the reference, so the bits are
 * the same for any thread count and schedule (3D linear image lookups
 * through interp_fast.h, which has the reference's bits). */
#include "interp_fast.h"
#include "kernels_warp.h"
#include "warp_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "warp_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "warp_body.h"
#undef FLT
#undef SFX
