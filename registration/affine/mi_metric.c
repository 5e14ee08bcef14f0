/* MutualInformationMetric for one level (DIPY imaffine.py) and
 * compute_parzen_mi (parzenhist.pyx). O(parameters) logic here; voxel loops
 * through the backend table. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "image_internal.h"
#include "mi_metric.h"
#include "omreg/matrix.h"
#include "transform_point.h"

#define PARZEN_PADDING 2

double omreg_parzen_mi(const double *joint, const double *joint_grad, const double *smarg,
                       const double *mmarg, int nbins, int nparams, double *mi_grad)
{
    const double epsilon = 2.2204460492503131e-016;
    double metric_value = 0;
    if (mi_grad)
        memset(mi_grad, 0, sizeof(double) * (size_t)nparams);
    for (int i = 0; i < nbins; ++i)
        for (int j = 0; j < nbins; ++j) {
            double p = joint[i * nbins + j];
            if (p < epsilon || mmarg[j] < epsilon)
                continue;
            /* MI = sum p_ij log(p_ij / (p_i p_j)); dMI = sum dp_ij log(p_ij / p_j) */
            double factor = log(p / mmarg[j]);
            if (mi_grad && joint_grad)
                for (int k = 0; k < nparams; ++k)
                    mi_grad[k] += joint_grad[((size_t)i * (size_t)nbins + (size_t)j) *
                                                 (size_t)nparams + (size_t)k] * factor;
            if (smarg[i] > epsilon)
                metric_value += p * (factor - log(smarg[i]));
        }
    return metric_value;
}

void mi_metric_free(mi_metric *m)
{
    if (m == NULL)
        return;
    free(m->static_vals);
    free(m->moving);
    free(m->samples);
    free(m->samples_prealigned);
    free(m->pts);
    free(m->mvals);
    free(m->mgrad);
    free(m->mmask_warped);
    free(m->mmask_i32);
    free(m->inside);
    free(m->scratch);
    free(m->joint);
    free(m->smarg);
    free(m->mmarg);
    free(m->joint_grad);
    memset(m, 0, sizeof *m);
}

/* ParzenJointHistogram.setup: delta = range / (nbins - 2 padding) (0 when
 * the denominator is 0), min = min / delta - padding (0 - padding when
 * delta is 0). */
static void histogram_axis(double lo, double hi, int nbins, double *mn, double *delta)
{
    double denominator = nbins - 2 * PARZEN_PADDING;
    *delta = denominator != 0 ? (hi - lo) / denominator : 0.0;
    *mn = (*delta != 0 ? lo / *delta : 0.0) - PARZEN_PADDING;
}

static omreg_status alloc_doubles(double **p, size_t n, const char *what)
{
    double *q = omreg_calloc(n ? n : 1, sizeof(double), what);
    if (q == NULL)
        return omreg_calloc_failure();
    *p = q;
    return OMREG_OK;
}

omreg_status mi_metric_setup(mi_metric *m, const struct omreg_backend *b, int nthreads,
                             omreg_transform_type type, int nbins, double sampling_proportion,
                             uint64_t seed, const omreg_image *stat, const int *smask,
                             const omreg_image *mov, const omreg_image *mmask,
                             const double *starting_affine)
{
    memset(m, 0, sizeof *m);
    int dim = stat->ndim, n1 = dim + 1;
    m->b = b;
    m->nthreads = nthreads;
    m->dim = dim;
    m->type = type;
    m->nbins = nbins;
    m->nparams = omreg_transform_nparams_unchecked(type, dim);
    m->sparse = sampling_proportion > 0;
    memcpy(m->sshape, stat->shape, sizeof m->sshape);
    memcpy(m->mshape, mov->shape, sizeof m->mshape);
    m->nstatic = omreg_image_voxels(stat);
    size_t nmoving = omreg_image_voxels(mov);
    memcpy(m->static_g2w, stat->grid2world, sizeof(double) * (size_t)(n1 * n1));
    memcpy(m->moving_g2w, mov->grid2world, sizeof(double) * (size_t)(n1 * n1));
    memcpy(m->starting_affine, starting_affine, sizeof(double) * (size_t)(n1 * n1));
    double direction[9];
    omreg_status st;
#define TRY(expr)                                                                              \
    do {                                                                                       \
        if ((st = (expr)) != OMREG_OK)                                                         \
            goto fail;                                                                         \
    } while (0)
    TRY(omreg_mat_inverse(n1, m->static_g2w, m->static_w2g));
    TRY(omreg_mat_inverse(n1, m->moving_g2w, m->moving_w2g));
    TRY(omreg_get_direction_and_spacings(dim, m->moving_g2w, direction, m->moving_spacing));
    TRY(alloc_doubles(&m->moving, nmoving, "moving image"));
    b->convert_f32_to_f64(nthreads, mov->data, nmoving, m->moving);
    m->mmask_f64 = m->sparse || mmask == NULL ? NULL : mmask->data;
    m->smask = m->sparse ? NULL : smask;

    /* histogram range over the masked images (DIPY: static[smask != 0]) */
    size_t nmax = m->nstatic > nmoving ? m->nstatic : nmoving;
    int *mmask_full = NULL;
    double srange[2], mrange[2], *range_scratch = NULL;
    TRY(alloc_doubles(&range_scratch, 2 * omreg_reduce_blocks(nmax) + 2, "range scratch"));
    b->masked_range_f64(nthreads, stat->data, m->smask, m->nstatic, range_scratch, srange);
    if (m->mmask_f64) {
        mmask_full = omreg_calloc(nmoving, sizeof(int), "moving mask");
        if (mmask_full == NULL)
            st = omreg_calloc_failure();
        else
            b->mask_to_i32(nthreads, m->mmask_f64, nmoving, mmask_full);
    }
    if (st == OMREG_OK)
        b->masked_range_f64(nthreads, m->moving, mmask_full, nmoving, range_scratch, mrange);
    free(range_scratch);
    free(mmask_full);
    if (st != OMREG_OK)
        goto fail;
    if (!(srange[0] <= srange[1]) || !(mrange[0] <= mrange[1])) {
        st = omreg_fail(OMREG_ESHAPE, "mutual information: a mask selects no voxel");
        goto fail;
    }
    m->geom.nbins = nbins;
    m->geom.padding = PARZEN_PADDING;
    histogram_axis(srange[0], srange[1], nbins, &m->geom.smin, &m->geom.sdelta);
    histogram_axis(mrange[0], mrange[1], nbins, &m->geom.mmin, &m->geom.mdelta);

    if (!m->sparse) {
        m->nsamples = m->nstatic;
        TRY(alloc_doubles(&m->static_vals, m->nstatic, "static image"));
        memcpy(m->static_vals, stat->data, sizeof(double) * m->nstatic);
        if (m->mmask_f64) {
            TRY(alloc_doubles(&m->mmask_warped, m->nstatic, "warped moving mask"));
            m->mmask_i32 = omreg_calloc(m->nstatic, sizeof(int), "moving mask");
            if (m->mmask_i32 == NULL)
                TRY(omreg_calloc_failure());
        }
    } else {
        /* sample_domain_regular(k = ceil(1 / proportion)), then the static
         * values at the samples (interpolated, 0 outside, as DIPY) */
        size_t k = (size_t)ceil(1.0 / sampling_proportion);
        m->nsamples = m->nstatic / k;
        if (m->nsamples == 0) {
            st = omreg_fail(OMREG_EINVAL, "sampling proportion %g leaves no sample on a %zu-voxel "
                            "grid", sampling_proportion, m->nstatic);
            goto fail;
        }
        size_t nd = m->nsamples * (size_t)dim;
        TRY(alloc_doubles(&m->samples, nd, "samples"));
        TRY(alloc_doubles(&m->samples_prealigned, nd, "prealigned samples"));
        TRY(alloc_doubles(&m->pts, nd, "sample points"));
        TRY(alloc_doubles(&m->static_vals, m->nsamples, "static samples"));
        m->inside = omreg_calloc(m->nsamples, sizeof(int), "inside flags");
        if (m->inside == NULL)
            TRY(omreg_calloc_failure());
        b->sample_domain_regular(nthreads, dim, m->sshape, k, m->static_g2w, seed, 0.25,
                                 m->nsamples, m->samples);
        mi_metric_set_samples(m, m->samples, stat);
    }
    TRY(alloc_doubles(&m->mvals, m->nsamples, "moving values"));
    TRY(alloc_doubles(&m->mgrad, m->nsamples * (size_t)dim, "moving gradient"));
    if (m->inside == NULL) {
        m->inside = omreg_calloc(m->nsamples, sizeof(int), "inside flags");
        if (m->inside == NULL)
            TRY(omreg_calloc_failure());
    }
    size_t nb = (size_t)nbins;
    m->scratch_len = omreg_parzen_partials(nthreads) *
                     omreg_parzen_gradient_partial(nbins, m->nparams);
    TRY(alloc_doubles(&m->scratch, m->scratch_len, "histogram scratch"));
    TRY(alloc_doubles(&m->joint, nb * nb, "joint PDF"));
    TRY(alloc_doubles(&m->smarg, nb, "static marginal"));
    TRY(alloc_doubles(&m->mmarg, nb, "moving marginal"));
    TRY(alloc_doubles(&m->joint_grad, nb * nb * (size_t)m->nparams, "joint PDF gradient"));
#undef TRY
    return OMREG_OK;
fail:
    mi_metric_free(m);
    return st;
}

void mi_metric_set_samples(mi_metric *m, const double *samples, const omreg_image *stat)
{
    const struct omreg_backend *b = m->b;
    const int nthreads = m->nthreads;
    int dim = m->dim;
    if (samples != m->samples)
        memcpy(m->samples, samples, sizeof(double) * m->nsamples * (size_t)dim);
    /* prealigned = starting_affine . samples; static values at w2g . samples */
    b->apply_affine_points(nthreads, m->starting_affine, dim, m->samples, m->nsamples,
                           m->samples_prealigned);
    b->apply_affine_points(nthreads, m->static_w2g, dim, m->samples, m->nsamples, m->pts);
    if (dim == 2)
        b->interpolate_scalar_2d_f64(nthreads, stat->data, m->sshape, m->pts, m->nsamples,
                                     m->static_vals, m->inside);
    else
        b->interpolate_scalar_3d_f64(nthreads, stat->data, m->sshape, m->pts, m->nsamples,
                                     m->static_vals, m->inside);
}

static int metric_jacobian(const void *ctx, const double *x, double *J)
{
    const double *const *p = ctx; /* {params, &type-and-dim} */
    const int *td = (const int *)p[1];
    return omreg_transform_jacobian_unchecked((omreg_transform_type)td[0], td[1], p[0], x, J);
}

omreg_status mi_metric_evaluate(void *metric, const double *params, double *f, double *g)
{
    mi_metric *m = metric;
    const struct omreg_backend *b = m->b;
    const int nthreads = m->nthreads;
    int dim = m->dim, n1 = dim + 1;
    double M[16], current[16], tmp[16], comp[16], inv[16], static2prealigned[16];
    ++m->evaluations;
    /* current affine = T(params) . starting_affine (AffineMap.set_affine
     * rejects non-finite or singular matrices: DIPY returns inf, 0) */
    omreg_transform_matrix_unchecked(m->type, dim, params, M);
    omreg_mat_mul(n1, M, m->starting_affine, current);
    omreg_mat_mul(n1, m->starting_affine, m->static_g2w, static2prealigned);
    if (!omreg_mat_is_finite(n1, current) || omreg_mat_inverse(n1, current, inv) != OMREG_OK) {
        omreg_clear_error();
        *f = INFINITY;
        memset(g, 0, sizeof(double) * (size_t)m->nparams);
        m->mi = -INFINITY;
        return OMREG_OK;
    }
    const double *mmask = NULL;
    if (!m->sparse) {
        /* moving resampled on the static grid: comp = w2g_moving . current . g2w_static */
        omreg_mat_mul(n1, current, m->static_g2w, tmp);
        omreg_mat_mul(n1, m->moving_w2g, tmp, comp);
        if (dim == 2)
            b->transform_affine_2d_f64(nthreads, m->moving, m->mshape, m->sshape, comp, m->mvals);
        else
            b->transform_affine_3d_f64(nthreads, m->moving, m->mshape, m->sshape, comp, m->mvals);
        if (m->mmask_f64) {
            if (dim == 2)
                b->transform_affine_nn_2d_f64(nthreads, m->mmask_f64, m->mshape, m->sshape, comp,
                                              m->mmask_warped);
            else
                b->transform_affine_nn_3d_f64(nthreads, m->mmask_f64, m->mshape, m->sshape, comp,
                                              m->mmask_warped);
            b->mask_to_i32(nthreads, m->mmask_warped, m->nstatic, m->mmask_i32);
            mmask = m->mmask_warped;
        }
        b->parzen_joint(nthreads, m->static_vals, m->mvals, m->smask, mmask ? m->mmask_i32 : NULL,
                        m->nstatic, &m->geom,
                        dim == 2 ? OMREG_PARZEN_NORM_BY_COUNT : OMREG_PARZEN_NORM_BY_WEIGHT,
                        m->scratch, m->joint, m->smarg, m->mmarg);
        /* gradient of the moving image at current . g2w_static . (grid index) */
        if (dim == 2)
            b->gradient_2d_f64(nthreads, m->moving, m->mshape, m->moving_w2g, m->moving_spacing,
                               m->sshape, tmp, m->mgrad, m->inside);
        else
            b->gradient_3d_f64(nthreads, m->moving, m->mshape, m->moving_w2g, m->moving_spacing,
                               m->sshape, tmp, m->mgrad, m->inside);
    } else {
        omreg_mat_mul(n1, m->moving_w2g, current, comp);
        b->apply_affine_points(nthreads, comp, dim, m->samples, m->nsamples, m->pts);
        if (dim == 2)
            b->interpolate_scalar_2d_f64(nthreads, m->moving, m->mshape, m->pts, m->nsamples,
                                         m->mvals, m->inside);
        else
            b->interpolate_scalar_3d_f64(nthreads, m->moving, m->mshape, m->pts, m->nsamples,
                                         m->mvals, m->inside);
        b->parzen_joint(nthreads, m->static_vals, m->mvals, NULL, NULL, m->nsamples, &m->geom,
                        OMREG_PARZEN_NORM_BY_WEIGHT, m->scratch, m->joint, m->smarg, m->mmarg);
        b->apply_affine_points(nthreads, current, dim, m->samples, m->nsamples, m->pts);
        if (dim == 2)
            b->sparse_gradient_2d_f64(nthreads, m->moving, m->mshape, m->moving_w2g,
                                      m->moving_spacing, m->pts, m->nsamples, m->mgrad, m->inside);
        else
            b->sparse_gradient_3d_f64(nthreads, m->moving, m->mshape, m->moving_w2g,
                                      m->moving_spacing, m->pts, m->nsamples, m->mgrad, m->inside);
    }
    int td[2] = {(int)m->type, dim};
    const void *ctx[2] = {params, td};
    if (!m->sparse && dim == 2)
        b->parzen_gradient_dense_2d(nthreads, m->sshape, static2prealigned, m->static_vals,
                                    m->mvals, m->mgrad, m->smask, mmask ? m->mmask_i32 : NULL,
                                    &m->geom, m->nparams, metric_jacobian, ctx, m->scratch,
                                    m->joint_grad);
    else if (!m->sparse)
        b->parzen_gradient_dense_3d(nthreads, m->sshape, static2prealigned, m->static_vals,
                                    m->mvals, m->mgrad, m->smask, mmask ? m->mmask_i32 : NULL,
                                    &m->geom, m->nparams, metric_jacobian, ctx, m->scratch,
                                    m->joint_grad);
    else
        b->parzen_gradient_sparse(nthreads, dim, m->samples_prealigned, m->nsamples, m->static_vals,
                                  m->mvals, m->mgrad, &m->geom, m->nparams, metric_jacobian, ctx,
                                  m->scratch, m->joint_grad);
    m->mi = omreg_parzen_mi(m->joint, m->joint_grad, m->smarg, m->mmarg, m->nbins, m->nparams,
                            m->mi_grad);
    *f = -m->mi;
    for (int k = 0; k < m->nparams; ++k)
        g[k] = -m->mi_grad[k];
    return OMREG_OK;
}
