/* 2D images from PNG files (ITK's classic 2D registration data): 8- or
 * 16-bit grayscale (colour is converted to luminance by libpng's
 * rgb_to_gray with its default weights). Pixel (row i, column j) is
 * element (i, j) of a (rows, cols) image, as numpy/PIL load it; the
 * grid-to-world affine is the identity. */
#ifndef OMREG_PNG_H
#define OMREG_PNG_H

#include "omreg/export.h"

#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Read path as a 2D scalar image of the given dtype. Returns OMREG_EIO
 * (missing/unreadable), OMREG_EFORMAT (not a PNG, corrupt or truncated),
 * OMREG_EINVAL (NULL), OMREG_ENOMEM. *out is set only on success. */
OMREG_API omreg_status omreg_png_read(const char *path, omreg_dtype dtype, omreg_image **out);

#ifdef __cplusplus
}
#endif
#endif
