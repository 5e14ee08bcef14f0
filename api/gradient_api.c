/* omreg_gradient / omreg_sparse_gradient: validation, output allocation
 * and dispatch to the backend's gradient slots (kernels_gradient.h). The
 * image is read through world2grid = inverse(img grid2world) with the
 * spacings of omreg_get_direction_and_spacings (DIPY imwarp.py); the _w2g
 * variants take world2grid and spacing as given (DIPY's signature). */
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

/* The backend's dense gradient slot for img's ndim and dtype. */
static void dense_run(const omreg_backend *b, const omreg_image *img, const double *w2g,
                      const double *spacing, const size_t *out_shape, const double *out_g2w,
                      void *out, int *inside)
{
    const int nt = omreg_backend_threads(b, 0);
    if (img->ndim == 2) {
        if (img->dtype == OMREG_F64)
            b->gradient_2d_f64(nt, img->data, img->shape, w2g, spacing, out_shape, out_g2w, out,
                               inside);
        else
            b->gradient_2d_f32(nt, img->data, img->shape, w2g, spacing, out_shape, out_g2w, out,
                               inside);
    } else {
        if (img->dtype == OMREG_F64)
            b->gradient_3d_f64(nt, img->data, img->shape, w2g, spacing, out_shape, out_g2w, out,
                               inside);
        else
            b->gradient_3d_f32(nt, img->data, img->shape, w2g, spacing, out_shape, out_g2w, out,
                               inside);
    }
}

/* The backend's sparse gradient slot for img's ndim and dtype. */
static void sparse_run(const omreg_backend *b, const omreg_image *img, const double *w2g,
                       const double *spacing, const double *points, size_t n, void *out,
                       int *inside)
{
    const int nt = omreg_backend_threads(b, 0);
    if (img->ndim == 2) {
        if (img->dtype == OMREG_F64)
            b->sparse_gradient_2d_f64(nt, img->data, img->shape, w2g, spacing, points, n, out,
                                      inside);
        else
            b->sparse_gradient_2d_f32(nt, img->data, img->shape, w2g, spacing, points, n, out,
                                      inside);
    } else {
        if (img->dtype == OMREG_F64)
            b->sparse_gradient_3d_f64(nt, img->data, img->shape, w2g, spacing, points, n, out,
                                      inside);
        else
            b->sparse_gradient_3d_f32(nt, img->data, img->shape, w2g, spacing, points, n, out,
                                      inside);
    }
}

/* DIPY's checks of a given geometry: world2grid finite (any last row, may
 * be singular: DIPY's is_valid_affine), spacing given. */
static omreg_status check_given(const char *fn, int ndim, const double *w2g,
                                const double *spacing)
{
    OMREG_RETURN_IF(w2g == NULL || spacing == NULL, OMREG_EINVAL,
                    "%s: img_world2grid and img_spacing must not be NULL", fn);
    OMREG_RETURN_IF(!omreg_mat_is_finite(ndim + 1, w2g), OMREG_ENONFINITE,
                    "%s: img_world2grid has a non-finite entry", fn);
    return OMREG_OK;
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

    dense_run(backend, img, w2g, spacing, field->shape, out_grid2world, field->data, flags);

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

    sparse_run(backend, img, w2g, spacing, points, n, out, inside);
    return OMREG_OK;
}

omreg_status omreg_gradient_w2g(const omreg_backend *backend, const omreg_image *img,
                                const double *img_world2grid, const double *img_spacing,
                                const size_t *out_shape, const double *out_grid2world, void *out,
                                int *inside)
{
    static const char fn[] = "omreg_gradient_w2g";
    OMREG_FORWARD(api_check_image(fn, backend, img, API_SCALAR));
    const int ndim = img->ndim;
    OMREG_FORWARD(check_given(fn, ndim, img_world2grid, img_spacing));
    OMREG_RETURN_IF(out_grid2world == NULL || out == NULL || inside == NULL, OMREG_EINVAL,
                    "%s: out_grid2world, out and inside must not be NULL", fn);
    OMREG_RETURN_IF(!omreg_mat_is_finite(ndim + 1, out_grid2world), OMREG_ENONFINITE,
                    "%s: out_grid2world has a non-finite entry", fn);
    OMREG_FORWARD(api_check_shape(fn, ndim, out_shape, (size_t)ndim,
                                  omreg_dtype_size(img->dtype)));
    dense_run(backend, img, img_world2grid, img_spacing, out_shape, out_grid2world, out, inside);
    return OMREG_OK;
}

omreg_status omreg_sparse_gradient_w2g(const omreg_backend *backend, const omreg_image *img,
                                       const double *img_world2grid, const double *img_spacing,
                                       const double *points, size_t n, void *out, int *inside)
{
    static const char fn[] = "omreg_sparse_gradient_w2g";
    OMREG_FORWARD(api_check_image(fn, backend, img, API_SCALAR));
    const int ndim = img->ndim;
    OMREG_FORWARD(check_given(fn, ndim, img_world2grid, img_spacing));
    OMREG_RETURN_IF(points == NULL || out == NULL || inside == NULL, OMREG_EINVAL,
                    "%s: points, out and inside must not be NULL", fn);
    OMREG_FORWARD(api_check_points(fn, n, (size_t)ndim, omreg_dtype_size(img->dtype)));
    if (n > 0)
        sparse_run(backend, img, img_world2grid, img_spacing, points, n, out, inside);
    return OMREG_OK;
}
