/* Reference reorientation of a displacement field (DIPY vector_fields.pyx
 * reorient_vector_field_{2,3}d): every vector v becomes A (v, 0), in place;
 * the translation of A meets the homogeneous 0 of a vector. */
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
