/* DIPY 1.6 SSDMetric (metrics.py): per iteration both images' physical
 * gradients; the forward step registers moving to static with
 * delta = static - moving and the static gradient, the backward step the
 * other way round. 'demons': compute_ssd_demons_step with sigma_reg_2 =
 * sum(spacing^2) / dim, then Gaussian smoothing by `smooth`;
 * 'gauss_newton': a V-cycle of levels_below levels and inner_iter sweeps
 * with lambda = smooth from a zero displacement (sweeps in the options'
 * gs_order, DIPY's lexicographic one by default; omreg/sumsqdiff.h). The energy is the step's sum of squared
 * differences. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "image_internal.h"
#include "kernels_sumsqdiff.h"
#include "omreg/sumsqdiff.h"
#include "syn_internal.h"

typedef struct ssd_state {
    /* kept while the grid stays (syn_level_field): both gradients, the
     * image difference and the demons step's row scratch */
    omreg_image *gradient_static, *gradient_moving, *delta;
    double *demons_scratch;
    size_t demons_rows;
    /* V-cycle buffers, kept while the grid and depth stay the same */
    omreg_ssd_workspace *ws;
    size_t ws_shape[3];
    int ws_levels;
} ssd_state;

/* the iteration keeps nothing of its own: the buffers live on */
static void free_iteration(syn_metric *m)
{
    (void)m;
}

static omreg_status initialize_iteration(syn_metric *m)
{
    if (m->state == NULL) {
        m->state = omreg_calloc(1, sizeof(ssd_state), "SSD metric state");
        if (m->state == NULL)
            return omreg_calloc_failure();
    }
    ssd_state *s = m->state;
    OMREG_FORWARD(syn_physical_gradient(&m->ctx, m->moving_image, m->moving_spacing,
                                        m->moving_direction, &s->gradient_moving));
    return syn_physical_gradient(&m->ctx, m->static_image, m->static_spacing, m->static_direction,
                                 &s->gradient_static);
}

/* a workspace for V-cycles of n levels below the static image's grid */
static omreg_status workspace(syn_metric *m, ssd_state *s, int n)
{
    const omreg_image *img = m->static_image;
    if (s->ws && s->ws_levels == n && memcmp(s->ws_shape, img->shape, sizeof s->ws_shape) == 0)
        return OMREG_OK;
    omreg_ssd_workspace_free(s->ws);
    s->ws = NULL;
    OMREG_FORWARD(omreg_ssd_workspace_create(&s->ws, img->ndim, img->shape, OMREG_F32, n,
                                             false));
    memcpy(s->ws_shape, img->shape, sizeof s->ws_shape);
    s->ws_levels = n;
    return OMREG_OK;
}

/* the demons step's row scratch for delta's grid */
static omreg_status demons_scratch(ssd_state *s, const omreg_image *delta)
{
    const size_t rows = omreg_ssd_rows(delta->ndim, delta->shape);
    if (s->demons_scratch != NULL && s->demons_rows == rows)
        return OMREG_OK;
    free(s->demons_scratch);
    s->demons_rows = 0;
    s->demons_scratch = omreg_calloc(rows, OMREG_SSD_SCRATCH_PER_ROW * sizeof(double),
                                     "SSD row scratch");
    if (s->demons_scratch == NULL)
        return omreg_calloc_failure();
    s->demons_rows = rows;
    return OMREG_OK;
}

static omreg_status step(syn_metric *m, int forward, omreg_image *d)
{
    ssd_state *s = m->state;
    const omreg_image *gradient = forward ? s->gradient_static : s->gradient_moving;
    double energy = 0.0;
    /* forward: static - moving; backward: moving - static */
    OMREG_FORWARD(forward ? syn_difference(&m->ctx, m->static_image, m->moving_image, &s->delta)
                          : syn_difference(&m->ctx, m->moving_image, m->static_image, &s->delta));
    const omreg_image *delta = s->delta;
    /* the step starts from zeros, as a new field would */
    memset(d->data, 0, omreg_image_voxels(d) * (size_t)d->ncomp * sizeof(float));
    omreg_status st;
    if (m->opt.step_type == OMREG_SYN_STEP_GAUSS_NEWTON) {
        st = workspace(m, s, m->levels_below);
        if (st == OMREG_OK)
            st = syn_ssd_v_cycle(&m->ctx, m->opt.gs_order, m->levels_below, m->opt.inner_iter,
                                 delta, NULL, gradient, NULL, m->opt.smooth, d, s->ws, &energy);
    } else {
        st = demons_scratch(s, delta);
        if (st == OMREG_OK) {
            omreg_ssd_demons_step_run(&m->ctx, delta, gradient,
                                      syn_sigma_reg_2(m->dim, m->static_spacing), d,
                                      s->demons_scratch, &energy);
            st = syn_smooth_field(m, d, m->opt.smooth);
        }
    }
    if (st != OMREG_OK)
        return st;
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
    ssd_state *s = m->state;
    if (s) {
        omreg_ssd_workspace_free(s->ws);
        omreg_image_free(s->gradient_static);
        omreg_image_free(s->gradient_moving);
        omreg_image_free(s->delta);
        free(s->demons_scratch);
    }
    free(s);
    m->state = NULL;
}

const syn_metric_ops syn_metric_ssd_ops = {
    .name = "SSD",
    .use_static_image_dynamics = NULL, /* no image dynamics */
    .use_moving_image_dynamics = NULL,
    .initialize_iteration = initialize_iteration,
    .compute_forward = compute_forward,
    .compute_backward = compute_backward,
    .get_energy = get_energy,
    .free_iteration = free_iteration,
    .destroy = destroy,
};
