/* Per-voxel helpers of the SyN driver (DIPY 1.6 imwarp.py, metrics.py,
 * scalespace.py as SymmetricDiffeomorphicRegistration runs them on
 * float32 images): the numpy expressions between the big kernels, each
 * with numpy's rounding (float32 arithmetic where numpy computes in
 * float32, double where it promotes). n counts voxels (scalars) or
 * values (fields: voxels * dim), as stated per kernel.
 *
 * Reductions (range, maximum norm) are exact (min/max), so block order
 * cannot change them; they still run per OMREG_REDUCE_BLOCK block into
 * caller-provided scratch, combined in block order. */
#ifndef OMREG_CORE_KERNELS_SYN_POINTWISE_H
#define OMREG_CORE_KERNELS_SYN_POINTWISE_H

#include <stddef.h>

/* out = {min, max, number of NaN values} of x (NaN values are skipped by
 * min and max; {+inf, -inf} when n == 0 or every value is NaN). scratch
 * holds 3 * omreg_reduce_blocks(n) doubles. */
typedef void omreg_syn_range_f32_fn(int nthreads, const float *x, size_t n, double *scratch,
                                    double out[3]);
/* out[v] = a[v] - b[v] in float32; out may be a or b */
typedef void omreg_syn_subtract_f32_fn(int nthreads, const float *a, const float *b, size_t n,
                                       float *out);
/* out[v] = table[labels[v]] (numpy fancy indexing means[labels]) */
typedef void omreg_syn_gather_f32_fn(int nthreads, const float *table, const int *labels, size_t n,
                                     float *out);
/* out[v] = x[v] > 0 ((image > 0).astype(int32)) */
typedef void omreg_syn_positive_mask_f32_fn(int nthreads, const float *x, size_t n, int *out);
/* out[v] = a[v] * b[v] (int32 masks); out may be a or b */
typedef void omreg_syn_multiply_i32_fn(int nthreads, const int *a, const int *b, size_t n,
                                       int *out);
/* f[v*dim + c] = (float)((double)f[v*dim + c] / spacing[c]) for nvox
 * voxels of a dim-component field (numpy: float32 field /= float64
 * spacing array, computed in double) */
typedef void omreg_syn_divide_spacing_f32_fn(int nthreads, float *f, size_t nvox, int dim,
                                             const double *spacing);
/* Zero every vector of a field (shape..., dim) on the first and last
 * index of every axis (imwarp's __set_no_boundary_displacement). */
typedef void omreg_syn_zero_boundary_f32_fn(int nthreads, float *f, int dim, const size_t *shape);
/* out = max over nvox voxels of sqrt(sum_c ((double)f[v*dim+c] /
 * spacing[c])^2), components summed in order c = 0, 1, 2 in double
 * (np.sqrt(np.sum((step / spacing)**2, -1)).max()); -inf when nvox == 0;
 * NaN when any norm is NaN. scratch holds omreg_reduce_blocks(nvox)
 * doubles. */
typedef void omreg_syn_max_norm_f32_fn(int nthreads, const float *f, size_t nvox, int dim,
                                       const double *spacing, double *scratch, double *out);
/* x[v] = x[v] / divisor in float32 (numpy: float32 array /= float64
 * scalar casts the scalar to float32 first); n values */
typedef void omreg_syn_scale_f32_fn(int nthreads, float *x, size_t n, float divisor);

#endif
