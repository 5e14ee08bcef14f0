/* Shared by the SSD entry points (api/sumsqdiff_api.c) and the V-cycle
 * driver (registration/syn/ssd_vcycle.c), whose checks are api_check.h's:
 * the scratch and the dispatch of one call to the table slot of its ndim and dtype
 * (kernels_sumsqdiff.h). O(1) work: every voxel loop is a table call. */
#ifndef OMREG_CORE_SUMSQDIFF_DISPATCH_H
#define OMREG_CORE_SUMSQDIFF_DISPATCH_H

#include "api_check.h"
#include "api_run.h"
#include "kernels_sumsqdiff.h"
#include "omreg/sumsqdiff.h"

/* Scratch doubles of one call on delta's grid. */
static inline omreg_status ssd_alloc_scratch(const omreg_image *delta, double **scratch)
{
    void *mem = omreg_calloc(omreg_ssd_rows(delta->ndim, delta->shape),
                             OMREG_SSD_SCRATCH_PER_ROW * sizeof(double), "SSD row scratch");
    if (mem == NULL)
        return omreg_calloc_failure();
    *scratch = mem;
    return OMREG_OK;
}

/* ---- dispatch ---------------------------------------------------------- */

/* One linear system on one grid, as raw buffers (delta may be NULL when
 * target is given, sigmasq and target may be NULL). */
struct ssd_system {
    int ndim;
    omreg_dtype dtype;
    const size_t *shape;
    const void *delta, *sigmasq, *grad, *target;
    double lambda;
    omreg_ssd_order order; /* of its Gauss-Seidel sweeps */
};

static inline omreg_status ssd_check_order(const char *fn, omreg_ssd_order order)
{
    OMREG_RETURN_IF((int)order < 0 || order >= OMREG_SSD_ORDER_COUNT, OMREG_EINVAL,
                    "%s: unknown Gauss-Seidel order %d", fn, (int)order);
    return OMREG_OK;
}

/* The system of checked images (sigmasq and target may be NULL), swept in
 * `order`. */
static inline struct ssd_system ssd_system_of(omreg_ssd_order order, const omreg_image *delta,
                                              const omreg_image *sigmasq,
                                              const omreg_image *gradient,
                                              const omreg_image *target, double lambda)
{
    const struct ssd_system s = {.ndim = delta->ndim,
                                 .dtype = delta->dtype,
                                 .shape = delta->shape,
                                 .delta = delta->data,
                                 .sigmasq = sigmasq ? sigmasq->data : NULL,
                                 .grad = gradient->data,
                                 .target = target ? target->data : NULL,
                                 .lambda = lambda,
                                 .order = order};
    return s;
}

/* One sweep of DIPY's lexicographic order. */
static inline void ssd_call_iterate_lex(const omreg_run_ctx *ctx, const struct ssd_system *s,
                                        void *disp, double *scratch, double *max_step)
{
    const omreg_backend *b = ctx->backend;
    const int t = ctx->nthreads;
    if (s->ndim == 2) {
        if (s->dtype == OMREG_F64)
            b->iterate_residual_displacement_field_ssd_lex_2d_f64(
                t, s->delta, s->sigmasq, s->grad, s->target, s->shape, s->lambda, disp, scratch,
                max_step);
        else
            b->iterate_residual_displacement_field_ssd_lex_2d_f32(
                t, s->delta, s->sigmasq, s->grad, s->target, s->shape, s->lambda, disp, scratch,
                max_step);
    } else {
        if (s->dtype == OMREG_F64)
            b->iterate_residual_displacement_field_ssd_lex_3d_f64(
                t, s->delta, s->sigmasq, s->grad, s->target, s->shape, s->lambda, disp, scratch,
                max_step);
        else
            b->iterate_residual_displacement_field_ssd_lex_3d_f32(
                t, s->delta, s->sigmasq, s->grad, s->target, s->shape, s->lambda, disp, scratch,
                max_step);
    }
}

/* One sweep in s->order. */
static inline void ssd_call_iterate(const omreg_run_ctx *ctx, const struct ssd_system *s,
                                    void *disp, double *scratch, double *max_step)
{
    if (s->order == OMREG_SSD_ORDER_LEXICOGRAPHIC) {
        ssd_call_iterate_lex(ctx, s, disp, scratch, max_step);
        return;
    }
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (s->ndim == 2) {
        if (s->dtype == OMREG_F64)
            b->iterate_residual_displacement_field_ssd_2d_f64(nthreads, s->delta, s->sigmasq,
                                                              s->grad, s->target, s->shape,
                                                              s->lambda, disp, scratch, max_step);
        else
            b->iterate_residual_displacement_field_ssd_2d_f32(nthreads, s->delta, s->sigmasq,
                                                              s->grad, s->target, s->shape,
                                                              s->lambda, disp, scratch, max_step);
    } else {
        if (s->dtype == OMREG_F64)
            b->iterate_residual_displacement_field_ssd_3d_f64(nthreads, s->delta, s->sigmasq,
                                                              s->grad, s->target, s->shape,
                                                              s->lambda, disp, scratch, max_step);
        else
            b->iterate_residual_displacement_field_ssd_3d_f32(nthreads, s->delta, s->sigmasq,
                                                              s->grad, s->target, s->shape,
                                                              s->lambda, disp, scratch, max_step);
    }
}

static inline void ssd_call_residual(const omreg_run_ctx *ctx, const struct ssd_system *s,
                                     const void *disp, void *residual, double *scratch,
                                     double *sqnorm)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (s->ndim == 2) {
        if (s->dtype == OMREG_F64)
            b->compute_residual_displacement_field_ssd_2d_f64(
                nthreads, s->delta, s->sigmasq, s->grad, s->target, s->shape, s->lambda, disp,
                residual, scratch, sqnorm);
        else
            b->compute_residual_displacement_field_ssd_2d_f32(
                nthreads, s->delta, s->sigmasq, s->grad, s->target, s->shape, s->lambda, disp,
                residual, scratch, sqnorm);
    } else {
        if (s->dtype == OMREG_F64)
            b->compute_residual_displacement_field_ssd_3d_f64(
                nthreads, s->delta, s->sigmasq, s->grad, s->target, s->shape, s->lambda, disp,
                residual, scratch, sqnorm);
        else
            b->compute_residual_displacement_field_ssd_3d_f32(
                nthreads, s->delta, s->sigmasq, s->grad, s->target, s->shape, s->lambda, disp,
                residual, scratch, sqnorm);
    }
}

static inline void ssd_call_energy(const omreg_run_ctx *ctx, int ndim, omreg_dtype dt,
                                   const void *delta, const size_t *shape, double *scratch,
                                   double *energy)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (ndim == 2) {
        if (dt == OMREG_F64)
            b->compute_energy_ssd_2d_f64(nthreads, delta, shape, scratch, energy);
        else
            b->compute_energy_ssd_2d_f32(nthreads, delta, shape, scratch, energy);
    } else {
        if (dt == OMREG_F64)
            b->compute_energy_ssd_3d_f64(nthreads, delta, shape, scratch, energy);
        else
            b->compute_energy_ssd_3d_f32(nthreads, delta, shape, scratch, energy);
    }
}

#endif
