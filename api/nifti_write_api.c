/* The NIfTI entry points that take a backend: the backend only supplies the
 * deflate kernel of the chunked gzip writer, so each picks
 * backend->deflate_chunks and the call's thread count (NULL backend: the
 * serial path) and calls io/'s
 * writer (io/nifti_write.h), which never sees the backend table. */
#include <stddef.h>

#include "backend.h"
#include "nifti_write.h"
#include "omreg/nifti.h"

/* the backend's kernel on the call's thread count (omreg_backend_threads) */
static omreg_deflater deflate_of(const omreg_backend *backend)
{
    if (backend == NULL)
        return (omreg_deflater){NULL, 1};
    return (omreg_deflater){backend->deflate_chunks, omreg_backend_threads(backend, 0)};
}

omreg_status omreg_nifti_write_array_with(const omreg_backend *backend, const char *path,
                                          int ndim, const size_t *shape, omreg_dtype dtype,
                                          const void *data, const double *affine4x4)
{
    return omreg_nifti_write_array_deflate(deflate_of(backend), path, ndim, shape, dtype, data,
                                           affine4x4, 0);
}

omreg_status omreg_nifti_write_array_intent(const omreg_backend *backend, const char *path,
                                            int ndim, const size_t *shape, omreg_dtype dtype,
                                            const void *data, const double *affine4x4,
                                            int intent_code)
{
    return omreg_nifti_write_array_deflate(deflate_of(backend), path, ndim, shape, dtype, data,
                                           affine4x4, intent_code);
}

omreg_status omreg_nifti_write_with(const omreg_backend *backend, const char *path,
                                    const omreg_image *img)
{
    return omreg_nifti_write_image_deflate(deflate_of(backend), path, img);
}
