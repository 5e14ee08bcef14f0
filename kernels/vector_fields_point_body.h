/* Type-generic body of vector_fields_point.h (FLT, SFX defined by the
 * includer). Everything DIPY holds in `double` locals is double here;
 * every value DIPY stores in a `floating` array is stored in FLT at the
 * same point of the computation. */

/* comp = d1v + t * d2(A x + B d1v) at grid point x = (i, j); comp may be
 * d1v. Returns 1 when every interpolation corner is in d2, else writes 0. */
static inline int SFX(compose_point_2d)(const FLT *d1v, const FLT *d2, ptrdiff_t nr2,
                                        ptrdiff_t nc2, const double *premult_index,
                                        const double *premult_disp, double t, double i,
                                        double j, FLT *comp)
{
    const double dii = d1v[0], djj = d1v[1]; /* the only read of d1 at x */
    double di = dii, dj = djj, diii = i, djjj = j;
    if (premult_disp) {
        di = affine_apply_2d(premult_disp, 0, dii, djj, 0);
        dj = affine_apply_2d(premult_disp, 1, dii, djj, 0);
    }
    if (premult_index) {
        diii = affine_apply_2d(premult_index, 0, i, j, 1);
        djjj = affine_apply_2d(premult_index, 1, i, j, 1);
    }
    diii += di;
    djjj += dj;
    FLT v[2];
    if (SFX(interp_vector_2d)(d2, nr2, nc2, diii, djjj, v)) {
        comp[0] = t * v[0] + dii;
        comp[1] = t * v[1] + djj;
        return 1;
    }
    comp[0] = 0;
    comp[1] = 0;
    return 0;
}

static inline int SFX(compose_point_3d)(const FLT *d1v, const FLT *d2, ptrdiff_t ns2,
                                        ptrdiff_t nr2, ptrdiff_t nc2,
                                        const double *premult_index,
                                        const double *premult_disp, double t, double k,
                                        double i, double j, FLT *comp)
{
    const double dkk = d1v[0], dii = d1v[1], djj = d1v[2];
    double dk = dkk, di = dii, dj = djj, dkkk = k, diii = i, djjj = j;
    if (premult_disp) {
        dk = affine_apply_3d(premult_disp, 0, dkk, dii, djj, 0);
        di = affine_apply_3d(premult_disp, 1, dkk, dii, djj, 0);
        dj = affine_apply_3d(premult_disp, 2, dkk, dii, djj, 0);
    }
    if (premult_index) {
        dkkk = affine_apply_3d(premult_index, 0, k, i, j, 1);
        diii = affine_apply_3d(premult_index, 1, k, i, j, 1);
        djjj = affine_apply_3d(premult_index, 2, k, i, j, 1);
    }
    dkkk += dk;
    diii += di;
    djjj += dj;
    FLT v[3];
    if (VECTOR_FIELDS_LOOKUP_3D(d2, ns2, nr2, nc2, dkkk, diii, djjj, v)) {
        comp[0] = t * v[0] + dkk;
        comp[1] = t * v[1] + dii;
        comp[2] = t * v[2] + djj;
        return 1;
    }
    comp[0] = 0;
    comp[1] = 0;
    comp[2] = 0;
    return 0;
}

/* Squared norm for the composition statistics. DIPY writes
 * `comp[..., 0] ** 2 + comp[..., 1] ** 2` on `floating` elements, so the
 * squares and their sum are rounded to FLT before widening to double. */
static inline double SFX(compose_sqnorm_2d)(const FLT *c)
{
    FLT nn = c[0] * c[0] + c[1] * c[1];
    return nn;
}

static inline double SFX(compose_sqnorm_3d)(const FLT *c)
{
    FLT nn = c[0] * c[0] + c[1] * c[1] + c[2] * c[2];
    return nn;
}

/* |q| in units of voxels: sqrt(sum_c (q_c / spacing_c)^2), in double */
static inline double SFX(residual_norm_2d)(const FLT *q, const double *spacing)
{
    double a = q[0] / spacing[0], b = q[1] / spacing[1];
    return sqrt(a * a + b * b);
}

static inline double SFX(residual_norm_3d)(const FLT *q, const double *spacing)
{
    double a = q[0] / spacing[0], b = q[1] / spacing[1], c = q[2] / spacing[2];
    return sqrt(a * a + b * b + c * c);
}

/* p -= s * q, each component rounded to FLT once */
static inline void SFX(invert_step_point_2d)(const FLT *q, double s, FLT *p)
{
    p[0] = p[0] - s * q[0];
    p[1] = p[1] - s * q[1];
}

static inline void SFX(invert_step_point_3d)(const FLT *q, double s, FLT *p)
{
    p[0] = p[0] - s * q[0];
    p[1] = p[1] - s * q[1];
    p[2] = p[2] - s * q[2];
}

/* out = W d(U x) + V x - x at output voxel x = (i, j); dx is d at voxel x,
 * read only when U is NULL (then d's grid is the output grid). */
static inline void SFX(simplify_point_2d)(const FLT *d, ptrdiff_t nr, ptrdiff_t nc,
                                          const FLT *dx, const double *affine_idx_in,
                                          const double *affine_idx_out,
                                          const double *affine_disp, double i, double j,
                                          FLT *out)
{
    double dii, djj, di, dj;
    if (affine_idx_in == NULL) {
        dii = dx[0];
        djj = dx[1];
    } else {
        FLT tmp[2]; /* DIPY's `floating[:] tmp`: partial sums kept */
        di = affine_apply_2d(affine_idx_in, 0, i, j, 1);
        dj = affine_apply_2d(affine_idx_in, 1, i, j, 1);
        (void)SFX(interp_vector_2d)(d, nr, nc, di, dj, tmp);
        dii = tmp[0];
        djj = tmp[1];
    }
    if (affine_disp) {
        di = affine_apply_2d(affine_disp, 0, dii, djj, 0);
        dj = affine_apply_2d(affine_disp, 1, dii, djj, 0);
    } else {
        di = dii;
        dj = djj;
    }
    if (affine_idx_out) {
        out[0] = di + affine_apply_2d(affine_idx_out, 0, i, j, 1) - i;
        out[1] = dj + affine_apply_2d(affine_idx_out, 1, i, j, 1) - j;
    } else {
        out[0] = di;
        out[1] = dj;
    }
}

static inline void SFX(simplify_point_3d)(const FLT *d, ptrdiff_t ns, ptrdiff_t nr,
                                          ptrdiff_t nc, const FLT *dx,
                                          const double *affine_idx_in,
                                          const double *affine_idx_out,
                                          const double *affine_disp, double k, double i,
                                          double j, FLT *out)
{
    double dkk, dii, djj, dk, di, dj;
    if (affine_idx_in == NULL) {
        dkk = dx[0];
        dii = dx[1];
        djj = dx[2];
    } else {
        FLT tmp[3];
        dk = affine_apply_3d(affine_idx_in, 0, k, i, j, 1);
        di = affine_apply_3d(affine_idx_in, 1, k, i, j, 1);
        dj = affine_apply_3d(affine_idx_in, 2, k, i, j, 1);
        (void)VECTOR_FIELDS_LOOKUP_3D(d, ns, nr, nc, dk, di, dj, tmp);
        dkk = tmp[0];
        dii = tmp[1];
        djj = tmp[2];
    }
    if (affine_disp) {
        dk = affine_apply_3d(affine_disp, 0, dkk, dii, djj, 0);
        di = affine_apply_3d(affine_disp, 1, dkk, dii, djj, 0);
        dj = affine_apply_3d(affine_disp, 2, dkk, dii, djj, 0);
    } else {
        dk = dkk;
        di = dii;
        dj = djj;
    }
    if (affine_idx_out) {
        out[0] = dk + affine_apply_3d(affine_idx_out, 0, k, i, j, 1) - k;
        out[1] = di + affine_apply_3d(affine_idx_out, 1, k, i, j, 1) - i;
        out[2] = dj + affine_apply_3d(affine_idx_out, 2, k, i, j, 1) - j;
    } else {
        out[0] = dk;
        out[1] = di;
        out[2] = dj;
    }
}

/* v = A (v, 0) in place (the translation column meets h = 0) */
static inline void SFX(reorient_point_2d)(const double *affine, FLT *v)
{
    double di = v[0], dj = v[1];
    v[0] = affine_apply_2d(affine, 0, di, dj, 0);
    v[1] = affine_apply_2d(affine, 1, di, dj, 0);
}

static inline void SFX(reorient_point_3d)(const double *affine, FLT *v)
{
    double dk = v[0], di = v[1], dj = v[2];
    v[0] = affine_apply_3d(affine, 0, dk, di, dj, 0);
    v[1] = affine_apply_3d(affine, 1, dk, di, dj, 0);
    v[2] = affine_apply_3d(affine, 2, dk, di, dj, 0);
}
