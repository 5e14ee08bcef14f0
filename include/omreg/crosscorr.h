/* The local cross-correlation (CC) metric's kernels of DIPY 1.6
 * dipy/align/crosscorr.pyx (Avants et al. 2008): the five factors of every
 * voxel's (2 radius + 1)^ndim window, clipped to the grid, and the CC
 * forward and backward steps with the CC energy. static and moving are
 * scalar images of one ndim (2 or 3), shape and dtype (float32 or float64;
 * DIPY's SyN uses float32); their grid2world affines are not used. Voxel
 * values are not checked: NaN and Inf propagate as in DIPY.
 *
 * A factors array holds voxels x 5 values of the images' dtype, voxel-major
 * in C order: {I - mean I, J - mean J, sum (I - mean I)(J - mean J),
 * sum (I - mean I)^2, sum (J - mean J)^2} over the window (I static, J
 * moving), the window sums taken in double.
 *
 * DIPY's kernels are defined for radius <= every axis (2D: radius <= the
 * first axis) and its 3D sliding windows are wrong on grids with one row or
 * one column; omreg computes the clipped windows for every radius and shape
 * and matches DIPY bit for bit wherever DIPY is defined and correct (see
 * kernels/kernels_crosscorr.h). DIPY's CCMetric itself requires every axis to
 * be at least 2 radius + 1. */
#ifndef OMREG_CROSSCORR_H
#define OMREG_CROSSCORR_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest radius the CC entry points accept. */
#define OMREG_CC_MAX_RADIUS ((size_t)65535)

/** How omreg_cc_precompute_factors sums the windows. */
typedef enum omreg_cc_method {
    /** DIPY precompute_cc_factors_{2,3}d: sliding windows, O(1) per voxel. */
    OMREG_CC_SLIDING = 0,
    /** DIPY precompute_cc_factors_{2,3}d_test: every window summed directly,
     * O(window) per voxel; the cross-check of the sliding windows. */
    OMREG_CC_BRUTE_FORCE = 1,
    /** Beyond DIPY (SyN fast mode): the same clipped windows and counts,
     * each window sum a separable box sum along axis 0, then 1 (then 2),
     * in double; parallel over slabs (rows in 2D). Not DIPY's bits: its
     * factors differ from the sliding windows' by rounding only. */
    OMREG_CC_BOX_SUMS = 2
} omreg_cc_method;

/** CC factors of static_img and moving_img over windows of the given radius
 * (DIPY precompute_cc_factors_{2,3}d[_test]). On success *factors is a new
 * array of omreg_image_voxels(static_img) * 5 values of the images' dtype,
 * owned by the caller (release with free()). Returns OMREG_EINVAL (NULL
 * backend, image or factors; unknown method; radius > OMREG_CC_MAX_RADIUS),
 * OMREG_ESHAPE (an image is a field; ndim, shape or dtype differ),
 * OMREG_EOVERFLOW or OMREG_ENOMEM; *factors is untouched on failure. */
OMREG_API omreg_status omreg_cc_precompute_factors(const omreg_backend *backend,
                                                   const omreg_image *static_img,
                                                   const omreg_image *moving_img, size_t radius,
                                                   omreg_cc_method method, void **factors);

/** CC forward step (DIPY compute_cc_forward_step_{2,3}d): at every voxel x
 * at least radius voxels away from every face where sff, smm != 0,
 * out[x] = -2 sfm / (sff smm) (Ji - sfm / sff Ii) grad_static[x], i.e. the
 * gradient of that voxel's term -lc(x) = -sfm^2 / (sff smm) of the energy
 * with respect to the static intensity at x, times the static gradient; 0
 * elsewhere. factors: from omreg_cc_precompute_factors on grad_static's grid
 * and dtype (voxels x 5 values). On success *out is a new field of
 * grad_static's ndim, shape, dtype and grid2world, owned by the caller
 * (omreg_image_free), and *energy (when not NULL) = -sum lc(x) over the
 * voxels above with lc(x) < 1 (lc = 0 unless sff smm > 1e-5), summed in
 * omreg's canonical order (per grid row, rows in order), which can differ
 * from DIPY's serial sum in the last bits. Returns OMREG_EINVAL (NULL
 * backend, grad_static, factors or out; radius > OMREG_CC_MAX_RADIUS),
 * OMREG_ESHAPE (grad_static is not a field) or OMREG_ENOMEM; *out and
 * *energy are untouched on failure. */
OMREG_API omreg_status omreg_cc_forward_step(const omreg_backend *backend,
                                             const omreg_image *grad_static, const void *factors,
                                             size_t radius, omreg_image **out, double *energy);

/** CC backward step (DIPY compute_cc_backward_step_{2,3}d): as
 * omreg_cc_forward_step with out[x] = -2 sfm / (sff smm) (Ii - sfm / smm Ji)
 * grad_moving[x], the gradient of -lc(x) with respect to the moving
 * intensity at x times the moving gradient. Same ownership and statuses. */
OMREG_API omreg_status omreg_cc_backward_step(const omreg_backend *backend,
                                              const omreg_image *grad_moving, const void *factors,
                                              size_t radius, omreg_image **out, double *energy);

#ifdef __cplusplus
}
#endif
#endif
