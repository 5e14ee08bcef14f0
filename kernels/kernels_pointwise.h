/* Small per-voxel kernels the drivers need between the big ones:
 * intensity range under a mask, range normalisation (x - lo) / range,
 * dtype conversions, in-place sums, int masks, and affine maps of point
 * lists. Each operation is one slot family whatever its caller. */
#ifndef OMREG_CORE_KERNELS_POINTWISE_H
#define OMREG_CORE_KERNELS_POINTWISE_H

#include <stddef.h>
#include <stdint.h>

/* out = {min, max} of x[v] over mask[v] != 0 (mask NULL: all); {+inf, -inf}
 * when nothing is selected; NaN values are skipped. scratch holds
 * 2 * omreg_reduce_blocks(n) doubles (min and max are exact, so any
 * combination order gives the same bits). */
typedef void omreg_masked_range_f64_fn(int nthreads, const double *x, const int *mask, size_t n,
                                       double *scratch, double out[2]);
/* out[v] = (x[v] - lo) / range */
typedef void omreg_normalize_f64_fn(int nthreads, const double *x, size_t n, double lo,
                                    double range, double *out);
/* out[v] = (x[v] - lo) / range in float32 (SyN's ScaleSpace on a float32
 * image: (image - np.min(image)) / (np.max(image) - np.min(image))); out
 * may be x */
typedef void omreg_normalize_f32_fn(int nthreads, const float *x, size_t n, float lo, float range,
                                    float *out);
/* out[v] = (float)((x[v] - lo) / range) */
typedef void omreg_normalize_f64_to_f32_fn(int nthreads, const double *x, size_t n, double lo,
                                           double range, float *out);
/* out[v] = x[v] */
typedef void omreg_convert_f32_to_f64_fn(int nthreads, const float *x, size_t n, double *out);
/* out[v] = (float)x[v] (numpy astype(float32): round to nearest) */
typedef void omreg_convert_f64_to_f32_fn(int nthreads, const double *x, size_t n, float *out);
/* acc[v] += inc[v] for v < n, in the element type (numpy `a += b`: the SSD
 * V-cycle's displacement += upsampled, the EM metric's gradient sum) */
typedef void omreg_add_f64_fn(int nthreads, double *acc, const double *inc, size_t n);
typedef void omreg_add_f32_fn(int nthreads, float *acc, const float *inc, size_t n);
/* out[v] = (int)x[v] (truncation, numpy's astype(int32)) */
typedef void omreg_mask_to_i32_fn(int nthreads, const double *x, size_t n, int *out);
/* out[p] = A (pts[p], 1) for n points of dimension dim, A (dim+1)^2 row-major */
typedef void omreg_apply_affine_points_fn(int nthreads, const double *A, int dim, const double *pts,
                                          size_t n, double *out);

/* DIPY parzenhist.sample_domain_regular: m = n / k samples; sample i sits
 * at grid index i*k (C order) plus N(0, sigma^2) jitter per axis drawn from
 * the counter-based generator at (seed, i*dim + d), mapped to world by
 * grid2world. out is m x dim. */
typedef void omreg_sample_domain_regular_fn(int nthreads, int dim, const size_t *shape, size_t k,
                                            const double *grid2world, uint64_t seed, double sigma,
                                            size_t m, double *out);

#endif
