/* The SIMD template of omreg_par_gradient_3d_{f64,f32} and
 * omreg_par_sparse_gradient_3d_{f64,f32} (parallel/gradient.c; DIPY
 * vector_fields.pyx _gradient_3d, _sparse_gradient_3d), included once per
 * ISA by parallel/simd_<isa>.c after its vector layer: V_W sample points
 * per step, each lane gradient_point.h's arithmetic on its own point,
 * including DIPY's quirk (after a failed lookup the point stays shifted
 * for the later axes: a per-lane select). The lookups are
 * trilinear_simd.h's; g_p = (I(x + h_p) - I(x - h_p)) / spacing_p in
 * double, rounded once to FLT. Same split, same bits; the row's last
 * ncols % V_W points (n % V_W for point lists) and volumes of 2^31 voxels
 * or more take the scalar code. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_PARALLEL_GRADIENT_SIMD_H
#define OMREG_PARALLEL_GRADIENT_SIMD_H

#include "interp_fast.h"
#define GRADIENT_LOOKUP_3D SFX(fast_interp_scalar_3d)
#include "gradient_point.h"
#include "kernels.h"
#include "trilinear_simd.h"

#define FLT double
#define SFX(name) name##_f64
#include "gradient_simd.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "gradient_simd.h"
#undef FLT
#undef SFX

#endif /* OMREG_PARALLEL_GRADIENT_SIMD_H */

#else /* FLT: the type-generic body */

/* gradient_point_3d at the world points x of V_W lanes: g[0..2], returns
 * the bits of the lanes that are inside */
static inline unsigned SFX(v_gradient_point_3d)(const FLT *img, const struct v_grid *g,
                                                const double *w2g, const double *spacing,
                                                const v_d x[3], v_d gr[3])
{
    unsigned inside = V_ALL;
    v_d dx[3] = {x[0], x[1], x[2]}, q[3], lo, hi = v_zero();
    for (int p = 0; p < 3; ++p) {
        const v_d h = v_set1(0.5 * spacing[p]);
        const v_d xm = v_sub(x[p], h), xp = v_add(x[p], h);
        dx[p] = xm;
        v_affine_apply_3d(w2g, dx, 1, q);
        const unsigned okm = SFX(v_interp_3d)(img, g, q, V_ALL, &lo);
        dx[p] = v_select(v_from_bits(okm), xm, xp); /* a failed lane stays at x - h */
        v_affine_apply_3d(w2g, dx, 1, q);
        const unsigned ok = okm != 0 ? SFX(v_interp_3d)(img, g, q, okm, &hi) & okm : 0;
        const v_m okv = v_from_bits(ok);
        gr[p] = v_zero_unless(okv, SFX(v_round)(v_div(v_sub(hi, lo), v_set1(spacing[p]))));
#ifdef OMREG_CANARY_SIMD_GRADIENT_RESET
        dx[p] = x[p]; /* planted (ci/canaries.tsv): DIPY's shifted point dropped */
#else
        dx[p] = v_select(okv, dx[p], x[p]); /* and at x + h after a failed second one */
#endif
        inside &= ok;
    }
    return inside;
}

/* writes V_W interleaved gradients and flags from point index v on */
static inline void SFX(v_gradient_store)(const v_d gr[3], unsigned in, FLT *out, int *inside,
                                         size_t v)
{
    double t[3][V_W];
    for (int p = 0; p < 3; ++p)
        v_store(t[p], gr[p]);
    for (int l = 0; l < V_W; ++l) {
        for (int p = 0; p < 3; ++p)
            out[3 * (v + (size_t)l) + (size_t)p] = (FLT)t[p][l]; /* exact: already FLT */
        inside[v + (size_t)l] = (int)(in >> l & 1);
    }
}

void V_NAME(SFX(omreg_par_gradient_3d))(int nthreads, const FLT *img, const size_t img_shape[3],
                                        const double *img_world2grid, const double img_spacing[3],
                                        const size_t out_shape[3], const double *out_grid2world,
                                        FLT *out, int *inside)
{
    struct v_grid g;
    if (!v_grid_init(&g, img_shape, 1)) {
        SFX(omreg_par_gradient_3d)(nthreads, img, img_shape, img_world2grid, img_spacing, out_shape,
                                   out_grid2world, out, inside);
        return;
    }
    const size_t nslices = out_shape[0], nrows = out_shape[1], ncols = out_shape[2];
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t row = 0; row < nslices * nrows; ++row) {
        const size_t k = row / nrows, i = row % nrows;
        size_t j = 0;
        for (; j + V_W <= ncols; j += V_W) {
            const v_d at[3] = {v_set1((double)k), v_set1((double)i),
                               v_add(v_set1((double)j), v_lanes())};
            v_d x[3], gr[3];
            v_affine_apply_3d(out_grid2world, at, 1, x);
            const unsigned in =
                SFX(v_gradient_point_3d)(img, &g, img_world2grid, img_spacing, x, gr);
            SFX(v_gradient_store)(gr, in, out, inside, row * ncols + j);
        }
        for (; j < ncols; ++j) {
            const size_t v = row * ncols + j;
            double x[3];
            for (int r = 0; r < 3; ++r)
                x[r] = affine_apply_3d(out_grid2world, r, (double)k, (double)i, (double)j, 1);
            inside[v] = SFX(gradient_point_3d)(img, g.ns, g.nr, g.nc, img_world2grid,
                                               img_spacing, x, &out[3 * v]);
        }
    }
}

void V_NAME(SFX(omreg_par_sparse_gradient_3d))(int nthreads, const FLT *img,
                                               const size_t img_shape[3],
                                               const double *img_world2grid,
                                               const double img_spacing[3], const double *points,
                                               size_t n, FLT *out, int *inside)
{
    struct v_grid g;
    if (!v_grid_init(&g, img_shape, 1)) {
        SFX(omreg_par_sparse_gradient_3d)(nthreads, img, img_shape, img_world2grid, img_spacing,
                                          points, n, out, inside);
        return;
    }
    const size_t nvec = n / V_W;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t b = 0; b <= nvec; ++b) {
        const size_t p0 = b * V_W;
        if (b < nvec) {
            const v_d x[3] = {v_load_strided(points + 3 * p0, 3),
                              v_load_strided(points + 3 * p0 + 1, 3),
                              v_load_strided(points + 3 * p0 + 2, 3)};
            v_d gr[3];
            const unsigned in =
                SFX(v_gradient_point_3d)(img, &g, img_world2grid, img_spacing, x, gr);
            SFX(v_gradient_store)(gr, in, out, inside, p0);
        } else {
            for (size_t p = p0; p < n; ++p)
                inside[p] = SFX(gradient_point_3d)(img, g.ns, g.nr, g.nc, img_world2grid,
                                                   img_spacing, &points[3 * p], &out[3 * p]);
        }
    }
}

#endif /* FLT */
