/* The NIfTI writer with its deflate kernel chosen by the caller: what
 * api/nifti_write_api.c calls after picking a backend's deflate_chunks, so
 * that io/ never sees the backend table. */
#ifndef OMREG_IO_NIFTI_WRITE_H
#define OMREG_IO_NIFTI_WRITE_H

#include <stddef.h>

#include "deflate_chunk.h"
#include "omreg/image.h"
#include "omreg/status.h"

/* omreg_nifti_write_array_intent (include/omreg/nifti.h), the gzip chunks
 * deflated by `deflate` (fn NULL: chunk by chunk on the calling thread;
 * the same bytes either way). */
omreg_status omreg_nifti_write_array_deflate(omreg_deflater deflate, const char *path, int ndim,
                                             const size_t *shape, omreg_dtype dtype,
                                             const void *data, const double *affine4x4,
                                             int intent_code);

/* omreg_nifti_write_with, likewise. */
omreg_status omreg_nifti_write_image_deflate(omreg_deflater deflate, const char *path,
                                             const omreg_image *img);

#endif
