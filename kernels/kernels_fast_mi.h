/* Fast mode's Mattes mutual information on a stochastic sample (beyond
 * DIPY; ITK's MattesMutualInformationImageToImageMetric and elastix's
 * RandomCoordinate sampler): every optimiser iteration draws a fresh set
 * of n points on the static level grid from the counter-based generator,
 * keyed by (seed, level, iteration) and the sample number, so a sample
 * never depends on threads or schedules. The moving image's gradient is
 * computed once per level on its own grid (numpy_gradient) and
 * interpolated at the mapped points.
 *
 * Three slots per evaluation:
 *  fast_mi_samples_{2,3}d  per sample (no reduction): draw, static value,
 *                          moving value, J^T grad(moving), a valid flag;
 *  fast_mi_joint           joint PDF and marginals of the valid samples;
 *  fast_mi_gradient        dMI/dtheta = -1/(count*mdelta) sum_s w_s prod_s,
 *                          w_s = sum_o spline'(c_s+o-2 - m_s) F[r_s, c_s+o],
 *                          F = log(p_ij / p_j) (0 where p_ij or p_j < eps).
 * Canonical order (DESIGN.md item 2): the reductions cut the samples into
 * fixed blocks of OMREG_FAST_MI_BLOCK, each block fills its own zeroed
 * partial in sample order, and the total adds the partials in block order:
 * scratch holds omreg_fast_mi_scratch(n, len) doubles, slot 0 the total,
 * slot 1 + b block b's partial, whatever the thread count. */
#ifndef OMREG_CORE_KERNELS_FAST_MI_H
#define OMREG_CORE_KERNELS_FAST_MI_H

#include <stddef.h>
#include <stdint.h>

#include "kernels_parzen.h"

#define OMREG_FAST_MI_BLOCK ((size_t)256)
/* a sample redraws a voxel outside the static mask up to this many times,
 * then is invalid (elastix: MaximumNumberOfSamplingAttempts) */
#define OMREG_FAST_MI_ATTEMPTS 16

/* One evaluation's inputs to the sampling kernel. Grid coordinates are
 * voxel indices in the image's axis order. */
typedef struct omreg_fast_mi_job {
    const double *static_img;   /* level grid, sshape */
    const int *smask;           /* level grid or NULL: samples only where != 0 */
    size_t sshape[3];
    const float *moving;        /* the level's moving image on its own grid, mshape */
    const float *mgrad;         /* its numpy_gradient (mshape..., dim), d/d index */
    size_t mshape[3];
    double static_to_moving[16]; /* static grid -> moving grid: moving_w2g.current.static_g2w */
    double static_to_prealigned[16]; /* static grid -> world: starting.static_g2w (Jacobian point) */
    double moving_w2g[16];      /* its linear part turns d/d index into d/d world */
    uint64_t key;               /* omreg_fast_mi_key(seed, level, iteration) */
    int nparams;
    omreg_jacobian_cb *jacobian;
    const void *jac_ctx;
} omreg_fast_mi_job;

/* Number of blocks of n samples, and the end of block b. */
static inline size_t omreg_fast_mi_blocks(size_t n)
{
    return (n + OMREG_FAST_MI_BLOCK - 1) / OMREG_FAST_MI_BLOCK;
}
static inline size_t omreg_fast_mi_block_end(size_t n, size_t b)
{
    return n - b * OMREG_FAST_MI_BLOCK > OMREG_FAST_MI_BLOCK ? (b + 1) * OMREG_FAST_MI_BLOCK : n;
}

/* Doubles of scratch for a reduction of n samples with partials of len. */
static inline size_t omreg_fast_mi_scratch(size_t n, size_t len)
{
    return (omreg_fast_mi_blocks(n) + 1) * len;
}

/* n samples: sval[s], mval[s], prod[s * nparams ..] = J(x_s)^T grad M(T x_s)
 * (world units), valid[s] = 1 when the sample found a voxel in the mask and
 * its mapped point lies inside the moving grid (all trilinear corners);
 * an invalid sample has sval = mval = prod = 0. */
typedef void omreg_fast_mi_samples_2d_fn(int nthreads, const omreg_fast_mi_job *job, size_t n,
                                         double *sval, double *mval, double *prod, int *valid);
typedef void omreg_fast_mi_samples_3d_fn(int nthreads, const omreg_fast_mi_job *job, size_t n,
                                         double *sval, double *mval, double *prod, int *valid);

/* Joint PDF of the valid samples (normalised by the window weight sum),
 * static marginal (by the count) and moving marginal (column sums), as
 * parzen_joint with OMREG_PARZEN_NORM_BY_WEIGHT; *count = valid samples.
 * scratch: omreg_fast_mi_scratch(n, omreg_parzen_joint_partial(nbins)). */
typedef void omreg_fast_mi_joint_fn(int nthreads, const double *sval, const double *mval,
                                    const int *valid, size_t n, const omreg_parzen_geometry *geom,
                                    double *scratch, double *joint, double *smarginal,
                                    double *mmarginal, double *count);

/* dMI/dtheta (nparams) of the header's formula, factor = F (nbins^2, from
 * omreg_fast_mi_factor), count from fast_mi_joint (0: grad = 0).
 * scratch: omreg_fast_mi_scratch(n, nparams). */
typedef void omreg_fast_mi_gradient_fn(int nthreads, const double *sval, const double *mval,
                                       const int *valid, const double *prod, size_t n,
                                       const omreg_parzen_geometry *geom, int nparams,
                                       const double *factor, double count, double *scratch,
                                       double *grad);

#endif
