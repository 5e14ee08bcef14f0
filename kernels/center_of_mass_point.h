/* One block of the centre-of-mass reduction (kernels_center_of_mass.h),
 * shared by both backends so the block partials are the same bits: a row of
 * a 2D image or a slice of a 3D image, voxels in C order, each voxel adding
 * I, I*v_0, I*v_1 (, I*v_2) to the partials, which start at 0. */
#ifndef OMREG_CORE_CENTER_OF_MASS_POINT_H
#define OMREG_CORE_CENTER_OF_MASS_POINT_H

#include <stddef.h>

/* Row i of a 2D image of shape (rows, cols): part[0..2]. */
static inline void omreg_com_row_2d(const double *img, const size_t shape[2], size_t i,
                                    double part[3])
{
    const double *row = img + i * shape[1];
    const double vi = (double)i;
    double m = 0.0, mi = 0.0, mj = 0.0;
    for (size_t j = 0; j < shape[1]; ++j) {
        const double v = row[j];
        m += v;
        mi += v * vi;
        mj += v * (double)j;
    }
    part[0] = m;
    part[1] = mi;
    part[2] = mj;
}

/* Slice k of a 3D image of shape (slices, rows, cols): part[0..3]. */
static inline void omreg_com_slice_3d(const double *img, const size_t shape[3], size_t k,
                                      double part[4])
{
    const double *slice = img + k * shape[1] * shape[2];
    const double vk = (double)k;
    double m = 0.0, mk = 0.0, mi = 0.0, mj = 0.0;
    for (size_t i = 0; i < shape[1]; ++i) {
        const double *row = slice + i * shape[2];
        const double vi = (double)i;
        for (size_t j = 0; j < shape[2]; ++j) {
            const double v = row[j];
            m += v;
            mk += v * vk;
            mi += v * vi;
            mj += v * (double)j;
        }
    }
    part[0] = m;
    part[1] = mk;
    part[2] = mi;
    part[3] = mj;
}

#endif
