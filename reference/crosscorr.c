/* Reference local cross-correlation kernels (DIPY crosscorr.pyx): the five
 * windowed factors by DIPY's sliding windows and by brute force, and the CC
 * forward/backward steps with their energy (kernels_crosscorr.h). Plain
 * loops in DIPY's order; the step energy is summed per grid row, rows in
 * order (the canonical order). */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "crosscorr_point.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "crosscorr.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "crosscorr.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

/* ---- sliding windows, 2D (DIPY precompute_cc_factors_2d) ---------------- */

void SFX(omreg_ref_precompute_cc_factors_2d)(int nthreads, const FLT *stat, const FLT *mov,
                                             const size_t shape[2], size_t radius, double *scratch,
                                             FLT *factors)
{
    (void)nthreads;
    for (size_t c = 0; c < shape[1]; ++c)
        SFX(cc_column_2d)(stat, mov, shape, radius, c, scratch, factors);
}

/* ---- sliding windows, 3D (DIPY precompute_cc_factors_3d) ---------------- */

/* DIPY _update_factors: set (op 0), subtract (op -1) or add (op 1) the
 * terms of voxel (s, r, c) to the five sums at t; a voxel past the grid's
 * high end contributes nothing (op 0 then sets zeros). */
static inline void SFX(ref_update)(double *t, const FLT *stat, const FLT *mov, ptrdiff_t ns,
                                   ptrdiff_t nr, ptrdiff_t nc, ptrdiff_t s, ptrdiff_t r,
                                   ptrdiff_t c, int op)
{
    if (s >= ns || r >= nr || c >= nc) {
        if (op == 0)
            for (int k = 0; k < 5; ++k)
                t[k] = 0;
        return;
    }
    const ptrdiff_t v = (s * nr + r) * nc + c;
    const double sval = stat[v], mval = mov[v];
    for (int k = 0; k < 5; ++k) {
        const double x = cc_term(k, sval, mval);
        if (op == 0)
            t[k] = x;
        else if (op == -1)
            t[k] -= x;
        else
            t[k] += x;
    }
}

void SFX(omreg_ref_precompute_cc_factors_3d)(int nthreads, const FLT *stat, const FLT *mov,
                                             const size_t shape[3], size_t radius, double *scratch,
                                             FLT *factors)
{
    (void)nthreads;
    const ptrdiff_t ns = (ptrdiff_t)shape[0], nr = (ptrdiff_t)shape[1], nc = (ptrdiff_t)shape[2];
    const ptrdiff_t rad = (ptrdiff_t)radius, side = 2 * rad + 1;
    /* temp[slab][row][col][5] with rows and columns wrapped modulo mr, mc */
    const ptrdiff_t mr = nr < 2 ? 2 : nr, mc = nc < 2 ? 2 : nc;
#define TEMP(slab, row, col) (scratch + (((slab) * mr + (row)) * mc + (col)) * 5)
    ptrdiff_t sss = 1;
    for (ptrdiff_t s = 0; s < ns + rad; ++s) {
        /* the window sums ending at (s, r, c) are stored at (s, r, c) -
         * radius: the centre of the window */
        const ptrdiff_t ss = s - rad;
        sss = 1 - sss;
        const ptrdiff_t prev_ss = 1 - sss;
        const ptrdiff_t firsts = ss - rad > 0 ? ss - rad : 0;
        const ptrdiff_t lasts = ss + rad < ns - 1 ? ss + rad : ns - 1;
        const ptrdiff_t sides = lasts - firsts + 1;
        for (ptrdiff_t r = 0; r < nr + rad; ++r) {
            const ptrdiff_t rr = cc_wrap(r - rad, mr), prev_rr = cc_wrap(rr - 1, mr);
            const ptrdiff_t firstr = rr - rad > 0 ? rr - rad : 0;
            const ptrdiff_t lastr = rr + rad < nr - 1 ? rr + rad : nr - 1;
            const ptrdiff_t sider = lastr - firstr + 1;
            for (ptrdiff_t c = 0; c < nc + rad; ++c) {
                const ptrdiff_t cc = cc_wrap(c - rad, mc), prev_cc = cc_wrap(cc - 1, mc);
                double *t = TEMP(sss, rr, cc);
                /* new corner */
                SFX(ref_update)(t, stat, mov, ns, nr, nc, s, r, c, 0);
                /* add signed sub-volumes */
                if (s > 0) {
                    for (int k = 0; k < 5; ++k)
                        t[k] += TEMP(prev_ss, rr, cc)[k];
                    if (r > 0) {
                        for (int k = 0; k < 5; ++k)
                            t[k] -= TEMP(prev_ss, prev_rr, cc)[k];
                        if (c > 0)
                            for (int k = 0; k < 5; ++k)
                                t[k] += TEMP(prev_ss, prev_rr, prev_cc)[k];
                    }
                    if (c > 0)
                        for (int k = 0; k < 5; ++k)
                            t[k] -= TEMP(prev_ss, rr, prev_cc)[k];
                }
                if (r > 0) {
                    for (int k = 0; k < 5; ++k)
                        t[k] += TEMP(sss, prev_rr, cc)[k];
                    if (c > 0)
                        for (int k = 0; k < 5; ++k)
                            t[k] -= TEMP(sss, prev_rr, prev_cc)[k];
                }
                if (c > 0)
                    for (int k = 0; k < 5; ++k)
                        t[k] += TEMP(sss, rr, prev_cc)[k];
                /* add signed corners */
                if (s >= side) {
                    SFX(ref_update)(t, stat, mov, ns, nr, nc, s - side, r, c, -1);
                    if (r >= side) {
                        SFX(ref_update)(t, stat, mov, ns, nr, nc, s - side, r - side, c, 1);
                        if (c >= side)
                            SFX(ref_update)(t, stat, mov, ns, nr, nc, s - side, r - side,
                                            c - side, -1);
                    }
                    if (c >= side)
                        SFX(ref_update)(t, stat, mov, ns, nr, nc, s - side, r, c - side, 1);
                }
                if (r >= side) {
                    SFX(ref_update)(t, stat, mov, ns, nr, nc, s, r - side, c, -1);
                    if (c >= side)
                        SFX(ref_update)(t, stat, mov, ns, nr, nc, s, r - side, c - side, 1);
                }
                if (c >= side)
                    SFX(ref_update)(t, stat, mov, ns, nr, nc, s, r, c - side, -1);
                /* the window centred at (ss, rr, cc) is complete */
                if (s >= rad && r >= rad && c >= rad) {
                    const ptrdiff_t firstc = cc - rad > 0 ? cc - rad : 0;
                    const ptrdiff_t lastc = cc + rad < nc - 1 ? cc + rad : nc - 1;
                    const ptrdiff_t sidec = lastc - firstc + 1;
                    const double cnt = (double)(sides * sider * sidec);
                    const ptrdiff_t v = (ss * nr + rr) * nc + cc;
                    SFX(cc_factors_point)(t[CC_SI], t[CC_SI2], t[CC_SJ], t[CC_SJ2], t[CC_SIJ],
                                          cnt, stat[v], mov[v], &factors[v * 5]);
                }
            }
        }
    }
#undef TEMP
}

/* ---- brute force (DIPY precompute_cc_factors_{2,3}d_test) --------------- */

void SFX(omreg_ref_precompute_cc_factors_brute_2d)(int nthreads, const FLT *stat, const FLT *mov,
                                                   const size_t shape[2], size_t radius,
                                                   FLT *factors)
{
    (void)nthreads;
    const ptrdiff_t nr = (ptrdiff_t)shape[0], nc = (ptrdiff_t)shape[1];
    for (ptrdiff_t r = 0; r < nr; ++r)
        for (ptrdiff_t c = 0; c < nc; ++c)
            SFX(cc_brute_point)(stat, mov, 1, nr, nc, (ptrdiff_t)radius, 0, r, c, factors);
}

void SFX(omreg_ref_precompute_cc_factors_brute_3d)(int nthreads, const FLT *stat, const FLT *mov,
                                                   const size_t shape[3], size_t radius,
                                                   FLT *factors)
{
    (void)nthreads;
    const ptrdiff_t ns = (ptrdiff_t)shape[0], nr = (ptrdiff_t)shape[1], nc = (ptrdiff_t)shape[2];
    for (ptrdiff_t s = 0; s < ns; ++s)
        for (ptrdiff_t r = 0; r < nr; ++r)
            for (ptrdiff_t c = 0; c < nc; ++c)
                SFX(cc_brute_point)(stat, mov, ns, nr, nc, (ptrdiff_t)radius, s, r, c, factors);
}

/* ---- CC steps (DIPY compute_cc_{forward,backward}_step_{2,3}d) ---------- */

static void SFX(ref_step_2d)(const FLT *grad, const FLT *factors, const size_t shape[2],
                             size_t radius, int backward, FLT *out, double *energy)
{
    const ptrdiff_t nr = (ptrdiff_t)shape[0], nc = (ptrdiff_t)shape[1];
    const ptrdiff_t rad = (ptrdiff_t)radius;
    double total = 0;
    for (ptrdiff_t r = 0; r < nr; ++r) { /* block = row r */
        const int active = r >= rad && r < nr - rad;
        total += SFX(cc_step_row)(grad, factors, 2, nc, rad, active, backward,
                                   (size_t)(r * nc), out);
    }
    *energy = total;
}

static void SFX(ref_step_3d)(const FLT *grad, const FLT *factors, const size_t shape[3],
                             size_t radius, int backward, FLT *out, double *energy)
{
    const ptrdiff_t ns = (ptrdiff_t)shape[0], nr = (ptrdiff_t)shape[1], nc = (ptrdiff_t)shape[2];
    const ptrdiff_t rad = (ptrdiff_t)radius;
    double total = 0;
    for (ptrdiff_t s = 0; s < ns; ++s)
        for (ptrdiff_t r = 0; r < nr; ++r) { /* block = row (s, r) */
            const int active = s >= rad && s < ns - rad && r >= rad && r < nr - rad;
            total += SFX(cc_step_row)(grad, factors, 3, nc, rad, active, backward,
                                       (size_t)((s * nr + r) * nc), out);
        }
    *energy = total;
}

void SFX(omreg_ref_compute_cc_forward_step_2d)(int nthreads, const FLT *grad_static,
                                               const FLT *factors, const size_t shape[2],
                                               size_t radius, double *scratch, FLT *out,
                                               double *energy)
{
    (void)nthreads;
    (void)scratch; /* the serial order needs no block storage */
    SFX(ref_step_2d)(grad_static, factors, shape, radius, 0, out, energy);
}

void SFX(omreg_ref_compute_cc_backward_step_2d)(int nthreads, const FLT *grad_moving,
                                                const FLT *factors, const size_t shape[2],
                                                size_t radius, double *scratch, FLT *out,
                                                double *energy)
{
    (void)nthreads;
    (void)scratch;
    SFX(ref_step_2d)(grad_moving, factors, shape, radius, 1, out, energy);
}

void SFX(omreg_ref_compute_cc_forward_step_3d)(int nthreads, const FLT *grad_static,
                                               const FLT *factors, const size_t shape[3],
                                               size_t radius, double *scratch, FLT *out,
                                               double *energy)
{
    (void)nthreads;
    (void)scratch;
    SFX(ref_step_3d)(grad_static, factors, shape, radius, 0, out, energy);
}

void SFX(omreg_ref_compute_cc_backward_step_3d)(int nthreads, const FLT *grad_moving,
                                                const FLT *factors, const size_t shape[3],
                                                size_t radius, double *scratch, FLT *out,
                                                double *energy)
{
    (void)nthreads;
    (void)scratch;
    SFX(ref_step_3d)(grad_moving, factors, shape, radius, 1, out, energy);
}

#endif /* FLT */
