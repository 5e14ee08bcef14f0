/* Parallel resampling of a displacement field onto another grid (DIPY
 * vector_fields.pyx resample_displacement_field_{2,3}d): out[x] =
 * field(diag(factors) x), bi/trilinear, zero outside. Split by output row
 * (2D) or (slice, row) pair (3D); each voxel is an independent lookup done
 * by the same interp_point.h code as the reference, so the bits are equal. */
#include "interp_point.h"
#include "kernels_resample_field.h"

#define FLT double
#define SFX(name) name##_f64
#include "resample_field_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "resample_field_body.h"
#undef FLT
#undef SFX
