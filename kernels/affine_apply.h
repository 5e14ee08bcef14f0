/* x' = A (x, h) for a homogeneous affine, one output row at a time, summed
 * left to right exactly as DIPY's _apply_affine_{2,3}d_x{0,1,2}
 * (vector_fields.pxd) so results match bit for bit. A is row-major. */
#ifndef OMREG_CORE_AFFINE_APPLY_H
#define OMREG_CORE_AFFINE_APPLY_H

/* row r of a 3x3 affine times (x0, x1, h) */
static inline double affine_apply_2d(const double *a, int r, double x0, double x1, double h)
{
    return a[r * 3 + 0] * x0 + a[r * 3 + 1] * x1 + h * a[r * 3 + 2];
}

/* row r of a 4x4 affine times (x0, x1, x2, h) */
static inline double affine_apply_3d(const double *a, int r, double x0, double x1, double x2,
                                     double h)
{
    return a[r * 4 + 0] * x0 + a[r * 4 + 1] * x1 + a[r * 4 + 2] * x2 + h * a[r * 4 + 3];
}

#endif
