/* omreg_gradient / omreg_sparse_gradient: validation, output allocation
 * and dispatch to the backend's gradient slots (kernels_gradient.h). The
 * image is read through world2grid = inverse(img grid2world) with the
 * spacings of omreg_get_direction_and_spacings (DIPY imwarp.py). */
#include <stdlib.h>

#include "api_check.h"
#include "omreg/gradient.h"

/* world2grid and spacings of img (valid by construction of the image). */
static omreg_status image_geometry(const char *fn, const omreg_image *img, double w2g[16],
                                   double spacing[3])
{
    double direction[9];
    OMREG_FORWARD(api_check_affine(fn, "image grid2world", img->ndim, img->grid2world, w2g));
    return omreg_get_direction_and_spacings(img->ndim, img->grid2world, direction, spacing);
}

omreg_status omreg_gradient(const omreg_backend *backend, const omreg_image *img,
                            const size_t *out_shape, const double *out_grid2world,
                            omreg_image **out_field, int **inside)
{
    static const char fn[] = "omreg_gradient";
    OMREG_FORWARD(api_check_image(fn, backend, img, API_SCALAR));
    OMREG_RETURN_IF(out_grid2world == NULL || out_field == NULL, OMREG_EINVAL,
                    "%s: out_grid2world and out_field must not be NULL", fn);
    const int ndim = img->ndim;
    OMREG_FORWARD(api_check_shape(fn, ndim, out_shape, (size_t)ndim,
                                  omreg_dtype_size(img->dtype)));
    OMREG_FORWARD(api_check_affine(fn, "out_grid2world", ndim, out_grid2world, NULL));
    double w2g[16], spacing[3];
    OMREG_FORWARD(image_geometry(fn, img, w2g, spacing));

    omreg_image *field = NULL;
    void *mem = NULL;
    OMREG_FORWARD(omreg_image_create(&field, ndim, out_shape, ndim, img->dtype, out_grid2world));
    mem = omreg_calloc(omreg_image_voxels(field), sizeof(int), "gradient inside flags");
    if (mem == NULL) {
        omreg_image_free(field);
        return omreg_calloc_failure();
    }
    int *flags = mem;

    const size_t *s = field->shape;
    const int nthreads = omreg_backend_threads(backend, 0);
    if (ndim == 2) {
        if (img->dtype == OMREG_F64)
            backend->gradient_2d_f64(nthreads, img->data, img->shape, w2g, spacing, s,
                                     out_grid2world, field->data, flags);
        else
            backend->gradient_2d_f32(nthreads, img->data, img->shape, w2g, spacing, s,
                                     out_grid2world, field->data, flags);
    } else {
        if (img->dtype == OMREG_F64)
            backend->gradient_3d_f64(nthreads, img->data, img->shape, w2g, spacing, s,
                                     out_grid2world, field->data, flags);
        else
            backend->gradient_3d_f32(nthreads, img->data, img->shape, w2g, spacing, s,
                                     out_grid2world, field->data, flags);
    }

    *out_field = field;
    if (inside)
        *inside = flags;
    else
        free(flags);
    return OMREG_OK;
}

omreg_status omreg_sparse_gradient(const omreg_backend *backend, const omreg_image *img,
                                   const double *points, size_t n, void *out, int *inside)
{
    static const char fn[] = "omreg_sparse_gradient";
    OMREG_FORWARD(api_check_image(fn, backend, img, API_SCALAR));
    OMREG_RETURN_IF(points == NULL || out == NULL || inside == NULL, OMREG_EINVAL,
                    "%s: points, out and inside must not be NULL", fn);
    const int ndim = img->ndim;
    OMREG_FORWARD(api_check_points(fn, n, (size_t)ndim, omreg_dtype_size(img->dtype)));
    double w2g[16], spacing[3];
    OMREG_FORWARD(image_geometry(fn, img, w2g, spacing));
    if (n == 0)
        return OMREG_OK;

    const int nthreads = omreg_backend_threads(backend, 0);
    if (ndim == 2) {
        if (img->dtype == OMREG_F64)
            backend->sparse_gradient_2d_f64(nthreads, img->data, img->shape, w2g, spacing, points,
                                            n, out, inside);
        else
            backend->sparse_gradient_2d_f32(nthreads, img->data, img->shape, w2g, spacing, points,
                                            n, out, inside);
    } else {
        if (img->dtype == OMREG_F64)
            backend->sparse_gradient_3d_f64(nthreads, img->data, img->shape, w2g, spacing, points,
                                            n, out, inside);
        else
            backend->sparse_gradient_3d_f32(nthreads, img->data, img->shape, w2g, spacing, points,
                                            n, out, inside);
    }
    return OMREG_OK;
}
