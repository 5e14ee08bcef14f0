/* omreg_transform_affine: validation, output allocation and dispatch to
 * the backend's transform_affine{,_nn}_{2,3}d slots (kernels_transform.h). */
#include "api_check.h"
#include "omreg/resample.h"

omreg_status omreg_transform_affine(const omreg_backend *backend, const omreg_image *img,
                                    const size_t *out_shape, const double *grid_affine,
                                    int nearest, omreg_image **out)
{
    static const char fn[] = "omreg_transform_affine";
    OMREG_FORWARD(api_check_image(fn, backend, img, API_SCALAR));
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "%s: out is NULL", fn);
    const int ndim = img->ndim;
    OMREG_FORWARD(api_check_shape(fn, ndim, out_shape, 1, omreg_dtype_size(img->dtype)));
    if (grid_affine)
        OMREG_FORWARD(api_check_affine_applied(fn, "grid_affine", ndim, grid_affine));

    omreg_image *res = NULL;
    OMREG_FORWARD(omreg_image_create(&res, ndim, out_shape, 1, img->dtype, NULL));
    const size_t *s = res->shape;
    const int nthreads = omreg_backend_threads(backend, 0);
    if (ndim == 2) {
        if (img->dtype == OMREG_F64)
            (nearest ? backend->transform_affine_nn_2d_f64 : backend->transform_affine_2d_f64)(
                nthreads, img->data, img->shape, s, grid_affine, res->data);
        else
            (nearest ? backend->transform_affine_nn_2d_f32 : backend->transform_affine_2d_f32)(
                nthreads, img->data, img->shape, s, grid_affine, res->data);
    } else {
        if (img->dtype == OMREG_F64)
            (nearest ? backend->transform_affine_nn_3d_f64 : backend->transform_affine_3d_f64)(
                nthreads, img->data, img->shape, s, grid_affine, res->data);
        else
            (nearest ? backend->transform_affine_nn_3d_f32 : backend->transform_affine_3d_f32)(
                nthreads, img->data, img->shape, s, grid_affine, res->data);
    }
    *out = res;
    return OMREG_OK;
}
