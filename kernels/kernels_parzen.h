/* Parzen-window joint histogram of (static, moving) intensities and its
 * gradient with respect to transform parameters (DIPY parzenhist.pyx,
 * Mattes et al. 2003): cubic B-spline window on the moving axis, static
 * intensities binned directly.
 *
 * Canonical order (DESIGN.md item 2): samples are cut into fixed blocks of
 * OMREG_PARZEN_BLOCK consecutive samples (flat voxel index for dense
 * grids); each block accumulates into a zeroed partial histogram in sample
 * order, and partials are added to the total in block order. DIPY adds
 * every sample straight into the total, so the golden test compares with a
 * named tolerance. */
#ifndef OMREG_CORE_KERNELS_PARZEN_H
#define OMREG_CORE_KERNELS_PARZEN_H

#include <stddef.h>

#define OMREG_PARZEN_BLOCK ((size_t)16384)

/* The parallel kernel fills this many blocks (or nthreads, if more) before
 * adding their partials to the total in block order: two barriers per
 * round, so wider rounds mean fewer waits on a partner thread (a
 * descheduled one costs a time slice at each). Only the scratch size
 * depends on it, never the bits. */
#define OMREG_PARZEN_ROUND 16

/* Histogram geometry from ParzenJointHistogram.setup: intensity x maps to
 * the continuous bin x / delta - min (min already divided by delta and
 * shifted by padding). */
typedef struct omreg_parzen_geometry {
    int nbins;
    int padding;
    double smin, sdelta;
    double mmin, mdelta;
} omreg_parzen_geometry;

/* How the joint PDF is normalised. DIPY's dense 2D path divides by the
 * number of valid samples, its dense 3D and sparse paths by the sum of all
 * window weights: both kept for agreement. */
typedef enum omreg_parzen_norm {
    OMREG_PARZEN_NORM_BY_COUNT = 0,
    OMREG_PARZEN_NORM_BY_WEIGHT = 1
} omreg_parzen_norm;

/* Jacobian of the transform at world point x: J is dim x nparams row-major;
 * returns 1 when J does not depend on x (DIPY Transform._jacobian). Must be
 * pure: it is called concurrently. */
typedef int omreg_jacobian_cb(const void *ctx, const double *x, double *J);

/* Partials of scratch a call with nthreads needs: the total and one per
 * block of a round. */
static inline size_t omreg_parzen_partials(int nthreads)
{
    return 1 + (size_t)(nthreads > OMREG_PARZEN_ROUND ? nthreads : OMREG_PARZEN_ROUND);
}

/* Doubles of scratch one partial needs, joint / gradient. */
static inline size_t omreg_parzen_joint_partial(int nbins)
{
    return (size_t)nbins * (size_t)nbins + (size_t)nbins + 2;
}
static inline size_t omreg_parzen_gradient_partial(int nbins, int nparams)
{
    return (size_t)nbins * (size_t)nbins * (size_t)nparams + (size_t)nparams + 1;
}

/* Joint PDF (nbins x nbins), static marginal and moving marginal from n
 * paired samples; smask/mmask (may be NULL) exclude samples where 0.
 * scratch: omreg_parzen_partials(nthreads) * omreg_parzen_joint_partial(nbins)
 * doubles; the parallel kernel runs a team of nthreads threads, the
 * reference uses 2 partials whatever nthreads says (scratch is sized for
 * the count the kernel is given, kernels.h). If no sample is
 * valid the outputs are left zero (DIPY). */
typedef void omreg_parzen_joint_fn(int nthreads, const double *sval, const double *mval,
                                   const int *smask, const int *mmask, size_t n,
                                   const omreg_parzen_geometry *geom, omreg_parzen_norm norm,
                                   double *scratch, double *joint, double *smarginal,
                                   double *mmarginal);

/* d joint / d theta (nbins x nbins x nparams). Dense variants take the
 * sample's world point as grid2world * (grid index); the sparse variant
 * takes the points (n x dim). mgradient is n x dim (float64), the moving
 * image gradient at each sample. scratch: omreg_parzen_partials(nthreads)
 * * omreg_parzen_gradient_partial(nbins, nparams) doubles, nthreads as for
 * the joint PDF. */
typedef void omreg_parzen_gradient_dense_2d_fn(int nthreads, const size_t shape[2],
                                               const double *grid2world, const double *sval,
                                               const double *mval, const double *mgradient,
                                               const int *smask, const int *mmask,
                                               const omreg_parzen_geometry *geom, int nparams,
                                               omreg_jacobian_cb *jacobian, const void *jac_ctx,
                                               double *scratch, double *joint_grad);
typedef void omreg_parzen_gradient_dense_3d_fn(int nthreads, const size_t shape[3],
                                               const double *grid2world, const double *sval,
                                               const double *mval, const double *mgradient,
                                               const int *smask, const int *mmask,
                                               const omreg_parzen_geometry *geom, int nparams,
                                               omreg_jacobian_cb *jacobian, const void *jac_ctx,
                                               double *scratch, double *joint_grad);
typedef void omreg_parzen_gradient_sparse_fn(int nthreads, int dim, const double *points, size_t n,
                                             const double *sval, const double *mval,
                                             const double *mgradient,
                                             const omreg_parzen_geometry *geom, int nparams,
                                             omreg_jacobian_cb *jacobian, const void *jac_ctx,
                                             double *scratch, double *joint_grad);

#endif
