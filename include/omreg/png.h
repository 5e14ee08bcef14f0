/* 2D images from PNG files (ITK's classic 2D registration data): 8- or
 * 16-bit grayscale (colour is converted to luminance by libpng's
 * rgb_to_gray with its default weights). Pixel (row i, column j) is
 * element (i, j) of a (rows, cols) image, as numpy/PIL load it; the
 * grid-to-world affine is the identity. And 8-bit RGB pictures out. */
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

/** Write an 8-bit RGB picture (rgb: width * height * 3 bytes, top row
 * first) as a PNG, under a temporary name next to path then renamed. The
 * bytes depend only on the pixels (fixed zlib level and filter, no time or
 * text chunks). Returns OMREG_EINVAL (NULL, zero or over 2^31 - 1 size),
 * OMREG_EIO (cannot write), OMREG_ENOMEM. */
OMREG_API omreg_status omreg_png_write_rgb(const char *path, size_t width, size_t height,
                                 const unsigned char *rgb);

#ifdef __cplusplus
}
#endif
#endif
