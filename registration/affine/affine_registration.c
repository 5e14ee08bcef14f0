/* AffineRegistration.optimize (DIPY imaffine.py): normalise both images to
 * [0, 1], build their scale spaces, then from the coarsest level to the
 * finest resample the smoothed static image on the level's grid, set up
 * the MI metric and run L-BFGS-B from the identity parameters, composing
 * each level's transform onto the starting affine. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "backend.h"
#include "error.h"
#include "fast_affine.h"
#include "image_internal.h"
#include "lbfgsb.h"
#include "mi_metric.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"
#include "omreg/scalespace.h"
#include "api_threads.h"
#include "scalespace_threads.h"
#include "transform_point.h"

omreg_affine_options omreg_affine_default_options(void)
{
    omreg_affine_options o;
    memset(&o, 0, sizeof o);
    o.nbins = 32;
    o.sampling_proportion = 0.0;
    o.sampling_seed = 1234;
    o.nlevels = 3;
    const int iters[3] = {10000, 1000, 100}, factors[3] = {4, 2, 1};
    const double sigmas[3] = {3.0, 1.0, 0.0};
    for (int i = 0; i < 3; ++i) {
        o.level_iters[i] = iters[i];
        o.factors[i] = factors[i];
        o.sigmas[i] = sigmas[i];
    }
    o.ss_sigma_factor = 0.0;
    o.gtol = 1e-4;
    return o;
}

static omreg_status check_options(const omreg_affine_options *o)
{
    OMREG_RETURN_IF(o->nbins < 5 || o->nbins > 4096, OMREG_EINVAL,
                    "nbins %d outside 5..4096 (the Parzen window needs 2 bins of padding on "
                    "each side)", o->nbins);
    OMREG_RETURN_IF(!(o->sampling_proportion <= 1.0) || !isfinite(o->sampling_proportion),
                    OMREG_EINVAL, "sampling proportion %g outside (0, 1]",
                    o->sampling_proportion);
    OMREG_RETURN_IF(o->nlevels < 1 || o->nlevels > OMREG_AFFINE_MAX_LEVELS, OMREG_EINVAL,
                    "%d levels (1..%d)", o->nlevels, OMREG_AFFINE_MAX_LEVELS);
    for (int i = 0; i < o->nlevels; ++i) {
        OMREG_RETURN_IF(o->level_iters[i] < 0, OMREG_EINVAL, "level_iters[%d] = %d is negative", i,
                        o->level_iters[i]);
        OMREG_RETURN_IF(o->factors[i] < 1, OMREG_EINVAL, "factors[%d] = %d is below 1", i,
                        o->factors[i]);
        OMREG_RETURN_IF(!(o->sigmas[i] >= 0) || !isfinite(o->sigmas[i]), OMREG_EINVAL,
                        "sigmas[%d] = %g is not a finite value >= 0", i, o->sigmas[i]);
    }
    OMREG_RETURN_IF(!(o->gtol >= 0) || !isfinite(o->gtol), OMREG_EINVAL, "gtol %g", o->gtol);
    OMREG_RETURN_IF(!isfinite(o->ss_sigma_factor), OMREG_EINVAL, "ss_sigma_factor %g",
                    o->ss_sigma_factor);
    OMREG_RETURN_IF(o->restarts < 0 || o->restarts > 1000, OMREG_EINVAL,
                    "restarts %d outside 0..1000", o->restarts);
    OMREG_RETURN_IF(o->threads < 0 || o->threads > OMREG_MAX_THREADS, OMREG_EINVAL,
                    "threads %d outside 0..%d", o->threads, OMREG_MAX_THREADS);
    OMREG_RETURN_IF(o->mode != OMREG_AFFINE_MODE_DIPY && o->mode != OMREG_AFFINE_MODE_FAST,
                    OMREG_EINVAL, "mode %d is neither dipy (0) nor fast (1)", o->mode);
    OMREG_RETURN_IF(o->fast_samples < 0 || o->fast_samples > 100000000, OMREG_EINVAL,
                    "fast_samples %d outside 0..100000000", o->fast_samples);
    OMREG_RETURN_IF(o->fast_iterations < 0 || o->fast_iterations > 1000000, OMREG_EINVAL,
                    "fast_iterations %d outside 0..1000000", o->fast_iterations);
    return OMREG_OK;
}

static omreg_status check_mask(const omreg_image *mask, const omreg_image *img, const char *name)
{
    if (mask == NULL)
        return OMREG_OK;
    OMREG_RETURN_IF(mask->ncomp != 1 || mask->dtype != OMREG_F64, OMREG_EINVAL,
                    "%s: needs a float64 scalar image", name);
    OMREG_RETURN_IF(mask->ndim != img->ndim || memcmp(mask->shape, img->shape, sizeof img->shape),
                    OMREG_ESHAPE, "%s: shape %zux%zux%zu differs from its image's %zux%zux%zu",
                    name, mask->shape[0], mask->shape[1], mask->shape[2], img->shape[0],
                    img->shape[1], img->shape[2]);
    return OMREG_OK;
}

/* NULL when the mask is all zeros (DIPY ignores such a mask, with a warning) */
static omreg_status effective_mask(int nthreads, const struct omreg_backend *b,
                                   const omreg_image *mask, const omreg_image **out)
{
    *out = NULL;
    if (mask == NULL)
        return OMREG_OK;
    size_t n = omreg_image_voxels(mask);
    double range[2], *scratch = NULL;
    scratch = omreg_calloc(2 * omreg_reduce_blocks(n) + 2, sizeof(double), "mask scratch");
    if (scratch == NULL)
        return omreg_calloc_failure();
    b->masked_range_f64(nthreads, mask->data, NULL, n, scratch, range);
    free(scratch);
    OMREG_RETURN_IF(!isfinite(range[0]) || !isfinite(range[1]), OMREG_ENONFINITE,
                    "a mask has non-finite values");
    if (range[0] != 0.0 || range[1] != 0.0)
        *out = mask;
    return OMREG_OK;
}

/* (x - min) / (max - min) over the mask (DIPY: static[static_mask == 1]) */
static omreg_status normalized(int nthreads, const struct omreg_backend *b, const omreg_image *img,
                               const omreg_image *mask, omreg_image **out)
{
    size_t n = omreg_image_voxels(img);
    double range[2], *scratch = NULL;
    int *imask = NULL;
    scratch = omreg_calloc(2 * omreg_reduce_blocks(n) + 2, sizeof(double), "range scratch");
    omreg_status st = scratch != NULL ? OMREG_OK : omreg_calloc_failure();
    if (st == OMREG_OK && mask) {
        imask = omreg_calloc(n, sizeof(int), "mask");
        if (imask == NULL)
            st = omreg_calloc_failure();
        else
            b->mask_to_i32(nthreads, mask->data, n, imask);
    }
    if (st == OMREG_OK)
        b->masked_range_f64(nthreads, img->data, imask, n, scratch, range);
    /* the range skips NaN (comparisons with NaN are false): look for one
     * where the image is used (DIPY would normalise everything to NaN) */
    size_t nan_at = n;
    const double *v = img->data;
    for (size_t i = 0; st == OMREG_OK && i < n && nan_at == n; ++i)
        if (isnan(v[i]) && (imask == NULL || imask[i]))
            nan_at = i;
    free(scratch);
    free(imask);
    OMREG_FORWARD(st);
    OMREG_RETURN_IF(nan_at < n, OMREG_ENONFINITE, "image has a NaN intensity (voxel %zu)",
                    nan_at);
    OMREG_RETURN_IF(!isfinite(range[0]) || !isfinite(range[1]), OMREG_ENONFINITE,
                    "image has non-finite intensities (range %g..%g)", range[0], range[1]);
    OMREG_RETURN_IF(!(range[1] > range[0]), OMREG_ENONFINITE,
                    "image is constant (%g) where it is used: mutual information is undefined",
                    range[0]);
    OMREG_FORWARD(omreg_image_create(out, img->ndim, img->shape, 1, OMREG_F64, img->grid2world));
    b->normalize_f64(nthreads, img->data, n, range[0], range[1] - range[0], (*out)->data);
    return OMREG_OK;
}

typedef struct level_state {
    mi_metric metric;
    const omreg_affine_options *opt;
    int level, max_iter;
    const char *stage;
} level_state;

static omreg_status cancelled(void)
{
    return omreg_fail(OMREG_ECANCELED, "affine registration: cancelled by the progress callback");
}

static omreg_status objective(void *ctx, const double *x, double *f, double *g)
{
    level_state *ls = ctx;
    OMREG_FORWARD(mi_metric_evaluate(&ls->metric, x, f, g));
    if (ls->opt->progress) {
        omreg_affine_progress p = {0, ls->stage, ls->level, ls->max_iter,
                                   ls->metric.evaluations, 0, ls->metric.mi, NULL};
        if (ls->opt->progress(ls->opt->progress_ctx, &p) != 0)
            return cancelled();
    }
    return OMREG_OK;
}

/* L-BFGS-B "stalled": it stopped on a relative reduction of f below ftol or
 * on a failed line search, not on a small projected gradient or a limit. */
static int stalled(const omreg_lbfgsb_result *res)
{
    return strncmp(res->message, "CONVERGENCE: REL_REDUCTION_OF_F", 31) == 0 ||
           strncmp(res->message, "ABNORMAL_TERMINATION_IN_LNSRCH", 30) == 0;
}

/* One level's optimisation: DIPY's single L-BFGS-B run (maxfun = the
 * level's iterations), then, beyond DIPY, up to opt->restarts fresh runs
 * from the point reached while the previous run stalled and evaluations
 * are left in the level's budget. A restart forgets the curvature pairs
 * that produced the stalled direction; its result is kept only if it
 * lowered f. */
static omreg_status minimize_level(level_state *ls, int nparams, double *params,
                                   omreg_lbfgsb_result *res)
{
    omreg_lbfgsb_options lo = omreg_lbfgsb_default_options();
    lo.gtol = ls->opt->gtol;
    lo.maxfun = ls->max_iter;
    OMREG_FORWARD(omreg_lbfgsb_minimize(nparams, params, objective, ls, &lo, res));
    for (int r = 0; r < ls->opt->restarts && stalled(res); ++r) {
        int left = ls->max_iter - ls->metric.evaluations;
        if (left <= 0)
            break;
        double kept[OMREG_TRANSFORM_MAX_PARAMS];
        memcpy(kept, params, sizeof(double) * (size_t)nparams);
        omreg_lbfgsb_result again;
        lo.maxfun = left;
        OMREG_FORWARD(omreg_lbfgsb_minimize(nparams, params, objective, ls, &lo, &again));
        res->nit += again.nit;
        res->nfev += again.nfev;
        if (!(again.fopt < res->fopt)) {
            memcpy(params, kept, sizeof(double) * (size_t)nparams);
            break;
        }
        res->fopt = again.fopt;
        memcpy(res->message, again.message, sizeof res->message);
    }
    if (ls->opt->restarts > 0)
        ls->metric.mi = -res->fopt; /* at the kept point, not the last evaluation */
    return OMREG_OK;
}

omreg_status omreg_affine_register(const omreg_backend *b, const omreg_image *stat,
                                   const omreg_image *mov, const omreg_image *static_mask,
                                   const omreg_image *moving_mask, omreg_transform_type type,
                                   const double *params0, const double *starting_affine,
                                   const omreg_affine_options *opt, omreg_affine_result *result)
{
    OMREG_RETURN_IF(b == NULL || stat == NULL || mov == NULL || opt == NULL || result == NULL,
                    OMREG_EINVAL, "affine registration: NULL argument");
    OMREG_RETURN_IF(stat->ncomp != 1 || mov->ncomp != 1 || stat->dtype != OMREG_F64 ||
                        mov->dtype != OMREG_F64,
                    OMREG_EINVAL, "affine registration: needs float64 scalar images");
    OMREG_RETURN_IF(stat->ndim != mov->ndim, OMREG_ESHAPE,
                    "affine registration: static is %dD but moving is %dD", stat->ndim,
                    mov->ndim);
    OMREG_RETURN_IF((int)type < 0 || type >= OMREG_TRANSFORM_TYPE_COUNT, OMREG_EINVAL,
                    "affine registration: unknown transform type %d", (int)type);
    OMREG_FORWARD(check_options(opt));
    OMREG_FORWARD(check_mask(static_mask, stat, "static mask"));
    OMREG_FORWARD(check_mask(moving_mask, mov, "moving mask"));
    int dim = stat->ndim, n1 = dim + 1, nparams = omreg_transform_nparams_unchecked(type, dim);
    /* fixed for the whole run: the progress callback may change OpenMP's */
    const int nthreads = omreg_backend_threads(b, opt->threads);
    double current[16], params[OMREG_TRANSFORM_MAX_PARAMS], T[16];
    if (starting_affine) {
        OMREG_RETURN_IF(!omreg_mat_is_finite(n1, starting_affine), OMREG_ENONFINITE,
                        "starting affine has a non-finite entry");
        memcpy(current, starting_affine, sizeof(double) * (size_t)(n1 * n1));
    } else {
        omreg_mat_identity(n1, current);
    }
    if (params0) {
        for (int k = 0; k < nparams; ++k)
            OMREG_RETURN_IF(!isfinite(params0[k]), OMREG_ENONFINITE,
                            "starting parameter %d is not finite", k);
        memcpy(params, params0, sizeof(double) * (size_t)nparams);
    } else {
        omreg_transform_identity_unchecked(type, dim, params);
    }
    const omreg_image *smask = NULL, *mmask = NULL;
    OMREG_FORWARD(effective_mask(nthreads, b, static_mask, &smask));
    OMREG_FORWARD(effective_mask(nthreads, b, moving_mask, &mmask));

    omreg_image *snorm = NULL, *mnorm = NULL, *level_static = NULL, *level_smask = NULL;
    omreg_scale_space *sss = NULL, *mss = NULL;
    int *smask_i32 = NULL;
    level_state ls;
    memset(&ls, 0, sizeof ls);
    ls.opt = opt;
    ls.stage = omreg_transform_name(type);
    int evaluations = 0;
    double mi = 0.0;
    omreg_status st;
#define TRY(expr)                                                                              \
    do {                                                                                       \
        if ((st = (expr)) != OMREG_OK)                                                         \
            goto done;                                                                         \
    } while (0)
    TRY(normalized(nthreads, b, stat, smask, &snorm));
    TRY(normalized(nthreads, b, mov, mmask, &mnorm));
    if (opt->ss_sigma_factor > 0) {
        TRY(omreg_scale_space_anisotropic_threads(b, nthreads, mnorm, opt->nlevels,
                                                  opt->ss_sigma_factor, &mss));
        TRY(omreg_scale_space_anisotropic_threads(b, nthreads, snorm, opt->nlevels,
                                                  opt->ss_sigma_factor, &sss));
    } else {
        TRY(omreg_scale_space_isotropic_threads(b, nthreads, mnorm, opt->nlevels, opt->factors,
                                                opt->sigmas, &mss));
        TRY(omreg_scale_space_isotropic_threads(b, nthreads, snorm, opt->nlevels, opt->factors,
                                                opt->sigmas, &sss));
    }
    omreg_lbfgsb_result res;
    memset(&res, 0, sizeof res);
    for (int level = opt->nlevels - 1; level >= 0; --level) {
        ls.level = level;
        ls.max_iter = opt->level_iters[opt->nlevels - 1 - level]; /* coarsest first */
#ifdef OMREG_CANARY_LEVELS_REVERSED
        ls.max_iter = opt->level_iters[level]; /* planted (ci/canaries.tsv) */
#endif
        const size_t *shape = omreg_scale_space_domain_shape(sss, level);
        const double *grid = omreg_scale_space_affine(sss, level);
        /* the smoothed static image sampled on the level's grid */
        TRY(omreg_affine_map_transform_threads(b, nthreads, NULL, 0,
                                               omreg_scale_space_image(sss, level), shape, grid,
                                               0, &level_static));
        if (smask) {
            TRY(omreg_affine_map_transform_threads(b, nthreads, NULL, 0, smask, shape, grid, 1,
                                                   &level_smask));
            smask_i32 = omreg_calloc(omreg_image_voxels(level_smask), sizeof(int), "static mask");
            if (smask_i32 == NULL)
                TRY(omreg_calloc_failure());
            b->mask_to_i32(nthreads, level_smask->data, omreg_image_voxels(level_smask), smask_i32);
        }
        const int fast = opt->mode == OMREG_AFFINE_MODE_FAST;
        if (!fast)
            TRY(mi_metric_setup(&ls.metric, b, nthreads, type, opt->nbins,
                                opt->sampling_proportion, opt->sampling_seed, level_static,
                                smask_i32, omreg_scale_space_image(mss, level), mmask, current));
        if (opt->progress) {
            omreg_affine_progress p = {1, ls.stage, level, ls.max_iter, 0, 0, 0.0, NULL};
            if (opt->progress(opt->progress_ctx, &p) != 0)
                TRY(cancelled());
        }
        if (fast) {
            /* beyond DIPY: stochastic MI and Adam (fast_affine.c) */
            TRY(fast_affine_level(b, nthreads, opt, ls.stage, level, type, level_static,
                                  smask_i32, omreg_scale_space_image(mss, level), current,
                                  params, &ls.metric.evaluations, &ls.metric.mi));
            res.nit = ls.metric.evaluations;
            snprintf(res.message, sizeof res.message, "FAST: %d ITERATIONS",
                     ls.metric.evaluations);
        } else if (ls.max_iter > 0) {
            TRY(minimize_level(&ls, nparams, params, &res));
        }
        evaluations += ls.metric.evaluations;
        if (opt->progress) {
            omreg_affine_progress p = {2, ls.stage, level, ls.max_iter, ls.metric.evaluations,
                                       res.nit, ls.metric.mi, res.message};
            if (opt->progress(opt->progress_ctx, &p) != 0)
                TRY(cancelled());
        }
        /* starting_affine = T(params) . starting_affine; restart from the identity */
        omreg_transform_matrix_unchecked(type, dim, params, T);
        omreg_mat_mul(n1, T, current, current);
        if (level > 0)
            omreg_transform_identity_unchecked(type, dim, params);
        mi = ls.metric.mi;
        mi_metric_free(&ls.metric);
        omreg_image_free(level_static);
        omreg_image_free(level_smask);
        free(smask_i32);
        level_static = level_smask = NULL;
        smask_i32 = NULL;
    }
    memcpy(result->affine, current, sizeof(double) * (size_t)(n1 * n1));
    memcpy(result->params, params, sizeof(double) * (size_t)nparams);
    result->nparams = nparams;
    result->evaluations = evaluations;
    result->mi = mi;
#undef TRY
done:
    mi_metric_free(&ls.metric);
    omreg_image_free(level_static);
    omreg_image_free(level_smask);
    free(smask_i32);
    omreg_scale_space_free(sss);
    omreg_scale_space_free(mss);
    omreg_image_free(snorm);
    omreg_image_free(mnorm);
    return st;
}
