/* Parallel composition of displacement fields (DIPY vector_fields.pyx
 * _compose_vector_fields_{2,3}d): comp[x] = d1[x] + t * d2(A x + B d1[x]).
 * Threads take whole grid rows (the canonical reduction block, one (k, i)
 * pair in 3D); each row's voxels and statistics partials are computed
 * exactly as in the reference, so only the order in which rows run
 * differs. The partials go to scratch[row] and one thread combines them in
 * row order afterwards, which is the reference's sequence of additions.
 * 3D field lookups take interp_fast.h's path inside the grid (same bits). */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "vector_fields_fp_guard.h" /* first: see there */
#include "interp_fast.h"
#include "kernels.h"
#define VECTOR_FIELDS_LOOKUP_3D SFX(fast_interp_vector_3d)
#include "vector_fields_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "compose.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "compose.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_par_compose_vector_fields_2d)(int nthreads, const FLT *d1, const size_t shape1[2],
                                             const FLT *d2, const size_t shape2[2],
                                             const double *premult_index,
                                             const double *premult_disp, double time_scaling,
                                             FLT *comp, double *scratch, double stats[3])
{
    const size_t nr1 = shape1[0], nc1 = shape1[1];
    const ptrdiff_t nr2 = (ptrdiff_t)shape2[0], nc2 = (ptrdiff_t)shape2[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < nr1; ++i) {
        double sum = 0, sum_sq = 0, max_nn = 0, cnt = 0;
        for (size_t j = 0; j < nc1; ++j) {
            size_t v = 2 * (i * nc1 + j);
            if (SFX(compose_point_2d)(&d1[v], d2, nr2, nc2, premult_index, premult_disp,
                                      time_scaling, (double)i, (double)j, &comp[v])) {
                double nn = SFX(compose_sqnorm_2d)(&comp[v]);
                sum += nn;
                sum_sq += nn * nn;
                cnt += 1;
                if (max_nn < nn)
                    max_nn = nn;
            }
        }
        double *s = scratch + OMREG_COMPOSE_SCRATCH_PER_ROW * i;
        s[0] = sum;
        s[1] = sum_sq;
        s[2] = max_nn;
        s[3] = cnt;
    }
    compose_stats_combine(scratch, nr1, stats);
}

void SFX(omreg_par_compose_vector_fields_3d)(int nthreads, const FLT *d1, const size_t shape1[3],
                                             const FLT *d2, const size_t shape2[3],
                                             const double *premult_index,
                                             const double *premult_disp, double time_scaling,
                                             FLT *comp, double *scratch, double stats[3])
{
    const size_t nr1 = shape1[1], nc1 = shape1[2], nrows = shape1[0] * shape1[1];
    const ptrdiff_t ns2 = (ptrdiff_t)shape2[0], nr2 = (ptrdiff_t)shape2[1],
                    nc2 = (ptrdiff_t)shape2[2];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row) {
        const size_t k = row / nr1, i = row % nr1;
        double sum = 0, sum_sq = 0, max_nn = 0, cnt = 0;
        for (size_t j = 0; j < nc1; ++j) {
            size_t v = 3 * (row * nc1 + j);
            if (SFX(compose_point_3d)(&d1[v], d2, ns2, nr2, nc2, premult_index, premult_disp,
                                      time_scaling, (double)k, (double)i, (double)j,
                                      &comp[v])) {
                double nn = SFX(compose_sqnorm_3d)(&comp[v]);
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

#endif /* FLT */
