/* Reference test-input generators (DIPY vector_fields.pyx
 * create_random_displacement_{2,3}d, create_harmonic_fields_{2,3}d,
 * create_circle, create_sphere): one independent voxel at a time in raster
 * order, per-voxel formulas in kernels/field_generators_point.h. The random
 * field draws from omreg's counter-based generator keyed by (seed, voxel
 * index), so its values do not depend on the visiting order. */
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
