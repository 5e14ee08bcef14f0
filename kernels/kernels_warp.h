/* Warping through a displacement field (DIPY vector_fields.pyx
 * warp_{2,3}d, warp_{2,3}d_nn, warp_coordinates_{2,3}d).
 * warp: out[x] = img(C * field(A x) + B x) for every voxel x of the
 * out_shape grid, linear or nearest, 0 outside the image; A = affine_idx_in,
 * B = affine_idx_out, C = affine_disp ((dim+1)x(dim+1), row-major), NULL
 * meaning DIPY's None: A NULL reads field[x] directly (the field must then
 * cover out_shape), B NULL adds x, C NULL leaves the displacement as is.
 * warp_coordinates: out[p] = world2out (in2world p + field(in2grid p)) for
 * n points (n x dim doubles); NULL affines are identities. */
#ifndef OMREG_CORE_KERNELS_WARP_H
#define OMREG_CORE_KERNELS_WARP_H

#include <stddef.h>

typedef void omreg_warp_linear_2d_f64_fn(int nthreads, const double *img, const size_t img_shape[2],
                                         const double *field, const size_t field_shape[2],
                                         const double *affine_idx_in, const double *affine_idx_out,
                                         const double *affine_disp, const size_t out_shape[2],
                                         double *out);
typedef void omreg_warp_linear_2d_f32_fn(int nthreads, const float *img, const size_t img_shape[2],
                                         const float *field, const size_t field_shape[2],
                                         const double *affine_idx_in, const double *affine_idx_out,
                                         const double *affine_disp, const size_t out_shape[2],
                                         float *out);
typedef void omreg_warp_linear_3d_f64_fn(int nthreads, const double *img, const size_t img_shape[3],
                                         const double *field, const size_t field_shape[3],
                                         const double *affine_idx_in, const double *affine_idx_out,
                                         const double *affine_disp, const size_t out_shape[3],
                                         double *out);
typedef void omreg_warp_linear_3d_f32_fn(int nthreads, const float *img, const size_t img_shape[3],
                                         const float *field, const size_t field_shape[3],
                                         const double *affine_idx_in, const double *affine_idx_out,
                                         const double *affine_disp, const size_t out_shape[3],
                                         float *out);
typedef omreg_warp_linear_2d_f64_fn omreg_warp_nn_2d_f64_fn;
typedef omreg_warp_linear_2d_f32_fn omreg_warp_nn_2d_f32_fn;
typedef omreg_warp_linear_3d_f64_fn omreg_warp_nn_3d_f64_fn;
typedef omreg_warp_linear_3d_f32_fn omreg_warp_nn_3d_f32_fn;

/* points and out are n x dim doubles; field is FLT (shape..., dim) */
typedef void omreg_warp_coordinates_2d_f64_fn(int nthreads, const double *field,
                                              const size_t field_shape[2], const double *in2world,
                                              const double *in2grid, const double *world2out,
                                              const double *points, size_t n, double *out);
typedef void omreg_warp_coordinates_2d_f32_fn(int nthreads, const float *field,
                                              const size_t field_shape[2], const double *in2world,
                                              const double *in2grid, const double *world2out,
                                              const double *points, size_t n, double *out);
typedef void omreg_warp_coordinates_3d_f64_fn(int nthreads, const double *field,
                                              const size_t field_shape[3], const double *in2world,
                                              const double *in2grid, const double *world2out,
                                              const double *points, size_t n, double *out);
typedef void omreg_warp_coordinates_3d_f32_fn(int nthreads, const float *field,
                                              const size_t field_shape[3], const double *in2world,
                                              const double *in2grid, const double *world2out,
                                              const double *points, size_t n, double *out);

#endif
