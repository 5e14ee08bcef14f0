/* Separable Gaussian smoothing (scipy.ndimage.gaussian_filter 1.10 as
 * DIPY 1.6 calls it): one kernel pass correlates every line along one
 * axis with symmetric weights w[0..radius] (w[k] weighs offsets +-k),
 * out[i] = x[i]*w[0] + sum_{k=radius..1} (x[i-k] + x[i+k])*w[k] in double,
 * with scipy's boundary extension of the line (omreg/smooth.h modes). */
#ifndef OMREG_CORE_KERNELS_SMOOTH_H
#define OMREG_CORE_KERNELS_SMOOTH_H

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/smooth.h"

/* Lines the parallel kernel filters side by side along axes other than
 * the last (neighbours in memory, so each row of the panel is one run of
 * contiguous voxels). */
#define OMREG_SMOOTH_PANEL ((size_t)16)

/* Doubles in one line buffer: room for a panel of OMREG_SMOOTH_PANEL lines
 * of len values extended by radius values on each side, plus one row of
 * accumulators (the reference uses the first len + 2*radius). The caller
 * checks that the size fits size_t. */
static inline size_t omreg_gaussian_line_buffer(size_t len, size_t radius)
{
    return (len + 2 * radius + 1) * OMREG_SMOOTH_PANEL;
}

/* One pass along `axis` of a C-order grid of ndim (2 or 3) axes `shape`
 * whose voxels hold ncomp interleaved components (1: scalar image; ndim:
 * field, component c of voxel v at [v*ncomp + c]); every component is
 * filtered on its own, as DIPY's d[..., c] = gaussian_filter(d[..., c]).
 * in == out is allowed: each line is copied to a buffer before any of it
 * is written. scratch holds nthreads line buffers of
 * omreg_gaussian_line_buffer(shape[axis], radius) doubles (the reference
 * uses one, the parallel kernel one per thread of its team of nthreads).
 * Float32 data is read into
 * double, every output is computed in double and rounded to float once,
 * as scipy does. */
typedef void omreg_gaussian_filter1d_f64_fn(int nthreads, const double *in, double *out, int ndim,
                                            const size_t *shape, size_t ncomp, int axis,
                                            const double *weights, size_t radius,
                                            omreg_smooth_mode mode, double cval, double *scratch);
typedef void omreg_gaussian_filter1d_f32_fn(int nthreads, const float *in, float *out, int ndim,
                                            const size_t *shape, size_t ncomp, int axis,
                                            const double *weights, size_t radius,
                                            omreg_smooth_mode mode, double cval, double *scratch);

/* ---- serial helpers (api/smooth_api.c) ---------------------------------
 * The weights are computed once here and handed to either backend, so
 * both use identical weights. */

/* scipy's radius int(truncate * sigma + 0.5) (axes with sigma <= 1e-15
 * are skipped by the callers). OMREG_ENONFINITE / OMREG_EINVAL for
 * non-finite / negative arguments, OMREG_EOVERFLOW above
 * OMREG_SMOOTH_MAX_RADIUS. */
omreg_status omreg_gaussian_radius(double sigma, double truncate, size_t *radius);

/* scipy's _gaussian_kernel1d(sigma, 0, radius): phi(x) = exp(-0.5/sigma^2
 * * x^2) for x = -radius..radius, divided by numpy's pairwise sum of all
 * 2*radius+1 values; writes the symmetric half weights[0..radius]
 * (weights[k] for x = +-k). scratch holds 2*radius+1 doubles. */
void omreg_gaussian_weights(double sigma, size_t radius, double *weights, double *scratch);

/* Smooth every component of `in` (scalar image or field) into `out` (same
 * ndim, shape, ncomp and dtype; out == in allowed) with the given
 * per-axis half weights (weights[a] == NULL: axis a skipped; no axis:
 * plain copy), axes in order 0, 1, 2, each pass reading the previous
 * pass's stored output as scipy does. Validates nothing but the
 * allocation of the line buffers (OMREG_ENOMEM, OMREG_EOVERFLOW); the
 * public entry points validate. nthreads: the run's thread count (line
 * buffers, and the parallel kernel's team); 0 for the backend's default.
 * Exposed so the golden tests can run the kernels with scipy's own
 * weights. */
omreg_status omreg_gaussian_filter_weights(const omreg_backend *backend, int nthreads,
                                           const omreg_image *in, omreg_image *out,
                                           const double *const weights[3],
                                           const size_t radius[3], omreg_smooth_mode mode,
                                           double cval);

#endif
