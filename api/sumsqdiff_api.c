/* SSD entry points (include/omreg/sumsqdiff.h) other than the V-cycle:
 * the 2x2 / 3x3 solves of DIPY sumsqdiff.pyx, and validation, scratch
 * allocation and dispatch for the energy, demons step, Gauss-Seidel sweep
 * and residual kernels (kernels_sumsqdiff.h). */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "api_run.h"
#include "sumsqdiff_dispatch.h"
#include "sumsqdiff_point.h"

omreg_status omreg_solve_2d_symmetric_positive_definite(const double A[3], const double y[2],
                                                        double det, double out[2])
{
    OMREG_RETURN_IF(A == NULL || y == NULL || out == NULL, OMREG_EINVAL,
                    "omreg_solve_2d_symmetric_positive_definite: NULL argument");
    ssd_solve_2d_spd(A, y, det, out);
    return OMREG_OK;
}

omreg_status omreg_solve_3d_symmetric_positive_definite(const double g[3], const double y[3],
                                                        double tau, double out[3],
                                                        int *is_singular)
{
    OMREG_RETURN_IF(g == NULL || y == NULL || out == NULL || is_singular == NULL, OMREG_EINVAL,
                    "omreg_solve_3d_symmetric_positive_definite: NULL argument");
    *is_singular = ssd_solve_3d_spd(g, y, tau, out);
    return OMREG_OK;
}

omreg_status omreg_ssd_energy(const omreg_backend *backend, const omreg_image *delta,
                              double *energy)
{
    static const char fn[] = "omreg_ssd_energy";
    OMREG_FORWARD(api_check_image(fn, backend, delta, API_SCALAR));
    OMREG_RETURN_IF(energy == NULL, OMREG_EINVAL, "%s: energy is NULL", fn);
    double *scratch = NULL;
    OMREG_FORWARD(ssd_alloc_scratch(delta, &scratch));
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    ssd_call_energy(&ctx, delta->ndim, delta->dtype, delta->data, delta->shape, scratch, energy);
    free(scratch);
    return OMREG_OK;
}

void omreg_ssd_demons_step_run(const omreg_run_ctx *ctx, const omreg_image *delta,
                               const omreg_image *gradient, double sigma_sq_x, omreg_image *out,
                               double *scratch, double *energy)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    double e;
    const void *d = delta->data, *g = gradient->data;
    if (delta->ndim == 2) {
        if (delta->dtype == OMREG_F64)
            backend->compute_ssd_demons_step_2d_f64(nthreads, d, g, delta->shape, sigma_sq_x,
                                                    out->data, scratch, &e);
        else
            backend->compute_ssd_demons_step_2d_f32(nthreads, d, g, delta->shape, sigma_sq_x,
                                                    out->data, scratch, &e);
    } else {
        if (delta->dtype == OMREG_F64)
            backend->compute_ssd_demons_step_3d_f64(nthreads, d, g, delta->shape, sigma_sq_x,
                                                    out->data, scratch, &e);
        else
            backend->compute_ssd_demons_step_3d_f32(nthreads, d, g, delta->shape, sigma_sq_x,
                                                    out->data, scratch, &e);
    }
    if (energy)
        *energy = e;
}

omreg_status omreg_ssd_demons_step(const omreg_backend *backend, const omreg_image *delta,
                                   const omreg_image *gradient, double sigma_sq_x,
                                   omreg_image *out, double *energy)
{
    static const char fn[] = "omreg_ssd_demons_step";
    OMREG_FORWARD(api_check_image(fn, backend, delta, API_SCALAR));
    OMREG_FORWARD(
        api_check_like(fn, "gradient", backend, delta, "delta", gradient, API_FIELD, 0));
    OMREG_FORWARD(api_check_like(fn, "out", backend, delta, "delta", out, API_FIELD, 0));
    OMREG_RETURN_IF(api_images_overlap(out, delta) || api_images_overlap(out, gradient),
                    OMREG_EINVAL, "%s: out overlaps delta or gradient", fn);
    OMREG_RETURN_IF(!isfinite(sigma_sq_x), OMREG_ENONFINITE, "%s: sigma_sq_x is not finite",
                    fn);
    OMREG_RETURN_IF(!(sigma_sq_x > 0), OMREG_EINVAL, "%s: sigma_sq_x = %g is not positive", fn,
                    sigma_sq_x);
    double *scratch = NULL;
    OMREG_FORWARD(ssd_alloc_scratch(delta, &scratch));
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    omreg_ssd_demons_step_run(&ctx, delta, gradient, sigma_sq_x, out, scratch, energy);
    free(scratch);
    return OMREG_OK;
}

omreg_status omreg_ssd_order_from_name(const char *name, omreg_ssd_order *order)
{
    static const struct {
        const char *name;
        omreg_ssd_order order;
    } names[] = {{"lexicographic", OMREG_SSD_ORDER_LEXICOGRAPHIC},
                 {"dipy", OMREG_SSD_ORDER_LEXICOGRAPHIC},
                 {"red-black", OMREG_SSD_ORDER_RED_BLACK}};
    OMREG_RETURN_IF(name == NULL || order == NULL, OMREG_EINVAL,
                    "omreg_ssd_order_from_name: NULL argument");
    for (size_t q = 0; q < sizeof names / sizeof names[0]; ++q)
        if (strcasecmp(name, names[q].name) == 0) {
            *order = names[q].order;
            return OMREG_OK;
        }
    OMREG_RETURN_IF(1, OMREG_EINVAL,
                    "unknown Gauss-Seidel order '%s' (lexicographic, dipy or red-black)", name);
}

omreg_status omreg_ssd_iterate_residual_displacement_field(
    const omreg_backend *backend, omreg_ssd_order order, const omreg_image *delta,
    const omreg_image *sigmasq, const omreg_image *gradient, const omreg_image *target,
    double lambda, omreg_image *disp, double *max_step)
{
    static const char fn[] = "omreg_ssd_iterate_residual_displacement_field";
    OMREG_FORWARD(
        api_check_ssd_system(fn, backend, delta, sigmasq, gradient, target, lambda, "disp", disp));
    OMREG_FORWARD(ssd_check_order(fn, order));
    double *scratch = NULL, step;
    OMREG_FORWARD(ssd_alloc_scratch(delta, &scratch));
    const struct ssd_system s = ssd_system_of(order, delta, sigmasq, gradient, target, lambda);
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    ssd_call_iterate(&ctx, &s, disp->data, scratch, &step);
    free(scratch);
    if (max_step)
        *max_step = step;
    return OMREG_OK;
}

omreg_status omreg_ssd_compute_residual_displacement_field(
    const omreg_backend *backend, const omreg_image *delta, const omreg_image *sigmasq,
    const omreg_image *gradient, const omreg_image *target, double lambda,
    const omreg_image *disp, omreg_image *residual, double *sqnorm)
{
    static const char fn[] = "omreg_ssd_compute_residual_displacement_field";
    OMREG_FORWARD(api_check_ssd_system(fn, backend, delta, sigmasq, gradient, target, lambda,
                                       "residual", residual));
    OMREG_FORWARD(api_check_like(fn, "disp", backend, delta, "delta", disp, API_FIELD, 0));
    OMREG_RETURN_IF(api_images_overlap(residual, disp), OMREG_EINVAL,
                    "%s: residual overlaps disp", fn);
    double *scratch = NULL, sq;
    OMREG_FORWARD(ssd_alloc_scratch(delta, &scratch));
    /* the residual has no order */
    const struct ssd_system s =
        ssd_system_of(OMREG_SSD_ORDER_LEXICOGRAPHIC, delta, sigmasq, gradient, target, lambda);
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, 0);
    ssd_call_residual(&ctx, &s, disp->data, residual->data, scratch, &sq);
    free(scratch);
    if (sqnorm)
        *sqnorm = sq;
    return OMREG_OK;
}
