/* Parallel Gaussian smoothing pass (scipy.ndimage.correlate1d with
 * gaussian_filter1d's symmetric weights, as DIPY 1.6 calls gaussian_filter).
 * Lines along the axis are independent; threads take them (schedule
 * (runtime)) and each works in its own buffer from the caller's scratch
 * (a team of nthreads). Loop order differs from the reference:
 * along the last axis the ncomp interleaved lines of a grid row are
 * filtered together in their memory order, SMOOTH_BLOCK outputs at a time
 * in registers; along other axes OMREG_SMOOTH_PANEL neighbouring lines are
 * filtered side by side, so every load and store is a contiguous run.
 * Either way each output gets its own double
 * accumulator that receives x*w[0] and then the pair terms k = r..1
 * exactly as in the reference, so the bits are the same for any thread
 * count or schedule. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include <omp.h>

#include "kernels.h"
#include "smooth_line.h"

/* outputs of a last-axis line computed together, in registers */
#define SMOOTH_BLOCK 8

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

void SFX(omreg_par_gaussian_filter1d)(int nthreads, const FLT *in, FLT *out, int ndim,
                                      const size_t *shape, size_t ncomp, int axis,
                                      const double *weights, size_t radius, omreg_smooth_mode mode,
                                      double cval, double *scratch)
{
    const size_t len = shape[axis];
    /* lines = (position before the axis, position after it incl. component) */
    size_t outer = 1, inner = ncomp;
    for (int a = 0; a < axis; ++a)
        outer *= shape[a];
    for (int a = axis + 1; a < ndim; ++a)
        inner *= shape[a];
    const size_t step = inner; /* distance between neighbours on a line */
    const size_t per_buffer = omreg_gaussian_line_buffer(len, radius);
    const ptrdiff_t r = (ptrdiff_t)radius;

#pragma omp parallel num_threads(nthreads)
    {
#ifdef OMREG_CANARY_SMOOTH_SHARED_BUFFER
        /* planted (ci/canaries.tsv): every thread works in buffer 0 */
        double *buf = scratch;
        (void)per_buffer;
#else
        double *buf = scratch + (size_t)omp_get_thread_num() * per_buffer;
#endif
        if (inner <= OMREG_SMOOTH_PANEL) {
            /* last axis: the inner interleaved lines of one grid row are
             * contiguous; neighbours on a line are inner apart. Outputs in
             * register blocks of SMOOTH_BLOCK, each with its own
             * accumulator taking the reference's sequence of terms */
            const size_t m = len * inner;
            double *x = buf + radius * inner;
#pragma omp for schedule(runtime)
            for (size_t line = 0; line < outer; ++line) {
                const size_t base = line * m;
                for (size_t e = 0; e < m; ++e)
                    x[e] = (double)in[base + e];
                smooth_extend_lines(x, len, radius, inner, inner, mode, cval);
                size_t e0 = 0;
                for (; e0 + SMOOTH_BLOCK <= m; e0 += SMOOTH_BLOCK) {
                    const double *centre = x + e0;
                    double acc[SMOOTH_BLOCK];
                    for (size_t l = 0; l < SMOOTH_BLOCK; ++l)
                        acc[l] = centre[l] * weights[0];
                    for (ptrdiff_t k = r; k >= 1; --k) {
                        const double wk = weights[k];
                        const double *below = centre - k * (ptrdiff_t)inner;
                        const double *above = centre + k * (ptrdiff_t)inner;
                        for (size_t l = 0; l < SMOOTH_BLOCK; ++l)
                            acc[l] += (below[l] + above[l]) * wk;
                    }
                    for (size_t l = 0; l < SMOOTH_BLOCK; ++l)
                        out[base + e0 + l] = (FLT)acc[l];
                }
                for (; e0 < m; ++e0) {
                    const double *centre = x + e0;
                    double acc = centre[0] * weights[0];
                    for (ptrdiff_t k = r; k >= 1; --k)
                        acc += (centre[-k * (ptrdiff_t)inner] + centre[k * (ptrdiff_t)inner]) *
                               weights[k];
                    out[base + e0] = (FLT)acc;
                }
            }
        } else {
            /* otherwise: a panel of up to W lines that are neighbours in
             * memory (consecutive positions after the axis, components
             * included), stored row by row: p[j*W + c] is value j of line
             * c, rows -r .. len-1+r */
            const size_t W = OMREG_SMOOTH_PANEL;
            const size_t nblocks = (inner + W - 1) / W;
            double *p = buf + radius * W, *acc = buf + (len + 2 * radius) * W;
#pragma omp for schedule(runtime)
            for (size_t task = 0; task < outer * nblocks; ++task) {
                const size_t o = task / nblocks, i0 = (task % nblocks) * W;
                const size_t nw = inner - i0 < W ? inner - i0 : W;
                const size_t base = o * len * inner + i0;
                for (size_t j = 0; j < len; ++j)
                    for (size_t c = 0; c < nw; ++c)
                        p[j * W + c] = (double)in[base + j * step + c];
                smooth_extend_lines(p, len, radius, W, nw, mode, cval);
                for (size_t j = 0; j < len; ++j) {
                    const double *centre = p + j * W;
                    for (size_t c = 0; c < nw; ++c)
                        acc[c] = centre[c] * weights[0];
                    for (ptrdiff_t k = r; k >= 1; --k) {
                        const double wk = weights[k];
                        const double *below = centre - k * (ptrdiff_t)W;
                        const double *above = centre + k * (ptrdiff_t)W;
                        for (size_t c = 0; c < nw; ++c)
                            acc[c] += (below[c] + above[c]) * wk;
                    }
                    for (size_t c = 0; c < nw; ++c)
                        out[base + j * step + c] = (FLT)acc[c];
                }
            }
        }
    }
}

#endif /* FLT */
