/* Synthetic test images: Gaussian blobs placed by the counter-based
 * generator, so every run and every machine builds the same bytes. */
#ifndef OMREG_TEST_PHANTOM_H
#define OMREG_TEST_PHANTOM_H

#include <stddef.h>
#include <stdint.h>

#include "omreg/backend.h"
#include "omreg/image.h"

/* Ten blobs (amplitude 50..200, width 1.5..4 voxels) in the central 60% of
 * a float64 image of the given shape and grid; the caller frees it. */
/* img (float64 scalar, 2D or 3D) += amplitude * exp(-|x - centre|^2 / (2 width^2)),
 * x the voxel index */
void omreg_test_add_blob(omreg_image *img, const double *centre, double width,
                         double amplitude);

omreg_image *omreg_test_blobs(int dim, const size_t *shape, const double *g2w, uint64_t seed);

/* The whole-registration pair of the equality tests: blobs (seed 7) on a
 * 22x20x18 (3D) or 56x52 (2D) grid, spacing 1 + 0.1 k per axis, centred,
 * with a little obliquity (g2w[1] = 0.05), in *s; in *m the same image
 * moved by a 0.07 rad rotation and a 1.5 shift along the first axis
 * (moving(T x) = static(x)), resampled with backend b. g2w (16 doubles)
 * receives the grid. The caller frees both. */
void omreg_test_affine_pair(const omreg_backend *b, int dim, double *g2w,
                            omreg_image **s, omreg_image **m);

#endif
