/* Parzen-window joint histogram of (static, moving) intensities, its
 * gradient with respect to transform parameters and the mutual information
 * (DIPY 1.6 dipy/align/parzenhist.pyx, Mattes et al. 2003): a cubic B-spline
 * window on the moving axis, static intensities binned directly, 2 bins of
 * padding on each side. The histogram accumulates in fixed sample blocks
 * (the same bits for any thread count), so it may differ from DIPY's
 * one-by-one sum in the last bits; everything else follows DIPY's formulas. */
#ifndef OMREG_PARZENHIST_H
#define OMREG_PARZENHIST_H

#include "omreg/export.h"

#include <stddef.h>
#include <stdint.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"
#include "omreg/transform.h"

#ifdef __cplusplus
extern "C" {
#endif

/* DIPY's ParzenJointHistogram.padding: the spline's support is 5 bins */
#define OMREG_PARZEN_PADDING 2

/* Histogram geometry (ParzenJointHistogram.setup): intensity x of the
 * static image falls in the continuous bin x / sdelta - smin (min already
 * divided by delta and shifted by the padding); same for the moving image.
 * A delta of 0 (constant image) maps every intensity to bin 0, clamped to
 * the first bin after the padding. Intensities must be finite (a NaN has
 * no bin). */
typedef struct omreg_parzen_geometry {
    int nbins;
    int padding;
    double smin, sdelta;
    double mmin, mdelta;
} omreg_parzen_geometry;

/** Geometry of an nbins x nbins histogram for static intensities in
 * [smin, smax] and moving intensities in [mmin, mmax] (DIPY's setup after
 * its masked min/max): delta = (max - min) / (nbins - 2 padding), min =
 * min / delta - padding (delta 0: min = -padding). Returns OMREG_EINVAL
 * (NULL geom; nbins <= 2 * OMREG_PARZEN_PADDING, where DIPY divides by
 * zero or a negative bin count; min > max) or OMREG_ENONFINITE (a bound not
 * finite); geom is untouched on failure. */
OMREG_API omreg_status omreg_parzen_setup(int nbins, double smin, double smax, double mmin,
                                          double mmax, omreg_parzen_geometry *geom);

/** Continuous bin of intensity x: x / delta - min, 0 when delta is 0
 * (bin_normalize_static / _moving with the geometry's smin, sdelta or
 * mmin, mdelta). */
OMREG_API double omreg_parzen_bin_normalize(double x, double min, double delta);

/** Integer bin of a normalized intensity (bin_index): truncated toward
 * zero and clamped to [padding, nbins - 1 - padding]; a NaN gives
 * padding. */
OMREG_API ptrdiff_t omreg_parzen_bin_index(double normalized, int nbins, int padding);

/** Joint PDF of two images on the same grid (update_pdfs_dense): static
 * and moving are float64 scalar images of the same shape (2D or 3D);
 * smask and mmask (one int per voxel, C order, may be NULL) exclude voxels
 * where 0. Writes joint (nbins x nbins, row = static bin), smarginal and
 * mmarginal (nbins each). As DIPY, the 2D joint is divided by the number
 * of counted voxels, the 3D one by the sum of all window weights; when no
 * voxel counts every output is zero. Returns OMREG_EINVAL (NULL argument
 * other than a mask; a geometry whose padding is not OMREG_PARZEN_PADDING
 * or with too few bins), OMREG_ENONFINITE (a non-finite geometry entry),
 * OMREG_ESHAPE (an image not float64
 * and scalar, shapes differ) or OMREG_ENOMEM; outputs untouched on
 * failure. */
OMREG_API omreg_status omreg_parzen_joint_dense(const omreg_backend *backend,
                                                const omreg_parzen_geometry *geom,
                                                const omreg_image *static_img,
                                                const omreg_image *moving_img, const int *smask,
                                                const int *mmask, double *joint,
                                                double *smarginal, double *mmarginal);

/** Joint PDF of n paired samples (update_pdfs_sparse): sval[i] and
 * mval[i] were sampled at the same point. Normalised by the sum of the
 * window weights (DIPY's sparse path); n = 0 gives zero outputs. Statuses
 * as omreg_parzen_joint_dense, without OMREG_ESHAPE. */
OMREG_API omreg_status omreg_parzen_joint_sparse(const omreg_backend *backend,
                                                 const omreg_parzen_geometry *geom,
                                                 const double *sval, const double *mval, size_t n,
                                                 double *joint, double *smarginal,
                                                 double *mmarginal);

/** Gradient of the joint PDF with respect to the parameters theta of a
 * transform of the given type (update_gradient_dense): static and moving
 * as for omreg_parzen_joint_dense (the moving image already resampled on
 * the common grid), grid2world ((dim+1)^2 row-major) maps that grid to the
 * points where the transform's Jacobian is evaluated, mgradient is the
 * moving image's gradient on the grid (a field of the images' shape, float32
 * or float64, dim components). Writes joint_grad (nbins x nbins x nparams,
 * nparams = omreg_transform_nparams(type, dim)), divided by (counted voxels
 * * mdelta). Returns OMREG_EINVAL (NULL argument other than a mask;
 * invalid geometry or transform type), OMREG_ESHAPE (images not float64
 * scalar, shapes differ, mgradient not a dim-component field of their
 * shape) or OMREG_ENOMEM; joint_grad untouched on failure. A non-finite
 * theta, grid2world or gradient entry is no error: the affected entries
 * are NaN, as in DIPY. */
OMREG_API omreg_status omreg_parzen_gradient_dense(
    const omreg_backend *backend, const omreg_parzen_geometry *geom, omreg_transform_type type,
    const double *theta, const omreg_image *static_img, const omreg_image *moving_img,
    const double *grid2world, const omreg_image *mgradient, const int *smask, const int *mmask,
    double *joint_grad);

/** Gradient of the joint PDF of n paired samples (update_gradient_sparse):
 * points (n x dim, world, row-major) are where the Jacobian is evaluated,
 * mgradient (n x dim, float64) the moving image's gradient there. Writes
 * joint_grad as omreg_parzen_gradient_dense, divided by (n * mdelta);
 * n = 0 gives zeros. Returns OMREG_EINVAL (NULL argument, invalid geometry
 * or type, dim not 2 or 3), OMREG_EOVERFLOW or OMREG_ENOMEM; joint_grad
 * untouched on failure. Non-finite entries give NaN, as in DIPY. */
OMREG_API omreg_status omreg_parzen_gradient_sparse(
    const omreg_backend *backend, const omreg_parzen_geometry *geom, omreg_transform_type type,
    int dim, const double *theta, const double *sval, const double *mval, const double *points,
    const double *mgradient, size_t n, double *joint_grad);

/** Mutual information of a joint PDF (compute_parzen_mi): joint is nrows x
 * ncols, smarginal nrows and mmarginal ncols entries; *mi = sum over cells
 * with joint and mmarginal >= DBL_EPSILON (and smarginal > DBL_EPSILON) of
 * p log(p / (p_s p_m)). When mi_grad is not NULL it receives the nparams
 * entries sum dp log(p / p_m) of joint_grad (nrows x ncols x nparams;
 * NULL with nparams = 0 is DIPY's None gradient: mi_grad is zeroed).
 * O(nrows * ncols * nparams), serial. Returns OMREG_EINVAL (NULL joint,
 * marginals or mi; joint_grad NULL with nparams > 0; nparams < 0);
 * outputs untouched on failure. */
OMREG_API omreg_status omreg_parzen_mi(const double *joint, size_t nrows, size_t ncols,
                                       const double *joint_grad, int nparams,
                                       const double *smarginal, const double *mmarginal,
                                       double *mi_grad, double *mi);

/** The cubic B-spline window at n values (cubic_spline): (4 - 6x^2 +
 * 3|x|^3)/6 on |x| < 1, (2 - |x|)^3/6 written as DIPY does on |x| < 2,
 * else 0; with derivative != 0 its derivative (cubic_spline_derivative).
 * Returns OMREG_EINVAL (NULL backend, x or out with n > 0). */
OMREG_API omreg_status omreg_parzen_cubic_spline(const omreg_backend *backend, const double *x,
                                                 size_t n, int derivative, double *out);

/** Regular sampling of a grid (sample_domain_regular): *m = voxels / k
 * points, point i at grid index i*k (C order) plus N(0, sigma^2) jitter
 * per axis from omreg's counter-based stream (omreg/random.h; not numpy's,
 * so for sigma > 0 the jitter differs from DIPY's draw), mapped to world
 * by grid2world ((dim+1)^2, row-major; finite, may be singular). *points
 * is a new m x dim array the caller frees with free() (NULL when m = 0).
 * Returns OMREG_EINVAL (NULL argument, dim not 2 or 3, k = 0, sigma
 * not finite), OMREG_ESHAPE (a zero axis), OMREG_ENONFINITE
 * (grid2world), OMREG_EOVERFLOW or OMREG_ENOMEM; outputs untouched on
 * failure. */
OMREG_API omreg_status omreg_sample_domain_regular(const omreg_backend *backend, int dim,
                                                   const size_t *shape, size_t k,
                                                   const double *grid2world, double sigma,
                                                   uint64_t seed, double **points, size_t *m);

#ifdef __cplusplus
}
#endif
#endif
