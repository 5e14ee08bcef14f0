/* The scale spaces of include/omreg/scalespace.h with the registration's
 * thread count given (nthreads >= 1; 0: the backend's default), so that
 * their smoothing sizes its line buffers from the run's fixed count
 * (api/api_threads.h). Same checks, statuses and results as the public
 * functions, which pass 0. */
#ifndef OMREG_SCALESPACE_THREADS_H
#define OMREG_SCALESPACE_THREADS_H

#include "omreg/scalespace.h"

omreg_status omreg_scale_space_isotropic_threads(const omreg_backend *b, int nthreads,
                                                 const omreg_image *image, int nlevels,
                                                 const int *factors, const double *sigmas,
                                                 omreg_scale_space **out);
omreg_status omreg_scale_space_anisotropic_threads(const omreg_backend *b, int nthreads,
                                                   const omreg_image *image, int nlevels,
                                                   double sigma_factor, omreg_scale_space **out);

#endif
