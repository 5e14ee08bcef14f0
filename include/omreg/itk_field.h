/* Displacement fields in ITK's layout (what ANTs writes and elastix's
 * DeformationFieldTransform reads): a 5D NIfTI vector image (X, Y, Z, 1, 3)
 * ((X, Y, 1, 1, 2) in 2D), intent_code 1007 (vector), displacements in mm
 * with LPS components, on the fixed (static) grid: point x -> x + v(x). */
#ifndef OMREG_ITK_FIELD_H
#define OMREG_ITK_FIELD_H

#include <stdbool.h>
#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** NIFTI_INTENT_VECTOR: the intent ITK writes on vector images. */
#define OMREG_NIFTI_INTENT_VECTOR 1007

/** True when a NIfTI array of numpy shape shape[0..ndim-1] with that
 * intent_code is a dim-D ITK displacement field: ndim 5, intent vector,
 * (X, Y, Z, 1, 3) for dim 3, (X, Y, 1, 1, 2) for dim 2. DIPY's own fields
 * (nibabel-saved, no intent) never match. */
bool omreg_itk_field_layout(int dim, int ndim, const size_t *shape, int intent_code);

/** Negate the x and y components of n interleaved dim-vectors: RAS <->
 * LPS (its own inverse). */
void omreg_field_ras_lps(int dim, size_t n, float *v);

/** Write field (float32, ncomp == ndim, RAS displacements in mm as DIPY's
 * fields are, on its grid) as an ITK displacement field: the layout above,
 * affine = the field's grid-to-world (4x4, a 2D one embedded with z
 * unchanged), through omreg_nifti_write_array_intent (temporary file then
 * rename; gzip when path ends in .nii.gz, chunks deflated by backend, which
 * may be NULL). Returns OMREG_EINVAL (NULL, not a float32 field), the
 * writer's statuses, OMREG_ENOMEM. */
omreg_status omreg_itk_field_write(const omreg_backend *backend, const char *path,
                                   const omreg_image *field);

#ifdef __cplusplus
}
#endif
#endif
