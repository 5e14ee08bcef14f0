/* Affine registration by Parzen-window mutual information (DIPY 1.6
 * imaffine.py: MutualInformationMetric, AffineRegistration, AffineMap).
 * Matrices are (dim+1)x(dim+1) row-major; the registration result maps
 * static world coordinates to moving world coordinates (DIPY's
 * AffineMap.affine), so moving(result * x) is aligned with static(x). */
#ifndef OMREG_AFFINE_H
#define OMREG_AFFINE_H

#include "omreg/export.h"

#include <stddef.h>
#include <stdint.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"
#include "omreg/transform.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OMREG_AFFINE_MAX_LEVELS 16

/** Where a registration is, for progress reports (called from the calling
 * thread only; a non-zero return value cancels the registration, which then
 * returns OMREG_ECANCELED and writes no result). `evaluation` counts metric evaluations in the level; `mi` is
 * the mutual information there; `event` is 0 for an evaluation, 1 at the
 * start of a level, 2 at its end. */
typedef struct omreg_affine_progress {
    int event;
    const char *stage; /* pipeline stage name ("translation", ...) or the transform name */
    int level;      /* DIPY numbering: nlevels-1 (coarsest) .. 0 */
    int max_iter;   /* the level's maxfun */
    int evaluation;
    int iterations; /* L-BFGS-B iterations (level end) */
    double mi;
    const char *stop_reason; /* level end: the optimiser's message */
} omreg_affine_progress;

typedef int omreg_affine_progress_fn(void *ctx, const omreg_affine_progress *progress);

/** The algorithm (omreg_affine_options.mode). DIPY (the default) keeps
 * DIPY 1.6's dense MI and L-BFGS-B, bit for bit. FAST goes beyond DIPY
 * for speed: at every iteration a fresh random sample of points on the
 * static level grid (inside the static mask when one is given), drawn
 * from the counter-based generator keyed by (seed, level, iteration,
 * sample); Mattes MI on those samples with the moving image's gradient
 * computed once per level on its own grid and interpolated; a stochastic
 * optimiser (Adam on parameters scaled to millimetres of displacement,
 * with a decaying step). The same seed gives the same bits at any thread
 * count and schedule; a different seed a (slightly) different result.
 * Fast mode was measured with nbins = 64 (the CLI's default for it):
 * more accurate than 32 on the demo case (README). */
typedef enum omreg_affine_mode {
    OMREG_AFFINE_MODE_DIPY = 0,
    OMREG_AFFINE_MODE_FAST = 1
} omreg_affine_mode;

typedef struct omreg_affine_options {
    int nbins;                  /* histogram bins (32) */
    double sampling_proportion; /* <= 0: dense (DIPY None); (0, 1]: sparse */
    uint64_t sampling_seed;     /* sparse sampling jitter (counter-based; DIPY 1234) */
    int nlevels;                /* 3 */
    int level_iters[OMREG_AFFINE_MAX_LEVELS]; /* coarsest first: 10000, 1000, 100 */
    double sigmas[OMREG_AFFINE_MAX_LEVELS];   /* coarsest first: 3, 1, 0 */
    int factors[OMREG_AFFINE_MAX_LEVELS];     /* coarsest first: 4, 2, 1 */
    double ss_sigma_factor;     /* > 0: anisotropic ScaleSpace; else isotropic (default) */
    double gtol;                /* L-BFGS-B projected-gradient tolerance (1e-4) */
    /* Beyond DIPY (0 = DIPY): when L-BFGS-B stalls (stops on a tiny relative
     * reduction of f or a failed line search) with evaluations left in the
     * level's budget, restart it from where it stopped, up to this many
     * times per level; a restart's result is kept only if f went down. */
    int restarts;
    /* 0 (default): the backend's default, read once when the registration
     * starts (OpenMP's thread count for the parallel table); 1 ..
     * OMREG_MAX_THREADS: that many. The count is fixed for the whole run
     * (for omreg_affine_pipeline, the whole chain): per-thread scratch is
     * sized from it and every parallel loop of the run, the centre of mass
     * included, runs that many threads, whatever OpenMP's count is changed
     * to meanwhile (e.g. by the progress callback). The result is the same
     * bits for any count. */
    int threads;
    omreg_affine_progress_fn *progress;
    void *progress_ctx;
    /* Appended (existing users unaffected). mode: omreg_affine_mode
     * (0 = DIPY). The rest is read by fast mode only: seed keys the
     * sample draws; fast_samples points per iteration (0: 2048);
     * fast_iterations per level (0: 256); level_iters, gtol, restarts
     * and sampling_proportion are DIPY mode's. */
    int mode;
    uint64_t seed;
    int fast_samples;
    int fast_iterations;
} omreg_affine_options;

/** DIPY's defaults (see the field comments). */
OMREG_API omreg_affine_options omreg_affine_default_options(void);

typedef struct omreg_affine_result {
    double affine[16];   /* (dim+1)^2: static world -> moving world */
    double params[OMREG_TRANSFORM_MAX_PARAMS]; /* last level's optimum */
    int nparams;
    double mi;           /* mutual information at the end of the last level */
    int evaluations;     /* over all levels */
} omreg_affine_result;

/** AffineRegistration.optimize(static, moving, transform, params0,
 * static_grid2world, moving_grid2world, starting_affine, static_mask,
 * moving_mask). Images: float64 scalar, both 2D or both 3D (shapes may
 * differ); masks: NULL or images of the corresponding shape (non-zero =
 * inside; an all-zero mask is ignored, as DIPY does). params0 NULL starts
 * at the identity parameters; starting_affine NULL at the identity.
 * Returns OMREG_EINVAL (NULL, bad options), OMREG_ESHAPE (dimensions or
 * mask shapes), OMREG_ENONFINITE (a constant image or non-finite
 * starting affine), OMREG_ESINGULAR, OMREG_ENOMEM, OMREG_ECANCELED (the
 * progress callback returned non-zero). *result is written only
 * on success. */
OMREG_API omreg_status omreg_affine_register(const omreg_backend *backend,
                                             const omreg_image *static_img,
                                             const omreg_image *moving_img,
                                             const omreg_image *static_mask,
                                             const omreg_image *moving_mask,
                                             omreg_transform_type type, const double *params0,
                                             const double *starting_affine,
                                             const omreg_affine_options *options,
                                             omreg_affine_result *result);

/** Stages of DIPY's usual affine pipeline. */
typedef enum omreg_affine_stage {
    OMREG_STAGE_CENTER_OF_MASS = 0, /* transform_centers_of_mass (starting affine) */
    OMREG_STAGE_GEOMETRIC_CENTERS,  /* transform_geometric_centers */
    OMREG_STAGE_ORIGINS,            /* transform_origins */
    OMREG_STAGE_TRANSFORM           /* optimise a transform type */
} omreg_affine_stage;

typedef struct omreg_affine_pipeline_step {
    omreg_affine_stage stage;
    omreg_transform_type type; /* for OMREG_STAGE_TRANSFORM */
} omreg_affine_pipeline_step;

/** Parse "com,translation,rigid,affine" (also "centers", "origins" and
 * every transform name: translation, rotation, rigid, rigidisoscaling,
 * rigidscaling, scaling, affine; case-insensitive) into at most max steps.
 * An initialisation stage may only come first. Returns OMREG_EINVAL with
 * the offending word in the message. */
OMREG_API omreg_status omreg_affine_pipeline_parse(const char *text,
                                                   omreg_affine_pipeline_step *steps, int max,
                                                   int *nsteps);

/** DIPY's chain: each step starts from the previous result (the first from
 * starting_affine, or the identity); initialisation stages replace the
 * starting affine, transform stages run omreg_affine_register with
 * params0 = identity. result->affine is the final matrix, evaluations the
 * total over all stages; params and mi are the last transform stage's. Same statuses as omreg_affine_register. */
OMREG_API omreg_status omreg_affine_pipeline(const omreg_backend *backend,
                                             const omreg_image *static_img,
                                             const omreg_image *moving_img,
                                             const omreg_image *static_mask,
                                             const omreg_image *moving_mask,
                                             const omreg_affine_pipeline_step *steps, int nsteps,
                                             const double *starting_affine,
                                             const omreg_affine_options *options,
                                             omreg_affine_result *result);

/** AffineMap(affine).transform(image, interpolation, image_grid2world,
 * sampling_grid_shape, sampling_grid2world): resample `image` (its own
 * grid2world) on the grid (shape, grid2world) through `affine` (NULL: the
 * identity, i.e. resample only); `inverse` uses affine^-1 instead
 * (transform_inverse). nearest: nearest-neighbour, else linear. The output
 * is float64 for linear, image's dtype for nearest; owned by the caller.
 * Returns OMREG_EINVAL, OMREG_ESHAPE, OMREG_ENONFINITE, OMREG_ESINGULAR,
 * OMREG_ENOMEM. */
OMREG_API omreg_status omreg_affine_map_transform(const omreg_backend *backend,
                                                  const double *affine, int inverse,
                                                  const omreg_image *image, const size_t *shape,
                                                  const double *grid2world, int nearest,
                                                  omreg_image **out);

#ifdef __cplusplus
}
#endif
#endif
