/* Accuracy measures for known-answer tests and benchmarks (not used by the
 * registrations themselves, so they are plain serial loops). */
#ifndef OMREG_EVALUATE_H
#define OMREG_EVALUATE_H

#include "omreg/export.h"

#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Distance in world units between est * x and truth * x over the world
 * points x of the voxels of `ref` whose intensity exceeds `threshold`
 * (e.g. brain voxels): *mean and *max. Matrices are (dim+1)^2 for ref's
 * dim. Returns OMREG_EINVAL (NULL), OMREG_ENONFINITE (non-finite matrix),
 * OMREG_ESHAPE (no voxel above the threshold). */
OMREG_API omreg_status omreg_affine_error(const double *est, const double *truth,
                                          const omreg_image *ref, double threshold, double *mean,
                                          double *max);

#ifdef __cplusplus
}
#endif
#endif
