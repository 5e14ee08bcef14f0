/* Parallel centre-of-mass sums (kernels_center_of_mass.h; for DIPY's
 * transform_centers_of_mass). Threads compute the block partials (one row
 * in 2D, one slice in 3D, with the same shared routine as the reference)
 * into scratch[block * (dim + 1) + c]; one thread then adds them to the
 * totals in block order, which is exactly the reference's sequence of
 * additions, so the result is independent of threads and schedule. */
#include "center_of_mass_point.h"
#include "kernels.h"

void omreg_par_center_of_mass_2d_f64(int nthreads, const double *img, const size_t shape[2],
                                     double *scratch, double sums[3])
{
    const size_t nblocks = shape[0];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < nblocks; ++i)
        omreg_com_row_2d(img, shape, i, scratch + 3 * i);
    double total[3] = {0.0, 0.0, 0.0};
    for (size_t i = 0; i < nblocks; ++i) /* block order: the canonical sum */
        for (int c = 0; c < 3; ++c)
            total[c] += scratch[3 * i + (size_t)c];
    for (int c = 0; c < 3; ++c)
        sums[c] = total[c];
}

void omreg_par_center_of_mass_3d_f64(int nthreads, const double *img, const size_t shape[3],
                                     double *scratch, double sums[4])
{
    const size_t nblocks = shape[0];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t k = 0; k < nblocks; ++k)
        omreg_com_slice_3d(img, shape, k, scratch + 4 * k);
    double total[4] = {0.0, 0.0, 0.0, 0.0};
    for (size_t k = 0; k < nblocks; ++k) /* block order: the canonical sum */
        for (int c = 0; c < 4; ++c)
            total[c] += scratch[4 * k + (size_t)c];
    for (int c = 0; c < 4; ++c)
        sums[c] = total[c];
}
