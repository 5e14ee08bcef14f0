/* The public Parzen / mutual-information API (omreg/parzenhist.h): DIPY
 * parzenhist.pyx's ParzenJointHistogram (setup, update_pdfs_*,
 * update_gradient_*), compute_parzen_mi, cubic_spline(_derivative) and
 * sample_domain_regular. Checks and scratch here; the loops are the
 * backend's parzen_* and sample_domain_regular slots. The MI metric of the
 * affine driver (registration/affine/mi_metric.c) uses the same setup, MI
 * and Jacobian callback. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api_check.h"
#include "omreg/parzenhist.h"
#include "parzen_point.h"
#include "transform_point.h"

omreg_status omreg_parzen_setup(int nbins, double smin, double smax, double mmin, double mmax,
                                omreg_parzen_geometry *geom)
{
    static const char fn[] = "omreg_parzen_setup";
    OMREG_RETURN_IF(geom == NULL, OMREG_EINVAL, "%s: geom is NULL", fn);
    OMREG_RETURN_IF(nbins <= 2 * OMREG_PARZEN_PADDING, OMREG_EINVAL,
                    "%s: nbins %d leaves no bin inside the padding (needs > %d)", fn, nbins,
                    2 * OMREG_PARZEN_PADDING);
    OMREG_RETURN_IF(!isfinite(smin) || !isfinite(smax) || !isfinite(mmin) || !isfinite(mmax),
                    OMREG_ENONFINITE, "%s: an intensity bound is not finite", fn);
    OMREG_RETURN_IF(smin > smax || mmin > mmax, OMREG_EINVAL,
                    "%s: min above max (static [%g, %g], moving [%g, %g])", fn, smin, smax, mmin,
                    mmax);
    /* delta = range / (nbins - 2 padding); min = min / delta - padding */
    double bins = nbins - 2 * OMREG_PARZEN_PADDING;
    omreg_parzen_geometry g = {nbins, OMREG_PARZEN_PADDING, 0, 0, 0, 0};
    g.sdelta = (smax - smin) / bins;
    g.mdelta = (mmax - mmin) / bins;
    g.smin = (g.sdelta != 0 ? smin / g.sdelta : 0.0) - OMREG_PARZEN_PADDING;
    g.mmin = (g.mdelta != 0 ? mmin / g.mdelta : 0.0) - OMREG_PARZEN_PADDING;
    *geom = g;
    return OMREG_OK;
}

double omreg_parzen_bin_normalize(double x, double min, double delta)
{
    return parzen_bin_normalize(x, min, delta);
}

ptrdiff_t omreg_parzen_bin_index(double normalized, int nbins, int padding)
{
    return parzen_bin_index(normalized, nbins, padding);
}

/* A geometry the kernels can use: the 5-bin window needs padding 2. */
static omreg_status check_geometry(const char *fn, const omreg_backend *backend,
                                   const omreg_parzen_geometry *g)
{
    OMREG_RETURN_IF(backend == NULL || g == NULL, OMREG_EINVAL, "%s: backend or geom is NULL",
                    fn);
    OMREG_RETURN_IF(g->padding != OMREG_PARZEN_PADDING || g->nbins <= 2 * g->padding,
                    OMREG_EINVAL, "%s: geometry of %d bins with padding %d (needs padding %d "
                    "and more bins than twice that)", fn, g->nbins, g->padding,
                    OMREG_PARZEN_PADDING);
    OMREG_RETURN_IF(!isfinite(g->smin) || !isfinite(g->sdelta) || !isfinite(g->mmin) ||
                        !isfinite(g->mdelta),
                    OMREG_ENONFINITE, "%s: the geometry has a non-finite entry", fn);
    return OMREG_OK;
}

/* static and moving: float64 scalar images of one shape. */
static omreg_status check_pair(const char *fn, const omreg_backend *backend,
                               const omreg_image *s, const omreg_image *m)
{
    OMREG_FORWARD(api_check_image(fn, backend, s, API_SCALAR));
    OMREG_FORWARD(api_check_image(fn, backend, m, API_SCALAR));
    OMREG_RETURN_IF(s->dtype != OMREG_F64 || m->dtype != OMREG_F64, OMREG_ESHAPE,
                    "%s: the images must be float64", fn);
    OMREG_RETURN_IF(s->ndim != m->ndim ||
                        memcmp(s->shape, m->shape, sizeof(size_t) * (size_t)s->ndim) != 0,
                    OMREG_ESHAPE, "%s: the images must have the same shape", fn);
    return OMREG_OK;
}

static omreg_status scratch_alloc(double **scratch, int nthreads, size_t partial)
{
    size_t count;
    OMREG_FORWARD(omreg_size_mul(&count, omreg_parzen_partials(nthreads), partial));
    *scratch = omreg_calloc(count, sizeof(double), "Parzen histogram scratch");
    return *scratch ? OMREG_OK : omreg_calloc_failure();
}

omreg_status omreg_parzen_joint_dense(const omreg_backend *backend,
                                      const omreg_parzen_geometry *geom,
                                      const omreg_image *static_img, const omreg_image *moving_img,
                                      const int *smask, const int *mmask, double *joint,
                                      double *smarginal, double *mmarginal)
{
    static const char fn[] = "omreg_parzen_joint_dense";
    OMREG_FORWARD(check_geometry(fn, backend, geom));
    OMREG_FORWARD(check_pair(fn, backend, static_img, moving_img));
    OMREG_RETURN_IF(joint == NULL || smarginal == NULL || mmarginal == NULL, OMREG_EINVAL,
                    "%s: an output is NULL", fn);
    int nthreads = omreg_backend_threads(backend, 0);
    double *scratch;
    OMREG_FORWARD(scratch_alloc(&scratch, nthreads, omreg_parzen_joint_partial(geom->nbins)));
    /* DIPY: 2D divides by the counted voxels, 3D by the window weights */
    backend->parzen_joint(nthreads, static_img->data, moving_img->data, smask, mmask,
                          omreg_image_voxels(static_img), geom,
                          static_img->ndim == 2 ? OMREG_PARZEN_NORM_BY_COUNT
                                                : OMREG_PARZEN_NORM_BY_WEIGHT,
                          scratch, joint, smarginal, mmarginal);
    free(scratch);
    return OMREG_OK;
}

omreg_status omreg_parzen_joint_sparse(const omreg_backend *backend,
                                       const omreg_parzen_geometry *geom, const double *sval,
                                       const double *mval, size_t n, double *joint,
                                       double *smarginal, double *mmarginal)
{
    static const char fn[] = "omreg_parzen_joint_sparse";
    OMREG_FORWARD(check_geometry(fn, backend, geom));
    OMREG_RETURN_IF((n > 0 && (sval == NULL || mval == NULL)) || joint == NULL ||
                        smarginal == NULL || mmarginal == NULL,
                    OMREG_EINVAL, "%s: an input or output is NULL", fn);
    int nthreads = omreg_backend_threads(backend, 0);
    double *scratch;
    OMREG_FORWARD(scratch_alloc(&scratch, nthreads, omreg_parzen_joint_partial(geom->nbins)));
    backend->parzen_joint(nthreads, sval, mval, NULL, NULL, n, geom, OMREG_PARZEN_NORM_BY_WEIGHT,
                          scratch, joint, smarginal, mmarginal);
    free(scratch);
    return OMREG_OK;
}

/* Transform type valid for dim: *nparams its count. A non-finite theta is
 * allowed: its Jacobian, hence the gradient, is NaN as in DIPY. */
static omreg_status check_transform(const char *fn, omreg_transform_type type, int dim,
                                    const double *theta, int *nparams)
{
    OMREG_RETURN_IF(theta == NULL, OMREG_EINVAL, "%s: theta is NULL", fn);
    return omreg_transform_nparams(type, dim, nparams);
}

omreg_status omreg_parzen_gradient_dense(const omreg_backend *backend,
                                         const omreg_parzen_geometry *geom,
                                         omreg_transform_type type, const double *theta,
                                         const omreg_image *static_img,
                                         const omreg_image *moving_img, const double *grid2world,
                                         const omreg_image *mgradient, const int *smask,
                                         const int *mmask, double *joint_grad)
{
    static const char fn[] = "omreg_parzen_gradient_dense";
    OMREG_FORWARD(check_geometry(fn, backend, geom));
    OMREG_FORWARD(check_pair(fn, backend, static_img, moving_img));
    const int dim = static_img->ndim;
    int nparams;
    OMREG_FORWARD(check_transform(fn, type, dim, theta, &nparams));
    OMREG_RETURN_IF(grid2world == NULL || joint_grad == NULL, OMREG_EINVAL,
                    "%s: grid2world or joint_grad is NULL", fn);
    OMREG_FORWARD(api_check_image(fn, backend, mgradient, API_FIELD));
    OMREG_RETURN_IF(mgradient->ndim != dim ||
                        memcmp(mgradient->shape, static_img->shape,
                               sizeof(size_t) * (size_t)dim) != 0,
                    OMREG_ESHAPE, "%s: mgradient must be a field of the images' shape", fn);
    size_t nvox = omreg_image_voxels(static_img), ngrad = nvox * (size_t)dim;
    int nthreads = omreg_backend_threads(backend, 0);
    double *scratch, *grad64 = NULL;
    OMREG_FORWARD(scratch_alloc(&scratch, nthreads,
                                omreg_parzen_gradient_partial(geom->nbins, nparams)));
    const double *grad = mgradient->data;
    if (mgradient->dtype == OMREG_F32) { /* DIPY's float specialisation: exact widening */
        grad64 = omreg_calloc(ngrad, sizeof(double), "float64 gradient");
        if (grad64 == NULL) {
            free(scratch);
            return omreg_calloc_failure();
        }
        backend->convert_f32_to_f64(nthreads, mgradient->data, ngrad, grad64);
        grad = grad64;
    }
    struct omreg_transform_jacobian_ctx ctx = {type, dim, theta};
    if (dim == 2)
        backend->parzen_gradient_dense_2d(nthreads, static_img->shape, grid2world,
                                          static_img->data, moving_img->data, grad, smask, mmask,
                                          geom, nparams, omreg_transform_jacobian_cb, &ctx,
                                          scratch, joint_grad);
    else
        backend->parzen_gradient_dense_3d(nthreads, static_img->shape, grid2world,
                                          static_img->data, moving_img->data, grad, smask, mmask,
                                          geom, nparams, omreg_transform_jacobian_cb, &ctx,
                                          scratch, joint_grad);
    free(grad64);
    free(scratch);
    return OMREG_OK;
}

omreg_status omreg_parzen_gradient_sparse(const omreg_backend *backend,
                                          const omreg_parzen_geometry *geom,
                                          omreg_transform_type type, int dim,
                                          const double *theta, const double *sval,
                                          const double *mval, const double *points,
                                          const double *mgradient, size_t n, double *joint_grad)
{
    static const char fn[] = "omreg_parzen_gradient_sparse";
    OMREG_FORWARD(check_geometry(fn, backend, geom));
    OMREG_RETURN_IF(dim != 2 && dim != 3, OMREG_EINVAL, "%s: dim %d is not 2 or 3", fn, dim);
    int nparams;
    OMREG_FORWARD(check_transform(fn, type, dim, theta, &nparams));
    OMREG_RETURN_IF((n > 0 && (sval == NULL || mval == NULL || points == NULL ||
                               mgradient == NULL)) ||
                        joint_grad == NULL,
                    OMREG_EINVAL, "%s: an input or output is NULL", fn);
    OMREG_FORWARD(api_check_points(fn, n, (size_t)dim, sizeof(double)));
    int nthreads = omreg_backend_threads(backend, 0);
    double *scratch;
    OMREG_FORWARD(scratch_alloc(&scratch, nthreads,
                                omreg_parzen_gradient_partial(geom->nbins, nparams)));
    struct omreg_transform_jacobian_ctx ctx = {type, dim, theta};
    backend->parzen_gradient_sparse(nthreads, dim, points, n, sval, mval, mgradient, geom,
                                    nparams, omreg_transform_jacobian_cb, &ctx, scratch,
                                    joint_grad);
    free(scratch);
    return OMREG_OK;
}

omreg_status omreg_parzen_mi(const double *joint, size_t nrows, size_t ncols,
                             const double *joint_grad, int nparams, const double *smarginal,
                             const double *mmarginal, double *mi_grad, double *mi)
{
    static const char fn[] = "omreg_parzen_mi";
    OMREG_RETURN_IF(joint == NULL || smarginal == NULL || mmarginal == NULL || mi == NULL,
                    OMREG_EINVAL, "%s: joint, a marginal or mi is NULL", fn);
    OMREG_RETURN_IF(nparams < 0 || (nparams > 0 && joint_grad == NULL), OMREG_EINVAL,
                    "%s: %d parameters with %s joint gradient", fn, nparams,
                    joint_grad ? "a" : "no");
    const double epsilon = 2.2204460492503131e-016; /* DIPY's literal */
    double value = 0;
    if (mi_grad)
        for (int k = 0; k < nparams; ++k)
            mi_grad[k] = 0;
    for (size_t i = 0; i < nrows; ++i)
        for (size_t j = 0; j < ncols; ++j) {
            double p = joint[i * ncols + j];
            if (p < epsilon || mmarginal[j] < epsilon)
                continue;
            /* MI = sum p_ij log(p_ij / (p_i p_j)); dMI = sum dp_ij log(p_ij / p_j) */
            double factor = log(p / mmarginal[j]);
            if (mi_grad)
                for (int k = 0; k < nparams; ++k)
                    mi_grad[k] += joint_grad[(i * ncols + j) * (size_t)nparams + (size_t)k] *
                                  factor;
            if (smarginal[i] > epsilon)
                value += p * (factor - log(smarginal[i]));
        }
    *mi = value;
    return OMREG_OK;
}

omreg_status omreg_parzen_cubic_spline(const omreg_backend *backend, const double *x, size_t n,
                                       int derivative, double *out)
{
    static const char fn[] = "omreg_parzen_cubic_spline";
    OMREG_RETURN_IF(backend == NULL || (n > 0 && (x == NULL || out == NULL)), OMREG_EINVAL,
                    "%s: backend, x or out is NULL", fn);
    if (n > 0)
        backend->parzen_cubic_spline(omreg_backend_threads(backend, 0), x, n, derivative != 0,
                                     out);
    return OMREG_OK;
}

omreg_status omreg_sample_domain_regular(const omreg_backend *backend, int dim,
                                         const size_t *shape, size_t k, const double *grid2world,
                                         double sigma, uint64_t seed, double **points, size_t *m)
{
    static const char fn[] = "omreg_sample_domain_regular";
    OMREG_RETURN_IF(backend == NULL || shape == NULL || grid2world == NULL || points == NULL ||
                        m == NULL,
                    OMREG_EINVAL, "%s: a pointer argument is NULL", fn);
    OMREG_RETURN_IF(dim != 2 && dim != 3, OMREG_EINVAL, "%s: dim %d is not 2 or 3", fn, dim);
    OMREG_RETURN_IF(k == 0, OMREG_EINVAL, "%s: the sampling rate k is 0", fn);
    OMREG_RETURN_IF(!isfinite(sigma), OMREG_EINVAL, "%s: sigma is not finite", fn);
    /* DIPY's is_valid_affine: finite; a singular matrix still samples */
    OMREG_RETURN_IF(!omreg_mat_is_finite(dim + 1, grid2world), OMREG_ENONFINITE,
                    "%s: grid2world has a non-finite entry", fn);
    OMREG_FORWARD(api_check_shape(fn, dim, shape, 1, 1));
    size_t voxels = 1;
    for (int d = 0; d < dim; ++d)
        voxels *= shape[d]; /* fits: api_check_shape bounded the product */
    size_t count = voxels / k;
    double *out = NULL;
    if (count > 0) {
        OMREG_FORWARD(api_check_points(fn, count, (size_t)dim, sizeof(double)));
        out = omreg_calloc(count * (size_t)dim, sizeof(double), "samples");
        if (out == NULL)
            return omreg_calloc_failure();
        backend->sample_domain_regular(omreg_backend_threads(backend, 0), dim, shape, k,
                                       grid2world, seed, sigma, count, out);
    }
    *points = out;
    *m = count;
    return OMREG_OK;
}
