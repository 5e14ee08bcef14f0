/* Reference image gradient in physical units (DIPY vector_fields.pyx
 * _gradient_{2,3}d, _sparse_gradient_{2,3}d): for each sample point x and
 * axis p, g_p = (I(x + h_p e_p) - I(x - h_p e_p)) / spacing_p with
 * h_p = spacing_p / 2, both lookups through img_world2grid. */
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
