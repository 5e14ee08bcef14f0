/* Public entry points a registration calls, with the run's thread count
 * given (nthreads >= 1, its context's; 0: the backend's default,
 * omreg_backend_threads) instead of read from the backend at the call: a
 * registration fixes its count once (api_run.h, omreg_run_ctx) and passes
 * it to every call, so a progress callback that changes OpenMP's count
 * cannot change a run. Same checks, statuses and results as the public
 * functions, which pass 0. */
#ifndef OMREG_API_THREADS_H
#define OMREG_API_THREADS_H

#include "omreg/affine.h"
#include "omreg/crosscorr.h"
#include "omreg/expectmax.h"
#include "omreg/smooth.h"

omreg_status omreg_gaussian_filter_threads(const omreg_backend *backend, int nthreads,
                                           const omreg_image *in, const double *sigmas,
                                           omreg_smooth_mode mode, double cval, double truncate,
                                           omreg_image **out);
omreg_status omreg_gaussian_filter_inplace_threads(const omreg_backend *backend, int nthreads,
                                                   omreg_image *image, const double *sigmas,
                                                   omreg_smooth_mode mode, double cval,
                                                   double truncate);
omreg_status omreg_cc_precompute_factors_threads(const omreg_backend *backend, int nthreads,
                                                 const omreg_image *static_img,
                                                 const omreg_image *moving_img, size_t radius,
                                                 omreg_cc_method method, void **factors);

omreg_status omreg_affine_map_transform_threads(const omreg_backend *b, int nthreads,
                                                const double *affine, int inverse,
                                                const omreg_image *image, const size_t *shape,
                                                const double *grid2world, int nearest,
                                                omreg_image **out);
omreg_status omreg_quantize_positive_threads(const omreg_backend *backend, int nthreads,
                                             const omreg_image *v, int num_levels, int **labels,
                                             void **levels, int **hist);
omreg_status omreg_compute_masked_class_stats_threads(const omreg_backend *backend, int nthreads,
                                                      const int *mask, const omreg_image *v,
                                                      int num_labels, const int *labels,
                                                      void **means, void **variances);

#endif
