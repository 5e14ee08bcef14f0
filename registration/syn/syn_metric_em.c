/* DIPY 1.6 EMMetric (metrics.py, Arce-Santana et al. 2014). The image
 * dynamics give each image a mask, (original > 0) warped by nearest
 * neighbour like the image; per iteration both images are quantised into
 * q_levels classes and each class gets the mean and variance of the other
 * image over the product of the masks (class 0's mean set to 0), spread
 * back as fields; the gradients are the physical gradients plus, with
 * double_gradient, numpy.gradient of the other image's expected-value
 * field (not divided by the spacing, as DIPY). Steps: 'gauss_newton' a
 * V-cycle on delta = expected - image with the class variances,
 * lambda = smooth; 'demons' compute_em_demons_step then Gaussian smoothing
 * by `smooth`. The energy is the step's. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/expectmax.h"
#include "omreg/sumsqdiff.h"
#include "api_threads.h"
#include "diffeomap_internal.h"
#include "syn_internal.h"

typedef struct em_state {
    int *static_image_mask, *moving_image_mask; /* from the image dynamics */
    /* per iteration */
    int *sampling_mask;
    omreg_image *staticq_means_field, *staticq_sigma_sq_field;
    omreg_image *movingq_means_field, *movingq_sigma_sq_field;
    omreg_image *gradient_static, *gradient_moving;
    omreg_ssd_workspace *ws;
    size_t ws_shape[3];
    int ws_levels;
} em_state;

static omreg_status get_state(syn_metric *m, em_state **s)
{
    if (m->state == NULL)
        m->state = omreg_calloc(1, sizeof(em_state), "EM metric state");
    *s = m->state; /* set on every path: gcc cannot see that the failure status is not OK */
    return m->state != NULL ? OMREG_OK : omreg_calloc_failure();
}

/* mask = (original > 0) warped by nearest neighbour onto the metric's
 * image grid (shape, affine) through the transformation (DIPY
 * use_*_image_dynamics: transformation.transform(mask, 'nearest', None,
 * shape, affine)). Nearest-neighbour warping only moves values, so warping
 * the original and then testing > 0 gives the same 0/1 pattern as warping
 * the int mask (outside voxels are 0 either way). */
static omreg_status dynamics(syn_metric *m, const omreg_image *original,
                             const omreg_diffeomap *transformation, const omreg_image *image,
                             const double *affine, int **mask)
{
    const omreg_backend *b = m->ctx.backend;
    const int nthreads = m->ctx.nthreads;
    omreg_image *warped = NULL;
    const omreg_image *src = original;
    if (transformation != NULL) {
        OMREG_FORWARD(omreg_diffeomap_transform_threads(b, nthreads, transformation, original,
                                                        OMREG_WARP_NEAREST, NULL, image->shape,
                                                        affine, &warped));
        src = warped;
    }
    const size_t n = omreg_image_voxels(src);
    int *out = omreg_calloc(n, sizeof(int), "EM image mask");
    omreg_status st = out != NULL ? OMREG_OK : omreg_calloc_failure();
    if (st == OMREG_OK) {
        b->syn_positive_mask_f32(nthreads, src->data, n, out);
        free(*mask);
        *mask = out;
    }
    omreg_image_free(warped);
    return st;
}

static omreg_status use_static_image_dynamics(syn_metric *m, const omreg_image *original,
                                              const omreg_diffeomap *transformation)
{
    em_state *s;
    OMREG_FORWARD(get_state(m, &s));
    return dynamics(m, original, transformation, m->static_image, m->static_affine,
                    &s->static_image_mask);
}

static omreg_status use_moving_image_dynamics(syn_metric *m, const omreg_image *original,
                                              const omreg_diffeomap *transformation)
{
    em_state *s;
    OMREG_FORWARD(get_state(m, &s));
    return dynamics(m, original, transformation, m->moving_image, m->moving_affine,
                    &s->moving_image_mask);
}

static void free_iteration(syn_metric *m)
{
    em_state *s = m->state;
    if (s == NULL)
        return;
    free(s->sampling_mask);
    s->sampling_mask = NULL;
    omreg_image *fields[] = {s->staticq_means_field, s->staticq_sigma_sq_field,
                             s->movingq_means_field, s->movingq_sigma_sq_field,
                             s->gradient_static,     s->gradient_moving};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; ++i)
        omreg_image_free(fields[i]);
    s->staticq_means_field = s->staticq_sigma_sq_field = NULL;
    s->movingq_means_field = s->movingq_sigma_sq_field = NULL;
    s->gradient_static = s->gradient_moving = NULL;
}

/* quantize(image, q_levels), then the class statistics of `other` over
 * `mask` (class 0's mean set to 0), spread back: means[labels],
 * variances[labels] */
static omreg_status class_fields(syn_metric *m, const omreg_image *image,
                                 const omreg_image *other, const int *mask,
                                 omreg_image **means_field, omreg_image **sigma_sq_field)
{
    const omreg_backend *b = m->ctx.backend;
    const int nthreads = m->ctx.nthreads;
    const int q = m->opt.q_levels;
    const size_t n = omreg_image_voxels(image);
    int *labels = NULL;
    void *means = NULL, *variances = NULL;
    omreg_image *mf = NULL, *vf = NULL;
    omreg_status st = omreg_quantize_positive_threads(b, nthreads, image, q, &labels, NULL, NULL);
    if (st == OMREG_OK)
        st = omreg_compute_masked_class_stats_threads(b, nthreads, mask, other, q, labels, &means,
                                                      &variances);
    if (st == OMREG_OK) {
        ((float *)means)[0] = 0.0f; /* staticq_means[0] = 0 */
        st = omreg_image_create(&mf, image->ndim, image->shape, 1, OMREG_F32, image->grid2world);
    }
    if (st == OMREG_OK)
        st = omreg_image_create(&vf, image->ndim, image->shape, 1, OMREG_F32, image->grid2world);
    if (st == OMREG_OK) {
        b->syn_gather_f32(nthreads, variances, labels, n, vf->data);
        b->syn_gather_f32(nthreads, means, labels, n, mf->data);
        *means_field = mf;
        *sigma_sq_field = vf;
        mf = vf = NULL;
    }
    free(labels);
    free(means);
    free(variances);
    omreg_image_free(mf);
    omreg_image_free(vf);
    return st;
}

/* grad += numpy.gradient(field) (DIPY's double gradient) */
static omreg_status add_gradient(syn_metric *m, omreg_image *grad, const omreg_image *field)
{
    omreg_image *g = NULL;
    OMREG_FORWARD(omreg_numpy_gradient_threads(m->ctx.backend, m->ctx.nthreads, field, &g));
    m->ctx.backend->add_f32(m->ctx.nthreads, grad->data, g->data,
                            omreg_image_voxels(g) * (size_t)m->dim);
    omreg_image_free(g);
    return OMREG_OK;
}

static omreg_status initialize_iteration(syn_metric *m)
{
    em_state *s;
    OMREG_FORWARD(get_state(m, &s));
    free_iteration(m);
    const omreg_backend *b = m->ctx.backend;
    const int nthreads = m->ctx.nthreads;
    const size_t n = omreg_image_voxels(m->static_image);
    OMREG_RETURN_IF(s->static_image_mask == NULL || s->moving_image_mask == NULL, OMREG_EINVAL,
                    "EM metric: the image dynamics were not set before the iteration");
    s->sampling_mask = omreg_calloc(n, sizeof(int), "sampling mask");
    omreg_status st = s->sampling_mask != NULL ? OMREG_OK : omreg_calloc_failure();
    if (st == OMREG_OK) {
        b->syn_multiply_i32(nthreads, s->static_image_mask, s->moving_image_mask, n,
                            s->sampling_mask);
        st = class_fields(m, m->static_image, m->moving_image, s->sampling_mask,
                          &s->staticq_means_field, &s->staticq_sigma_sq_field);
    }
    if (st == OMREG_OK)
        st = syn_physical_gradient(&m->ctx, m->moving_image, m->moving_spacing, m->moving_direction,
                                   &s->gradient_moving);
    if (st == OMREG_OK)
        st = syn_physical_gradient(&m->ctx, m->static_image, m->static_spacing, m->static_direction,
                                   &s->gradient_static);
    if (st == OMREG_OK)
        st = class_fields(m, m->moving_image, m->static_image, s->sampling_mask,
                          &s->movingq_means_field, &s->movingq_sigma_sq_field);
    if (st == OMREG_OK && m->opt.double_gradient) {
        st = add_gradient(m, s->gradient_moving, s->staticq_means_field);
        if (st == OMREG_OK)
            st = add_gradient(m, s->gradient_static, s->movingq_means_field);
    }
    if (st != OMREG_OK)
        free_iteration(m);
    return st;
}

static omreg_status workspace(syn_metric *m, em_state *s, int n)
{
    const omreg_image *img = m->static_image;
    if (s->ws && s->ws_levels == n && memcmp(s->ws_shape, img->shape, sizeof s->ws_shape) == 0)
        return OMREG_OK;
    omreg_ssd_workspace_free(s->ws);
    s->ws = NULL;
    OMREG_FORWARD(omreg_ssd_workspace_create(&s->ws, img->ndim, img->shape, OMREG_F32, n, true));
    memcpy(s->ws_shape, img->shape, sizeof s->ws_shape);
    s->ws_levels = n;
    return OMREG_OK;
}

/* compute_gauss_newton_step: forward uses the static side (gradient_static,
 * staticq_means_field - moving, staticq_sigma_sq_field), backward the
 * moving side */
static omreg_status gauss_newton_step(syn_metric *m, em_state *s, int forward, omreg_image *d)
{
    const omreg_image *gradient = forward ? s->gradient_static : s->gradient_moving;
    const omreg_image *sigma_sq = forward ? s->staticq_sigma_sq_field : s->movingq_sigma_sq_field;
    omreg_image *delta = NULL;
    OMREG_FORWARD(forward
                      ? syn_difference(&m->ctx, s->staticq_means_field, m->moving_image, &delta)
                      : syn_difference(&m->ctx, s->movingq_means_field, m->static_image, &delta));
    double energy = 0.0;
    /* the step starts from zeros, as a new field would */
    memset(d->data, 0, omreg_image_voxels(d) * (size_t)d->ncomp * sizeof(float));
    omreg_status st = workspace(m, s, m->levels_below);
    if (st == OMREG_OK)
        st = syn_ssd_v_cycle(&m->ctx, m->levels_below, m->opt.inner_iter, delta, sigma_sq, gradient,
                             NULL, m->opt.smooth, d, s->ws, &energy);
    omreg_image_free(delta);
    if (st != OMREG_OK)
        return st;
    m->energy = energy;
    return OMREG_OK;
}

/* compute_demons_step: forward uses static - movingq_means_field with the
 * moving classes' variances and the static gradient, backward
 * moving - staticq_means_field */
static omreg_status demons_step(syn_metric *m, em_state *s, int forward, omreg_image *out)
{
    const omreg_image *gradient = forward ? s->gradient_static : s->gradient_moving;
    const omreg_image *sigma_sq = forward ? s->movingq_sigma_sq_field : s->staticq_sigma_sq_field;
    omreg_image *delta = NULL, *d = NULL;
    OMREG_FORWARD(forward
                      ? syn_difference(&m->ctx, m->static_image, s->movingq_means_field, &delta)
                      : syn_difference(&m->ctx, m->moving_image, s->staticq_means_field, &delta));
    double energy = 0.0;
    omreg_status st =
        omreg_compute_em_demons_step_threads(m->ctx.backend, m->ctx.nthreads, delta, sigma_sq,
                                             gradient, syn_sigma_reg_2(m->dim, m->static_spacing),
                                             &d, &energy);
    omreg_image_free(delta);
    if (st == OMREG_OK)
        st = syn_smooth_field(m, d, m->opt.smooth);
    if (st == OMREG_OK)
        memcpy(out->data, d->data, omreg_image_voxels(d) * (size_t)d->ncomp * sizeof(float));
    omreg_image_free(d);
    if (st != OMREG_OK)
        return st;
    m->energy = energy;
    return OMREG_OK;
}

static omreg_status compute_forward(syn_metric *m, omreg_image *out)
{
    em_state *s = m->state;
    return m->opt.step_type == OMREG_SYN_STEP_GAUSS_NEWTON ? gauss_newton_step(m, s, 1, out)
                                                           : demons_step(m, s, 1, out);
}

static omreg_status compute_backward(syn_metric *m, omreg_image *out)
{
    em_state *s = m->state;
    return m->opt.step_type == OMREG_SYN_STEP_GAUSS_NEWTON ? gauss_newton_step(m, s, 0, out)
                                                           : demons_step(m, s, 0, out);
}

static double get_energy(const syn_metric *m)
{
    return m->energy;
}

static void destroy(syn_metric *m)
{
    em_state *s = m->state;
    free_iteration(m);
    if (s) {
        free(s->static_image_mask);
        free(s->moving_image_mask);
        omreg_ssd_workspace_free(s->ws);
    }
    free(s);
    m->state = NULL;
}

const syn_metric_ops syn_metric_em_ops = {
    .name = "EM",
    .use_static_image_dynamics = use_static_image_dynamics,
    .use_moving_image_dynamics = use_moving_image_dynamics,
    .initialize_iteration = initialize_iteration,
    .compute_forward = compute_forward,
    .compute_backward = compute_backward,
    .get_energy = get_energy,
    .free_iteration = free_iteration,
    .destroy = destroy,
};
