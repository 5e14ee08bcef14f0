/* Argument checks shared by the serial public entry points (interpolate,
 * gradient, resample, stats): each records a message naming the calling
 * function and returns the status the public headers document. O(1) work:
 * entry points never loop over voxels or points. */
#ifndef OMREG_CORE_API_CHECK_H
#define OMREG_CORE_API_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "alloc.h"
#include "backend.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/matrix.h"

/* What kind of image an entry point accepts. */
enum api_kind { API_SCALAR, API_FIELD, API_ANY };

/* backend and img non-NULL (EINVAL); img scalar / field as required (ESHAPE). */
static inline omreg_status api_check_image(const char *fn, const omreg_backend *backend,
                                           const omreg_image *img, enum api_kind kind)
{
    OMREG_RETURN_IF(backend == NULL, OMREG_EINVAL, "%s: backend is NULL", fn);
    OMREG_RETURN_IF(img == NULL, OMREG_EINVAL, "%s: image is NULL", fn);
    OMREG_RETURN_IF(kind == API_SCALAR && img->ncomp != 1, OMREG_ESHAPE,
                    "%s: expected a scalar image, got a %d-component field", fn, img->ncomp);
    OMREG_RETURN_IF(kind == API_FIELD && img->ncomp != img->ndim, OMREG_ESHAPE,
                    "%s: expected a %d-component field, got a scalar image", fn, img->ndim);
    return OMREG_OK;
}

/* An output grid shape of ndim axes: non-NULL (EINVAL), no zero axis
 * (ESHAPE), and voxels * ncomp * elem_size bytes fit size_t (EOVERFLOW). */
static inline omreg_status api_check_shape(const char *fn, int ndim, const size_t *shape,
                                           size_t ncomp, size_t elem_size)
{
    OMREG_RETURN_IF(shape == NULL, OMREG_EINVAL, "%s: out_shape is NULL", fn);
    size_t bytes = ncomp * elem_size;
    for (int d = 0; d < ndim; ++d)
        OMREG_RETURN_IF(shape[d] == 0, OMREG_ESHAPE, "%s: out_shape axis %d has size 0", fn, d);
    for (int d = 0; d < ndim; ++d)
        OMREG_RETURN_IF(omreg_size_mul(&bytes, bytes, shape[d]) != OMREG_OK, OMREG_EOVERFLOW,
                        "%s: the output of %d axes does not fit size_t (axis %d: %zu)", fn, ndim,
                        d, shape[d]);
    return OMREG_OK;
}

/* A (ndim+1)x(ndim+1) affine: finite (ENONFINITE), last row (0, ..., 0, 1)
 * (ESINGULAR) and invertible (ESINGULAR). The inverse goes to inv when it
 * is not NULL. */
/* a is finite with the last row (0, ..., 0, 1); it may be singular (DIPY's
 * is_valid_affine, for the maps that only apply a: affine resampling). */
static inline omreg_status api_check_affine_applied(const char *fn, const char *what, int ndim,
                                                    const double *a)
{
    OMREG_RETURN_IF(!omreg_mat_is_finite(ndim + 1, a), OMREG_ENONFINITE,
                    "%s: %s has a non-finite entry", fn, what);
    OMREG_RETURN_IF(!omreg_affine_is_valid(ndim, a), OMREG_ESINGULAR,
                    "%s: %s's last row is not (0, ..., 0, 1)", fn, what);
    return OMREG_OK;
}

static inline omreg_status api_check_affine(const char *fn, const char *what, int ndim,
                                            const double *a, double *inv)
{
    double scratch[16];
    OMREG_FORWARD(api_check_affine_applied(fn, what, ndim, a));
    omreg_status st = omreg_mat_inverse(ndim + 1, a, inv ? inv : scratch);
    OMREG_RETURN_IF(st != OMREG_OK, st, "%s: %s is not invertible", fn, what);
    return OMREG_OK;
}

/* n points of `per_point` values: n * per_point * max(sizeof(double),
 * elem_size) bytes must fit size_t (EOVERFLOW), so every index the kernel
 * forms is representable. */
static inline omreg_status api_check_points(const char *fn, size_t n, size_t per_point,
                                            size_t elem_size)
{
    size_t bytes;
    size_t widest = elem_size > sizeof(double) ? elem_size : sizeof(double);
    omreg_status st = omreg_size_mul(&bytes, n, per_point);
    if (st == OMREG_OK)
        st = omreg_size_mul(&bytes, bytes, widest);
    OMREG_RETURN_IF(st != OMREG_OK, st, "%s: %zu points x %zu values overflow size_t", fn, n,
                    per_point);
    return OMREG_OK;
}

#endif
