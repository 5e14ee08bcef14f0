/* Kernels of the SSD metric (DIPY 1.6 sumsqdiff.pyx) and of the multigrid
 * Gauss-Newton solver of metrics.py v_cycle_{2,3}d (Bruhn & Weickert 2005):
 * data energy sum_x delta[x]^2, the demons step, one Gauss-Seidel sweep of
 * the linear system (g g^T + sigmasq lambda L) u = b, its residual, and the
 * field addition of the V-cycle's coarse-grid correction.
 *
 * Arrays are C-ordered: scalars (shape...), fields (shape..., dim), all in
 * FLT. sigmasq NULL means DIPY's None (1 everywhere); target NULL means
 * b = delta * grad, and delta is read only then (it may be NULL when target
 * is given). The Gauss-Seidel sweep comes in two orders: red-black (first
 * every voxel with even i+j (+k), then every odd one) and DIPY's
 * lexicographic one (the _lex_ slots).
 *
 * Canonical reduction order (DESIGN.md, contract item 2): the block is one
 * grid row (one i in 2D, one (k, i) pair in 3D; omreg_ssd_rows() blocks).
 * Each block sums its voxels left to right from 0 and the block partials
 * are added to 0 in block order. */
#ifndef OMREG_CORE_KERNELS_SUMSQDIFF_H
#define OMREG_CORE_KERNELS_SUMSQDIFF_H

#include <stddef.h>

/* doubles of scratch per block (grid row) for every kernel of this file */
#define OMREG_SSD_SCRATCH_PER_ROW ((size_t)1)

/* Number of reduction blocks (grid rows) of a dim-D grid. */
static inline size_t omreg_ssd_rows(int dim, const size_t *shape)
{
    return dim == 2 ? shape[0] : shape[0] * shape[1];
}

/* *energy = sum_x delta[x]^2, each square rounded to FLT as DIPY's
 * `delta_field[r, c] ** 2` on `floating` elements, summed in double
 * (compute_energy_ssd_{2,3}d). */
typedef void omreg_compute_energy_ssd_2d_f64_fn(int nthreads, const double *delta,
                                                const size_t shape[2], double *scratch,
                                                double *energy);
typedef void omreg_compute_energy_ssd_2d_f32_fn(int nthreads, const float *delta,
                                                const size_t shape[2], double *scratch,
                                                double *energy);
typedef void omreg_compute_energy_ssd_3d_f64_fn(int nthreads, const double *delta,
                                                const size_t shape[3], double *scratch,
                                                double *energy);
typedef void omreg_compute_energy_ssd_3d_f32_fn(int nthreads, const float *delta,
                                                const size_t shape[3], double *scratch,
                                                double *energy);

/* Demons step (compute_ssd_demons_step_{2,3}d): with den = delta^2 /
 * sigma_sq_x + |grad|^2, out[x] = delta grad / den, or 0 where den < 1e-9;
 * *energy = sum_x delta^2 (squares in double here, as DIPY's `double
 * delta`). out must not overlap the inputs. */
typedef void omreg_compute_ssd_demons_step_2d_f64_fn(int nthreads, const double *delta,
                                                     const double *grad, const size_t shape[2],
                                                     double sigma_sq_x, double *out,
                                                     double *scratch, double *energy);
typedef void omreg_compute_ssd_demons_step_2d_f32_fn(int nthreads, const float *delta,
                                                     const float *grad, const size_t shape[2],
                                                     double sigma_sq_x, float *out, double *scratch,
                                                     double *energy);
typedef void omreg_compute_ssd_demons_step_3d_f64_fn(int nthreads, const double *delta,
                                                     const double *grad, const size_t shape[3],
                                                     double sigma_sq_x, double *out,
                                                     double *scratch, double *energy);
typedef void omreg_compute_ssd_demons_step_3d_f32_fn(int nthreads, const float *delta,
                                                     const float *grad, const size_t shape[3],
                                                     double sigma_sq_x, float *out, double *scratch,
                                                     double *energy);

/* One Gauss-Seidel sweep over disp, in place
 * (iterate_residual_displacement_field_ssd_{2,3}d): each voxel is set to
 * the solution of its own row of the system given its 4 (6) neighbours'
 * current values, with DIPY's special cases (sigmasq = inf: the neighbour
 * mean; small determinant / sigmasq < 1e-9 (3D): b / |g|^2). *max_step =
 * sqrt(max over updated voxels of |old - new|^2), over the voxels DIPY
 * tracks. DIPY sweeps in raster order, each voxel reading its already
 * updated upper/left neighbours; omreg sweeps red-black (all even-parity
 * voxels, then all odd ones), so every update reads values that no
 * concurrent update writes and the result does not depend on the thread
 * count. The per-voxel arithmetic is DIPY's, except in 3D when the 3x3
 * solve is singular: DIPY then stores the previous voxel's stale solution,
 * omreg the b / |g|^2 fallback DIPY computes and discards. DIPY's
 * raster order is the _lex_ slot below. */
typedef void omreg_iterate_residual_displacement_field_ssd_2d_f64_fn(
    int nthreads, const double *delta, const double *sigmasq, const double *grad,
    const double *target, const size_t shape[2], double lambda, double *disp, double *scratch,
    double *max_step);
typedef void omreg_iterate_residual_displacement_field_ssd_2d_f32_fn(
    int nthreads, const float *delta, const float *sigmasq, const float *grad, const float *target,
    const size_t shape[2], double lambda, float *disp, double *scratch, double *max_step);
typedef void omreg_iterate_residual_displacement_field_ssd_3d_f64_fn(
    int nthreads, const double *delta, const double *sigmasq, const double *grad,
    const double *target, const size_t shape[3], double lambda, double *disp, double *scratch,
    double *max_step);
typedef void omreg_iterate_residual_displacement_field_ssd_3d_f32_fn(
    int nthreads, const float *delta, const float *sigmasq, const float *grad, const float *target,
    const size_t shape[3], double lambda, float *disp, double *scratch, double *max_step);

/* Residual of the system at disp (compute_residual_displacement_field_ssd_
 * {2,3}d): residual[x] = b - (g (g . disp[x]) + sigmasq lambda sum_nb
 * (disp[x] - disp[nb])), or -lambda sum_nb (...) where sigmasq = inf.
 * When sqnorm is not NULL, *sqnorm = sum_x |residual[x]|^2 (components
 * widened to double) in canonical order, using scratch; otherwise scratch
 * may be NULL. residual must not overlap the inputs. */
typedef void omreg_compute_residual_displacement_field_ssd_2d_f64_fn(
    int nthreads, const double *delta, const double *sigmasq, const double *grad,
    const double *target, const size_t shape[2], double lambda, const double *disp,
    double *residual, double *scratch, double *sqnorm);
typedef void omreg_compute_residual_displacement_field_ssd_2d_f32_fn(
    int nthreads, const float *delta, const float *sigmasq, const float *grad, const float *target,
    const size_t shape[2], double lambda, const float *disp, float *residual, double *scratch,
    double *sqnorm);
typedef void omreg_compute_residual_displacement_field_ssd_3d_f64_fn(
    int nthreads, const double *delta, const double *sigmasq, const double *grad,
    const double *target, const size_t shape[3], double lambda, const double *disp,
    double *residual, double *scratch, double *sqnorm);
typedef void omreg_compute_residual_displacement_field_ssd_3d_f32_fn(
    int nthreads, const float *delta, const float *sigmasq, const float *grad, const float *target,
    const size_t shape[3], double lambda, const float *disp, float *residual, double *scratch,
    double *sqnorm);

/* DIPY's own order (iterate_residual_displacement_field_ssd_{2,3}d): a
 * lexicographic (raster-order) sweep, each voxel reading its already
 * updated lower-index neighbours and the old values of the others; the
 * per-voxel arithmetic is the red-black slot's (the same singular-solve
 * fallback b / |g|^2, which is also what DIPY's test oracle computes).
 * The order is serial by definition, but it parallelises along wavefronts
 * without changing a bit (see parallel/sumsqdiff.c). *max_step as above
 * (a maximum: exact in any order). scratch: omreg_ssd_rows() doubles.
 * nthreads (>= 1) bounds the parallel team; the reference ignores it. */
typedef void omreg_iterate_residual_displacement_field_ssd_lex_2d_f64_fn(
    int nthreads, const double *delta, const double *sigmasq, const double *grad,
    const double *target, const size_t shape[2], double lambda, double *disp, double *scratch,
    double *max_step);
typedef void omreg_iterate_residual_displacement_field_ssd_lex_2d_f32_fn(
    int nthreads, const float *delta, const float *sigmasq, const float *grad,
    const float *target, const size_t shape[2], double lambda, float *disp, double *scratch,
    double *max_step);
typedef void omreg_iterate_residual_displacement_field_ssd_lex_3d_f64_fn(
    int nthreads, const double *delta, const double *sigmasq, const double *grad,
    const double *target, const size_t shape[3], double lambda, double *disp, double *scratch,
    double *max_step);
typedef void omreg_iterate_residual_displacement_field_ssd_lex_3d_f32_fn(
    int nthreads, const float *delta, const float *sigmasq, const float *grad,
    const float *target, const size_t shape[3], double lambda, float *disp, double *scratch,
    double *max_step);

/* Not a table slot: DIPY 1.6's 3D sweep bit for bit, including its bug at
 * a singular 3x3 solve (it stores the stale solution `d` of the last
 * solved voxel of this call, starting at 0, instead of the fallback). That
 * state runs through the whole raster order, so this port is serial only;
 * the golden test checks it against DIPY's output (and V-cycles run on a
 * copy of the reference table with it in the _lex_ slot). nthreads and
 * scratch are unused (scratch may be NULL). */
omreg_iterate_residual_displacement_field_ssd_lex_3d_f64_fn
    omreg_ref_iterate_residual_displacement_field_ssd_stale_3d_f64;
omreg_iterate_residual_displacement_field_ssd_lex_3d_f32_fn
    omreg_ref_iterate_residual_displacement_field_ssd_stale_3d_f32;

#endif
