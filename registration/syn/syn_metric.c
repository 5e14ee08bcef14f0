/* The similarity-metric objects of DIPY 1.6 metrics.py (SimilarityMetric:
 * set_{static,moving}_image, set_levels_{below,above}) and the pieces the
 * three metrics share: the physical-space image gradient
 * (numpy.gradient / spacing, reoriented), the Gaussian smoothing of a
 * step, image differences, sigma_reg_2, and omreg_numpy_gradient. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "api_run.h"
#include "api_threads.h"
#include "image_internal.h"
#include "omreg/smooth.h"
#include "omreg/vector_fields.h"
#include "syn_internal.h"

omreg_status syn_metric_create(const omreg_run_ctx *ctx, int dim,
                               const omreg_syn_metric_options *opt, syn_metric **out)
{
    syn_metric *m = omreg_calloc(1, sizeof *m, "similarity metric");
    if (m == NULL)
        return omreg_calloc_failure();
    m->ctx = *ctx;
    m->dim = dim;
    m->opt = *opt;
    switch (opt->type) {
    case OMREG_SYN_CC: m->ops = &syn_metric_cc_ops; break;
    case OMREG_SYN_SSD: m->ops = &syn_metric_ssd_ops; break;
    default: m->ops = &syn_metric_em_ops; break;
    }
    *out = m;
    return OMREG_OK;
}

void syn_metric_free(syn_metric *m)
{
    if (m == NULL)
        return;
    m->ops->free_iteration(m);
    m->ops->destroy(m);
    omreg_smooth_workspace_free(&m->smooth);
    free(m);
}

static void set_image(int dim, const omreg_image *image, const double *affine,
                      const double *spacing, const double *direction, const omreg_image **img,
                      double *m_affine, double *m_spacing, double *m_direction)
{
    const size_t n1 = (size_t)dim + 1;
    *img = image;
    memcpy(m_affine, affine, sizeof(double) * n1 * n1);
    memcpy(m_spacing, spacing, sizeof(double) * (size_t)dim);
    memcpy(m_direction, direction, sizeof(double) * n1 * n1);
}

void syn_metric_set_static(syn_metric *m, const omreg_image *image, const double *affine,
                           const double *spacing, const double *direction)
{
    set_image(m->dim, image, affine, spacing, direction, &m->static_image, m->static_affine,
              m->static_spacing, m->static_direction);
}

void syn_metric_set_moving(syn_metric *m, const omreg_image *image, const double *affine,
                           const double *spacing, const double *direction)
{
    set_image(m->dim, image, affine, spacing, direction, &m->moving_image, m->moving_affine,
              m->moving_spacing, m->moving_direction);
}

size_t syn_metric_min_axis(const omreg_syn_metric_options *opt)
{
    if (opt->type == OMREG_SYN_CC)
        return 2 * (size_t)opt->radius + 1;
    return 2;
}

/* numpy.gradient(image) into g (a field of image's grid and dtype) */
static void numpy_gradient_run(const omreg_run_ctx *ctx, const omreg_image *image, omreg_image *g)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (image->ndim == 2) {
        if (image->dtype == OMREG_F32)
            b->numpy_gradient_2d_f32(nthreads, image->data, image->shape, g->data);
        else
            b->numpy_gradient_2d_f64(nthreads, image->data, image->shape, g->data);
    } else {
        if (image->dtype == OMREG_F32)
            b->numpy_gradient_3d_f32(nthreads, image->data, image->shape, g->data);
        else
            b->numpy_gradient_3d_f64(nthreads, image->data, image->shape, g->data);
    }
}

omreg_status omreg_numpy_gradient(const omreg_backend *b, const omreg_image *image,
                                  omreg_image **out)
{
    return omreg_numpy_gradient_threads(b, 0, image, out);
}

omreg_status omreg_numpy_gradient_threads(const omreg_backend *b, int nthreads,
                                          const omreg_image *image, omreg_image **out)
{
    static const char fn[] = "omreg_numpy_gradient";
    OMREG_RETURN_IF(b == NULL || image == NULL || out == NULL, OMREG_EINVAL,
                    "%s: NULL argument", fn);
    OMREG_RETURN_IF(image->ncomp != 1, OMREG_ESHAPE, "%s: expected a scalar image, got a field",
                    fn);
    for (int d = 0; d < image->ndim; ++d)
        OMREG_RETURN_IF(image->shape[d] < 2, OMREG_ESHAPE,
                        "%s: axis %d has %zu voxel(s); numpy.gradient needs at least 2", fn, d,
                        image->shape[d]);
    omreg_image *g = NULL;
    OMREG_FORWARD(omreg_image_create(&g, image->ndim, image->shape, image->ndim, image->dtype,
                                     image->grid2world));
    const omreg_run_ctx ctx = omreg_run_ctx_of(b, nthreads);
    numpy_gradient_run(&ctx, image, g);
    *out = g;
    return OMREG_OK;
}

omreg_status syn_level_field(omreg_image **slot, const omreg_image *like, int ncomp)
{
    omreg_image *f = *slot;
    if (f != NULL && f->ndim == like->ndim && f->ncomp == ncomp && f->dtype == OMREG_F32 &&
        memcmp(f->shape, like->shape, sizeof(size_t) * (size_t)like->ndim) == 0) {
        memcpy(f->grid2world, like->grid2world,
               sizeof(double) * (size_t)(like->ndim + 1) * (size_t)(like->ndim + 1));
        return OMREG_OK;
    }
    omreg_image_free(f);
    *slot = NULL;
    return omreg_image_create(slot, like->ndim, like->shape, ncomp, OMREG_F32, like->grid2world);
}

omreg_status syn_physical_gradient(const omreg_run_ctx *ctx, const omreg_image *image,
                                   const double *spacing, const double *direction,
                                   omreg_image **grad)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    OMREG_FORWARD(syn_level_field(grad, image, image->ndim));
    omreg_image *g = *grad;
    numpy_gradient_run(ctx, image, g);
    /* float32 field /= float64 spacing array: numpy divides in double */
    b->syn_divide_spacing_f32(nthreads, g->data, omreg_image_voxels(g), g->ndim, spacing);
    omreg_reorient_vector_field_run(ctx, g, direction);
    return OMREG_OK;
}

omreg_status syn_smooth_field(syn_metric *m, omreg_image *field, double sigma)
{
    size_t shape[3] = {0, 0, 0};
    memcpy(shape, field->shape, sizeof(size_t) * (size_t)field->ndim);
    if (m->smooth_ncomp != field->ncomp || memcmp(shape, m->smooth_shape, sizeof shape) != 0 ||
        !(m->smooth_sigma == sigma)) {
        const double sigmas[3] = {sigma, sigma, sigma};
        omreg_smooth_workspace_free(&m->smooth);
        m->smooth_ncomp = 0;
        OMREG_FORWARD(omreg_smooth_workspace_init(
            &m->smooth, &m->ctx, field, sigmas, OMREG_SMOOTH_REFLECT, 0.0, OMREG_SMOOTH_TRUNCATE));
        memcpy(m->smooth_shape, shape, sizeof shape);
        m->smooth_ncomp = field->ncomp;
        m->smooth_sigma = sigma;
    }
    omreg_gaussian_filter_run(&m->ctx, &m->smooth, field, field, OMREG_SMOOTH_REFLECT, 0.0);
    return OMREG_OK;
}

omreg_status syn_difference(const omreg_run_ctx *ctx, const omreg_image *a, const omreg_image *c,
                            omreg_image **out)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    OMREG_FORWARD(syn_level_field(out, a, 1));
    b->syn_subtract_f32(nthreads, a->data, c->data, omreg_image_voxels(a), (*out)->data);
    return OMREG_OK;
}

double syn_sigma_reg_2(int dim, const double *spacing)
{
    double s = 0.0; /* np.sum of 2 or 3 squares: left to right */
    for (int d = 0; d < dim; ++d)
        s += spacing[d] * spacing[d];
    return s / dim;
}
