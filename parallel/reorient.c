/* Parallel reorientation of a displacement field (DIPY vector_fields.pyx
 * reorient_vector_field_{2,3}d): v = A (v, 0) in place. Pointwise: threads
 * take grid rows ((k, i) pairs in 3D); each vector is transformed exactly
 * as in the reference, so the bits do not depend on the split. */
#include "vector_fields_fp_guard.h" /* first: see there */
#include "kernels_vector_fields.h"
#include "vector_fields_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "reorient_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "reorient_body.h"
#undef FLT
#undef SFX
