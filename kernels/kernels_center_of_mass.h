/* Centre of mass of a scalar image as a canonical-order reduction (DESIGN.md,
 * contract item 2), for DIPY's transform_centers_of_mass (imaffine.py, which
 * calls scipy.ndimage.center_of_mass). The kernel returns the mass and the
 * first moments in grid coordinates:
 *   sums[0] = sum I(v),  sums[1 + k] = sum I(v) * v_k  (k = 0 .. dim-1)
 * Blocks are rows (2D) or slices (3D) along axis 0; a block's partials are
 * accumulated over its voxels in C order (kernels/center_of_mass_point.h) and
 * the totals add the block partials in block order, starting from 0.
 * scratch holds (dim + 1) * shape[0] doubles. */
#ifndef OMREG_CORE_KERNELS_CENTER_OF_MASS_H
#define OMREG_CORE_KERNELS_CENTER_OF_MASS_H

#include <stddef.h>

typedef void omreg_center_of_mass_2d_f64_fn(int nthreads, const double *img, const size_t shape[2],
                                            double *scratch, double sums[3]);
typedef void omreg_center_of_mass_3d_f64_fn(int nthreads, const double *img, const size_t shape[3],
                                            double *scratch, double sums[4]);

#endif
