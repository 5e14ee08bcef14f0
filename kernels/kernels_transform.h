/* Resampling of an image through an affine given in grid coordinates
 * (DIPY transform_{2,3}d_affine and _nn): out voxel x takes img at
 * affine * x, linear or nearest; affine NULL means the identity. */
#ifndef OMREG_CORE_KERNELS_TRANSFORM_H
#define OMREG_CORE_KERNELS_TRANSFORM_H

#include <stddef.h>

typedef void omreg_transform_affine_2d_f64_fn(int nthreads, const double *img,
                                              const size_t img_shape[2], const size_t out_shape[2],
                                              const double *affine, double *out);
typedef void omreg_transform_affine_2d_f32_fn(int nthreads, const float *img,
                                              const size_t img_shape[2], const size_t out_shape[2],
                                              const double *affine, float *out);
typedef void omreg_transform_affine_3d_f64_fn(int nthreads, const double *img,
                                              const size_t img_shape[3], const size_t out_shape[3],
                                              const double *affine, double *out);
typedef void omreg_transform_affine_3d_f32_fn(int nthreads, const float *img,
                                              const size_t img_shape[3], const size_t out_shape[3],
                                              const double *affine, float *out);
typedef omreg_transform_affine_2d_f64_fn omreg_transform_affine_nn_2d_f64_fn;
typedef omreg_transform_affine_2d_f32_fn omreg_transform_affine_nn_2d_f32_fn;
typedef omreg_transform_affine_3d_f64_fn omreg_transform_affine_nn_3d_f64_fn;
typedef omreg_transform_affine_3d_f32_fn omreg_transform_affine_nn_3d_f32_fn;

#endif
