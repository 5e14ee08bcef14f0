/* One sample point of DIPY's physical-space gradient, shared by both
 * backends' gradient kernels. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_CORE_GRADIENT_POINT_H
#define OMREG_CORE_GRADIENT_POINT_H

#include "affine_apply.h"
#include "interp_point.h"

/* The trilinear lookup of the 3D gradient: DIPY's (interp_point.h) unless
 * the including kernel names one with the same bits (parallel/interp_fast.h)
 * before including this header. */
#ifndef GRADIENT_LOOKUP_3D
#define GRADIENT_LOOKUP_3D SFX(interp_scalar_3d)
#endif

#define FLT double
#define SFX(name) name##_f64
#include "gradient_point.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "gradient_point.h"
#undef FLT
#undef SFX

#endif /* OMREG_CORE_GRADIENT_POINT_H */

#else /* FLT: the type-generic body */

/* Central difference at world point x along each axis p. DIPY quirk kept
 * for agreement: when the lookup at x - h_p fails, DIPY leaves dx[p] at
 * x_p - h_p for the later axes (its `continue` skips the reset), so the
 * remaining components of an outside point are taken at a shifted point. */

/* 2D: out[0..1], returns the inside flag. */
static inline int SFX(gradient_point_2d)(const FLT *img, ptrdiff_t nr, ptrdiff_t nc,
                                         const double *w2g, const double *spacing,
                                         const double x[2], FLT *out)
{
    double h[2] = {0.5 * spacing[0], 0.5 * spacing[1]};
    double dx[2] = {x[0], x[1]};
    int inside = 1;
    for (int p = 0; p < 2; ++p) {
        dx[p] = x[p] - h[p];
        double q0 = affine_apply_2d(w2g, 0, dx[0], dx[1], 1);
        double q1 = affine_apply_2d(w2g, 1, dx[0], dx[1], 1);
        if (!SFX(interp_scalar_2d)(img, nr, nc, q0, q1, &out[p])) {
            out[p] = 0;
            inside = 0;
            continue; /* dx[p] deliberately not reset (DIPY) */
        }
        double tmp = out[p];
        dx[p] = x[p] + h[p];
        q0 = affine_apply_2d(w2g, 0, dx[0], dx[1], 1);
        q1 = affine_apply_2d(w2g, 1, dx[0], dx[1], 1);
        if (!SFX(interp_scalar_2d)(img, nr, nc, q0, q1, &out[p])) {
            out[p] = 0;
            inside = 0;
            continue;
        }
        out[p] = (out[p] - tmp) / spacing[p];
        dx[p] = x[p];
    }
    return inside;
}

/* 3D: out[0..2], returns the inside flag. */
static inline int SFX(gradient_point_3d)(const FLT *img, ptrdiff_t ns, ptrdiff_t nr,
                                         ptrdiff_t nc, const double *w2g, const double *spacing,
                                         const double x[3], FLT *out)
{
    double h[3] = {0.5 * spacing[0], 0.5 * spacing[1], 0.5 * spacing[2]};
    double dx[3] = {x[0], x[1], x[2]};
    int inside = 1;
    for (int p = 0; p < 3; ++p) {
        dx[p] = x[p] - h[p];
        double q0 = affine_apply_3d(w2g, 0, dx[0], dx[1], dx[2], 1);
        double q1 = affine_apply_3d(w2g, 1, dx[0], dx[1], dx[2], 1);
        double q2 = affine_apply_3d(w2g, 2, dx[0], dx[1], dx[2], 1);
        if (!GRADIENT_LOOKUP_3D(img, ns, nr, nc, q0, q1, q2, &out[p])) {
            out[p] = 0;
            inside = 0;
            continue; /* dx[p] deliberately not reset (DIPY) */
        }
        double tmp = out[p];
        dx[p] = x[p] + h[p];
        q0 = affine_apply_3d(w2g, 0, dx[0], dx[1], dx[2], 1);
        q1 = affine_apply_3d(w2g, 1, dx[0], dx[1], dx[2], 1);
        q2 = affine_apply_3d(w2g, 2, dx[0], dx[1], dx[2], 1);
        if (!GRADIENT_LOOKUP_3D(img, ns, nr, nc, q0, q1, q2, &out[p])) {
            out[p] = 0;
            inside = 0;
            continue;
        }
        out[p] = (out[p] - tmp) / spacing[p];
        dx[p] = x[p];
    }
    return inside;
}

#endif /* FLT */
