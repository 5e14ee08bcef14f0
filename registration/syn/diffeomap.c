/* DIPY 1.6 imwarp.DiffeomorphicMap (include/omreg/diffeomap.h): creation
 * with DIPY's defaults and None rules, shared fields, allocate / set,
 * inverse, shallow_copy, expand_fields, compute_inversion_error,
 * warp_endomorphism and get_simplified_transform. Serial O(1) code: every
 * loop over voxels is an existing entry point (omreg_compose_vector_fields,
 * omreg_simplify_warp_function, omreg_resample_displacement_field), which
 * calls the backend table. Image and point warping: diffeomap_warp.c. */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api_check.h"
#include "api_threads.h"
#include "diffeomap_internal.h"
#include "omreg/vector_fields.h"
#include "omreg/warp.h"

const double omreg_diffeomap_identity_tag[16] = {NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN,
                                                 NAN, NAN, NAN, NAN, NAN, NAN, NAN, NAN};

const double *omreg_dm_mult_aff(int dim, const double *a, const double *b, double *buf)
{
    if (a == NULL)
        return b;
    if (b == NULL)
        return a;
    omreg_mat_mul(dim + 1, a, b, buf);
    return buf;
}

omreg_status omreg_dm_check_matrix(const char *fn, const char *what, int dim, const double *a,
                                   int *is_identity)
{
    if (is_identity)
        *is_identity = 0;
    if (a == NULL)
        return OMREG_OK;
    if (a == omreg_diffeomap_identity_tag) {
        if (is_identity)
            *is_identity = 1;
        return OMREG_OK;
    }
    return api_check_affine(fn, what, dim, a, NULL);
}

/* ---- shared fields -------------------------------------------------------- */

/* Wrap img (taken over only on success) in a new shared field, refs = 1. */
static omreg_status field_new(omreg_image *img, struct dm_field **out)
{
    void *mem = omreg_calloc(1, sizeof(struct dm_field), "diffeomorphic map field");
    if (mem == NULL)
        return omreg_calloc_failure();
    struct dm_field *f = mem;
    f->img = img;
    f->refs = 1;
    *out = f;
    return OMREG_OK;
}

/* Like field_new, but frees img on failure. */
static omreg_status field_adopt(omreg_image *img, struct dm_field **out)
{
    omreg_status st = field_new(img, out);
    if (st != OMREG_OK)
        omreg_image_free(img);
    return st;
}

static struct dm_field *field_retain(struct dm_field *f)
{
    if (f)
        ++f->refs;
    return f;
}

static void field_release(struct dm_field *f)
{
    if (f && --f->refs == 0) {
        omreg_image_free(f->img);
        free(f);
    }
}

static const omreg_image *field_img(const struct dm_field *f) { return f ? f->img : NULL; }

/* Replace *slot by f (owned reference), releasing the old one. */
static void field_assign(struct dm_field **slot, struct dm_field *f)
{
    field_release(*slot);
    *slot = f;
}

/* ---- creation ------------------------------------------------------------- */

static omreg_status check_grid(const char *fn, const char *what, int dim, const size_t *shape)
{
    size_t bytes = (size_t)dim * sizeof(double);
    for (int d = 0; d < dim; ++d) {
        OMREG_RETURN_IF(shape[d] == 0, OMREG_ESHAPE, "%s: %s axis %d has size 0", fn, what, d);
        OMREG_RETURN_IF(shape[d] > (size_t)INT_MAX, OMREG_EOVERFLOW,
                        "%s: %s axis %d = %zu exceeds DIPY's int32 shapes", fn, what, d,
                        shape[d]);
        OMREG_RETURN_IF(omreg_size_mul(&bytes, bytes, shape[d]) != OMREG_OK, OMREG_EOVERFLOW,
                        "%s: a field on the %s grid does not fit size_t", fn, what);
    }
    return OMREG_OK;
}

/* A constructor matrix: None (NULL or the identity tag) or an invertible
 * affine, stored with its inverse (DIPY: npl.inv). */
static omreg_status store_pair(const char *fn, const char *what, int dim, const double *a,
                               struct dm_matrix *fwd, struct dm_matrix *inv)
{
    fwd->set = inv->set = 0;
    if (a == NULL || a == omreg_diffeomap_identity_tag)
        return OMREG_OK;
    const size_t n = (size_t)(dim + 1) * (size_t)(dim + 1);
    OMREG_FORWARD(api_check_affine(fn, what, dim, a, inv->m));
    memcpy(fwd->m, a, n * sizeof(double));
    fwd->set = inv->set = 1;
    return OMREG_OK;
}

omreg_status omreg_diffeomap_create(int dim, const size_t *disp_shape,
                                    const double *disp_grid2world, const size_t *domain_shape,
                                    const double *domain_grid2world,
                                    const size_t *codomain_shape,
                                    const double *codomain_grid2world, const double *prealign,
                                    omreg_diffeomap **out)
{
    static const char fn[] = "omreg_diffeomap_create";
    OMREG_RETURN_IF(out == NULL, OMREG_EINVAL, "%s: out is NULL", fn);
    OMREG_RETURN_IF(disp_shape == NULL, OMREG_EINVAL,
                    "%s: invalid displacement field discretization (disp_shape is NULL)", fn);
    OMREG_RETURN_IF(dim != 2 && dim != 3, OMREG_ESHAPE, "%s: dim %d is not 2 or 3", fn, dim);
    /* DIPY: domain_shape None -> disp_shape, codomain_shape None -> domain */
    const size_t *dom = domain_shape ? domain_shape : disp_shape;
    const size_t *cod = codomain_shape ? codomain_shape : dom;
    OMREG_FORWARD(check_grid(fn, "disp_shape", dim, disp_shape));
    OMREG_FORWARD(check_grid(fn, "domain_shape", dim, dom));
    OMREG_FORWARD(check_grid(fn, "codomain_shape", dim, cod));

    struct omreg_diffeomap tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.dim = dim;
    for (int d = 0; d < 3; ++d) {
        tmp.shape[OMREG_DM_DISP][d] = d < dim ? disp_shape[d] : 1;
        tmp.shape[OMREG_DM_DOMAIN][d] = d < dim ? dom[d] : 1;
        tmp.shape[OMREG_DM_CODOMAIN][d] = d < dim ? cod[d] : 1;
    }
    OMREG_FORWARD(store_pair(fn, "disp_grid2world", dim, disp_grid2world,
                             &tmp.mat[OMREG_DM_DISP_GRID2WORLD],
                             &tmp.mat[OMREG_DM_DISP_WORLD2GRID]));
    OMREG_FORWARD(store_pair(fn, "domain_grid2world", dim, domain_grid2world,
                             &tmp.mat[OMREG_DM_DOMAIN_GRID2WORLD],
                             &tmp.mat[OMREG_DM_DOMAIN_WORLD2GRID]));
    OMREG_FORWARD(store_pair(fn, "codomain_grid2world", dim, codomain_grid2world,
                             &tmp.mat[OMREG_DM_CODOMAIN_GRID2WORLD],
                             &tmp.mat[OMREG_DM_CODOMAIN_WORLD2GRID]));
    OMREG_FORWARD(store_pair(fn, "prealign", dim, prealign, &tmp.mat[OMREG_DM_PREALIGN],
                             &tmp.mat[OMREG_DM_PREALIGN_INV]));

    void *mem = omreg_calloc(1, sizeof tmp, "diffeomorphic map");
    if (mem == NULL)
        return omreg_calloc_failure();
    memcpy(mem, &tmp, sizeof tmp);
    *out = mem;
    return OMREG_OK;
}

void omreg_diffeomap_free(omreg_diffeomap *map)
{
    if (map == NULL)
        return;
    field_release(map->forward);
    field_release(map->backward);
    free(map);
}

/* A new map equal to src with its own references to src's fields. */
static omreg_status dm_clone(const omreg_diffeomap *src, omreg_diffeomap **out)
{
    void *mem = omreg_calloc(1, sizeof *src, "diffeomorphic map");
    if (mem == NULL)
        return omreg_calloc_failure();
    omreg_diffeomap *m = mem;
    memcpy(m, src, sizeof *src);
    field_retain(m->forward);
    field_retain(m->backward);
    *out = m;
    return OMREG_OK;
}

/* ---- accessors ------------------------------------------------------------ */

int omreg_diffeomap_dim(const omreg_diffeomap *map) { return map ? map->dim : 0; }

int omreg_diffeomap_is_inverse(const omreg_diffeomap *map) { return map ? map->is_inverse : 0; }

const size_t *omreg_diffeomap_shape(const omreg_diffeomap *map, omreg_diffeomap_grid grid)
{
    if (map == NULL || (int)grid < 0 || grid >= OMREG_DM_GRID_COUNT)
        return NULL;
    return map->shape[grid];
}

const double *omreg_diffeomap_matrix_get(const omreg_diffeomap *map,
                                         omreg_diffeomap_matrix which)
{
    if (map == NULL || (int)which < 0 || which >= OMREG_DM_MATRIX_COUNT)
        return NULL;
    return dm_mat(map, which);
}

const omreg_image *omreg_diffeomap_forward(const omreg_diffeomap *map)
{
    return map ? field_img(map->forward) : NULL;
}

const omreg_image *omreg_diffeomap_backward(const omreg_diffeomap *map)
{
    return map ? field_img(map->backward) : NULL;
}

const omreg_image *omreg_diffeomap_get_forward_field(const omreg_diffeomap *map)
{
    if (map == NULL)
        return NULL;
    return field_img(map->is_inverse ? map->backward : map->forward);
}

const omreg_image *omreg_diffeomap_get_backward_field(const omreg_diffeomap *map)
{
    if (map == NULL)
        return NULL;
    return field_img(map->is_inverse ? map->forward : map->backward);
}

/* ---- fields --------------------------------------------------------------- */

omreg_status omreg_diffeomap_allocate(omreg_diffeomap *map, omreg_dtype dtype)
{
    static const char fn[] = "omreg_diffeomap_allocate";
    OMREG_RETURN_IF(map == NULL, OMREG_EINVAL, "%s: map is NULL", fn);
    OMREG_RETURN_IF(dtype != OMREG_F32 && dtype != OMREG_F64, OMREG_EINVAL,
                    "%s: unknown dtype %d", fn, (int)dtype);
    const double *g2w = dm_mat(map, OMREG_DM_DISP_GRID2WORLD);
    omreg_image *f = NULL, *b = NULL;
    struct dm_field *ff = NULL, *fb = NULL;
    omreg_status st =
        omreg_image_create(&f, map->dim, map->shape[OMREG_DM_DISP], map->dim, dtype, g2w);
    if (st == OMREG_OK)
        st = omreg_image_create(&b, map->dim, map->shape[OMREG_DM_DISP], map->dim, dtype, g2w);
    if (st == OMREG_OK) {
        st = field_adopt(f, &ff);
        f = NULL;
    }
    if (st == OMREG_OK) {
        st = field_adopt(b, &fb);
        b = NULL;
    }
    if (st != OMREG_OK) {
        omreg_image_free(f);
        omreg_image_free(b);
        field_release(ff);
        return st;
    }
    field_assign(&map->forward, ff);
    field_assign(&map->backward, fb);
    return OMREG_OK;
}

/* field has the map's dim, dim components and disp_shape */
static omreg_status check_field(const char *fn, const omreg_diffeomap *map,
                                const omreg_image *field)
{
    OMREG_RETURN_IF(field->ndim != map->dim || field->ncomp != map->dim, OMREG_ESHAPE,
                    "%s: expected a %dD field of %d components, got %dD with %d", fn, map->dim,
                    map->dim, field->ndim, field->ncomp);
    for (int d = 0; d < map->dim; ++d)
        OMREG_RETURN_IF(field->shape[d] != map->shape[OMREG_DM_DISP][d], OMREG_ESHAPE,
                        "%s: field axis %d has %zu voxels, disp_shape has %zu", fn, d,
                        field->shape[d], map->shape[OMREG_DM_DISP][d]);
    return OMREG_OK;
}

static omreg_status set_field(const char *fn, omreg_diffeomap *map, const omreg_image *field,
                              struct dm_field **slot)
{
    OMREG_RETURN_IF(map == NULL, OMREG_EINVAL, "%s: map is NULL", fn);
    if (field == NULL) {
        field_assign(slot, NULL);
        return OMREG_OK;
    }
    OMREG_FORWARD(check_field(fn, map, field));
    omreg_image *copy = NULL;
    OMREG_FORWARD(omreg_image_create(&copy, field->ndim, field->shape, field->ncomp,
                                     field->dtype, field->grid2world));
    /* sizes were checked when field was created */
    memcpy(copy->data, field->data,
           omreg_image_voxels(field) * (size_t)field->ncomp * omreg_dtype_size(field->dtype));
    struct dm_field *f = NULL;
    OMREG_FORWARD(field_adopt(copy, &f));
    field_assign(slot, f);
    return OMREG_OK;
}

omreg_status omreg_diffeomap_set_forward(omreg_diffeomap *map, const omreg_image *field)
{
    return set_field("omreg_diffeomap_set_forward", map, field, map ? &map->forward : NULL);
}

omreg_status omreg_diffeomap_set_backward(omreg_diffeomap *map, const omreg_image *field)
{
    return set_field("omreg_diffeomap_set_backward", map, field, map ? &map->backward : NULL);
}

/* The owning setter: *field goes into the slot without a copy; the old
 * field comes back in *field when no other map shares it (its dm_field
 * record is reused, so nothing is allocated), else *field = NULL. */
static omreg_status exchange_field(const char *fn, omreg_diffeomap *map, omreg_image **field,
                                   struct dm_field **slot)
{
    OMREG_RETURN_IF(map == NULL || field == NULL || *field == NULL, OMREG_EINVAL,
                    "%s: NULL argument", fn);
    OMREG_FORWARD(check_field(fn, map, *field));
    if (*slot != NULL && (*slot)->refs == 1) {
        omreg_image *old = (*slot)->img;
        (*slot)->img = *field;
        *field = old;
        return OMREG_OK;
    }
    struct dm_field *f = NULL;
    OMREG_FORWARD(field_new(*field, &f)); /* *field stays the caller's on failure */
    field_assign(slot, f);
    *field = NULL;
    return OMREG_OK;
}

omreg_status omreg_diffeomap_exchange_forward(omreg_diffeomap *map, omreg_image **field)
{
    return exchange_field("omreg_diffeomap_exchange_forward", map, field,
                          map ? &map->forward : NULL);
}

omreg_status omreg_diffeomap_exchange_backward(omreg_diffeomap *map, omreg_image **field)
{
    return exchange_field("omreg_diffeomap_exchange_backward", map, field,
                          map ? &map->backward : NULL);
}

omreg_image *omreg_dm_exclusive_field(omreg_diffeomap *map, int backward)
{
    struct dm_field *f = backward ? map->backward : map->forward;
    return f != NULL && f->refs == 1 ? f->img : NULL;
}

/* ---- inverse and copies --------------------------------------------------- */

omreg_status omreg_diffeomap_inverse(const omreg_diffeomap *map, omreg_diffeomap **out)
{
    static const char fn[] = "omreg_diffeomap_inverse";
    OMREG_RETURN_IF(map == NULL || out == NULL, OMREG_EINVAL, "%s: NULL argument", fn);
    omreg_diffeomap *inv = NULL;
    OMREG_FORWARD(dm_clone(map, &inv));
    /* DIPY 1.6 sets is_inverse = True; flipping makes inverse() an involution */
    inv->is_inverse = !map->is_inverse;
    *out = inv;
    return OMREG_OK;
}

omreg_status omreg_diffeomap_shallow_copy(const omreg_diffeomap *map, omreg_diffeomap **out)
{
    OMREG_RETURN_IF(map == NULL || out == NULL, OMREG_EINVAL,
                    "omreg_diffeomap_shallow_copy: NULL argument");
    return dm_clone(map, out);
}

/* ---- expand_fields -------------------------------------------------------- */

omreg_status omreg_diffeomap_expand_fields(const omreg_backend *backend, omreg_diffeomap *map,
                                           const double *expand_factors,
                                           const size_t *new_shape)
{
    return omreg_diffeomap_expand_fields_threads(backend, 0, map, expand_factors, new_shape);
}

omreg_status omreg_diffeomap_expand_fields_threads(const omreg_backend *backend, int nthreads,
                                                   omreg_diffeomap *map,
                                                   const double *expand_factors,
                                                   const size_t *new_shape)
{
    static const char fn[] = "omreg_diffeomap_expand_fields";
    OMREG_RETURN_IF(backend == NULL || map == NULL || expand_factors == NULL ||
                        new_shape == NULL,
                    OMREG_EINVAL, "%s: NULL argument", fn);
    OMREG_RETURN_IF(map->forward == NULL || map->backward == NULL, OMREG_EINVAL,
                    "%s: the forward and backward fields must be set", fn);
    const int dim = map->dim, n = dim + 1;
    for (int d = 0; d < dim; ++d) {
        OMREG_RETURN_IF(!isfinite(expand_factors[d]), OMREG_ENONFINITE,
                        "%s: expand factor %d is not finite", fn, d);
        OMREG_RETURN_IF(expand_factors[d] == 0.0, OMREG_ESINGULAR,
                        "%s: expand factor %d is zero (singular grid2world)", fn, d);
    }
    OMREG_FORWARD(check_grid(fn, "new_shape", dim, new_shape));

    /* expanded_grid2world = mult_aff(disp_grid2world, diag(factors, 1)) */
    double diag[16], prod[16];
    omreg_mat_identity(n, diag);
    for (int d = 0; d < dim; ++d)
        diag[d * n + d] = expand_factors[d];
    const double *g2w = omreg_dm_mult_aff(dim, dm_mat(map, OMREG_DM_DISP_GRID2WORLD), diag, prod);
    struct dm_matrix eg2w, ew2g;
    OMREG_FORWARD(store_pair(fn, "the expanded grid2world", dim, g2w, &eg2w,
                             &ew2g));

    omreg_image *f = NULL, *b = NULL;
    struct dm_field *ff = NULL, *fb = NULL;
    nthreads = omreg_backend_threads(backend, nthreads); /* both fields on one count */
    omreg_status st = omreg_resample_displacement_field_threads(
        backend, nthreads, map->forward->img, expand_factors, new_shape, &f);
    if (st == OMREG_OK)
        st = omreg_resample_displacement_field_threads(backend, nthreads, map->backward->img,
                                                       expand_factors, new_shape, &b);
    if (st == OMREG_OK)
        st = omreg_image_set_grid2world(f, eg2w.m);
    if (st == OMREG_OK)
        st = omreg_image_set_grid2world(b, eg2w.m);
    if (st == OMREG_OK) {
        st = field_adopt(f, &ff);
        f = NULL;
    }
    if (st == OMREG_OK) {
        st = field_adopt(b, &fb);
        b = NULL;
    }
    if (st != OMREG_OK) {
        omreg_image_free(f);
        omreg_image_free(b);
        field_release(ff);
        return st;
    }
    field_assign(&map->forward, ff);
    field_assign(&map->backward, fb);
    for (int d = 0; d < dim; ++d)
        map->shape[OMREG_DM_DISP][d] = new_shape[d];
    map->mat[OMREG_DM_DISP_GRID2WORLD] = eg2w;
    map->mat[OMREG_DM_DISP_WORLD2GRID] = ew2g;
    return OMREG_OK;
}

/* ---- compositions --------------------------------------------------------- */

/* A new field image like `like` (shape, dtype) with grid2world g2w. */
static omreg_status field_like(const omreg_image *like, const double *g2w, omreg_image **out)
{
    return omreg_image_create(out, like->ndim, like->shape, like->ncomp, like->dtype, g2w);
}

omreg_status omreg_diffeomap_compute_inversion_error(const omreg_backend *backend,
                                                     const omreg_diffeomap *map,
                                                     omreg_image **residual, double stats[3])
{
    static const char fn[] = "omreg_diffeomap_compute_inversion_error";
    OMREG_RETURN_IF(backend == NULL || map == NULL, OMREG_EINVAL, "%s: NULL argument", fn);
    OMREG_RETURN_IF(map->forward == NULL || map->backward == NULL, OMREG_EINVAL,
                    "%s: the forward and backward fields must be set", fn);
    const omreg_image *fwd = map->forward->img, *bwd = map->backward->img;
    omreg_image *comp = NULL;
    OMREG_FORWARD(field_like(bwd, dm_mat(map, OMREG_DM_DISP_GRID2WORLD), &comp));
    double st3[3];
    /* DIPY: compose(backward, forward, None, disp_world2grid, 1.0) */
    omreg_status st = omreg_compose_vector_fields(
        backend, bwd, fwd, NULL, dm_mat(map, OMREG_DM_DISP_WORLD2GRID), 1.0, comp, st3);
    if (st != OMREG_OK) {
        omreg_image_free(comp);
        return st;
    }
    if (stats)
        memcpy(stats, st3, sizeof st3);
    if (residual)
        *residual = comp;
    else
        omreg_image_free(comp);
    return OMREG_OK;
}

omreg_status omreg_diffeomap_warp_endomorphism(const omreg_backend *backend,
                                               const omreg_diffeomap *map,
                                               const omreg_diffeomap *phi,
                                               omreg_diffeomap **out)
{
    return omreg_diffeomap_warp_endomorphism_threads(backend, 0, map, phi, out);
}

omreg_status omreg_diffeomap_warp_endomorphism_threads(const omreg_backend *backend,
                                                       int nthreads, const omreg_diffeomap *map,
                                                       const omreg_diffeomap *phi,
                                                       omreg_diffeomap **out)
{
    static const char fn[] = "omreg_diffeomap_warp_endomorphism";
    OMREG_RETURN_IF(backend == NULL || map == NULL || phi == NULL || out == NULL, OMREG_EINVAL,
                    "%s: NULL argument", fn);
    OMREG_RETURN_IF(phi->dim != map->dim, OMREG_ESHAPE, "%s: map is %dD but phi is %dD", fn,
                    map->dim, phi->dim);
    const omreg_image *d1 = omreg_diffeomap_get_forward_field(map);
    const omreg_image *d2 = omreg_diffeomap_get_forward_field(phi);
    const omreg_image *d1_inv = omreg_diffeomap_get_backward_field(map);
    const omreg_image *d2_inv = omreg_diffeomap_get_backward_field(phi);
    OMREG_RETURN_IF(d1 == NULL || d2 == NULL || d1_inv == NULL || d2_inv == NULL, OMREG_EINVAL,
                    "%s: the forward and backward fields of map and phi must be set", fn);
    const double *g2w = dm_mat(map, OMREG_DM_DISP_GRID2WORLD);
    const double *w2g = dm_mat(map, OMREG_DM_DISP_WORLD2GRID);

    omreg_image *fwd = NULL, *bwd = NULL;
    omreg_diffeomap *res = NULL;
    struct dm_field *ff = NULL, *fb = NULL;
    omreg_status st = field_like(d1, g2w, &fwd);
    if (st == OMREG_OK)
        st = field_like(d2_inv, g2w, &bwd);
    nthreads = omreg_backend_threads(backend, nthreads); /* both compositions on one count */
    if (st == OMREG_OK)
        st = omreg_compose_vector_fields_threads(backend, nthreads, d1, d2, NULL, w2g, 1.0, fwd,
                                                 NULL);
    if (st == OMREG_OK)
        st = omreg_compose_vector_fields_threads(backend, nthreads, d2_inv, d1_inv, NULL, w2g,
                                                 1.0, bwd, NULL);
    if (st == OMREG_OK) {
        st = field_adopt(fwd, &ff);
        fwd = NULL;
    }
    if (st == OMREG_OK) {
        st = field_adopt(bwd, &fb);
        bwd = NULL;
    }
    if (st == OMREG_OK)
        st = dm_clone(map, &res); /* DIPY: self.shallow_copy() */
    if (st != OMREG_OK) {
        omreg_image_free(fwd);
        omreg_image_free(bwd);
        field_release(ff);
        field_release(fb);
        return st;
    }
    /* the composition warps in res's forward direction: the stored backward
     * field when res is an inverse (DIPY 1.6 always stores it as forward) */
    field_assign(res->is_inverse ? &res->backward : &res->forward, ff);
    field_assign(res->is_inverse ? &res->forward : &res->backward, fb);
    *out = res;
    return OMREG_OK;
}

omreg_status omreg_diffeomap_get_simplified_transform(const omreg_backend *backend,
                                                      const omreg_diffeomap *map,
                                                      omreg_diffeomap **out)
{
    static const char fn[] = "omreg_diffeomap_get_simplified_transform";
    OMREG_RETURN_IF(backend == NULL || map == NULL || out == NULL, OMREG_EINVAL,
                    "%s: NULL argument", fn);
    OMREG_RETURN_IF(map->forward == NULL || map->backward == NULL, OMREG_EINVAL,
                    "%s: the forward and backward fields must be set", fn);
    const int dim = map->dim;
    const double *Rinv = dm_mat(map, OMREG_DM_DISP_WORLD2GRID);
    double b1[16], b2[16], b3[16], b4[16], b5[16], b6[16], b7[16];

    /* forward: in = Rinv P D, out = Cinv P D, disp = Cinv, on the domain */
    const double *D = dm_mat(map, OMREG_DM_DOMAIN_GRID2WORLD);
    const double *P = dm_mat(map, OMREG_DM_PREALIGN);
    const double *Cinv = dm_mat(map, OMREG_DM_CODOMAIN_WORLD2GRID);
    const double *PD = omreg_dm_mult_aff(dim, P, D, b1);
    const double *f_in = omreg_dm_mult_aff(dim, Rinv, PD, b2);
    const double *f_out = omreg_dm_mult_aff(dim, Cinv, PD, b3);

    /* backward: in = Rinv C, out = Dinv Pinv C, disp = Dinv Pinv, on the
     * codomain (C = codomain_grid2world: DIPY 1.6 reads world2grid here,
     * fixed upstream in 948c45dd) */
    const double *C = dm_mat(map, OMREG_DM_CODOMAIN_GRID2WORLD);
    const double *Pinv = dm_mat(map, OMREG_DM_PREALIGN_INV);
    const double *Dinv = dm_mat(map, OMREG_DM_DOMAIN_WORLD2GRID);
    const double *b_in = omreg_dm_mult_aff(dim, Rinv, C, b4);
    const double *PinvC = omreg_dm_mult_aff(dim, Pinv, C, b5);
    const double *b_out = omreg_dm_mult_aff(dim, Dinv, PinvC, b6);
    const double *b_disp = omreg_dm_mult_aff(dim, Dinv, Pinv, b7);

    omreg_image *nf = NULL, *nb = NULL;
    struct dm_field *ff = NULL, *fb = NULL;
    omreg_diffeomap *res = NULL;
    omreg_status st = omreg_simplify_warp_function(backend, map->forward->img, f_in, f_out, Cinv,
                                                   map->shape[OMREG_DM_DOMAIN], &nf);
    if (st == OMREG_OK)
        st = omreg_simplify_warp_function(backend, map->backward->img, b_in, b_out, b_disp,
                                          map->shape[OMREG_DM_CODOMAIN], &nb);
    if (st == OMREG_OK) {
        st = field_adopt(nf, &ff);
        nf = NULL;
    }
    if (st == OMREG_OK) {
        st = field_adopt(nb, &fb);
        nb = NULL;
    }
    if (st == OMREG_OK)
        st = omreg_diffeomap_create(dim, map->shape[OMREG_DM_DISP], NULL,
                                    map->shape[OMREG_DM_DOMAIN], NULL,
                                    map->shape[OMREG_DM_CODOMAIN], NULL, NULL, &res);
    if (st != OMREG_OK) {
        omreg_image_free(nf);
        omreg_image_free(nb);
        field_release(ff);
        field_release(fb);
        return st;
    }
    res->is_inverse = map->is_inverse; /* DIPY drops it; the same transform keeps it */
    res->forward = ff;
    res->backward = fb;
    *out = res;
    return OMREG_OK;
}
