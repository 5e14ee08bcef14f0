/* Homogeneous-affine helpers: validity, inverse, product, and DIPY's
 * get_direction_and_spacings (imwarp.py). */
#include <float.h>
#include <math.h>
#include <string.h>

#include "error.h"
#include "omreg/matrix.h"

bool omreg_mat_is_finite(int n, const double *a)
{
    for (int i = 0; i < n * n; ++i)
        if (!isfinite(a[i]))
            return false;
    return true;
}

bool omreg_affine_is_valid(int dim, const double *a)
{
    int n = dim + 1;
    if (!omreg_mat_is_finite(n, a))
        return false;
    for (int c = 0; c < dim; ++c)
        if (a[dim * n + c] != 0.0)
            return false;
    return a[dim * n + dim] == 1.0;
}

void omreg_mat_identity(int n, double *a)
{
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j)
            a[i * n + j] = (i == j) ? 1.0 : 0.0;
}

void omreg_mat_embed_4x4(int dim, const double *a, double *a4)
{
    omreg_mat_identity(4, a4);
    for (int r = 0; r < dim; ++r) {
        for (int k = 0; k < dim; ++k)
            a4[r * 4 + k] = a[r * (dim + 1) + k];
        a4[r * 4 + 3] = a[r * (dim + 1) + dim];
    }
}

void omreg_mat_mul(int n, const double *a, const double *b, double *c)
{
    double t[16];
    for (int i = 0; i < n; ++i)
        for (int j = 0; j < n; ++j) {
            double s = 0.0;
            for (int k = 0; k < n; ++k)
                s += a[i * n + k] * b[k * n + j];
            t[i * n + j] = s;
        }
    memcpy(c, t, sizeof(double) * (size_t)(n * n));
}

omreg_status omreg_mat_inverse(int n, const double *a, double *inv)
{
    OMREG_RETURN_IF(n < 1 || n > 4, OMREG_EINVAL, "matrix inverse: size %d not in 1..4", n);
    OMREG_RETURN_IF(!omreg_mat_is_finite(n, a), OMREG_ENONFINITE,
                    "matrix inverse: non-finite entry");
    double m[16], r[16], scale = 0.0;
    memcpy(m, a, sizeof(double) * (size_t)(n * n));
    omreg_mat_identity(n, r);
    for (int i = 0; i < n * n; ++i)
        scale = fmax(scale, fabs(m[i]));
    for (int col = 0; col < n; ++col) {
        int piv = col;
        for (int row = col + 1; row < n; ++row)
            if (fabs(m[row * n + col]) > fabs(m[piv * n + col]))
                piv = row;
        OMREG_RETURN_IF(fabs(m[piv * n + col]) <= 1e-12 * scale, OMREG_ESINGULAR,
                        "matrix is singular (pivot %g in column %d)", m[piv * n + col], col);
        if (piv != col)
            for (int j = 0; j < n; ++j) {
                double t = m[col * n + j];
                m[col * n + j] = m[piv * n + j];
                m[piv * n + j] = t;
                t = r[col * n + j];
                r[col * n + j] = r[piv * n + j];
                r[piv * n + j] = t;
            }
        double d = m[col * n + col];
        for (int j = 0; j < n; ++j) {
            m[col * n + j] /= d;
            r[col * n + j] /= d;
        }
        for (int row = 0; row < n; ++row) {
            if (row == col)
                continue;
            double f = m[row * n + col];
            for (int j = 0; j < n; ++j) {
                m[row * n + j] -= f * m[col * n + j];
                r[row * n + j] -= f * r[col * n + j];
            }
        }
    }
    /* a tiny but above-threshold pivot can still overflow the inverse */
    OMREG_RETURN_IF(!omreg_mat_is_finite(n, r), OMREG_ESINGULAR,
                    "matrix inverse overflows (numerically singular)");
    memcpy(inv, r, sizeof(double) * (size_t)(n * n));
    return OMREG_OK;
}

omreg_status omreg_get_direction_and_spacings(int dim, const double *affine, double *direction,
                                              double *spacings)
{
    OMREG_RETURN_IF(dim < 1 || dim > 3, OMREG_EINVAL, "direction/spacings: dim %d not in 1..3",
                    dim);
    if (affine == NULL) {
        omreg_mat_identity(dim, direction);
        for (int c = 0; c < dim; ++c)
            spacings[c] = 1.0;
        return OMREG_OK;
    }
    int n = dim + 1;
    OMREG_RETURN_IF(!omreg_mat_is_finite(n, affine), OMREG_ENONFINITE,
                    "direction/spacings: non-finite affine");
    double sp[3];
    /* spacing_c = sqrt(sum_r A[r][c]^2), the column norms of the linear part,
     * rounded to float like DIPY's: it reads them back as the zooms of a
     * nibabel NIfTI header, whose pixdim field is float32. Norms beyond the
     * float range become +inf (an overflow) instead of an undefined cast. */
    for (int c = 0; c < dim; ++c) {
        double s = 0.0;
        for (int r = 0; r < dim; ++r)
            s += affine[r * n + c] * affine[r * n + c];
        sp[c] = sqrt(s) <= FLT_MAX ? (double)(float)sqrt(s) : HUGE_VAL;
        OMREG_RETURN_IF(sp[c] == 0.0, OMREG_ESINGULAR,
                        "direction/spacings: column %d of the affine is zero", c);
        OMREG_RETURN_IF(!isfinite(sp[c]), OMREG_ENONFINITE,
                        "direction/spacings: the norm of column %d overflows", c);
    }
    /* direction = A . diag(1 / spacings) */
    for (int r = 0; r < dim; ++r)
        for (int c = 0; c < dim; ++c)
            direction[r * dim + c] = affine[r * n + c] * (1.0 / sp[c]);
    for (int c = 0; c < dim; ++c)
        spacings[c] = sp[c];
    return OMREG_OK;
}
