/* Per-voxel arithmetic of DIPY crosscorr.pyx shared by both backends: the
 * low-end wrap of the 3D sweep, the five window terms, the factors from the
 * window sums and the CC step at one voxel. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_CORE_CROSSCORR_POINT_H
#define OMREG_CORE_CROSSCORR_POINT_H

#include <stddef.h>

/* Window sums, in DIPY's order (SI, SI2, SJ, SJ2, SIJ; 2D adds CNT). */
enum { CC_SI = 0, CC_SI2 = 1, CC_SJ = 2, CC_SJ2 = 3, CC_SIJ = 4, CC_CNT = 5 };

/* x mod m in [0, m) for m > 0. DIPY's _wrap adds m once to a negative x,
 * which is the same for -m <= x < 0, the only range it is defined on. */
static inline ptrdiff_t cc_wrap(ptrdiff_t x, ptrdiff_t m)
{
    const ptrdiff_t y = x % m;
    return y < 0 ? y + m : y;
}

/* Term k of the 3D window sums from one voxel (DIPY _update_factors: both
 * values are read into double first, so squares and products are exact
 * in double for float32 images). */
static inline double cc_term(int k, double sval, double mval)
{
    switch (k) {
    case CC_SI:
        return sval;
    case CC_SI2:
        return sval * sval;
    case CC_SJ:
        return mval;
    case CC_SJ2:
        return mval * mval;
    default:
        return sval * mval;
    }
}

#define FLT double
#define SFX(name) name##_f64
#include "crosscorr_point.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "crosscorr_point.h"
#undef FLT
#undef SFX

#endif /* OMREG_CORE_CROSSCORR_POINT_H */

#else /* FLT: the type-generic body */

/* The five factors of one voxel from its window sums (double) and count,
 * exactly as every DIPY variant writes them: means, centred values and the
 * centred second moments expanded as S_xy - my S_x - mx S_y + n my mx, left
 * to right, each stored to FLT. sval, mval: the voxel's own values. */
static inline void SFX(cc_factors_point)(double si, double si2, double sj, double sj2,
                                         double sij, double cnt, FLT sval, FLT mval, FLT *f)
{
    const double imean = si / cnt;
    const double jmean = sj / cnt;
    f[0] = (FLT)(sval - imean);
    f[1] = (FLT)(mval - jmean);
    f[2] = (FLT)(sij - jmean * si - imean * sj + cnt * jmean * imean);
    f[3] = (FLT)(si2 - imean * si - imean * si + cnt * imean * imean);
    f[4] = (FLT)(sj2 - jmean * sj - jmean * sj + cnt * jmean * jmean);
}

/* The CC step at one voxel from its factors f (read into double, as DIPY's
 * double locals). Returns 0 where DIPY skips the voxel (sff or smm is 0):
 * its step is 0 and it adds nothing to the energy. Otherwise *lc is the
 * local correlation (0 unless sff smm > 1e-5; the caller subtracts it from
 * the energy when lc < 1) and *t the derivative of the local correlation
 * with respect to the centre intensity of the static image (forward) or of
 * the moving image (backward): the step is -t times that image's gradient. */
static inline int SFX(cc_step_point)(const FLT *f, int backward, double *lc, double *t)
{
    const double ii = f[0], ji = f[1], sfm = f[2], sff = f[3], smm = f[4];
    if (sff == 0.0 || smm == 0.0)
        return 0;
    double local = 0;
    if (sff * smm > 1e-5)
        local = sfm * sfm / (sff * smm);
    *lc = local;
    if (backward)
        *t = 2.0 * sfm / (sff * smm) * (ii - sfm / smm * ji);
    else
        *t = 2.0 * sfm / (sff * smm) * (ji - sfm / sff * ii);
    return 1;
}

/* DIPY precompute_cc_factors_2d for one column c (the columns are
 * independent: each starts from a zeroed ring). buf: omreg_cc_scratch_2d
 * (radius) doubles, the ring lines[t][q] and sums[t]. Row i of the column
 * window goes to ring slot i % side; the window of row i - radius is the
 * whole ring, summed afresh in slot order; the last radius rows drop the
 * slot row r + radius would have taken. Rows r < 0 of that tail exist only
 * when radius > nr, where DIPY writes outside its arrays: omreg keeps the
 * running sums and skips the write. */
static inline void SFX(cc_column_2d)(const FLT *stat, const FLT *mov, const size_t shape[2],
                                     size_t radius, size_t col, double *buf, FLT *factors)
{
    const ptrdiff_t nr = (ptrdiff_t)shape[0], nc = (ptrdiff_t)shape[1];
    const ptrdiff_t rad = (ptrdiff_t)radius, side = 2 * rad + 1, c = (ptrdiff_t)col;
    double *lines[6], *sums = buf + 6 * side;
    for (int t = 0; t < 6; ++t)
        lines[t] = buf + t * side;
    const ptrdiff_t firstc = c - rad > 0 ? c - rad : 0;
    const ptrdiff_t lastc = c + rad < nc - 1 ? c + rad : nc - 1;
    for (int t = 0; t < 6; ++t)
        for (ptrdiff_t q = 0; q < side; ++q)
            lines[t][q] = 0;
    for (ptrdiff_t i = 0; i < nr; ++i) {
        const ptrdiff_t q = i % side;
        for (int t = 0; t < 6; ++t)
            lines[t][q] = 0;
        for (ptrdiff_t j = firstc; j <= lastc; ++j) {
            const FLT sv = stat[i * nc + j], mv = mov[i * nc + j];
            lines[CC_SI][q] += sv;
            lines[CC_SI2][q] += (FLT)(sv * sv); /* floating * floating */
            lines[CC_SJ][q] += mv;
            lines[CC_SJ2][q] += (FLT)(mv * mv);
            lines[CC_SIJ][q] += (FLT)(sv * mv);
            lines[CC_CNT][q] += 1;
        }
        for (int t = 0; t < 6; ++t) {
            sums[t] = 0;
            for (ptrdiff_t qq = 0; qq < side; ++qq)
                sums[t] += lines[t][qq];
        }
        if (i >= rad) {
            const ptrdiff_t r = i - rad;
            SFX(cc_factors_point)(sums[CC_SI], sums[CC_SI2], sums[CC_SJ], sums[CC_SJ2],
                                  sums[CC_SIJ], sums[CC_CNT], stat[r * nc + c], mov[r * nc + c],
                                  &factors[(r * nc + c) * 5]);
        }
    }
    for (ptrdiff_t r = nr - rad; r < nr; ++r) {
        const ptrdiff_t q = (r + rad) % side;
        for (int t = 0; t < 6; ++t)
            sums[t] -= lines[t][q];
        if (r < 0)
            continue;
        SFX(cc_factors_point)(sums[CC_SI], sums[CC_SI2], sums[CC_SJ], sums[CC_SJ2], sums[CC_SIJ],
                              sums[CC_CNT], stat[r * nc + c], mov[r * nc + c],
                              &factors[(r * nc + c) * 5]);
    }
}

/* The CC step along one grid row of nc voxels starting at voxel v0 (dim
 * components per voxel); active: the row lies in the interior band
 * [radius, n - radius) of the slower axes. Writes the row's step (0 outside
 * the band and where DIPY skips the voxel) and returns the row's energy
 * partial: 0 minus each lc < 1, left to right. */
static inline double SFX(cc_step_row)(const FLT *grad, const FLT *factors, int dim,
                                      ptrdiff_t nc, ptrdiff_t rad, int active, int backward,
                                      size_t v0, FLT *out)
{
    double partial = 0;
    for (ptrdiff_t c = 0; c < nc; ++c) {
        const size_t v = v0 + (size_t)c;
        FLT *o = &out[v * (size_t)dim];
        const FLT *g = &grad[v * (size_t)dim];
        double lc, t;
        if (active && c >= rad && c < nc - rad &&
            SFX(cc_step_point)(&factors[v * 5], backward, &lc, &t)) {
            if (lc < 1) /* avoid bad values (DIPY) */
                partial -= lc;
            for (int d = 0; d < dim; ++d) /* DIPY: out starts at 0, out -= t * grad */
                o[d] = (FLT)(0.0 - t * (double)g[d]);
        } else {
            for (int d = 0; d < dim; ++d)
                o[d] = 0;
        }
    }
    return partial;
}

/* DIPY precompute_cc_factors_{2,3}d_test at voxel (s, r, c) of an
 * (ns, nr, nc) grid (2D: ns = 1, s = 0, the same sequence of operations):
 * the window clipped to the grid summed in row-major order, squares and
 * products in FLT (`floating ** 2`, `floating * floating`). */
static inline void SFX(cc_brute_point)(const FLT *stat, const FLT *mov, ptrdiff_t ns,
                                       ptrdiff_t nr, ptrdiff_t nc, ptrdiff_t rad, ptrdiff_t s,
                                       ptrdiff_t r, ptrdiff_t c, FLT *factors)
{
    const ptrdiff_t firsts = s - rad > 0 ? s - rad : 0;
    const ptrdiff_t lasts = s + rad < ns - 1 ? s + rad : ns - 1;
    const ptrdiff_t firstr = r - rad > 0 ? r - rad : 0;
    const ptrdiff_t lastr = r + rad < nr - 1 ? r + rad : nr - 1;
    const ptrdiff_t firstc = c - rad > 0 ? c - rad : 0;
    const ptrdiff_t lastc = c + rad < nc - 1 ? c + rad : nc - 1;
    double sums[6] = {0, 0, 0, 0, 0, 0};
    for (ptrdiff_t k = firsts; k <= lasts; ++k)
        for (ptrdiff_t i = firstr; i <= lastr; ++i)
            for (ptrdiff_t j = firstc; j <= lastc; ++j) {
                const ptrdiff_t w = (k * nr + i) * nc + j;
                const FLT sv = stat[w], mv = mov[w];
                sums[CC_SI] += sv;
                sums[CC_SI2] += (FLT)(sv * sv);
                sums[CC_SJ] += mv;
                sums[CC_SJ2] += (FLT)(mv * mv);
                sums[CC_SIJ] += (FLT)(sv * mv);
                sums[CC_CNT] += 1;
            }
    const ptrdiff_t v = (s * nr + r) * nc + c;
    SFX(cc_factors_point)(sums[CC_SI], sums[CC_SI2], sums[CC_SJ], sums[CC_SJ2], sums[CC_SIJ],
                          sums[CC_CNT], stat[v], mov[v], &factors[v * 5]);
}

#endif /* FLT */
