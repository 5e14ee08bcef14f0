/* Reference composition of displacement fields (DIPY vector_fields.pyx
 * _compose_vector_fields_{2,3}d): comp[x] = d1[x] + t * d2(A x + B d1[x]),
 * 0 where d2 cannot be interpolated, with the norm statistics reduced per
 * grid row (the canonical block, kernels_vector_fields.h) and the row
 * partials combined in row order. */
#include "vector_fields_fp_guard.h" /* first: see there */
#include "kernels_vector_fields.h"
#include "vector_fields_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "compose_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "compose_body.h"
#undef FLT
#undef SFX
