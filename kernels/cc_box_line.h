/* The line operations of the box-sum CC factors (kernels_cc_box.h) shared by
 * both backends: the clipped window of an index, the five terms of a line,
 * the addition of a line of box sums into another, and one row's last box
 * sums and factors. Sums are kept in five planes (SI, SI2, SJ, SJ2, SIJ, the
 * crosscorr_point.h order) of stride n doubles. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_CORE_CC_BOX_LINE_H
#define OMREG_CORE_CC_BOX_LINE_H

#include <stddef.h>

#include "crosscorr_point.h"

/* [*first, *last]: the window of index i, radius rad, on an axis of n
 * voxels, clipped to [0, n - 1] (DIPY's firsts / lasts). */
static inline void cc_box_window(ptrdiff_t i, ptrdiff_t rad, ptrdiff_t n, ptrdiff_t *first,
                                 ptrdiff_t *last)
{
    *first = i - rad > 0 ? i - rad : 0;
    *last = i + rad < n - 1 ? i + rad : n - 1;
}

/* dst[t][c] = src[t][c] (set) or dst[t][c] += src[t][c], c < n, t < 5 */
static inline void cc_box_add_planes(double *dst, size_t dst_stride, const double *src,
                                     size_t src_stride, size_t n, int set)
{
    for (size_t t = 0; t < 5; ++t) {
        double *d = dst + t * dst_stride;
        const double *s = src + t * src_stride;
        if (set)
            for (size_t c = 0; c < n; ++c)
                d[c] = s[c];
        else
            for (size_t c = 0; c < n; ++c)
                d[c] += s[c];
    }
}

#define FLT double
#define SFX(name) name##_f64
#include "cc_box_line.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "cc_box_line.h"
#undef FLT
#undef SFX

#endif /* OMREG_CORE_CC_BOX_LINE_H */

#else /* FLT: the type-generic body */

/* dst[t][c] = term t of voxel c (set) or dst[t][c] += it, c < n: the values
 * read into double, squares and products in double (cc_term's arithmetic). */
static inline void SFX(cc_box_add_terms)(double *dst, size_t stride, const FLT *stat,
                                         const FLT *mov, size_t n, int set)
{
    double *si = dst + CC_SI * stride, *si2 = dst + CC_SI2 * stride;
    double *sj = dst + CC_SJ * stride, *sj2 = dst + CC_SJ2 * stride;
    double *sij = dst + CC_SIJ * stride;
    if (set) {
        for (size_t c = 0; c < n; ++c) {
            const double sv = stat[c], mv = mov[c];
            si[c] = sv;
            si2[c] = sv * sv;
            sj[c] = mv;
            sj2[c] = mv * mv;
            sij[c] = sv * mv;
        }
    } else {
        for (size_t c = 0; c < n; ++c) {
            const double sv = stat[c], mv = mov[c];
            si[c] += sv;
            si2[c] += sv * sv;
            sj[c] += mv;
            sj2[c] += mv * mv;
            sij[c] += sv * mv;
        }
    }
}

/* One grid row of n voxels: row holds the five box sums over the slower
 * axes (stride n); each voxel's window sum is the box sum of row along the
 * last axis over its clipped window, first element first; the count is
 * outer (the slower axes' window sides multiplied) times the last axis's
 * side, as DIPY's sides * sider * sidec. stat, mov, f: the row's voxels and
 * factors (5 per voxel). */
static inline void SFX(cc_box_row_factors)(const double *row, size_t n, ptrdiff_t rad,
                                           ptrdiff_t outer, const FLT *stat, const FLT *mov,
                                           FLT *f)
{
    for (ptrdiff_t c = 0; c < (ptrdiff_t)n; ++c) {
        ptrdiff_t first, last;
        cc_box_window(c, rad, (ptrdiff_t)n, &first, &last);
        double sum[5];
        for (size_t t = 0; t < 5; ++t) {
            const double *p = row + t * n;
            double acc = p[first];
            for (ptrdiff_t j = first + 1; j <= last; ++j)
                acc += p[j];
            sum[t] = acc;
        }
        const double cnt = (double)(outer * (last - first + 1));
        SFX(cc_factors_point)(sum[CC_SI], sum[CC_SI2], sum[CC_SJ], sum[CC_SJ2], sum[CC_SIJ],
                              cnt, stat[c], mov[c], &f[(size_t)c * 5]);
    }
}

/* 2D, row r whose axis-0 window is [first, last]: the axis-0 box sums of
 * its columns into buf (5 n1 doubles), then the row's factors. */
static inline void SFX(cc_box_row_2d)(const FLT *stat, const FLT *mov, const size_t shape[2],
                                      ptrdiff_t rad, ptrdiff_t r, ptrdiff_t first,
                                      ptrdiff_t last, double *buf, FLT *factors)
{
    const size_t nc = shape[1];
    for (ptrdiff_t i = first; i <= last; ++i)
        SFX(cc_box_add_terms)(buf, nc, stat + (size_t)i * nc, mov + (size_t)i * nc, nc,
                              i == first);
    const size_t v0 = (size_t)r * nc;
    SFX(cc_box_row_factors)(buf, nc, rad, last - first + 1, stat + v0, mov + v0,
                            factors + v0 * 5);
}

/* 3D, slab s whose axis-0 window is [first, last]: its axis-0 box sums into
 * slab (5 planes of n1 n2), then row by row the axis-1 box sums into row
 * (5 n2) and the row's factors. */
static inline void SFX(cc_box_slab_3d)(const FLT *stat, const FLT *mov, const size_t shape[3],
                                       ptrdiff_t rad, ptrdiff_t s, ptrdiff_t first,
                                       ptrdiff_t last, double *slab, double *row,
                                       FLT *factors)
{
    const size_t nr = shape[1], nc = shape[2], plane = nr * nc;
    for (ptrdiff_t k = first; k <= last; ++k)
        SFX(cc_box_add_terms)(slab, plane, stat + (size_t)k * plane, mov + (size_t)k * plane,
                              plane, k == first);
    for (ptrdiff_t r = 0; r < (ptrdiff_t)nr; ++r) {
        ptrdiff_t fr, lr;
        cc_box_window(r, rad, (ptrdiff_t)nr, &fr, &lr);
        for (ptrdiff_t i = fr; i <= lr; ++i)
            cc_box_add_planes(row, nc, slab + (size_t)i * nc, plane, nc, i == fr);
        const size_t v0 = ((size_t)s * nr + (size_t)r) * nc;
        SFX(cc_box_row_factors)(row, nc, rad, (last - first + 1) * (lr - fr + 1), stat + v0,
                                mov + v0, factors + v0 * 5);
    }
}

#endif /* FLT */
