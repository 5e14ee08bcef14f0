/* Per-sample Parzen arithmetic shared by both backends (DIPY parzenhist.pyx
 * _bin_normalize, _bin_index, _cubic_spline, _cubic_spline_derivative). */
#ifndef OMREG_CORE_PARZEN_POINT_H
#define OMREG_CORE_PARZEN_POINT_H

#include <stddef.h>

/* continuous bin of intensity x: x / delta - min (0 when delta is 0) */
static inline double parzen_bin_normalize(double x, double mn, double delta)
{
    if (delta == 0)
        return 0;
    return x / delta - mn;
}

/* integer bin: normalized truncated toward zero, clamped to [padding,
 * nbins-1-padding]. The clamp is tested on the double, so no value is cast
 * out of range: a NaN takes the first bin, as DIPY's cast gives on x86-64. */
static inline ptrdiff_t parzen_bin_index(double normalized, int nbins, int padding)
{
    if (!(normalized >= padding))
        return padding;
    if (normalized >= nbins - padding)
        return nbins - 1 - padding;
    return (ptrdiff_t)normalized;
}

/* cubic B-spline: (4 - 6x^2 + 3|x|^3)/6 on |x|<1, (8 - 12|x| + 6x^2 - |x|^3)/6 on |x|<2 */
static inline double parzen_cubic_spline(double x)
{
    double absx = x < 0.0 ? -x : x;
    double sqrx = x * x;
    if (absx < 1.0)
        return (4.0 - 6.0 * sqrx + 3.0 * sqrx * absx) / 6.0;
    if (absx < 2.0)
        return (8.0 - 12 * absx + 6.0 * sqrx - sqrx * absx) / 6.0;
    return 0.0;
}

/* its derivative, written per sign as DIPY does */
static inline double parzen_cubic_spline_derivative(double x)
{
    double absx = x < 0.0 ? -x : x;
    if (absx < 1.0) {
        if (x >= 0.0)
            return -2.0 * x + 1.5 * x * x;
        return -2.0 * x - 1.5 * x * x;
    }
    if (absx < 2.0) {
        if (x >= 0)
            return -2.0 + 2.0 * x - 0.5 * x * x;
        return 2.0 + 2.0 * x + 0.5 * x * x;
    }
    return 0.0;
}

/* Add one sample to a joint partial laid out as [joint nbins^2 | smarginal
 * nbins | total_sum | valid_count]: smarginal[r] += 1 and the 5 window
 * weights around the moving bin c. */
static inline void parzen_joint_add(double *partial, int nbins, int padding, double sn,
                                    double mn)
{
    ptrdiff_t r = parzen_bin_index(sn, nbins, padding);
    ptrdiff_t c = parzen_bin_index(mn, nbins, padding);
    double *joint = partial, *smarg = partial + (size_t)nbins * (size_t)nbins;
    double *total = smarg + nbins;
    double spline_arg = (double)(c - 2) - mn;
    smarg[r] += 1;
    total[1] += 1;
    for (ptrdiff_t offset = -2; offset <= 2; ++offset) {
        double val = parzen_cubic_spline(spline_arg);
        joint[r * nbins + c + offset] += val;
        total[0] += val;
        spline_arg += 1.0;
    }
}

/* Add one sample's d joint / d theta: prod = J^T grad(moving), then
 * joint_grad[r, c+o, :] -= spline'(.) * prod. */
static inline void parzen_gradient_add(double *joint_grad, int nbins, int padding, int nparams,
                                       int dim, const double *J, const double *mgrad, double sn,
                                       double mn, double *prod)
{
    for (int l = 0; l < nparams; ++l) {
        if (dim == 2)
            prod[l] = J[l] * mgrad[0] + J[nparams + l] * mgrad[1];
        else
            prod[l] = J[l] * mgrad[0] + J[nparams + l] * mgrad[1] + J[2 * nparams + l] * mgrad[2];
    }
    ptrdiff_t r = parzen_bin_index(sn, nbins, padding);
    ptrdiff_t c = parzen_bin_index(mn, nbins, padding);
    double spline_arg = (double)(c - 2) - mn;
    for (ptrdiff_t offset = -2; offset <= 2; ++offset) {
        double val = parzen_cubic_spline_derivative(spline_arg);
        double *g = joint_grad + ((size_t)r * (size_t)nbins + (size_t)(c + offset)) * (size_t)nparams;
        for (int l = 0; l < nparams; ++l)
            g[l] -= val * prod[l];
        spline_arg += 1.0;
    }
}

#endif
