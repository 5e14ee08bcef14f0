/* Parallel passes of DIPY's fixed-point field inversion
 * (vector_fields.pyx invert_vector_field_fixed_point_{2,3}d). Residual:
 * threads take whole grid rows (the canonical block, one (k, i) pair in
 * 3D), compute q and the row's norm sum and maximum exactly as the
 * reference does, store them in scratch[row]; one thread then combines the
 * rows in order, the reference's sequence of additions. Step: pointwise,
 * split by grid rows; every voxel is updated with the reference's
 * arithmetic, so the bits do not depend on the split. 3D field lookups
 * take interp_fast.h's path inside the grid (same bits). */
#include "vector_fields_fp_guard.h" /* first: see there */
#include "interp_fast.h"
#include "kernels_vector_fields.h"
#define VECTOR_FIELDS_LOOKUP_3D SFX(fast_interp_vector_3d)
#include "vector_fields_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "invert_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "invert_body.h"
#undef FLT
#undef SFX
