/* Parallel local cross-correlation kernels (DIPY crosscorr.pyx,
 * kernels_crosscorr.h). Where the loop order differs from the reference and
 * why the bits do not:
 * - 2D sliding windows: DIPY's columns are independent (each starts from a
 *   zeroed ring), so columns are shared out with one ring buffer per thread;
 *   each column runs the reference's sequence (cc_column_2d).
 * - 3D sliding windows: DIPY's sweep is one dependence chain per window sum
 *   over the whole volume, not only along s: a row's first radius cells
 *   read the stale sums the previous row left at the wrapped columns, and a
 *   slab's first radius rows those the previous slab's last rows left;
 *   exact arithmetic cancels them, floating point does not (replacing them
 *   by clean sums changes most output bits), so no row or slab can start
 *   before its predecessor ends. The five sums never mix, but splitting
 *   them across threads only trades the processor's overlap of five
 *   independent chains for threads (measured slower), and handing the
 *   factors of finished slabs to other threads made the sweep itself
 *   slower (they re-read the slab and compete for memory). So this kernel
 *   is serial: the reference's sequence of operations per sum, with the
 *   interior cells (every bounds test true, no wrap) on a branch-free path
 *   that keeps the left neighbour's sums in registers and computes each
 *   window's factors as soon as its sums are complete.
 * - Brute force: voxels are independent; shared out by grid row.
 * - Steps: shared out by grid row = energy block; each block's partial goes
 *   to scratch[block] and one thread adds them in block order, the
 *   reference's sequence of additions. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "crosscorr_point.h"
#include "kernels.h"

#include <omp.h>

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

/* ---- sliding windows, 2D ------------------------------------------------- */

void SFX(omreg_par_precompute_cc_factors_2d)(int nthreads, const FLT *stat, const FLT *mov,
                                             const size_t shape[2], size_t radius, double *scratch,
                                             FLT *factors)
{
    const size_t per_buffer = omreg_cc_scratch_2d(radius);
#pragma omp parallel num_threads(nthreads)
    {
        double *buf = scratch + (size_t)omp_get_thread_num() * per_buffer;
#pragma omp for schedule(runtime)
        for (size_t c = 0; c < shape[1]; ++c)
            SFX(cc_column_2d)(stat, mov, shape, radius, c, buf, factors);
    }
}

/* ---- sliding windows, 3D ------------------------------------------------- */

/* DIPY _update_factors on the five sums at t: set (op 0), subtract (op -1)
 * or add (op 1) the terms of voxel (s, r, c); nothing from a voxel past the
 * grid's high end (op 0 then sets zeros). */
static inline void SFX(par_update)(double *t, const FLT *stat, const FLT *mov, ptrdiff_t ns,
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
        else if (op < 0)
            t[k] -= x;
        else
            t[k] += x;
    }
}

/* What every step of the sweep reads: the images, the factors it writes,
 * the grid (ns, nr, nc), the radius and window side, and the wrap moduli
 * (mr, mc) of the slabs' rows and columns ([5] doubles per cell). */
typedef struct {
    const FLT *stat, *mov;
    FLT *factors;
    ptrdiff_t ns, nr, nc, rad, side, mr, mc;
} SFX(par_sweep_grid);

/* Voxels of the clipped window along an axis of n voxels, centred at i. */
static inline ptrdiff_t SFX(par_window_side)(ptrdiff_t i, ptrdiff_t rad, ptrdiff_t n)
{
    const ptrdiff_t first = i - rad > 0 ? i - rad : 0;
#ifdef OMREG_CANARY_CC_EDGE_CLAMP
    /* planted (ci/canaries.tsv): clamps to n, one voxel past the last */
    const ptrdiff_t last = i + rad < n ? i + rad : n;
#else
    const ptrdiff_t last = i + rad < n - 1 ? i + rad : n - 1;
#endif
    return last - first + 1;
}

/* The window centred at (ss, rr, cc) is complete in the sums t: its
 * factors (cnt = sides * sider * the clipped column side). */
static inline void SFX(par_factors)(const SFX(par_sweep_grid) *g, ptrdiff_t ss, ptrdiff_t rr,
                                    ptrdiff_t cc, ptrdiff_t sides_sider, double si, double si2,
                                    double sj, double sj2, double sij)
{
    const double cnt = (double)(sides_sider * SFX(par_window_side)(cc, g->rad, g->nc));
    const ptrdiff_t v = (ss * g->nr + rr) * g->nc + cc;
    SFX(cc_factors_point)(si, si2, sj, sj2, sij, cnt, g->stat[v], g->mov[v], &g->factors[v * 5]);
}

/* Cell (s, r, c) of the sweep with every bounds test: the reference's
 * sequence of operations per sum (new corner, signed sub-volumes, signed
 * corners). */
static void SFX(par_cell)(const SFX(par_sweep_grid) *g, ptrdiff_t s, ptrdiff_t r, ptrdiff_t c,
                          ptrdiff_t cc, double *crow, const double *cprev, const double *prow,
                          const double *pprev)
{
    const FLT *stat = g->stat, *mov = g->mov;
    const ptrdiff_t ns = g->ns, nr = g->nr, nc = g->nc, side = g->side;
    const ptrdiff_t prev_cc = cc == 0 ? g->mc - 1 : cc - 1;
    double *t = crow + cc * 5;
    SFX(par_update)(t, stat, mov, ns, nr, nc, s, r, c, 0);
    if (s > 0) {
        for (int k = 0; k < 5; ++k)
            t[k] += prow[cc * 5 + k];
        if (r > 0) {
            for (int k = 0; k < 5; ++k)
                t[k] -= pprev[cc * 5 + k];
            if (c > 0)
                for (int k = 0; k < 5; ++k)
                    t[k] += pprev[prev_cc * 5 + k];
        }
        if (c > 0)
            for (int k = 0; k < 5; ++k)
                t[k] -= prow[prev_cc * 5 + k];
    }
    if (r > 0) {
        for (int k = 0; k < 5; ++k)
            t[k] += cprev[cc * 5 + k];
        if (c > 0)
            for (int k = 0; k < 5; ++k)
                t[k] -= cprev[prev_cc * 5 + k];
    }
    if (c > 0)
        for (int k = 0; k < 5; ++k)
            t[k] += crow[prev_cc * 5 + k];
    if (s >= side) {
        SFX(par_update)(t, stat, mov, ns, nr, nc, s - side, r, c, -1);
        if (r >= side) {
            SFX(par_update)(t, stat, mov, ns, nr, nc, s - side, r - side, c, 1);
            if (c >= side)
                SFX(par_update)(t, stat, mov, ns, nr, nc, s - side, r - side, c - side, -1);
        }
        if (c >= side)
            SFX(par_update)(t, stat, mov, ns, nr, nc, s - side, r, c - side, 1);
    }
    if (r >= side) {
        SFX(par_update)(t, stat, mov, ns, nr, nc, s, r - side, c, -1);
        if (c >= side)
            SFX(par_update)(t, stat, mov, ns, nr, nc, s, r - side, c - side, 1);
    }
    if (c >= side)
        SFX(par_update)(t, stat, mov, ns, nr, nc, s, r, c - side, -1);
}

/* The terms {I, I^2, J, J^2, IJ} of voxel v. */
static inline void SFX(par_terms)(double out[5], const FLT *stat, const FLT *mov, ptrdiff_t v)
{
    const double a = stat[v], b = mov[v];
    for (int k = 0; k < 5; ++k)
        out[k] = cc_term(k, a, b);
}

/* Cells c in [side, nc) of an interior row (side <= s < ns, side <= r <
 * nr): every test of par_cell is true and no index wraps (cc = c - rad), so
 * par_cell's operations reduce to this fixed sequence, in the same order per
 * sum; the sum of the cell to the left stays in a register. */
static void SFX(par_interior_run)(const SFX(par_sweep_grid) *g, ptrdiff_t s, ptrdiff_t r,
                                  ptrdiff_t sides_sider, double *crow, const double *cprev,
                                  const double *prow, const double *pprev)
{
    const ptrdiff_t nr = g->nr, nc = g->nc, rad = g->rad, side = g->side;
    const FLT *stat = g->stat + (s * nr + r) * nc, *mov = g->mov + (s * nr + r) * nc;
    const ptrdiff_t back_s = side * nr * nc, back_r = side * nc;
    double left[5];
    for (int k = 0; k < 5; ++k)
        left[k] = crow[(side - rad - 1) * 5 + k];
    for (ptrdiff_t c = side; c < nc; ++c) {
        const ptrdiff_t cc = c - rad, pc = cc - 1;
        double corner[5], s1[5], s2[5], s3[5], s4[5], s5[5], s6[5], s7[5];
        SFX(par_terms)(corner, stat, mov, c);
        SFX(par_terms)(s1, stat, mov, c - back_s);
        SFX(par_terms)(s2, stat, mov, c - back_s - back_r);
        SFX(par_terms)(s3, stat, mov, c - back_s - back_r - side);
        SFX(par_terms)(s4, stat, mov, c - back_s - side);
        SFX(par_terms)(s5, stat, mov, c - back_r);
        SFX(par_terms)(s6, stat, mov, c - back_r - side);
        SFX(par_terms)(s7, stat, mov, c - side);
        for (int k = 0; k < 5; ++k) {
            double x = corner[k];
            x += prow[cc * 5 + k];
            x -= pprev[cc * 5 + k];
            x += pprev[pc * 5 + k];
            x -= prow[pc * 5 + k];
            x += cprev[cc * 5 + k];
            x -= cprev[pc * 5 + k];
            x += left[k];
            x -= s1[k];
            x += s2[k];
            x -= s3[k];
            x += s4[k];
            x -= s5[k];
            x += s6[k];
            x -= s7[k];
            crow[cc * 5 + k] = x;
            left[k] = x;
        }
        SFX(par_factors)(g, s - rad, r - rad, cc, sides_sider, left[CC_SI], left[CC_SI2],
                         left[CC_SJ], left[CC_SJ2], left[CC_SIJ]);
    }
}

/* Sweep step s into cur, reading step s - 1 from pre, and the factors of
 * every window it completes, right after its sums (the reference's
 * order). */
static void SFX(par_sweep)(const SFX(par_sweep_grid) *g, ptrdiff_t s, double *cur,
                           const double *pre)
{
    const ptrdiff_t nr = g->nr, nc = g->nc, rad = g->rad, side = g->side;
    const ptrdiff_t mr = g->mr, mc = g->mc;
    const int interior_slab = s >= side && s < g->ns && nc > side;
    const ptrdiff_t sides = SFX(par_window_side)(s - rad, rad, g->ns);
    /* rr = cc_wrap(r - rad, mr) and cc = cc_wrap(c - rad, mc), stepped
     * without a division per cell */
    const ptrdiff_t cc0 = cc_wrap(-rad, mc);
    ptrdiff_t rr = cc_wrap(-rad, mr);
    for (ptrdiff_t r = 0; r < nr + rad; ++r, rr = rr + 1 == mr ? 0 : rr + 1) {
        const ptrdiff_t prev_rr = rr == 0 ? mr - 1 : rr - 1;
        double *crow = cur + rr * mc * 5;
        const double *cprev = cur + prev_rr * mc * 5;
        const double *prow = pre + rr * mc * 5, *pprev = pre + prev_rr * mc * 5;
        const int interior = interior_slab && r >= side && r < nr;
        const ptrdiff_t sides_sider = sides * SFX(par_window_side)(rr, rad, nr);
        ptrdiff_t cc = cc0;
        for (ptrdiff_t c = 0; c < nc + rad; ++c, cc = cc + 1 == mc ? 0 : cc + 1) {
            if (interior && c == side) {
                SFX(par_interior_run)(g, s, r, sides_sider, crow, cprev, prow, pprev);
                c = nc - 1; /* the loop's increment resumes at nc */
                cc = c - rad;
                continue;
            }
            SFX(par_cell)(g, s, r, c, cc, crow, cprev, prow, pprev);
            if (s >= rad && r >= rad && c >= rad)
            {
                const double *t = crow + cc * 5;
                SFX(par_factors)(g, s - rad, rr, cc, sides_sider, t[CC_SI], t[CC_SI2],
                                 t[CC_SJ], t[CC_SJ2], t[CC_SIJ]);
            }
        }
    }
}

/* Serial: the sweep is one dependence chain in DIPY's order (crosscorr.c),
 * and it is bound by memory traffic, not arithmetic. Handing the factors to
 * other threads (the previous design: one thread swept slab s while the
 * others computed the factors of slab s - 1) made the sweep slower than the
 * work it gave away (on the 2-core machine: 26 ns per voxel on one thread,
 * 35-41 on two), because the factor threads re-read each slab and compete
 * for the same memory. Computing the factors from the sums still in
 * registers is the cheapest order. */
void SFX(omreg_par_precompute_cc_factors_3d)(int nthreads, const FLT *stat, const FLT *mov,
                                             const size_t shape[3], size_t radius, double *scratch,
                                             FLT *factors)
{
    const ptrdiff_t ns = (ptrdiff_t)shape[0], nr = (ptrdiff_t)shape[1], nc = (ptrdiff_t)shape[2];
    const ptrdiff_t rad = (ptrdiff_t)radius;
    const SFX(par_sweep_grid) g = {stat,         mov,          factors,     ns, nr, nc, rad,
                                   2 * rad + 1, nr < 2 ? 2 : nr, nc < 2 ? 2 : nc};
    const ptrdiff_t slab = g.mr * g.mc * 5;
    (void)nthreads;                          /* one sweep on the calling thread (above) */
    for (ptrdiff_t s = 0; s < ns + rad; ++s) /* slab s & 1 of DIPY's temp[2] */
        SFX(par_sweep)(&g, s, scratch + (s & 1) * slab, scratch + (1 - (s & 1)) * slab);
}

/* ---- brute force --------------------------------------------------------- */

void SFX(omreg_par_precompute_cc_factors_brute_2d)(int nthreads, const FLT *stat, const FLT *mov,
                                                   const size_t shape[2], size_t radius,
                                                   FLT *factors)
{
    const ptrdiff_t nr = (ptrdiff_t)shape[0], nc = (ptrdiff_t)shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (ptrdiff_t r = 0; r < nr; ++r)
        for (ptrdiff_t c = 0; c < nc; ++c)
            SFX(cc_brute_point)(stat, mov, 1, nr, nc, (ptrdiff_t)radius, 0, r, c, factors);
}

void SFX(omreg_par_precompute_cc_factors_brute_3d)(int nthreads, const FLT *stat, const FLT *mov,
                                                   const size_t shape[3], size_t radius,
                                                   FLT *factors)
{
    const ptrdiff_t ns = (ptrdiff_t)shape[0], nr = (ptrdiff_t)shape[1], nc = (ptrdiff_t)shape[2];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (ptrdiff_t row = 0; row < ns * nr; ++row) /* grid row (s, r) */
        for (ptrdiff_t c = 0; c < nc; ++c)
            SFX(cc_brute_point)(stat, mov, ns, nr, nc, (ptrdiff_t)radius, row / nr, row % nr,
                                c, factors);
}

/* ---- CC steps ------------------------------------------------------------ */

static void SFX(par_step)(int nthreads, int dim, const FLT *grad, const FLT *factors,
                          const size_t *shape, size_t radius, int backward, double *scratch,
                          FLT *out, double *energy)
{
    const ptrdiff_t rad = (ptrdiff_t)radius, nc = (ptrdiff_t)shape[dim - 1];
    const ptrdiff_t n0 = (ptrdiff_t)shape[0], n1 = dim == 3 ? (ptrdiff_t)shape[1] : 1;
    const ptrdiff_t nblocks = (ptrdiff_t)omreg_cc_step_blocks(dim, shape);
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (ptrdiff_t b = 0; b < nblocks; ++b) { /* block = grid row */
        int active;
        if (dim == 2) {
            active = b >= rad && b < n0 - rad;
        } else {
            const ptrdiff_t s = b / n1, r = b % n1;
            active = s >= rad && s < n0 - rad && r >= rad && r < n1 - rad;
        }
        scratch[b] = SFX(cc_step_row)(grad, factors, dim, nc, rad, active, backward,
                                      (size_t)(b * nc), out);
    }
    double total = 0;
    for (ptrdiff_t b = 0; b < nblocks; ++b) /* block order: the canonical sum */
        total += scratch[b];
    *energy = total;
}

void SFX(omreg_par_compute_cc_forward_step_2d)(int nthreads, const FLT *grad_static,
                                               const FLT *factors, const size_t shape[2],
                                               size_t radius, double *scratch, FLT *out,
                                               double *energy)
{
    SFX(par_step)(nthreads, 2, grad_static, factors, shape, radius, 0, scratch, out, energy);
}

void SFX(omreg_par_compute_cc_backward_step_2d)(int nthreads, const FLT *grad_moving,
                                                const FLT *factors, const size_t shape[2],
                                                size_t radius, double *scratch, FLT *out,
                                                double *energy)
{
    SFX(par_step)(nthreads, 2, grad_moving, factors, shape, radius, 1, scratch, out, energy);
}

void SFX(omreg_par_compute_cc_forward_step_3d)(int nthreads, const FLT *grad_static,
                                               const FLT *factors, const size_t shape[3],
                                               size_t radius, double *scratch, FLT *out,
                                               double *energy)
{
    SFX(par_step)(nthreads, 3, grad_static, factors, shape, radius, 0, scratch, out, energy);
}

void SFX(omreg_par_compute_cc_backward_step_3d)(int nthreads, const FLT *grad_moving,
                                                const FLT *factors, const size_t shape[3],
                                                size_t radius, double *scratch, FLT *out,
                                                double *energy)
{
    SFX(par_step)(nthreads, 3, grad_moving, factors, shape, radius, 1, scratch, out, energy);
}

#endif /* FLT */
