/* Parallel numpy.gradient (kernels_numpy_gradient.h): every voxel's
 * derivatives depend only on the input, so rows (2D) or (slice, row)
 * pairs (3D) are split over threads; the per-voxel arithmetic is the
 * reference's (numpy_gradient_point.h), so the result is bitwise equal. */
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
