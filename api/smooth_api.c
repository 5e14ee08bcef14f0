/* omreg_gaussian_filter / _inplace: validation, scipy's Gaussian weights
 * (_gaussian_kernel1d: exp, numpy pairwise sum, division) computed once
 * here for both backends, and the per-axis, per-component dispatch of the
 * gaussian_filter1d slots (scipy gaussian_filter: axis 0 first, each pass
 * reading the stored output of the previous one). */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "backend.h"
#include "error.h"
#include "image_internal.h"
#include "api_run.h"
#include "api_threads.h"
#include "kernels_smooth.h"

/* scipy.ndimage.gaussian_filter skips axes with sigma <= 1e-15. */
#define SMOOTH_MIN_SIGMA 1e-15

/* scipy's radius int(truncate * sigma + 0.5), with the argument checks;
 * messages name fn and the axis. */
static omreg_status radius_of(const char *fn, int axis, double sigma, double truncate,
                              size_t *radius)
{
    OMREG_RETURN_IF(!isfinite(sigma) || !isfinite(truncate), OMREG_ENONFINITE,
                    "%s: axis %d: sigma %g and truncate %g must be finite", fn, axis, sigma,
                    truncate);
    OMREG_RETURN_IF(sigma < 0.0 || truncate < 0.0, OMREG_EINVAL,
                    "%s: axis %d: sigma %g and truncate %g must be >= 0", fn, axis, sigma,
                    truncate);
    const double r = truncate * sigma + 0.5; /* scipy: int(truncate * sd + 0.5) */
    OMREG_RETURN_IF(r >= (double)OMREG_SMOOTH_MAX_RADIUS + 1.0, OMREG_EOVERFLOW,
                    "%s: axis %d: radius of sigma %g x truncate %g exceeds %zu voxels", fn,
                    axis, sigma, truncate, OMREG_SMOOTH_MAX_RADIUS);
    *radius = (size_t)r;
    return OMREG_OK;
}

omreg_status omreg_gaussian_radius(double sigma, double truncate, size_t *radius)
{
    return radius_of("omreg_gaussian_radius", 0, sigma, truncate, radius);
}

/* numpy's pairwise summation of n contiguous doubles (numpy 1.24
 * loops_utils.h DOUBLE_pairwise_sum): below 8 terms a plain loop from -0.0;
 * up to 128 eight interleaved accumulators combined as a tree, then the
 * remainder; above, split at a multiple of 8 near n/2 and recurse. */
static double pairwise_sum(const double *a, size_t n)
{
    if (n < 8) {
        double res = -0.0;
        for (size_t i = 0; i < n; ++i)
            res += a[i];
        return res;
    }
    if (n <= 128) {
        double r[8];
        for (int j = 0; j < 8; ++j)
            r[j] = a[j];
        size_t i;
        for (i = 8; i < n - n % 8; i += 8)
            for (int j = 0; j < 8; ++j)
                r[j] += a[i + (size_t)j];
        double res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i)
            res += a[i];
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

void omreg_gaussian_weights(double sigma, size_t radius, double *weights, double *scratch)
{
    const double sigma2 = sigma * sigma;
    const double c = -0.5 / sigma2; /* scipy: -0.5 / sigma2 * x ** 2 */
    const size_t n = 2 * radius + 1;
    for (size_t i = 0; i < n; ++i) { /* x = i - radius; phi is symmetric bit for bit */
        const double x = (double)i - (double)radius;
        scratch[i] = exp(c * (x * x));
    }
    const double sum = pairwise_sum(scratch, n); /* phi_x.sum() over x = -r..r */
    for (size_t k = 0; k <= radius; ++k)
        weights[k] = scratch[radius + k] / sum;
}

/* One pass of the backend's kernel along axis (all components). */
static void filter_pass(const omreg_run_ctx *ctx, const omreg_image *img, const void *src,
                        void *dst, int axis, const double *w, size_t radius, omreg_smooth_mode mode,
                        double cval, double *scratch)
{
    const size_t ncomp = (size_t)img->ncomp;
    if (img->dtype == OMREG_F64)
        ctx->backend->gaussian_filter1d_f64(ctx->nthreads, src, dst, img->ndim, img->shape, ncomp,
                                            axis, w, radius, mode, cval, scratch);
    else
        ctx->backend->gaussian_filter1d_f32(ctx->nthreads, src, dst, img->ndim, img->shape, ncomp,
                                            axis, w, radius, mode, cval, scratch);
}

/* The line buffers a filter with these weights needs: *per_buffer doubles
 * per buffer (0: no axis to filter), one buffer per thread of the run. */
static omreg_status line_buffers(const omreg_run_ctx *ctx, const omreg_image *in,
                                 const double *const weights[3], const size_t radius[3],
                                 size_t *per_buffer)
{
    *per_buffer = 0;
    for (int a = 0; a < in->ndim; ++a) {
        if (weights[a] == NULL)
            continue;
        OMREG_RETURN_IF(radius[a] > OMREG_SMOOTH_MAX_RADIUS ||
                            in->shape[a] > (SIZE_MAX / OMREG_SMOOTH_PANEL -
                                            2 * OMREG_SMOOTH_MAX_RADIUS - 1),
                        OMREG_EOVERFLOW, "gaussian filter: line buffer size overflows");
        size_t need = omreg_gaussian_line_buffer(in->shape[a], radius[a]);
        if (need > *per_buffer)
            *per_buffer = need;
    }
    if (*per_buffer == 0)
        return OMREG_OK;
    OMREG_RETURN_IF(ctx->nthreads < 1, OMREG_EINVAL, "gaussian filter: backend reports %d threads",
                    ctx->nthreads);
    return OMREG_OK;
}

/* The passes, with the line buffers given (per_buffer == 0: a copy). */
static void filter_run(const omreg_run_ctx *ctx, const omreg_image *in, omreg_image *out,
                       const double *const weights[3], const size_t radius[3],
                       omreg_smooth_mode mode, double cval, size_t per_buffer, double *scratch)
{
    if (per_buffer == 0) { /* scipy: output[...] = input[...] */
        if (out->data != in->data)
            memcpy(out->data, in->data,
                   omreg_image_voxels(in) * (size_t)in->ncomp * omreg_dtype_size(in->dtype));
        return;
    }
    /* Components are filtered separately inside each pass, which equals
     * DIPY's loop d[..., c] = gaussian_filter(d[..., c]) over c. */
    const void *src = in->data;
    for (int a = 0; a < in->ndim; ++a) {
        if (weights[a] == NULL)
            continue;
        filter_pass(ctx, in, src, out->data, a, weights[a], radius[a], mode, cval, scratch);
        src = out->data; /* later axes read the stored output of this pass */
    }
}

omreg_status omreg_gaussian_filter_weights(const omreg_backend *backend, int nthreads,
                                           const omreg_image *in, omreg_image *out,
                                           const double *const weights[3],
                                           const size_t radius[3], omreg_smooth_mode mode,
                                           double cval)
{
    /* scratch: one line buffer per thread, sized for the longest pass */
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, nthreads);
    size_t per_buffer, count = 0;
    OMREG_FORWARD(line_buffers(&ctx, in, weights, radius, &per_buffer));
    double *scratch = NULL;
    if (per_buffer > 0) {
        OMREG_FORWARD(omreg_size_mul(&count, per_buffer, (size_t)ctx.nthreads));
        scratch = omreg_calloc(count, sizeof(double), "gaussian filter line buffers");
        if (scratch == NULL)
            return omreg_calloc_failure();
    }
    filter_run(&ctx, in, out, weights, radius, mode, cval, per_buffer, scratch);
    free(scratch);
    return OMREG_OK;
}

/* Validate the arguments shared by both entry points and compute the
 * weights: *mem holds every axis's half weights (free it), weights[a]
 * points into it or is NULL for a skipped axis. */
static omreg_status prepare(const char *fn, const omreg_backend *backend, const omreg_image *img,
                            const double *sigmas, omreg_smooth_mode mode, double cval,
                            double truncate, double **mem, const double *weights[3],
                            size_t radius[3])
{
    OMREG_RETURN_IF(backend == NULL || img == NULL || sigmas == NULL, OMREG_EINVAL,
                    "%s: backend, image and sigmas must not be NULL", fn);
    OMREG_RETURN_IF((int)mode < 0 || mode >= OMREG_SMOOTH_MODE_COUNT, OMREG_EINVAL,
                    "%s: unknown boundary mode %d", fn, (int)mode);
    OMREG_RETURN_IF(mode == OMREG_SMOOTH_CONSTANT && !isfinite(cval), OMREG_ENONFINITE,
                    "%s: cval must be finite", fn);
    const int ndim = img->ndim;
    size_t total = 0, widest = 0;
    for (int a = 0; a < 3; ++a) {
        weights[a] = NULL;
        radius[a] = 0;
    }
    OMREG_RETURN_IF(!isfinite(truncate), OMREG_ENONFINITE, "%s: truncate must be finite", fn);
    OMREG_RETURN_IF(truncate < 0.0, OMREG_EINVAL, "%s: truncate %g must be >= 0", fn, truncate);
    for (int a = 0; a < ndim; ++a) {
        OMREG_RETURN_IF(!isfinite(sigmas[a]), OMREG_ENONFINITE, "%s: sigma of axis %d is %g",
                        fn, a, sigmas[a]);
        /* scipy (and so DIPY's ScaleSpace, whose sigmas go negative along
         * coarse axes of anisotropic images) skips sigma <= 1e-15 */
        if (!(sigmas[a] > SMOOTH_MIN_SIGMA))
            continue;
        OMREG_FORWARD(radius_of(fn, a, sigmas[a], truncate, &radius[a]));
        total += radius[a] + 1;
        if (radius[a] > widest)
            widest = radius[a];
    }
    *mem = NULL;
    if (total == 0)
        return OMREG_OK;
    void *p = omreg_calloc(total + 2 * widest + 1, sizeof(double), "gaussian weights");
    if (p == NULL)
        return omreg_calloc_failure();
    double *w = p, *phi = w + total;
    for (int a = 0; a < ndim; ++a) {
        if (!(sigmas[a] > SMOOTH_MIN_SIGMA))
            continue;
        omreg_gaussian_weights(sigmas[a], radius[a], w, phi);
        weights[a] = w;
        w += radius[a] + 1;
    }
    *mem = p;
    return OMREG_OK;
}

omreg_status omreg_gaussian_filter(const omreg_backend *backend, const omreg_image *in,
                                   const double *sigmas, omreg_smooth_mode mode, double cval,
                                   double truncate, omreg_image **out)
{
    return omreg_gaussian_filter_threads(backend, 0, in, sigmas, mode, cval, truncate, out);
}

omreg_status omreg_gaussian_filter_threads(const omreg_backend *backend, int nthreads,
                                           const omreg_image *in, const double *sigmas,
                                           omreg_smooth_mode mode, double cval, double truncate,
                                           omreg_image **out)
{
    static const char fn[] = "omreg_gaussian_filter";
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "%s: out must not be NULL", fn);
    double *mem;
    const double *weights[3];
    size_t radius[3];
    OMREG_FORWARD(prepare(fn, backend, in, sigmas, mode, cval, truncate, &mem, weights, radius));
    omreg_image *result = NULL;
    omreg_status st =
        omreg_image_create(&result, in->ndim, in->shape, in->ncomp, in->dtype, in->grid2world);
    if (st == OMREG_OK)
        st = omreg_gaussian_filter_weights(backend, nthreads, in, result, weights, radius, mode,
                                           cval);
    free(mem);
    if (st != OMREG_OK) {
        omreg_image_free(result);
        return st;
    }
    *out = result;
    return OMREG_OK;
}

omreg_status omreg_gaussian_filter_inplace(const omreg_backend *backend, omreg_image *image,
                                           const double *sigmas, omreg_smooth_mode mode,
                                           double cval, double truncate)
{
    return omreg_gaussian_filter_inplace_threads(backend, 0, image, sigmas, mode, cval,
                                                 truncate);
}

omreg_status omreg_gaussian_filter_inplace_threads(const omreg_backend *backend, int nthreads,
                                                   omreg_image *image, const double *sigmas,
                                                   omreg_smooth_mode mode, double cval,
                                                   double truncate)
{
    static const char fn[] = "omreg_gaussian_filter_inplace";
    double *mem;
    const double *weights[3];
    size_t radius[3];
    OMREG_FORWARD(prepare(fn, backend, image, sigmas, mode, cval, truncate, &mem, weights,
                          radius));
    omreg_status st =
        omreg_gaussian_filter_weights(backend, nthreads, image, image, weights, radius, mode,
                                      cval);
    free(mem);
    return st;
}

omreg_status omreg_smooth_workspace_init(omreg_smooth_workspace *ws, const omreg_run_ctx *ctx,
                                         const omreg_image *like, const double *sigmas,
                                         omreg_smooth_mode mode, double cval, double truncate)
{
    static const char fn[] = "gaussian filter workspace";
    memset(ws, 0, sizeof *ws);
    OMREG_FORWARD(prepare(fn, ctx->backend, like, sigmas, mode, cval, truncate, &ws->weights_mem,
                          ws->weights, ws->radius));
    omreg_status st = line_buffers(ctx, like, ws->weights, ws->radius, &ws->per_buffer);
    ws->nthreads = ctx->nthreads;
    size_t count = 0;
    if (st == OMREG_OK && ws->per_buffer > 0)
        st = omreg_size_mul(&count, ws->per_buffer, (size_t)ws->nthreads);
    if (st == OMREG_OK && ws->per_buffer > 0) {
        ws->lines = omreg_calloc(count, sizeof(double), "gaussian filter line buffers");
        if (ws->lines == NULL)
            st = omreg_calloc_failure();
    }
    if (st != OMREG_OK)
        omreg_smooth_workspace_free(ws);
    return st;
}

void omreg_smooth_workspace_free(omreg_smooth_workspace *ws)
{
    free(ws->weights_mem);
    free(ws->lines);
    memset(ws, 0, sizeof *ws);
}

void omreg_gaussian_filter_run(const omreg_run_ctx *ctx, const omreg_smooth_workspace *ws,
                               const omreg_image *in, omreg_image *out, omreg_smooth_mode mode,
                               double cval)
{
    assert(ctx->nthreads <= ws->nthreads || ws->per_buffer == 0); /* ws sized for the run */
    filter_run(ctx, in, out, ws->weights, ws->radius, mode, cval, ws->per_buffer, ws->lines);
}
