/* Parallel affine resampling in grid coordinates (DIPY vector_fields.pyx
 * transform_{2,3}d_affine[_nn]): out[x] = img(A x), linear or nearest,
 * 0 outside; A NULL is the identity. Split by output row (2D) or by
 * (slice, row) (3D); every voxel is computed as in the reference (3D
 * linear lookups through interp_fast.h, which has the reference's bits). */
#include "affine_apply.h"
#include "interp_fast.h"
#include "kernels_transform.h"

#define FLT double
#define SFX(name) name##_f64
#include "transform_affine_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "transform_affine_body.h"
#undef FLT
#undef SFX
