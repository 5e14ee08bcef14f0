/* The argument checks of api_check.h. */
#include "api_check.h"

#include <math.h>
#include <stdint.h>

omreg_status api_check_image(const char *fn, const omreg_backend *backend,
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

omreg_status api_check_like(const char *fn, const char *what, const omreg_backend *backend,
                            const omreg_image *ref, const char *ref_name,
                            const omreg_image *img, enum api_kind kind, int optional)
{
    if (img == NULL && optional)
        return OMREG_OK;
    OMREG_RETURN_IF(img == NULL, OMREG_EINVAL, "%s: %s is NULL", fn, what);
    OMREG_FORWARD(api_check_image(fn, backend, img, kind));
    OMREG_RETURN_IF(img->ndim != ref->ndim, OMREG_ESHAPE, "%s: %s is %dD but %s is %dD", fn,
                    what, img->ndim, ref_name, ref->ndim);
    for (int d = 0; d < ref->ndim; ++d)
        OMREG_RETURN_IF(img->shape[d] != ref->shape[d], OMREG_ESHAPE,
                        "%s: %s's axis %d has %zu voxels, %s's %zu", fn, what, d,
                        img->shape[d], ref_name, ref->shape[d]);
    OMREG_RETURN_IF(img->dtype != ref->dtype, OMREG_ESHAPE,
                    "%s: %s and %s have different dtypes", fn, what, ref_name);
    return OMREG_OK;
}

omreg_status api_check_shape(const char *fn, int ndim, const size_t *shape, size_t ncomp,
                             size_t elem_size)
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

omreg_status api_check_ndim(const char *fn, int ndim)
{
    OMREG_RETURN_IF(ndim != 2 && ndim != 3, OMREG_ESHAPE, "%s: ndim %d is not 2 or 3", fn, ndim);
    return OMREG_OK;
}

omreg_status api_check_dtype(const char *fn, omreg_dtype dtype)
{
    OMREG_RETURN_IF(dtype != OMREG_F64 && dtype != OMREG_F32, OMREG_EINVAL,
                    "%s: unknown dtype %d", fn, (int)dtype);
    return OMREG_OK;
}

omreg_status api_check_affine_applied(const char *fn, const char *what, int ndim,
                                      const double *a)
{
    OMREG_RETURN_IF(!omreg_mat_is_finite(ndim + 1, a), OMREG_ENONFINITE,
                    "%s: %s has a non-finite entry", fn, what);
    OMREG_RETURN_IF(!omreg_affine_is_valid(ndim, a), OMREG_ESINGULAR,
                    "%s: %s's last row is not (0, ..., 0, 1)", fn, what);
    return OMREG_OK;
}

omreg_status api_check_affine(const char *fn, const char *what, int ndim, const double *a,
                              double *inv)
{
    double scratch[16];
    OMREG_FORWARD(api_check_affine_applied(fn, what, ndim, a));
    omreg_status st = omreg_mat_inverse(ndim + 1, a, inv ? inv : scratch);
    OMREG_RETURN_IF(st != OMREG_OK, st, "%s: %s is not invertible", fn, what);
    return OMREG_OK;
}

omreg_status api_check_finite_affine(const char *fn, const char *what, int ndim,
                                     const double *a)
{
    OMREG_RETURN_IF(a != NULL && !omreg_mat_is_finite(ndim + 1, a), OMREG_ENONFINITE,
                    "%s: %s has a non-finite entry", fn, what);
    return OMREG_OK;
}

omreg_status api_check_points(const char *fn, size_t n, size_t per_point, size_t elem_size)
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

omreg_status api_check_ssd_system(const char *fn, const omreg_backend *backend,
                                  const omreg_image *delta, const omreg_image *sigmasq,
                                  const omreg_image *gradient, const omreg_image *target,
                                  double lambda, const char *out_name, const omreg_image *out)
{
    OMREG_FORWARD(api_check_image(fn, backend, delta, API_SCALAR));
    OMREG_FORWARD(
        api_check_like(fn, "sigmasq", backend, delta, "delta", sigmasq, API_SCALAR, 1));
    OMREG_FORWARD(
        api_check_like(fn, "gradient", backend, delta, "delta", gradient, API_FIELD, 0));
    OMREG_FORWARD(api_check_like(fn, "target", backend, delta, "delta", target, API_FIELD, 1));
    OMREG_FORWARD(api_check_like(fn, out_name, backend, delta, "delta", out, API_FIELD, 0));
    OMREG_RETURN_IF(!isfinite(lambda), OMREG_ENONFINITE, "%s: lambda is not finite", fn);
    OMREG_RETURN_IF(lambda < 0, OMREG_EINVAL, "%s: lambda = %g is negative", fn, lambda);
    const omreg_image *in[4] = {delta, sigmasq, gradient, target};
    static const char *const names[4] = {"delta", "sigmasq", "gradient", "target"};
    for (int q = 0; q < 4; ++q)
        OMREG_RETURN_IF(api_images_overlap(out, in[q]), OMREG_EINVAL, "%s: %s overlaps %s", fn,
                        out_name, names[q]);
    return OMREG_OK;
}

size_t api_image_bytes(const omreg_image *img)
{
    return omreg_image_voxels(img) * (size_t)img->ncomp * omreg_dtype_size(img->dtype);
}

int api_overlaps(const void *a, size_t na, const void *b, size_t nb)
{
    uintptr_t pa = (uintptr_t)a, pb = (uintptr_t)b;
    return na > 0 && nb > 0 && pa < pb + nb && pb < pa + na;
}

int api_images_overlap(const omreg_image *a, const omreg_image *b)
{
    if (a == NULL || b == NULL)
        return 0;
    return api_overlaps(a->data, api_image_bytes(a), b->data, api_image_bytes(b));
}

int api_same_shape(const omreg_image *a, const omreg_image *b)
{
    if (a->ndim != b->ndim)
        return 0;
    for (int k = 0; k < a->ndim; ++k)
        if (a->shape[k] != b->shape[k])
            return 0;
    return 1;
}
