/* AffineMap.transform / transform_inverse (DIPY imaffine.py): the grid
 * matrix comp = image_world2grid . affine . sampling_grid2world, then
 * transform_{2,3}d_affine[_nn] through the backend table. */
#include <string.h>

#include "api_threads.h"
#include "backend.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"

omreg_status omreg_affine_map_transform(const omreg_backend *b, const double *affine, int inverse,
                                        const omreg_image *image, const size_t *shape,
                                        const double *grid2world, int nearest, omreg_image **out)
{
    return omreg_affine_map_transform_threads(b, 0, affine, inverse, image, shape, grid2world,
                                              nearest, out);
}

omreg_status omreg_affine_map_transform_threads(const omreg_backend *b, int nthreads,
                                                const double *affine, int inverse,
                                                const omreg_image *image, const size_t *shape,
                                                const double *grid2world, int nearest,
                                                omreg_image **out)
{
    OMREG_RETURN_IF(b == NULL || image == NULL || shape == NULL || out == NULL, OMREG_EINVAL,
                    "affine transform: NULL argument");
    OMREG_RETURN_IF(image->ncomp != 1, OMREG_ESHAPE, "affine transform: needs a scalar image");
    int dim = image->ndim, n = dim + 1;
    double comp[16], w2g[16], aff[16], tmp[16], sampling[16];
    if (grid2world) {
        OMREG_RETURN_IF(!omreg_mat_is_finite(n, grid2world), OMREG_ENONFINITE,
                        "affine transform: non-finite sampling grid-to-world");
        memcpy(sampling, grid2world, sizeof(double) * (size_t)(n * n));
    } else {
        omreg_mat_identity(n, sampling);
    }
    OMREG_FORWARD(omreg_mat_inverse(n, image->grid2world, w2g));
    if (affine) {
        OMREG_RETURN_IF(!omreg_mat_is_finite(n, affine), OMREG_ENONFINITE,
                        "affine transform: the affine has a non-finite entry");
        OMREG_RETURN_IF(!omreg_affine_is_valid(dim, affine), OMREG_ESINGULAR,
                        "affine transform: the affine's last row is not (0, ..., 0, 1)");
        if (inverse)
            OMREG_FORWARD(omreg_mat_inverse(n, affine, aff));
        else
            memcpy(aff, affine, sizeof(double) * (size_t)(n * n));
        omreg_mat_mul(n, aff, sampling, tmp);
        omreg_mat_mul(n, w2g, tmp, comp);
    } else {
        omreg_mat_mul(n, w2g, sampling, comp);
    }
    omreg_dtype dtype = nearest ? image->dtype : OMREG_F64;
    omreg_image *res = NULL, *src64 = NULL;
    OMREG_FORWARD(omreg_image_create(&res, dim, shape, 1, dtype, grid2world));
    const void *src = image->data;
    nthreads = omreg_backend_threads(b, nthreads); /* the call's count, read once */
    if (!nearest && image->dtype == OMREG_F32) { /* linear works on image.astype(float64) */
        omreg_status st = omreg_image_create(&src64, dim, image->shape, 1, OMREG_F64, NULL);
        if (st != OMREG_OK) {
            omreg_image_free(res);
            return st;
        }
        b->convert_f32_to_f64(nthreads, image->data, omreg_image_voxels(image), src64->data);
        src = src64->data;
    }
    if (dim == 2) {
        if (!nearest)
            b->transform_affine_2d_f64(nthreads, src, image->shape, shape, comp, res->data);
        else if (dtype == OMREG_F64)
            b->transform_affine_nn_2d_f64(nthreads, src, image->shape, shape, comp, res->data);
        else
            b->transform_affine_nn_2d_f32(nthreads, src, image->shape, shape, comp, res->data);
    } else {
        if (!nearest)
            b->transform_affine_3d_f64(nthreads, src, image->shape, shape, comp, res->data);
        else if (dtype == OMREG_F64)
            b->transform_affine_nn_3d_f64(nthreads, src, image->shape, shape, comp, res->data);
        else
            b->transform_affine_nn_3d_f32(nthreads, src, image->shape, shape, comp, res->data);
    }
    omreg_image_free(src64);
    *out = res;
    return OMREG_OK;
}
