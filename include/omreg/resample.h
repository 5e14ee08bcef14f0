/* Resampling of an image through an affine map given in grid coordinates
 * (DIPY vector_fields.transform_{2,3}d_affine and _nn): output voxel x
 * takes the input image at grid position A x. */
#ifndef OMREG_RESAMPLE_H
#define OMREG_RESAMPLE_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Resample the scalar image img onto a grid of out_shape (img's ndim
 * entries) voxels: out(x) = img(A x) with A = grid_affine, an
 * (ndim+1)x(ndim+1) row-major affine from output grid coordinates to img
 * grid coordinates (NULL: the identity), bilinear/trilinear or nearest
 * neighbour when `nearest` is non-zero; points outside img read 0.
 * On success *out is a new scalar image of img's dtype with the identity
 * grid2world (A is in grid coordinates, so the output's world geometry is
 * the caller's to set with omreg_image_set_grid2world), owned by the
 * caller (omreg_image_free). As DIPY's transform_{2,3}d_affine[_nn], A
 * may be singular (it is applied, never inverted): only finite entries and
 * the last row (0, ..., 0, 1) are required. Returns OMREG_EINVAL (NULL
 * backend, img, out_shape or out), OMREG_ESHAPE (img is a field; an
 * out_shape axis is 0), OMREG_EOVERFLOW (output size), OMREG_ENONFINITE
 * (non-finite A), OMREG_ESINGULAR (A's last row is not (0, ..., 0, 1)) or
 * OMREG_ENOMEM; *out is untouched on failure. */
OMREG_API omreg_status omreg_transform_affine(const omreg_backend *backend, const omreg_image *img,
                                              const size_t *out_shape, const double *grid_affine,
                                              int nearest, omreg_image **out);

#ifdef __cplusplus
}
#endif
#endif
