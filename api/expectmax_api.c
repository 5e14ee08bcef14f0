/* EM-metric entry points (include/omreg/expectmax.h): validation,
 * allocation of the outputs and of the block scratch (kernels_expectmax.h:
 * one row of partials per block of OMREG_REDUCE_BLOCK voxels), dispatch to
 * the backend's expectmax slots, and the checks that need the kernels'
 * exact side results (+Inf from the positive range, out-of-range labels
 * from the class counts): the entry points never loop over voxels. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "api_check.h"
#include "api_threads.h"
#include "kernels_expectmax.h"
#include "omreg/expectmax.h"

/* Class counts and histograms are int (DIPY's int32). */
static omreg_status check_int_voxels(const char *fn, size_t nvox)
{
    OMREG_RETURN_IF(nvox > (size_t)INT_MAX, OMREG_EOVERFLOW,
                    "%s: %zu voxels exceed INT_MAX (class counts are int)", fn, nvox);
    return OMREG_OK;
}

/* Free every non-NULL pointer of ptrs[0..n). */
static void free_all(void **ptrs, int n)
{
    for (int i = 0; i < n; ++i)
        free(ptrs[i]);
}

omreg_status omreg_quantize_positive(const omreg_backend *backend, const omreg_image *v,
                                     int num_levels, int **labels, void **levels, int **hist)
{
    return omreg_quantize_positive_threads(backend, 0, v, num_levels, labels, levels, hist);
}

omreg_status omreg_quantize_positive_threads(const omreg_backend *backend, int nthreads,
                                             const omreg_image *v, int num_levels, int **labels,
                                             void **levels, int **hist)
{
    static const char fn[] = "omreg_quantize_positive";
    OMREG_FORWARD(api_check_image(fn, backend, v, API_SCALAR));
    OMREG_RETURN_IF(labels == NULL, OMREG_EINVAL, "%s: labels is NULL", fn);
    OMREG_RETURN_IF(num_levels < 2, OMREG_EINVAL,
                    "%s: num_levels %d: quantization levels must be at least 2", fn,
                    num_levels);
    const size_t nvox = omreg_image_voxels(v);
    OMREG_FORWARD(check_int_voxels(fn, nvox));
    const size_t L = (size_t)num_levels, nblocks = omreg_reduce_blocks(nvox);
    size_t hist_rows;
    OMREG_FORWARD(omreg_size_mul(&hist_rows, nblocks, L));

    /* out, levels, hist, range scratch, histogram scratch */
    void *mem[5] = {NULL, NULL, NULL, NULL, NULL};
    const size_t elem = omreg_dtype_size(v->dtype);
    mem[0] = omreg_calloc(nvox, sizeof(int), "quantized classes");
    if (mem[0] != NULL)
        mem[1] = omreg_calloc(L, elem, "quantization levels");
    if (mem[1] != NULL)
        mem[2] = omreg_calloc(L, sizeof(int), "quantization histogram");
    if (mem[2] != NULL)
        mem[3] = omreg_calloc(nblocks, 2 * sizeof(double), "quantization range scratch");
    if (mem[3] != NULL)
        mem[4] = omreg_calloc(hist_rows, sizeof(int), "quantization histogram scratch");
    if (mem[4] == NULL) { /* the chain stops at the first failure */
        free_all(mem, 5);
        return omreg_calloc_failure();
    }

    double range[2];
    const int ndim = v->ndim;
    nthreads = omreg_backend_threads(backend, nthreads); /* the call's count, read once */
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
    free(mem[3]);
    free(mem[4]);
    if (isinf(range[1])) { /* DIPY's class index of a +Inf voxel is NaN */
        free_all(mem, 3);
        return omreg_fail(OMREG_ENONFINITE, "%s: the image has a +Inf voxel", fn);
    }
    *labels = mem[0];
    if (levels)
        *levels = mem[1];
    else
        free(mem[1]);
    if (hist)
        *hist = mem[2];
    else
        free(mem[2]);
    return OMREG_OK;
}

omreg_status omreg_compute_masked_class_stats(const omreg_backend *backend, const int *mask,
                                              const omreg_image *v, int num_labels,
                                              const int *labels, void **means,
                                              void **variances)
{
    return omreg_compute_masked_class_stats_threads(backend, 0, mask, v, num_labels, labels,
                                                    means, variances);
}

omreg_status omreg_compute_masked_class_stats_threads(const omreg_backend *backend, int nthreads,
                                                      const int *mask, const omreg_image *v,
                                                      int num_labels, const int *labels,
                                                      void **means, void **variances)
{
    static const char fn[] = "omreg_compute_masked_class_stats";
    OMREG_FORWARD(api_check_image(fn, backend, v, API_SCALAR));
    OMREG_RETURN_IF(mask == NULL || labels == NULL || means == NULL || variances == NULL,
                    OMREG_EINVAL, "%s: mask, labels, means and variances must not be NULL",
                    fn);
    OMREG_RETURN_IF(num_labels < 1 || num_labels == INT_MAX, OMREG_EINVAL,
                    "%s: num_labels %d is not in [1, INT_MAX)", fn, num_labels);
    const size_t nvox = omreg_image_voxels(v);
    OMREG_FORWARD(check_int_voxels(fn, nvox));
    const size_t L = (size_t)num_labels, nblocks = omreg_reduce_blocks(nvox);
    size_t sum_rows, count_rows;
    OMREG_FORWARD(omreg_size_mul(&sum_rows, nblocks, L));
    OMREG_FORWARD(omreg_size_mul(&count_rows, nblocks, L + 1));

    /* means, variances, counts, sum scratch, count scratch */
    void *mem[5] = {NULL, NULL, NULL, NULL, NULL};
    const size_t elem = omreg_dtype_size(v->dtype);
    mem[0] = omreg_calloc(L, elem, "class means");
    if (mem[0] != NULL)
        mem[1] = omreg_calloc(L, elem, "class variances");
    if (mem[1] != NULL)
        mem[2] = omreg_calloc(L + 1, sizeof(int), "class counts");
    if (mem[2] != NULL)
        mem[3] = omreg_calloc(sum_rows, elem, "class sums scratch");
    if (mem[3] != NULL)
        mem[4] = omreg_calloc(count_rows, sizeof(int), "class counts scratch");
    if (mem[4] == NULL) { /* the chain stops at the first failure */
        free_all(mem, 5);
        return omreg_calloc_failure();
    }

    const int ndim = v->ndim;
    nthreads = omreg_backend_threads(backend, nthreads); /* the call's count, read once */
    if (v->dtype == OMREG_F64) {
        if (ndim == 2)
            backend->compute_masked_class_stats_2d_f64(nthreads, mask, v->data, num_labels, labels,
                                                       v->shape, mem[0], mem[1], mem[2], mem[3],
                                                       mem[4]);
        else
            backend->compute_masked_class_stats_3d_f64(nthreads, mask, v->data, num_labels, labels,
                                                       v->shape, mem[0], mem[1], mem[2], mem[3],
                                                       mem[4]);
    } else {
        if (ndim == 2)
            backend->compute_masked_class_stats_2d_f32(nthreads, mask, v->data, num_labels, labels,
                                                       v->shape, mem[0], mem[1], mem[2], mem[3],
                                                       mem[4]);
        else
            backend->compute_masked_class_stats_3d_f32(nthreads, mask, v->data, num_labels, labels,
                                                       v->shape, mem[0], mem[1], mem[2], mem[3],
                                                       mem[4]);
    }
    const int bad = ((const int *)mem[2])[num_labels];
    free_all(mem + 2, 3);
    if (bad != 0) {
        free_all(mem, 2);
        return omreg_fail(OMREG_EINVAL,
                          "%s: %d masked voxels have a label outside [0, %d)", fn, bad,
                          num_labels);
    }
    *means = mem[0];
    *variances = mem[1];
    return OMREG_OK;
}

static int same_grid(const omreg_image *a, const omreg_image *b)
{
    if (a->ndim != b->ndim || a->dtype != b->dtype)
        return 0;
    for (int k = 0; k < a->ndim; ++k)
        if (a->shape[k] != b->shape[k])
            return 0;
    return 1;
}

omreg_status omreg_compute_em_demons_step(const omreg_backend *backend,
                                          const omreg_image *delta_field,
                                          const omreg_image *sigma_sq_field,
                                          const omreg_image *gradient_moving,
                                          double sigma_sq_x, omreg_image **out,
                                          double *energy)
{
    return omreg_compute_em_demons_step_threads(backend, 0, delta_field, sigma_sq_field,
                                                gradient_moving, sigma_sq_x, out, energy);
}

omreg_status omreg_compute_em_demons_step_threads(const omreg_backend *backend, int nthreads,
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
    OMREG_RETURN_IF(!same_grid(sigma_sq_field, delta_field) ||
                        !same_grid(gradient_moving, delta_field),
                    OMREG_ESHAPE,
                    "%s: delta_field, sigma_sq_field and gradient_moving must have the same "
                    "ndim, shape and dtype",
                    fn);
    OMREG_RETURN_IF(!isfinite(sigma_sq_x), OMREG_ENONFINITE, "%s: sigma_sq_x is not finite",
                    fn);

    const size_t nvox = omreg_image_voxels(delta_field);
    void *mem = omreg_calloc(omreg_reduce_blocks(nvox), sizeof(double), "EM demons energy scratch");
    if (mem == NULL)
        return omreg_calloc_failure();
    omreg_image *step = NULL;
    const int ndim = delta_field->ndim;
    omreg_status st = omreg_image_create(&step, ndim, delta_field->shape, ndim,
                                         delta_field->dtype, delta_field->grid2world);
    if (st != OMREG_OK) {
        free(mem);
        return st;
    }
    double e;
    const void *d = delta_field->data, *s = sigma_sq_field->data, *g = gradient_moving->data;
    nthreads = omreg_backend_threads(backend, nthreads); /* the call's count, read once */
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
    free(mem);
    *out = step;
    if (energy)
        *energy = e;
    return OMREG_OK;
}
