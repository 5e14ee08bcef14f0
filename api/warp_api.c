/* Serial entry points of the warp family (include/omreg/warp.h): validate,
 * resolve DIPY's None rules, allocate the outputs, and call the kernel slot
 * for the ndim and dtype through the backend table (kernels_warp.h,
 * kernels_resample_field.h, kernels_field_generators.h). O(1) work besides
 * the kernels. */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "api_check.h"
#include "api_run.h"
#include "api_threads.h"
#include "omreg/warp.h"

void omreg_warp_run(const omreg_run_ctx *ctx, const omreg_image *image, const omreg_image *field,
                    const double *affine_idx_in, const double *affine_idx_out,
                    const double *affine_disp, omreg_warp_interp interp, omreg_image *res)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    const int ndim = image->ndim;
    const double *A = affine_idx_in, *B = affine_idx_out, *C = affine_disp;
    const size_t *is = image->shape, *fs = field->shape, *os = res->shape;
    const int nn = interp == OMREG_WARP_NEAREST;
    if (image->dtype == OMREG_F64) {
        if (ndim == 2)
            (nn ? backend->warp_nn_2d_f64 : backend->warp_linear_2d_f64)(
                nthreads, image->data, is, field->data, fs, A, B, C, os, res->data);
        else
            (nn ? backend->warp_nn_3d_f64 : backend->warp_linear_3d_f64)(
                nthreads, image->data, is, field->data, fs, A, B, C, os, res->data);
    } else {
        if (ndim == 2)
            (nn ? backend->warp_nn_2d_f32 : backend->warp_linear_2d_f32)(
                nthreads, image->data, is, field->data, fs, A, B, C, os, res->data);
        else
            (nn ? backend->warp_nn_3d_f32 : backend->warp_linear_3d_f32)(
                nthreads, image->data, is, field->data, fs, A, B, C, os, res->data);
    }
}

omreg_status omreg_warp(const omreg_backend *backend, const omreg_image *image,
                        const omreg_image *field, const double *affine_idx_in,
                        const double *affine_idx_out, const double *affine_disp,
                        const size_t *out_shape, omreg_warp_interp interp, omreg_image **out)
{
    return omreg_warp_threads(backend, 0, image, field, affine_idx_in, affine_idx_out,
                              affine_disp, out_shape, interp, out);
}

omreg_status omreg_warp_threads(const omreg_backend *backend, int nthreads,
                                const omreg_image *image, const omreg_image *field,
                                const double *affine_idx_in, const double *affine_idx_out,
                                const double *affine_disp, const size_t *out_shape,
                                omreg_warp_interp interp, omreg_image **out)
{
    static const char fn[] = "omreg_warp";
    OMREG_FORWARD(api_check_image(fn, backend, image, API_SCALAR));
    OMREG_FORWARD(api_check_image(fn, backend, field, API_FIELD));
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "%s: out is NULL", fn);
    OMREG_RETURN_IF(interp != OMREG_WARP_LINEAR && interp != OMREG_WARP_NEAREST, OMREG_EINVAL,
                    "%s: unknown interpolation %d", fn, (int)interp);
    const int ndim = image->ndim;
    OMREG_RETURN_IF(field->ndim != ndim, OMREG_ESHAPE, "%s: image is %dD but field is %dD", fn,
                    ndim, field->ndim);
    OMREG_RETURN_IF(field->dtype != image->dtype, OMREG_EINVAL,
                    "%s: image and field have different dtypes", fn);
    if (out_shape == NULL)
        out_shape = field->shape; /* DIPY: out_shape None -> d1's shape */
    OMREG_FORWARD(api_check_shape(fn, ndim, out_shape, 1, omreg_dtype_size(image->dtype)));
    OMREG_FORWARD(api_check_finite_affine(fn, "affine_idx_in", ndim, affine_idx_in));
    OMREG_FORWARD(api_check_finite_affine(fn, "affine_idx_out", ndim, affine_idx_out));
    OMREG_FORWARD(api_check_finite_affine(fn, "affine_disp", ndim, affine_disp));
    if (affine_idx_in == NULL)
        for (int d = 0; d < ndim; ++d)
            OMREG_RETURN_IF(field->shape[d] < out_shape[d], OMREG_ESHAPE,
                            "%s: without affine_idx_in the field is read at the output voxels, "
                            "but its axis %d has %zu < %zu voxels",
                            fn, d, field->shape[d], out_shape[d]);

    omreg_image *res = NULL;
    OMREG_FORWARD(omreg_image_create(&res, ndim, out_shape, 1, image->dtype, NULL));
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, nthreads);
    omreg_warp_run(&ctx, image, field, affine_idx_in, affine_idx_out, affine_disp, interp, res);
    *out = res;
    return OMREG_OK;
}

omreg_status omreg_warp_coordinates(const omreg_backend *backend, const omreg_image *field,
                                    const double *points, size_t n, const double *in2world,
                                    const double *world2out, const double *field_world2grid,
                                    double *out)
{
    static const char fn[] = "omreg_warp_coordinates";
    OMREG_FORWARD(api_check_image(fn, backend, field, API_FIELD));
    OMREG_RETURN_IF(n > 0 && (points == NULL || out == NULL), OMREG_EINVAL,
                    "%s: points or out is NULL", fn);
    const int ndim = field->ndim;
    OMREG_FORWARD(api_check_points(fn, n, (size_t)ndim, sizeof(double)));
    OMREG_FORWARD(api_check_finite_affine(fn, "in2world", ndim, in2world));
    OMREG_FORWARD(api_check_finite_affine(fn, "world2out", ndim, world2out));
    OMREG_FORWARD(api_check_finite_affine(fn, "field_world2grid", ndim, field_world2grid));
    const size_t bytes = n * (size_t)ndim * sizeof(double);
    OMREG_RETURN_IF(out != points && api_overlaps(out, bytes, points, bytes), OMREG_EINVAL,
                    "%s: out partially overlaps points", fn);
    OMREG_RETURN_IF(api_overlaps(out, bytes, field->data, api_image_bytes(field)),
                    OMREG_EINVAL, "%s: out overlaps the field", fn);
    if (n == 0)
        return OMREG_OK;

    /* DIPY's in2grid: input points -> the field's grid */
    double product[16];
    const double *in2grid;
    if (in2world == NULL) {
        in2grid = field_world2grid;
    } else if (field_world2grid == NULL) {
        in2grid = in2world;
    } else {
        omreg_mat_mul(ndim + 1, field_world2grid, in2world, product);
        in2grid = product;
    }
    const size_t *fs = field->shape;
    const int nthreads = omreg_backend_threads(backend, 0);
    if (field->dtype == OMREG_F64) {
        if (ndim == 2)
            backend->warp_coordinates_2d_f64(nthreads, field->data, fs, in2world, in2grid,
                                             world2out, points, n, out);
        else
            backend->warp_coordinates_3d_f64(nthreads, field->data, fs, in2world, in2grid,
                                             world2out, points, n, out);
    } else {
        if (ndim == 2)
            backend->warp_coordinates_2d_f32(nthreads, field->data, fs, in2world, in2grid,
                                             world2out, points, n, out);
        else
            backend->warp_coordinates_3d_f32(nthreads, field->data, fs, in2world, in2grid,
                                             world2out, points, n, out);
    }
    return OMREG_OK;
}

omreg_status omreg_downsample_field(const omreg_backend *backend, const omreg_image *in,
                                    omreg_image **out)
{
    static const char fn[] = "omreg_downsample_field";
    OMREG_FORWARD(api_check_image(fn, backend, in, API_ANY));
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "%s: out is NULL", fn);
    const int ndim = in->ndim;
    size_t half[3];
    for (int d = 0; d < ndim; ++d)
        half[d] = in->shape[d] / 2 + in->shape[d] % 2; /* (n + 1) / 2 without overflow */

    omreg_image *res = NULL;
    OMREG_FORWARD(omreg_image_create(&res, ndim, half, in->ncomp, in->dtype, NULL));
    const int vec = in->ncomp > 1;
    const size_t *s = in->shape;
    const int nthreads = omreg_backend_threads(backend, 0);
    if (in->dtype == OMREG_F64) {
        if (ndim == 2)
            (vec ? backend->downsample_displacement_field_2d_f64
                 : backend->downsample_scalar_field_2d_f64)(nthreads, in->data, s, res->data);
        else
            (vec ? backend->downsample_displacement_field_3d_f64
                 : backend->downsample_scalar_field_3d_f64)(nthreads, in->data, s, res->data);
    } else {
        if (ndim == 2)
            (vec ? backend->downsample_displacement_field_2d_f32
                 : backend->downsample_scalar_field_2d_f32)(nthreads, in->data, s, res->data);
        else
            (vec ? backend->downsample_displacement_field_3d_f32
                 : backend->downsample_scalar_field_3d_f32)(nthreads, in->data, s, res->data);
    }
    *out = res;
    return OMREG_OK;
}

omreg_status omreg_resample_displacement_field(const omreg_backend *backend,
                                               const omreg_image *field, const double *factors,
                                               const size_t *out_shape, omreg_image **out)
{
    return omreg_resample_displacement_field_threads(backend, 0, field, factors, out_shape, out);
}

omreg_status omreg_resample_displacement_field_threads(const omreg_backend *backend,
                                                       int nthreads, const omreg_image *field,
                                                       const double *factors,
                                                       const size_t *out_shape, omreg_image **out)
{
    static const char fn[] = "omreg_resample_displacement_field";
    OMREG_FORWARD(api_check_image(fn, backend, field, API_FIELD));
    OMREG_RETURN_IF(factors == NULL || out == NULL, OMREG_EINVAL, "%s: factors or out is NULL",
                    fn);
    const int ndim = field->ndim;
    OMREG_FORWARD(api_check_shape(fn, ndim, out_shape, (size_t)ndim,
                                  omreg_dtype_size(field->dtype)));
    for (int d = 0; d < ndim; ++d)
        OMREG_RETURN_IF(!isfinite(factors[d]), OMREG_ENONFINITE, "%s: factor %d is not finite",
                        fn, d);

    omreg_image *res = NULL;
    OMREG_FORWARD(omreg_image_create(&res, ndim, out_shape, ndim, field->dtype, NULL));
    const size_t *s = field->shape, *os = res->shape;
    nthreads = omreg_backend_threads(backend, nthreads); /* the call's count, read once */
    if (field->dtype == OMREG_F64) {
        if (ndim == 2)
            backend->resample_displacement_field_2d_f64(nthreads, field->data, s, factors, os,
                                                        res->data);
        else
            backend->resample_displacement_field_3d_f64(nthreads, field->data, s, factors, os,
                                                        res->data);
    } else {
        if (ndim == 2)
            backend->resample_displacement_field_2d_f32(nthreads, field->data, s, factors, os,
                                                        res->data);
        else
            backend->resample_displacement_field_3d_f32(nthreads, field->data, s, factors, os,
                                                        res->data);
    }
    *out = res;
    return OMREG_OK;
}

omreg_status omreg_create_random_displacement(const omreg_backend *backend, int ndim,
                                              const size_t *from_shape,
                                              const double *from_grid2world,
                                              const size_t *to_shape,
                                              const double *to_grid2world, uint64_t seed,
                                              omreg_dtype dtype, omreg_image **out,
                                              int *int_field)
{
    static const char fn[] = "omreg_create_random_displacement";
    OMREG_RETURN_IF(backend == NULL || from_shape == NULL || to_shape == NULL || out == NULL,
                    OMREG_EINVAL, "%s: NULL argument", fn);
    OMREG_FORWARD(api_check_ndim(fn, ndim));
    OMREG_FORWARD(api_check_dtype(fn, dtype));
    OMREG_FORWARD(api_check_shape(fn, ndim, from_shape, (size_t)ndim, sizeof(double)));
    for (int d = 0; d < ndim; ++d)
        OMREG_RETURN_IF(to_shape[d] < 3 || to_shape[d] > (size_t)INT_MAX, OMREG_EINVAL,
                        "%s: to_shape[%d] = %zu is not in 3..INT_MAX (targets avoid the "
                        "border voxels)",
                        fn, d, to_shape[d]);
    OMREG_FORWARD(api_check_finite_affine(fn, "from_grid2world", ndim, from_grid2world));
    OMREG_FORWARD(api_check_finite_affine(fn, "to_grid2world", ndim, to_grid2world));

    omreg_image *res = NULL;
    int *ints = int_field;
    OMREG_FORWARD(omreg_image_create(&res, ndim, from_shape, ndim, dtype, NULL));
    if (ints == NULL) { /* the kernel always writes the targets: scratch */
        ints = omreg_calloc(omreg_image_voxels(res) * (size_t)ndim, sizeof(int),
                            "random displacement targets");
        if (ints == NULL) {
            omreg_image_free(res);
            return omreg_calloc_failure();
        }
    }
    const size_t *s = res->shape;
    const double *F = from_grid2world, *T = to_grid2world;
    const int nthreads = omreg_backend_threads(backend, 0);
    if (dtype == OMREG_F64) {
        if (ndim == 2)
            backend->create_random_displacement_2d_f64(nthreads, s, F, to_shape, T, seed, res->data,
                                                       ints);
        else
            backend->create_random_displacement_3d_f64(nthreads, s, F, to_shape, T, seed, res->data,
                                                       ints);
    } else {
        if (ndim == 2)
            backend->create_random_displacement_2d_f32(nthreads, s, F, to_shape, T, seed, res->data,
                                                       ints);
        else
            backend->create_random_displacement_3d_f32(nthreads, s, F, to_shape, T, seed, res->data,
                                                       ints);
    }
    if (ints != int_field)
        free(ints);
    *out = res;
    return OMREG_OK;
}

omreg_status omreg_create_harmonic_fields(const omreg_backend *backend, int ndim,
                                          const size_t *shape, double b, double m,
                                          omreg_dtype dtype, omreg_image **d,
                                          omreg_image **inv)
{
    static const char fn[] = "omreg_create_harmonic_fields";
    OMREG_RETURN_IF(backend == NULL || shape == NULL || d == NULL || inv == NULL, OMREG_EINVAL,
                    "%s: NULL argument", fn);
    OMREG_FORWARD(api_check_ndim(fn, ndim));
    OMREG_FORWARD(api_check_dtype(fn, dtype));
    OMREG_FORWARD(api_check_shape(fn, ndim, shape, (size_t)ndim, sizeof(double)));
    OMREG_RETURN_IF(!isfinite(b) || !isfinite(m), OMREG_ENONFINITE, "%s: b or m is not finite",
                    fn);

    omreg_image *rd = NULL, *ri = NULL;
    OMREG_FORWARD(omreg_image_create(&rd, ndim, shape, ndim, dtype, NULL));
    omreg_status st = omreg_image_create(&ri, ndim, shape, ndim, dtype, NULL);
    if (st != OMREG_OK) {
        omreg_image_free(rd);
        return st;
    }
    const size_t *s = rd->shape;
    const int nthreads = omreg_backend_threads(backend, 0);
    if (dtype == OMREG_F64) {
        if (ndim == 2)
            backend->create_harmonic_fields_2d_f64(nthreads, s, b, m, rd->data, ri->data);
        else
            backend->create_harmonic_fields_3d_f64(nthreads, s, b, m, rd->data, ri->data);
    } else {
        if (ndim == 2)
            backend->create_harmonic_fields_2d_f32(nthreads, s, b, m, rd->data, ri->data);
        else
            backend->create_harmonic_fields_3d_f32(nthreads, s, b, m, rd->data, ri->data);
    }
    *d = rd;
    *inv = ri;
    return OMREG_OK;
}

static omreg_status create_ball(const char *fn, const omreg_backend *backend, int ndim,
                                const size_t *shape, ptrdiff_t radius, omreg_dtype dtype,
                                omreg_image **out)
{
    OMREG_RETURN_IF(backend == NULL || shape == NULL || out == NULL, OMREG_EINVAL,
                    "%s: NULL argument", fn);
    OMREG_FORWARD(api_check_dtype(fn, dtype));
    OMREG_FORWARD(api_check_shape(fn, ndim, shape, 1, sizeof(double)));

    omreg_image *res = NULL;
    OMREG_FORWARD(omreg_image_create(&res, ndim, shape, 1, dtype, NULL));
    const int nthreads = omreg_backend_threads(backend, 0);
    if (dtype == OMREG_F64)
        (ndim == 2 ? backend->create_circle_f64 : backend->create_sphere_f64)(nthreads, res->shape,
                                                                              radius, res->data);
    else
        (ndim == 2 ? backend->create_circle_f32 : backend->create_sphere_f32)(nthreads, res->shape,
                                                                              radius, res->data);
    *out = res;
    return OMREG_OK;
}

omreg_status omreg_create_circle(const omreg_backend *backend, const size_t shape[2],
                                 ptrdiff_t radius, omreg_dtype dtype, omreg_image **out)
{
    return create_ball("omreg_create_circle", backend, 2, shape, radius, dtype, out);
}

omreg_status omreg_create_sphere(const omreg_backend *backend, const size_t shape[3],
                                 ptrdiff_t radius, omreg_dtype dtype, omreg_image **out)
{
    return create_ball("omreg_create_sphere", backend, 3, shape, radius, dtype, out);
}
