/* Reference warping of images through a displacement field (DIPY
 * vector_fields.pyx warp_{2,3}d and warp_{2,3}d_nn): for every voxel x of
 * the sampling grid, out[x] = img(C * field(A x) + B x), bi/trilinear or
 * nearest, 0 outside the image (warp_point.h has the formula). Plain
 * raster-order loops, one independent voxel at a time. */
#include "interp_point.h"
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
