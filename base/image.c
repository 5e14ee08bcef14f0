/* Image and displacement-field containers: owning or borrowed buffers,
 * overflow-checked sizes, validated grid-to-world affines. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/matrix.h"

size_t omreg_dtype_size(omreg_dtype dtype) { return dtype == OMREG_F32 ? 4 : 8; }

static omreg_status check_grid2world(int ndim, const double *g)
{
    int n = ndim + 1;
    double inv[16];
    OMREG_RETURN_IF(!omreg_mat_is_finite(n, g), OMREG_ENONFINITE,
                    "grid-to-world affine has a non-finite entry");
    OMREG_RETURN_IF(!omreg_affine_is_valid(ndim, g), OMREG_ESINGULAR,
                    "grid-to-world affine's last row is not (0, ..., 0, 1)");
    return omreg_mat_inverse(n, g, inv);
}

/* Validate the geometry and fill *img (without data); *bytes gets the buffer size. */
static omreg_status init_header(struct omreg_image *img, size_t *bytes, int ndim,
                                const size_t *shape, int ncomp, omreg_dtype dtype,
                                const double *grid2world)
{
    OMREG_RETURN_IF(ndim != 2 && ndim != 3, OMREG_ESHAPE, "image: ndim %d is not 2 or 3", ndim);
    OMREG_RETURN_IF(shape == NULL, OMREG_EINVAL, "image: shape is NULL");
    OMREG_RETURN_IF(ncomp != 1 && ncomp != ndim, OMREG_ESHAPE,
                    "image: %d components (expected 1 or %d)", ncomp, ndim);
    OMREG_RETURN_IF(dtype != OMREG_F32 && dtype != OMREG_F64, OMREG_EINVAL,
                    "image: unknown dtype %d", (int)dtype);
    size_t count = (size_t)ncomp;
    for (int d = 0; d < ndim; ++d) {
        OMREG_RETURN_IF(shape[d] == 0, OMREG_ESHAPE, "image: axis %d has size 0", d);
        OMREG_FORWARD(omreg_size_mul(&count, count, shape[d]));
    }
    OMREG_FORWARD(omreg_size_mul(bytes, count, omreg_dtype_size(dtype)));
    memset(img, 0, sizeof *img);
    img->ndim = ndim;
    img->ncomp = ncomp;
    img->dtype = dtype;
    for (int d = 0; d < 3; ++d)
        img->shape[d] = d < ndim ? shape[d] : 1;
    if (grid2world) {
        OMREG_FORWARD(check_grid2world(ndim, grid2world));
        memcpy(img->grid2world, grid2world, sizeof(double) * (size_t)((ndim + 1) * (ndim + 1)));
    } else {
        omreg_mat_identity(ndim + 1, img->grid2world);
    }
    return OMREG_OK;
}

omreg_status omreg_image_create(omreg_image **out, int ndim, const size_t *shape, int ncomp,
                                omreg_dtype dtype, const double *grid2world)
{
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "image_create: out is NULL");
    struct omreg_image hdr, *img;
    size_t bytes;
    OMREG_FORWARD(init_header(&hdr, &bytes, ndim, shape, ncomp, dtype, grid2world));
    void *data = omreg_calloc(bytes, 1, "image data");
    if (data == NULL)
        return omreg_calloc_failure();
    img = omreg_calloc(1, sizeof *img, "image header");
    if (img == NULL) {
        free(data);
        return omreg_calloc_failure();
    }
    *img = hdr;
    img->data = data;
    img->owns = true;
    *out = img;
    return OMREG_OK;
}

omreg_status omreg_image_wrap(omreg_image **out, void *data, int ndim, const size_t *shape,
                              int ncomp, omreg_dtype dtype, const double *grid2world)
{
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "image_wrap: out is NULL");
    OMREG_RETURN_IF(data == NULL, OMREG_EINVAL, "image_wrap: data is NULL");
    struct omreg_image hdr, *img;
    size_t bytes;
    OMREG_FORWARD(init_header(&hdr, &bytes, ndim, shape, ncomp, dtype, grid2world));
    img = omreg_calloc(1, sizeof *img, "image header");
    if (img == NULL)
        return omreg_calloc_failure();
    *img = hdr;
    img->data = data;
    img->owns = false;
    *out = img;
    return OMREG_OK;
}

void omreg_image_free(omreg_image *image)
{
    if (image == NULL)
        return;
    if (image->owns)
        free(image->data);
    free(image);
}

int omreg_image_ndim(const omreg_image *image) { return image->ndim; }
int omreg_image_ncomp(const omreg_image *image) { return image->ncomp; }
omreg_dtype omreg_image_dtype(const omreg_image *image) { return image->dtype; }
const size_t *omreg_image_shape(const omreg_image *image) { return image->shape; }
size_t omreg_image_voxels(const omreg_image *image)
{
    return image->shape[0] * image->shape[1] * image->shape[2];
}
void *omreg_image_data(omreg_image *image) { return image->data; }
const void *omreg_image_cdata(const omreg_image *image) { return image->data; }
bool omreg_image_owns_data(const omreg_image *image) { return image->owns; }
const double *omreg_image_grid2world(const omreg_image *image) { return image->grid2world; }

omreg_status omreg_image_set_grid2world(omreg_image *image, const double *grid2world)
{
    OMREG_RETURN_IF(image == NULL || grid2world == NULL, OMREG_EINVAL,
                    "set_grid2world: NULL argument");
    OMREG_FORWARD(check_grid2world(image->ndim, grid2world));
    memcpy(image->grid2world, grid2world,
           sizeof(double) * (size_t)((image->ndim + 1) * (image->ndim + 1)));
    return OMREG_OK;
}
