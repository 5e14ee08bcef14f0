/* omreg_interpolate: validates, then dispatches on ndim, dtype, scalar vs
 * field and linear vs nearest to the backend's interpolation slots
 * (kernels_interpolate.h). */
#include "api_check.h"
#include "omreg/interpolate.h"

omreg_status omreg_interpolate(const omreg_backend *backend, const omreg_image *img,
                               const double *locs, size_t n, int nearest, void *out,
                               int *inside)
{
    static const char fn[] = "omreg_interpolate";
    OMREG_FORWARD(api_check_image(fn, backend, img, API_ANY));
    OMREG_RETURN_IF(locs == NULL || out == NULL || inside == NULL, OMREG_EINVAL,
                    "%s: locs, out and inside must not be NULL", fn);
    const int field = img->ncomp != 1;
    OMREG_RETURN_IF(nearest && field, OMREG_ESHAPE,
                    "%s: nearest-neighbour interpolation needs a scalar image", fn);
    OMREG_FORWARD(api_check_points(fn, n, (size_t)img->ndim, omreg_dtype_size(img->dtype)));
    if (n == 0)
        return OMREG_OK;

    const int nthreads = omreg_backend_threads(backend, 0);
    const size_t *shape = img->shape;
    const int f64 = img->dtype == OMREG_F64;
    /* the vector and nn slots share the scalar slot's function type */
    if (img->ndim == 2) {
        if (f64)
            (field     ? backend->interpolate_vector_2d_f64
             : nearest ? backend->interpolate_scalar_nn_2d_f64
                       : backend->interpolate_scalar_2d_f64)(nthreads, img->data, shape, locs, n,
                                                             out, inside);
        else
            (field     ? backend->interpolate_vector_2d_f32
             : nearest ? backend->interpolate_scalar_nn_2d_f32
                       : backend->interpolate_scalar_2d_f32)(nthreads, img->data, shape, locs, n,
                                                             out, inside);
    } else {
        if (f64)
            (field     ? backend->interpolate_vector_3d_f64
             : nearest ? backend->interpolate_scalar_nn_3d_f64
                       : backend->interpolate_scalar_3d_f64)(nthreads, img->data, shape, locs, n,
                                                             out, inside);
        else
            (field     ? backend->interpolate_vector_3d_f32
             : nearest ? backend->interpolate_scalar_nn_3d_f32
                       : backend->interpolate_scalar_3d_f32)(nthreads, img->data, shape, locs, n,
                                                             out, inside);
    }
    return OMREG_OK;
}
