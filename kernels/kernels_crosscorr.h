/* Local cross-correlation (CC) kernels of DIPY 1.6 crosscorr.pyx: the five
 * per-voxel factors over a (2 radius + 1)^d window clipped to the grid
 * (precompute_cc_factors_{2,3}d, the sliding-window versions, and
 * precompute_cc_factors_{2,3}d_test, the brute-force versions) and the CC
 * steps with their energy (compute_cc_{forward,backward}_step_{2,3}d).
 * Images are C-ordered FLT grids; factors are (shape..., 5) FLT holding
 * {I - mean I, J - mean J, sum (I - mean I)(J - mean J), sum (I - mean I)^2,
 * sum (J - mean J)^2} over the window (I = static, J = moving); the window
 * sums themselves run in double, as DIPY's.
 *
 * Canonical reduction order of the step energy (DESIGN.md, contract item
 * 2): one block per grid row (one r in 2D, one (s, r) pair in 3D, so
 * omreg_cc_step_blocks() blocks); each block starts at 0 and subtracts its
 * voxels' local correlations left to right, block partials are added in
 * block order. DIPY subtracts every voxel from one running total. */
#ifndef OMREG_CORE_KERNELS_CROSSCORR_H
#define OMREG_CORE_KERNELS_CROSSCORR_H

#include <stddef.h>

/* values per voxel in a factors array */
#define OMREG_CC_NFACTORS ((size_t)5)

/* Doubles of one 2D line buffer (DIPY's lines[6, side] and sums[6]). */
static inline size_t omreg_cc_scratch_2d(size_t radius)
{
    return 6 * (2 * radius + 1) + 6;
}

/* Doubles of scratch of the 3D sliding-window kernel: two slabs of the five
 * window sums, DIPY's temp[2, nr, nc, 5], with at least two rows and two
 * columns (see precompute_cc_factors_3d below). */
static inline size_t omreg_cc_scratch_3d(const size_t shape[3])
{
    const size_t mr = shape[1] < 2 ? 2 : shape[1], mc = shape[2] < 2 ? 2 : shape[2];
    return 2 * OMREG_CC_NFACTORS * mr * mc;
}

/* Energy reduction blocks of a dim-D grid: its rows (all axes but the last). */
static inline size_t omreg_cc_step_blocks(int dim, const size_t *shape)
{
    return dim == 2 ? shape[0] : shape[0] * shape[1];
}

/* Sliding-window factors, 2D (DIPY precompute_cc_factors_2d): column by
 * column, a ring of 2 radius + 1 row sums over the column window, summed
 * afresh in ring order for every row, then decremented for the last radius
 * rows. Squares and products are taken in FLT (DIPY multiplies two
 * `floating` values) and accumulated in double. scratch holds nthreads
 * buffers of omreg_cc_scratch_2d(radius) doubles (the reference uses one,
 * the parallel kernel one per thread of its team of nthreads). Any radius: where radius exceeds
 * shape[0] DIPY writes outside its arrays; omreg keeps the ring's running
 * sums and writes only the rows that exist, which gives the clipped
 * windows. */
typedef void omreg_precompute_cc_factors_2d_f64_fn(int nthreads, const double *static_img,
                                                   const double *moving, const size_t shape[2],
                                                   size_t radius, double *scratch, double *factors);
typedef void omreg_precompute_cc_factors_2d_f32_fn(int nthreads, const float *static_img,
                                                   const float *moving, const size_t shape[2],
                                                   size_t radius, double *scratch, float *factors);

/* Sliding-window factors, 3D (DIPY precompute_cc_factors_3d, Ocegueda et
 * al. 2016): one sweep over (s, r, c) in [0, n + radius)^3 updating each
 * window sum from its three already-swept neighbours by inclusion-exclusion
 * plus the signed corner voxels, in two slabs whose rows and columns are
 * stored at (index - radius) wrapped around the low end. Squares and
 * products are taken in double. scratch: omreg_cc_scratch_3d(shape)
 * doubles; its contents on entry do not matter.
 * Where DIPY is defined and correct (radius <= every axis, shape[1] >= 2,
 * shape[2] >= 2) the arithmetic is DIPY's, bit for bit, including the
 * rounding contributed by the stale wrapped values it reads and cancels.
 * Elsewhere DIPY reads and writes outside temp (radius > an axis) or reads
 * the sum it is updating (one row or column: its results are wrong); omreg
 * wraps modulo max(n, 2) instead of adding n once, which is DIPY's mapping
 * in the defined cases and gives the clipped windows in all others. */
typedef void omreg_precompute_cc_factors_3d_f64_fn(int nthreads, const double *static_img,
                                                   const double *moving, const size_t shape[3],
                                                   size_t radius, double *scratch, double *factors);
typedef void omreg_precompute_cc_factors_3d_f32_fn(int nthreads, const float *static_img,
                                                   const float *moving, const size_t shape[3],
                                                   size_t radius, double *scratch, float *factors);

/* Brute-force factors (DIPY precompute_cc_factors_{2,3}d_test): every
 * window summed directly in row-major order, squares and products in FLT
 * (DIPY's `floating ** 2` and `floating * floating`). Any radius. */
typedef void omreg_precompute_cc_factors_brute_2d_f64_fn(int nthreads, const double *static_img,
                                                         const double *moving,
                                                         const size_t shape[2], size_t radius,
                                                         double *factors);
typedef void omreg_precompute_cc_factors_brute_2d_f32_fn(int nthreads, const float *static_img,
                                                         const float *moving, const size_t shape[2],
                                                         size_t radius, float *factors);
typedef void omreg_precompute_cc_factors_brute_3d_f64_fn(int nthreads, const double *static_img,
                                                         const double *moving,
                                                         const size_t shape[3], size_t radius,
                                                         double *factors);
typedef void omreg_precompute_cc_factors_brute_3d_f32_fn(int nthreads, const float *static_img,
                                                         const float *moving, const size_t shape[3],
                                                         size_t radius, float *factors);

/* CC steps (DIPY compute_cc_{forward,backward}_step_{2,3}d). At every voxel
 * x with radius <= x_d < shape_d - radius on every axis and sff, smm != 0:
 * lc = sfm^2 / (sff smm) (0 unless sff smm > 1e-5); forward: t = 2 sfm /
 * (sff smm) (Ji - sfm / sff Ii), out[x] = -t grad_static[x]; backward: t =
 * 2 sfm / (sff smm) (Ii - sfm / smm Ji), out[x] = -t grad_moving[x]; out is
 * 0 at every other voxel. *energy = -sum of lc over the voxels with lc < 1,
 * in the canonical block order above. grad and out are (shape..., dim)
 * fields. scratch: omreg_cc_step_blocks(dim, shape) doubles. */
typedef void omreg_compute_cc_forward_step_2d_f64_fn(int nthreads, const double *grad_static,
                                                     const double *factors, const size_t shape[2],
                                                     size_t radius, double *scratch, double *out,
                                                     double *energy);
typedef void omreg_compute_cc_backward_step_2d_f64_fn(int nthreads, const double *grad_moving,
                                                      const double *factors, const size_t shape[2],
                                                      size_t radius, double *scratch, double *out,
                                                      double *energy);
typedef void omreg_compute_cc_forward_step_2d_f32_fn(int nthreads, const float *grad_static,
                                                     const float *factors, const size_t shape[2],
                                                     size_t radius, double *scratch, float *out,
                                                     double *energy);
typedef void omreg_compute_cc_backward_step_2d_f32_fn(int nthreads, const float *grad_moving,
                                                      const float *factors, const size_t shape[2],
                                                      size_t radius, double *scratch, float *out,
                                                      double *energy);
typedef void omreg_compute_cc_forward_step_3d_f64_fn(int nthreads, const double *grad_static,
                                                     const double *factors, const size_t shape[3],
                                                     size_t radius, double *scratch, double *out,
                                                     double *energy);
typedef void omreg_compute_cc_backward_step_3d_f64_fn(int nthreads, const double *grad_moving,
                                                      const double *factors, const size_t shape[3],
                                                      size_t radius, double *scratch, double *out,
                                                      double *energy);
typedef void omreg_compute_cc_forward_step_3d_f32_fn(int nthreads, const float *grad_static,
                                                     const float *factors, const size_t shape[3],
                                                     size_t radius, double *scratch, float *out,
                                                     double *energy);
typedef void omreg_compute_cc_backward_step_3d_f32_fn(int nthreads, const float *grad_moving,
                                                      const float *factors, const size_t shape[3],
                                                      size_t radius, double *scratch, float *out,
                                                      double *energy);

#endif
