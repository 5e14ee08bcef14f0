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
#include "omreg/smooth.h"
#include "omreg/vector_fields.h"
#include "omreg/warp.h"

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
omreg_status omreg_warp_threads(const omreg_backend *backend, int nthreads,
                                const omreg_image *image, const omreg_image *field,
                                const double *affine_idx_in, const double *affine_idx_out,
                                const double *affine_disp, const size_t *out_shape,
                                omreg_warp_interp interp, omreg_image **out);
omreg_status omreg_resample_displacement_field_threads(const omreg_backend *backend,
                                                       int nthreads, const omreg_image *field,
                                                       const double *factors,
                                                       const size_t *out_shape, omreg_image **out);
omreg_status omreg_compose_vector_fields_threads(const omreg_backend *backend, int nthreads,
                                                 const omreg_image *d1, const omreg_image *d2,
                                                 const double *premult_index,
                                                 const double *premult_disp, double time_scaling,
                                                 omreg_image *comp, double stats[3]);

#endif
