/* Displacement-field entry points (include/omreg/vector_fields.h):
 * validation as DIPY's Python wrappers do it (plus NULL, shape, dtype and
 * finiteness checks), allocation, dispatch to the backend's
 * kernels_vector_fields.h slots, and the serial driver of DIPY's
 * fixed-point inversion (invert_vector_field_fixed_point_{2,3}d), which
 * calls the residual and step kernels through the table so both backends
 * run the same iteration and stopping rule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api_check.h"
#include "api_run.h"
#include "api_threads.h"
#include "kernels_vector_fields.h"
#include "omreg/vector_fields.h"

void omreg_compose_vector_fields_run(const omreg_run_ctx *ctx, const omreg_image *d1,
                                     const omreg_image *d2, const double *premult_index,
                                     const double *premult_disp, double time_scaling,
                                     omreg_image *comp, double *scratch, double stats[3])
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    double st[3];
    const double *A = premult_index, *B = premult_disp;
    const double t = time_scaling;
    if (d1->ndim == 2) {
        if (d1->dtype == OMREG_F64)
            backend->compose_vector_fields_2d_f64(nthreads, d1->data, d1->shape, d2->data,
                                                  d2->shape, A, B, t, comp->data, scratch, st);
        else
            backend->compose_vector_fields_2d_f32(nthreads, d1->data, d1->shape, d2->data,
                                                  d2->shape, A, B, t, comp->data, scratch, st);
    } else {
        if (d1->dtype == OMREG_F64)
            backend->compose_vector_fields_3d_f64(nthreads, d1->data, d1->shape, d2->data,
                                                  d2->shape, A, B, t, comp->data, scratch, st);
        else
            backend->compose_vector_fields_3d_f32(nthreads, d1->data, d1->shape, d2->data,
                                                  d2->shape, A, B, t, comp->data, scratch, st);
    }
    if (stats)
        memcpy(stats, st, sizeof st);
}

omreg_status omreg_compose_vector_fields(const omreg_backend *backend, const omreg_image *d1,
                                         const omreg_image *d2, const double *premult_index,
                                         const double *premult_disp, double time_scaling,
                                         omreg_image *comp, double stats[3])
{
    return omreg_compose_vector_fields_threads(backend, 0, d1, d2, premult_index, premult_disp,
                                               time_scaling, comp, stats);
}

omreg_status omreg_compose_vector_fields_threads(const omreg_backend *backend, int nthreads,
                                                 const omreg_image *d1, const omreg_image *d2,
                                                 const double *premult_index,
                                                 const double *premult_disp, double time_scaling,
                                                 omreg_image *comp, double stats[3])
{
    static const char fn[] = "omreg_compose_vector_fields";
    OMREG_FORWARD(api_check_image(fn, backend, d1, API_FIELD));
    OMREG_RETURN_IF(d2 == NULL || comp == NULL, OMREG_EINVAL, "%s: d2 and comp must not be NULL",
                    fn);
    OMREG_FORWARD(api_check_image(fn, backend, d2, API_FIELD));
    OMREG_FORWARD(api_check_image(fn, backend, comp, API_FIELD));
    const int ndim = d1->ndim;
    OMREG_RETURN_IF(d2->ndim != ndim, OMREG_ESHAPE, "%s: d1 is %dD but d2 is %dD", fn, ndim,
                    d2->ndim);
    OMREG_RETURN_IF(d2->dtype != d1->dtype || comp->dtype != d1->dtype, OMREG_ESHAPE,
                    "%s: d1, d2 and comp must have the same dtype", fn);
    OMREG_RETURN_IF(!api_same_shape(comp, d1), OMREG_ESHAPE,
                    "%s: comp's shape differs from d1's", fn);
    const size_t nbytes = api_image_bytes(d1);
    OMREG_RETURN_IF(api_overlaps(comp->data, nbytes, d2->data, api_image_bytes(d2)),
                    OMREG_EINVAL, "%s: comp overlaps d2", fn);
    OMREG_RETURN_IF(comp->data != d1->data &&
                        api_overlaps(comp->data, nbytes, d1->data, nbytes),
                    OMREG_EINVAL, "%s: comp partially overlaps d1", fn);
    OMREG_FORWARD(api_check_finite_affine(fn, "premult_index", ndim, premult_index));
    OMREG_FORWARD(api_check_finite_affine(fn, "premult_disp", ndim, premult_disp));
    OMREG_RETURN_IF(!isfinite(time_scaling), OMREG_ENONFINITE, "%s: time_scaling is not finite",
                    fn);

    const size_t nrows = omreg_vf_rows(ndim, d1->shape);
    double *scratch = omreg_calloc(nrows, OMREG_COMPOSE_SCRATCH_PER_ROW * sizeof(double),
                                   "composition statistics scratch");
    if (scratch == NULL)
        return omreg_calloc_failure();
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, nthreads);
    omreg_compose_vector_fields_run(&ctx, d1, d2, premult_index, premult_disp, time_scaling, comp,
                                    scratch, stats);
    free(scratch);
    return OMREG_OK;
}

/* One residual pass (q = p o d, out = {sum |q|, max |q|}) on the table. */
static void invert_residual(const omreg_run_ctx *ctx, const omreg_image *d, const double *w2g,
                            const double *spacing, const void *p, void *q, double *scratch,
                            double out[2])
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (d->ndim == 2) {
        if (d->dtype == OMREG_F64)
            b->invert_vector_field_residual_2d_f64(nthreads, d->data, d->shape, w2g, spacing, p, q,
                                                   scratch, out);
        else
            b->invert_vector_field_residual_2d_f32(nthreads, d->data, d->shape, w2g, spacing, p, q,
                                                   scratch, out);
    } else {
        if (d->dtype == OMREG_F64)
            b->invert_vector_field_residual_3d_f64(nthreads, d->data, d->shape, w2g, spacing, p, q,
                                                   scratch, out);
        else
            b->invert_vector_field_residual_3d_f32(nthreads, d->data, d->shape, w2g, spacing, p, q,
                                                   scratch, out);
    }
}

/* One step pass (p -= s(|q|) q) on the table. */
static void invert_step(const omreg_run_ctx *ctx, const omreg_image *d, const double *spacing,
                        double epsilon, double maxlen, const void *q, void *p)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (d->ndim == 2) {
        if (d->dtype == OMREG_F64)
            b->invert_vector_field_step_2d_f64(nthreads, d->shape, spacing, epsilon, maxlen, q, p);
        else
            b->invert_vector_field_step_2d_f32(nthreads, d->shape, spacing, epsilon, maxlen, q, p);
    } else {
        if (d->dtype == OMREG_F64)
            b->invert_vector_field_step_3d_f64(nthreads, d->shape, spacing, epsilon, maxlen, q, p);
        else
            b->invert_vector_field_step_3d_f32(nthreads, d->shape, spacing, epsilon, maxlen, q, p);
    }
}

void omreg_invert_fixed_point_run(const omreg_run_ctx *ctx, const omreg_image *d,
                                  const double *d_world2grid, const double *spacing, int max_iter,
                                  double tolerance, void *p, void *q, double *scratch,
                                  int *iterations, double *error_out)
{
    const int ndim = d->ndim;
    const size_t nvox = omreg_image_voxels(d);
    /* DIPY's loop: error starts at 1 + tolerance and, in 3D, difmag at 1 */
    double error = 1 + tolerance, difmag = 1;
    int iter = 0;
    while (iter < max_iter && tolerance < error && (ndim == 2 || 0.1 < difmag)) {
        const double epsilon = iter == 0 ? 0.75 : 0.5;
        double res[2];
        invert_residual(ctx, d, d_world2grid, spacing, p, q, scratch, res);
        error = res[0];
        difmag = res[1];
        const double maxlen = difmag * epsilon;
        invert_step(ctx, d, spacing, epsilon, maxlen, q, p);
        error /= (double)nvox;
        ++iter;
    }
    if (iterations)
        *iterations = iter;
    if (error_out)
        *error_out = error;
}

omreg_status omreg_invert_vector_field_fixed_point(const omreg_backend *backend,
                                                   const omreg_image *d,
                                                   const double *d_world2grid,
                                                   const double *spacing, int max_iter,
                                                   double tolerance, const omreg_image *start,
                                                   omreg_image **out, omreg_invert_info *info)
{
    static const char fn[] = "omreg_invert_vector_field_fixed_point";
    OMREG_FORWARD(api_check_image(fn, backend, d, API_FIELD));
    OMREG_RETURN_IF(spacing == NULL || out == NULL, OMREG_EINVAL,
                    "%s: spacing and out must not be NULL", fn);
    const int ndim = d->ndim;
    OMREG_FORWARD(api_check_finite_affine(fn, "d_world2grid", ndim, d_world2grid));
    for (int k = 0; k < ndim; ++k) {
        OMREG_RETURN_IF(!isfinite(spacing[k]), OMREG_ENONFINITE, "%s: spacing[%d] is not finite",
                        fn, k);
        OMREG_RETURN_IF(!(spacing[k] > 0), OMREG_EINVAL, "%s: spacing[%d] = %g is not positive",
                        fn, k, spacing[k]);
    }
    OMREG_RETURN_IF(max_iter < 0, OMREG_EINVAL, "%s: max_iter = %d is negative", fn, max_iter);
    OMREG_RETURN_IF(!isfinite(tolerance), OMREG_ENONFINITE, "%s: tolerance is not finite", fn);
    if (start) {
        OMREG_FORWARD(api_check_image(fn, backend, start, API_FIELD));
        OMREG_RETURN_IF(!api_same_shape(start, d) || start->dtype != d->dtype, OMREG_ESHAPE,
                        "%s: start's shape or dtype differs from d's", fn);
    }

    const size_t nbytes = api_image_bytes(d);
    const size_t nrows = omreg_vf_rows(ndim, d->shape);
    omreg_image *p = NULL;
    void *q = NULL, *scratch = NULL;
    OMREG_FORWARD(omreg_image_create(&p, ndim, d->shape, ndim, d->dtype, d->grid2world));
    q = omreg_calloc(nbytes, 1, "inversion residual field");
    if (q != NULL)
        scratch = omreg_calloc(nrows, OMREG_INVERT_SCRATCH_PER_ROW * sizeof(double),
                               "inversion residual scratch");
    if (scratch == NULL) {
        free(q);
        omreg_image_free(p);
        return omreg_calloc_failure();
    }
    if (start)
        memcpy(p->data, start->data, nbytes);
    int iter;
    double error;
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    omreg_invert_fixed_point_run(&ctx, d, d_world2grid, spacing, max_iter, tolerance, p->data, q,
                                 scratch, &iter, &error);
    free(q);
    free(scratch);
    *out = p;
    if (info) {
        info->iterations = iter;
        info->error = error;
    }
    return OMREG_OK;
}

omreg_status omreg_simplify_warp_function(const omreg_backend *backend, const omreg_image *d,
                                          const double *affine_idx_in,
                                          const double *affine_idx_out,
                                          const double *affine_disp, const size_t *out_shape,
                                          omreg_image **out)
{
    static const char fn[] = "omreg_simplify_warp_function";
    OMREG_FORWARD(api_check_image(fn, backend, d, API_FIELD));
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "%s: out is NULL", fn);
    const int ndim = d->ndim;
    OMREG_FORWARD(api_check_shape(fn, ndim, out_shape, (size_t)ndim, omreg_dtype_size(d->dtype)));
    if (affine_idx_in == NULL)
        for (int k = 0; k < ndim; ++k)
            OMREG_RETURN_IF(out_shape[k] != d->shape[k], OMREG_ESHAPE,
                            "%s: without affine_idx_in, out_shape must equal d's shape "
                            "(axis %d: %zu vs %zu)",
                            fn, k, out_shape[k], d->shape[k]);
    OMREG_FORWARD(api_check_finite_affine(fn, "affine_idx_in", ndim, affine_idx_in));
    OMREG_FORWARD(api_check_finite_affine(fn, "affine_idx_out", ndim, affine_idx_out));
    OMREG_FORWARD(api_check_finite_affine(fn, "affine_disp", ndim, affine_disp));

    omreg_image *res = NULL;
    OMREG_FORWARD(omreg_image_create(&res, ndim, out_shape, ndim, d->dtype, NULL));
    const double *U = affine_idx_in, *V = affine_idx_out, *W = affine_disp;
    const int nthreads = omreg_backend_threads(backend, 0);
    if (ndim == 2) {
        if (d->dtype == OMREG_F64)
            backend->simplify_warp_function_2d_f64(nthreads, d->data, d->shape, U, V, W, res->shape,
                                                   res->data);
        else
            backend->simplify_warp_function_2d_f32(nthreads, d->data, d->shape, U, V, W, res->shape,
                                                   res->data);
    } else {
        if (d->dtype == OMREG_F64)
            backend->simplify_warp_function_3d_f64(nthreads, d->data, d->shape, U, V, W, res->shape,
                                                   res->data);
        else
            backend->simplify_warp_function_3d_f32(nthreads, d->data, d->shape, U, V, W, res->shape,
                                                   res->data);
    }
    *out = res;
    return OMREG_OK;
}

void omreg_reorient_vector_field_run(const omreg_run_ctx *ctx, omreg_image *d, const double *affine)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    if (d->ndim == 2) {
        if (d->dtype == OMREG_F64)
            backend->reorient_vector_field_2d_f64(nthreads, d->data, d->shape, affine);
        else
            backend->reorient_vector_field_2d_f32(nthreads, d->data, d->shape, affine);
    } else {
        if (d->dtype == OMREG_F64)
            backend->reorient_vector_field_3d_f64(nthreads, d->data, d->shape, affine);
        else
            backend->reorient_vector_field_3d_f32(nthreads, d->data, d->shape, affine);
    }
}

omreg_status omreg_reorient_vector_field(const omreg_backend *backend, omreg_image *d,
                                         const double *affine)
{
    static const char fn[] = "omreg_reorient_vector_field";
    OMREG_FORWARD(api_check_image(fn, backend, d, API_FIELD));
    OMREG_FORWARD(api_check_finite_affine(fn, "affine", d->ndim, affine));
    if (affine == NULL) /* DIPY returns early on None */
        return OMREG_OK;
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    omreg_reorient_vector_field_run(&ctx, d, affine);
    return OMREG_OK;
}
