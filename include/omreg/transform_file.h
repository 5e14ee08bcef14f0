/* Transform files of the ITK world beside omreg's own: ITK's text transform
 * format (AffineTransform_double_3_3 / 2_2), elastix's TransformParameters
 * files (AffineTransform, DeformationFieldTransform) and the RAS <-> LPS
 * change of world coordinates between DIPY/nibabel and ITK. */
#ifndef OMREG_TRANSFORM_FILE_H
#define OMREG_TRANSFORM_FILE_H

#include <stddef.h>

#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Every matrix here is (dim+1)x(dim+1), row-major, dim 2 or 3, in omreg's
 * convention: DIPY's AffineMap.affine, static (fixed) world point -> moving
 * world point, RAS world coordinates (nibabel's). ITK and elastix files map
 * the same direction (fixed point -> moving point) in LPS coordinates:
 * M_lps = F M_ras F with F = diag(-1, -1[, 1], 1). In 2D both axes flip:
 * a 2D image is the plane z = 0 of the 3D convention. */

typedef enum omreg_transform_format {
    OMREG_TRANSFORM_MATRIX = 0, /* rows of numbers: DIPY's AffineMap.affine */
    OMREG_TRANSFORM_ITK,        /* "#Insight Transform File V1.0" */
    OMREG_TRANSFORM_ELASTIX,    /* "(Transform ...)" parameter map */
} omreg_transform_format;

/** Which format a file's text has, from its content: a first non-blank
 * line "#Insight Transform File" is ITK; a "(Transform " entry (after
 * optional "//" comments) is elastix; anything else is treated as a
 * matrix (its own parser then judges it). */
omreg_transform_format omreg_transform_format_detect(const char *text);

/** Short name of a format: "matrix", "itk", "elastix". */
const char *omreg_transform_format_name(omreg_transform_format format);

/** out = F in F (F as above): RAS <-> LPS for a (dim+1)^2 affine; its own
 * inverse. in and out may alias. */
void omreg_affine_ras_lps(int dim, const double *in, double *out);

/** Parse ITK's text transform format holding exactly one transform
 * AffineTransform_{double,float}_D_D or MatrixOffsetTransformBase_..._D_D
 * (D = dim): Parameters = the matrix row-major then the translation,
 * FixedParameters = the centre c; x -> A (x - c) + c + t in LPS. *affine
 * receives the RAS matrix. Returns OMREG_EINVAL (NULL, bad dim),
 * OMREG_EFORMAT (not that format, a missing or short line, a non-finite
 * number), OMREG_EUNSUPPORTED (another transform type, a composite or
 * several transforms, another dimension), with a one-line message. */
omreg_status omreg_itk_affine_parse(const char *text, int dim, double *affine);

/** Format affine (RAS) as an ITK text transform AffineTransform_double_D_D
 * with centre 0 (so Parameters hold the LPS matrix and offset exactly),
 * numbers in %.17g. *text is malloc'd, owned by the caller. Returns
 * OMREG_EINVAL, OMREG_ENONFINITE, OMREG_ENOMEM. */
omreg_status omreg_itk_affine_format(int dim, const double *affine, char **text);

/** The fixed image grid an elastix parameter file names: shape (numpy
 * order = ITK's Size order for NIfTI) and the RAS grid-to-world. */
typedef struct omreg_elastix_grid {
    int dim;
    size_t shape[3];
    double grid2world[16]; /* (dim+1)^2, row-major */
} omreg_elastix_grid;

/** Parse an elastix TransformParameters file holding a linear transform:
 * "AffineTransform" (TransformParameters = matrix row-major then
 * translation, LPS; CenterOfRotationPoint), "EulerTransform" (angles about
 * x, y, z in radians (one angle in 2D), then translation; centre;
 * R = Rz Rx Ry, or Rz Ry Rx with ComputeZYX "true", as ITK's
 * Euler3DTransform) or "TranslationTransform"; *affine receives the RAS
 * matrix. Rejects with OMREG_EUNSUPPORTED a chain
 * (InitialTransformParametersFileName other than "NoInitialTransform"),
 * another transform type, HowToCombineTransforms other than "Compose", a
 * dimension other than dim; OMREG_EFORMAT for a missing or malformed
 * entry. */
omreg_status omreg_elastix_affine_parse(const char *text, int dim, double *affine);

/** Format affine (RAS) as an elastix AffineTransform parameter file on the
 * fixed grid (Size, Spacing, Origin, Direction in LPS, Direction column by
 * column as elastix writes it), CenterOfRotationPoint = the grid's centre,
 * linear resampling, float result, default pixel value 0. initial: NULL
 * for "NoInitialTransform", else the file name written into
 * InitialTransformParametersFileName (applied first: x -> A(T0(x))).
 * Returns OMREG_EINVAL, OMREG_ENONFINITE, OMREG_ESINGULAR (a grid with a
 * zero spacing), OMREG_ENOMEM. */
omreg_status omreg_elastix_affine_format(int dim, const double *affine,
                                         const omreg_elastix_grid *grid, const char *initial,
                                         char **text);

/** Format an elastix DeformationFieldTransform parameter file on grid
 * whose DeformationFieldFileName is field_file (an ITK displacement field,
 * omreg/itk_field.h). Same statuses as omreg_elastix_affine_format. */
omreg_status omreg_elastix_field_format(const char *field_file, const omreg_elastix_grid *grid,
                                        char **text);

/** Parse an elastix DeformationFieldTransform parameter file: *field_file
 * receives its DeformationFieldFileName (malloc'd, owned by the caller).
 * Same rejections as omreg_elastix_affine_parse. */
omreg_status omreg_elastix_field_parse(const char *text, int dim, char **field_file);

/** The Transform entry of an elastix parameter file ("AffineTransform",
 * ...) into buf (n bytes); OMREG_EFORMAT when absent. */
omreg_status omreg_elastix_transform_name(const char *text, char *buf, size_t n);

/** Read a whole text file (at most max_bytes) into a malloc'd,
 * NUL-terminated string. Returns OMREG_EIO (unreadable), OMREG_EFORMAT
 * (larger than max_bytes or holding a NUL byte), OMREG_ENOMEM. */
omreg_status omreg_text_file_read(const char *path, size_t max_bytes, char **text);

#ifdef __cplusplus
}
#endif
#endif
