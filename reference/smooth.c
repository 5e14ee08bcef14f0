/* Reference Gaussian smoothing pass (scipy.ndimage.correlate1d with
 * gaussian_filter1d's symmetric weights, as DIPY 1.6 calls gaussian_filter):
 * for every line along `axis`, copy it to a double buffer, extend it with
 * scipy's boundary rule, and store out[i] = x[i]*w[0] + sum_{k=r..1}
 * (x[i-k] + x[i+k])*w[k], rounded to the element type. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "kernels.h"
#include "smooth_line.h"

#define FLT double
#define SFX(name) name##_f64
#include "smooth.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "smooth.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_ref_gaussian_filter1d)(int nthreads, const FLT *in, FLT *out, int ndim,
                                      const size_t *shape, size_t ncomp, int axis,
                                      const double *weights, size_t radius, omreg_smooth_mode mode,
                                      double cval, double *scratch)
{
    (void)nthreads;
    /* one buffer: scratch[0 .. len + 2*radius) */
    const size_t len = shape[axis];
    /* lines = (position before the axis, position after it incl. component) */
    size_t outer = 1, inner = ncomp;
    for (int a = 0; a < axis; ++a)
        outer *= shape[a];
    for (int a = axis + 1; a < ndim; ++a)
        inner *= shape[a];
    const size_t step = inner; /* distance between neighbours on a line */
    double *x = scratch + radius;

    for (size_t o = 0; o < outer; ++o)
        for (size_t i = 0; i < inner; ++i) {
            const size_t base = o * len * inner + i;
            for (size_t j = 0; j < len; ++j)
                x[j] = (double)in[base + j * step];
            smooth_extend_line(x, len, radius, mode, cval);
            for (size_t j = 0; j < len; ++j)
                out[base + j * step] = (FLT)smooth_correlate_point(&x[j], weights, radius);
        }
}

#endif /* FLT */
