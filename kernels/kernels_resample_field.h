/* Pyramid resampling of images and displacement fields (DIPY
 * vector_fields.pyx downsample_{scalar,displacement}_field_{2,3}d and
 * resample_displacement_field_{2,3}d).
 * downsample: out has shape ceil(shape / 2) (per axis (n + 1) / 2); each
 * output cell is the mean of its 2^d input cells (fewer on the far border of
 * odd axes), summed in FLT from 0 in input raster order, then divided by
 * the count in FLT.
 * resample: out[x] = field(diag(factors) x) for every x of out_shape,
 * linear interpolation, 0 outside; factors may be any finite values. */
#ifndef OMREG_CORE_KERNELS_RESAMPLE_FIELD_H
#define OMREG_CORE_KERNELS_RESAMPLE_FIELD_H

#include <stddef.h>

/* in: shape (scalar) or (shape..., dim) (displacement); out: the halved grid */
typedef void omreg_downsample_scalar_field_2d_f64_fn(int nthreads, const double *in,
                                                     const size_t shape[2], double *out);
typedef void omreg_downsample_scalar_field_2d_f32_fn(int nthreads, const float *in,
                                                     const size_t shape[2], float *out);
typedef void omreg_downsample_scalar_field_3d_f64_fn(int nthreads, const double *in,
                                                     const size_t shape[3], double *out);
typedef void omreg_downsample_scalar_field_3d_f32_fn(int nthreads, const float *in,
                                                     const size_t shape[3], float *out);
typedef omreg_downsample_scalar_field_2d_f64_fn omreg_downsample_displacement_field_2d_f64_fn;
typedef omreg_downsample_scalar_field_2d_f32_fn omreg_downsample_displacement_field_2d_f32_fn;
typedef omreg_downsample_scalar_field_3d_f64_fn omreg_downsample_displacement_field_3d_f64_fn;
typedef omreg_downsample_scalar_field_3d_f32_fn omreg_downsample_displacement_field_3d_f32_fn;

typedef void omreg_resample_displacement_field_2d_f64_fn(int nthreads, const double *field,
                                                         const size_t shape[2],
                                                         const double factors[2],
                                                         const size_t out_shape[2], double *out);
typedef void omreg_resample_displacement_field_2d_f32_fn(int nthreads, const float *field,
                                                         const size_t shape[2],
                                                         const double factors[2],
                                                         const size_t out_shape[2], float *out);
typedef void omreg_resample_displacement_field_3d_f64_fn(int nthreads, const double *field,
                                                         const size_t shape[3],
                                                         const double factors[3],
                                                         const size_t out_shape[3], double *out);
typedef void omreg_resample_displacement_field_3d_f32_fn(int nthreads, const float *field,
                                                         const size_t shape[3],
                                                         const double factors[3],
                                                         const size_t out_shape[3], float *out);

#endif
