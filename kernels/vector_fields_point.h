/* One voxel of DIPY's displacement-field kernels (vector_fields.pyx
 * _compose_vector_fields_{2,3}d, invert_vector_field_fixed_point_{2,3}d,
 * simplify_warp_function_{2,3}d, reorient_vector_field_{2,3}d), shared by
 * both backends, plus the serial block combiners of the canonical
 * reductions (kernels_vector_fields.h). */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_CORE_VECTOR_FIELDS_POINT_H
#define OMREG_CORE_VECTOR_FIELDS_POINT_H

#include <math.h>
#include <stddef.h>

#include "affine_apply.h"
#include "interp_point.h"
#include "kernels_vector_fields.h"

/* The trilinear field lookup of composition and inversion: DIPY's
 * (interp_point.h) unless the including kernel names one with the same bits
 * (parallel/interp_fast.h) before including this header. */
#ifndef VECTOR_FIELDS_LOOKUP_3D
#define VECTOR_FIELDS_LOOKUP_3D SFX(interp_vector_3d)
#endif

/* Composition statistics from the row partials {sum nn, sum nn^2, max nn,
 * count} in block order, then DIPY's formulas. With no voxel inside,
 * 0 / 0 makes the mean and std NaN exactly as DIPY's `meanNorm /= cnt`. */
static inline void compose_stats_combine(const double *scratch, size_t nrows, double stats[3])
{
    double max_norm = 0, mean_norm = 0, std_norm = 0, cnt = 0;
    for (size_t b = 0; b < nrows; ++b) {
        const double *s = scratch + OMREG_COMPOSE_SCRATCH_PER_ROW * b;
        mean_norm += s[0];
        std_norm += s[1];
        if (max_norm < s[2])
            max_norm = s[2];
        cnt += s[3];
    }
    mean_norm /= cnt;
    stats[0] = sqrt(max_norm);
    stats[1] = sqrt(mean_norm);
    stats[2] = sqrt(std_norm / cnt - mean_norm * mean_norm);
}

/* A voxel's squared norm into its row's partials {sum nn, sum nn^2,
 * max nn, count} (compose_stats_combine's order). */
static inline void compose_stats_add(double part[4], double nn)
{
    part[0] += nn;
    part[1] += nn * nn;
    part[3] += 1;
    if (part[2] < nn)
        part[2] = nn;
}

/* Inversion residual {sum |q|, max |q|} from the row partials in block
 * order (max is exact, so only the sum depends on the order). */
static inline void invert_residual_combine(const double *scratch, size_t nrows, double out[2])
{
    double error = 0, difmag = 0;
    for (size_t b = 0; b < nrows; ++b) {
        const double *s = scratch + OMREG_INVERT_SCRATCH_PER_ROW * b;
        error += s[0];
        if (difmag < s[1])
            difmag = s[1];
    }
    out[0] = error;
    out[1] = difmag;
}

/* DIPY's step factor: epsilon where |q| <= maxlen, else epsilon*maxlen/|q| */
static inline double invert_step_factor(double norm, double epsilon, double maxlen)
{
    return norm > maxlen ? epsilon * maxlen / norm : epsilon;
}

#define FLT double
#define SFX(name) name##_f64
#include "vector_fields_point.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "vector_fields_point.h"
#undef FLT
#undef SFX

#endif /* OMREG_CORE_VECTOR_FIELDS_POINT_H */

#else /* FLT: the type-generic body */

/* Everything DIPY holds in `double` locals is double here;
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

/* The composition's block, one grid row: row i (2D) or (k, i) (3D), of nc1
 * voxels starting at voxel `row` * nc1, composed into comp, and the row's
 * partials, from 0, into s (OMREG_COMPOSE_SCRATCH_PER_ROW doubles). Both
 * backends run it; they differ only in the loop over rows. */
static inline void SFX(compose_row_2d)(const FLT *d1, const FLT *d2, ptrdiff_t nr2,
                                       ptrdiff_t nc2, const double *premult_index,
                                       const double *premult_disp, double t, size_t i,
                                       size_t nc1, FLT *comp, double *s)
{
    double part[4] = {0, 0, 0, 0};
    for (size_t j = 0; j < nc1; ++j) {
        size_t v = 2 * (i * nc1 + j);
        if (SFX(compose_point_2d)(&d1[v], d2, nr2, nc2, premult_index, premult_disp, t,
                                  (double)i, (double)j, &comp[v]))
            compose_stats_add(part, SFX(compose_sqnorm_2d)(&comp[v]));
    }
    for (int q = 0; q < 4; ++q)
        s[q] = part[q];
}

static inline void SFX(compose_row_3d)(const FLT *d1, const FLT *d2, ptrdiff_t ns2,
                                       ptrdiff_t nr2, ptrdiff_t nc2,
                                       const double *premult_index,
                                       const double *premult_disp, double t, size_t k,
                                       size_t i, size_t row, size_t nc1, FLT *comp, double *s)
{
    double part[4] = {0, 0, 0, 0};
    for (size_t j = 0; j < nc1; ++j) {
        size_t v = 3 * (row * nc1 + j);
        if (SFX(compose_point_3d)(&d1[v], d2, ns2, nr2, nc2, premult_index, premult_disp, t,
                                  (double)k, (double)i, (double)j, &comp[v]))
            compose_stats_add(part, SFX(compose_sqnorm_3d)(&comp[v]));
    }
    for (int q = 0; q < 4; ++q)
        s[q] = part[q];
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

/* The inversion residual's block, one grid row: row i (2D) or (k, i) (3D)
 * of nc voxels starting at voxel `row` * nc: q = p o d there (DIPY's
 * _compose_vector_fields(p, d, None, w2g, 1.0)) and the row's partials
 * {sum |q|, max |q|}, from 0, into s. Both backends run it; they differ
 * only in the loop over rows. */
static inline void SFX(invert_residual_row_2d)(const FLT *d, ptrdiff_t nr, ptrdiff_t nc,
                                               const double *d_world2grid,
                                               const double spacing[2], const FLT *p,
                                               size_t i, FLT *q, double *s)
{
    double error = 0, difmag = 0;
    for (size_t j = 0; j < (size_t)nc; ++j) {
        size_t v = 2 * (i * (size_t)nc + j);
        (void)SFX(compose_point_2d)(&p[v], d, nr, nc, NULL, d_world2grid, 1.0, (double)i,
                                    (double)j, &q[v]);
        double mag = SFX(residual_norm_2d)(&q[v], spacing);
        error += mag;
        if (difmag < mag)
            difmag = mag;
    }
    s[0] = error;
    s[1] = difmag;
}

static inline void SFX(invert_residual_row_3d)(const FLT *d, ptrdiff_t ns, ptrdiff_t nr,
                                               ptrdiff_t nc, const double *d_world2grid,
                                               const double spacing[3], const FLT *p,
                                               size_t k, size_t i, size_t row, FLT *q,
                                               double *s)
{
    double error = 0, difmag = 0;
    for (size_t j = 0; j < (size_t)nc; ++j) {
        size_t v = 3 * (row * (size_t)nc + j);
        (void)SFX(compose_point_3d)(&p[v], d, ns, nr, nc, NULL, d_world2grid, 1.0, (double)k,
                                    (double)i, (double)j, &q[v]);
        double mag = SFX(residual_norm_3d)(&q[v], spacing);
        error += mag;
        if (difmag < mag)
            difmag = mag;
    }
    s[0] = error;
    s[1] = difmag;
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

#endif /* FLT */
