/* Small dense matrix helpers for (ndim+1)x(ndim+1) homogeneous affines,
 * row-major. */
#ifndef OMREG_MATRIX_H
#define OMREG_MATRIX_H

#include <stdbool.h>

#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** True when every entry of the n x n matrix is finite. */
bool omreg_mat_is_finite(int n, const double *a);

/** True when a is a finite (dim+1)x(dim+1) homogeneous affine: finite
 * entries and last row (0, ..., 0, 1) (DIPY's is_valid_affine). */
bool omreg_affine_is_valid(int dim, const double *a);

/** inv = a^-1 for an n x n matrix (n <= 4), Gauss-Jordan with partial
 * pivoting. Returns OMREG_ESINGULAR (inv untouched) when a pivot is below
 * 1e-12 times the largest entry or the inverse overflows, OMREG_ENONFINITE
 * for non-finite input,
 * OMREG_EINVAL for n outside 1..4. a and inv may alias. */
omreg_status omreg_mat_inverse(int n, const double *a, double *inv);

/** c = a * b for n x n matrices; c may alias a or b. */
void omreg_mat_mul(int n, const double *a, const double *b, double *c);

/** Identity n x n. */
void omreg_mat_identity(int n, double *a);

/** The (dim+1)x(dim+1) affine a as a 4x4 (a4): a copy in 3D; in 2D the
 * in-plane affine with z mapping to itself, as omreg and nibabel save 2D
 * arrays. */
void omreg_mat_embed_4x4(int dim, const double *a, double *a4);

/** DIPY's get_direction_and_spacings: for the (dim+1)x(dim+1) affine,
 * spacings[c] = norm of column c of the linear part, direction = linear
 * part with each column divided by its spacing (dim x dim, row-major).
 * NULL affine gives identity and ones. Returns OMREG_ESINGULAR when a
 * column has zero norm, OMREG_ENONFINITE for non-finite input or a column
 * norm that overflows. */
omreg_status omreg_get_direction_and_spacings(int dim, const double *affine, double *direction,
                                              double *spacings);

#ifdef __cplusplus
}
#endif
#endif
