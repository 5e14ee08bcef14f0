/* Per-sample arithmetic of fast mode's stochastic Mattes MI, shared by
 * both backends (kernels_fast_mi.h): the draw of sample s from the
 * counter-based generator, its values and J^T grad, its gradient weight,
 * and the log table F of the joint PDF. */
#ifndef OMREG_CORE_FAST_MI_POINT_H
#define OMREG_CORE_FAST_MI_POINT_H

#include <math.h>
#include <string.h>

#include "affine_apply.h"
#include "interp_point.h"
#include "kernels_fast_mi.h"
#include "omreg/random.h"
#include "omreg/transform.h"
#include "parzen_point.h"

/* The generator key of one iteration: (seed, level, iteration). */
static inline uint64_t omreg_fast_mi_key(uint64_t seed, int level, int iteration)
{
    return omreg_random_u64(omreg_random_u64(seed, (uint64_t)(unsigned)level),
                            (uint64_t)(unsigned)iteration);
}

/* Sample s at attempt a uses the draws 4 (s A + a) + {0: voxel, 1..3:
 * jitter per axis}. The voxel is uniform over the grid (redrawn when the
 * mask excludes it); the point is the voxel centre plus a uniform jitter
 * in [-1/2, 1/2) per axis (elastix's RandomCoordinate), clamped to the
 * grid. Returns 0 when every attempt fell outside the mask. */
static inline int fast_mi_draw(const omreg_fast_mi_job *job, int dim, size_t s, double *p)
{
    size_t nvox = job->sshape[0] * job->sshape[1] * (dim == 3 ? job->sshape[2] : 1);
    for (uint64_t a = 0; a < OMREG_FAST_MI_ATTEMPTS; ++a) {
        uint64_t base = ((uint64_t)s * OMREG_FAST_MI_ATTEMPTS + a) * 4;
        size_t v = (size_t)(omreg_random_u64(job->key, base) % (uint64_t)nvox);
        if (job->smask && job->smask[v] == 0)
            continue;
        for (int d = dim - 1; d >= 0; --d) {
            size_t idx = v % job->sshape[d];
            v /= job->sshape[d];
            double x = (double)idx + (omreg_random_uniform(job->key, base + 1 + (uint64_t)d) - 0.5);
            double hi = (double)(job->sshape[d] - 1);
            p[d] = x < 0 ? 0 : x > hi ? hi : x;
        }
        return 1;
    }
    return 0;
}

/* prod[l] = sum_d J[d][l] gw[d], gw = L^T g: the index gradient g turned
 * into world units by the linear part L of moving_w2g (n1 = dim + 1). */
static inline void fast_mi_prod(const omreg_fast_mi_job *job, int dim, const double *x,
                                const float *g, double *prod)
{
    double J[3 * OMREG_TRANSFORM_MAX_PARAMS], gw[3];
    int n1 = dim + 1, np = job->nparams;
    for (int d = 0; d < dim; ++d) {
        gw[d] = 0;
        for (int a = 0; a < dim; ++a)
            gw[d] += job->moving_w2g[a * n1 + d] * (double)g[a];
    }
    job->jacobian(job->jac_ctx, x, J);
    for (int l = 0; l < np; ++l) {
        prod[l] = 0;
        for (int d = 0; d < dim; ++d)
            prod[l] += J[d * np + l] * gw[d];
    }
}

static inline int fast_mi_sample_3d(const omreg_fast_mi_job *job, size_t s, double *sval,
                                    double *mval, double *prod)
{
    double p[3];
    *sval = 0;
    *mval = 0;
    memset(prod, 0, sizeof(double) * (size_t)job->nparams);
    if (!fast_mi_draw(job, 3, s, p))
        return 0;
    const double *A = job->static_to_moving, *P = job->static_to_prealigned;
    double q[3], x[3];
    for (int r = 0; r < 3; ++r) {
        q[r] = affine_apply_3d(A, r, p[0], p[1], p[2], 1);
        x[r] = affine_apply_3d(P, r, p[0], p[1], p[2], 1);
    }
    ptrdiff_t ns = (ptrdiff_t)job->mshape[0], nr = (ptrdiff_t)job->mshape[1],
              nc = (ptrdiff_t)job->mshape[2];
    float mv, g[3];
    if (!interp_scalar_3d_f32(job->moving, ns, nr, nc, q[0], q[1], q[2], &mv))
        return 0; /* mapped outside the moving grid: not a sample */
    interp_vector_3d_f32(job->mgrad, ns, nr, nc, q[0], q[1], q[2], g);
    /* the point is in the static grid; a corner past the last voxel has weight 0 */
    interp_scalar_3d_f64(job->static_img, (ptrdiff_t)job->sshape[0], (ptrdiff_t)job->sshape[1],
                         (ptrdiff_t)job->sshape[2], p[0], p[1], p[2], sval);
    *mval = (double)mv;
    fast_mi_prod(job, 3, x, g, prod);
    return 1;
}

static inline int fast_mi_sample_2d(const omreg_fast_mi_job *job, size_t s, double *sval,
                                    double *mval, double *prod)
{
    double p[2];
    *sval = 0;
    *mval = 0;
    memset(prod, 0, sizeof(double) * (size_t)job->nparams);
    if (!fast_mi_draw(job, 2, s, p))
        return 0;
    const double *A = job->static_to_moving, *P = job->static_to_prealigned;
    double q[2], x[2];
    for (int r = 0; r < 2; ++r) {
        q[r] = affine_apply_2d(A, r, p[0], p[1], 1);
        x[r] = affine_apply_2d(P, r, p[0], p[1], 1);
    }
    ptrdiff_t nr = (ptrdiff_t)job->mshape[0], nc = (ptrdiff_t)job->mshape[1];
    float mv, g[2];
    if (!interp_scalar_2d_f32(job->moving, nr, nc, q[0], q[1], &mv))
        return 0;
    interp_vector_2d_f32(job->mgrad, nr, nc, q[0], q[1], g);
    interp_scalar_2d_f64(job->static_img, (ptrdiff_t)job->sshape[0], (ptrdiff_t)job->sshape[1],
                         p[0], p[1], sval);
    *mval = (double)mv;
    fast_mi_prod(job, 2, x, g, prod);
    return 1;
}

/* w = sum_{o=-2..2} spline'(c + o - mn) F[r, c+o], r, c, mn as parzen_gradient_add */
static inline double fast_mi_weight(const omreg_parzen_geometry *g, const double *factor,
                                    double sval, double mval)
{
    double sn = parzen_bin_normalize(sval, g->smin, g->sdelta);
    double mn = parzen_bin_normalize(mval, g->mmin, g->mdelta);
    ptrdiff_t r = parzen_bin_index(sn, g->nbins, g->padding);
    ptrdiff_t c = parzen_bin_index(mn, g->nbins, g->padding);
    double spline_arg = (double)(c - 2) - mn, w = 0;
    const double *row = factor + r * g->nbins;
    for (ptrdiff_t offset = -2; offset <= 2; ++offset) {
        w += parzen_cubic_spline_derivative(spline_arg) * row[c + offset];
        spline_arg += 1.0;
    }
    return w;
}

/* Block b of the joint PDF's canonical order: partial (len doubles)
 * zeroed, then the valid samples of the block added in sample order. The
 * one body both backends run; they differ only in the loop over blocks. */
static inline void fast_mi_joint_block(double *partial, size_t len, const double *sval,
                                       const double *mval, const int *valid, size_t n, size_t b,
                                       const omreg_parzen_geometry *g)
{
    size_t end = omreg_fast_mi_block_end(n, b);
    memset(partial, 0, sizeof(double) * len);
    for (size_t s = b * OMREG_FAST_MI_BLOCK; s < end; ++s)
        if (valid[s])
            parzen_joint_add(partial, g->nbins, g->padding,
                             parzen_bin_normalize(sval[s], g->smin, g->sdelta),
                             parzen_bin_normalize(mval[s], g->mmin, g->mdelta));
}

/* Block b of the MI gradient: partial (np doubles) = sum over the block's
 * valid samples, in order, of w(s) * prod[s] (fast_mi_weight). */
static inline void fast_mi_gradient_block(double *partial, size_t np, const double *sval,
                                          const double *mval, const int *valid,
                                          const double *prod, size_t n, size_t b,
                                          const omreg_parzen_geometry *g, const double *factor)
{
    size_t end = omreg_fast_mi_block_end(n, b);
    memset(partial, 0, sizeof(double) * np);
    for (size_t s = b * OMREG_FAST_MI_BLOCK; s < end; ++s) {
        if (!valid[s])
            continue;
        double w = fast_mi_weight(g, factor, sval[s], mval[s]);
        for (size_t l = 0; l < np; ++l)
            partial[l] += w * prod[s * np + l];
    }
}

/* grad = -total / (count mdelta), zeros when no sample counted */
static inline void fast_mi_gradient_finish(const double *total, size_t np, double count,
                                           double mdelta, double *grad)
{
    double norm = count * mdelta;
    for (size_t l = 0; l < np; ++l)
        grad[l] = norm > 0 ? -total[l] / norm : 0.0;
}

/* F_ij = log(p_ij / p_j) where p_ij and p_j reach epsilon, else 0
 * (compute_parzen_mi's gradient factor) */
static inline void omreg_fast_mi_factor(const double *joint, const double *mmarginal, int nbins,
                                        double *factor)
{
    const double epsilon = 2.2204460492503131e-016;
    for (int i = 0; i < nbins; ++i)
        for (int j = 0; j < nbins; ++j) {
            double p = joint[i * nbins + j];
            factor[i * nbins + j] =
                p < epsilon || mmarginal[j] < epsilon ? 0.0 : log(p / mmarginal[j]);
        }
}

#endif
