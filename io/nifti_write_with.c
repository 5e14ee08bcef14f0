/* The NIfTI entry points that take a backend: the backend only says
 * whether the writer transposes and deflates on the OpenMP team, so each
 * picks io's serial or parallel kernels (io/nifti_slab.h,
 * io/deflate_chunk.h; a NULL backend: the serial path of the writer) and
 * calls io's writer
 * (io/nifti_write.h). The backend is known only through the public
 * omreg/backend.h: io never sees the table. */
#include <stddef.h>

#include "nifti_write.h"
#include "omreg/backend.h"
#include "omreg/nifti.h"

/* io's kernels for the backend: serial for the reference, else the OpenMP
 * ones on OpenMP's current count (the parallel table's default count) */
static omreg_io_team team_of(const omreg_backend *backend)
{
    if (backend == NULL)
        return (omreg_io_team){NULL, omreg_ref_nii_slab, 1};
    if (backend == omreg_backend_reference())
        return (omreg_io_team){omreg_ref_deflate_chunks, omreg_ref_nii_slab, 1};
    return (omreg_io_team){omreg_par_deflate_chunks, omreg_par_nii_slab,
                           omreg_io_max_threads()};
}

omreg_status omreg_nifti_write_array_with(const omreg_backend *backend, const char *path,
                                          int ndim, const size_t *shape, omreg_dtype dtype,
                                          const void *data, const double *affine4x4)
{
    return omreg_nifti_write_array_team(team_of(backend), path, ndim, shape, dtype, data,
                                           affine4x4, 0);
}

omreg_status omreg_nifti_write_array_intent(const omreg_backend *backend, const char *path,
                                            int ndim, const size_t *shape, omreg_dtype dtype,
                                            const void *data, const double *affine4x4,
                                            int intent_code)
{
    return omreg_nifti_write_array_team(team_of(backend), path, ndim, shape, dtype, data,
                                           affine4x4, intent_code);
}

omreg_status omreg_nifti_write_with(const omreg_backend *backend, const char *path,
                                    const omreg_image *img)
{
    return omreg_nifti_write_image_team(team_of(backend), path, img);
}
