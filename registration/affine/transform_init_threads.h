/* omreg_transform_centers_of_mass (include/omreg/transform.h) with the
 * registration's thread count given (nthreads >= 1; 0: the backend's
 * default), for the affine pipeline's centre-of-mass stage (api/api_threads.h's
 * convention). Same checks, statuses and results as the public function,
 * which passes 0. */
#ifndef OMREG_TRANSFORM_INIT_THREADS_H
#define OMREG_TRANSFORM_INIT_THREADS_H

#include "omreg/transform.h"

omreg_status omreg_transform_centers_of_mass_threads(const omreg_backend *backend, int nthreads,
                                                     const omreg_image *static_img,
                                                     const omreg_image *moving, double *affine);

#endif
