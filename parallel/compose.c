/* Parallel composition of displacement fields (DIPY vector_fields.pyx
 * _compose_vector_fields_{2,3}d): comp[x] = d1[x] + t * d2(A x + B d1[x]).
 * Threads take whole grid rows (the canonical reduction block, one (k, i)
 * pair in 3D); each row's voxels and statistics partials are computed
 * exactly as in the reference, so only the order in which rows run
 * differs. The partials go to scratch[row] and one thread combines them in
 * row order afterwards, which is the reference's sequence of additions.
 * 3D field lookups take interp_fast.h's path inside the grid (same bits). */
#include "vector_fields_fp_guard.h" /* first: see there */
#include "interp_fast.h"
#include "kernels_vector_fields.h"
#define VECTOR_FIELDS_LOOKUP_3D SFX(fast_interp_vector_3d)
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
