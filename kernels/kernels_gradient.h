/* Image gradient in physical units by central differences at +-h/2 world
 * offsets (DIPY vector_fields._gradient_{2,3}d / _sparse_gradient_{2,3}d).
 * Dense: every voxel of the sampling grid (out_shape, out_grid2world);
 * out has shape (out_shape..., dim). Sparse: n world points, out n x dim.
 * inside = 0 where any of the 2*dim lookups falls outside the image. */
#ifndef OMREG_CORE_KERNELS_GRADIENT_H
#define OMREG_CORE_KERNELS_GRADIENT_H

#include <stddef.h>

typedef void omreg_gradient_2d_f64_fn(int nthreads, const double *img, const size_t img_shape[2],
                                      const double *img_world2grid, const double img_spacing[2],
                                      const size_t out_shape[2], const double *out_grid2world,
                                      double *out, int *inside);
typedef void omreg_gradient_2d_f32_fn(int nthreads, const float *img, const size_t img_shape[2],
                                      const double *img_world2grid, const double img_spacing[2],
                                      const size_t out_shape[2], const double *out_grid2world,
                                      float *out, int *inside);
typedef void omreg_gradient_3d_f64_fn(int nthreads, const double *img, const size_t img_shape[3],
                                      const double *img_world2grid, const double img_spacing[3],
                                      const size_t out_shape[3], const double *out_grid2world,
                                      double *out, int *inside);
typedef void omreg_gradient_3d_f32_fn(int nthreads, const float *img, const size_t img_shape[3],
                                      const double *img_world2grid, const double img_spacing[3],
                                      const size_t out_shape[3], const double *out_grid2world,
                                      float *out, int *inside);
typedef void omreg_sparse_gradient_2d_f64_fn(int nthreads, const double *img,
                                             const size_t img_shape[2],
                                             const double *img_world2grid,
                                             const double img_spacing[2], const double *points,
                                             size_t n, double *out, int *inside);
typedef void omreg_sparse_gradient_2d_f32_fn(int nthreads, const float *img,
                                             const size_t img_shape[2],
                                             const double *img_world2grid,
                                             const double img_spacing[2], const double *points,
                                             size_t n, float *out, int *inside);
typedef void omreg_sparse_gradient_3d_f64_fn(int nthreads, const double *img,
                                             const size_t img_shape[3],
                                             const double *img_world2grid,
                                             const double img_spacing[3], const double *points,
                                             size_t n, double *out, int *inside);
typedef void omreg_sparse_gradient_3d_f32_fn(int nthreads, const float *img,
                                             const size_t img_shape[3],
                                             const double *img_world2grid,
                                             const double img_spacing[3], const double *points,
                                             size_t n, float *out, int *inside);

#endif
