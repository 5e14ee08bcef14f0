/* Reference resampling of a displacement field onto another grid (DIPY
 * vector_fields.pyx resample_displacement_field_{2,3}d, used to expand
 * fields between pyramid levels): out[x] = field(diag(factors) x) by
 * bi/trilinear interpolation, zero outside the field. The vectors are not
 * rescaled (DIPY's fields live in world units). */
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
