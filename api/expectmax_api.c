/* EM-metric entry points (include/omreg/expectmax.h): validation,
 * allocation of the outputs and of the block scratch (kernels_expectmax.h:
 * one row of partials per block of OMREG_REDUCE_BLOCK voxels), dispatch to
 * the backend's expectmax slots, and the checks that need the kernels'
 * exact side results (+Inf from the positive range, out-of-range labels
 * from the class counts): the entry points never loop over voxels. Each
 * public function validates, sizes a workspace and calls its unchecked run
 * (api_run.h), which the EM metric calls on its own workspaces. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api_check.h"
#include "api_run.h"
#include "kernels_expectmax.h"
#include "omreg/expectmax.h"

/* Class counts and histograms are int (DIPY's int32). */
static omreg_status check_int_voxels(const char *fn, size_t nvox)
{
    OMREG_RETURN_IF(nvox > (size_t)INT_MAX, OMREG_EOVERFLOW,
                    "%s: %zu voxels exceed INT_MAX (class counts are int)", fn, nvox);
    return OMREG_OK;
}

/* Free every non-NULL pointer of ptrs[0..n) and clear it. */
static void free_all(void **ptrs, int n)
{
    for (int i = 0; i < n; ++i) {
        free(ptrs[i]);
        ptrs[i] = NULL;
    }
}

/* Allocate ptrs[i] = counts[i] x sizes[i] bytes in order; the chain stops
 * at the first failure and frees what it allocated. */
static omreg_status alloc_all(void **ptrs, const size_t *counts, const size_t *sizes,
                              const char *const *what, int n)
{
    for (int i = 0; i < n; ++i) {
        ptrs[i] = omreg_calloc(counts[i], sizes[i], what[i]);
        if (ptrs[i] == NULL) {
            const omreg_status st = omreg_calloc_failure();
            free_all(ptrs, i);
            return st;
        }
    }
    return OMREG_OK;
}

omreg_status omreg_quantize_workspace_init(omreg_quantize_workspace *ws, const omreg_image *v,
                                           int num_levels)
{
    const size_t nvox = omreg_image_voxels(v);
    const size_t L = (size_t)num_levels, nblocks = omreg_reduce_blocks(nvox);
    size_t hist_rows;
    memset(ws, 0, sizeof *ws);
    OMREG_FORWARD(omreg_size_mul(&hist_rows, nblocks, L));
    /* levels, hist, range scratch, histogram scratch */
    void *mem[4];
    const size_t counts[4] = {L, L, nblocks, hist_rows};
    const size_t sizes[4] = {omreg_dtype_size(v->dtype), sizeof(int), 2 * sizeof(double),
                             sizeof(int)};
    static const char *const what[4] = {"quantization levels", "quantization histogram",
                                        "quantization range scratch",
                                        "quantization histogram scratch"};
    OMREG_FORWARD(alloc_all(mem, counts, sizes, what, 4));
    ws->levels = mem[0];
    ws->hist = mem[1];
    ws->range_scratch = mem[2];
    ws->hist_scratch = mem[3];
    ws->nvox = nvox;
    ws->num_levels = num_levels;
    ws->dtype = v->dtype;
    return OMREG_OK;
}

void omreg_quantize_workspace_free(omreg_quantize_workspace *ws)
{
    void *mem[4] = {ws->levels, ws->hist, ws->range_scratch, ws->hist_scratch};
    free_all(mem, 4);
    memset(ws, 0, sizeof *ws);
}

omreg_status omreg_quantize_positive_run(const omreg_run_ctx *ctx, const omreg_image *v,
                                         int num_levels, int *labels,
                                         omreg_quantize_workspace *ws)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    void *mem[5] = {labels, ws->levels, ws->hist, ws->range_scratch, ws->hist_scratch};
    double range[2];
    const int ndim = v->ndim;
    if (v->dtype == OMREG_F64) {
        if (ndim == 2)
            backend->quantize_positive_2d_f64(nthreads, v->data, v->shape, num_levels, mem[0],
                                              mem[1], mem[2], mem[3], mem[4], range);
        else
            backend->quantize_positive_3d_f64(nthreads, v->data, v->shape, num_levels, mem[0],
                                              mem[1], mem[2], mem[3], mem[4], range);
    } else {
        if (ndim == 2)
            backend->quantize_positive_2d_f32(nthreads, v->data, v->shape, num_levels, mem[0],
                                              mem[1], mem[2], mem[3], mem[4], range);
        else
            backend->quantize_positive_3d_f32(nthreads, v->data, v->shape, num_levels, mem[0],
                                              mem[1], mem[2], mem[3], mem[4], range);
    }
    /* DIPY's class index of a +Inf voxel is NaN */
    OMREG_RETURN_IF(isinf(range[1]), OMREG_ENONFINITE,
                    "omreg_quantize_positive: the image has a +Inf voxel");
    return OMREG_OK;
}

omreg_status omreg_quantize_positive(const omreg_backend *backend, const omreg_image *v,
                                     int num_levels, int **labels, void **levels, int **hist)
{
    static const char fn[] = "omreg_quantize_positive";
    OMREG_FORWARD(api_check_image(fn, backend, v, API_SCALAR));
    OMREG_RETURN_IF(labels == NULL, OMREG_EINVAL, "%s: labels is NULL", fn);
    OMREG_RETURN_IF(num_levels < 2, OMREG_EINVAL,
                    "%s: num_levels %d: quantization levels must be at least 2", fn,
                    num_levels);
    OMREG_FORWARD(check_int_voxels(fn, omreg_image_voxels(v)));
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    omreg_quantize_workspace ws;
    OMREG_FORWARD(omreg_quantize_workspace_init(&ws, v, num_levels));
    int *out = omreg_calloc(ws.nvox, sizeof(int), "quantized classes");
    omreg_status st = out != NULL ? OMREG_OK : omreg_calloc_failure();
    if (st == OMREG_OK)
        st = omreg_quantize_positive_run(&ctx, v, num_levels, out, &ws);
    if (st != OMREG_OK) {
        free(out);
        omreg_quantize_workspace_free(&ws);
        return st;
    }
    *labels = out;
    if (levels) { /* the outputs leave the workspace */
        *levels = ws.levels;
        ws.levels = NULL;
    }
    if (hist) {
        *hist = ws.hist;
        ws.hist = NULL;
    }
    omreg_quantize_workspace_free(&ws);
    return OMREG_OK;
}

omreg_status omreg_class_stats_workspace_init(omreg_class_stats_workspace *ws,
                                              const omreg_image *v, int num_labels)
{
    const size_t nvox = omreg_image_voxels(v);
    const size_t L = (size_t)num_labels, nblocks = omreg_reduce_blocks(nvox);
    const size_t elem = omreg_dtype_size(v->dtype);
    size_t sum_rows, count_rows;
    memset(ws, 0, sizeof *ws);
    OMREG_FORWARD(omreg_size_mul(&sum_rows, nblocks, L));
    OMREG_FORWARD(omreg_size_mul(&count_rows, nblocks, L + 1));
    /* means, variances, counts, sum scratch, count scratch */
    void *mem[5];
    const size_t counts[5] = {L, L, L + 1, sum_rows, count_rows};
    const size_t sizes[5] = {elem, elem, sizeof(int), elem, sizeof(int)};
    static const char *const what[5] = {"class means", "class variances", "class counts",
                                        "class sums scratch", "class counts scratch"};
    OMREG_FORWARD(alloc_all(mem, counts, sizes, what, 5));
    ws->means = mem[0];
    ws->variances = mem[1];
    ws->counts = mem[2];
    ws->sum_scratch = mem[3];
    ws->count_scratch = mem[4];
    ws->nvox = nvox;
    ws->num_labels = num_labels;
    ws->dtype = v->dtype;
    return OMREG_OK;
}

void omreg_class_stats_workspace_free(omreg_class_stats_workspace *ws)
{
    void *mem[5] = {ws->means, ws->variances, ws->counts, ws->sum_scratch, ws->count_scratch};
    free_all(mem, 5);
    memset(ws, 0, sizeof *ws);
}

omreg_status omreg_compute_masked_class_stats_run(const omreg_run_ctx *ctx, const int *mask,
                                                  const omreg_image *v, int num_labels,
                                                  const int *labels,
                                                  omreg_class_stats_workspace *ws)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    void *mem[5] = {ws->means, ws->variances, ws->counts, ws->sum_scratch, ws->count_scratch};
    const int ndim = v->ndim;
    if (v->dtype == OMREG_F64) {
        if (ndim == 2)
            backend->compute_masked_class_stats_2d_f64(nthreads, mask, v->data, num_labels,
                                                       labels, v->shape, mem[0], mem[1], mem[2],
                                                       mem[3], mem[4]);
        else
            backend->compute_masked_class_stats_3d_f64(nthreads, mask, v->data, num_labels,
                                                       labels, v->shape, mem[0], mem[1], mem[2],
                                                       mem[3], mem[4]);
    } else {
        if (ndim == 2)
            backend->compute_masked_class_stats_2d_f32(nthreads, mask, v->data, num_labels,
                                                       labels, v->shape, mem[0], mem[1], mem[2],
                                                       mem[3], mem[4]);
        else
            backend->compute_masked_class_stats_3d_f32(nthreads, mask, v->data, num_labels,
                                                       labels, v->shape, mem[0], mem[1], mem[2],
                                                       mem[3], mem[4]);
    }
    const int bad = ws->counts[num_labels];
    OMREG_RETURN_IF(bad != 0, OMREG_EINVAL,
                    "omreg_compute_masked_class_stats: %d masked voxels have a label outside "
                    "[0, %d)",
                    bad, num_labels);
    return OMREG_OK;
}

omreg_status omreg_compute_masked_class_stats(const omreg_backend *backend, const int *mask,
                                              const omreg_image *v, int num_labels,
                                              const int *labels, void **means,
                                              void **variances)
{
    static const char fn[] = "omreg_compute_masked_class_stats";
    OMREG_FORWARD(api_check_image(fn, backend, v, API_SCALAR));
    OMREG_RETURN_IF(mask == NULL || labels == NULL || means == NULL || variances == NULL,
                    OMREG_EINVAL, "%s: mask, labels, means and variances must not be NULL",
                    fn);
    OMREG_RETURN_IF(num_labels < 1 || num_labels == INT_MAX, OMREG_EINVAL,
                    "%s: num_labels %d is not in [1, INT_MAX)", fn, num_labels);
    OMREG_FORWARD(check_int_voxels(fn, omreg_image_voxels(v)));
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    omreg_class_stats_workspace ws;
    OMREG_FORWARD(omreg_class_stats_workspace_init(&ws, v, num_labels));
    const omreg_status st =
        omreg_compute_masked_class_stats_run(&ctx, mask, v, num_labels, labels, &ws);
    if (st == OMREG_OK) { /* the outputs leave the workspace */
        *means = ws.means;
        *variances = ws.variances;
        ws.means = ws.variances = NULL;
    }
    omreg_class_stats_workspace_free(&ws);
    return st;
}

void omreg_compute_em_demons_step_run(const omreg_run_ctx *ctx,
                                      const omreg_image *delta_field,
                                      const omreg_image *sigma_sq_field,
                                      const omreg_image *gradient_moving, double sigma_sq_x,
                                      omreg_image *step, double *mem, double *energy)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    double e;
    const int ndim = delta_field->ndim;
    const void *d = delta_field->data, *s = sigma_sq_field->data, *g = gradient_moving->data;
    if (delta_field->dtype == OMREG_F64) {
        if (ndim == 2)
            backend->compute_em_demons_step_2d_f64(nthreads, d, s, g, delta_field->shape,
                                                   sigma_sq_x, step->data, mem, &e);
        else
            backend->compute_em_demons_step_3d_f64(nthreads, d, s, g, delta_field->shape,
                                                   sigma_sq_x, step->data, mem, &e);
    } else {
        if (ndim == 2)
            backend->compute_em_demons_step_2d_f32(nthreads, d, s, g, delta_field->shape,
                                                   sigma_sq_x, step->data, mem, &e);
        else
            backend->compute_em_demons_step_3d_f32(nthreads, d, s, g, delta_field->shape,
                                                   sigma_sq_x, step->data, mem, &e);
    }
    if (energy)
        *energy = e;
}

omreg_status omreg_compute_em_demons_step(const omreg_backend *backend,
                                          const omreg_image *delta_field,
                                          const omreg_image *sigma_sq_field,
                                          const omreg_image *gradient_moving,
                                          double sigma_sq_x, omreg_image **out,
                                          double *energy)
{
    static const char fn[] = "omreg_compute_em_demons_step";
    OMREG_FORWARD(api_check_image(fn, backend, delta_field, API_SCALAR));
    OMREG_RETURN_IF(sigma_sq_field == NULL || gradient_moving == NULL || out == NULL,
                    OMREG_EINVAL, "%s: sigma_sq_field, gradient_moving and out must not be NULL",
                    fn);
    OMREG_FORWARD(api_check_image(fn, backend, sigma_sq_field, API_SCALAR));
    OMREG_FORWARD(api_check_image(fn, backend, gradient_moving, API_FIELD));
    OMREG_RETURN_IF(!api_same_shape(sigma_sq_field, delta_field) ||
                        !api_same_shape(gradient_moving, delta_field) ||
                        sigma_sq_field->dtype != delta_field->dtype ||
                        gradient_moving->dtype != delta_field->dtype,
                    OMREG_ESHAPE,
                    "%s: delta_field, sigma_sq_field and gradient_moving must have the same "
                    "ndim, shape and dtype",
                    fn);
    OMREG_RETURN_IF(!isfinite(sigma_sq_x), OMREG_ENONFINITE, "%s: sigma_sq_x is not finite",
                    fn);

    const size_t nvox = omreg_image_voxels(delta_field);
    double *mem = omreg_calloc(omreg_reduce_blocks(nvox), sizeof(double),
                               "EM demons energy scratch");
    if (mem == NULL)
        return omreg_calloc_failure();
    omreg_image *step = NULL;
    const int ndim = delta_field->ndim;
    omreg_status st = omreg_image_create(&step, ndim, delta_field->shape, ndim,
                                         delta_field->dtype, delta_field->grid2world);
    if (st == OMREG_OK) {
        const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
        omreg_compute_em_demons_step_run(&ctx, delta_field, sigma_sq_field, gradient_moving,
                                         sigma_sq_x, step, mem, energy);
        *out = step;
    }
    free(mem);
    return st;
}
