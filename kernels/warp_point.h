/* Per-point math of the warping kernels, shared by both backends (DIPY
 * vector_fields.pyx warp_{2,3}d[_nn] and warp_coordinates_{2,3}d):
 * the sampling position C * d(A x) + B x of one output voxel, and one
 * warped point of warp_coordinates. _f64/_f32 name the field's storage. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_CORE_WARP_POINT_H
#define OMREG_CORE_WARP_POINT_H

#include <stddef.h>

#include "affine_apply.h"
#include "interp_point.h"

/* GCC 12.2 at -O2/-O3 miscompiles warp_coordinate_3d_f32 inside the point
 * loop of the warp_coordinates kernels: after PRE forwards the float stores
 * of the interpolation temporary, the SLP vectoriser pairs components 0 and
 * 1 and drops the float narrowing between the partial sums, so they
 * accumulate in double (gcc -O0/-O1, -fno-tree-pre, -fno-tree-slp-vectorize
 * and clang all round to float after every term, as DIPY). Both backends
 * were wrong identically; only the DIPY golden test saw it. The
 * warp_coordinates kernels (2D too, as a precaution) therefore turn SLP
 * vectorisation off for themselves; the attribute also reaches their OpenMP
 * regions (checked by the golden test on the parallel backend). */
#if defined(__GNUC__) && !defined(__clang__)
#define OMREG_NO_SLP_VECTORIZE __attribute__((optimize("no-tree-slp-vectorize")))
#else
#define OMREG_NO_SLP_VECTORIZE
#endif

#define FLT double
#define SFX(name) name##_f64
#include "warp_point.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "warp_point.h"
#undef FLT
#undef SFX

#endif /* OMREG_CORE_WARP_POINT_H */

#else /* FLT: the type-generic body */

/* FLT is the displacement field's element type. The interpolated displacement goes through an FLT
 * temporary exactly as DIPY's `floating[:] tmp`, then is widened to double.
 * NULL affines take DIPY's `is None` branches (identity, without the
 * multiply). */

/* Position in the image grid where output voxel (i, j) samples:
 * pos = C * d(A (i, j)) + B (i, j) (DIPY warp_2d, eq. (1)). With A NULL
 * the field is read at (i, j) itself (the caller guarantees it exists). */
static inline void SFX(warp_position_2d)(const FLT *field, ptrdiff_t fnr, ptrdiff_t fnc,
                                         const double *a_in, const double *a_out,
                                         const double *a_disp, size_t i, size_t j,
                                         double pos[2])
{
    const double x0 = (double)i, x1 = (double)j;
    double di, dj, dii, djj;
    if (a_in == NULL) {
        const FLT *v = field + 2 * ((ptrdiff_t)i * fnc + (ptrdiff_t)j);
        dii = v[0];
        djj = v[1];
    } else {
        FLT tmp[2];
        di = affine_apply_2d(a_in, 0, x0, x1, 1);
        dj = affine_apply_2d(a_in, 1, x0, x1, 1);
        (void)SFX(interp_vector_2d)(field, fnr, fnc, di, dj, tmp);
        dii = tmp[0];
        djj = tmp[1];
    }
    if (a_disp != NULL) { /* a vector: homogeneous coordinate 0 */
        di = affine_apply_2d(a_disp, 0, dii, djj, 0);
        dj = affine_apply_2d(a_disp, 1, dii, djj, 0);
    } else {
        di = dii;
        dj = djj;
    }
    if (a_out != NULL) {
        pos[0] = di + affine_apply_2d(a_out, 0, x0, x1, 1);
        pos[1] = dj + affine_apply_2d(a_out, 1, x0, x1, 1);
    } else {
        pos[0] = di + x0;
        pos[1] = dj + x1;
    }
}

/* 3D: output voxel (k, i, j); DIPY warp_3d. */
static inline void SFX(warp_position_3d)(const FLT *field, ptrdiff_t fns, ptrdiff_t fnr,
                                         ptrdiff_t fnc, const double *a_in, const double *a_out,
                                         const double *a_disp, size_t k, size_t i, size_t j,
                                         double pos[3])
{
    const double x0 = (double)k, x1 = (double)i, x2 = (double)j;
    double dk, di, dj, dkk, dii, djj;
    if (a_in == NULL) {
        const FLT *v =
            field + 3 * (((ptrdiff_t)k * fnr + (ptrdiff_t)i) * fnc + (ptrdiff_t)j);
        dkk = v[0];
        dii = v[1];
        djj = v[2];
    } else {
        FLT tmp[3];
        dk = affine_apply_3d(a_in, 0, x0, x1, x2, 1);
        di = affine_apply_3d(a_in, 1, x0, x1, x2, 1);
        dj = affine_apply_3d(a_in, 2, x0, x1, x2, 1);
        (void)SFX(interp_vector_3d)(field, fns, fnr, fnc, dk, di, dj, tmp);
        dkk = tmp[0];
        dii = tmp[1];
        djj = tmp[2];
    }
    if (a_disp != NULL) {
        dk = affine_apply_3d(a_disp, 0, dkk, dii, djj, 0);
        di = affine_apply_3d(a_disp, 1, dkk, dii, djj, 0);
        dj = affine_apply_3d(a_disp, 2, dkk, dii, djj, 0);
    } else {
        dk = dkk;
        di = dii;
        dj = djj;
    }
    if (a_out != NULL) {
        pos[0] = dk + affine_apply_3d(a_out, 0, x0, x1, x2, 1);
        pos[1] = di + affine_apply_3d(a_out, 1, x0, x1, x2, 1);
        pos[2] = dj + affine_apply_3d(a_out, 2, x0, x1, x2, 1);
    } else {
        pos[0] = dk + x0;
        pos[1] = di + x1;
        pos[2] = dj + x2;
    }
}

/* One point of DIPY warp_coordinates_2d: w = in2world p (or p),
 * g = in2grid p (or p), w += d(g) (0 outside the field), out = world2out w
 * (or w). */
static inline void SFX(warp_coordinate_2d)(const FLT *field, ptrdiff_t fnr, ptrdiff_t fnc,
                                           const double *in2world, const double *in2grid,
                                           const double *world2out, const double *p,
                                           double *out)
{
    const double x = p[0], y = p[1];
    double wx = x, wy = y, gx = x, gy = y;
    FLT tmp[2];
    if (in2world != NULL) {
        wx = affine_apply_2d(in2world, 0, x, y, 1);
        wy = affine_apply_2d(in2world, 1, x, y, 1);
    }
    if (in2grid != NULL) {
        gx = affine_apply_2d(in2grid, 0, x, y, 1);
        gy = affine_apply_2d(in2grid, 1, x, y, 1);
    }
    (void)SFX(interp_vector_2d)(field, fnr, fnc, gx, gy, tmp);
    wx += tmp[0];
    wy += tmp[1];
    if (world2out != NULL) {
        out[0] = affine_apply_2d(world2out, 0, wx, wy, 1);
        out[1] = affine_apply_2d(world2out, 1, wx, wy, 1);
    } else {
        out[0] = wx;
        out[1] = wy;
    }
}

/* One point of DIPY warp_coordinates_3d. */
static inline void SFX(warp_coordinate_3d)(const FLT *field, ptrdiff_t fns, ptrdiff_t fnr,
                                           ptrdiff_t fnc, const double *in2world,
                                           const double *in2grid, const double *world2out,
                                           const double *p, double *out)
{
    const double x = p[0], y = p[1], z = p[2];
    double wx = x, wy = y, wz = z, gx = x, gy = y, gz = z;
    FLT tmp[3];
    if (in2world != NULL) {
        wx = affine_apply_3d(in2world, 0, x, y, z, 1);
        wy = affine_apply_3d(in2world, 1, x, y, z, 1);
        wz = affine_apply_3d(in2world, 2, x, y, z, 1);
    }
    if (in2grid != NULL) {
        gx = affine_apply_3d(in2grid, 0, x, y, z, 1);
        gy = affine_apply_3d(in2grid, 1, x, y, z, 1);
        gz = affine_apply_3d(in2grid, 2, x, y, z, 1);
    }
    (void)SFX(interp_vector_3d)(field, fns, fnr, fnc, gx, gy, gz, tmp);
    wx += tmp[0];
    wy += tmp[1];
    wz += tmp[2];
    if (world2out != NULL) {
        out[0] = affine_apply_3d(world2out, 0, wx, wy, wz, 1);
        out[1] = affine_apply_3d(world2out, 1, wx, wy, wz, 1);
        out[2] = affine_apply_3d(world2out, 2, wx, wy, wz, 1);
    } else {
        out[0] = wx;
        out[1] = wy;
        out[2] = wz;
    }
}

#endif /* FLT */
