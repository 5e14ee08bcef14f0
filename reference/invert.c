/* Reference passes of DIPY's fixed-point field inversion
 * (vector_fields.pyx invert_vector_field_fixed_point_{2,3}d, after Chen et
 * al. 2008): the residual q = p o d with its norm sum (per grid row, rows
 * combined in order) and maximum, and the step p -= s(|q|) q. The iteration
 * and its stopping rule live in api/vector_fields_api.c. */
#include "vector_fields_fp_guard.h" /* first: see there */
#include "kernels_vector_fields.h"
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
