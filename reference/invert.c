/* Reference passes of DIPY's fixed-point field inversion
 * (vector_fields.pyx invert_vector_field_fixed_point_{2,3}d, after Chen et
 * al. 2008): the residual q = p o d with its norm sum (per grid row, rows
 * combined in order) and maximum, and the step p -= s(|q|) q. The iteration
 * and its stopping rule live in api/vector_fields_api.c. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "vector_fields_fp_guard.h" /* first: see there */
#include "kernels.h"
#include "vector_fields_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "invert.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "invert.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_ref_invert_vector_field_residual_2d)(int nthreads, const FLT *d,
                                                    const size_t shape[2],
                                                    const double *d_world2grid,
                                                    const double spacing[2], const FLT *p, FLT *q,
                                                    double *scratch, double out[2])
{
    (void)nthreads;
    const size_t nr = shape[0], nc = shape[1];
    for (size_t i = 0; i < nr; ++i) {
        double error = 0, difmag = 0; /* row i's partials */
        for (size_t j = 0; j < nc; ++j) {
            size_t v = 2 * (i * nc + j);
            /* q = p o d: DIPY's _compose_vector_fields_2d(p, d, None, w2g, 1.0) */
            (void)SFX(compose_point_2d)(&p[v], d, (ptrdiff_t)nr, (ptrdiff_t)nc, NULL,
                                        d_world2grid, 1.0, (double)i, (double)j, &q[v]);
            double mag = SFX(residual_norm_2d)(&q[v], spacing);
            error += mag;
            if (difmag < mag)
                difmag = mag;
        }
        scratch[OMREG_INVERT_SCRATCH_PER_ROW * i] = error;
        scratch[OMREG_INVERT_SCRATCH_PER_ROW * i + 1] = difmag;
    }
    invert_residual_combine(scratch, nr, out);
}

void SFX(omreg_ref_invert_vector_field_residual_3d)(int nthreads, const FLT *d,
                                                    const size_t shape[3],
                                                    const double *d_world2grid,
                                                    const double spacing[3], const FLT *p, FLT *q,
                                                    double *scratch, double out[2])
{
    (void)nthreads;
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
    for (size_t k = 0; k < ns; ++k)
        for (size_t i = 0; i < nr; ++i) {
            double error = 0, difmag = 0; /* row (k, i)'s partials */
            for (size_t j = 0; j < nc; ++j) {
                size_t v = 3 * ((k * nr + i) * nc + j);
                (void)SFX(compose_point_3d)(&p[v], d, (ptrdiff_t)ns, (ptrdiff_t)nr,
                                            (ptrdiff_t)nc, NULL, d_world2grid, 1.0, (double)k,
                                            (double)i, (double)j, &q[v]);
                double mag = SFX(residual_norm_3d)(&q[v], spacing);
                error += mag;
                if (difmag < mag)
                    difmag = mag;
            }
            scratch[OMREG_INVERT_SCRATCH_PER_ROW * (k * nr + i)] = error;
            scratch[OMREG_INVERT_SCRATCH_PER_ROW * (k * nr + i) + 1] = difmag;
        }
    invert_residual_combine(scratch, ns * nr, out);
}

void SFX(omreg_ref_invert_vector_field_step_2d)(int nthreads, const size_t shape[2],
                                                const double spacing[2], double epsilon,
                                                double maxlen, const FLT *q, FLT *p)
{
    (void)nthreads;
    const size_t n = shape[0] * shape[1];
    for (size_t v = 0; v < n; ++v) {
        double s = invert_step_factor(SFX(residual_norm_2d)(&q[2 * v], spacing), epsilon,
                                      maxlen);
        SFX(invert_step_point_2d)(&q[2 * v], s, &p[2 * v]);
    }
}

void SFX(omreg_ref_invert_vector_field_step_3d)(int nthreads, const size_t shape[3],
                                                const double spacing[3], double epsilon,
                                                double maxlen, const FLT *q, FLT *p)
{
    (void)nthreads;
    const size_t n = shape[0] * shape[1] * shape[2];
    for (size_t v = 0; v < n; ++v) {
        double s = invert_step_factor(SFX(residual_norm_3d)(&q[3 * v], spacing), epsilon,
                                      maxlen);
        SFX(invert_step_point_3d)(&q[3 * v], s, &p[3 * v]);
    }
}

#endif /* FLT */
