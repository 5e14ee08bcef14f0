/* RAS (nibabel, DIPY) <-> LPS (ITK, elastix) for the transform formats:
 * ITK's affine parameters about a centre, and a grid's LPS geometry. The
 * public flip of a matrix is omreg_affine_ras_lps (omreg/transform_file.h). */
#ifndef OMREG_IO_RAS_LPS_H
#define OMREG_IO_RAS_LPS_H

#include "omreg/status.h"

/* ITK/elastix parameters p (LPS matrix row-major, then translation t) and
 * centre c -> the RAS affine of x -> A (x - c) + c + t. */
void affine_from_itk_parameters(int dim, const double *p, const double *c, double *affine);
/* The inverse: the parameters p of the RAS affine about the LPS centre c
 * (t = offset - c + A c). */
void itk_parameters_from_affine(int dim, const double *affine, const double *c, double *p);

/* The grid's LPS spacing, direction (row-major dim x dim) and origin: the
 * RAS grid-to-world G becomes F G, spacing = column norms. OMREG_ESINGULAR
 * for a zero column. */
omreg_status grid_lps_geometry(int dim, const double *grid2world, double *spacing,
                               double *direction, double *origin);

#endif
