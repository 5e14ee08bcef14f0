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
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "diffeomap_internal.h"
#include "error.h"
#include "image_internal.h"
#include "kernels_reduce.h"
#include "omreg/sumsqdiff.h"
#include "syn_internal.h"

/* One image's side: its mask from the image dynamics, the class statistics
 * of the other image over its quantisation spread back as fields
 * (DIPY's staticq_* or movingq_*), and its gradient. */
typedef struct em_side {
    int *image_mask;
    size_t mask_nvox; /* image_mask's length (0: none yet) */
    omreg_image *means_field, *sigma_sq_field, *gradient;
} em_side;

/* Every buffer is kept while the grid stays (syn_level_field and the
 * nvox counts): after a level's first iteration the metric allocates
 * nothing. */
typedef struct em_state {
    em_side fixed, moving; /* the static and the moving image's sides */
    omreg_image *warped;   /* the image dynamics' nearest-neighbour warp */
    /* sized for nvox voxels (0: none yet) by grid_buffers */
    size_t nvox;
    int *sampling_mask, *labels;
    omreg_quantize_workspace quantize;
    omreg_class_stats_workspace stats;
    double *demons_scratch;
    omreg_image *numpy_gradient, *delta; /* double gradient, step difference */
    /* V-cycle buffers, kept while the grid and depth stay the same */
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

/* *buf, n ints: the one there when it holds have == n ints, else a new one */
static omreg_status int_buffer(int **buf, size_t n, size_t have, const char *what)
{
    if (*buf != NULL && have == n)
        return OMREG_OK;
    free(*buf);
    *buf = omreg_calloc(n, sizeof(int), what);
    return *buf != NULL ? OMREG_OK : omreg_calloc_failure();
}

/* mask = (original > 0) warped by nearest neighbour onto the metric's
 * image grid (shape, affine) through DIPY's transformation, to_ref's
 * inverse (DIPY use_*_image_dynamics: transformation.transform(mask,
 * 'nearest', None, shape, affine)). Nearest-neighbour warping only moves
 * values, so warping the original and then testing > 0 gives the same 0/1
 * pattern as warping the int mask (outside voxels are 0 either way). */
static omreg_status dynamics(syn_metric *m, const omreg_image *original,
                             const omreg_diffeomap *to_ref, const omreg_image *image,
                             const double *affine, em_side *d)
{
    em_state *s = m->state;
    OMREG_RETURN_IF(to_ref == NULL, OMREG_EINVAL,
                    "EM metric: the image dynamics need the map to the reference");
    const size_t n = omreg_image_voxels(image);
    OMREG_FORWARD(syn_level_field(&s->warped, image, 1));
    const size_t have = d->mask_nvox;
    d->mask_nvox = 0;
    OMREG_FORWARD(int_buffer(&d->image_mask, n, have, "EM image mask"));
    d->mask_nvox = n;
    omreg_dm_transform_inverse_run(&m->ctx, to_ref, original, OMREG_WARP_NEAREST, affine,
                                   s->warped);
    m->ctx.backend->syn_positive_mask_f32(m->ctx.nthreads, s->warped->data, n, d->image_mask);
    return OMREG_OK;
}

static omreg_status use_static_image_dynamics(syn_metric *m, const omreg_image *original,
                                              const omreg_diffeomap *to_ref)
{
    em_state *s;
    OMREG_FORWARD(get_state(m, &s));
    return dynamics(m, original, to_ref, m->static_image, m->static_affine, &s->fixed);
}

static omreg_status use_moving_image_dynamics(syn_metric *m, const omreg_image *original,
                                              const omreg_diffeomap *to_ref)
{
    em_state *s;
    OMREG_FORWARD(get_state(m, &s));
    return dynamics(m, original, to_ref, m->moving_image, m->moving_affine, &s->moving);
}

/* the iteration keeps nothing of its own: the buffers live on */
static void free_iteration(syn_metric *m)
{
    (void)m;
}

/* the sampling mask, labels, workspaces and demons scratch for `image`'s
 * grid (q_levels classes, fixed for the metric's life) */
static omreg_status grid_buffers(syn_metric *m, em_state *s, const omreg_image *image)
{
    const size_t n = omreg_image_voxels(image);
    if (s->nvox == n)
        return OMREG_OK;
    const size_t have = s->nvox;
    s->nvox = 0; /* until every buffer has the new size */
    OMREG_FORWARD(int_buffer(&s->sampling_mask, n, have, "sampling mask"));
    OMREG_FORWARD(int_buffer(&s->labels, n, have, "quantized classes"));
    omreg_quantize_workspace_free(&s->quantize);
    omreg_class_stats_workspace_free(&s->stats);
    OMREG_FORWARD(omreg_quantize_workspace_init(&s->quantize, image, m->opt.q_levels));
    OMREG_FORWARD(omreg_class_stats_workspace_init(&s->stats, image, m->opt.q_levels));
    free(s->demons_scratch);
    s->demons_scratch =
        omreg_calloc(omreg_reduce_blocks(n), sizeof(double), "EM demons energy scratch");
    if (s->demons_scratch == NULL)
        return omreg_calloc_failure();
    s->nvox = n;
    return OMREG_OK;
}

/* quantize(image, q_levels), then the class statistics of `other` over
 * the sampling mask (class 0's mean set to 0), spread back into the side's
 * fields: means[labels], variances[labels] */
static omreg_status class_fields(syn_metric *m, em_state *s, const omreg_image *image,
                                 const omreg_image *other, em_side *d)
{
    const omreg_backend *b = m->ctx.backend;
    const int nthreads = m->ctx.nthreads;
    const int q = m->opt.q_levels;
    const size_t n = omreg_image_voxels(image);
    OMREG_FORWARD(omreg_quantize_positive_run(&m->ctx, image, q, s->labels, &s->quantize));
    OMREG_FORWARD(omreg_compute_masked_class_stats_run(&m->ctx, s->sampling_mask, other, q,
                                                       s->labels, &s->stats));
    ((float *)s->stats.means)[0] = 0.0f; /* staticq_means[0] = 0 */
    OMREG_FORWARD(syn_level_field(&d->means_field, image, 1));
    OMREG_FORWARD(syn_level_field(&d->sigma_sq_field, image, 1));
    b->syn_gather_f32(nthreads, s->stats.variances, s->labels, n, d->sigma_sq_field->data);
    b->syn_gather_f32(nthreads, s->stats.means, s->labels, n, d->means_field->data);
    return OMREG_OK;
}

/* grad += numpy.gradient(field) (DIPY's double gradient) */
static omreg_status add_gradient(syn_metric *m, em_state *s, omreg_image *grad,
                                 const omreg_image *field)
{
    OMREG_FORWARD(syn_numpy_gradient(&m->ctx, field, &s->numpy_gradient));
    const omreg_image *g = s->numpy_gradient;
    m->ctx.backend->add_f32(m->ctx.nthreads, grad->data, g->data,
                            omreg_image_voxels(g) * (size_t)m->dim);
    return OMREG_OK;
}

static omreg_status initialize_iteration(syn_metric *m)
{
    em_state *s;
    OMREG_FORWARD(get_state(m, &s));
    const omreg_backend *b = m->ctx.backend;
    const size_t n = omreg_image_voxels(m->static_image);
    OMREG_RETURN_IF(s->fixed.mask_nvox != n || s->moving.mask_nvox != n, OMREG_EINVAL,
                    "EM metric: the image dynamics were not set before the iteration");
    OMREG_FORWARD(grid_buffers(m, s, m->static_image));
    b->syn_multiply_i32(m->ctx.nthreads, s->fixed.image_mask, s->moving.image_mask, n, s->sampling_mask);
    OMREG_FORWARD(class_fields(m, s, m->static_image, m->moving_image, &s->fixed));
    OMREG_FORWARD(syn_physical_gradient(&m->ctx, m->moving_image, m->moving_spacing,
                                        m->moving_direction, &s->moving.gradient));
    OMREG_FORWARD(syn_physical_gradient(&m->ctx, m->static_image, m->static_spacing,
                                        m->static_direction, &s->fixed.gradient));
    OMREG_FORWARD(class_fields(m, s, m->moving_image, m->static_image, &s->moving));
    if (m->opt.double_gradient) {
        OMREG_FORWARD(add_gradient(m, s, s->moving.gradient, s->fixed.means_field));
        OMREG_FORWARD(add_gradient(m, s, s->fixed.gradient, s->moving.means_field));
    }
    return OMREG_OK;
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
    const em_side *side = forward ? &s->fixed : &s->moving;
    OMREG_FORWARD(syn_difference(&m->ctx, side->means_field,
                                 forward ? m->moving_image : m->static_image, &s->delta));
    double energy = 0.0;
    /* the step starts from zeros, as a new field would */
    memset(d->data, 0, omreg_image_voxels(d) * (size_t)d->ncomp * sizeof(float));
    OMREG_FORWARD(workspace(m, s, m->levels_below));
    OMREG_FORWARD(syn_ssd_v_cycle(&m->ctx, m->opt.gs_order, m->levels_below, m->opt.inner_iter,
                                  s->delta, side->sigma_sq_field, side->gradient, NULL,
                                  m->opt.smooth, d, s->ws, &energy));
    m->energy = energy;
    return OMREG_OK;
}

/* compute_demons_step: forward uses static - movingq_means_field with the
 * moving classes' variances and the static gradient, backward
 * moving - staticq_means_field */
static omreg_status demons_step(syn_metric *m, em_state *s, int forward, omreg_image *out)
{
    const em_side *side = forward ? &s->fixed : &s->moving;
    const em_side *other = forward ? &s->moving : &s->fixed;
    OMREG_FORWARD(syn_difference(&m->ctx, forward ? m->static_image : m->moving_image,
                                 other->means_field, &s->delta));
    double energy = 0.0;
    omreg_compute_em_demons_step_run(&m->ctx, s->delta, other->sigma_sq_field, side->gradient,
                                     syn_sigma_reg_2(m->dim, m->static_spacing), out,
                                     s->demons_scratch, &energy);
    OMREG_FORWARD(syn_smooth_field(m, out, m->opt.smooth));
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

static void side_free(em_side *d)
{
    free(d->image_mask);
    omreg_image_free(d->means_field);
    omreg_image_free(d->sigma_sq_field);
    omreg_image_free(d->gradient);
}

static void destroy(syn_metric *m)
{
    em_state *s = m->state;
    if (s) {
        side_free(&s->fixed);
        side_free(&s->moving);
        omreg_image_free(s->warped);
        free(s->sampling_mask);
        free(s->labels);
        omreg_quantize_workspace_free(&s->quantize);
        omreg_class_stats_workspace_free(&s->stats);
        free(s->demons_scratch);
        omreg_image_free(s->numpy_gradient);
        omreg_image_free(s->delta);
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
