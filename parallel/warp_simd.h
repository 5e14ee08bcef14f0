/* The SIMD template of omreg_par_warp_linear_3d_{f64,f32} (parallel/warp.c;
 * DIPY vector_fields.pyx warp_3d), included once per ISA by
 * parallel/simd_<isa>.c after its vector layer: V_W output voxels of a row
 * per step. Each lane's sampling position C d(A x) + B x is warp_point.h's
 * (scalar, the reference's code); the image lookups, the bulk of the work,
 * are trilinear_simd.h's. Same split, same bits; the row's last ncols % V_W
 * voxels and images of 2^31 voxels or more take the scalar code. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_PARALLEL_WARP_SIMD_H
#define OMREG_PARALLEL_WARP_SIMD_H

#include "interp_fast.h"
#include "kernels.h"
#include "trilinear_simd.h"
#include "warp_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "warp_simd.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "warp_simd.h"
#undef FLT
#undef SFX

#endif /* OMREG_PARALLEL_WARP_SIMD_H */

#else /* FLT: the type-generic body */

void V_NAME(SFX(omreg_par_warp_linear_3d))(const FLT *img, const size_t img_shape[3],
                                           const FLT *field, const size_t field_shape[3],
                                           const double *affine_idx_in,
                                           const double *affine_idx_out,
                                           const double *affine_disp, const size_t out_shape[3],
                                           FLT *out)
{
    struct v_grid g;
    if (!v_grid_init(&g, img_shape, 1)) {
        SFX(omreg_par_warp_linear_3d)(img, img_shape, field, field_shape, affine_idx_in,
                                      affine_idx_out, affine_disp, out_shape, out);
        return;
    }
    const ptrdiff_t fns = (ptrdiff_t)field_shape[0], fnr = (ptrdiff_t)field_shape[1];
    const ptrdiff_t fnc = (ptrdiff_t)field_shape[2];
    const size_t nrows = out_shape[1], ncols = out_shape[2];
    const size_t nlines = out_shape[0] * nrows;
#pragma omp parallel for schedule(runtime)
    for (size_t line = 0; line < nlines; ++line) {
        const size_t k = line / nrows, i = line % nrows;
        FLT *o = out + line * ncols;
        size_t j = 0;
        for (; j + V_W <= ncols; j += V_W) {
            double pos[3][V_W];
            for (int l = 0; l < V_W; ++l) {
                double p[3];
                SFX(warp_position_3d)(field, fns, fnr, fnc, affine_idx_in, affine_idx_out,
                                      affine_disp, k, i, j + (size_t)l, p);
                pos[0][l] = p[0], pos[1][l] = p[1], pos[2][l] = p[2];
            }
            const v_d d[3] = {v_load(pos[0]), v_load(pos[1]), v_load(pos[2])};
            v_d val;
            (void)SFX(v_interp_3d)(img, &g, d, V_ALL, &val);
            SFX(v_store)(o + j, val);
        }
        for (; j < ncols; ++j) {
            double p[3];
            SFX(warp_position_3d)(field, fns, fnr, fnc, affine_idx_in, affine_idx_out,
                                  affine_disp, k, i, j, p);
            (void)SFX(fast_interp_scalar_3d)(img, g.ns, g.nr, g.nc, p[0], p[1], p[2], &o[j]);
        }
    }
}

#endif /* FLT */
