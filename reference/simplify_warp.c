/* Reference simplification of a warp (DIPY vector_fields.pyx
 * simplify_warp_function_{2,3}d): out[x] = W d(U x) + V x - x over the
 * output grid, folding the affines of a diffeomorphic map into one field. */
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
