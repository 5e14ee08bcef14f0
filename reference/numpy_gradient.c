/* Reference numpy.gradient (unit spacing, edge_order 1) of 2D and 3D
 * images into a field, as DIPY 1.6's SyN metrics use it
 * (kernels_numpy_gradient.h): voxels in C order, axes in order. */
#include "kernels_numpy_gradient.h"
#include "numpy_gradient_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "numpy_gradient_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "numpy_gradient_body.h"
#undef FLT
#undef SFX
