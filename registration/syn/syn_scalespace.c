/* The scale space of DIPY's SymmetricDiffeomorphicRegistration
 * (scalespace.ScaleSpace, anisotropic, on the float32 images that
 * optimize() passes after astype(floating)): unlike omreg/scalespace.h,
 * which normalises float64 images in double, every normalisation here is
 * numpy's float32 arithmetic: (x - np.min(x)) / (np.max(x) - np.min(x)) with
 * float32 scalars. Grid arithmetic here; voxel loops through the backend. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "api_threads.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/matrix.h"
#include "omreg/smooth.h"
#include "syn_internal.h"

void syn_scale_space_free(syn_scale_space *ss)
{
    if (ss == NULL)
        return;
    for (int i = 0; i < ss->nlevels; ++i)
        omreg_image_free(ss->levels[i].image);
    free(ss);
}

omreg_status syn_normalize_f32(const omreg_run_ctx *ctx, const float *x, size_t n, float *out,
                               const char *what)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    double range[3], *scratch = NULL;
    scratch = omreg_calloc(3 * omreg_reduce_blocks(n) + 3, sizeof(double), "range scratch");
    if (scratch == NULL)
        return omreg_calloc_failure();
    b->syn_range_f32(nthreads, x, n, scratch, range);
    free(scratch);
    OMREG_RETURN_IF(range[2] > 0 || !isfinite(range[0]) || !isfinite(range[1]),
                    OMREG_ENONFINITE, "%s has NaN or infinite intensities", what);
    /* np.min / np.max of a float32 array are float32; so is their difference */
    const float lo = (float)range[0], hi = (float)range[1];
    const float span = hi - lo;
    OMREG_RETURN_IF(!(span > 0), OMREG_ENONFINITE,
                    "%s is constant (%g): it cannot be normalised to [0, 1]", what, range[0]);
    b->normalize_f32(nthreads, x, n, lo, span, out);
    return OMREG_OK;
}

/* affine = grid2world . diag(scaling, 1) (numpy's dot order) */
static void scaled_affine(int dim, const double *g2w, const double *scaling, double *affine)
{
    double diag[16];
    omreg_mat_identity(dim + 1, diag);
    for (int d = 0; d < dim; ++d)
        diag[d * (dim + 1) + d] = scaling[d];
    omreg_mat_mul(dim + 1, g2w, diag, affine);
}

omreg_status syn_scale_space_create(const omreg_run_ctx *ctx, const omreg_image *image, int nlevels,
                                    const double *spacing, double sigma_factor,
                                    syn_scale_space **out)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    const int dim = image->ndim, n1 = dim + 1;
    const size_t n = omreg_image_voxels(image);
    syn_scale_space *ss = omreg_calloc(1, sizeof *ss, "scale space");
    if (ss == NULL)
        return omreg_calloc_failure();
    ss->dim = dim;
    omreg_status st = OMREG_OK;
    double min_spacing = spacing[0];
    for (int d = 1; d < dim; ++d)
        min_spacing = fmin(min_spacing, spacing[d]);
    omreg_image *filtered = NULL;
    for (int i = 0; st == OMREG_OK && i < nlevels; ++i) {
        syn_level *l = &ss->levels[i];
        double scaling[3] = {1, 1, 1};
        for (int d = 0; d < dim; ++d) {
            if (i == 0) { /* the input's own grid */
                l->shape[d] = image->shape[d];
                l->spacing[d] = spacing[d];
                l->scaling[d] = 1.0;
                l->sigmas[d] = 0.0;
                continue;
            }
            /* scaling = 2^i * min_spacing / spacing; output_spacing = spacing * scaling */
            scaling[d] = ldexp(1.0, i) * min_spacing / spacing[d];
            const double out_spacing = spacing[d] * scaling[d];
            /* output_size = (input_size * (input_spacing / output_spacing) + 0.5).astype(int32) */
            l->shape[d] = (size_t)((double)image->shape[d] * (spacing[d] / out_spacing) + 0.5);
            l->spacing[d] = out_spacing;
            l->scaling[d] = scaling[d];
            l->sigmas[d] = sigma_factor * (out_spacing / spacing[d] - 1.0);
            if (l->shape[d] == 0)
                st = omreg_fail(OMREG_ESHAPE,
                                "scale space: level %d has an empty axis %d (%zu voxels at "
                                "scaling %g)", i, d, image->shape[d], scaling[d]);
        }
        if (i == 0)
            memcpy(l->affine, image->grid2world, sizeof(double) * (size_t)(n1 * n1));
        else
            scaled_affine(dim, image->grid2world, scaling, l->affine);
        if (st == OMREG_OK)
            st = omreg_mat_inverse(n1, l->affine, l->affine_inv);
        if (st == OMREG_OK)
            st = omreg_image_create(&l->image, dim, image->shape, 1, OMREG_F32, image->grid2world);
        if (st != OMREG_OK)
            break;
        ss->nlevels = i + 1;
        if (i == 0) {
            st = syn_normalize_f32(ctx, image->data, n, l->image->data, "the image");
        } else {
            st = omreg_gaussian_filter_threads(b, nthreads, image, l->sigmas,
                                               OMREG_SMOOTH_REFLECT, 0.0, OMREG_SMOOTH_TRUNCATE,
                                               &filtered);
            if (st == OMREG_OK)
                st = syn_normalize_f32(ctx, filtered->data, n, l->image->data,
                                       "a smoothed level of the image");
            omreg_image_free(filtered);
            filtered = NULL;
        }
    }
    if (st != OMREG_OK) {
        syn_scale_space_free(ss);
        return st;
    }
    *out = ss;
    return OMREG_OK;
}
