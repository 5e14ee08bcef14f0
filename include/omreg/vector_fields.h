/* Displacement-field operations of DIPY 1.6 dipy/align/vector_fields.pyx:
 * composition, fixed-point inversion, simplification of a warp with its
 * affines, and reorientation. Fields are omreg_image displacement fields
 * (ncomp = ndim, float32 or float64) in grid units of their own grid;
 * affines are (ndim+1)x(ndim+1) row-major, NULL meaning DIPY's None. As in
 * DIPY, only finite entries are required of these affines (none of them is
 * inverted) and only their first ndim rows are read. */
#ifndef OMREG_VECTOR_FIELDS_H
#define OMREG_VECTOR_FIELDS_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Compose d1 and d2 (DIPY compose_vector_fields_{2,3}d): for every voxel
 * x of d1's grid, comp[x] = d1[x] + time_scaling * d2(A x + B d1[x]) with
 * A = premult_index, B = premult_disp (vectors: B's translation is
 * ignored) and d2 interpolated linearly; comp[x] = 0 where some
 * interpolation corner falls outside d2. comp is the caller's field of
 * d1's ndim, shape and dtype; it may be d1 itself (in-place update, as
 * DIPY's SyN does) but must not overlap d2 or overlap d1 partially. d2 may
 * have any shape of the same ndim and dtype. The grid2world affines of the
 * images are not used. When stats is not NULL it receives, over the voxels
 * where comp was computed and with nn = |comp[x]|^2, {sqrt(max nn),
 * sqrt(mean nn), sqrt(mean nn^2 - mean nn^2)}; the sums run in omreg's
 * canonical order (per grid row, rows in order), so the last two can
 * differ from DIPY's serial sums in the last bits; with no such voxel they
 * are NaN as in DIPY. Returns OMREG_EINVAL (NULL backend, d1, d2 or comp;
 * comp overlapping d2 or partially d1), OMREG_ESHAPE (not fields;
 * ndim, dtype or comp shape mismatch), OMREG_ENONFINITE (non-finite
 * affine entry or time_scaling) or OMREG_ENOMEM; comp and stats are
 * untouched on failure. */
OMREG_API omreg_status omreg_compose_vector_fields(const omreg_backend *backend,
                                                   const omreg_image *d1, const omreg_image *d2,
                                                   const double *premult_index,
                                                   const double *premult_disp, double time_scaling,
                                                   omreg_image *comp, double stats[3]);

/** What omreg_invert_vector_field_fixed_point did: the iterations run and
 * the last inversion error (mean over voxels of |q[x]| in voxel units,
 * q = p o d the residual of the iteration; 1 + tolerance when no iteration
 * ran). */
typedef struct omreg_invert_info {
    int iterations;
    double error;
} omreg_invert_info;

/** Invert the displacement field d by DIPY's fixed-point iteration
 * (invert_vector_field_fixed_point_{2,3}d, Chen et al. 2008). Starting
 * from p = start (or 0), each iteration computes q = p o d =
 * compose(p, d, NULL, d_world2grid, 1), the norms |q[x]| =
 * sqrt(sum_c (q[x]_c / spacing_c)^2), error = their mean and difmag =
 * their maximum, then p[x] -= s q[x] with s = eps where |q[x]| <= eps *
 * difmag and s = eps^2 difmag / |q[x]| elsewhere (eps = 0.75 at the first
 * iteration, 0.5 after). It runs while iterations < max_iter and
 * tolerance < error and, in 3D only (as DIPY), 0.1 < difmag. The error
 * sum runs in omreg's canonical order (per grid row), so the stopping test
 * can differ from DIPY's serial sum only when error is within rounding of
 * tolerance. d_world2grid may be NULL (identity); spacing has ndim
 * positive entries. On success *out is a new field of d's ndim, shape,
 * dtype and grid2world, owned by the caller (omreg_image_free), and *info
 * (when not NULL) is filled. Returns OMREG_EINVAL (NULL backend, d,
 * spacing or out; max_iter < 0; a spacing <= 0), OMREG_ESHAPE (not a
 * field; start's ndim, shape or dtype differs from d's), OMREG_ENONFINITE
 * (non-finite d_world2grid, spacing or tolerance) or OMREG_ENOMEM; *out
 * and *info are untouched on failure. */
OMREG_API omreg_status omreg_invert_vector_field_fixed_point(const omreg_backend *backend,
    const omreg_image *d, const double *d_world2grid, const double *spacing, int max_iter,
    double tolerance, const omreg_image *start, omreg_image **out, omreg_invert_info *info);

/** Fold affines into a displacement field (DIPY
 * simplify_warp_function_{2,3}d): for every voxel x of a grid of out_shape
 * (ndim entries), out[x] = W d(U x) + V x - x with U = affine_idx_in,
 * V = affine_idx_out, W = affine_disp. d(U x) is the linear interpolation
 * of d including DIPY's partial sums where some corners are outside d (and
 * 0 where the point is entirely outside). U NULL reads d[x] directly, so
 * out_shape must then equal d's shape (DIPY would read past d); V NULL
 * drops the V x - x term; W NULL leaves the displacement as is. On success
 * *out is a new field of d's dtype on out_shape with the identity
 * grid2world, owned by the caller. Returns OMREG_EINVAL (NULL backend, d,
 * out_shape or out), OMREG_ESHAPE (d not a field; an out_shape axis is 0;
 * out_shape differs from d's shape while affine_idx_in is NULL),
 * OMREG_EOVERFLOW (output size), OMREG_ENONFINITE (non-finite affine
 * entry) or OMREG_ENOMEM; *out is untouched on failure. */
OMREG_API omreg_status omreg_simplify_warp_function(const omreg_backend *backend,
                                                    const omreg_image *d,
                                                    const double *affine_idx_in,
                                                    const double *affine_idx_out,
                                                    const double *affine_disp,
                                                    const size_t *out_shape, omreg_image **out);

/** Multiply every vector of d by the linear part of affine, in place (DIPY
 * reorient_vector_field_{2,3}d: d[x] = A (d[x], 0)). affine NULL is a
 * no-op, as DIPY's None. Returns OMREG_EINVAL (NULL backend or d),
 * OMREG_ESHAPE (d not a field) or OMREG_ENONFINITE (non-finite affine
 * entry); d is untouched on failure. */
OMREG_API omreg_status omreg_reorient_vector_field(const omreg_backend *backend, omreg_image *d,
                                                   const double *affine);

#ifdef __cplusplus
}
#endif
#endif
