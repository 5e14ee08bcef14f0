/* Multi-resolution scale spaces (DIPY 1.6 scalespace.py): ScaleSpace
 * (anisotropic, sigma from the voxel size) and IsotropicScaleSpace (given
 * shrink factors and sigmas). Level 0 is the finest. Each level holds the
 * smoothed image at the input's full resolution, normalised to [0, 1] and
 * stored as float32 (DIPY's `floating`), plus the coarse sampling grid of
 * that level: domain shape, spacing, scaling and grid-to-world affine. */
#ifndef OMREG_SCALESPACE_H
#define OMREG_SCALESPACE_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct omreg_scale_space omreg_scale_space;

/** IsotropicScaleSpace(image, factors, sigmas, grid2world, spacing): level
 * i > 0 uses factors[nlevels-1-i] (integers >= 1) and sigmas[nlevels-1-i]
 * (voxels, >= 0); level 0 is only normalised. `image` is a float64 scalar
 * image; its grid2world and spacing (column norms) define the grids.
 * Returns OMREG_EINVAL (NULL, nlevels < 1, factor < 1, negative or
 * non-finite sigma, non-float64 or field input), OMREG_ESHAPE (a level
 * with an empty axis), OMREG_ENONFINITE (a constant image: zero range),
 * OMREG_ENOMEM. *out is set only on success; free with
 * omreg_scale_space_free. */
OMREG_API omreg_status omreg_scale_space_isotropic(const omreg_backend *backend,
                                                   const omreg_image *image, int nlevels,
                                                   const int *factors, const double *sigmas,
                                                   omreg_scale_space **out);

/** ScaleSpace(image, num_levels, grid2world, spacing, sigma_factor):
 * level i has scaling 2^i * min(spacing) / spacing and sigma
 * sigma_factor * (scaling - 1) per axis. Same statuses. */
OMREG_API omreg_status omreg_scale_space_anisotropic(const omreg_backend *backend,
                                                     const omreg_image *image, int nlevels,
                                                     double sigma_factor, omreg_scale_space **out);

/** Free; NULL is a no-op. */
OMREG_API void omreg_scale_space_free(omreg_scale_space *ss);

OMREG_API int omreg_scale_space_levels(const omreg_scale_space *ss);
/** The level's smoothed float32 image (input resolution, input grid2world);
 * owned by the scale space. Level out of range: NULL. */
OMREG_API const omreg_image *omreg_scale_space_image(const omreg_scale_space *ss, int level);
/** The level's coarse grid: shape (ndim), spacing, scaling, sigmas (ndim)
 * and its (ndim+1)^2 grid-to-world affine. Level out of range: NULL. */
OMREG_API const size_t *omreg_scale_space_domain_shape(const omreg_scale_space *ss, int level);
OMREG_API const double *omreg_scale_space_spacing(const omreg_scale_space *ss, int level);
OMREG_API const double *omreg_scale_space_scaling(const omreg_scale_space *ss, int level);
OMREG_API const double *omreg_scale_space_sigmas(const omreg_scale_space *ss, int level);
OMREG_API const double *omreg_scale_space_affine(const omreg_scale_space *ss, int level);

#ifdef __cplusplus
}
#endif
#endif
