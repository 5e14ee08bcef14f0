/* The diffeomorphic map of DIPY 1.6 (dipy/align/imwarp.py
 * DiffeomorphicMap): a pre-alignment affine P followed by a displacement
 * field on its own grid (disp_shape, disp_grid2world R), with a forward
 * field (domain -> codomain) and a backward field (its inverse), and the
 * default grids images are sampled on (domain: shape + grid2world D;
 * codomain: shape + grid2world C). Forward warping (DIPY _warp_forward):
 *     warped[i] = image[W forward(R^-1 P S i) + W P S i]
 * backward warping (DIPY _warp_backward):
 *     warped[i] = image[W P^-1 backward(R^-1 S i) + W P^-1 S i]
 * with W the image's world-to-grid and S the sampling grid's grid-to-world.
 *
 * Matrices are (dim+1)x(dim+1), row-major; NULL is DIPY's None, which is
 * NOT the same as an identity matrix: a None product is skipped and a None
 * index affine reads the field at the voxel itself, exactly as DIPY
 * (mult_aff), so results are bitwise those of the same DIPY calls whenever
 * the matrix products and inverses agree (omreg_mat_mul sums in numpy's
 * order; omreg_mat_inverse is Gauss-Jordan, numpy's is LAPACK's LU, so
 * oblique inverses can differ in the last bits). Every matrix handed to
 * the map must be a finite, invertible affine (last row 0..0 1): DIPY
 * inverts the constructor's matrices and never checks the others; omreg
 * checks them all (OMREG_ENONFINITE / OMREG_ESINGULAR).
 *
 * Fields are omreg displacement fields (ncomp = dim) in world units;
 * DIPY's `floating` is float32, and float64 fields work the same way
 * (every kernel has both types). A map holds its fields by reference:
 * omreg_diffeomap_inverse and omreg_diffeomap_shallow_copy share them
 * (as DIPY shares numpy arrays) and the last map freed frees them; maps
 * sharing fields must be created, modified and freed from one thread at a
 * time (the sharing count is not atomic); read-only use from several
 * threads is fine. Every call that fails leaves the map and its outputs
 * untouched and frees what it allocated. */
#ifndef OMREG_DIFFEOMAP_H
#define OMREG_DIFFEOMAP_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"
#include "omreg/warp.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct omreg_diffeomap omreg_diffeomap;

/** Tag array behind OMREG_DIFFEOMAP_IDENTITY (16 NaNs, so that any other
 * omreg function that is handed it by mistake reports OMREG_ENONFINITE). */
extern const double omreg_diffeomap_identity_tag[16];

/** DIPY's 'identity' string (interpret_matrix): pass it for the
 * image_world2grid or out_grid2world of a transform to mean the identity
 * INSTEAD of the map's default (NULL, DIPY's None, means "use the
 * default"). Recognised by address; in the other matrix arguments of this
 * header (create, points) it means the same as NULL, and any other omreg
 * function handed it reports OMREG_ENONFINITE. */
#define OMREG_DIFFEOMAP_IDENTITY (omreg_diffeomap_identity_tag)

/** The map's matrices, as DIPY's attributes of the same names. */
typedef enum omreg_diffeomap_matrix {
    OMREG_DM_DISP_GRID2WORLD = 0,
    OMREG_DM_DISP_WORLD2GRID,
    OMREG_DM_DOMAIN_GRID2WORLD,
    OMREG_DM_DOMAIN_WORLD2GRID,
    OMREG_DM_CODOMAIN_GRID2WORLD,
    OMREG_DM_CODOMAIN_WORLD2GRID,
    OMREG_DM_PREALIGN,
    OMREG_DM_PREALIGN_INV,
    OMREG_DM_MATRIX_COUNT
} omreg_diffeomap_matrix;

/** The map's grid shapes. */
typedef enum omreg_diffeomap_grid {
    OMREG_DM_DISP = 0,
    OMREG_DM_DOMAIN,
    OMREG_DM_CODOMAIN,
    OMREG_DM_GRID_COUNT
} omreg_diffeomap_grid;

/** DiffeomorphicMap(dim, disp_shape, disp_grid2world, domain_shape,
 * domain_grid2world, codomain_shape, codomain_grid2world, prealign):
 * shapes have dim entries (domain_shape NULL: disp_shape; codomain_shape
 * NULL: domain_shape, as DIPY); matrices may be NULL (None) and their
 * inverses are computed here. The map has no fields yet (allocate or set
 * them). *out is set only on success; free with omreg_diffeomap_free.
 * Returns OMREG_EINVAL (NULL disp_shape or out), OMREG_ESHAPE (dim not 2
 * or 3, a zero axis), OMREG_EOVERFLOW (an axis above INT_MAX, DIPY's int32
 * shapes, or a field size that overflows), OMREG_ENONFINITE,
 * OMREG_ESINGULAR (a matrix that is not an invertible affine) or
 * OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_create(int dim, const size_t *disp_shape,
                                              const double *disp_grid2world,
                                              const size_t *domain_shape,
                                              const double *domain_grid2world,
                                              const size_t *codomain_shape,
                                              const double *codomain_grid2world,
                                              const double *prealign, omreg_diffeomap **out);

/** Free the map and, when no other map shares them, its fields. NULL is a
 * no-op. */
OMREG_API void omreg_diffeomap_free(omreg_diffeomap *map);

/** 2 or 3 (0 for NULL). */
OMREG_API int omreg_diffeomap_dim(const omreg_diffeomap *map);

/** 1 when the map is the inverse of the one it was made from (DIPY's
 * is_inverse): transform then warps backward and transform_inverse
 * forward. 0 for NULL. */
OMREG_API int omreg_diffeomap_is_inverse(const omreg_diffeomap *map);

/** The shape of a grid (dim entries, owned by the map, valid until the map
 * changes), or NULL for NULL map or an unknown grid. */
OMREG_API const size_t *omreg_diffeomap_shape(const omreg_diffeomap *map,
                                              omreg_diffeomap_grid grid);

/** One of the map's matrices ((dim+1)^2 row-major, owned by the map, valid
 * until the map changes), or NULL when it is None (or for NULL map or an
 * unknown id). */
OMREG_API const double *omreg_diffeomap_matrix_get(const omreg_diffeomap *map,
                                                   omreg_diffeomap_matrix which);

/** DiffeomorphicMap.allocate: replace both fields by zero fields of
 * disp_shape and the given dtype (DIPY: float32), with grid2world =
 * disp_grid2world (identity if None). Other maps sharing the old fields
 * keep them. Returns OMREG_EINVAL (NULL map, unknown dtype) or
 * OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_allocate(omreg_diffeomap *map, omreg_dtype dtype);

/** The stored forward field (DIPY's `forward` attribute, which does not
 * depend on is_inverse), or NULL when not set (or map is NULL). Owned by
 * the map (shared with its inverse and copies); valid until the map's
 * fields change or the last map sharing it is freed. */
OMREG_API const omreg_image *omreg_diffeomap_forward(const omreg_diffeomap *map);

/** The stored backward field (DIPY's `backward`); as
 * omreg_diffeomap_forward. */
OMREG_API const omreg_image *omreg_diffeomap_backward(const omreg_diffeomap *map);

/** DIPY get_forward_field: the field that warps in this map's forward
 * direction (the stored backward one when is_inverse), or NULL when not
 * set. Owned by the map, as omreg_diffeomap_forward. */
OMREG_API const omreg_image *omreg_diffeomap_get_forward_field(const omreg_diffeomap *map);

/** DIPY get_backward_field: the field that warps in this map's backward
 * direction (the stored forward one when is_inverse), or NULL when not
 * set. Owned by the map, as omreg_diffeomap_forward. */
OMREG_API const omreg_image *omreg_diffeomap_get_backward_field(const omreg_diffeomap *map);

/** Set the stored forward field (DIPY `map.forward = field`) to a copy of
 * `field` (the map owns the copy, with field's grid2world; field stays the
 * caller's), or unset it with NULL. The field must have the map's dim, dim
 * components and disp_shape; any dtype. Other maps sharing the old field
 * keep it. Returns OMREG_EINVAL (NULL map), OMREG_ESHAPE (dim, components
 * or shape mismatch) or OMREG_ENOMEM; the map is unchanged on failure. */
OMREG_API omreg_status omreg_diffeomap_set_forward(omreg_diffeomap *map, const omreg_image *field);

/** Set the stored backward field (DIPY `map.backward = field`); as
 * omreg_diffeomap_set_forward, same statuses. */
OMREG_API omreg_status omreg_diffeomap_set_backward(omreg_diffeomap *map, const omreg_image *field);

/** The owning setter (what DIPY's `map.forward = field` does with a
 * numpy array, which it never copies): the map takes `*field` as its
 * stored forward field without copying it, with the same checks as
 * omreg_diffeomap_set_forward. On success `*field` becomes the previously
 * stored field when no other map shared it (now the caller's, to free or
 * to reuse as a buffer of the same shape and dtype), else NULL. Returns
 * OMREG_EINVAL (NULL map, field or *field), OMREG_ESHAPE or OMREG_ENOMEM;
 * on failure the map is unchanged and `*field` is still the caller's. */
OMREG_API omreg_status omreg_diffeomap_exchange_forward(omreg_diffeomap *map, omreg_image **field);

/** As omreg_diffeomap_exchange_forward, for the stored backward field. */
OMREG_API omreg_status omreg_diffeomap_exchange_backward(omreg_diffeomap *map, omreg_image **field);

/** DiffeomorphicMap.transform: warp the scalar `image` (the map's dim; any
 * dtype, converted to the field's as DIPY converts to `floating`) in this
 * map's forward direction (backward when is_inverse), linear or nearest.
 * image_world2grid: NULL = DIPY's default (codomain_world2grid forward,
 * domain_world2grid backward), OMREG_DIFFEOMAP_IDENTITY = identity, else
 * the image's world-to-grid. out_shape (dim entries): NULL = domain_shape
 * forward, codomain_shape backward. out_grid2world: NULL = domain (forward)
 * / codomain (backward) grid2world, OMREG_DIFFEOMAP_IDENTITY = identity.
 * The image's own grid2world is not read (as DIPY, which takes the
 * world-to-grid as this argument). The field is interpolated linearly
 * (zero outside it) and the image linearly or nearest (zero outside it).
 * On success *out is a new scalar image of out_shape, the field's dtype,
 * with grid2world = the sampling grid's (identity when None); owned by
 * the caller. Returns OMREG_EINVAL (NULL argument, unknown interp, the
 * field needed is not set), OMREG_ESHAPE (image not scalar or of another
 * dim; zero out_shape axis; with every index affine None the field is read
 * at the output voxels and must cover out_shape: DIPY would read past it),
 * OMREG_EOVERFLOW, OMREG_ENONFINITE, OMREG_ESINGULAR (a matrix argument)
 * or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_transform(const omreg_backend *backend,
                                                 const omreg_diffeomap *map,
                                                 const omreg_image *image, omreg_warp_interp interp,
                                                 const double *image_world2grid,
                                                 const size_t *out_shape,
                                                 const double *out_grid2world, omreg_image **out);

/** DiffeomorphicMap.transform_inverse: as omreg_diffeomap_transform in the
 * other direction (backward, or forward when is_inverse), with that
 * direction's defaults. Same ownership and statuses. */
OMREG_API omreg_status omreg_diffeomap_transform_inverse(const omreg_backend *backend,
                                                         const omreg_diffeomap *map,
                                                         const omreg_image *image,
                                                         omreg_warp_interp interp,
                                                         const double *image_world2grid,
                                                         const size_t *out_shape,
                                                         const double *out_grid2world,
                                                         omreg_image **out);

/** DiffeomorphicMap.transform_points (DIPY warp_coordinates): map n points
 * (n x dim doubles) given in coordinates whose coord-to-world is
 * coord2world (NULL or OMREG_DIFFEOMAP_IDENTITY: world) through the map's
 * forward direction (backward when is_inverse), into coordinates whose
 * world-to-coord is world2coord (NULL: world). Forward:
 * out = world2coord (P c2w p + forward(R^-1 P c2w p)); backward:
 * out = world2coord P^-1 (c2w p + backward(R^-1 c2w p)). out (n x dim,
 * the caller's) may be points itself; n = 0 does nothing. Returns
 * OMREG_EINVAL (NULL argument, the field needed is not set, out partially
 * overlapping points), OMREG_EOVERFLOW, OMREG_ENONFINITE or
 * OMREG_ESINGULAR. */
OMREG_API omreg_status omreg_diffeomap_transform_points(const omreg_backend *backend,
                                                        const omreg_diffeomap *map,
                                                        const double *points, size_t n,
                                                        const double *coord2world,
                                                        const double *world2coord, double *out);

/** DiffeomorphicMap.transform_points_inverse: as
 * omreg_diffeomap_transform_points in the other direction (backward, or
 * forward when is_inverse). Same statuses. */
OMREG_API omreg_status omreg_diffeomap_transform_points_inverse(const omreg_backend *backend,
    const omreg_diffeomap *map, const double *points, size_t n, const double *coord2world,
    const double *world2coord, double *out);

/** DiffeomorphicMap.inverse: a new map with the same grids, prealign and
 * (shared) fields whose is_inverse flag is flipped, so its transform is
 * this map's transform_inverse and vice versa (the roles of forward and
 * backward, P and P^-1, domain and codomain swap). DIPY 1.6 always sets
 * is_inverse = True, so there the inverse of an inverse is still the
 * inverse; omreg flips it (map.inverse().inverse() behaves as map). *out
 * is set only on success (free with omreg_diffeomap_free). Returns
 * OMREG_EINVAL or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_inverse(const omreg_diffeomap *map, omreg_diffeomap **out);

/** DiffeomorphicMap.shallow_copy: a new map equal to this one, sharing its
 * fields. Returns OMREG_EINVAL or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_shallow_copy(const omreg_diffeomap *map,
                                                    omreg_diffeomap **out);

/** DiffeomorphicMap.expand_fields: resample both stored fields onto a grid
 * of new_shape (DIPY resample_displacement_field: field(diag(factors) x),
 * vectors unchanged), then disp_shape = new_shape, disp_grid2world =
 * disp_grid2world . diag(factors, 1) (diag(factors, 1) when None, as DIPY's
 * mult_aff) and disp_world2grid its inverse. Other maps sharing the old
 * fields keep them. Returns OMREG_EINVAL (NULL argument, a field not set),
 * OMREG_ESHAPE (zero axis), OMREG_EOVERFLOW, OMREG_ENONFINITE (a factor),
 * OMREG_ESINGULAR (a zero factor: the new grid2world is singular) or
 * OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_expand_fields(const omreg_backend *backend,
                                                     omreg_diffeomap *map,
                                                     const double *expand_factors,
                                                     const size_t *new_shape);

/** DiffeomorphicMap.compute_inversion_error: the stored backward field
 * composed with the stored forward one (DIPY compose_vector_fields(
 * backward, forward, None, disp_world2grid, 1), whatever is_inverse):
 * residual[x] = backward[x] + forward(x + R^-1 backward[x]), zero where
 * the interpolation leaves the field. When residual is not NULL it
 * receives a new field of backward's shape and dtype (grid2world =
 * disp_grid2world), owned by the caller; when stats is not NULL it
 * receives {max, mean, std} of the residual norms as
 * omreg_compose_vector_fields computes them (canonical summation order).
 * Returns OMREG_EINVAL (NULL backend or map, a field not set),
 * OMREG_ESHAPE (fields of different dtypes or dims) or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_compute_inversion_error(const omreg_backend *backend,
    const omreg_diffeomap *map, omreg_image **residual, double stats[3]);

/** DiffeomorphicMap.warp_endomorphism: the map C(x) = phi(map(x)), with
 * C^-1(y) = map^-1(phi^-1(y)): a shallow copy of `map` (its grids,
 * prealign and is_inverse) whose forward-direction field is
 * compose(map fwd, phi fwd, None, disp_world2grid, 1) and backward-direction
 * field compose(phi bwd, map bwd, None, disp_world2grid, 1), where "fwd" /
 * "bwd" are get_forward_field / get_backward_field. phi is assumed to be an
 * endomorphism on the same displacement grid with no prealign (as DIPY;
 * only its fields are read). DIPY 1.6 stores the first composition as the
 * raw `forward` even when map is an inverse, so its result then warps
 * with C^-1; omreg stores it as the forward-direction field (raw backward
 * when is_inverse). *out is set only on success. Returns OMREG_EINVAL
 * (NULL argument, a field not set), OMREG_ESHAPE (dims or dtypes differ)
 * or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_warp_endomorphism(const omreg_backend *backend,
                                                         const omreg_diffeomap *map,
                                                         const omreg_diffeomap *phi,
                                                         omreg_diffeomap **out);

/** DiffeomorphicMap.get_simplified_transform: fold the affines into the
 * fields (DIPY simplify_warp_function): a new map with every matrix None,
 * disp_shape as this map's, the same domain / codomain shapes and
 * is_inverse, a forward field on the domain grid
 * (simplify(forward, R^-1 P D, C^-1 P D, C^-1, domain_shape)) and a
 * backward field on the codomain grid (simplify(backward, R^-1 C,
 * D^-1 P^-1 C, D^-1 P^-1, codomain_shape)), so that warping with it on
 * the default grids equals warping with this map up to interpolation of
 * the field. DIPY 1.6 uses C^-1 for C in the backward part (a typo fixed
 * upstream in commit 948c45dd); omreg follows the fix. DIPY also drops
 * is_inverse here; omreg keeps it, so the result represents the same
 * transform. The result's fields have the domain and codomain shapes,
 * not disp_shape. *out is set only on success. Returns OMREG_EINVAL (NULL
 * argument, a field not set), OMREG_ESHAPE (with every index affine None
 * the field is read at the output voxels, so its shape must equal the
 * domain / codomain shape: DIPY would read past it), OMREG_EOVERFLOW or
 * OMREG_ENOMEM. */
OMREG_API omreg_status omreg_diffeomap_get_simplified_transform(const omreg_backend *backend,
    const omreg_diffeomap *map, omreg_diffeomap **out);

#ifdef __cplusplus
}
#endif
#endif
