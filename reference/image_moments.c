/* Reference canonical-order moments: sum and sum of squares of n values,
 * block by block (kernels_reduce.h). Serially, adding each block's partial
 * to the total as soon as the block is done is the same arithmetic as
 * storing the partials and adding them in block order. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "image_moments.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "image_moments.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_ref_image_moments)(int nthreads, const FLT *img, size_t n, double *scratch,
                                  double out[2])
{
    (void)nthreads;
    (void)scratch; /* the serial order needs no block storage */
    double total = 0.0, total_sq = 0.0;
    for (size_t b = 0; b < omreg_reduce_blocks(n); ++b) {
        size_t start = b * OMREG_REDUCE_BLOCK;
        size_t end = start + OMREG_REDUCE_BLOCK < n ? start + OMREG_REDUCE_BLOCK : n;
        double s = 0.0, sq = 0.0;
        for (size_t v = start; v < end; ++v) {
            double x = img[v];
            s += x;
            sq += x * x;
        }
        total += s;
        total_sq += sq;
    }
    out[0] = total;
    out[1] = total_sq;
}

#endif /* FLT */
