/* Point-list interpolation kernels (DIPY interpolate_{scalar,vector}_{2,3}d
 * and interpolate_scalar_nn_{2,3}d): locs is n x dim grid coordinates,
 * out is n (scalar) or n x dim (vector), inside[i] = 1 when every corner
 * of point i is in the grid. */
#ifndef OMREG_CORE_KERNELS_INTERPOLATE_H
#define OMREG_CORE_KERNELS_INTERPOLATE_H

#include <stddef.h>

typedef void omreg_interpolate_scalar_2d_f64_fn(int nthreads, const double *img,
                                                const size_t shape[2], const double *locs, size_t n,
                                                double *out, int *inside);
typedef void omreg_interpolate_scalar_2d_f32_fn(int nthreads, const float *img,
                                                const size_t shape[2], const double *locs, size_t n,
                                                float *out, int *inside);
typedef void omreg_interpolate_scalar_3d_f64_fn(int nthreads, const double *img,
                                                const size_t shape[3], const double *locs, size_t n,
                                                double *out, int *inside);
typedef void omreg_interpolate_scalar_3d_f32_fn(int nthreads, const float *img,
                                                const size_t shape[3], const double *locs, size_t n,
                                                float *out, int *inside);
/* field has shape (shape..., dim) */
typedef omreg_interpolate_scalar_2d_f64_fn omreg_interpolate_vector_2d_f64_fn;
typedef omreg_interpolate_scalar_2d_f32_fn omreg_interpolate_vector_2d_f32_fn;
typedef omreg_interpolate_scalar_3d_f64_fn omreg_interpolate_vector_3d_f64_fn;
typedef omreg_interpolate_scalar_3d_f32_fn omreg_interpolate_vector_3d_f32_fn;
typedef omreg_interpolate_scalar_2d_f64_fn omreg_interpolate_scalar_nn_2d_f64_fn;
typedef omreg_interpolate_scalar_2d_f32_fn omreg_interpolate_scalar_nn_2d_f32_fn;
typedef omreg_interpolate_scalar_3d_f64_fn omreg_interpolate_scalar_nn_3d_f64_fn;
typedef omreg_interpolate_scalar_3d_f32_fn omreg_interpolate_scalar_nn_3d_f32_fn;

#endif
