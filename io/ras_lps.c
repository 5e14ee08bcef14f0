/* The change of world coordinates between RAS (nibabel, DIPY) and LPS (ITK,
 * elastix): M_lps = F M_ras F with F = diag(-1, -1[, 1], 1), ITK's affine
 * parameterisation x -> A (x - c) + c + t, and a grid's LPS spacing,
 * direction and origin (io/ras_lps.h, omreg/transform_file.h). */
#include "ras_lps.h"

#include "error.h"
#include "omreg/matrix.h"
#include "omreg/transform_file.h"

void affine_from_itk_parameters(int dim, const double *p, const double *c, double *affine)
{
    /* LPS x -> A x + (t + c - A c), then F M F */
    const int n1 = dim + 1;
    double lps[16];
    omreg_mat_identity(n1, lps);
    for (int r = 0; r < dim; ++r) {
        double ac = 0.0;
        for (int k = 0; k < dim; ++k) {
            lps[r * n1 + k] = p[r * dim + k];
            ac += p[r * dim + k] * c[k];
        }
        lps[r * n1 + dim] = p[dim * dim + r] + c[r] - ac;
    }
    omreg_affine_ras_lps(dim, lps, affine);
}

void itk_parameters_from_affine(int dim, const double *affine, const double *c, double *p)
{
    const int n1 = dim + 1;
    double lps[16];
    omreg_affine_ras_lps(dim, affine, lps);
    for (int r = 0; r < dim; ++r) {
        double ac = 0.0;
        for (int k = 0; k < dim; ++k) {
            p[r * dim + k] = lps[r * n1 + k];
            ac += lps[r * n1 + k] * c[k];
        }
        p[dim * dim + r] = lps[r * n1 + dim] - c[r] + ac;
    }
}

omreg_status grid_lps_geometry(int dim, const double *g, double *spacing, double *direction,
                               double *origin)
{
    OMREG_FORWARD(omreg_get_direction_and_spacings(dim, g, direction, spacing));
    for (int r = 0; r < 2; ++r) /* F G: rows x and y change sign */
        for (int c = 0; c < dim; ++c)
            direction[r * dim + c] = -direction[r * dim + c] + 0.0;
    for (int r = 0; r < dim; ++r)
        origin[r] = (r < 2 ? -g[r * (dim + 1) + dim] : g[r * (dim + 1) + dim]) + 0.0;
    return OMREG_OK;
}

void omreg_affine_ras_lps(int dim, const double *in, double *out)
{
    /* (F M F)[r][c] = f_r f_c M[r][c], f = (-1, -1[, 1], 1) */
    const int n1 = dim + 1;
    for (int r = 0; r < n1; ++r)
        for (int c = 0; c < n1; ++c) {
            const double fr = r < 2 ? -1.0 : 1.0, fc = c < 2 ? -1.0 : 1.0;
            out[r * n1 + c] = fr * fc * in[r * n1 + c] + 0.0; /* -0 -> +0 */
        }
}

