/* Image and point warping of the diffeomorphic map (DIPY 1.6 imwarp.py
 * DiffeomorphicMap._warp_forward / _warp_backward and
 * _warp_coordinates_forward / _backward): resolve DIPY's defaults and
 * 'identity' overrides, chain the affines with mult_aff in DIPY's order,
 * and call omreg_warp / omreg_warp_coordinates (backend kernels). Forward:
 *   in = Dinv (P S), out = W (P S), disp = W;
 * backward:
 *   in = Dinv S, out = W (Pinv S), disp = W Pinv. */
#include <string.h>

#include "api_check.h"
#include "api_run.h"
#include "api_threads.h"
#include "diffeomap_internal.h"
#include "omreg/warp.h"

/* image in the field's dtype: DIPY's np.asarray(image, dtype=floating) (a
 * value-preserving cast: float32 -> float64 exactly, float64 -> float32
 * rounded to nearest as numpy's astype) through the backend's pointwise
 * kernels; *conv is NULL when no conversion is needed. */
static omreg_status convert_image(const omreg_run_ctx *ctx, const omreg_image *image,
                                  omreg_dtype dtype, omreg_image **conv)
{
    const omreg_backend *backend = ctx->backend;
    const int nthreads = ctx->nthreads;
    *conv = NULL;
    if (image->dtype == dtype)
        return OMREG_OK;
    omreg_image *c = NULL;
    OMREG_FORWARD(omreg_image_create(&c, image->ndim, image->shape, 1, dtype, image->grid2world));
    const size_t n = omreg_image_voxels(image);
    if (dtype == OMREG_F32)
        backend->normalize_f64_to_f32(nthreads, image->data, n, 0.0, 1.0,
                                      c->data); /* (x - 0) / 1 = x */
    else
        backend->convert_f32_to_f64(nthreads, image->data, n, c->data);
    *conv = c;
    return OMREG_OK;
}

/* The three index matrices of _warp_forward (forward = 1) or
 * _warp_backward from the resolved W (image world2grid) and S (output
 * grid2world); b1..b4 hold the products. */
static void warp_matrices(const omreg_diffeomap *map, int forward, const double *W,
                          const double *S, double *b1, double *b2, double *b3, double *b4,
                          const double **in, const double **outm, const double **disp)
{
    const int dim = map->dim;
    const double *Dinv = dm_mat(map, OMREG_DM_DISP_WORLD2GRID);
    if (forward) {
        const double *PS = omreg_dm_mult_aff(dim, dm_mat(map, OMREG_DM_PREALIGN), S, b1);
        *in = omreg_dm_mult_aff(dim, Dinv, PS, b2);
        *outm = omreg_dm_mult_aff(dim, W, PS, b3);
        *disp = W;
    } else {
        const double *Pinv = dm_mat(map, OMREG_DM_PREALIGN_INV);
        *in = omreg_dm_mult_aff(dim, Dinv, S, b1);
        const double *PinvS = omreg_dm_mult_aff(dim, Pinv, S, b2);
        *outm = omreg_dm_mult_aff(dim, W, PinvS, b3);
        *disp = omreg_dm_mult_aff(dim, W, Pinv, b4);
    }
}

void omreg_dm_transform_inverse_run(const omreg_run_ctx *ctx, const omreg_diffeomap *map,
                                    const omreg_image *image, omreg_warp_interp interp,
                                    const double *out_grid2world, omreg_image *out)
{
    const int forward = map->is_inverse;
    const struct dm_field *field = forward ? map->forward : map->backward;
    const double *W =
        dm_mat(map, forward ? OMREG_DM_CODOMAIN_WORLD2GRID : OMREG_DM_DOMAIN_WORLD2GRID);
    double b1[16], b2[16], b3[16], b4[16];
    const double *in, *outm, *disp;
    warp_matrices(map, forward, W, out_grid2world, b1, b2, b3, b4, &in, &outm, &disp);
    omreg_warp_run(ctx, image, field->img, in, outm, disp, interp, out);
    memcpy(out->grid2world, out_grid2world,
           sizeof(double) * (size_t)(map->dim + 1) * (size_t)(map->dim + 1));
}

/* DIPY's _warp_forward (forward = 1) or _warp_backward (forward = 0), on
 * nthreads threads (0: the backend's default). */
static omreg_status warp_image(const char *fn, const omreg_backend *backend, int nthreads,
                               const omreg_diffeomap *map, int forward,
                               const omreg_image *image, omreg_warp_interp interp,
                               const double *image_world2grid, const size_t *out_shape,
                               const double *out_grid2world, omreg_image **out)
{
    OMREG_RETURN_IF(backend == NULL || map == NULL || image == NULL || out == NULL,
                    OMREG_EINVAL, "%s: NULL argument", fn);
    OMREG_RETURN_IF(image->ncomp != 1, OMREG_ESHAPE,
                    "%s: expected a scalar image, got a %d-component field", fn, image->ncomp);
    OMREG_RETURN_IF(image->ndim != map->dim, OMREG_ESHAPE, "%s: the map is %dD, the image %dD",
                    fn, map->dim, image->ndim);
    OMREG_RETURN_IF(interp != OMREG_WARP_LINEAR && interp != OMREG_WARP_NEAREST, OMREG_EINVAL,
                    "%s: unknown interpolation %d", fn, (int)interp);
    const struct dm_field *field = forward ? map->forward : map->backward;
    OMREG_RETURN_IF(field == NULL, OMREG_EINVAL,
                    "%s: the %s field is not set (allocate or set it first)", fn,
                    forward ? "forward" : "backward");
    int w_id, s_id;
    OMREG_FORWARD(omreg_dm_check_matrix(fn, "image_world2grid", map->dim, image_world2grid,
                                        &w_id));
    OMREG_FORWARD(omreg_dm_check_matrix(fn, "out_grid2world", map->dim, out_grid2world, &s_id));

    /* None -> the direction's default; 'identity' -> None (interpret_matrix) */
    const double *W = image_world2grid, *S = out_grid2world;
    if (w_id)
        W = NULL;
    else if (W == NULL)
        W = dm_mat(map, forward ? OMREG_DM_CODOMAIN_WORLD2GRID : OMREG_DM_DOMAIN_WORLD2GRID);
    if (s_id)
        S = NULL;
    else if (S == NULL)
        S = dm_mat(map, forward ? OMREG_DM_DOMAIN_GRID2WORLD : OMREG_DM_CODOMAIN_GRID2WORLD);
    if (out_shape == NULL)
        out_shape = map->shape[forward ? OMREG_DM_DOMAIN : OMREG_DM_CODOMAIN];
    double b1[16], b2[16], b3[16], b4[16];
    const double *in, *outm, *disp;
    warp_matrices(map, forward, W, S, b1, b2, b3, b4, &in, &outm, &disp);

    omreg_image *conv = NULL, *res = NULL;
    const omreg_run_ctx ctx = omreg_run_ctx_of(backend, nthreads);
    OMREG_FORWARD(convert_image(&ctx, image, field->img->dtype, &conv));
    omreg_status st = omreg_warp_threads(backend, ctx.nthreads, conv ? conv : image, field->img,
                                         in, outm, disp, out_shape, interp, &res);
    omreg_image_free(conv);
    if (st == OMREG_OK && S != NULL)
        st = omreg_image_set_grid2world(res, S);
    if (st != OMREG_OK) {
        omreg_image_free(res);
        return st;
    }
    *out = res;
    return OMREG_OK;
}

omreg_status omreg_diffeomap_transform(const omreg_backend *backend,
                                       const omreg_diffeomap *map, const omreg_image *image,
                                       omreg_warp_interp interp, const double *image_world2grid,
                                       const size_t *out_shape, const double *out_grid2world,
                                       omreg_image **out)
{
    return omreg_diffeomap_transform_threads(backend, 0, map, image, interp, image_world2grid,
                                             out_shape, out_grid2world, out);
}

omreg_status omreg_diffeomap_transform_threads(const omreg_backend *backend, int nthreads,
                                               const omreg_diffeomap *map,
                                               const omreg_image *image, omreg_warp_interp interp,
                                               const double *image_world2grid,
                                               const size_t *out_shape,
                                               const double *out_grid2world, omreg_image **out)
{
    return warp_image("omreg_diffeomap_transform", backend, nthreads, map,
                      map ? !map->is_inverse : 1, image, interp, image_world2grid, out_shape,
                      out_grid2world, out);
}

omreg_status omreg_diffeomap_transform_inverse(const omreg_backend *backend,
                                               const omreg_diffeomap *map,
                                               const omreg_image *image,
                                               omreg_warp_interp interp,
                                               const double *image_world2grid,
                                               const size_t *out_shape,
                                               const double *out_grid2world,
                                               omreg_image **out)
{
    return warp_image("omreg_diffeomap_transform_inverse", backend, 0, map,
                      map ? map->is_inverse : 0, image, interp, image_world2grid, out_shape,
                      out_grid2world, out);
}

/* DIPY's _warp_coordinates_forward (forward = 1) or _backward (0). */
static omreg_status warp_points(const char *fn, const omreg_backend *backend,
                                const omreg_diffeomap *map, int forward, const double *points,
                                size_t n, const double *coord2world, const double *world2coord,
                                double *out)
{
    OMREG_RETURN_IF(backend == NULL || map == NULL, OMREG_EINVAL, "%s: NULL argument", fn);
    const struct dm_field *field = forward ? map->forward : map->backward;
    OMREG_RETURN_IF(field == NULL, OMREG_EINVAL,
                    "%s: the %s field is not set (allocate or set it first)", fn,
                    forward ? "forward" : "backward");
    const int dim = map->dim;
    int id;
    OMREG_FORWARD(omreg_dm_check_matrix(fn, "coord2world", dim, coord2world, &id));
    if (id)
        coord2world = NULL;
    OMREG_FORWARD(omreg_dm_check_matrix(fn, "world2coord", dim, world2coord, &id));
    if (id)
        world2coord = NULL;
    double buf[16];
    const double *in2world, *world2out;
    if (forward) {
        in2world = omreg_dm_mult_aff(dim, dm_mat(map, OMREG_DM_PREALIGN), coord2world, buf);
        world2out = world2coord;
    } else {
        in2world = coord2world;
        world2out = omreg_dm_mult_aff(dim, world2coord, dm_mat(map, OMREG_DM_PREALIGN_INV), buf);
    }
    return omreg_warp_coordinates(backend, field->img, points, n, in2world, world2out,
                                  dm_mat(map, OMREG_DM_DISP_WORLD2GRID), out);
}

omreg_status omreg_diffeomap_transform_points(const omreg_backend *backend,
                                              const omreg_diffeomap *map, const double *points,
                                              size_t n, const double *coord2world,
                                              const double *world2coord, double *out)
{
    return warp_points("omreg_diffeomap_transform_points", backend, map,
                       map ? !map->is_inverse : 1, points, n, coord2world, world2coord, out);
}

omreg_status omreg_diffeomap_transform_points_inverse(const omreg_backend *backend,
                                                      const omreg_diffeomap *map,
                                                      const double *points, size_t n,
                                                      const double *coord2world,
                                                      const double *world2coord, double *out)
{
    return warp_points("omreg_diffeomap_transform_points_inverse", backend, map,
                       map ? map->is_inverse : 0, points, n, coord2world, world2coord, out);
}
