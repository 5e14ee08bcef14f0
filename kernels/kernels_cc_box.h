/* CC factors by separable box sums (fast mode; not DIPY's arithmetic): the
 * five factors of kernels_crosscorr.h over the same (2 radius + 1)^d window
 * clipped to the grid, with the same count per voxel, but each window sum
 * is a box sum along axis 0, then along axis 1 (then along axis 2 in 3D),
 * of the terms I, I*I, J, J*J, I*J (I = static, J = moving; the values read
 * into double, squares and products in double, as DIPY's 3D kernel). Every
 * box sum starts from its window's first element and adds the others in
 * ascending index order; the factors follow with cc_factors_point (DIPY's
 * formula). The order is the contract: both backends keep it bit for bit.
 *
 * Scratch, in doubles, nthreads buffers of omreg_cc_box_scratch_{2,3}d
 * each (the reference uses the first); its contents on entry do not
 * matter. Any radius (windows larger than the grid are clipped) and any
 * axis >= 1. */
#ifndef OMREG_CORE_KERNELS_CC_BOX_H
#define OMREG_CORE_KERNELS_CC_BOX_H

#include <stddef.h>

/* doubles per thread, 2D: one row of the five axis-0 box sums */
static inline size_t omreg_cc_box_scratch_2d(const size_t shape[2])
{
    return 5 * shape[1];
}

/* doubles per thread, 3D: one slab of the five axis-0 box sums and one row
 * of the five axis-0-then-1 box sums */
static inline size_t omreg_cc_box_scratch_3d(const size_t shape[3])
{
    return 5 * shape[1] * shape[2] + 5 * shape[2];
}

typedef void omreg_cc_box_factors_2d_f64_fn(int nthreads, const double *static_img,
                                            const double *moving, const size_t shape[2],
                                            size_t radius, double *scratch, double *factors);
typedef void omreg_cc_box_factors_2d_f32_fn(int nthreads, const float *static_img,
                                            const float *moving, const size_t shape[2],
                                            size_t radius, double *scratch, float *factors);
typedef void omreg_cc_box_factors_3d_f64_fn(int nthreads, const double *static_img,
                                            const double *moving, const size_t shape[3],
                                            size_t radius, double *scratch, double *factors);
typedef void omreg_cc_box_factors_3d_f32_fn(int nthreads, const float *static_img,
                                            const float *moving, const size_t shape[3],
                                            size_t radius, double *scratch, float *factors);

#endif
