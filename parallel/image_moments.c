/* Parallel canonical-order moments (kernels_reduce.h): threads fill the
 * per-block partials in scratch, then one thread adds them in block order,
 * which is exactly the reference's sequence of additions. */
#include "kernels_reduce.h"

#define FLT double
#define SFX(name) name##_f64
#include "image_moments_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "image_moments_body.h"
#undef FLT
#undef SFX
