/* The sum-of-squared-differences metric of DIPY 1.6 (dipy/align
 * sumsqdiff.pyx and the SSDMetric / v_cycle_{2,3}d of metrics.py): data
 * energy, the demons step, and the multigrid Gauss-Seidel solver of the
 * Gauss-Newton system (Bruhn & Weickert 2005)
 *     (g g^T + sigmasq lambda L) u = b,   b = delta g (or a given target),
 * where L is the 4- (6-) neighbour graph Laplacian. All images of one call
 * share ndim, spatial shape and dtype (float32 or float64): delta and
 * sigmasq are scalar images, gradient, target and displacements are
 * fields (ncomp = ndim); grid2world affines are not used. sigmasq NULL is
 * DIPY's None (1 everywhere; inf and 0 entries get DIPY's special cases);
 * target NULL means b = delta * gradient.
 *
 * Sums (energies, the residual norm) run in omreg's canonical order (per
 * grid row, rows in order), so they can differ from DIPY's serial sums in
 * the last bits. The Gauss-Seidel sweep has two orders (omreg_ssd_order):
 * DIPY's lexicographic (raster) order, which the parallel backend runs
 * along wavefronts with the same bits, and red-black (even i+j(+k) voxels
 * first, then odd ones). Both solve the same system: after one V-cycle
 * (SyN's use) they differ by about 2% of the solution, the size of the
 * error the cycle leaves, and repeated cycles converge to the same
 * solution (measured in tests/test_unit_sumsqdiff.c). Voxel values are
 * not checked for finiteness (sigmasq may hold inf by design). */
#ifndef OMREG_SUMSQDIFF_H
#define OMREG_SUMSQDIFF_H

#include "omreg/export.h"

#include <stdbool.h>
#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The order of a Gauss-Seidel sweep. Per voxel both use DIPY's
 * arithmetic, with one exception in 3D: where the 3x3 solve is singular
 * omreg stores DIPY's fallback b / |g|^2 (what DIPY's own test oracle
 * computes), while DIPY 1.6's kernel stores the previous voxel's stale
 * solution (its bug). */
typedef enum omreg_ssd_order {
    OMREG_SSD_ORDER_LEXICOGRAPHIC = 0, /* DIPY's raster order: each voxel reads its
                                          lower-index neighbours' new values */
    OMREG_SSD_ORDER_RED_BLACK = 1,     /* even i+j(+k) voxels, then odd ones */
    OMREG_SSD_ORDER_COUNT
} omreg_ssd_order;

/** Parse "lexicographic" (or "dipy") / "red-black" (case-insensitive).
 * Returns OMREG_EINVAL (output untouched) for anything else. */
OMREG_API omreg_status omreg_ssd_order_from_name(const char *name, omreg_ssd_order *order);

/** Deepest V-cycle omreg_ssd_v_cycle accepts (levels below the finest). */
#define OMREG_SSD_MAX_LEVELS 32

/** DIPY solve_2d_symmetric_positive_definite: solve [[A0, A1], [A1, A2]] x
 * = y by back substitution, det being the matrix's determinant (given by
 * the caller, as in DIPY; nothing is checked). Returns OMREG_EINVAL when a
 * pointer is NULL; out is untouched then. */
OMREG_API omreg_status omreg_solve_2d_symmetric_positive_definite(const double A[3],
    const double y[2], double det, double out[2]);

/** DIPY solve_3d_symmetric_positive_definite: solve (g g^T + tau I) x = y.
 * *is_singular = 1 when a pivot falls below 1e-9 (out untouched, as DIPY),
 * else 0 and out = x. Returns OMREG_EINVAL when a pointer is NULL. */
OMREG_API omreg_status omreg_solve_3d_symmetric_positive_definite(const double g[3],
    const double y[3], double tau, double out[3], int *is_singular);

/** SSD data energy sum_x delta[x]^2 (DIPY compute_energy_ssd_{2,3}d; each
 * square rounded to delta's dtype, summed in double in canonical order).
 * Returns OMREG_EINVAL (NULL backend, delta or energy), OMREG_ESHAPE
 * (delta is a field) or OMREG_ENOMEM; *energy is untouched on failure. */
OMREG_API omreg_status omreg_ssd_energy(const omreg_backend *backend, const omreg_image *delta,
                                        double *energy);

/** Demons step (DIPY compute_ssd_demons_step_{2,3}d): out[x] = delta g /
 * (delta^2 / sigma_sq_x + |g|^2), 0 where that denominator is below 1e-9;
 * *energy (when not NULL) = sum_x delta^2 in double. out is the caller's
 * field, which must not overlap delta or gradient. Returns OMREG_EINVAL
 * (NULL backend, delta, gradient or out; overlap; sigma_sq_x <= 0),
 * OMREG_ESHAPE (kinds, ndim, shape or dtype mismatch), OMREG_ENONFINITE
 * (sigma_sq_x) or OMREG_ENOMEM; out and *energy are untouched on failure. */
OMREG_API omreg_status omreg_ssd_demons_step(const omreg_backend *backend, const omreg_image *delta,
                                             const omreg_image *gradient, double sigma_sq_x,
                                             omreg_image *out, double *energy);

/** One Gauss-Seidel sweep over disp in the given order, in place (DIPY
 * iterate_residual_displacement_field_ssd_{2,3}d with
 * OMREG_SSD_ORDER_LEXICOGRAPHIC): *max_step (when not NULL) = the largest
 * change |old - new| of a voxel DIPY tracks. disp must not overlap the
 * other images. Returns OMREG_EINVAL (NULL backend, delta, gradient or
 * disp; overlap; lambda < 0; unknown order), OMREG_ESHAPE,
 * OMREG_ENONFINITE (lambda) or OMREG_ENOMEM; disp is untouched on
 * failure. */
OMREG_API omreg_status omreg_ssd_iterate_residual_displacement_field(const omreg_backend *backend,
    omreg_ssd_order order, const omreg_image *delta, const omreg_image *sigmasq,
    const omreg_image *gradient, const omreg_image *target, double lambda, omreg_image *disp,
    double *max_step);

/** Residual of the system at disp (DIPY
 * compute_residual_displacement_field_ssd_{2,3}d) into the caller's field
 * residual (which must not overlap the inputs); *sqnorm (when not NULL) =
 * sum_x |residual[x]|^2 in canonical order. Returns OMREG_EINVAL,
 * OMREG_ESHAPE, OMREG_ENONFINITE or OMREG_ENOMEM as above; residual is
 * untouched on failure. */
OMREG_API omreg_status omreg_ssd_compute_residual_displacement_field(const omreg_backend *backend,
    const omreg_image *delta, const omreg_image *sigmasq, const omreg_image *gradient,
    const omreg_image *target, double lambda, const omreg_image *disp, omreg_image *residual,
    double *sqnorm);

/** Buffers of a V-cycle: the coarse grids' right-hand sides, gradients,
 * variances and displacements plus one finest-size temporary. Create it
 * once per grid and reuse it across calls (SyN calls the solver twice per
 * iteration). */
typedef struct omreg_ssd_workspace omreg_ssd_workspace;

/** Workspace for V-cycles of up to `levels` levels below a finest grid of
 * ndim dimensions, `shape` and dtype, with room for a variance field when
 * with_sigmasq. *out is set only on success; free with
 * omreg_ssd_workspace_free. Returns OMREG_EINVAL (NULL out or shape; ndim
 * not 2 or 3; levels outside [0, OMREG_SSD_MAX_LEVELS]), OMREG_ESHAPE (a
 * zero axis), OMREG_EOVERFLOW or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_ssd_workspace_create(omreg_ssd_workspace **out, int ndim,
                                                  const size_t *shape, omreg_dtype dtype,
                                                  int levels, bool with_sigmasq);

/** Free a workspace; NULL is a no-op. */
OMREG_API void omreg_ssd_workspace_free(omreg_ssd_workspace *workspace);

/** One multigrid V-cycle (DIPY metrics.v_cycle_{2,3}d) from disp, in
 * place: k sweeps in the given order (DIPY's: lexicographic), then
 * (n > 0) the residual is restricted to the half-size grid
 * (downsample_displacement_field; gradient and sigmasq
 * by downsample_{displacement,scalar}_field), a V-cycle of n - 1 levels
 * with lambda / 4 solves for the correction from zero, which is
 * prolonged back (resample_displacement_field, factors 1/2) and added,
 * then k more sweeps. *energy (when not NULL) = omreg_ssd_energy(delta),
 * as DIPY returns. workspace may be NULL (allocated for this call) or one
 * created for delta's ndim, shape and dtype with levels >= n and, when
 * sigmasq is given, with_sigmasq. SSDMetric's Gauss-Newton step is
 * n = levels below, k = inner_iter (10), lambda = smooth (4), sigmasq and
 * target NULL, disp zero, DIPY's order. DIPY allocates the coarse displacement as
 * float32 (so its float64 V-cycle fails); omreg keeps disp's dtype at
 * every level, and skips DIPY's coarse copies of delta, which only feed
 * energies it discards. Returns OMREG_EINVAL (NULL backend, delta,
 * gradient or disp; overlap; n outside [0, OMREG_SSD_MAX_LEVELS]; k < 0;
 * lambda < 0; unknown order; an unsuitable workspace), OMREG_ESHAPE, OMREG_ENONFINITE
 * (lambda), OMREG_EOVERFLOW or OMREG_ENOMEM; disp is untouched on
 * failure. */
OMREG_API omreg_status omreg_ssd_v_cycle(const omreg_backend *backend, omreg_ssd_order order,
                                         int n, int k,
                                         const omreg_image *delta, const omreg_image *sigmasq,
                                         const omreg_image *gradient, const omreg_image *target,
                                         double lambda, omreg_image *disp,
                                         omreg_ssd_workspace *workspace, double *energy);

#ifdef __cplusplus
}
#endif
#endif
