/* Scale spaces (DIPY scalespace.py ScaleSpace, IsotropicScaleSpace): grid
 * arithmetic here, every voxel loop (range, normalisation, smoothing)
 * through the backend table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "api_threads.h"
#include "backend.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/matrix.h"
#include "omreg/scalespace.h"
#include "omreg/smooth.h"
#include "scalespace_threads.h"

#define MAX_LEVELS 32

typedef struct level {
    omreg_image *image; /* float32, input resolution */
    size_t shape[3];
    double spacing[3], scaling[3], sigmas[3];
    double affine[16];
} level;

struct omreg_scale_space {
    int nlevels;
    level levels[MAX_LEVELS];
};

void omreg_scale_space_free(omreg_scale_space *ss)
{
    if (ss == NULL)
        return;
    for (int i = 0; i < ss->nlevels; ++i)
        omreg_image_free(ss->levels[i].image);
    free(ss);
}

/* float32 copy of (x - min) / (max - min) with x's geometry */
static omreg_status normalized_f32(int nthreads, const omreg_backend *b, const omreg_image *x,
                                   omreg_image **out)
{
    size_t n = omreg_image_voxels(x);
    double range[2], *scratch = NULL;
    omreg_image *img = NULL;
    scratch = omreg_calloc(2 * omreg_reduce_blocks(n) + 2, sizeof(double), "range scratch");
    if (scratch == NULL)
        return omreg_calloc_failure();
    b->masked_range_f64(nthreads, x->data, NULL, n, scratch, range);
    free(scratch);
    OMREG_RETURN_IF(!(range[1] > range[0]), OMREG_ENONFINITE,
                    "scale space: the image is constant (range %g..%g): nothing to normalise",
                    range[0], range[1]);
    OMREG_FORWARD(omreg_image_create(&img, x->ndim, x->shape, 1, OMREG_F32, x->grid2world));
    b->normalize_f64_to_f32(nthreads, x->data, n, range[0], range[1] - range[0], img->data);
    *out = img;
    return OMREG_OK;
}

/* smoothed (gaussian_filter, mode reflect) then normalised float32 level image */
static omreg_status smoothed_level(const omreg_backend *b, int nthreads, const omreg_image *x,
                                   const double *sigmas, omreg_image **out)
{
    omreg_image *filtered = NULL;
    OMREG_FORWARD(omreg_gaussian_filter_threads(b, nthreads, x, sigmas, OMREG_SMOOTH_REFLECT,
                                                0.0, OMREG_SMOOTH_TRUNCATE, &filtered));
    omreg_status st = normalized_f32(nthreads, b, filtered, out);
    omreg_image_free(filtered);
    return st;
}

static omreg_status check_input(const omreg_backend *b, const omreg_image *image, int nlevels,
                                omreg_scale_space **out)
{
    OMREG_RETURN_IF(b == NULL || image == NULL || out == NULL, OMREG_EINVAL,
                    "scale space: NULL argument");
    OMREG_RETURN_IF(image->ncomp != 1 || image->dtype != OMREG_F64, OMREG_EINVAL,
                    "scale space: needs a float64 scalar image");
    OMREG_RETURN_IF(nlevels < 1 || nlevels > MAX_LEVELS, OMREG_EINVAL,
                    "scale space: %d levels (1..%d)", nlevels, MAX_LEVELS);
    return OMREG_OK;
}

/* level 0: the normalised input on its own grid */
static omreg_status init_level0(int nthreads, const omreg_backend *b, const omreg_image *image,
                                omreg_scale_space *ss, const double *spacing, double sigma0)
{
    level *l0 = &ss->levels[0];
    int dim = image->ndim;
    OMREG_FORWARD(normalized_f32(nthreads, b, image, &l0->image));
    ss->nlevels = 1;
    for (int d = 0; d < dim; ++d) {
        l0->shape[d] = image->shape[d];
        l0->spacing[d] = spacing[d];
        l0->scaling[d] = 1.0;
        l0->sigmas[d] = sigma0;
    }
    memcpy(l0->affine, image->grid2world, sizeof(double) * (size_t)((dim + 1) * (dim + 1)));
    return OMREG_OK;
}

/* affine = grid2world . diag(scaling, 1) */
static void scaled_affine(int dim, const double *g2w, const double *scaling, double *affine)
{
    double diag[16];
    omreg_mat_identity(dim + 1, diag);
    for (int d = 0; d < dim; ++d)
        diag[d * (dim + 1) + d] = scaling[d];
    omreg_mat_mul(dim + 1, g2w, diag, affine);
}

omreg_status omreg_scale_space_isotropic(const omreg_backend *b, const omreg_image *image,
                                         int nlevels, const int *factors, const double *sigmas,
                                         omreg_scale_space **out)
{
    return omreg_scale_space_isotropic_threads(b, 0, image, nlevels, factors, sigmas, out);
}

omreg_status omreg_scale_space_isotropic_threads(const omreg_backend *b, int nthreads,
                                                 const omreg_image *image, int nlevels,
                                                 const int *factors, const double *sigmas,
                                                 omreg_scale_space **out)
{
    OMREG_FORWARD(check_input(b, image, nlevels, out));
    nthreads = omreg_backend_threads(b, nthreads); /* the run's count, read once */
    OMREG_RETURN_IF(factors == NULL || sigmas == NULL, OMREG_EINVAL,
                    "scale space: NULL factors or sigmas");
    for (int i = 0; i < nlevels; ++i) {
        OMREG_RETURN_IF(factors[i] < 1, OMREG_EINVAL, "scale space: factor %d < 1", factors[i]);
        OMREG_RETURN_IF(!(sigmas[i] >= 0) || !isfinite(sigmas[i]), OMREG_EINVAL,
                        "scale space: sigma %g is not a finite value >= 0", sigmas[i]);
    }
    int dim = image->ndim;
    double spacing[3], direction[9];
    OMREG_FORWARD(omreg_get_direction_and_spacings(dim, image->grid2world, direction, spacing));
    omreg_scale_space *ss = omreg_calloc(1, sizeof *ss, "scale space");
    if (ss == NULL)
        return omreg_calloc_failure();
    omreg_status st = init_level0(nthreads, b, image, ss, spacing, sigmas[nlevels - 1]);
    int min_index = 0; /* np.argmin: first minimum */
    for (int d = 1; d < dim; ++d)
        if (spacing[d] < spacing[min_index])
            min_index = d;
    for (int i = 1; st == OMREG_OK && i < nlevels; ++i) {
        level *l = &ss->levels[i];
        int factor = factors[nlevels - 1 - i];
        double shrink[3], new_spacing[3], level_sigmas[3];
        shrink[min_index] = factor;
        new_spacing[min_index] = spacing[min_index] * factor;
        for (int j = 0; j < dim; ++j) {
            if (j == min_index)
                continue;
            /* the shrink factor of axis j whose spacing is closest to the finest axis' */
            shrink[j] = factor;
            new_spacing[j] = spacing[j] * factor;
            double min_diff = fabs(new_spacing[j] - new_spacing[min_index]);
            for (int f = 1; f < factor; ++f) {
                double diff = fabs(spacing[j] * f - new_spacing[min_index]);
                if (diff < min_diff) {
                    shrink[j] = f;
                    new_spacing[j] = spacing[j] * f;
                    min_diff = diff;
                }
            }
        }
        for (int d = 0; d < dim; ++d) {
            l->shape[d] = (size_t)((double)image->shape[d] / shrink[d]); /* astype(int32) */
            l->spacing[d] = new_spacing[d];
            l->scaling[d] = shrink[d];
            l->sigmas[d] = level_sigmas[d] = sigmas[nlevels - i - 1];
            if (l->shape[d] == 0)
                st = omreg_fail(OMREG_ESHAPE, "scale space: level %d has an empty axis %d "
                                "(size %zu / factor %g)", i, d, image->shape[d], shrink[d]);
        }
        scaled_affine(dim, image->grid2world, shrink, l->affine);
        if (st == OMREG_OK)
            st = smoothed_level(b, nthreads, image, level_sigmas, &l->image);
        if (st == OMREG_OK)
            ss->nlevels = i + 1;
    }
    if (st != OMREG_OK) {
        omreg_scale_space_free(ss);
        return st;
    }
    *out = ss;
    return OMREG_OK;
}

omreg_status omreg_scale_space_anisotropic(const omreg_backend *b, const omreg_image *image,
                                           int nlevels, double sigma_factor,
                                           omreg_scale_space **out)
{
    return omreg_scale_space_anisotropic_threads(b, 0, image, nlevels, sigma_factor, out);
}

omreg_status omreg_scale_space_anisotropic_threads(const omreg_backend *b, int nthreads,
                                                   const omreg_image *image, int nlevels,
                                                   double sigma_factor, omreg_scale_space **out)
{
    OMREG_FORWARD(check_input(b, image, nlevels, out));
    nthreads = omreg_backend_threads(b, nthreads); /* the run's count, read once */
    OMREG_RETURN_IF(!(sigma_factor >= 0) || !isfinite(sigma_factor), OMREG_EINVAL,
                    "scale space: sigma factor %g is not a finite value >= 0", sigma_factor);
    int dim = image->ndim;
    double spacing[3], direction[9];
    OMREG_FORWARD(omreg_get_direction_and_spacings(dim, image->grid2world, direction, spacing));
    omreg_scale_space *ss = omreg_calloc(1, sizeof *ss, "scale space");
    if (ss == NULL)
        return omreg_calloc_failure();
    omreg_status st = init_level0(nthreads, b, image, ss, spacing, 0.0);
    double min_spacing = spacing[0];
    for (int d = 1; d < dim; ++d)
        min_spacing = fmin(min_spacing, spacing[d]);
    for (int i = 1; st == OMREG_OK && i < nlevels; ++i) {
        level *l = &ss->levels[i];
        double scaling_factor = ldexp(1.0, i), scaling[3], level_sigmas[3];
        for (int d = 0; d < dim; ++d) {
            scaling[d] = scaling_factor * min_spacing / spacing[d];
            double out_spacing = spacing[d] * scaling[d];
            /* output_size = input_size * (input_spacing / output_spacing) + 0.5, truncated */
            l->shape[d] = (size_t)((double)image->shape[d] * (spacing[d] / out_spacing) + 0.5);
            l->spacing[d] = out_spacing;
            l->scaling[d] = scaling[d];
            l->sigmas[d] = level_sigmas[d] = sigma_factor * (out_spacing / spacing[d] - 1.0);
            if (l->shape[d] == 0)
                st = omreg_fail(OMREG_ESHAPE, "scale space: level %d has an empty axis %d", i, d);
        }
        scaled_affine(dim, image->grid2world, scaling, l->affine);
        if (st == OMREG_OK)
            st = smoothed_level(b, nthreads, image, level_sigmas, &l->image);
        if (st == OMREG_OK)
            ss->nlevels = i + 1;
    }
    if (st != OMREG_OK) {
        omreg_scale_space_free(ss);
        return st;
    }
    *out = ss;
    return OMREG_OK;
}

int omreg_scale_space_levels(const omreg_scale_space *ss) { return ss->nlevels; }

#define LEVEL_OR_NULL(ss, level) (((level) < 0 || (level) >= (ss)->nlevels) ? NULL : &(ss)->levels[level])

const omreg_image *omreg_scale_space_image(const omreg_scale_space *ss, int lv)
{
    const level *l = LEVEL_OR_NULL(ss, lv);
    return l ? l->image : NULL;
}
const size_t *omreg_scale_space_domain_shape(const omreg_scale_space *ss, int lv)
{
    const level *l = LEVEL_OR_NULL(ss, lv);
    return l ? l->shape : NULL;
}
const double *omreg_scale_space_spacing(const omreg_scale_space *ss, int lv)
{
    const level *l = LEVEL_OR_NULL(ss, lv);
    return l ? l->spacing : NULL;
}
const double *omreg_scale_space_scaling(const omreg_scale_space *ss, int lv)
{
    const level *l = LEVEL_OR_NULL(ss, lv);
    return l ? l->scaling : NULL;
}
const double *omreg_scale_space_sigmas(const omreg_scale_space *ss, int lv)
{
    const level *l = LEVEL_OR_NULL(ss, lv);
    return l ? l->sigmas : NULL;
}
const double *omreg_scale_space_affine(const omreg_scale_space *ss, int lv)
{
    const level *l = LEVEL_OR_NULL(ss, lv);
    return l ? l->affine : NULL;
}
