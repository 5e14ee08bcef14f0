/* Reference composition of displacement fields (DIPY vector_fields.pyx
 * _compose_vector_fields_{2,3}d): comp[x] = d1[x] + t * d2(A x + B d1[x]),
 * 0 where d2 cannot be interpolated, with the norm statistics reduced per
 * grid row (the canonical block, kernels_vector_fields.h) and the row
 * partials combined in row order. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "vector_fields_fp_guard.h" /* first: see there */
#include "kernels.h"
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

void SFX(omreg_ref_compose_vector_fields_2d)(int nthreads, const FLT *d1, const size_t shape1[2],
                                             const FLT *d2, const size_t shape2[2],
                                             const double *premult_index,
                                             const double *premult_disp, double time_scaling,
                                             FLT *comp, double *scratch, double stats[3])
{
    (void)nthreads;
    const size_t nr1 = shape1[0], nc1 = shape1[1];
    for (size_t i = 0; i < nr1; ++i) {
        /* block = row i: its partials start from 0 */
        double sum = 0, sum_sq = 0, max_nn = 0, cnt = 0;
        for (size_t j = 0; j < nc1; ++j) {
            size_t v = 2 * (i * nc1 + j);
            if (SFX(compose_point_2d)(&d1[v], d2, (ptrdiff_t)shape2[0], (ptrdiff_t)shape2[1],
                                      premult_index, premult_disp, time_scaling, (double)i,
                                      (double)j, &comp[v])) {
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

void SFX(omreg_ref_compose_vector_fields_3d)(int nthreads, const FLT *d1, const size_t shape1[3],
                                             const FLT *d2, const size_t shape2[3],
                                             const double *premult_index,
                                             const double *premult_disp, double time_scaling,
                                             FLT *comp, double *scratch, double stats[3])
{
    (void)nthreads;
    const size_t ns1 = shape1[0], nr1 = shape1[1], nc1 = shape1[2];
    for (size_t k = 0; k < ns1; ++k)
        for (size_t i = 0; i < nr1; ++i) {
            /* block = row (k, i): its partials start from 0 */
            double sum = 0, sum_sq = 0, max_nn = 0, cnt = 0;
            for (size_t j = 0; j < nc1; ++j) {
                size_t v = 3 * ((k * nr1 + i) * nc1 + j);
                if (SFX(compose_point_3d)(&d1[v], d2, (ptrdiff_t)shape2[0],
                                          (ptrdiff_t)shape2[1], (ptrdiff_t)shape2[2],
                                          premult_index, premult_disp, time_scaling,
                                          (double)k, (double)i, (double)j, &comp[v])) {
                    double nn = SFX(compose_sqnorm_3d)(&comp[v]);
                    sum += nn;
                    sum_sq += nn * nn;
                    cnt += 1;
                    if (max_nn < nn)
                        max_nn = nn;
                }
            }
            double *s = scratch + OMREG_COMPOSE_SCRATCH_PER_ROW * (k * nr1 + i);
            s[0] = sum;
            s[1] = sum_sq;
            s[2] = max_nn;
            s[3] = cnt;
        }
    compose_stats_combine(scratch, ns1 * nr1, stats);
}

#endif /* FLT */
