/* Unchecked internal runs of public entry points, for the drivers'
 * iteration loops (issue 13 item 4; zstd's shape): the public function
 * validates and allocates its outputs, then calls the run; a driver sizes
 * the outputs and scratch once per level (its workspace) and calls the run
 * directly, with no re-validation and no allocation. Arguments must be
 * what the public function would have accepted.
 *
 * A run is given its context: the backend table and the thread count every
 * kernel of the run receives (its first argument, the team size of every
 * parallel region; per-thread scratch is sized for it). A registration
 * creates the context once from its options; a public entry point is a
 * run of its own and resolves the count once (omreg_run_ctx_of(b, 0)). */
#ifndef OMREG_API_RUN_H
#define OMREG_API_RUN_H

#include <stddef.h>

#include "backend.h"
#include "omreg/crosscorr.h"
#include "omreg/image.h"
#include "omreg/smooth.h"
#include "omreg/warp.h"

typedef struct omreg_run_ctx {
    const omreg_backend *backend;
    int nthreads; /* >= 1 */
} omreg_run_ctx;

/* The context of a run on backend b: `requested` threads when > 0, else
 * the backend's default (omreg_backend_threads), read now, once. b may be
 * NULL (1 thread): entry points validate it after making their context. */
static inline omreg_run_ctx omreg_run_ctx_of(const omreg_backend *b, int requested)
{
    omreg_run_ctx ctx = {b, b ? omreg_backend_threads(b, requested) : 1};
    return ctx;
}

/* DIPY's invert_vector_field_fixed_point loop on d (a field), in place on
 * p, which holds the start (zeros for DIPY's None) and receives the
 * inverse; q (a field of d's size) and scratch (omreg_vf_rows(d) *
 * OMREG_INVERT_SCRATCH_PER_ROW doubles) are the workspace. *iterations and
 * *error (either may be NULL) report the loop's end. The one copy of the
 * loop: omreg_invert_vector_field_fixed_point and the SyN driver call it. */
void omreg_invert_fixed_point_run(const omreg_run_ctx *ctx, const omreg_image *d,
                                  const double *d_world2grid, const double *spacing, int max_iter,
                                  double tolerance, void *p, void *q, double *scratch,
                                  int *iterations, double *error);

/* omreg_compose_vector_fields into comp, with scratch of omreg_vf_rows(d1)
 * * OMREG_COMPOSE_SCRATCH_PER_ROW doubles; stats may be NULL. */
void omreg_compose_vector_fields_run(const omreg_run_ctx *ctx, const omreg_image *d1,
                                     const omreg_image *d2, const double *premult_index,
                                     const double *premult_disp, double time_scaling,
                                     omreg_image *comp, double *scratch, double stats[3]);

/* omreg_warp into res (res's shape is the output shape, its dtype the
 * image's). */
void omreg_warp_run(const omreg_run_ctx *ctx, const omreg_image *image, const omreg_image *field,
                    const double *affine_idx_in, const double *affine_idx_out,
                    const double *affine_disp, omreg_warp_interp interp, omreg_image *res);

/* omreg_reorient_vector_field on d with a non-NULL affine. */
void omreg_reorient_vector_field_run(const omreg_run_ctx *ctx, omreg_image *d,
                                     const double *affine);

/* A Gaussian filter's workspace for one grid (like's ndim, shape, ncomp
 * and dtype) and one set of sigmas, mode, cval and truncate: the half
 * weights and one line buffer per thread of the run (ctx->nthreads; a run
 * of the workspace takes the same context). init validates as the public
 * functions do; free accepts a zeroed or freed workspace. */
typedef struct omreg_smooth_workspace {
    double *weights_mem; /* every axis's half weights */
    const double *weights[3];
    size_t radius[3];
    size_t per_buffer; /* doubles per line buffer; 0: nothing to filter */
    int nthreads;      /* the count the line buffers are sized for (ctx->nthreads) */
    double *lines;
} omreg_smooth_workspace;

omreg_status omreg_smooth_workspace_init(omreg_smooth_workspace *ws, const omreg_run_ctx *ctx,
                                         const omreg_image *like, const double *sigmas,
                                         omreg_smooth_mode mode, double cval, double truncate);
void omreg_smooth_workspace_free(omreg_smooth_workspace *ws);
/* gaussian_filter(in) into out (out == in allowed), on ws's grid */
void omreg_gaussian_filter_run(const omreg_run_ctx *ctx, const omreg_smooth_workspace *ws,
                               const omreg_image *in, omreg_image *out, omreg_smooth_mode mode,
                               double cval);

/* omreg_cc_precompute_factors's scratch for static_img's grid and method:
 * *count doubles (0: none), for the run's thread count (sliding windows:
 * one 2D ring buffer per thread; box sums: one slab / row per thread). */
omreg_status omreg_cc_factors_scratch(const omreg_run_ctx *ctx, const omreg_image *static_img,
                                      size_t radius, omreg_cc_method method, size_t *count);
/* omreg_cc_precompute_factors into factors (OMREG_CC_NFACTORS values per
 * voxel in the images' dtype) with the scratch above. */
void omreg_cc_precompute_factors_run(const omreg_run_ctx *ctx, const omreg_image *static_img,
                                     const omreg_image *moving_img, size_t radius,
                                     omreg_cc_method method, double *scratch, void *factors);
/* omreg_cc_forward_step (backward = 0) or omreg_cc_backward_step into res
 * (a field of grad's grid), with scratch of omreg_cc_step_blocks doubles. */
void omreg_cc_step_run(const omreg_run_ctx *ctx, const omreg_image *grad, const void *factors,
                       size_t radius, int backward, double *scratch, omreg_image *res,
                       double *energy);

/* omreg_ssd_demons_step into out, with scratch of omreg_ssd_rows(delta) *
 * OMREG_SSD_SCRATCH_PER_ROW doubles; energy may be NULL. */
void omreg_ssd_demons_step_run(const omreg_run_ctx *ctx, const omreg_image *delta,
                               const omreg_image *gradient, double sigma_sq_x, omreg_image *out,
                               double *scratch, double *energy);

/* omreg_quantize_positive's outputs besides the labels and its block
 * scratch, for images of v's voxel count and dtype and num_levels
 * classes (init checks the sizes: EOVERFLOW, ENOMEM). */
typedef struct omreg_quantize_workspace {
    size_t nvox;
    int num_levels;
    omreg_dtype dtype;
    void *levels; /* num_levels values of dtype */
    int *hist;    /* num_levels */
    double *range_scratch;
    int *hist_scratch;
} omreg_quantize_workspace;

omreg_status omreg_quantize_workspace_init(omreg_quantize_workspace *ws, const omreg_image *v,
                                           int num_levels);
void omreg_quantize_workspace_free(omreg_quantize_workspace *ws);
/* omreg_quantize_positive into labels (one int per voxel), ws->levels and
 * ws->hist; OMREG_ENONFINITE (recorded as the public function does) for a
 * +Inf voxel. */
omreg_status omreg_quantize_positive_run(const omreg_run_ctx *ctx, const omreg_image *v,
                                         int num_levels, int *labels,
                                         omreg_quantize_workspace *ws);

/* omreg_compute_masked_class_stats's outputs (means, variances: num_labels
 * values of dtype), class counts and block scratch for images of v's
 * voxel count and dtype. */
typedef struct omreg_class_stats_workspace {
    size_t nvox;
    int num_labels;
    omreg_dtype dtype;
    void *means, *variances;
    int *counts; /* num_labels + 1: the last counts labels out of range */
    void *sum_scratch;
    int *count_scratch;
} omreg_class_stats_workspace;

omreg_status omreg_class_stats_workspace_init(omreg_class_stats_workspace *ws,
                                              const omreg_image *v, int num_labels);
void omreg_class_stats_workspace_free(omreg_class_stats_workspace *ws);
/* omreg_compute_masked_class_stats into ws->means and ws->variances;
 * OMREG_EINVAL (recorded as the public function does) for a masked label
 * outside [0, num_labels). */
omreg_status omreg_compute_masked_class_stats_run(const omreg_run_ctx *ctx, const int *mask,
                                                  const omreg_image *v, int num_labels,
                                                  const int *labels,
                                                  omreg_class_stats_workspace *ws);

/* omreg_compute_em_demons_step into step (a field of delta_field's grid
 * and dtype), with scratch of omreg_reduce_blocks(voxels) doubles; energy
 * may be NULL. */
void omreg_compute_em_demons_step_run(const omreg_run_ctx *ctx,
                                      const omreg_image *delta_field,
                                      const omreg_image *sigma_sq_field,
                                      const omreg_image *gradient_moving, double sigma_sq_x,
                                      omreg_image *step, double *scratch, double *energy);

#endif
