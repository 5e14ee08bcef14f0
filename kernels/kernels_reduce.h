/* Canonical-order reductions (DESIGN.md, contract item 2). The n values are
 * cut into fixed blocks of OMREG_REDUCE_BLOCK elements (the last may be
 * shorter); each block is summed left to right from 0, and block partials
 * are added to the total in block order. The block size never depends on
 * the thread count, so the result has one correct bit pattern. */
#ifndef OMREG_CORE_KERNELS_REDUCE_H
#define OMREG_CORE_KERNELS_REDUCE_H

#include <stddef.h>

#define OMREG_REDUCE_BLOCK ((size_t)4096)

/* Number of blocks for n elements; scratch for image_moments holds
 * 2 * omreg_reduce_blocks(n) doubles. */
static inline size_t omreg_reduce_blocks(size_t n)
{
    return (n + OMREG_REDUCE_BLOCK - 1) / OMREG_REDUCE_BLOCK;
}

/* out[0] = sum x, out[1] = sum x^2 (in double), canonical block order. */
typedef void omreg_image_moments_f64_fn(int nthreads, const double *img, size_t n, double *scratch,
                                        double out[2]);
typedef void omreg_image_moments_f32_fn(int nthreads, const float *img, size_t n, double *scratch,
                                        double out[2]);

#endif
