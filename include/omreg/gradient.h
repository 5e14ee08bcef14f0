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

/** omreg_gradient with the image's geometry given, DIPY's gradient(img,
 * img_world2grid, img_spacing, out_shape, out_grid2world): img's own
 * grid2world is ignored; img_world2grid ((ndim+1)^2, row-major; only its
 * first ndim rows are read) maps world points to img's grid, img_spacing
 * (ndim entries) are the voxel sizes used as the difference steps. Both
 * matrices need only be finite (DIPY's is_valid_affine), not invertible.
 * The caller's out (voxels(out_shape) * ndim values of img's element type,
 * C order, component last) and inside (one int per output voxel) receive
 * the results; nothing is allocated. Returns OMREG_EINVAL (NULL argument),
 * OMREG_ESHAPE (img is a field; an out_shape axis is 0), OMREG_ENONFINITE
 * (a non-finite matrix entry) or OMREG_EOVERFLOW; out and inside are
 * untouched on failure. */
OMREG_API omreg_status omreg_gradient_w2g(const omreg_backend *backend, const omreg_image *img,
                                          const double *img_world2grid, const double *img_spacing,
                                          const size_t *out_shape, const double *out_grid2world,
                                          void *out, int *inside);

/** omreg_sparse_gradient with the image's geometry given, DIPY's
 * sparse_gradient(img, img_world2grid, img_spacing, sample_points):
 * img_world2grid and img_spacing as in omreg_gradient_w2g; points, out,
 * inside and n as in omreg_sparse_gradient. Returns OMREG_EINVAL (NULL
 * argument), OMREG_ESHAPE (img is a field), OMREG_ENONFINITE
 * (img_world2grid) or OMREG_EOVERFLOW; out and inside are untouched on
 * failure. */
OMREG_API omreg_status omreg_sparse_gradient_w2g(const omreg_backend *backend,
                                                 const omreg_image *img,
                                                 const double *img_world2grid,
                                                 const double *img_spacing, const double *points,
                                                 size_t n, void *out, int *inside);

#ifdef __cplusplus
}
#endif
#endif
