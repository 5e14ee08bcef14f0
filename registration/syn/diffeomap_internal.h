/* The struct behind omreg_diffeomap (include/omreg/diffeomap.h), shared by
 * registration/syn/diffeomap.c (lifecycle, fields, inverse, expansion, compositions)
 * and registration/syn/diffeomap_warp.c (image and point warping). Matrices keep
 * DIPY's None (set == 0) apart from the identity; fields are shared by
 * reference between a map, its inverse and its shallow copies. */
#ifndef OMREG_CORE_DIFFEOMAP_INTERNAL_H
#define OMREG_CORE_DIFFEOMAP_INTERNAL_H

#include <stddef.h>

#include "api_run.h"
#include "omreg/diffeomap.h"

/* A matrix or DIPY's None. */
struct dm_matrix {
    int set;
    double m[16];
};

/* A field shared by every map that references it (DIPY shares numpy
 * arrays the same way). refs is touched only by serial code. */
struct dm_field {
    omreg_image *img;
    size_t refs;
};

struct omreg_diffeomap {
    int dim;
    int is_inverse;
    size_t shape[OMREG_DM_GRID_COUNT][3]; /* disp, domain, codomain */
    struct dm_matrix mat[OMREG_DM_MATRIX_COUNT];
    struct dm_field *forward, *backward; /* the stored fields; NULL: None */
};

/* The matrix or NULL (None). */
static inline const double *dm_mat(const struct omreg_diffeomap *map, omreg_diffeomap_matrix w)
{
    return map->mat[w].set ? map->mat[w].m : NULL;
}

/* DIPY's mult_aff: None is the identity, None . None is None. The product
 * (numpy's summation order, omreg_mat_mul) goes to buf. */
const double *omreg_dm_mult_aff(int dim, const double *a, const double *b, double *buf);

/* A caller's matrix argument: NULL (None) stays NULL, the identity tag
 * becomes *is_identity = 1 and NULL, anything else must be a finite
 * invertible affine (ENONFINITE / ESINGULAR). */
omreg_status omreg_dm_check_matrix(const char *fn, const char *what, int dim, const double *a,
                                   int *is_identity);

/* The stored forward (backward != 0) or backward field when this map holds
 * the only reference to it, so that the caller may overwrite it in place;
 * NULL when it is unset or shared. */
omreg_image *omreg_dm_exclusive_field(omreg_diffeomap *map, int backward);

/* omreg_diffeomap_transform_inverse's run for the SyN driver, unchecked:
 * image in the map's field dtype, image_world2grid None (the map's
 * default), out_grid2world a real matrix (not NULL, not the identity
 * tag); writes into out, whose shape is the output grid, and sets its
 * grid2world to out_grid2world. */
void omreg_dm_transform_inverse_run(const omreg_run_ctx *ctx, const omreg_diffeomap *map,
                                    const omreg_image *image, omreg_warp_interp interp,
                                    const double *out_grid2world, omreg_image *out);

/* omreg_diffeomap_transform, omreg_diffeomap_expand_fields and
 * omreg_diffeomap_warp_endomorphism with the registration's thread count
 * given (nthreads >= 1; 0: the backend's default), for the SyN driver and
 * its metrics (api/api_threads.h's convention). Same checks, statuses and
 * results as the public functions, which pass 0. */
omreg_status omreg_diffeomap_transform_threads(const omreg_backend *backend, int nthreads,
                                               const omreg_diffeomap *map,
                                               const omreg_image *image, omreg_warp_interp interp,
                                               const double *image_world2grid,
                                               const size_t *out_shape,
                                               const double *out_grid2world, omreg_image **out);
omreg_status omreg_diffeomap_expand_fields_threads(const omreg_backend *backend, int nthreads,
                                                   omreg_diffeomap *map,
                                                   const double *expand_factors,
                                                   const size_t *new_shape);
omreg_status omreg_diffeomap_warp_endomorphism_threads(const omreg_backend *backend,
                                                       int nthreads, const omreg_diffeomap *map,
                                                       const omreg_diffeomap *phi,
                                                       omreg_diffeomap **out);

#endif
