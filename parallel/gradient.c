/* Parallel image gradient in physical units (DIPY vector_fields.pyx
 * _gradient_{2,3}d, _sparse_gradient_{2,3}d): for each sample point x and
 * axis p, g_p = (I(x + h_p e_p) - I(x - h_p e_p)) / spacing_p with
 * h_p = spacing_p / 2, both lookups through img_world2grid. Dense grids are
 * split by (slice, row) pairs and point lists by index; every output voxel
 * is computed exactly as in the reference, so the bits are the same; the
 * 3D lookups take interp_fast.h's path for cells inside the grid. */
#include "interp_fast.h"
#define GRADIENT_LOOKUP_3D SFX(fast_interp_scalar_3d)
#include "gradient_point.h"
#include "kernels_gradient.h"

#define FLT double
#define SFX(name) name##_f64
#include "gradient_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "gradient_body.h"
#undef FLT
#undef SFX
