/* Parallel passes of DIPY's fixed-point field inversion
 * (vector_fields.pyx invert_vector_field_fixed_point_{2,3}d). Residual:
 * threads take whole grid rows (the canonical block, one (k, i) pair in
 * 3D), compute q and the row's norm sum and maximum exactly as the
 * reference does, store them in scratch[row]; one thread then combines the
 * rows in order, the reference's sequence of additions. Step: pointwise,
 * split by grid rows; every voxel is updated with the reference's
 * arithmetic, so the bits do not depend on the split. 3D field lookups
 * take interp_fast.h's path inside the grid (same bits). */
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
#include "invert.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "invert.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_par_invert_vector_field_residual_2d)(int nthreads, const FLT *d,
                                                    const size_t shape[2],
                                                    const double *d_world2grid,
                                                    const double spacing[2], const FLT *p, FLT *q,
                                                    double *scratch, double out[2])
{
    const size_t nr = shape[0], nc = shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t i = 0; i < nr; ++i) {
        double error = 0, difmag = 0;
        for (size_t j = 0; j < nc; ++j) {
            size_t v = 2 * (i * nc + j);
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

void SFX(omreg_par_invert_vector_field_residual_3d)(int nthreads, const FLT *d,
                                                    const size_t shape[3],
                                                    const double *d_world2grid,
                                                    const double spacing[3], const FLT *p, FLT *q,
                                                    double *scratch, double out[2])
{
    const size_t ns = shape[0], nr = shape[1], nc = shape[2], nrows = ns * nr;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row) {
        const size_t k = row / nr, i = row % nr;
        double error = 0, difmag = 0;
        for (size_t j = 0; j < nc; ++j) {
            size_t v = 3 * (row * nc + j);
            (void)SFX(compose_point_3d)(&p[v], d, (ptrdiff_t)ns, (ptrdiff_t)nr, (ptrdiff_t)nc,
                                        NULL, d_world2grid, 1.0, (double)k, (double)i,
                                        (double)j, &q[v]);
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

void SFX(omreg_par_invert_vector_field_step_2d)(int nthreads, const size_t shape[2],
                                                const double spacing[2], double epsilon,
                                                double maxlen, const FLT *q, FLT *p)
{
    /* one task per grid row: chunks of voxels, not single voxels */
    const size_t nrows = shape[0], nc = shape[1];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row)
        for (size_t v = row * nc; v < (row + 1) * nc; ++v) {
            double s = invert_step_factor(SFX(residual_norm_2d)(&q[2 * v], spacing), epsilon,
                                          maxlen);
            SFX(invert_step_point_2d)(&q[2 * v], s, &p[2 * v]);
        }
}

void SFX(omreg_par_invert_vector_field_step_3d)(int nthreads, const size_t shape[3],
                                                const double spacing[3], double epsilon,
                                                double maxlen, const FLT *q, FLT *p)
{
    /* one task per grid row: chunks of voxels, not single voxels */
    const size_t nrows = shape[0] * shape[1], nc = shape[2];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nrows; ++row)
        for (size_t v = row * nc; v < (row + 1) * nc; ++v) {
            double s = invert_step_factor(SFX(residual_norm_3d)(&q[3 * v], spacing), epsilon,
                                          maxlen);
            SFX(invert_step_point_3d)(&q[3 * v], s, &p[3 * v]);
        }
}

#endif /* FLT */
