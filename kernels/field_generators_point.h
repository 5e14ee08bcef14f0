/* Per-voxel math of the test-input generators, shared by both backends
 * (DIPY vector_fields.pyx create_random_displacement_{2,3}d,
 * create_harmonic_fields_{2,3}d, create_circle, create_sphere). All in
 * double; the kernels store the results in their element type. */
#ifndef OMREG_CORE_FIELD_GENERATORS_POINT_H
#define OMREG_CORE_FIELD_GENERATORS_POINT_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "affine_apply.h"
#include "omreg/random.h"

/* The random target index of component c of voxel v (raster order) in an
 * axis of n >= 3 voxels: uniform in [1, n - 2] like DIPY's
 * np.random.randint(1, n - 1), drawn as 1 + u64(seed, v*dim + c) mod (n - 2)
 * (modulo bias below 2^-32 for any n < 2^32). The index v*dim + c is the
 * position of the draw in DIPY's call sequence, so feeding DIPY the same
 * numbers reproduces this field (fixtures/gen_warp.py). */
static inline ptrdiff_t random_target(uint64_t seed, size_t v, int dim, int c, size_t n)
{
    uint64_t u = omreg_random_u64(seed, (uint64_t)v * (uint64_t)dim + (uint64_t)c);
    return (ptrdiff_t)(1 + u % (uint64_t)(n - 2));
}

/* Voxel (i, j), flat index v: out = to * r - from * (i, j) in world space. */
static inline void random_displacement_point_2d(const double *from, const size_t to_shape[2],
                                                const double *to, uint64_t seed, size_t i,
                                                size_t j, size_t v, double out[2], int r[2])
{
    ptrdiff_t ri = random_target(seed, v, 2, 0, to_shape[0]);
    ptrdiff_t rj = random_target(seed, v, 2, 1, to_shape[1]);
    double di = (double)i, dj = (double)j, dii = (double)ri, djj = (double)rj;
    if (from != NULL) {
        di = affine_apply_2d(from, 0, (double)i, (double)j, 1);
        dj = affine_apply_2d(from, 1, (double)i, (double)j, 1);
    }
    if (to != NULL) {
        dii = affine_apply_2d(to, 0, (double)ri, (double)rj, 1);
        djj = affine_apply_2d(to, 1, (double)ri, (double)rj, 1);
    }
    out[0] = dii - di;
    out[1] = djj - dj;
    r[0] = (int)ri;
    r[1] = (int)rj;
}

static inline void random_displacement_point_3d(const double *from, const size_t to_shape[3],
                                                const double *to, uint64_t seed, size_t k,
                                                size_t i, size_t j, size_t v, double out[3],
                                                int r[3])
{
    ptrdiff_t rk = random_target(seed, v, 3, 0, to_shape[0]);
    ptrdiff_t ri = random_target(seed, v, 3, 1, to_shape[1]);
    ptrdiff_t rj = random_target(seed, v, 3, 2, to_shape[2]);
    double dk = (double)k, di = (double)i, dj = (double)j;
    double dkk = (double)rk, dii = (double)ri, djj = (double)rj;
    if (from != NULL) {
        dk = affine_apply_3d(from, 0, (double)k, (double)i, (double)j, 1);
        di = affine_apply_3d(from, 1, (double)k, (double)i, (double)j, 1);
        dj = affine_apply_3d(from, 2, (double)k, (double)i, (double)j, 1);
    }
    if (to != NULL) {
        dkk = affine_apply_3d(to, 0, (double)rk, (double)ri, (double)rj, 1);
        dii = affine_apply_3d(to, 1, (double)rk, (double)ri, (double)rj, 1);
        djj = affine_apply_3d(to, 2, (double)rk, (double)ri, (double)rj, 1);
    }
    out[0] = dkk - dk;
    out[1] = dii - di;
    out[2] = djj - dj;
    r[0] = (int)rk;
    r[1] = (int)ri;
    r[2] = (int)rj;
}

/* Harmonic field at centred coordinates (ii, jj) (Chen et al. 2008, eqs. 9
 * and 10): theta = atan2(ii, jj), s = 1 / (1 + b cos(m theta)) - 1,
 * d = s * x, inv = b cos(m theta) * x for x = (ii, jj) (and kk in 3D, with
 * theta still from (ii, jj)). */
static inline void harmonic_factors(ptrdiff_t ii, ptrdiff_t jj, double b, double m,
                                    double *scale_d, double *scale_inv)
{
    double theta = atan2((double)ii, (double)jj);
    double c = cos(m * theta);
    *scale_d = 1.0 / (1 + b * c) - 1.0;
    *scale_inv = b * c;
}

/* 1 when sqrt(ii^2 + jj^2 + kk^2) <= radius (integer sum, as DIPY). */
static inline int in_ball(ptrdiff_t kk, ptrdiff_t ii, ptrdiff_t jj, ptrdiff_t radius)
{
    return sqrt((double)(ii * ii + jj * jj + kk * kk)) <= (double)radius;
}

#endif
