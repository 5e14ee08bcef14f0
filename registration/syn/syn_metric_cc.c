/* DIPY 1.6 CCMetric (metrics.py): per iteration the CC factors of the
 * warped static and moving images over (2 radius + 1)^dim windows and both
 * images' physical gradients; the forward (backward) step is
 * compute_cc_forward_step (backward) smoothed by sigma_diff. As in DIPY the
 * energy is set by the forward step only: compute_backward discards its
 * energy, so get_energy() after it returns the forward one again. */
#include <stdlib.h>

#include "alloc.h"
#include "api_threads.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/crosscorr.h"
#include "syn_internal.h"

typedef struct cc_state {
    void *factors;
    omreg_image *gradient_static, *gradient_moving;
} cc_state;

static cc_state *state(syn_metric *m)
{
    return m->state;
}

static void free_iteration(syn_metric *m)
{
    cc_state *s = state(m);
    if (s == NULL)
        return;
    free(s->factors);
    omreg_image_free(s->gradient_static);
    omreg_image_free(s->gradient_moving);
    s->factors = NULL;
    s->gradient_static = s->gradient_moving = NULL;
}

static omreg_status initialize_iteration(syn_metric *m)
{
    if (m->state == NULL) {
        m->state = omreg_calloc(1, sizeof(cc_state), "CC metric state");
        if (m->state == NULL)
            return omreg_calloc_failure();
    }
    free_iteration(m);
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
    omreg_status st = omreg_cc_precompute_factors_threads(m->b, m->nthreads, m->static_image,
                                                          m->moving_image, (size_t)m->opt.radius,
                                                          OMREG_CC_SLIDING, &s->factors);
    if (st == OMREG_OK)
        st = syn_physical_gradient(m->b, m->moving_image, m->moving_spacing,
                                   m->moving_direction, &s->gradient_moving);
    if (st == OMREG_OK)
        st = syn_physical_gradient(m->b, m->static_image, m->static_spacing,
                                   m->static_direction, &s->gradient_static);
    if (st != OMREG_OK)
        free_iteration(m);
    return st;
}

static omreg_status step(syn_metric *m, int forward, omreg_image **out)
{
    cc_state *s = state(m);
    omreg_image *d = NULL;
    double energy = 0.0;
    if (forward)
        OMREG_FORWARD(omreg_cc_forward_step(m->b, s->gradient_static, s->factors,
                                            (size_t)m->opt.radius, &d, &energy));
    else
        OMREG_FORWARD(omreg_cc_backward_step(m->b, s->gradient_moving, s->factors,
                                             (size_t)m->opt.radius, &d, &energy));
    omreg_status st = syn_smooth_field(m, d, m->opt.sigma_diff);
    if (st != OMREG_OK) {
        omreg_image_free(d);
        return st;
    }
    if (forward) /* DIPY: `displacement, self.energy = ...` only here */
        m->energy = energy;
    *out = d;
    return OMREG_OK;
}

static omreg_status compute_forward(syn_metric *m, omreg_image **out)
{
    return step(m, 1, out);
}

static omreg_status compute_backward(syn_metric *m, omreg_image **out)
{
    return step(m, 0, out);
}

static double get_energy(const syn_metric *m)
{
    return m->energy;
}

static void destroy(syn_metric *m)
{
    free_iteration(m);
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
