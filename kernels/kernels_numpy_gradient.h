/* numpy.gradient of a scalar image with unit spacing and edge_order 1, as
 * DIPY 1.6's SyN metrics (metrics.py) call it on float32 images: along
 * every axis, interior voxels get (f[i+1] - f[i-1]) / 2, the first voxel
 * f[1] - f[0] and the last f[n-1] - f[n-2], each difference and quotient
 * rounded to the image's type (numpy computes in the array's dtype).
 * out is a field (shape..., ndim): component a is the derivative along
 * axis a (DIPY stores gradient(img)[a] into grad[..., a]). An axis of
 * length 1 (numpy raises ValueError) gets 0; callers reject such grids. */
#ifndef OMREG_CORE_KERNELS_NUMPY_GRADIENT_H
#define OMREG_CORE_KERNELS_NUMPY_GRADIENT_H

#include <stddef.h>

typedef void omreg_numpy_gradient_2d_f64_fn(int nthreads, const double *img, const size_t shape[2],
                                            double *out);
typedef void omreg_numpy_gradient_2d_f32_fn(int nthreads, const float *img, const size_t shape[2],
                                            float *out);
typedef void omreg_numpy_gradient_3d_f64_fn(int nthreads, const double *img, const size_t shape[3],
                                            double *out);
typedef void omreg_numpy_gradient_3d_f32_fn(int nthreads, const float *img, const size_t shape[3],
                                            float *out);

#endif
