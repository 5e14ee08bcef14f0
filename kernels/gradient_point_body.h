/* Type-generic body of gradient_point.h (FLT, SFX defined by the includer).
 *
 * Central difference at world point x along each axis p. DIPY quirk kept
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
