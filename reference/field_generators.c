/* Reference test-input generators (DIPY vector_fields.pyx
 * create_random_displacement_{2,3}d, create_harmonic_fields_{2,3}d,
 * create_circle, create_sphere): one independent voxel at a time in raster
 * order, per-voxel formulas in kernels/field_generators_point.h. The random
 * field draws from omreg's counter-based generator keyed by (seed, voxel
 * index), so its values do not depend on the visiting order. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "field_generators_point.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "field_generators.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "field_generators.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

/* FLT is the output element type; values are computed in double and
 * rounded once on store. */

void SFX(omreg_ref_create_random_displacement_2d)(int nthreads, const size_t from_shape[2],
                                                  const double *from_grid2world,
                                                  const size_t to_shape[2],
                                                  const double *to_grid2world, uint64_t seed,
                                                  FLT *out, int *int_field)
{
    (void)nthreads;
    for (size_t i = 0; i < from_shape[0]; ++i)
        for (size_t j = 0; j < from_shape[1]; ++j) {
            size_t v = i * from_shape[1] + j;
            double d[2];
            random_displacement_point_2d(from_grid2world, to_shape, to_grid2world, seed, i, j, v,
                                         d, &int_field[2 * v]);
            out[2 * v] = (FLT)d[0];
            out[2 * v + 1] = (FLT)d[1];
        }
}

void SFX(omreg_ref_create_random_displacement_3d)(int nthreads, const size_t from_shape[3],
                                                  const double *from_grid2world,
                                                  const size_t to_shape[3],
                                                  const double *to_grid2world, uint64_t seed,
                                                  FLT *out, int *int_field)
{
    (void)nthreads;
    for (size_t k = 0; k < from_shape[0]; ++k)
        for (size_t i = 0; i < from_shape[1]; ++i)
            for (size_t j = 0; j < from_shape[2]; ++j) {
                size_t v = (k * from_shape[1] + i) * from_shape[2] + j;
                double d[3];
                random_displacement_point_3d(from_grid2world, to_shape, to_grid2world, seed, k,
                                             i, j, v, d, &int_field[3 * v]);
                out[3 * v] = (FLT)d[0];
                out[3 * v + 1] = (FLT)d[1];
                out[3 * v + 2] = (FLT)d[2];
            }
}

void SFX(omreg_ref_create_harmonic_fields_2d)(int nthreads, const size_t shape[2], double b,
                                              double m, FLT *d, FLT *inv)
{
    (void)nthreads;
    const ptrdiff_t mid_row = (ptrdiff_t)shape[0] / 2, mid_col = (ptrdiff_t)shape[1] / 2;
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j) {
            size_t v = i * shape[1] + j;
            ptrdiff_t ii = (ptrdiff_t)i - mid_row, jj = (ptrdiff_t)j - mid_col;
            double sd, si;
            harmonic_factors(ii, jj, b, m, &sd, &si);
            d[2 * v] = (FLT)((double)ii * sd);
            d[2 * v + 1] = (FLT)((double)jj * sd);
            inv[2 * v] = (FLT)(si * (double)ii);
            inv[2 * v + 1] = (FLT)(si * (double)jj);
        }
}

void SFX(omreg_ref_create_harmonic_fields_3d)(int nthreads, const size_t shape[3], double b,
                                              double m, FLT *d, FLT *inv)
{
    (void)nthreads;
    const ptrdiff_t mid_slice = (ptrdiff_t)shape[0] / 2, mid_row = (ptrdiff_t)shape[1] / 2,
                    mid_col = (ptrdiff_t)shape[2] / 2;
    for (size_t k = 0; k < shape[0]; ++k)
        for (size_t i = 0; i < shape[1]; ++i)
            for (size_t j = 0; j < shape[2]; ++j) {
                size_t v = (k * shape[1] + i) * shape[2] + j;
                ptrdiff_t kk = (ptrdiff_t)k - mid_slice, ii = (ptrdiff_t)i - mid_row,
                          jj = (ptrdiff_t)j - mid_col;
                double sd, si;
                harmonic_factors(ii, jj, b, m, &sd, &si);
                d[3 * v] = (FLT)((double)kk * sd);
                d[3 * v + 1] = (FLT)((double)ii * sd);
                d[3 * v + 2] = (FLT)((double)jj * sd);
                inv[3 * v] = (FLT)(si * (double)kk);
                inv[3 * v + 1] = (FLT)(si * (double)ii);
                inv[3 * v + 2] = (FLT)(si * (double)jj);
            }
}

void SFX(omreg_ref_create_circle)(int nthreads, const size_t shape[2], ptrdiff_t radius, FLT *out)
{
    (void)nthreads;
    const ptrdiff_t mid_row = (ptrdiff_t)shape[0] / 2, mid_col = (ptrdiff_t)shape[1] / 2;
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j)
            out[i * shape[1] + j] =
                (FLT)in_ball(0, (ptrdiff_t)i - mid_row, (ptrdiff_t)j - mid_col, radius);
}

void SFX(omreg_ref_create_sphere)(int nthreads, const size_t shape[3], ptrdiff_t radius, FLT *out)
{
    (void)nthreads;
    const ptrdiff_t mid_slice = (ptrdiff_t)shape[0] / 2, mid_row = (ptrdiff_t)shape[1] / 2,
                    mid_col = (ptrdiff_t)shape[2] / 2;
    for (size_t k = 0; k < shape[0]; ++k)
        for (size_t i = 0; i < shape[1]; ++i)
            for (size_t j = 0; j < shape[2]; ++j)
                out[(k * shape[1] + i) * shape[2] + j] =
                    (FLT)in_ball((ptrdiff_t)k - mid_slice, (ptrdiff_t)i - mid_row,
                                 (ptrdiff_t)j - mid_col, radius);
}

#endif /* FLT */
