/* Type-generic body of crosscorr.c (FLT, SFX defined by the includer). */

/* ---- sliding windows, 2D ------------------------------------------------- */

void SFX(omreg_par_precompute_cc_factors_2d)(const FLT *stat, const FLT *mov,
                                             const size_t shape[2], size_t radius,
                                             double *scratch, int nbuffers, FLT *factors)
{
    const size_t per_buffer = omreg_cc_scratch_2d(radius);
#pragma omp parallel num_threads(nbuffers)
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

/* Sweep step s: the window sums ending at every (s, r, c), in slab s & 1 of
 * temp[2][mr][mc][5], by the reference's sequence of operations per sum
 * (the five sums stay interleaved: they are five independent dependence
 * chains the processor overlaps). */
static void SFX(par_sweep)(ptrdiff_t s, const FLT *stat, const FLT *mov, ptrdiff_t ns,
                           ptrdiff_t nr, ptrdiff_t nc, ptrdiff_t rad, ptrdiff_t mr,
                           ptrdiff_t mc, double *temp)
{
    const ptrdiff_t side = 2 * rad + 1;
    double *cur = temp + (s & 1) * mr * mc * 5;
    const double *pre = temp + (1 - (s & 1)) * mr * mc * 5;
    /* rr = cc_wrap(r - rad, mr) and cc = cc_wrap(c - rad, mc), stepped
     * without a division per cell */
    const ptrdiff_t cc0 = cc_wrap(-rad, mc);
    ptrdiff_t rr = cc_wrap(-rad, mr);
    for (ptrdiff_t r = 0; r < nr + rad; ++r, rr = rr + 1 == mr ? 0 : rr + 1) {
        const ptrdiff_t prev_rr = rr == 0 ? mr - 1 : rr - 1;
        double *crow = cur + rr * mc * 5;
        const double *cprev = cur + prev_rr * mc * 5;
        const double *prow = pre + rr * mc * 5, *pprev = pre + prev_rr * mc * 5;
        ptrdiff_t cc = cc0;
        for (ptrdiff_t c = 0; c < nc + rad; ++c, cc = cc + 1 == mc ? 0 : cc + 1) {
            const ptrdiff_t prev_cc = cc == 0 ? mc - 1 : cc - 1;
            double *t = crow + cc * 5;
            /* new corner */
            SFX(par_update)(t, stat, mov, ns, nr, nc, s, r, c, 0);
            /* signed sub-volumes */
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
            /* signed corners */
            if (s >= side) {
                SFX(par_update)(t, stat, mov, ns, nr, nc, s - side, r, c, -1);
                if (r >= side) {
                    SFX(par_update)(t, stat, mov, ns, nr, nc, s - side, r - side, c, 1);
                    if (c >= side)
                        SFX(par_update)(t, stat, mov, ns, nr, nc, s - side, r - side,
                                        c - side, -1);
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
    }
}

/* Factors of output row rr of the slab swept at step s (centre ss = s -
 * radius): every window centred there is complete in slab s & 1. */
static void SFX(par_finish_row)(ptrdiff_t s, ptrdiff_t rr, const FLT *stat, const FLT *mov,
                                ptrdiff_t ns, ptrdiff_t nr, ptrdiff_t nc, ptrdiff_t rad,
                                ptrdiff_t mr, ptrdiff_t mc, const double *temp, FLT *factors)
{
    const ptrdiff_t ss = s - rad;
    const ptrdiff_t firsts = ss - rad > 0 ? ss - rad : 0;
    const ptrdiff_t lasts = ss + rad < ns - 1 ? ss + rad : ns - 1;
    const ptrdiff_t firstr = rr - rad > 0 ? rr - rad : 0;
    const ptrdiff_t lastr = rr + rad < nr - 1 ? rr + rad : nr - 1;
    const ptrdiff_t sides = lasts - firsts + 1, sider = lastr - firstr + 1;
    const double *row = temp + ((s & 1) * mr + rr) * mc * 5;
    for (ptrdiff_t cc = 0; cc < nc; ++cc) {
        const ptrdiff_t firstc = cc - rad > 0 ? cc - rad : 0;
        const ptrdiff_t lastc = cc + rad < nc - 1 ? cc + rad : nc - 1;
        const ptrdiff_t sidec = lastc - firstc + 1;
        const double cnt = (double)(sides * sider * sidec);
        const double *t = row + cc * 5;
        const ptrdiff_t v = (ss * nr + rr) * nc + cc;
        SFX(cc_factors_point)(t[CC_SI], t[CC_SI2], t[CC_SJ], t[CC_SJ2], t[CC_SIJ], cnt, stat[v],
                              mov[v], &factors[v * 5]);
    }
}

void SFX(omreg_par_precompute_cc_factors_3d)(const FLT *stat, const FLT *mov,
                                             const size_t shape[3], size_t radius,
                                             double *scratch, FLT *factors)
{
    const ptrdiff_t ns = (ptrdiff_t)shape[0], nr = (ptrdiff_t)shape[1], nc = (ptrdiff_t)shape[2];
    const ptrdiff_t rad = (ptrdiff_t)radius;
    const ptrdiff_t mr = nr < 2 ? 2 : nr, mc = nc < 2 ? 2 : nc;
#pragma omp parallel
    {
        /* step: one task sweeps slab s = step while the others finish the
         * factors of slab step - 1, one task per row (they read only that
         * slab; the sweep reads it and writes the other) */
        for (ptrdiff_t step = 0; step <= ns + rad; ++step) {
            const ptrdiff_t nsweep = step < ns + rad ? 1 : 0;
            const ptrdiff_t nfinish = step - 1 >= rad ? nr : 0;
#pragma omp for schedule(runtime)
            for (ptrdiff_t task = 0; task < nsweep + nfinish; ++task) {
                if (task < nsweep)
                    SFX(par_sweep)(step, stat, mov, ns, nr, nc, rad, mr, mc, scratch);
                else
                    SFX(par_finish_row)(step - 1, task - nsweep, stat, mov, ns, nr, nc, rad,
                                        mr, mc, scratch, factors);
            }
        }
    }
}

/* ---- brute force --------------------------------------------------------- */

void SFX(omreg_par_precompute_cc_factors_brute_2d)(const FLT *stat, const FLT *mov,
                                                   const size_t shape[2], size_t radius,
                                                   FLT *factors)
{
    const ptrdiff_t nr = (ptrdiff_t)shape[0], nc = (ptrdiff_t)shape[1];
#pragma omp parallel for schedule(runtime)
    for (ptrdiff_t r = 0; r < nr; ++r)
        for (ptrdiff_t c = 0; c < nc; ++c)
            SFX(cc_brute_point)(stat, mov, 1, nr, nc, (ptrdiff_t)radius, 0, r, c, factors);
}

void SFX(omreg_par_precompute_cc_factors_brute_3d)(const FLT *stat, const FLT *mov,
                                                   const size_t shape[3], size_t radius,
                                                   FLT *factors)
{
    const ptrdiff_t ns = (ptrdiff_t)shape[0], nr = (ptrdiff_t)shape[1], nc = (ptrdiff_t)shape[2];
#pragma omp parallel for schedule(runtime)
    for (ptrdiff_t row = 0; row < ns * nr; ++row) /* grid row (s, r) */
        for (ptrdiff_t c = 0; c < nc; ++c)
            SFX(cc_brute_point)(stat, mov, ns, nr, nc, (ptrdiff_t)radius, row / nr, row % nr,
                                c, factors);
}

/* ---- CC steps ------------------------------------------------------------ */

static void SFX(par_step)(int dim, const FLT *grad, const FLT *factors, const size_t *shape,
                          size_t radius, int backward, double *scratch, FLT *out,
                          double *energy)
{
    const ptrdiff_t rad = (ptrdiff_t)radius, nc = (ptrdiff_t)shape[dim - 1];
    const ptrdiff_t n0 = (ptrdiff_t)shape[0], n1 = dim == 3 ? (ptrdiff_t)shape[1] : 1;
    const ptrdiff_t nblocks = (ptrdiff_t)omreg_cc_step_blocks(dim, shape);
#pragma omp parallel for schedule(runtime)
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

void SFX(omreg_par_compute_cc_forward_step_2d)(const FLT *grad_static, const FLT *factors,
                                               const size_t shape[2], size_t radius,
                                               double *scratch, FLT *out, double *energy)
{
    SFX(par_step)(2, grad_static, factors, shape, radius, 0, scratch, out, energy);
}

void SFX(omreg_par_compute_cc_backward_step_2d)(const FLT *grad_moving, const FLT *factors,
                                                const size_t shape[2], size_t radius,
                                                double *scratch, FLT *out, double *energy)
{
    SFX(par_step)(2, grad_moving, factors, shape, radius, 1, scratch, out, energy);
}

void SFX(omreg_par_compute_cc_forward_step_3d)(const FLT *grad_static, const FLT *factors,
                                               const size_t shape[3], size_t radius,
                                               double *scratch, FLT *out, double *energy)
{
    SFX(par_step)(3, grad_static, factors, shape, radius, 0, scratch, out, energy);
}

void SFX(omreg_par_compute_cc_backward_step_3d)(const FLT *grad_moving, const FLT *factors,
                                                const size_t shape[3], size_t radius,
                                                double *scratch, FLT *out, double *energy)
{
    SFX(par_step)(3, grad_moving, factors, shape, radius, 1, scratch, out, energy);
}
