/* Gaussian smoothing with scipy.ndimage.gaussian_filter semantics (scipy
 * 1.10), as DIPY 1.6 uses it in its scale spaces (ScaleSpace,
 * IsotropicScaleSpace) and on each component of the SyN metric steps
 * (CCMetric, SSDMetric, EMMetric): a separable correlation, axis 0 first,
 * with weights exp(-x^2 / (2 sigma^2)) normalised to sum 1 over
 * x = -r..r, r = int(truncate * sigma + 0.5); axes with sigma <= 1e-15
 * are skipped. Float32 images are filtered in double and stored as float
 * after every axis pass, like scipy. */
#ifndef OMREG_SMOOTH_H
#define OMREG_SMOOTH_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Boundary extension of a line a b c d (scipy's mode names). Kernels wider
 * than the axis keep extending periodically, as scipy does. */
typedef enum omreg_smooth_mode {
    OMREG_SMOOTH_REFLECT = 0, /* d c b a | a b c d | d c b a  (scipy default, DIPY) */
    OMREG_SMOOTH_NEAREST,     /* a a a a | a b c d | d d d d */
    OMREG_SMOOTH_MIRROR,      /*   d c b | a b c d | c b a   (length 1: nearest) */
    OMREG_SMOOTH_CONSTANT,    /* k k k k | a b c d | k k k k  (k = cval) */
    OMREG_SMOOTH_WRAP,        /* a b c d | a b c d | a b c d */
    OMREG_SMOOTH_MODE_COUNT
} omreg_smooth_mode;

/** scipy's default truncate: the kernel reaches 4 standard deviations. */
#define OMREG_SMOOTH_TRUNCATE 4.0

/** Largest kernel radius (in voxels) accepted: 2^20 (a sigma of 262144
 * voxels at truncate 4). */
#define OMREG_SMOOTH_MAX_RADIUS ((size_t)1 << 20)

/** Smooth `in` (scalar image, or displacement field: each component
 * separately, as DIPY's `d[..., i] = gaussian_filter(d[..., i], s)`) with
 * sigmas[a] voxels along axis a (ndim entries; sigma <= 1e-15, negative
 * included, skips the axis as in scipy: DIPY's ScaleSpace passes negative
 * sigmas along the coarse axes of anisotropic images), the
 * given boundary mode, cval (used by OMREG_SMOOTH_CONSTANT only) and
 * truncate (OMREG_SMOOTH_TRUNCATE for DIPY). Voxel values are not checked:
 * NaN and Inf propagate through the sums as in scipy.
 * On success *out is a new image with in's ndim, shape, ncomp, dtype and
 * grid2world, owned by the caller (omreg_image_free). Returns
 * OMREG_EINVAL (NULL argument, mode out of range, negative truncate),
 * OMREG_ENONFINITE (non-finite sigma or truncate, non-finite
 * cval with OMREG_SMOOTH_CONSTANT), OMREG_EOVERFLOW (a radius above
 * OMREG_SMOOTH_MAX_RADIUS) or OMREG_ENOMEM; on failure *out is untouched. */
OMREG_API omreg_status omreg_gaussian_filter(const omreg_backend *backend, const omreg_image *in,
                                             const double *sigmas, omreg_smooth_mode mode,
                                             double cval, double truncate, omreg_image **out);

/** Like omreg_gaussian_filter, but overwrites `image` with the result (it
 * may own or borrow its buffer). Allocates only the weights and one line
 * buffer per thread, never a volume. Same statuses; on failure `image` is
 * unchanged. */
OMREG_API omreg_status omreg_gaussian_filter_inplace(const omreg_backend *backend,
                                                     omreg_image *image, const double *sigmas,
                                                     omreg_smooth_mode mode, double cval,
                                                     double truncate);

#ifdef __cplusplus
}
#endif
#endif
