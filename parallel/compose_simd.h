/* The SIMD template of omreg_par_compose_vector_fields_3d_f32 and
 * omreg_par_invert_vector_field_residual_3d_f32 (parallel/compose.c,
 * parallel/invert.c; DIPY vector_fields.pyx _compose_vector_fields_3d and
 * the residual pass of invert_vector_field_fixed_point_3d, which is the
 * composition with premult_disp = the field's world2grid and t = 1),
 * included once per ISA by parallel/simd_<isa>.c after its vector layer:
 * V_W voxels of a row per step, each lane compose_point_3d's arithmetic on
 * its own voxel (the affines in affine_apply_3d's order, the field lookup
 * trilinear_simd.h's, comp = t v + d1 in double rounded once to FLT, 0
 * outside). The row's statistics (squared norms, residual norms) stay
 * scalar, one lane after the other in the reference's order, into the same
 * per-row scratch. Same split, same bits; the row's last ncols % V_W voxels
 * and fields of 2^31 elements or more take the scalar code. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, with FLT
 * float and SFX _f32 (below); the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_PARALLEL_COMPOSE_SIMD_H
#define OMREG_PARALLEL_COMPOSE_SIMD_H

#include "interp_fast.h"
#include "kernels.h"
#include "trilinear_simd.h"
#define VECTOR_FIELDS_LOOKUP_3D SFX(fast_interp_vector_3d)
#include "vector_fields_point.h"

/* float32 only (SyN's fields): the float64 instance measured slower than
 * the scalar kernel (README, ISA variants), so it is not built */
#define FLT float
#define SFX(name) name##_f32
#include "compose_simd.h"
#undef FLT
#undef SFX

#endif /* OMREG_PARALLEL_COMPOSE_SIMD_H */

#else /* FLT: the type-generic body */

/* compose_point_3d at the grid points x of V_W lanes: d1v and comp are the
 * lanes' interleaved vectors; returns the bits of the lanes inside d2 */
static inline unsigned SFX(v_compose_point_3d)(const FLT *d1v, const FLT *d2,
                                               const struct v_grid *g2,
                                               const double *premult_index,
                                               const double *premult_disp, double t,
                                               const v_d x[3], FLT *comp)
{
    const v_d d1[3] = {SFX(v_load_component)(d1v, 0), SFX(v_load_component)(d1v, 1),
                       SFX(v_load_component)(d1v, 2)}; /* dkk, dii, djj */
    v_d dk[3] = {d1[0], d1[1], d1[2]}, at[3] = {x[0], x[1], x[2]}, v[3];
    if (premult_disp)
        v_affine_apply_3d(premult_disp, d1, 0, dk);
    if (premult_index)
        v_affine_apply_3d(premult_index, x, 1, at);
    for (int r = 0; r < 3; ++r)
        at[r] = v_add(at[r], dk[r]);
    const unsigned ok = SFX(v_interp_vector_3d)(d2, g2, at, V_ALL, v);
    const v_m okv = v_from_bits(ok);
    double a[3][V_W];
    for (int c = 0; c < 3; ++c)
        v_store(a[c], v_zero_unless(okv, v_add(v_mul(v_set1(t), v[c]), d1[c])));
    for (int l = 0; l < V_W; ++l)
        for (int c = 0; c < 3; ++c)
            comp[3 * l + c] = (FLT)a[c][l]; /* the one rounding to FLT */
    return ok;
}

void V_NAME(SFX(omreg_par_compose_vector_fields_3d))(int nthreads, const FLT *d1,
                                                     const size_t shape1[3], const FLT *d2,
                                                     const size_t shape2[3],
                                                     const double *premult_index,
                                                     const double *premult_disp,
                                                     double time_scaling, FLT *comp,
                                                     double *scratch, double stats[3])
{
    struct v_grid g2;
    if (!v_grid_init(&g2, shape2, 3)) {
        SFX(omreg_par_compose_vector_fields_3d)(nthreads, d1, shape1, d2, shape2, premult_index,
                                                premult_disp, time_scaling, comp, scratch, stats);
        return;
    }
    const size_t nr1 = shape1[1], nc1 = shape1[2], nrows = shape1[0] * shape1[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row) {
        const size_t k = row / nr1, i = row % nr1;
        double sum = 0, sum_sq = 0, max_nn = 0, cnt = 0;
        size_t j = 0;
        for (; j < nc1; j += V_W) {
            const size_t v = 3 * (row * nc1 + j);
            unsigned ok;
            int lanes = V_W;
            if (j + V_W <= nc1) {
                const v_d x[3] = {v_set1((double)k), v_set1((double)i),
                                  v_add(v_set1((double)j), v_lanes())};
                ok = SFX(v_compose_point_3d)(&d1[v], d2, &g2, premult_index, premult_disp,
                                             time_scaling, x, &comp[v]);
            } else { /* the row's tail, one voxel at a time */
                lanes = (int)(nc1 - j);
                ok = 0;
                for (int l = 0; l < lanes; ++l)
                    ok |= (unsigned)SFX(compose_point_3d)(
                              &d1[v + 3 * (size_t)l], d2, g2.ns, g2.nr, g2.nc, premult_index,
                              premult_disp, time_scaling, (double)k, (double)i,
                              (double)(j + (size_t)l), &comp[v + 3 * (size_t)l])
                          << l;
            }
            for (int l = 0; l < lanes; ++l)
                if (ok >> l & 1) {
                    double nn = SFX(compose_sqnorm_3d)(&comp[v + 3 * (size_t)l]);
                    sum += nn;
                    sum_sq += nn * nn;
                    cnt += 1;
                    if (max_nn < nn)
                        max_nn = nn;
                }
        }
        double *s = scratch + OMREG_COMPOSE_SCRATCH_PER_ROW * row;
        s[0] = sum;
        s[1] = sum_sq;
        s[2] = max_nn;
        s[3] = cnt;
    }
    compose_stats_combine(scratch, nrows, stats);
}

void V_NAME(SFX(omreg_par_invert_vector_field_residual_3d))(int nthreads, const FLT *d,
                                                            const size_t shape[3],
                                                            const double *d_world2grid,
                                                            const double spacing[3], const FLT *p,
                                                            FLT *q, double *scratch, double out[2])
{
    struct v_grid g;
    if (!v_grid_init(&g, shape, 3)) {
        SFX(omreg_par_invert_vector_field_residual_3d)(nthreads, d, shape, d_world2grid, spacing, p,
                                                       q, scratch, out);
        return;
    }
    const size_t nr = shape[1], nc = shape[2], nrows = shape[0] * shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row) {
        const size_t k = row / nr, i = row % nr;
        double error = 0, difmag = 0;
        size_t j = 0;
        for (; j + V_W <= nc; j += V_W) {
            const size_t v = 3 * (row * nc + j);
            const v_d x[3] = {v_set1((double)k), v_set1((double)i),
                              v_add(v_set1((double)j), v_lanes())};
            (void)SFX(v_compose_point_3d)(&p[v], d, &g, NULL, d_world2grid, 1.0, x, &q[v]);
        }
        for (; j < nc; ++j) {
            const size_t v = 3 * (row * nc + j);
            (void)SFX(compose_point_3d)(&p[v], d, g.ns, g.nr, g.nc, NULL, d_world2grid, 1.0,
                                        (double)k, (double)i, (double)j, &q[v]);
        }
        for (size_t v = 3 * row * nc; v < 3 * (row + 1) * nc; v += 3) {
            double mag = SFX(residual_norm_3d)(&q[v], spacing);
            error += mag;
            if (difmag < mag)
                difmag = mag;
        }
        scratch[OMREG_INVERT_SCRATCH_PER_ROW * row] = error;
        scratch[OMREG_INVERT_SCRATCH_PER_ROW * row + 1] = difmag;
    }
    invert_residual_combine(scratch, nrows, out);
}

#endif /* FLT */
