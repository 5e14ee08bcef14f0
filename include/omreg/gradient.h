/* Image gradient in physical units (intensity change per world unit, the
 * grid-to-world affine), by central differences at +-spacing/2 along each
 * world axis (DIPY vector_fields.gradient / sparse_gradient). */
#ifndef OMREG_GRADIENT_H
#define OMREG_GRADIENT_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Dense gradient of the scalar image img sampled on a grid of out_shape
 * (ndim entries, img's ndim) voxels whose grid-to-world affine is
 * out_grid2world ((ndim+1)x(ndim+1), row-major). The image is read through
 * the inverse of its own grid2world with the spacings of
 * omreg_get_direction_and_spacings, as DIPY's gradient(img,
 * img_world2grid, img_spacing, out_shape, out_grid2world).
 * On success *out_field is a new field image (ncomp = ndim, img's dtype,
 * grid2world = out_grid2world) owned by the caller (omreg_image_free);
 * when inside is not NULL, *inside is a new array of one int per output
 * voxel (1 where all 2*ndim lookups were in the image, else 0) that the
 * caller releases with free(). Returns OMREG_EINVAL (NULL backend, img,
 * out_shape, out_grid2world or out_field), OMREG_ESHAPE (img is a field;
 * an out_shape axis is 0), OMREG_EOVERFLOW (output size), OMREG_ENONFINITE
 * (non-finite out_grid2world), OMREG_ESINGULAR (out_grid2world not an
 * invertible affine) or OMREG_ENOMEM; on failure *out_field and *inside
 * are untouched and nothing is leaked. */
OMREG_API omreg_status omreg_gradient(const omreg_backend *backend, const omreg_image *img,
                                      const size_t *out_shape, const double *out_grid2world,
                                      omreg_image **out_field, int **inside);

/** Gradient of the scalar image img at n world points (n x ndim,
 * row-major), as DIPY's sparse_gradient: out[p*ndim + c] in img's element
 * type (float for OMREG_F32, double for OMREG_F64), inside[p] as in
 * omreg_gradient. points, out and inside are the caller's (n*ndim, n*ndim
 * and n entries); nothing is allocated; n = 0 is a valid empty request.
 * Returns OMREG_EINVAL (NULL argument), OMREG_ESHAPE (img is a field) or
 * OMREG_EOVERFLOW (n * ndim values do not fit size_t); out and inside are
 * untouched on failure. */
OMREG_API omreg_status omreg_sparse_gradient(const omreg_backend *backend, const omreg_image *img,
                                             const double *points, size_t n, void *out,
                                             int *inside);

#ifdef __cplusplus
}
#endif
#endif
