/* Displacement-field kernels of DIPY vector_fields.pyx: composition
 * (_compose_vector_fields_{2,3}d), one fixed-point inversion iteration split
 * in its residual and step passes (invert_vector_field_fixed_point_{2,3}d),
 * simplification (simplify_warp_function_{2,3}d) and reorientation
 * (reorient_vector_field_{2,3}d). Fields are C-ordered (shape..., dim) in
 * FLT; affines are (dim+1)x(dim+1) row-major doubles of which only the first
 * dim rows are read, NULL meaning DIPY's None.
 *
 * Canonical reduction order (DESIGN.md, contract item 2): the block is one
 * grid row, i.e. one i in 2D and one (k, i) pair in 3D, so a field has
 * omreg_vf_rows() blocks. Each block sums its voxels left to right from 0;
 * block partials are combined in block order. */
#ifndef OMREG_CORE_KERNELS_VECTOR_FIELDS_H
#define OMREG_CORE_KERNELS_VECTOR_FIELDS_H

#include <stddef.h>

/* doubles of scratch per block */
#define OMREG_COMPOSE_SCRATCH_PER_ROW ((size_t)4)
#define OMREG_INVERT_SCRATCH_PER_ROW ((size_t)2)

/* Number of reduction blocks (grid rows) of a dim-D grid: all axes but the
 * last. */
static inline size_t omreg_vf_rows(int dim, const size_t *shape)
{
    return dim == 2 ? shape[0] : shape[0] * shape[1];
}

/* comp[x] = d1[x] + t * d2(A x + B d1[x]) where d2 is interpolated
 * linearly and every corner lies in d2's grid, else comp[x] = 0; A =
 * premult_index, B = premult_disp (its translation is ignored, as for any
 * vector). comp has d1's shape and may be d1 itself (each voxel reads d1
 * only at x, before writing comp[x]); it must not overlap d2.
 * With nn = |comp[x]|^2 (summed in FLT, as DIPY's `floating` squares) over
 * the n_in voxels where comp was computed: stats = {sqrt(max nn),
 * sqrt(mean nn), sqrt(mean nn^2 - mean^2)}, NaN mean/std when n_in = 0.
 * scratch holds OMREG_COMPOSE_SCRATCH_PER_ROW * omreg_vf_rows(d1) doubles. */
typedef void omreg_compose_vector_fields_2d_f64_fn(int nthreads, const double *d1,
                                                   const size_t shape1[2], const double *d2,
                                                   const size_t shape2[2],
                                                   const double *premult_index,
                                                   const double *premult_disp, double time_scaling,
                                                   double *comp, double *scratch, double stats[3]);
typedef void omreg_compose_vector_fields_2d_f32_fn(int nthreads, const float *d1,
                                                   const size_t shape1[2], const float *d2,
                                                   const size_t shape2[2],
                                                   const double *premult_index,
                                                   const double *premult_disp, double time_scaling,
                                                   float *comp, double *scratch, double stats[3]);
typedef void omreg_compose_vector_fields_3d_f64_fn(int nthreads, const double *d1,
                                                   const size_t shape1[3], const double *d2,
                                                   const size_t shape2[3],
                                                   const double *premult_index,
                                                   const double *premult_disp, double time_scaling,
                                                   double *comp, double *scratch, double stats[3]);
typedef void omreg_compose_vector_fields_3d_f32_fn(int nthreads, const float *d1,
                                                   const size_t shape1[3], const float *d2,
                                                   const size_t shape2[3],
                                                   const double *premult_index,
                                                   const double *premult_disp, double time_scaling,
                                                   float *comp, double *scratch, double stats[3]);

/* Inversion residual: q = compose(p, d, None, d_world2grid, 1.0) (as
 * above, no stats) and, with |q[x]| = sqrt(sum_c (q[x]_c / spacing_c)^2),
 * out[0] = sum_x |q[x]| (canonical order), out[1] = max_x |q[x]| (0 when
 * every |q[x]| is 0). p, d and q all have `shape`. d_world2grid may be
 * NULL (identity). scratch holds OMREG_INVERT_SCRATCH_PER_ROW *
 * omreg_vf_rows(shape) doubles. */
typedef void omreg_invert_vector_field_residual_2d_f64_fn(
    int nthreads, const double *d, const size_t shape[2], const double *d_world2grid,
    const double spacing[2], const double *p, double *q, double *scratch, double out[2]);
typedef void omreg_invert_vector_field_residual_2d_f32_fn(int nthreads, const float *d,
                                                          const size_t shape[2],
                                                          const double *d_world2grid,
                                                          const double spacing[2], const float *p,
                                                          float *q, double *scratch, double out[2]);
typedef void omreg_invert_vector_field_residual_3d_f64_fn(
    int nthreads, const double *d, const size_t shape[3], const double *d_world2grid,
    const double spacing[3], const double *p, double *q, double *scratch, double out[2]);
typedef void omreg_invert_vector_field_residual_3d_f32_fn(int nthreads, const float *d,
                                                          const size_t shape[3],
                                                          const double *d_world2grid,
                                                          const double spacing[3], const float *p,
                                                          float *q, double *scratch, double out[2]);

/* Inversion step: p[x] -= s * q[x] with s = epsilon * maxlen / |q[x]| where
 * |q[x]| > maxlen, else s = epsilon (|q[x]| recomputed as in the residual). */
typedef void omreg_invert_vector_field_step_2d_f64_fn(int nthreads, const size_t shape[2],
                                                      const double spacing[2], double epsilon,
                                                      double maxlen, const double *q, double *p);
typedef void omreg_invert_vector_field_step_2d_f32_fn(int nthreads, const size_t shape[2],
                                                      const double spacing[2], double epsilon,
                                                      double maxlen, const float *q, float *p);
typedef void omreg_invert_vector_field_step_3d_f64_fn(int nthreads, const size_t shape[3],
                                                      const double spacing[3], double epsilon,
                                                      double maxlen, const double *q, double *p);
typedef void omreg_invert_vector_field_step_3d_f32_fn(int nthreads, const size_t shape[3],
                                                      const double spacing[3], double epsilon,
                                                      double maxlen, const float *q, float *p);

/* out[x] = W d(U x) + V x - x for every voxel x of the out_shape grid, with
 * U = affine_idx_in, V = affine_idx_out, W = affine_disp. d(U x) is the
 * linear interpolation, partial sums included where some corners are
 * missing (DIPY ignores the inside flag here); U NULL reads d[x] directly,
 * so d_shape must then equal out_shape; V NULL drops the V x - x term. */
typedef void omreg_simplify_warp_function_2d_f64_fn(int nthreads, const double *d,
                                                    const size_t d_shape[2],
                                                    const double *affine_idx_in,
                                                    const double *affine_idx_out,
                                                    const double *affine_disp,
                                                    const size_t out_shape[2], double *out);
typedef void omreg_simplify_warp_function_2d_f32_fn(
    int nthreads, const float *d, const size_t d_shape[2], const double *affine_idx_in,
    const double *affine_idx_out, const double *affine_disp, const size_t out_shape[2], float *out);
typedef void omreg_simplify_warp_function_3d_f64_fn(int nthreads, const double *d,
                                                    const size_t d_shape[3],
                                                    const double *affine_idx_in,
                                                    const double *affine_idx_out,
                                                    const double *affine_disp,
                                                    const size_t out_shape[3], double *out);
typedef void omreg_simplify_warp_function_3d_f32_fn(
    int nthreads, const float *d, const size_t d_shape[3], const double *affine_idx_in,
    const double *affine_idx_out, const double *affine_disp, const size_t out_shape[3], float *out);

/* In place: d[x] = A (d[x], 0) for every voxel; affine must not be NULL. */
typedef void omreg_reorient_vector_field_2d_f64_fn(int nthreads, double *d, const size_t shape[2],
                                                   const double *affine);
typedef void omreg_reorient_vector_field_2d_f32_fn(int nthreads, float *d, const size_t shape[2],
                                                   const double *affine);
typedef void omreg_reorient_vector_field_3d_f64_fn(int nthreads, double *d, const size_t shape[3],
                                                   const double *affine);
typedef void omreg_reorient_vector_field_3d_f32_fn(int nthreads, float *d, const size_t shape[3],
                                                   const double *affine);

#endif
