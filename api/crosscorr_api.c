/* CC entry points (include/omreg/crosscorr.h): validation, allocation of the
 * outputs and the kernels' scratch, dispatch to the backend's
 * kernels_crosscorr.h slots (DIPY crosscorr.pyx). */
#include <stdlib.h>

#include "api_check.h"
#include "api_run.h"
#include "api_threads.h"
#include "kernels_crosscorr.h"
#include "omreg/crosscorr.h"

/* Scratch of the sliding-window kernels, in doubles (2D: one ring buffer
 * per thread of the run). */
static omreg_status sliding_scratch(const char *fn, const omreg_run_ctx *ctx,
                                    const omreg_image *img, size_t radius, size_t *count)
{
    if (img->ndim == 2) {
        OMREG_RETURN_IF(ctx->nthreads < 1, OMREG_EINVAL, "%s: backend reports %d threads", fn,
                        ctx->nthreads);
        /* radius <= OMREG_CC_MAX_RADIUS: the buffer size cannot overflow */
        OMREG_RETURN_IF(omreg_size_mul(count, omreg_cc_scratch_2d(radius), (size_t)ctx->nthreads) !=
                            OMREG_OK,
                        OMREG_EOVERFLOW, "%s: scratch size overflows", fn);
        return OMREG_OK;
    }
    const size_t mr = img->shape[1] < 2 ? 2 : img->shape[1];
    const size_t mc = img->shape[2] < 2 ? 2 : img->shape[2];
    size_t n;
    OMREG_RETURN_IF(omreg_size_mul(&n, mr, mc) != OMREG_OK ||
                        omreg_size_mul(&n, n, 2 * OMREG_CC_NFACTORS) != OMREG_OK ||
                        omreg_size_mul(&n, n, sizeof(double)) != OMREG_OK,
                    OMREG_EOVERFLOW, "%s: scratch size overflows", fn);
    *count = omreg_cc_scratch_3d(img->shape);
    return OMREG_OK;
}

/* Scratch of the box-sum kernels, in doubles: one buffer per thread of the
 * run (kernels_cc_box.h). */
static omreg_status box_scratch(const char *fn, const omreg_run_ctx *ctx, const omreg_image *img,
                                size_t *count)
{
    OMREG_RETURN_IF(ctx->nthreads < 1, OMREG_EINVAL, "%s: backend reports %d threads", fn,
                    ctx->nthreads);
    const size_t *shape = img->shape;
    size_t n = 0, bytes;
    int bad;
    if (img->ndim == 2) /* 5 n1 */
        bad = omreg_size_mul(&n, shape[1], 5) != OMREG_OK;
    else /* 5 n1 n2 + 5 n2 = 5 (n1 + 1) n2 */
        bad = omreg_size_mul(&n, shape[1] + 1, shape[2]) != OMREG_OK ||
              omreg_size_mul(&n, n, 5) != OMREG_OK;
    OMREG_RETURN_IF(bad || omreg_size_mul(&n, n, (size_t)ctx->nthreads) != OMREG_OK ||
                        omreg_size_mul(&bytes, n, sizeof(double)) != OMREG_OK,
                    OMREG_EOVERFLOW, "%s: scratch size overflows", fn);
    *count = n;
    return OMREG_OK;
}

static omreg_status method_scratch(const char *fn, const omreg_run_ctx *ctx,
                                   const omreg_image *img, size_t radius, omreg_cc_method method,
                                   size_t *count)
{
    *count = 0;
    if (method == OMREG_CC_SLIDING)
        return sliding_scratch(fn, ctx, img, radius, count);
    if (method == OMREG_CC_BOX_SUMS)
        return box_scratch(fn, ctx, img, count);
    return OMREG_OK; /* brute force: none */
}

omreg_status omreg_cc_factors_scratch(const omreg_run_ctx *ctx, const omreg_image *static_img,
                                      size_t radius, omreg_cc_method method, size_t *count)
{
    return method_scratch("omreg_cc_precompute_factors", ctx, static_img, radius, method, count);
}

void omreg_cc_precompute_factors_run(const omreg_run_ctx *ctx, const omreg_image *static_img,
                                     const omreg_image *moving_img, size_t radius,
                                     omreg_cc_method method, double *scratch, void *out)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    const int ndim = static_img->ndim;
    const omreg_dtype dt = static_img->dtype;
    const void *S = static_img->data, *M = moving_img->data;
    const size_t *shape = static_img->shape;
    if (method == OMREG_CC_SLIDING) {
        if (ndim == 2) {
            if (dt == OMREG_F64)
                backend->precompute_cc_factors_2d_f64(nthreads, S, M, shape, radius, scratch, out);
            else
                backend->precompute_cc_factors_2d_f32(nthreads, S, M, shape, radius, scratch, out);
        } else {
            if (dt == OMREG_F64)
                backend->precompute_cc_factors_3d_f64(nthreads, S, M, shape, radius, scratch, out);
            else
                backend->precompute_cc_factors_3d_f32(nthreads, S, M, shape, radius, scratch, out);
        }
    } else if (method == OMREG_CC_BOX_SUMS) {
        if (ndim == 2) {
            if (dt == OMREG_F64)
                backend->cc_box_factors_2d_f64(nthreads, S, M, shape, radius, scratch, out);
            else
                backend->cc_box_factors_2d_f32(nthreads, S, M, shape, radius, scratch, out);
        } else {
            if (dt == OMREG_F64)
                backend->cc_box_factors_3d_f64(nthreads, S, M, shape, radius, scratch, out);
            else
                backend->cc_box_factors_3d_f32(nthreads, S, M, shape, radius, scratch, out);
        }
    } else {
        if (ndim == 2) {
            if (dt == OMREG_F64)
                backend->precompute_cc_factors_brute_2d_f64(nthreads, S, M, shape, radius, out);
            else
                backend->precompute_cc_factors_brute_2d_f32(nthreads, S, M, shape, radius, out);
        } else {
            if (dt == OMREG_F64)
                backend->precompute_cc_factors_brute_3d_f64(nthreads, S, M, shape, radius, out);
            else
                backend->precompute_cc_factors_brute_3d_f32(nthreads, S, M, shape, radius, out);
        }
    }
}

omreg_status omreg_cc_precompute_factors(const omreg_backend *backend,
                                         const omreg_image *static_img,
                                         const omreg_image *moving_img, size_t radius,
                                         omreg_cc_method method, void **factors)
{
    return omreg_cc_precompute_factors_threads(backend, 0, static_img, moving_img, radius,
                                               method, factors);
}

omreg_status omreg_cc_precompute_factors_threads(const omreg_backend *backend, int nthreads,
                                                 const omreg_image *static_img,
                                                 const omreg_image *moving_img, size_t radius,
                                                 omreg_cc_method method, void **factors)
{
    static const char fn[] = "omreg_cc_precompute_factors";
    OMREG_FORWARD(api_check_image(fn, backend, static_img, API_SCALAR));
    OMREG_RETURN_IF(moving_img == NULL || factors == NULL, OMREG_EINVAL,
                    "%s: moving_img and factors must not be NULL", fn);
    OMREG_FORWARD(api_check_image(fn, backend, moving_img, API_SCALAR));
    OMREG_RETURN_IF(!api_same_shape(static_img, moving_img), OMREG_ESHAPE,
                    "%s: static and moving images differ in ndim or shape", fn);
    OMREG_RETURN_IF(static_img->dtype != moving_img->dtype, OMREG_ESHAPE,
                    "%s: static and moving images differ in dtype", fn);
    OMREG_RETURN_IF(method != OMREG_CC_SLIDING && method != OMREG_CC_BRUTE_FORCE &&
                        method != OMREG_CC_BOX_SUMS,
                    OMREG_EINVAL,
                    "%s: unknown method %d", fn, (int)method);
    OMREG_RETURN_IF(radius > OMREG_CC_MAX_RADIUS, OMREG_EINVAL,
                    "%s: radius %zu exceeds OMREG_CC_MAX_RADIUS (%zu)", fn, radius,
                    OMREG_CC_MAX_RADIUS);
    const omreg_dtype dt = static_img->dtype;
    const size_t nvox = omreg_image_voxels(static_img);
    size_t nbytes;
    OMREG_RETURN_IF(omreg_size_mul(&nbytes, nvox, OMREG_CC_NFACTORS) != OMREG_OK ||
                        omreg_size_mul(&nbytes, nbytes, omreg_dtype_size(dt)) != OMREG_OK,
                    OMREG_EOVERFLOW, "%s: the factors of %zu voxels overflow size_t", fn, nvox);

    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, nthreads);
    size_t count = 0;
    OMREG_FORWARD(method_scratch(fn, &ctx, static_img, radius, method, &count));
    void *out = omreg_calloc(nbytes, 1, "CC factors"), *mem = NULL;
    if (out == NULL)
        return omreg_calloc_failure();
    if (count > 0) {
        mem = omreg_calloc(count, sizeof(double), "CC window sums scratch");
        if (mem == NULL) {
            free(out);
            return omreg_calloc_failure();
        }
    }
    omreg_cc_precompute_factors_run(&ctx, static_img, moving_img, radius, method, mem, out);
    free(mem);
    *factors = out;
    return OMREG_OK;
}

void omreg_cc_step_run(const omreg_run_ctx *ctx, const omreg_image *grad, const void *factors,
                       size_t radius, int backward, double *scratch, omreg_image *res,
                       double *energy)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    const int ndim = grad->ndim;
    double e = 0;
    const void *g = grad->data;
    void *o = res->data;
    const size_t *shape = grad->shape;
    if (ndim == 2) {
        if (grad->dtype == OMREG_F64) {
            if (backward)
                backend->compute_cc_backward_step_2d_f64(nthreads, g, factors, shape, radius,
                                                         scratch, o, &e);
            else
                backend->compute_cc_forward_step_2d_f64(nthreads, g, factors, shape, radius,
                                                        scratch, o, &e);
        } else {
            if (backward)
                backend->compute_cc_backward_step_2d_f32(nthreads, g, factors, shape, radius,
                                                         scratch, o, &e);
            else
                backend->compute_cc_forward_step_2d_f32(nthreads, g, factors, shape, radius,
                                                        scratch, o, &e);
        }
    } else {
        if (grad->dtype == OMREG_F64) {
            if (backward)
                backend->compute_cc_backward_step_3d_f64(nthreads, g, factors, shape, radius,
                                                         scratch, o, &e);
            else
                backend->compute_cc_forward_step_3d_f64(nthreads, g, factors, shape, radius,
                                                        scratch, o, &e);
        } else {
            if (backward)
                backend->compute_cc_backward_step_3d_f32(nthreads, g, factors, shape, radius,
                                                         scratch, o, &e);
            else
                backend->compute_cc_forward_step_3d_f32(nthreads, g, factors, shape, radius,
                                                        scratch, o, &e);
        }
    }
    if (energy)
        *energy = e;
}

static omreg_status cc_step(const char *fn, const omreg_backend *backend,
                            const omreg_image *grad, const void *factors, size_t radius,
                            int backward, omreg_image **out, double *energy)
{
    OMREG_FORWARD(api_check_image(fn, backend, grad, API_FIELD));
    OMREG_RETURN_IF(factors == NULL || out == NULL, OMREG_EINVAL,
                    "%s: factors and out must not be NULL", fn);
    OMREG_RETURN_IF(radius > OMREG_CC_MAX_RADIUS, OMREG_EINVAL,
                    "%s: radius %zu exceeds OMREG_CC_MAX_RADIUS (%zu)", fn, radius,
                    OMREG_CC_MAX_RADIUS);
    const int ndim = grad->ndim;
    const size_t nblocks = omreg_cc_step_blocks(ndim, grad->shape);
    void *mem = omreg_calloc(nblocks, sizeof(double), "CC energy scratch");
    if (mem == NULL)
        return omreg_calloc_failure();
    omreg_image *res = NULL;
    omreg_status st = omreg_image_create(&res, ndim, grad->shape, ndim, grad->dtype,
                                         grad->grid2world);
    if (st != OMREG_OK) {
        free(mem);
        return st;
    }
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    omreg_cc_step_run(&ctx, grad, factors, radius, backward, mem, res, energy);
    free(mem);
    *out = res;
    return OMREG_OK;
}

omreg_status omreg_cc_forward_step(const omreg_backend *backend, const omreg_image *grad_static,
                                   const void *factors, size_t radius, omreg_image **out,
                                   double *energy)
{
    return cc_step("omreg_cc_forward_step", backend, grad_static, factors, radius, 0, out,
                   energy);
}

omreg_status omreg_cc_backward_step(const omreg_backend *backend, const omreg_image *grad_moving,
                                    const void *factors, size_t radius, omreg_image **out,
                                    double *energy)
{
    return cc_step("omreg_cc_backward_step", backend, grad_moving, factors, radius, 1, out,
                   energy);
}
