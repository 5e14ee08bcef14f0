/* DIPY 1.6 CCMetric (metrics.py): per iteration the CC factors of the
 * warped static and moving images over (2 radius + 1)^dim windows and both
 * images' physical gradients; the forward (backward) step is
 * compute_cc_forward_step (backward) smoothed by sigma_diff. As in DIPY the
 * energy is set by the forward step only: compute_backward discards its
 * energy, so get_energy() after it returns the forward one again. Fast mode
 * (m->fast) sums the windows by separable box sums (OMREG_CC_BOX_SUMS)
 * instead of DIPY's sliding windows; nothing else changes. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "api_run.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/crosscorr.h"
#include "syn_internal.h"

/* The metric's workspace, sized for one grid (a level's) and reused by
 * every iteration on it: the factors, both gradients and the scratch of
 * the factors and the steps (the smoothing's is syn_smooth_field's). */
typedef struct cc_state {
    size_t shape[3];  /* the grid the workspace is sized for (0s: none yet) */
    void *factors;    /* OMREG_CC_NFACTORS float32 values per voxel */
    double *factors_scratch;

    double *step_scratch; /* omreg_cc_step_blocks doubles */
    omreg_image *gradient_static, *gradient_moving;
} cc_state;

/* the window sums: DIPY's sliding windows, or box sums in fast mode */
static omreg_cc_method factors_method(const syn_metric *m)
{
    return m->fast ? OMREG_CC_BOX_SUMS : OMREG_CC_SLIDING;
}

static cc_state *state(syn_metric *m)
{
    return m->state;
}

/* the iteration keeps nothing of its own: the workspace lives on */
static void free_iteration(syn_metric *m)
{
    (void)m;
}

static void workspace_free(cc_state *s)
{
    free(s->factors);
    free(s->factors_scratch);
    free(s->step_scratch);
    omreg_image_free(s->gradient_static);
    omreg_image_free(s->gradient_moving);
    memset(s, 0, sizeof *s);
}

/* the workspace for the static image's grid (a no-op while it stays) */
static omreg_status workspace(syn_metric *m, cc_state *s)
{
    const omreg_image *img = m->static_image;
    size_t shape[3] = {0, 0, 0};
    memcpy(shape, img->shape, sizeof(size_t) * (size_t)img->ndim);
    if (s->factors != NULL && memcmp(shape, s->shape, sizeof shape) == 0)
        return OMREG_OK;
    workspace_free(s);
    const size_t nvox = omreg_image_voxels(img), radius = (size_t)m->opt.radius;
    size_t count;
    omreg_status st = omreg_cc_factors_scratch(&m->ctx, img, radius, factors_method(m), &count);
    if (st == OMREG_OK) {
        s->factors = omreg_calloc(nvox, OMREG_CC_NFACTORS * sizeof(float), "CC factors");
        if (s->factors == NULL)
            st = omreg_calloc_failure();
    }
    if (st == OMREG_OK && count > 0) {
        s->factors_scratch = omreg_calloc(count, sizeof(double), "CC window sums scratch");
        if (s->factors_scratch == NULL)
            st = omreg_calloc_failure();
    }
    if (st == OMREG_OK) {
        s->step_scratch = omreg_calloc(omreg_cc_step_blocks(img->ndim, img->shape),
                                       sizeof(double), "CC energy scratch");
        if (s->step_scratch == NULL)
            st = omreg_calloc_failure();
    }
    if (st != OMREG_OK) {
        workspace_free(s);
        return st;
    }
    memcpy(s->shape, shape, sizeof shape);
    return OMREG_OK;
}

static omreg_status initialize_iteration(syn_metric *m)
{
    if (m->state == NULL) {
        m->state = omreg_calloc(1, sizeof(cc_state), "CC metric state");
        if (m->state == NULL)
            return omreg_calloc_failure();
    }
    cc_state *s = state(m);
    const size_t min_size = 2 * (size_t)m->opt.radius + 1;
    for (int d = 0; d < m->dim; ++d) {
        OMREG_RETURN_IF(m->static_image->shape[d] < min_size, OMREG_ESHAPE,
                        "CC metric: static image axis %d has %zu voxels, fewer than 2 * radius "
                        "+ 1 = %zu (decrease the radius or use larger images)", d,
                        m->static_image->shape[d], min_size);
        OMREG_RETURN_IF(m->moving_image->shape[d] < min_size, OMREG_ESHAPE,
                        "CC metric: moving image axis %d has %zu voxels, fewer than 2 * radius "
                        "+ 1 = %zu (decrease the radius or use larger images)", d,
                        m->moving_image->shape[d], min_size);
    }
    OMREG_FORWARD(workspace(m, s));
    omreg_cc_precompute_factors_run(&m->ctx, m->static_image, m->moving_image,
                                    (size_t)m->opt.radius, factors_method(m), s->factors_scratch,
                                    s->factors);
    OMREG_FORWARD(syn_physical_gradient(&m->ctx, m->moving_image, m->moving_spacing,
                                        m->moving_direction, &s->gradient_moving));
    return syn_physical_gradient(&m->ctx, m->static_image, m->static_spacing, m->static_direction,
                                 &s->gradient_static);
}

static omreg_status step(syn_metric *m, int forward, omreg_image *out)
{
    cc_state *s = state(m);
    double energy = 0.0;
    omreg_cc_step_run(&m->ctx, forward ? s->gradient_static : s->gradient_moving, s->factors,
                      (size_t)m->opt.radius, !forward, s->step_scratch, out, &energy);
    OMREG_FORWARD(syn_smooth_field(m, out, m->opt.sigma_diff));
    if (forward) /* DIPY: `displacement, self.energy = ...` only here */
        m->energy = energy;
    return OMREG_OK;
}

static omreg_status compute_forward(syn_metric *m, omreg_image *out)
{
    return step(m, 1, out);
}

static omreg_status compute_backward(syn_metric *m, omreg_image *out)
{
    return step(m, 0, out);
}

static double get_energy(const syn_metric *m)
{
    return m->energy;
}

static void destroy(syn_metric *m)
{
    if (m->state != NULL)
        workspace_free(m->state);
    free(m->state);
    m->state = NULL;
}

const syn_metric_ops syn_metric_cc_ops = {
    .name = "CC",
    .use_static_image_dynamics = NULL, /* no image dynamics */
    .use_moving_image_dynamics = NULL,
    .initialize_iteration = initialize_iteration,
    .compute_forward = compute_forward,
    .compute_backward = compute_backward,
    .get_energy = get_energy,
    .free_iteration = free_iteration,
    .destroy = destroy,
};
