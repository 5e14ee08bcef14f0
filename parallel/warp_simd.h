/* The SIMD template of omreg_par_warp_linear_3d_{f64,f32} (parallel/warp.c;
 * DIPY vector_fields.pyx warp_3d), included once per ISA by
 * parallel/simd_<isa>.c after its vector layer: V_W output voxels of a row
 * per step, each lane warp_point.h's arithmetic on its own voxel: the
 * sampling position C d(A x) + B x (the affines in affine_apply_3d's order,
 * C with h = 0; the field read directly without A, else looked up) and the
 * image lookup, both trilinear_simd.h's. Same split, same bits; the row's
 * last ncols % V_W voxels and arrays of 2^31 elements or more take the
 * scalar code. An ISA whose f64 variant measured slower than the plain C
 * defines OMREG_WARP_SIMD_F32_ONLY before including this file. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_PARALLEL_WARP_SIMD_H
#define OMREG_PARALLEL_WARP_SIMD_H

#include "interp_fast.h"
#include "kernels.h"
#include "trilinear_simd.h"
#include "warp_point.h"

#ifndef OMREG_WARP_SIMD_F32_ONLY
#define FLT double
#define SFX(name) name##_f64
#include "warp_simd.h"
#undef FLT
#undef SFX
#endif

#define FLT float
#define SFX(name) name##_f32
#include "warp_simd.h"
#undef FLT
#undef SFX

#endif /* OMREG_PARALLEL_WARP_SIMD_H */

#else /* FLT: the type-generic body */

/* warp_position_3d at output voxels (k, i, j + lane): pos = C d(A x) + B x,
 * each lane the reference's arithmetic (the field read directly without
 * A, else looked up trilinearly, 0 outside; C applied with h = 0) */
static inline void SFX(v_warp_position_3d)(const FLT *field, const struct v_grid *gf,
                                           const double *a_in, const double *a_out,
                                           const double *a_disp, size_t k, size_t i, size_t j,
                                           v_d pos[3])
{
    const v_d x[3] = {v_set1((double)k), v_set1((double)i), v_add(v_set1((double)j), v_lanes())};
    v_d dd[3], d[3];
    if (a_in == NULL) {
        const FLT *v = field + 3 * (((ptrdiff_t)k * gf->nr + (ptrdiff_t)i) * gf->nc + (ptrdiff_t)j);
        for (int c = 0; c < 3; ++c)
            dd[c] = SFX(v_load_component)(v, c);
    } else {
        v_d at[3];
        v_affine_apply_3d(a_in, x, 1, at);
        (void)SFX(v_interp_vector_3d)(field, gf, at, V_ALL, dd);
    }
    if (a_disp != NULL)
        v_affine_apply_3d(a_disp, dd, 0, d);
    else
        d[0] = dd[0], d[1] = dd[1], d[2] = dd[2];
    if (a_out != NULL) {
        v_d b[3];
        v_affine_apply_3d(a_out, x, 1, b);
        for (int r = 0; r < 3; ++r)
            pos[r] = v_add(d[r], b[r]);
    } else {
        for (int r = 0; r < 3; ++r)
            pos[r] = v_add(d[r], x[r]);
    }
}

void V_NAME(SFX(omreg_par_warp_linear_3d))(int nthreads, const FLT *img, const size_t img_shape[3],
                                           const FLT *field, const size_t field_shape[3],
                                           const double *affine_idx_in,
                                           const double *affine_idx_out, const double *affine_disp,
                                           const size_t out_shape[3], FLT *out)
{
    struct v_grid g, gf;
    if (!v_grid_init(&g, img_shape, 1) || !v_grid_init(&gf, field_shape, 3)) {
        SFX(omreg_par_warp_linear_3d)(nthreads, img, img_shape, field, field_shape, affine_idx_in,
                                      affine_idx_out, affine_disp, out_shape, out);
        return;
    }
    const size_t nrows = out_shape[1], ncols = out_shape[2];
    const size_t nlines = out_shape[0] * nrows;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t line = 0; line < nlines; ++line) {
        const size_t k = line / nrows, i = line % nrows;
        FLT *o = out + line * ncols;
        size_t j = 0;
        for (; j + V_W <= ncols; j += V_W) {
            v_d pos[3], val;
            SFX(v_warp_position_3d)(field, &gf, affine_idx_in, affine_idx_out, affine_disp, k,
                                    i, j, pos);
            (void)SFX(v_interp_3d)(img, &g, pos, V_ALL, &val);
            SFX(v_store)(o + j, val);
        }
        for (; j < ncols; ++j) {
            double p[3];
            SFX(warp_position_3d)(field, gf.ns, gf.nr, gf.nc, affine_idx_in, affine_idx_out,
                                  affine_disp, k, i, j, p);
            (void)SFX(fast_interp_scalar_3d)(img, g.ns, g.nr, g.nc, p[0], p[1], p[2], &o[j]);
        }
    }
}

#endif /* FLT */
