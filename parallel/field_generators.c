/* Parallel test-input generators (DIPY vector_fields.pyx
 * create_random_displacement_{2,3}d, create_harmonic_fields_{2,3}d,
 * create_circle, create_sphere). Split by row (2D) or (slice, row) pair
 * (3D); each voxel is computed by the same kernels/field_generators_point.h
 * code as the reference. The random draws are keyed by (seed, voxel index),
 * never taken from a shared stream, so the field is the same for any thread
 * count and schedule. */
#include "field_generators_point.h"
#include "kernels_field_generators.h"

#define FLT double
#define SFX(name) name##_f64
#include "field_generators_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "field_generators_body.h"
#undef FLT
#undef SFX
