/* Internals of the SyN driver (registration/syn/syn_driver.c): the float32 scale space
 * SymmetricDiffeomorphicRegistration builds (registration/syn/syn_scalespace.c) and the
 * similarity-metric objects with DIPY's SimilarityMetric interface
 * (registration/syn/syn_metric.c and syn_metric_{cc,ssd,em}.c). O(parameters)
 * logic only; every voxel loop goes through the backend table, directly or
 * through a public entry point. */
#ifndef OMREG_CORE_SYN_INTERNAL_H
#define OMREG_CORE_SYN_INTERNAL_H

#include <stddef.h>

#include "api_run.h"
#include "backend.h"
#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "omreg/sumsqdiff.h"
#include "omreg/syn.h"

/* ---- scale space (DIPY scalespace.ScaleSpace on a float32 image) -------- */

typedef struct syn_level {
    omreg_image *image; /* float32, input resolution and grid2world, in [0, 1] */
    size_t shape[3];    /* the level's grid (domain_shapes) */
    double spacing[3], scaling[3], sigmas[3];
    double affine[16], affine_inv[16]; /* grid2world of the level's grid and its inverse */
} syn_level;

typedef struct syn_scale_space {
    int dim, nlevels;
    syn_level levels[OMREG_SYN_MAX_LEVELS];
} syn_scale_space;

/* ScaleSpace(image, nlevels, image.grid2world, spacing, sigma_factor) for a
 * float32 image as DIPY's SyN passes it (image.astype(floating)): level 0
 * is (image - min) / (max - min) computed in float32; level i > 0 is
 * gaussian_filter(image, sigma_factor (scaling - 1)) normalised the same
 * way, scaling = 2^i min(spacing) / spacing. spacing (dim entries) is
 * DIPY's get_direction_and_spacings of the image's grid2world. Returns
 * OMREG_ENONFINITE for a constant level (DIPY divides by zero), OMREG_ESHAPE
 * for an empty level axis, OMREG_ENOMEM. Smoothing runs with nthreads. */
omreg_status syn_scale_space_create(const omreg_run_ctx *ctx, const omreg_image *image_f32,
                                    int nlevels, const double *spacing, double sigma_factor,
                                    syn_scale_space **out);
void syn_scale_space_free(syn_scale_space *ss);

/* (x - min) / (max - min) of a float32 image, in float32, into out (n
 * voxels; out may be x). OMREG_ENONFINITE for NaN/Inf or a constant image. */
omreg_status syn_normalize_f32(const omreg_run_ctx *ctx, const float *x, size_t n, float *out,
                               const char *what);

/* ---- similarity metrics (DIPY metrics.py) -------------------------------- */

typedef struct syn_metric syn_metric;

/* DIPY's SimilarityMetric interface. compute_forward / compute_backward
 * write the step into step, a float32 field of the static image's grid
 * from the driver's per-level workspace (its contents on entry are
 * unspecified). use_*_image_dynamics get DIPY's transformation as the map
 * whose inverse it is (DIPY passes to_ref.inverse(); transforming through
 * it is to_ref's transform_inverse, so no inverse map is built); to_ref
 * may be NULL (DIPY's None). They are NULL for a metric without image
 * dynamics (DIPY's no-op). */
typedef struct syn_metric_ops {
    const char *name;
    omreg_status (*use_static_image_dynamics)(syn_metric *m, const omreg_image *original,
                                              const omreg_diffeomap *to_ref);
    omreg_status (*use_moving_image_dynamics)(syn_metric *m, const omreg_image *original,
                                              const omreg_diffeomap *to_ref);
    omreg_status (*initialize_iteration)(syn_metric *m);
    omreg_status (*compute_forward)(syn_metric *m, omreg_image *step);
    omreg_status (*compute_backward)(syn_metric *m, omreg_image *step);
    double (*get_energy)(const syn_metric *m);
    void (*free_iteration)(syn_metric *m);
    void (*destroy)(syn_metric *m); /* frees state */
} syn_metric_ops;

struct syn_metric {
    const syn_metric_ops *ops;
    omreg_run_ctx ctx; /* the registration's: backend and thread count, fixed for the run */
    int dim;
    omreg_syn_metric_options opt;
    int fast; /* omreg_syn_options.mode is FAST (CC: box-sum window sums) */
    int levels_below, levels_above; /* set_levels_below / set_levels_above */
    /* set_static_image / set_moving_image (borrowed; the driver keeps them
     * alive until free_iteration) */
    const omreg_image *static_image, *moving_image;
    double static_affine[16], moving_affine[16];
    double static_spacing[3], moving_spacing[3];
    double static_direction[16], moving_direction[16];
    double energy;
    void *state; /* the metric's own */
    /* syn_smooth_field's workspace: its grid and sigma (ncomp 0: none yet) */
    omreg_smooth_workspace smooth;
    size_t smooth_shape[3];
    int smooth_ncomp;
    double smooth_sigma;
};

/* omreg_numpy_gradient (include/omreg/syn.h) on nthreads threads (0: the
 * backend's default). */
omreg_status omreg_numpy_gradient_threads(const omreg_backend *b, int nthreads,
                                          const omreg_image *image, omreg_image **out);

/* omreg_ssd_v_cycle (include/omreg/sumsqdiff.h) on the run's context. */
omreg_status syn_ssd_v_cycle(const omreg_run_ctx *ctx, omreg_ssd_order order, int n, int k,
                             const omreg_image *delta, const omreg_image *sigmasq, const omreg_image *gradient,
                             const omreg_image *target, double lambda, omreg_image *disp,
                             omreg_ssd_workspace *workspace, double *energy);

/* A metric of opt->type (validated by the caller) for dim-D images; its
 * smoothing and CC window sums run with nthreads. */
omreg_status syn_metric_create(const omreg_run_ctx *ctx, int dim,
                               const omreg_syn_metric_options *opt, syn_metric **out);
void syn_metric_free(syn_metric *m);

/* set_static_image / set_moving_image: image (borrowed), the grid2world of
 * its grid, spacing (dim) and direction ((dim+1)^2). */
void syn_metric_set_static(syn_metric *m, const omreg_image *image, const double *affine,
                           const double *spacing, const double *direction);
void syn_metric_set_moving(syn_metric *m, const omreg_image *image, const double *affine,
                           const double *spacing, const double *direction);

/* The smallest grid axis the metric accepts (CC: 2 radius + 1; else 2, for
 * numpy.gradient). */
size_t syn_metric_min_axis(const omreg_syn_metric_options *opt);

/* The metrics' shared pieces (registration/syn/syn_metric.c). */
/* *slot, a float32 image of like's grid (and grid2world) with ncomp
 * components: the one there when it has that grid (contents unchanged),
 * else a new one (the old one freed). The metrics' per-level buffers. */
omreg_status syn_level_field(omreg_image **slot, const omreg_image *like, int ncomp);
/* grad = numpy.gradient(image) (a float32 image) into *grad sized by
 * syn_level_field (a workspace buffer: reused while the grid stays). */
omreg_status syn_numpy_gradient(const omreg_run_ctx *ctx, const omreg_image *image,
                                omreg_image **grad);
/* grad = numpy.gradient(image) / spacing, reoriented by direction (DIPY:
 * gradient(...); g /= spacing; reorient_vector_field(g, direction)), for a
 * float32 image and a non-NULL direction, into *grad sized by
 * syn_level_field (a workspace buffer: reused while the grid stays). */
omreg_status syn_physical_gradient(const omreg_run_ctx *ctx, const omreg_image *image,
                                   const double *spacing, const double *direction,
                                   omreg_image **grad);
/* Smooth every component of a float32 field in place with sigma voxels
 * along every axis (ndimage.gaussian_filter(d[..., i], sigma)), with the
 * metric's thread count; the weights and line buffers are the metric's
 * workspace, sized again only when the grid or sigma changes. */
omreg_status syn_smooth_field(syn_metric *m, omreg_image *field, double sigma);
/* out = a - b (float32 scalar images of one shape) into *out, sized by
 * syn_level_field (reused while the grid stays) */
omreg_status syn_difference(const omreg_run_ctx *ctx, const omreg_image *a, const omreg_image *c,
                            omreg_image **out);
/* np.sum(spacing**2) / dim: the demons steps' sigma_reg_2 */
double syn_sigma_reg_2(int dim, const double *spacing);

extern const syn_metric_ops syn_metric_cc_ops, syn_metric_ssd_ops, syn_metric_em_ops;

#endif
