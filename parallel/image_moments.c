/* Parallel canonical-order moments (kernels_reduce.h): threads fill the
 * per-block partials in scratch, then one thread adds them in block order,
 * which is exactly the reference's sequence of additions. */
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

void SFX(omreg_par_image_moments)(int nthreads, const FLT *img, size_t n, double *scratch,
                                  double out[2])
{
    const size_t nblocks = omreg_reduce_blocks(n);
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b < nblocks; ++b) {
        size_t start = b * OMREG_REDUCE_BLOCK;
        size_t end = start + OMREG_REDUCE_BLOCK < n ? start + OMREG_REDUCE_BLOCK : n;
        double s = 0.0, sq = 0.0;
        for (size_t v = start; v < end; ++v) {
            double x = img[v];
            s += x;
            sq += x * x;
        }
        scratch[2 * b] = s;
        scratch[2 * b + 1] = sq;
    }
    double total = 0.0, total_sq = 0.0;
    for (size_t b = 0; b < nblocks; ++b) { /* block order: the canonical sum */
        total += scratch[2 * b];
        total_sq += scratch[2 * b + 1];
    }
    out[0] = total;
    out[1] = total_sq;
}

#endif /* FLT */
