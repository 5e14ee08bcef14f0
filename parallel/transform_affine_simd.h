/* The SIMD template of omreg_par_transform_affine_3d_{f64,f32} (parallel/
 * transform_affine.c; DIPY vector_fields.pyx transform_3d_affine,
 * trilinear), included once per ISA by parallel/simd_<isa>.c after its
 * vector layer: V_W output voxels of a row per
 * step, each lane the scalar kernel's arithmetic on its own voxel. The
 * mapped point is (a0 k + a1 i) + a2 j + a3, summed in affine_apply_3d's
 * order; the lookup is trilinear_simd.h's. Same split (one (slice, row)
 * line per iteration), same bits; the row's last ncols % V_W voxels, a NULL
 * affine and volumes of 2^31 voxels or more take the scalar code. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_PARALLEL_TRANSFORM_AFFINE_SIMD_H
#define OMREG_PARALLEL_TRANSFORM_AFFINE_SIMD_H

#include "affine_apply.h"
#include "interp_fast.h"
#include "kernels.h"
#include "trilinear_simd.h"

#define FLT double
#define SFX(name) name##_f64
#include "transform_affine_simd.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "transform_affine_simd.h"
#undef FLT
#undef SFX

#endif /* OMREG_PARALLEL_TRANSFORM_AFFINE_SIMD_H */

#else /* FLT: the type-generic body */

void V_NAME(SFX(omreg_par_transform_affine_3d))(int nthreads, const FLT *img,
                                                const size_t img_shape[3],
                                                const size_t out_shape[3], const double *affine,
                                                FLT *out)
{
    struct v_grid g;
    if (affine == NULL || !v_grid_init(&g, img_shape, 1)) {
        SFX(omreg_par_transform_affine_3d)(nthreads, img, img_shape, out_shape, affine, out);
        return;
    }
    const size_t nrows = out_shape[1], ncols = out_shape[2];
    const size_t nlines = out_shape[0] * nrows;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t line = 0; line < nlines; ++line) {
        const size_t k = line / nrows, i = line % nrows;
        /* the first two terms of each row of A x, in affine_apply_3d's order */
        v_d p[3], a2[3], a3[3];
        for (int r = 0; r < 3; ++r) {
            p[r] = v_set1(affine[r * 4 + 0] * (double)k + affine[r * 4 + 1] * (double)i);
            a2[r] = v_set1(affine[r * 4 + 2]);
            a3[r] = v_set1(1 * affine[r * 4 + 3]);
        }
        FLT *o = out + line * ncols;
        size_t j = 0;
        for (; j + V_W <= ncols; j += V_W) {
            const v_d dj = v_add(v_set1((double)j), v_lanes()); /* exact */
            v_d d[3], val;
            for (int r = 0; r < 3; ++r)
                d[r] = v_add(v_add(p[r], v_mul(a2[r], dj)), a3[r]);
            (void)SFX(v_interp_3d)(img, &g, d, V_ALL, &val);
            SFX(v_store)(o + j, val);
        }
        for (; j < ncols; ++j) {
            double dkk = affine_apply_3d(affine, 0, (double)k, (double)i, (double)j, 1);
            double dii = affine_apply_3d(affine, 1, (double)k, (double)i, (double)j, 1);
            double djj = affine_apply_3d(affine, 2, (double)k, (double)i, (double)j, 1);
            SFX(fast_interp_scalar_3d)(img, g.ns, g.nr, g.nc, dkk, dii, djj, &o[j]);
        }
    }
}

#endif /* FLT */
