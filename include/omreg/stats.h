/* Image statistics with a canonical reduction order: the same bits from
 * either backend and any thread count (DESIGN.md, contract item 2). */
#ifndef OMREG_STATS_H
#define OMREG_STATS_H

#include "omreg/export.h"

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** out[0] = sum of the voxel values of the scalar image img, out[1] = sum
 * of their squares, accumulated in double in fixed blocks of voxels
 * combined in block order. The block scratch is allocated and freed here.
 * Returns OMREG_EINVAL (NULL argument), OMREG_ESHAPE (img is a field) or
 * OMREG_ENOMEM; out is untouched on failure. */
OMREG_API omreg_status omreg_image_moments(const omreg_backend *backend, const omreg_image *img,
                                           double out[2]);

#ifdef __cplusplus
}
#endif
#endif
