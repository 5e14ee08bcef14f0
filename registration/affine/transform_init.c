/* Initial alignments of DIPY 1.6 imaffine.py: transform_centers_of_mass,
 * transform_geometric_centers, transform_origins. Each maps one point of
 * each image to world space, c = grid2world * (p, 1), and returns the
 * translation-only affine with column c_moving - c_static. The centre of
 * mass itself is a voxel reduction: the backend's center_of_mass kernel. */
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "backend.h"
#include "error.h"
#include "omreg/transform.h"
#include "transform_init_threads.h"

/* world = g2w * (p, 1): each row summed from 0 in column order, the
 * homogeneous 1 last, as numpy's dot (BLAS dgemv) does for DIPY. */
static void grid_to_world(int dim, const double *g2w, const double *p, double *world)
{
    const int n = dim + 1;
    for (int r = 0; r < dim; ++r) {
        double s = 0.0;
        for (int c = 0; c < dim; ++c)
            s += g2w[r * n + c] * p[c];
        s += g2w[r * n + dim] * 1.0;
        world[r] = s;
    }
}

/* The identity with translation c_moving - c_static. */
static void translation_affine(int dim, const double *c_static, const double *c_moving,
                               double *affine)
{
    const int n = dim + 1;
    for (int i = 0; i < n * n; ++i)
        affine[i] = (i / n == i % n) ? 1.0 : 0.0;
    for (int r = 0; r < dim; ++r)
        affine[r * n + dim] = c_moving[r] - c_static[r];
}

static omreg_status check_pair(const char *fn, const omreg_image *static_img,
                               const omreg_image *moving, const double *affine)
{
    OMREG_RETURN_IF(static_img == NULL || moving == NULL || affine == NULL, OMREG_EINVAL,
                    "%s: NULL %s", fn,
                    static_img == NULL ? "static image" : moving == NULL ? "moving image"
                                                                         : "affine");
    OMREG_RETURN_IF(omreg_image_ndim(static_img) != omreg_image_ndim(moving), OMREG_ESHAPE,
                    "%s: static image is %dD but moving image is %dD", fn,
                    omreg_image_ndim(static_img), omreg_image_ndim(moving));
    return OMREG_OK;
}

/* Grid centre of mass of a scalar float64 image through the backend. */
static omreg_status center_of_mass(int nthreads, const omreg_backend *backend, const char *which,
                                   const omreg_image *img, double *center)
{
    const char *fn = "transform_centers_of_mass";
    const int dim = omreg_image_ndim(img);
    const size_t *shape = omreg_image_shape(img);
    OMREG_RETURN_IF(omreg_image_ncomp(img) != 1, OMREG_ESHAPE,
                    "%s: %s image is a %d-component field, not a scalar image", fn, which,
                    omreg_image_ncomp(img));
    OMREG_RETURN_IF(omreg_image_dtype(img) != OMREG_F64, OMREG_EUNSUPPORTED,
                    "%s: %s image must be float64", fn, which);
    void *mem = omreg_calloc(shape[0], (size_t)(dim + 1) * sizeof(double),
                             "centre-of-mass block partials");
    if (mem == NULL)
        return omreg_calloc_failure();
    double *scratch = mem;
    double sums[4];
    if (dim == 2)
        backend->center_of_mass_2d_f64(nthreads, omreg_image_cdata(img), shape, scratch, sums);
    else
        backend->center_of_mass_3d_f64(nthreads, omreg_image_cdata(img), shape, scratch, sums);
    free(scratch);
    for (int c = 0; c <= dim; ++c)
        OMREG_RETURN_IF(!isfinite(sums[c]), OMREG_ENONFINITE,
                        "%s: %s image has non-finite intensities (or their sums overflow)", fn,
                        which);
    OMREG_RETURN_IF(sums[0] == 0.0, OMREG_EINVAL,
                    "%s: %s image has zero total intensity: its centre of mass is undefined",
                    fn, which);
    /* scipy.ndimage.center_of_mass: sum(I * v_k) / sum(I) */
    for (int k = 0; k < dim; ++k)
        center[k] = sums[1 + k] / sums[0];
    return OMREG_OK;
}

omreg_status omreg_transform_centers_of_mass(const omreg_backend *backend,
                                             const omreg_image *static_img,
                                             const omreg_image *moving, double *affine)
{
    return omreg_transform_centers_of_mass_threads(backend, 0, static_img, moving, affine);
}

omreg_status omreg_transform_centers_of_mass_threads(const omreg_backend *backend, int nthreads,
                                                     const omreg_image *static_img,
                                                     const omreg_image *moving, double *affine)
{
    OMREG_RETURN_IF(backend == NULL, OMREG_EINVAL, "transform_centers_of_mass: NULL backend");
    OMREG_FORWARD(check_pair("transform_centers_of_mass", static_img, moving, affine));
    const int dim = omreg_image_ndim(static_img);
    double gs[3], gm[3], cs[3], cm[3];
    nthreads = omreg_backend_threads(backend, nthreads); /* the call's count, read once */
    OMREG_FORWARD(center_of_mass(nthreads, backend, "static", static_img, gs));
    OMREG_FORWARD(center_of_mass(nthreads, backend, "moving", moving, gm));
    grid_to_world(dim, omreg_image_grid2world(static_img), gs, cs);
    grid_to_world(dim, omreg_image_grid2world(moving), gm, cm);
    translation_affine(dim, cs, cm, affine);
    return OMREG_OK;
}

omreg_status omreg_transform_geometric_centers(const omreg_image *static_img,
                                               const omreg_image *moving, double *affine)
{
    OMREG_FORWARD(check_pair("transform_geometric_centers", static_img, moving, affine));
    const int dim = omreg_image_ndim(static_img);
    double gs[3], gm[3], cs[3], cm[3];
    for (int k = 0; k < dim; ++k) {
        gs[k] = (double)omreg_image_shape(static_img)[k] * 0.5;
        gm[k] = (double)omreg_image_shape(moving)[k] * 0.5;
    }
    grid_to_world(dim, omreg_image_grid2world(static_img), gs, cs);
    grid_to_world(dim, omreg_image_grid2world(moving), gm, cm);
    translation_affine(dim, cs, cm, affine);
    return OMREG_OK;
}

omreg_status omreg_transform_origins(const omreg_image *static_img, const omreg_image *moving,
                                     double *affine)
{
    OMREG_FORWARD(check_pair("transform_origins", static_img, moving, affine));
    const int dim = omreg_image_ndim(static_img), n = dim + 1;
    const double *as = omreg_image_grid2world(static_img), *am = omreg_image_grid2world(moving);
    double cs[3], cm[3];
    for (int r = 0; r < dim; ++r) { /* DIPY reads grid2world[:dim, dim] directly */
        cs[r] = as[r * n + dim];
        cm[r] = am[r * n + dim];
    }
    translation_affine(dim, cs, cm, affine);
    return OMREG_OK;
}
