/* The multigrid Gauss-Seidel solver of DIPY 1.6 metrics.py (v_cycle_2d,
 * v_cycle_3d; Bruhn & Weickert 2005) as a serial driver: k sweeps,
 * restriction of the residual, a recursive V-cycle for the correction at
 * half resolution with lambda / 4, prolongation and addition, k sweeps.
 * Every voxel loop is a table call (kernels_sumsqdiff.h for the SSD
 * kernels, kernels_resample_field.h for the grid transfers), so the whole
 * solver runs identically on either backend. Plus its workspace. */
#include <stdlib.h>
#include <string.h>

#include "sumsqdiff_dispatch.h"
#include "syn_internal.h"

/* One coarse grid's buffers (index l >= 1 below the finest, l = 0). */
struct ssd_level {
    size_t shape[3];
    size_t nvox;
    void *target;  /* restricted residual: the right-hand side here */
    void *sigmasq; /* restricted variance (NULL without with_sigmasq) */
    void *grad;    /* restricted gradient */
    void *disp;    /* the correction solved for here */
};

struct omreg_ssd_workspace {
    int ndim, levels;
    omreg_dtype dtype;
    bool with_sigmasq;
    struct ssd_level lv[OMREG_SSD_MAX_LEVELS + 1]; /* lv[0]: the finest grid, shape only */
    void *tmp;       /* ndim * finest voxels: residual, then prolonged correction */
    double *scratch; /* the finest grid's row partials */
};

void omreg_ssd_workspace_free(omreg_ssd_workspace *ws)
{
    if (ws == NULL)
        return;
    for (int l = 1; l <= ws->levels; ++l) {
        free(ws->lv[l].target);
        free(ws->lv[l].sigmasq);
        free(ws->lv[l].grad);
        free(ws->lv[l].disp);
    }
    free(ws->tmp);
    free(ws->scratch);
    free(ws);
}

omreg_status omreg_ssd_workspace_create(omreg_ssd_workspace **out, int ndim,
                                        const size_t *shape, omreg_dtype dtype, int levels,
                                        bool with_sigmasq)
{
    static const char fn[] = "omreg_ssd_workspace_create";
    OMREG_RETURN_IF(out == NULL || shape == NULL, OMREG_EINVAL,
                    "%s: out and shape must not be NULL", fn);
    OMREG_RETURN_IF(ndim != 2 && ndim != 3, OMREG_EINVAL, "%s: ndim = %d is not 2 or 3", fn, ndim);
    OMREG_RETURN_IF(dtype != OMREG_F32 && dtype != OMREG_F64, OMREG_EINVAL, "%s: unknown dtype",
                    fn);
    OMREG_RETURN_IF(levels < 0 || levels > OMREG_SSD_MAX_LEVELS, OMREG_EINVAL,
                    "%s: levels = %d is outside [0, %d]", fn, levels, OMREG_SSD_MAX_LEVELS);
    const size_t esize = omreg_dtype_size(dtype);
    /* the largest buffer (ndim components on the finest grid) must fit */
    OMREG_FORWARD(api_check_shape(fn, ndim, shape, (size_t)ndim, esize));

    void *mem = omreg_calloc(1, sizeof(omreg_ssd_workspace), "SSD workspace");
    if (mem == NULL)
        return omreg_calloc_failure();
    omreg_ssd_workspace *ws = mem;
    ws->ndim = ndim;
    ws->levels = levels;
    ws->dtype = dtype;
    ws->with_sigmasq = with_sigmasq;
    ws->lv[0].nvox = 1;
    for (int d = 0; d < 3; ++d) {
        ws->lv[0].shape[d] = d < ndim ? shape[d] : 1;
        ws->lv[0].nvox *= ws->lv[0].shape[d];
    }
    omreg_status st = OMREG_OK;
    const size_t nd = (size_t)ndim;
    for (int l = 1; l <= levels && st == OMREG_OK; ++l) {
        struct ssd_level *c = &ws->lv[l];
        c->nvox = 1;
        for (int d = 0; d < 3; ++d) {
            c->shape[d] = d < ndim ? (ws->lv[l - 1].shape[d] + 1) / 2 : 1;
            c->nvox *= c->shape[d];
        }
        /* each buffer is tried only while every earlier one succeeded */
        c->target = omreg_calloc(c->nvox * nd, esize, "SSD coarse right-hand side");
        if (c->target != NULL)
            c->grad = omreg_calloc(c->nvox * nd, esize, "SSD coarse gradient");
        if (c->grad != NULL)
            c->disp = omreg_calloc(c->nvox * nd, esize, "SSD coarse displacement");
        if (c->disp != NULL && with_sigmasq)
            c->sigmasq = omreg_calloc(c->nvox, esize, "SSD coarse variance");
        if (c->disp == NULL || (with_sigmasq && c->sigmasq == NULL))
            st = omreg_calloc_failure();
    }
    if (st == OMREG_OK && levels > 0) {
        ws->tmp = omreg_calloc(ws->lv[0].nvox * nd, esize, "SSD residual field");
        if (ws->tmp == NULL)
            st = omreg_calloc_failure();
    }
    if (st == OMREG_OK) {
        ws->scratch = omreg_calloc(omreg_ssd_rows(ndim, ws->lv[0].shape),
                                   OMREG_SSD_SCRATCH_PER_ROW * sizeof(double), "SSD row scratch");
        if (ws->scratch == NULL)
            st = omreg_calloc_failure();
    }
    if (st != OMREG_OK) {
        omreg_ssd_workspace_free(ws);
        return st;
    }
    *out = ws;
    return OMREG_OK;
}

/* ---- grid transfers through the table ----------------------------------- */

static void restrict_field(const omreg_run_ctx *ctx, int ndim, omreg_dtype dt, const void *in,
                           const size_t *shape, void *out)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (ndim == 2) {
        if (dt == OMREG_F64)
            b->downsample_displacement_field_2d_f64(nthreads, in, shape, out);
        else
            b->downsample_displacement_field_2d_f32(nthreads, in, shape, out);
    } else {
        if (dt == OMREG_F64)
            b->downsample_displacement_field_3d_f64(nthreads, in, shape, out);
        else
            b->downsample_displacement_field_3d_f32(nthreads, in, shape, out);
    }
}

static void restrict_scalar(const omreg_run_ctx *ctx, int ndim, omreg_dtype dt, const void *in,
                            const size_t *shape, void *out)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (ndim == 2) {
        if (dt == OMREG_F64)
            b->downsample_scalar_field_2d_f64(nthreads, in, shape, out);
        else
            b->downsample_scalar_field_2d_f32(nthreads, in, shape, out);
    } else {
        if (dt == OMREG_F64)
            b->downsample_scalar_field_3d_f64(nthreads, in, shape, out);
        else
            b->downsample_scalar_field_3d_f32(nthreads, in, shape, out);
    }
}

/* out (fine_shape) = the coarse field sampled at x / 2, as DIPY's
 * resample_displacement_field(sub, 0.5 * ones, shape). */
static void prolong_field(const omreg_run_ctx *ctx, int ndim, omreg_dtype dt, const void *coarse,
                          const size_t *coarse_shape, const size_t *fine_shape, void *out)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    static const double half[3] = {0.5, 0.5, 0.5};
    if (ndim == 2) {
        if (dt == OMREG_F64)
            b->resample_displacement_field_2d_f64(nthreads, coarse, coarse_shape, half, fine_shape,
                                                  out);
        else
            b->resample_displacement_field_2d_f32(nthreads, coarse, coarse_shape, half, fine_shape,
                                                  out);
    } else {
        if (dt == OMREG_F64)
            b->resample_displacement_field_3d_f64(nthreads, coarse, coarse_shape, half, fine_shape,
                                                  out);
        else
            b->resample_displacement_field_3d_f32(nthreads, coarse, coarse_shape, half, fine_shape,
                                                  out);
    }
}

/* ---- the V-cycle --------------------------------------------------------- */

/* DIPY's v_cycle at level l (0: the caller's grid) with n levels below. */
static void v_cycle(const omreg_run_ctx *ctx, omreg_ssd_workspace *ws, int l, int n, int k,
                    const struct ssd_system *sys, void *disp)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    double step; /* DIPY discards the sweeps' maximum change */
    for (int it = 0; it < k; ++it) /* pre-smoothing */
        ssd_call_iterate(ctx, sys, disp, ws->scratch, &step);
    if (n == 0)
        return;

    /* restrict the residual, the gradient and the variance */
    const int ndim = ws->ndim;
    const omreg_dtype dt = ws->dtype;
    struct ssd_level *c = &ws->lv[l + 1];
    ssd_call_residual(ctx, sys, disp, ws->tmp, NULL, NULL);
    restrict_field(ctx, ndim, dt, ws->tmp, sys->shape, c->target);
    if (sys->sigmasq)
        restrict_scalar(ctx, ndim, dt, sys->sigmasq, sys->shape, c->sigmasq);
    restrict_field(ctx, ndim, dt, sys->grad, sys->shape, c->grad);
    memset(c->disp, 0, c->nvox * (size_t)ndim * omreg_dtype_size(dt));

    /* the correction: delta is not needed below (target is given) */
    const struct ssd_system sub = {.ndim = ndim,
                                   .dtype = dt,
                                   .shape = c->shape,
                                   .delta = NULL,
                                   .sigmasq = sys->sigmasq ? c->sigmasq : NULL,
                                   .grad = c->grad,
                                   .target = c->target,
                                   .lambda = sys->lambda * 0.25,
                                   .order = sys->order};
    v_cycle(ctx, ws, l + 1, n - 1, k, &sub, c->disp);

    /* prolong and add it: displacement += resample(sub_displacement) */
    prolong_field(ctx, ndim, dt, c->disp, c->shape, sys->shape, ws->tmp);
    const size_t nvals = ws->lv[l].nvox * (size_t)ndim;
    if (dt == OMREG_F64)
        b->add_f64(nthreads, disp, ws->tmp, nvals);
    else
        b->add_f32(nthreads, disp, ws->tmp, nvals);

    for (int it = 0; it < k; ++it) /* post-smoothing */
        ssd_call_iterate(ctx, sys, disp, ws->scratch, &step);
}

omreg_status omreg_ssd_v_cycle(const omreg_backend *backend, omreg_ssd_order order, int n, int k,
                               const omreg_image *delta, const omreg_image *sigmasq,
                               const omreg_image *gradient, const omreg_image *target,
                               double lambda, omreg_image *disp,
                               omreg_ssd_workspace *workspace, double *energy)
{
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    return syn_ssd_v_cycle(&ctx, order, n, k, delta, sigmasq, gradient, target, lambda, disp,
                           workspace, energy);
}

omreg_status syn_ssd_v_cycle(const omreg_run_ctx *ctx, omreg_ssd_order order, int n, int k,
                             const omreg_image *delta,
                             const omreg_image *sigmasq, const omreg_image *gradient,
                             const omreg_image *target, double lambda, omreg_image *disp,
                             omreg_ssd_workspace *workspace, double *energy)
{
    static const char fn[] = "omreg_ssd_v_cycle";
    const omreg_backend *backend = ctx->backend;
    OMREG_FORWARD(
        api_check_ssd_system(fn, backend, delta, sigmasq, gradient, target, lambda, "disp", disp));
    OMREG_RETURN_IF(n < 0 || n > OMREG_SSD_MAX_LEVELS, OMREG_EINVAL,
                    "%s: n = %d levels is outside [0, %d]", fn, n, OMREG_SSD_MAX_LEVELS);
    OMREG_RETURN_IF(k < 0, OMREG_EINVAL, "%s: k = %d iterations is negative", fn, k);
    OMREG_FORWARD(ssd_check_order(fn, order));
    omreg_ssd_workspace *ws = workspace;
    if (ws) {
        int fits = ws->ndim == delta->ndim && ws->dtype == delta->dtype && ws->levels >= n &&
                   (sigmasq == NULL || ws->with_sigmasq);
        for (int d = 0; d < delta->ndim; ++d)
            fits = fits && ws->lv[0].shape[d] == delta->shape[d];
        OMREG_RETURN_IF(!fits, OMREG_EINVAL,
                        "%s: the workspace was made for another grid, dtype, depth or "
                        "without sigmasq",
                        fn);
    } else {
        OMREG_FORWARD(omreg_ssd_workspace_create(&ws, delta->ndim, delta->shape, delta->dtype, n,
                                                 sigmasq != NULL));
    }

    const struct ssd_system sys = ssd_system_of(order, delta, sigmasq, gradient, target, lambda);
    v_cycle(ctx, ws, 0, n, k, &sys, disp->data);
    /* DIPY returns the energy of delta (which the cycle does not change) */
    double e;
    ssd_call_energy(ctx, delta->ndim, delta->dtype, delta->data, delta->shape, ws->scratch, &e);
    if (ws != workspace)
        omreg_ssd_workspace_free(ws);
    if (energy)
        *energy = e;
    return OMREG_OK;
}
