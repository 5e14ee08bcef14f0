/* Reference kernels of the SSD metric and its multigrid solver (DIPY 1.6
 * sumsqdiff.pyx; kernels_sumsqdiff.h): energy, demons step, red-black
 * Gauss-Seidel sweep, residual and field addition, as plain serial loops
 * with the canonical row-block reductions; DIPY's own raster-order
 * (lexicographic) sweep, and its 3D sweep with the stale singular solution
 * for the golden test. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "kernels.h"
#include "sumsqdiff_point.h"

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

/* Reductions: one partial per grid row, summed left to right from 0, rows
 * added to 0 in order (kernels_sumsqdiff.h); the serial order needs no
 * block storage, so scratch is unused. */

void SFX(omreg_ref_compute_energy_ssd_2d)(int nthreads, const FLT *delta, const size_t shape[2],
                                          double *scratch, double *energy)
{
    (void)nthreads;
    (void)scratch;
    const size_t nr = shape[0], nc = shape[1];
    double total = 0;
    for (size_t i = 0; i < nr; ++i) {
        double s = 0; /* row i's partial */
        for (size_t j = 0; j < nc; ++j)
            s += SFX(ssd_energy_point)(delta[i * nc + j]);
        total += s;
    }
    *energy = total;
}

void SFX(omreg_ref_compute_energy_ssd_3d)(int nthreads, const FLT *delta, const size_t shape[3],
                                          double *scratch, double *energy)
{
    (void)nthreads;
    (void)scratch;
    const size_t nrows = shape[0] * shape[1], nc = shape[2];
    double total = 0;
    for (size_t row = 0; row < nrows; ++row) { /* row = k * nr + i */
        double s = 0;
        for (size_t j = 0; j < nc; ++j)
            s += SFX(ssd_energy_point)(delta[row * nc + j]);
        total += s;
    }
    *energy = total;
}

void SFX(omreg_ref_compute_ssd_demons_step_2d)(int nthreads, const FLT *delta, const FLT *grad,
                                               const size_t shape[2], double sigma_sq_x, FLT *out,
                                               double *scratch, double *energy)
{
    (void)nthreads;
    (void)scratch;
    const size_t nr = shape[0], nc = shape[1];
    double total = 0;
    for (size_t i = 0; i < nr; ++i) {
        double s = 0;
        for (size_t j = 0; j < nc; ++j)
            s += SFX(ssd_demons_point)(2, delta, grad, sigma_sq_x, i * nc + j, out);
        total += s;
    }
    *energy = total;
}

void SFX(omreg_ref_compute_ssd_demons_step_3d)(int nthreads, const FLT *delta, const FLT *grad,
                                               const size_t shape[3], double sigma_sq_x, FLT *out,
                                               double *scratch, double *energy)
{
    (void)nthreads;
    (void)scratch;
    const size_t nrows = shape[0] * shape[1], nc = shape[2];
    double total = 0;
    for (size_t row = 0; row < nrows; ++row) {
        double s = 0;
        for (size_t j = 0; j < nc; ++j)
            s += SFX(ssd_demons_point)(3, delta, grad, sigma_sq_x, row * nc + j, out);
        total += s;
    }
    *energy = total;
}

/* Red-black sweep: colour 0 (i + j even) first, then colour 1, each in
 * raster order. A voxel's 4 neighbours all have the other colour, so
 * within one colour no update reads another's output: the order inside a
 * colour is immaterial, which is what lets the parallel kernel split it.
 * The maximum is exact, so a running maximum equals the per-row one. */
void SFX(omreg_ref_iterate_residual_displacement_field_ssd_2d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[2], double lambda, FLT *disp, double *scratch, double *max_step)
{
    (void)nthreads;
    (void)scratch;
    const size_t nr = shape[0], nc = shape[1];
    double max_displacement = 0;
    for (size_t colour = 0; colour < 2; ++colour)
        for (size_t i = 0; i < nr; ++i)
            for (size_t j = (colour + i) % 2; j < nc; j += 2) {
                double opt = SFX(ssd_gs_point_2d)(delta, sigmasq, grad, target, nr, nc, lambda,
                                                  i, j, disp);
                if (max_displacement < opt)
                    max_displacement = opt;
            }
    *max_step = sqrt(max_displacement);
}

/* Red-black in 3D: colour = parity of k + i + j (the 6 neighbours differ by
 * one in one coordinate, so they have the other colour). */
void SFX(omreg_ref_iterate_residual_displacement_field_ssd_3d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[3], double lambda, FLT *disp, double *scratch, double *max_step)
{
    (void)nthreads;
    (void)scratch;
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
    double max_displacement = 0;
    for (size_t colour = 0; colour < 2; ++colour)
        for (size_t k = 0; k < ns; ++k)
            for (size_t i = 0; i < nr; ++i)
                for (size_t j = (colour + k + i) % 2; j < nc; j += 2) {
                    double opt = SFX(ssd_gs_point_3d)(delta, sigmasq, grad, target, ns, nr, nc,
                                                      lambda, k, i, j, disp, NULL);
                    if (max_displacement < opt)
                        max_displacement = opt;
                }
    *max_step = sqrt(max_displacement);
}

/* DIPY's raster-order sweep (the _lex_ slots): one voxel after the other,
 * each reading its lower-index neighbours' new values. */
void SFX(omreg_ref_iterate_residual_displacement_field_ssd_lex_2d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[2], double lambda, FLT *disp, double *scratch, double *max_step)
{
    (void)nthreads;
    (void)scratch;
    const size_t nr = shape[0], nc = shape[1];
    double max_displacement = 0;
    for (size_t i = 0; i < nr; ++i)
        for (size_t j = 0; j < nc; ++j) {
            double opt = SFX(ssd_gs_point_2d)(delta, sigmasq, grad, target, nr, nc, lambda, i,
                                              j, disp);
            if (max_displacement < opt)
                max_displacement = opt;
        }
    *max_step = sqrt(max_displacement);
}

/* dstate selects the singular-solve rule: NULL the fallback (the slot),
 * DIPY's running `d` (the stale port). */
static void SFX(lex_sweep_3d)(const FLT *delta, const FLT *sigmasq, const FLT *grad,
                              const FLT *target, const size_t shape[3], double lambda, FLT *disp,
                              double *dstate, double *max_step)
{
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
    double max_displacement = 0;
    for (size_t k = 0; k < ns; ++k)
        for (size_t i = 0; i < nr; ++i)
            for (size_t j = 0; j < nc; ++j) {
                double opt = SFX(ssd_gs_point_3d)(delta, sigmasq, grad, target, ns, nr, nc,
                                                  lambda, k, i, j, disp, dstate);
                if (max_displacement < opt)
                    max_displacement = opt;
            }
    *max_step = sqrt(max_displacement);
}

void SFX(omreg_ref_iterate_residual_displacement_field_ssd_lex_3d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[3], double lambda, FLT *disp, double *scratch, double *max_step)
{
    (void)nthreads;
    (void)scratch;
    SFX(lex_sweep_3d)(delta, sigmasq, grad, target, shape, lambda, disp, NULL, max_step);
}

/* DIPY's 3D sweep with its stale singular solution (not a table slot). */
void SFX(omreg_ref_iterate_residual_displacement_field_ssd_stale_3d)(
    int nthreads, const FLT *delta, const FLT *sigmasq, const FLT *grad, const FLT *target,
    const size_t shape[3], double lambda, FLT *disp, double *scratch, double *max_step)
{
    (void)nthreads;
    (void)scratch;
    double d[3] = {0, 0, 0}; /* DIPY's `d`: the last 3x3 solution of this call */
    SFX(lex_sweep_3d)(delta, sigmasq, grad, target, shape, lambda, disp, d, max_step);
}

void SFX(omreg_ref_compute_residual_displacement_field_ssd_2d)(int nthreads, const FLT *delta,
                                                               const FLT *sigmasq, const FLT *grad,
                                                               const FLT *target,
                                                               const size_t shape[2], double lambda,
                                                               const FLT *disp, FLT *residual,
                                                               double *scratch, double *sqnorm)
{
    (void)nthreads;
    (void)scratch;
    const size_t nr = shape[0], nc = shape[1];
    double total = 0;
    for (size_t i = 0; i < nr; ++i) {
        double s = 0;
        for (size_t j = 0; j < nc; ++j) {
            size_t nb[4];
            int n = ssd_neighbours_2d(nr, nc, i, j, nb);
            s += SFX(ssd_residual_point)(2, delta, sigmasq, grad, target, lambda, disp,
                                         i * nc + j, nb, n, residual);
        }
        total += s;
    }
    if (sqnorm)
        *sqnorm = total;
}

void SFX(omreg_ref_compute_residual_displacement_field_ssd_3d)(int nthreads, const FLT *delta,
                                                               const FLT *sigmasq, const FLT *grad,
                                                               const FLT *target,
                                                               const size_t shape[3], double lambda,
                                                               const FLT *disp, FLT *residual,
                                                               double *scratch, double *sqnorm)
{
    (void)nthreads;
    (void)scratch;
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
    double total = 0;
    for (size_t k = 0; k < ns; ++k)
        for (size_t i = 0; i < nr; ++i) {
            double s = 0; /* row (k, i) */
            for (size_t j = 0; j < nc; ++j) {
                size_t nb[6];
                int n = ssd_neighbours_3d(ns, nr, nc, k, i, j, nb);
                s += SFX(ssd_residual_point)(3, delta, sigmasq, grad, target, lambda, disp,
                                             (k * nr + i) * nc + j, nb, n, residual);
            }
            total += s;
        }
    if (sqnorm)
        *sqnorm = total;
}

#endif /* FLT */
