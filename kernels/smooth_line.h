/* Line helpers shared by both backends' gaussian_filter1d kernels: scipy's
 * boundary extension (ni_support.c NI_ExtendLine, written here as the
 * equivalent periodic index map) and the symmetric correlation of one
 * output in scipy's order (ni_filters.c NI_Correlate1D, symmetric case). */
#ifndef OMREG_CORE_SMOOTH_LINE_H
#define OMREG_CORE_SMOOTH_LINE_H

#include <stddef.h>

#include "omreg/smooth.h"

/* Non-negative remainder of i modulo p (p >= 1). */
static inline ptrdiff_t smooth_mod(ptrdiff_t i, ptrdiff_t p)
{
    ptrdiff_t m = i % p;
    return m < 0 ? m + p : m;
}

/* Index in [0, len) whose value scipy puts at position i (any integer) of
 * the extended line, or -1 for the constant cval. scipy fills the
 * extension by copying outward from the line and then from the values it
 * has already written, which makes reflect periodic with period 2*len,
 * mirror with period 2*len - 2 (length 1 falls back to nearest) and wrap
 * with period len, however far the kernel reaches. */
static inline ptrdiff_t smooth_source_index(ptrdiff_t i, ptrdiff_t len, omreg_smooth_mode mode)
{
    if (i >= 0 && i < len)
        return i;
    switch (mode) {
    case OMREG_SMOOTH_NEAREST:
        return i < 0 ? 0 : len - 1;
    case OMREG_SMOOTH_WRAP:
        return smooth_mod(i, len);
    case OMREG_SMOOTH_MIRROR:
        if (len > 1) { /* c b | a b c d | c b a */
            ptrdiff_t p = 2 * len - 2, m = smooth_mod(i, p);
            return m < len ? m : p - m;
        }
        return 0;
    case OMREG_SMOOTH_CONSTANT:
        return -1;
    case OMREG_SMOOTH_REFLECT:
    default: { /* b a | a b c d | d c */
        ptrdiff_t p = 2 * len, m = smooth_mod(i, p);
        return m < len ? m : p - 1 - m;
    }
    }
}

/* Fill the radius values on each side of count lines of len values stored
 * side by side, value j of line c at x[j * stride + c] (x points radius
 * rows into its buffer; the extension only reads values 0..len-1). */
static inline void smooth_extend_lines(double *x, size_t len, size_t radius, size_t stride,
                                       size_t count, omreg_smooth_mode mode, double cval)
{
    const ptrdiff_t n = (ptrdiff_t)len, s = (ptrdiff_t)stride;
    for (ptrdiff_t k = 1; k <= (ptrdiff_t)radius; ++k) {
        const ptrdiff_t lo = smooth_source_index(-k, n, mode);
        const ptrdiff_t hi = smooth_source_index(n - 1 + k, n, mode);
        double *dlo = x - k * s, *dhi = x + (n - 1 + k) * s;
        for (size_t c = 0; c < count; ++c) {
            dlo[c] = lo < 0 ? cval : x[lo * s + (ptrdiff_t)c];
            dhi[c] = hi < 0 ? cval : x[hi * s + (ptrdiff_t)c];
        }
    }
}

/* The same for one contiguous line x[0..len). */
static inline void smooth_extend_line(double *x, size_t len, size_t radius,
                                      omreg_smooth_mode mode, double cval)
{
    smooth_extend_lines(x, len, radius, 1, 1, mode, cval);
}

/* One output of the symmetric correlation, c pointing at the centre value:
 * c[0]*w[0], then the pairs (c[-k] + c[k])*w[k] from k = radius down to 1,
 * accumulated in double in that order (scipy's loop jj = -radius..-1). */
static inline double smooth_correlate_point(const double *c, const double *w, size_t radius)
{
    double acc = c[0] * w[0];
    for (ptrdiff_t k = (ptrdiff_t)radius; k >= 1; --k)
        acc += (c[-k] + c[k]) * w[k];
    return acc;
}

#endif
