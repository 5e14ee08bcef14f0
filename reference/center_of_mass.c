/* Reference centre-of-mass reduction (kernels_center_of_mass.h; for DIPY's
 * transform_centers_of_mass): block partials per row (2D) / slice (3D),
 * added to the totals in block order. Serially, adding each block's partial
 * as soon as it is done is the same arithmetic as storing the partials and
 * adding them afterwards, so scratch is not needed here. */
#include "center_of_mass_point.h"
#include "kernels.h"

void omreg_ref_center_of_mass_2d_f64(int nthreads, const double *img, const size_t shape[2],
                                     double *scratch, double sums[3])
{
    (void)nthreads;
    (void)scratch;
    double total[3] = {0.0, 0.0, 0.0};
    for (size_t i = 0; i < shape[0]; ++i) {
        double part[3];
        omreg_com_row_2d(img, shape, i, part);
        for (int c = 0; c < 3; ++c)
            total[c] += part[c];
    }
    for (int c = 0; c < 3; ++c)
        sums[c] = total[c];
}

void omreg_ref_center_of_mass_3d_f64(int nthreads, const double *img, const size_t shape[3],
                                     double *scratch, double sums[4])
{
    (void)nthreads;
    (void)scratch;
    double total[4] = {0.0, 0.0, 0.0, 0.0};
    for (size_t k = 0; k < shape[0]; ++k) {
        double part[4];
        omreg_com_slice_3d(img, shape, k, part);
        for (int c = 0; c < 4; ++c)
            total[c] += part[c];
    }
    for (int c = 0; c < 4; ++c)
        sums[c] = total[c];
}
