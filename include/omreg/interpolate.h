/* Interpolation of an image or displacement field at a list of points
 * given in grid coordinates (DIPY dipy/core/interpolation.pyx
 * interpolate_scalar_{2,3}d, interpolate_vector_{2,3}d and
 * interpolate_scalar_nn_{2,3}d). */
#ifndef OMREG_INTERPOLATE_H
#define OMREG_INTERPOLATE_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Interpolate img at n points. locs is n x ndim grid coordinates in the
 * image's axis order (row-major: point p is locs[p*ndim .. p*ndim+ndim-1]).
 * A scalar image gives out[p] (bilinear/trilinear, or nearest neighbour
 * when `nearest` is non-zero); a displacement field gives out[p*ndim + c]
 * (linear only). out has the image's element type (float for OMREG_F32,
 * double for OMREG_F64); inside[p] is 1 when the point could be
 * interpolated (every corner in the grid; nearest: 0 <= x <= n-1 on every
 * axis) and 0 otherwise, in which case its values are 0. locs, out and
 * inside are the caller's and must hold n*ndim, n (or n*ndim) and n
 * entries; nothing is allocated. n = 0 is a valid empty request.
 * Returns OMREG_EINVAL (NULL argument), OMREG_ESHAPE (nearest on a field)
 * or OMREG_EOVERFLOW (n * ndim values do not fit size_t); out and inside
 * are untouched on failure. */
OMREG_API omreg_status omreg_interpolate(const omreg_backend *backend, const omreg_image *img,
                                         const double *locs, size_t n, int nearest, void *out,
                                         int *inside);

#ifdef __cplusplus
}
#endif
#endif
