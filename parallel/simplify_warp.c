/* Parallel simplification of a warp (DIPY vector_fields.pyx
 * simplify_warp_function_{2,3}d): out[x] = W d(U x) + V x - x. Pointwise:
 * threads take output rows ((k, i) pairs in 3D); each voxel is computed
 * exactly as in the reference, so the bits do not depend on the split. */
#include "vector_fields_fp_guard.h" /* first: see there */
#include "kernels_vector_fields.h"
#include "vector_fields_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "simplify_warp_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "simplify_warp_body.h"
#undef FLT
#undef SFX
