/* Fast mode, one level (beyond DIPY). Per iteration t: a fresh sample of
 * fast_samples points keyed by (seed, level, t) (fast_mi_samples_*), the
 * joint PDF of the samples (fast_mi_joint), the log table F, Mattes MI and
 * its parameter gradient (fast_mi_gradient), one optimiser step.
 *
 * The optimiser is Adam (Kingma & Ba 2015) on scaled parameters
 * theta'_k = theta_k sqrt(s_k), s_k = mean over static samples of
 * |dT(x)/dtheta_k|^2 (elastix's AutomaticScalesEstimation): one unit of
 * every scaled parameter moves the samples by about 1 mm RMS, so a
 * rotation and a translation take comparable steps. Why Adam and not
 * elastix's ASGD: Adam divides each step by a running RMS of its gradient,
 * so the step length is set in millimetres (eta) whatever the gradient's
 * magnitude or noise, and no gain estimation from extra gradient
 * evaluations is needed (ASGD's automatic parameter estimation spends
 * them); the step decays as a cosine from eta0 (half the level's voxel
 * spacing) to 0 at the level's last iteration, which averages the sample
 * noise out of the final iterate. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "fast_affine.h"
#include "fast_mi_point.h"
#include "image_internal.h"
#include "mi_metric.h"
#include "omreg/matrix.h"
#include "transform_point.h"

#define FAST_DEFAULT_SAMPLES 2048
#define FAST_DEFAULT_ITERATIONS 256
#define FAST_SCALE_SAMPLES 1024 /* points for the parameter scales */
#define FAST_ADAM_BETA1 0.9
#define FAST_ADAM_BETA2 0.999
#define FAST_ADAM_EPS 1e-12

typedef struct fast_level {
    const struct omreg_backend *b;
    int nthreads, dim, nparams;
    omreg_transform_type type;
    uint64_t seed;
    int level;
    omreg_fast_mi_job job;
    omreg_parzen_geometry geom;
    double static_g2w[16], starting[16];
    size_t n;
    float *mgrad;
    double *sval, *mval, *prod, *scratch, *joint, *smarg, *mmarg, *factor;
    int *valid;
} fast_level;

static void fast_level_free(fast_level *f)
{
    free(f->mgrad);
    free(f->sval);
    free(f->mval);
    free(f->prod);
    free(f->scratch);
    free(f->joint);
    free(f->smarg);
    free(f->mmarg);
    free(f->factor);
    free(f->valid);
}

typedef struct jac_ctx {
    omreg_transform_type type;
    int dim;
    const double *params;
} jac_ctx;

static int jacobian(const void *ctx, const double *x, double *J)
{
    const jac_ctx *c = ctx;
    return omreg_transform_jacobian_unchecked(c->type, c->dim, c->params, x, J);
}

static void *alloc_n(size_t n, size_t size, const char *what, omreg_status *st)
{
    if (*st != OMREG_OK)
        return NULL;
    void *p = omreg_calloc(n ? n : 1, size, what);
    if (p == NULL)
        *st = omreg_calloc_failure();
    return p;
}

/* The level's fixed part: images, the moving gradient on its own grid,
 * the histogram geometry (both images normalised to [0, 1]) and buffers. */
static omreg_status fast_level_setup(fast_level *f, const struct omreg_backend *b, int nthreads,
                                     const omreg_affine_options *opt, int level,
                                     omreg_transform_type type, const omreg_image *stat,
                                     const int *smask, const omreg_image *mov,
                                     const double *current)
{
    memset(f, 0, sizeof *f);
    int dim = stat->ndim, n1 = dim + 1;
    f->b = b;
    f->nthreads = nthreads;
    f->dim = dim;
    f->type = type;
    f->nparams = omreg_transform_nparams_unchecked(type, dim);
    f->seed = opt->seed;
    f->level = level;
    f->n = (size_t)(opt->fast_samples > 0 ? opt->fast_samples : FAST_DEFAULT_SAMPLES);
    memcpy(f->static_g2w, stat->grid2world, sizeof(double) * (size_t)(n1 * n1));
    memcpy(f->starting, current, sizeof(double) * (size_t)(n1 * n1));
    omreg_fast_mi_job *j = &f->job;
    j->static_img = stat->data;
    j->smask = smask;
    memcpy(j->sshape, stat->shape, sizeof j->sshape);
    j->moving = mov->data;
    memcpy(j->mshape, mov->shape, sizeof j->mshape);
    j->nparams = f->nparams;
    j->jacobian = jacobian;
    OMREG_FORWARD(omreg_mat_inverse(n1, mov->grid2world, j->moving_w2g));
    omreg_mat_mul(n1, f->starting, f->static_g2w, j->static_to_prealigned);
    f->geom.nbins = opt->nbins;
    f->geom.padding = 2;
    f->geom.sdelta = f->geom.mdelta = 1.0 / (opt->nbins - 4);
    f->geom.smin = f->geom.mmin = -2.0; /* 0 / delta - padding */
    size_t nb = (size_t)opt->nbins, np = (size_t)f->nparams, nmov = omreg_image_voxels(mov);
    omreg_status st = OMREG_OK;
    f->mgrad = alloc_n(nmov * (size_t)dim, sizeof(float), "moving gradient", &st);
    f->sval = alloc_n(f->n, sizeof(double), "static samples", &st);
    f->mval = alloc_n(f->n, sizeof(double), "moving samples", &st);
    f->prod = alloc_n(f->n * np, sizeof(double), "sample gradients", &st);
    f->valid = alloc_n(f->n, sizeof(int), "sample flags", &st);
    size_t len = omreg_parzen_joint_partial(opt->nbins);
    f->scratch = alloc_n(omreg_fast_mi_scratch(f->n, len > np ? len : np), sizeof(double),
                         "histogram scratch", &st);
    f->joint = alloc_n(nb * nb, sizeof(double), "joint PDF", &st);
    f->smarg = alloc_n(nb, sizeof(double), "static marginal", &st);
    f->mmarg = alloc_n(nb, sizeof(double), "moving marginal", &st);
    f->factor = alloc_n(nb * nb, sizeof(double), "MI factors", &st);
    if (st != OMREG_OK) {
        fast_level_free(f);
        return st;
    }
    /* the moving image's gradient, once, on its own grid (d/d index) */
    if (dim == 2)
        b->numpy_gradient_2d_f32(nthreads, mov->data, mov->shape, f->mgrad);
    else
        b->numpy_gradient_3d_f32(nthreads, mov->data, mov->shape, f->mgrad);
    j->mgrad = f->mgrad;
    return OMREG_OK;
}

/* MI at params on iteration t's sample and dMI/dparams; 0 when the
 * transform is not invertible or no sample lands inside the moving grid. */
static int fast_level_evaluate(fast_level *f, const double *params, int t, double *mi,
                               double *grad)
{
    int dim = f->dim, n1 = dim + 1;
    double M[16], current[16], inv[16], tmp[16];
    omreg_transform_matrix_unchecked(f->type, dim, params, M);
    omreg_mat_mul(n1, M, f->starting, current);
    if (!omreg_mat_is_finite(n1, current) || omreg_mat_inverse(n1, current, inv) != OMREG_OK) {
        omreg_clear_error();
        return 0;
    }
    omreg_mat_mul(n1, current, f->static_g2w, tmp);
    omreg_mat_mul(n1, f->job.moving_w2g, tmp, f->job.static_to_moving);
    jac_ctx jc = {f->type, dim, params};
    f->job.jac_ctx = &jc;
    f->job.key = omreg_fast_mi_key(f->seed, f->level, t);
    if (dim == 2)
        f->b->fast_mi_samples_2d(f->nthreads, &f->job, f->n, f->sval, f->mval, f->prod, f->valid);
    else
        f->b->fast_mi_samples_3d(f->nthreads, &f->job, f->n, f->sval, f->mval, f->prod, f->valid);
    double count = 0;
    f->b->fast_mi_joint(f->nthreads, f->sval, f->mval, f->valid, f->n, &f->geom, f->scratch,
                        f->joint, f->smarg, f->mmarg, &count);
    f->job.jac_ctx = NULL;
    if (!(count > 0))
        return 0;
    omreg_fast_mi_factor(f->joint, f->mmarg, f->geom.nbins, f->factor);
    *mi = omreg_parzen_mi(f->joint, NULL, f->smarg, f->mmarg, f->geom.nbins, 0, NULL);
    f->b->fast_mi_gradient(f->nthreads, f->sval, f->mval, f->valid, f->prod, f->n, &f->geom,
                           f->nparams, f->factor, count, f->scratch, grad);
    return 1;
}

/* s_k = mean |dT(x)/dtheta_k|^2 over FAST_SCALE_SAMPLES drawn points
 * (iteration key -1), at the level's start parameters; 1 where 0. */
static void parameter_scales(const fast_level *f, const double *params, double *scales)
{
    omreg_fast_mi_job j = f->job;
    j.key = omreg_fast_mi_key(f->seed, f->level, -1);
    int dim = f->dim, np = f->nparams;
    double J[3 * OMREG_TRANSFORM_MAX_PARAMS], p[3], x[3];
    size_t count = 0;
    memset(scales, 0, sizeof(double) * (size_t)np);
    for (size_t s = 0; s < FAST_SCALE_SAMPLES; ++s) {
        if (!fast_mi_draw(&j, dim, s, p))
            continue;
        for (int r = 0; r < dim; ++r)
            x[r] = dim == 2 ? affine_apply_2d(j.static_to_prealigned, r, p[0], p[1], 1)
                            : affine_apply_3d(j.static_to_prealigned, r, p[0], p[1], p[2], 1);
        omreg_transform_jacobian_unchecked(f->type, dim, params, x, J);
        for (int k = 0; k < np; ++k)
            for (int d = 0; d < dim; ++d)
                scales[k] += J[d * np + k] * J[d * np + k];
        ++count;
    }
    for (int k = 0; k < np; ++k)
        scales[k] = count > 0 && scales[k] > 0 ? scales[k] / (double)count : 1.0;
}

omreg_status fast_affine_level(const struct omreg_backend *b, int nthreads,
                               const omreg_affine_options *opt, const char *stage, int level,
                               omreg_transform_type type, const omreg_image *stat,
                               const int *smask, const omreg_image *mov, const double *current,
                               double *params, int *evaluations, double *mi)
{
    fast_level f;
    OMREG_FORWARD(fast_level_setup(&f, b, nthreads, opt, level, type, stat, smask, mov, current));
    int np = f.nparams, dim = f.dim, iters = opt->fast_iterations > 0 ? opt->fast_iterations
                                                                        : FAST_DEFAULT_ITERATIONS;
    double scales[OMREG_TRANSFORM_MAX_PARAMS], root[OMREG_TRANSFORM_MAX_PARAMS];
    double m1[OMREG_TRANSFORM_MAX_PARAMS] = {0}, m2[OMREG_TRANSFORM_MAX_PARAMS] = {0};
    double grad[OMREG_TRANSFORM_MAX_PARAMS], direction[9], spacing[3];
    parameter_scales(&f, params, scales);
    for (int k = 0; k < np; ++k)
        root[k] = sqrt(scales[k]);
    OMREG_FORWARD(omreg_get_direction_and_spacings(dim, f.static_g2w, direction, spacing));
    double eta0 = 0;
    for (int d = 0; d < dim; ++d)
        eta0 += spacing[d];
    eta0 = 0.5 * eta0 / dim; /* mm: half the level's mean voxel spacing */
    double b1t = 1, b2t = 1, value = 0;
    omreg_status st = OMREG_OK;
    int t = 0;
    for (; t < iters; ++t) {
        double v;
        if (!fast_level_evaluate(&f, params, t, &v, grad))
            break; /* degenerate transform: keep the last good parameters */
        value = v;
        double eta = eta0 * 0.5 * (1.0 + cos(3.141592653589793 * (double)t / (double)iters));
        b1t *= FAST_ADAM_BETA1;
        b2t *= FAST_ADAM_BETA2;
        for (int k = 0; k < np; ++k) {
            double g = grad[k] / root[k]; /* dMI / dtheta'_k */
            m1[k] = FAST_ADAM_BETA1 * m1[k] + (1 - FAST_ADAM_BETA1) * g;
            m2[k] = FAST_ADAM_BETA2 * m2[k] + (1 - FAST_ADAM_BETA2) * g * g;
            double step = eta * (m1[k] / (1 - b1t)) / (sqrt(m2[k] / (1 - b2t)) + FAST_ADAM_EPS);
            params[k] += step / root[k]; /* ascent on MI */
        }
        if (opt->progress) {
            omreg_affine_progress p = {0, stage, level, iters, t + 1, 0, v, NULL};
            if (opt->progress(opt->progress_ctx, &p) != 0) {
                st = omreg_fail(OMREG_ECANCELED,
                                "affine registration: cancelled by the progress callback");
                break;
            }
        }
    }
    fast_level_free(&f);
    *evaluations = t;
    *mi = value;
    return st;
}
