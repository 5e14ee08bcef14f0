/* omreg_image_moments: validation, the block scratch (2 doubles per
 * OMREG_REDUCE_BLOCK voxels, kernels_reduce.h) and dispatch to the
 * backend's image_moments slots. */
#include <stdlib.h>

#include "api_check.h"
#include "omreg/stats.h"

omreg_status omreg_image_moments(const omreg_backend *backend, const omreg_image *img,
                                 double out[2])
{
    static const char fn[] = "omreg_image_moments";
    OMREG_FORWARD(api_check_image(fn, backend, img, API_SCALAR));
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "%s: out is NULL", fn);
    const size_t n = omreg_image_voxels(img);
    void *mem = omreg_calloc(omreg_reduce_blocks(n), 2 * sizeof(double), "moments block scratch");
    if (mem == NULL)
        return omreg_calloc_failure();
    double *scratch = mem, result[2];
    const int nthreads = omreg_backend_threads(backend, 0);
    if (img->dtype == OMREG_F64)
        backend->image_moments_f64(nthreads, img->data, n, scratch, result);
    else
        backend->image_moments_f32(nthreads, img->data, n, scratch, result);
    free(scratch);
    out[0] = result[0];
    out[1] = result[1];
    return OMREG_OK;
}
