/* Images and displacement fields on a grid with a grid-to-world affine.
 * Layout follows DIPY/numpy C order: a 3D image of shape (S, R, C) stores
 * voxel (k, i, j) at (k*R + i)*C + j; a field adds a fastest component axis
 * of length ndim. The affine is (ndim+1)x(ndim+1), row-major. */
#ifndef OMREG_IMAGE_H
#define OMREG_IMAGE_H

#include "omreg/export.h"

#include <stdbool.h>
#include <stddef.h>

#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum omreg_dtype { OMREG_F32 = 0, OMREG_F64 = 1 } omreg_dtype;

typedef struct omreg_image omreg_image;

/** Size in bytes of one element of dtype. */
OMREG_API size_t omreg_dtype_size(omreg_dtype dtype);

/** Create a zero-filled image that owns its buffer. ndim is 2 or 3; ncomp is
 * 1 (scalar image) or ndim (displacement field); grid2world may be NULL for
 * the identity. Sizes are overflow-checked. *out is set only on success;
 * free with omreg_image_free. Returns OMREG_EINVAL, OMREG_ESHAPE,
 * OMREG_EOVERFLOW, OMREG_ENONFINITE, OMREG_ESINGULAR or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_image_create(omreg_image **out, int ndim, const size_t *shape,
                                          int ncomp, omreg_dtype dtype, const double *grid2world);

/** Like omreg_image_create but borrows `data` (not freed by
 * omreg_image_free); the caller keeps it alive while the image exists. */
OMREG_API omreg_status omreg_image_wrap(omreg_image **out, void *data, int ndim,
                                        const size_t *shape, int ncomp, omreg_dtype dtype,
                                        const double *grid2world);

/** Free an image (and its buffer if it owns it). NULL is a no-op. */
OMREG_API void omreg_image_free(omreg_image *image);

OMREG_API int omreg_image_ndim(const omreg_image *image);
OMREG_API int omreg_image_ncomp(const omreg_image *image);
OMREG_API omreg_dtype omreg_image_dtype(const omreg_image *image);
/** Spatial shape; entries past ndim read 1. */
OMREG_API const size_t *omreg_image_shape(const omreg_image *image);
/** Number of voxels (product of the spatial shape). */
OMREG_API size_t omreg_image_voxels(const omreg_image *image);
OMREG_API void *omreg_image_data(omreg_image *image);
OMREG_API const void *omreg_image_cdata(const omreg_image *image);
OMREG_API bool omreg_image_owns_data(const omreg_image *image);
/** The (ndim+1)x(ndim+1) row-major grid-to-world affine. */
OMREG_API const double *omreg_image_grid2world(const omreg_image *image);
/** Replace the grid-to-world affine (validated: finite and invertible). */
OMREG_API omreg_status omreg_image_set_grid2world(omreg_image *image, const double *grid2world);

#ifdef __cplusplus
}
#endif
#endif
