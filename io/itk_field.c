/* DIPY displacement fields (RAS components, (X, Y, Z, 3)) to ITK's
 * displacement field layout ((X, Y, Z, 1, 3), intent vector, LPS
 * components) and the test that recognises the latter. */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "omreg/itk_field.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"

bool omreg_itk_field_layout(int dim, int ndim, const size_t *shape, int intent_code)
{
    if (shape == NULL || ndim != 5 || intent_code != OMREG_NIFTI_INTENT_VECTOR)
        return false;
    if (dim == 3)
        return shape[3] == 1 && shape[4] == 3;
    return dim == 2 && shape[2] == 1 && shape[3] == 1 && shape[4] == 2;
}

void omreg_field_ras_lps(int dim, size_t n, float *v)
{
    /* F = diag(-1, -1[, 1]): x and y change sign */
    for (size_t i = 0; i < n; ++i) {
        v[i * (size_t)dim] = -v[i * (size_t)dim];
        v[i * (size_t)dim + 1] = -v[i * (size_t)dim + 1];
    }
}

omreg_status omreg_itk_field_write(const omreg_backend *backend, const char *path,
                                   const omreg_image *field)
{
    OMREG_RETURN_IF(path == NULL || field == NULL, OMREG_EINVAL, "itk_field_write: NULL");
    const int dim = omreg_image_ndim(field);
    OMREG_RETURN_IF(omreg_image_ncomp(field) != dim || omreg_image_dtype(field) != OMREG_F32,
                    OMREG_EINVAL, "itk_field_write: not a float32 %dD displacement field", dim);
    const size_t nvox = omreg_image_voxels(field), *s = omreg_image_shape(field);
    float *data = malloc(nvox * (size_t)dim * sizeof *data);
    OMREG_RETURN_IF(data == NULL, OMREG_ENOMEM, "%s: out of memory", path);
    memcpy(data, omreg_image_cdata(field), nvox * (size_t)dim * sizeof *data);
    omreg_field_ras_lps(dim, nvox, data);
    /* numpy C order (X, Y, Z, 1, 3) is the same memory as (X, Y, Z, 3) */
    size_t shape[5] = {s[0], s[1], dim == 3 ? s[2] : 1, 1, (size_t)dim};
    double a4[16];
    omreg_mat_embed_4x4(dim, omreg_image_grid2world(field), a4);
    omreg_status st = omreg_nifti_write_array_intent(backend, path, 5, shape, OMREG_F32, data, a4,
                                                     OMREG_NIFTI_INTENT_VECTOR);
    free(data);
    return st;
}
