/* Parallel kernels of the SSD metric and its multigrid solver (DIPY 1.6
 * sumsqdiff.pyx; kernels_sumsqdiff.h). Every loop is split by grid row
 * (one i in 2D, one (k, i) pair in 3D) with schedule(runtime).
 * Where the order differs from the reference, and why the bits do not:
 * - reductions (energy, demons energy, residual norm, sweep maximum): each
 *   row's partial is computed by one thread in the reference's order and
 *   stored in scratch[row]; one thread then combines the partials in row
 *   order, the reference's exact sequence of additions (the maximum is
 *   exact anyway);
 * - the red-black sweep: each colour is one worksharing loop (an
 *   orphaned `omp for` in a helper), and an explicit barrier between them
 *   orders colour 0 before colour 1 as in the reference; inside a colour
 *   no voxel reads another's output (its neighbours have the other
 *   colour), so the order of rows is immaterial;
 * - the lexicographic sweep: wavefronts of tiles that depend only on
 *   the previous wavefront (see the kernels below), so every voxel reads
 *   the values the raster order gives it; its maximum is exact;
 * - pointwise kernels (demons field, residual field) write each
 *   voxel once from inputs no other iteration writes.
 * The sweep and residual run on every grid of the V-cycle, down
 * to a few voxels: below SSD_PARALLEL_MIN_VOXELS they open no parallel
 * region (their worksharing loops, orphaned, run on the calling thread;
 * the bits are the same for any team size), so the 2k sweeps per coarse
 * level do not each pay a fork and a barrier. Every region that opens asks
 * for the run's nthreads. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "kernels.h"
#include "sumsqdiff_point.h"

/* grids below this run on one thread */
#define SSD_PARALLEL_MIN_VOXELS ((size_t)4096)
/* tiles of the lexicographic wavefronts (any size gives the same bits; it
 * trades parallelism, tiles per wavefront, against barriers, one per
 * wavefront: a + b - 1 per sweep for a x b tiles). Measured on this machine
 * under load, 1 tile row per wavefront cost 8x the red-black sweep at 2
 * threads (199 barriers per 3D sweep). */
#define SSD_LEX_TILE_ROWS ((size_t)8)
#define SSD_LEX_TILE_COLS ((size_t)32)
#define SSD_LEX_TILE_SLICES ((size_t)8)

#define FLT double
#define SFX(name) name##_f64
#include "sumsqdiff.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "sumsqdiff.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_par_compute_energy_ssd_2d)(int nthreads, const FLT *delta, const size_t shape[2],
                                          double *scratch, double *energy)
{
    const size_t nr = shape[0], nc = shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < nr; ++i) {
        double s = 0;
        for (size_t j = 0; j < nc; ++j)
            s += SFX(ssd_energy_point)(delta[i * nc + j]);
        scratch[OMREG_SSD_SCRATCH_PER_ROW * i] = s;
    }
    *energy = ssd_sum_rows(scratch, nr);
}

void SFX(omreg_par_compute_energy_ssd_3d)(int nthreads, const FLT *delta, const size_t shape[3],
                                          double *scratch, double *energy)
{
    const size_t nrows = shape[0] * shape[1], nc = shape[2];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row) {
        double s = 0;
        for (size_t j = 0; j < nc; ++j)
            s += SFX(ssd_energy_point)(delta[row * nc + j]);
        scratch[OMREG_SSD_SCRATCH_PER_ROW * row] = s;
    }
    *energy = ssd_sum_rows(scratch, nrows);
}

void SFX(omreg_par_compute_ssd_demons_step_2d)(int nthreads, const FLT *delta, const FLT *grad,
                                               const size_t shape[2], double sigma_sq_x, FLT *out,
                                               double *scratch, double *energy)
{
    const size_t nr = shape[0], nc = shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < nr; ++i) {
        double s = 0;
        for (size_t j = 0; j < nc; ++j)
            s += SFX(ssd_demons_point)(2, delta, grad, sigma_sq_x, i * nc + j, out);
        scratch[OMREG_SSD_SCRATCH_PER_ROW * i] = s;
    }
    *energy = ssd_sum_rows(scratch, nr);
}

void SFX(omreg_par_compute_ssd_demons_step_3d)(int nthreads, const FLT *delta, const FLT *grad,
                                               const size_t shape[3], double sigma_sq_x, FLT *out,
                                               double *scratch, double *energy)
{
    const size_t nrows = shape[0] * shape[1], nc = shape[2];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row) {
        double s = 0;
        for (size_t j = 0; j < nc; ++j)
            s += SFX(ssd_demons_point)(3, delta, grad, sigma_sq_x, row * nc + j, out);
        scratch[OMREG_SSD_SCRATCH_PER_ROW * row] = s;
    }
    *energy = ssd_sum_rows(scratch, nrows);
}

/* Rows [0, nr) of one colour of the 2D sweep, each row's maximum change
 * into scratch[i] (colour 0) or merged into it (colour 1). Called by every
 * thread of the team: the worksharing loop splits the rows. */
static inline void SFX(par_sweep_colour_2d)(const FLT *delta, const FLT *sigmasq,
                                            const FLT *grad, const FLT *target, size_t nr,
                                            size_t nc, double lambda, FLT *disp, double *scratch,
                                            size_t colour)
{
#pragma omp for schedule(runtime) nowait
    for (size_t i = 0; i < nr; ++i) {
        double m = colour == 0 ? 0 : scratch[OMREG_SSD_SCRATCH_PER_ROW * i];
        for (size_t j = (colour + i) % 2; j < nc; j += 2) {
            double opt = SFX(ssd_gs_point_2d)(delta, sigmasq, grad, target, nr, nc, lambda, i, j,
                                              disp);
            if (m < opt)
                m = opt;
        }
        scratch[OMREG_SSD_SCRATCH_PER_ROW * i] = m;
    }
}

/* The same for the (k, i) rows of the 3D sweep. */
static inline void SFX(par_sweep_colour_3d)(const FLT *delta, const FLT *sigmasq,
                                            const FLT *grad, const FLT *target, size_t ns,
                                            size_t nr, size_t nc, double lambda, FLT *disp,
                                            double *scratch, size_t colour)
{
#pragma omp for schedule(runtime) nowait
    for (size_t row = 0; row < ns * nr; ++row) {
        const size_t k = row / nr, i = row % nr;
        double m = colour == 0 ? 0 : scratch[OMREG_SSD_SCRATCH_PER_ROW * row];
        for (size_t j = (colour + k + i) % 2; j < nc; j += 2) {
            double opt = SFX(ssd_gs_point_3d)(delta, sigmasq, grad, target, ns, nr, nc, lambda,
                                              k, i, j, disp, NULL);
            if (m < opt)
                m = opt;
        }
        scratch[OMREG_SSD_SCRATCH_PER_ROW * row] = m;
    }
}

/* Colour 0, a barrier (colour 1 reads colour 0's new values and scratch
 * entries that other threads wrote), colour 1: run by every thread of a
 * team, or alone by the caller (orphaned loops and barrier). */
static void SFX(sweep_2d)(const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
                          size_t nr, size_t nc, double lambda, FLT *disp, double *scratch)
{
    SFX(par_sweep_colour_2d)(delta, sigmasq, grad, target, nr, nc, lambda, disp, scratch, 0);
#pragma omp barrier
    SFX(par_sweep_colour_2d)(delta, sigmasq, grad, target, nr, nc, lambda, disp, scratch, 1);
}

static void SFX(sweep_3d)(const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
                          size_t ns, size_t nr, size_t nc, double lambda, FLT *disp,
                          double *scratch)
{
    SFX(par_sweep_colour_3d)(delta, sigmasq, grad, target, ns, nr, nc, lambda, disp, scratch, 0);
#pragma omp barrier
    SFX(par_sweep_colour_3d)(delta, sigmasq, grad, target, ns, nr, nc, lambda, disp, scratch, 1);
}

/* A sweep on the team of nthreads (the end of the parallel region is the
 * barrier before the serial maximum), or on the caller for small grids. */
void SFX(omreg_par_iterate_residual_displacement_field_ssd_2d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[2], double lambda, FLT *disp, double *scratch, double *max_step)
{
    const size_t nr = shape[0], nc = shape[1];
    if (nr * nc >= SSD_PARALLEL_MIN_VOXELS) {
#pragma omp parallel num_threads(nthreads)
        SFX(sweep_2d)(delta, sigmasq, grad, target, nr, nc, lambda, disp, scratch);
    } else {
        SFX(sweep_2d)(delta, sigmasq, grad, target, nr, nc, lambda, disp, scratch);
    }
    *max_step = sqrt(ssd_max_rows(scratch, nr));
}

void SFX(omreg_par_iterate_residual_displacement_field_ssd_3d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[3], double lambda, FLT *disp, double *scratch, double *max_step)
{
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
    if (ns * nr * nc >= SSD_PARALLEL_MIN_VOXELS) {
#pragma omp parallel num_threads(nthreads)
        SFX(sweep_3d)(delta, sigmasq, grad, target, ns, nr, nc, lambda, disp, scratch);
    } else {
        SFX(sweep_3d)(delta, sigmasq, grad, target, ns, nr, nc, lambda, disp, scratch);
    }
    *max_step = sqrt(ssd_max_rows(scratch, ns * nr));
}

/* DIPY's lexicographic sweep along wavefronts of tiles. 2D: the grid is
 * cut into tiles of SSD_LEX_TILE_ROWS x SSD_LEX_TILE_COLS cells, tile (a, b)
 * runs in wavefront w = a + b, its cells in raster order. A cell reads
 * (i-1, j) and (i, j-1) from its own tile (earlier) or from tiles (a-1, b),
 * (a, b-1) of wavefront w-1 (new values), (i+1, j) and (i, j+1) from its
 * own tile (later) or from tiles (a+1, b), (a, b+1) of wavefront w+1 (old
 * values): exactly what the raster order gives it. The other tiles of
 * wavefront w, (a-d, b+d), are no neighbours of it, so none writes what
 * another reads. The `omp for` barrier closes each wavefront. Row i's
 * maximum change accumulates in scratch[i], one tile after the other.
 * Run by every thread of a team, or alone by the caller (orphaned loops). */
static void SFX(lex_wavefronts_2d)(const FLT *delta, const FLT *sigmasq, const FLT *grad,
                                   const FLT *target, size_t nr, size_t nc, double lambda,
                                   FLT *disp, double *scratch)
{
    const size_t na = (nr + SSD_LEX_TILE_ROWS - 1) / SSD_LEX_TILE_ROWS;
#ifdef OMREG_CANARY_SSD_LEX_DROP_LAST_BLOCK
    /* planted (ci/canaries.tsv): rounds the tile count down, so a last
     * partial tile of columns is never swept */
    const size_t nb = nc / SSD_LEX_TILE_COLS > 0 ? nc / SSD_LEX_TILE_COLS : 1;
#else
    const size_t nb = (nc + SSD_LEX_TILE_COLS - 1) / SSD_LEX_TILE_COLS;
#endif
    for (size_t w = 0; w + 1 < na + nb; ++w) {
        const size_t a_lo = w + 1 > nb ? w + 1 - nb : 0, a_hi = w < na - 1 ? w : na - 1;
#pragma omp for schedule(runtime)
        for (size_t a = a_lo; a <= a_hi; ++a) {
            const size_t b = w - a, j0 = b * SSD_LEX_TILE_COLS;
            const size_t i_end =
                (a + 1) * SSD_LEX_TILE_ROWS < nr ? (a + 1) * SSD_LEX_TILE_ROWS : nr;
            const size_t j_end = j0 + SSD_LEX_TILE_COLS < nc ? j0 + SSD_LEX_TILE_COLS : nc;
            for (size_t i = a * SSD_LEX_TILE_ROWS; i < i_end; ++i) {
                double m = b == 0 ? 0 : scratch[OMREG_SSD_SCRATCH_PER_ROW * i];
                for (size_t j = j0; j < j_end; ++j) {
                    double opt = SFX(ssd_gs_point_2d)(delta, sigmasq, grad, target, nr, nc, lambda,
                                                      i, j, disp);
                    if (m < opt)
                        m = opt;
                }
                scratch[OMREG_SSD_SCRATCH_PER_ROW * i] = m;
            }
        }
    }
}

void SFX(omreg_par_iterate_residual_displacement_field_ssd_lex_2d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[2], double lambda, FLT *disp, double *scratch, double *max_step)
{
    const size_t nr = shape[0], nc = shape[1];
    if (nr * nc >= SSD_PARALLEL_MIN_VOXELS) {
#pragma omp parallel num_threads(nthreads)
        SFX(lex_wavefronts_2d)(delta, sigmasq, grad, target, nr, nc, lambda, disp, scratch);
    } else {
        SFX(lex_wavefronts_2d)(delta, sigmasq, grad, target, nr, nc, lambda, disp, scratch);
    }
    *max_step = sqrt(ssd_max_rows(scratch, nr));
}

/* 3D: the (k, i) plane is cut into tiles of SSD_LEX_TILE_SLICES x
 * SSD_LEX_TILE_ROWS whole grid rows; tile (a, b) runs in wavefront a + b,
 * its rows in raster order (k, then i, then j), with the 2D argument in
 * the (k, i) plane (the j neighbours lie in the cell's own row). Row
 * (k, i)'s maximum change goes to scratch[k nr + i]. */
static void SFX(lex_wavefronts_3d)(const FLT *delta, const FLT *sigmasq, const FLT *grad,
                                   const FLT *target, size_t ns, size_t nr, size_t nc,
                                   double lambda, FLT *disp, double *scratch)
{
    const size_t na = (ns + SSD_LEX_TILE_SLICES - 1) / SSD_LEX_TILE_SLICES;
    const size_t nb = (nr + SSD_LEX_TILE_ROWS - 1) / SSD_LEX_TILE_ROWS;
    for (size_t w = 0; w + 1 < na + nb; ++w) {
        const size_t a_lo = w + 1 > nb ? w + 1 - nb : 0, a_hi = w < na - 1 ? w : na - 1;
#pragma omp for schedule(runtime)
        for (size_t a = a_lo; a <= a_hi; ++a) {
            const size_t b = w - a;
            const size_t k_end =
                (a + 1) * SSD_LEX_TILE_SLICES < ns ? (a + 1) * SSD_LEX_TILE_SLICES : ns;
            const size_t i_end =
                (b + 1) * SSD_LEX_TILE_ROWS < nr ? (b + 1) * SSD_LEX_TILE_ROWS : nr;
            for (size_t k = a * SSD_LEX_TILE_SLICES; k < k_end; ++k)
                for (size_t i = b * SSD_LEX_TILE_ROWS; i < i_end; ++i) {
                    double m = 0;
                    for (size_t j = 0; j < nc; ++j) {
                        double opt = SFX(ssd_gs_point_3d)(delta, sigmasq, grad, target, ns, nr,
                                                          nc, lambda, k, i, j, disp, NULL);
                        if (m < opt)
                            m = opt;
                    }
                    scratch[OMREG_SSD_SCRATCH_PER_ROW * (k * nr + i)] = m;
                }
        }
    }
}

void SFX(omreg_par_iterate_residual_displacement_field_ssd_lex_3d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[3], double lambda, FLT *disp, double *scratch, double *max_step)
{
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
    if (ns * nr * nc >= SSD_PARALLEL_MIN_VOXELS) {
#pragma omp parallel num_threads(nthreads)
        SFX(lex_wavefronts_3d)(delta, sigmasq, grad, target, ns, nr, nc, lambda, disp, scratch);
    } else {
        SFX(lex_wavefronts_3d)(delta, sigmasq, grad, target, ns, nr, nc, lambda, disp, scratch);
    }
    *max_step = sqrt(ssd_max_rows(scratch, ns * nr));
}

/* The residual's rows [0, nrows) (a 2D row i, or a 3D row (k, i) = row),
 * each row's squared norm into scratch when sqnorm is wanted: run by every
 * thread of a team, or alone by the caller (orphaned loop). */
static void SFX(residual_rows)(int dim, const FLT *delta, const FLT *sigmasq, const FLT *grad,
                               const FLT *target, size_t ns, size_t nr, size_t nc, double lambda,
                               const FLT *disp, FLT *residual, double *scratch, int sqnorm)
{
    const size_t nrows = dim == 2 ? nr : ns * nr;
#pragma omp for schedule(runtime)
    for (size_t row = 0; row < nrows; ++row) {
        const size_t k = row / nr, i = row % nr;
        double s = 0;
        for (size_t j = 0; j < nc; ++j) {
            size_t nb[6];
            int n = dim == 2 ? ssd_neighbours_2d(nr, nc, i, j, nb)
                             : ssd_neighbours_3d(ns, nr, nc, k, i, j, nb);
            s += SFX(ssd_residual_point)(dim, delta, sigmasq, grad, target, lambda, disp,
                                         row * nc + j, nb, n, residual);
        }
        if (sqnorm)
            scratch[OMREG_SSD_SCRATCH_PER_ROW * row] = s;
    }
}

/* The residual rows on the team of nthreads, or on the caller for small
 * grids; then the squared norm, rows added in order. */
static void SFX(residual)(int nthreads, int dim, const FLT *delta, const FLT *sigmasq,
                          const FLT *grad, const FLT *target, size_t ns, size_t nr, size_t nc,
                          double lambda, const FLT *disp, FLT *residual, double *scratch,
                          double *sqnorm)
{
    const size_t nrows = dim == 2 ? nr : ns * nr;
    if (nrows * nc >= SSD_PARALLEL_MIN_VOXELS) {
#pragma omp parallel num_threads(nthreads)
        SFX(residual_rows)
        (dim, delta, sigmasq, grad, target, ns, nr, nc, lambda, disp, residual, scratch,
         sqnorm != NULL);
    } else {
        SFX(residual_rows)
        (dim, delta, sigmasq, grad, target, ns, nr, nc, lambda, disp, residual, scratch,
         sqnorm != NULL);
    }
    if (sqnorm)
        *sqnorm = ssd_sum_rows(scratch, nrows);
}

void SFX(omreg_par_compute_residual_displacement_field_ssd_2d)(int nthreads, const FLT *delta,
                                                               const FLT *sigmasq, const FLT *grad,
                                                               const FLT *target,
                                                               const size_t shape[2], double lambda,
                                                               const FLT *disp, FLT *residual,
                                                               double *scratch, double *sqnorm)
{
    SFX(residual)
    (nthreads, 2, delta, sigmasq, grad, target, 1, shape[0], shape[1], lambda, disp, residual,
     scratch, sqnorm);
}

void SFX(omreg_par_compute_residual_displacement_field_ssd_3d)(int nthreads, const FLT *delta,
                                                               const FLT *sigmasq, const FLT *grad,
                                                               const FLT *target,
                                                               const size_t shape[3], double lambda,
                                                               const FLT *disp, FLT *residual,
                                                               double *scratch, double *sqnorm)
{
    SFX(residual)
    (nthreads, 3, delta, sigmasq, grad, target, shape[0], shape[1], shape[2], lambda, disp,
     residual, scratch, sqnorm);
}

#endif /* FLT */
