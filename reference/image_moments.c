/* Reference canonical-order moments: sum and sum of squares of n values,
 * block by block (kernels_reduce.h). Serially, adding each block's partial
 * to the total as soon as the block is done is the same arithmetic as
 * storing the partials and adding them in block order. */
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
