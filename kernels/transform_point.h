/* Transform math shared by the validated entry points (api/transform.c)
 * and by kernels that need a Jacobian per sample point (the Parzen MI
 * gradient): DIPY 1.6 transforms.pyx _param_to_matrix, _jacobian and
 * _get_identity_parameters. No validation here: callers pass a known type,
 * dim 2 or 3, and buffers of (dim+1)^2 / dim*nparams doubles.
 *
 * Order of operations: every entry is computed with DIPY's expression tree
 * (left to right, same grouping), so results are bitwise DIPY's. The
 * rotation-based families share one routine with a per-row scale factor f;
 * where DIPY has no factor (ROTATION, RIGID) we pass f = 1.0, and
 * multiplying by 1.0 is exact, so the bits are those of DIPY's unscaled
 * expression. */
#ifndef OMREG_CORE_TRANSFORM_POINT_H
#define OMREG_CORE_TRANSFORM_POINT_H

#include <math.h>

#include "omreg/transform.h"

/* DIPY's number_of_parameters. */
static inline int omreg_transform_nparams_unchecked(omreg_transform_type type, int dim)
{
    static const int table[OMREG_TRANSFORM_TYPE_COUNT][2] = {
        /* [type][dim - 2] */
        [OMREG_TRANSFORM_TRANSLATION] = {2, 3},
        [OMREG_TRANSFORM_ROTATION] = {1, 3},
        [OMREG_TRANSFORM_RIGID] = {3, 6},
        [OMREG_TRANSFORM_RIGIDISOSCALING] = {4, 7},
        [OMREG_TRANSFORM_RIGIDSCALING] = {5, 9},
        [OMREG_TRANSFORM_SCALING] = {1, 1},
        [OMREG_TRANSFORM_AFFINE] = {6, 12},
    };
    return table[type][dim - 2];
}

/* ---- rotations ------------------------------------------------------------ */

/* sin and cos of the three 3D angles, as DIPY computes them (libm). */
struct omreg_rot3_trig {
    double sa, ca, sb, cb, sc, cc;
};

static inline struct omreg_rot3_trig omreg_rot3_trig_of(const double *angles)
{
    struct omreg_rot3_trig t;
    t.sa = sin(angles[0]);
    t.ca = cos(angles[0]);
    t.sb = sin(angles[1]);
    t.cb = cos(angles[1]);
    t.sc = sin(angles[2]);
    t.cc = cos(angles[2]);
    return t;
}

/* Upper 3x3 of m (4x4 row-major) = diag(f) * Rz(c) Rx(a) Ry(b). */
static inline void omreg_rot3_matrix(struct omreg_rot3_trig t, const double f[3], double *m)
{
    const double sa = t.sa, ca = t.ca, sb = t.sb, cb = t.cb, sc = t.sc, cc = t.cc;
    m[0] = (cc * cb - sc * sa * sb) * f[0];
    m[1] = -sc * ca * f[0];
    m[2] = (cc * sb + sc * sa * cb) * f[0];
    m[4] = (sc * cb + cc * sa * sb) * f[1];
    m[5] = cc * ca * f[1];
    m[6] = (sc * sb - cc * sa * cb) * f[1];
    m[8] = -ca * sb * f[2];
    m[9] = sa * f[2];
    m[10] = ca * cb * f[2];
}

/* Columns 0..2 of jac (row stride n): d(diag(f) R x)/d(a, b, c). Each term
 * is (coefficient * coordinate) * f, DIPY's grouping. */
static inline void omreg_rot3_jacobian(struct omreg_rot3_trig t, const double *x,
                                       const double f[3], double *jac, int n)
{
    const double sa = t.sa, ca = t.ca, sb = t.sb, cb = t.cb, sc = t.sc, cc = t.cc;
    const double px = x[0], py = x[1], pz = x[2];
    const double fx = f[0], fy = f[1], fz = f[2];
    double *j0 = jac, *j1 = jac + n, *j2 = jac + 2 * n;

    /* d/da (rotation about x) */
    j0[0] = (-sc * ca * sb) * px * fx + (sc * sa) * py * fx + (sc * ca * cb) * pz * fx;
    j1[0] = (cc * ca * sb) * px * fy + (-cc * sa) * py * fy + (-cc * ca * cb) * pz * fy;
    j2[0] = (sa * sb) * px * fz + ca * py * fz + (-sa * cb) * pz * fz;
    /* d/db (rotation about y): no py term */
    j0[1] = (-cc * sb - sc * sa * cb) * px * fx + (cc * cb - sc * sa * sb) * pz * fx;
    j1[1] = (-sc * sb + cc * sa * cb) * px * fy + (sc * cb + cc * sa * sb) * pz * fy;
    j2[1] = (-ca * cb) * px * fz + (-ca * sb) * pz * fz;
    /* d/dc (rotation about z): the third row does not depend on c */
    j0[2] = (-sc * cb - cc * sa * sb) * px * fx + (-cc * ca) * py * fx +
            (-sc * sb + cc * sa * cb) * pz * fx;
    j1[2] = (cc * cb - sc * sa * sb) * px * fy + (-sc * ca) * py * fy +
            (cc * sb + sc * sa * cb) * pz * fy;
    j2[2] = 0.0;
}

/* Row r of R(a, b, c) x, unscaled: the derivative w.r.t. a scale factor. */
static inline double omreg_rot3_row_dot(struct omreg_rot3_trig t, int r, const double *x)
{
    const double sa = t.sa, ca = t.ca, sb = t.sb, cb = t.cb, sc = t.sc, cc = t.cc;
    const double px = x[0], py = x[1], pz = x[2];
    if (r == 0)
        return (cc * cb - sc * sa * sb) * px - sc * ca * py + (cc * sb + sc * sa * cb) * pz;
    if (r == 1)
        return (sc * cb + cc * sa * sb) * px + cc * ca * py + (sc * sb - cc * sa * cb) * pz;
    return -ca * sb * px + sa * py + ca * cb * pz;
}

/* Upper 2x2 of m (3x3 row-major) = diag(f) * R(angle). */
static inline void omreg_rot2_matrix(double ct, double st, const double f[2], double *m)
{
    m[0] = ct * f[0];
    m[1] = -st * f[0];
    m[3] = st * f[1];
    m[4] = ct * f[1];
}

/* Column 0 of jac (row stride n): d(diag(f) R x)/d(angle), DIPY's grouping
 * ((coordinate * f) * trig). */
static inline void omreg_rot2_jacobian(double ct, double st, const double *x, const double f[2],
                                       double *jac, int n)
{
    const double px = x[0], py = x[1];
    jac[0] = -px * f[0] * st - py * f[0] * ct;
    jac[n] = px * f[1] * ct - py * f[1] * st;
}

/* ---- the transforms ------------------------------------------------------- */

/* DIPY's _get_identity_parameters. */
static inline void omreg_transform_identity_unchecked(omreg_transform_type type, int dim,
                                                      double *params)
{
    const int n = omreg_transform_nparams_unchecked(type, dim);
    for (int i = 0; i < n; ++i)
        params[i] = 0.0;
    switch (type) {
    case OMREG_TRANSFORM_TRANSLATION:
    case OMREG_TRANSFORM_ROTATION:
    case OMREG_TRANSFORM_RIGID:
        break;
    case OMREG_TRANSFORM_RIGIDISOSCALING:
        params[n - 1] = 1.0;
        break;
    case OMREG_TRANSFORM_RIGIDSCALING:
        for (int i = n - dim; i < n; ++i)
            params[i] = 1.0;
        break;
    case OMREG_TRANSFORM_SCALING:
        params[0] = 1.0;
        break;
    case OMREG_TRANSFORM_AFFINE:
        for (int r = 0; r < dim; ++r)
            params[r * (dim + 1) + r] = 1.0;
        break;
    default:
        break;
    }
}

/* DIPY's _param_to_matrix: every entry of the (dim+1)x(dim+1) matrix. */
static inline void omreg_transform_matrix_unchecked(omreg_transform_type type, int dim,
                                                    const double *p, double *m)
{
    const int s = dim + 1;
    for (int i = 0; i < s * s; ++i)
        m[i] = (i / s == i % s) ? 1.0 : 0.0;
    const double one[3] = {1.0, 1.0, 1.0};

    if (dim == 2) {
        switch (type) {
        case OMREG_TRANSFORM_TRANSLATION:
            m[2] = p[0];
            m[5] = p[1];
            break;
        case OMREG_TRANSFORM_ROTATION:
            omreg_rot2_matrix(cos(p[0]), sin(p[0]), one, m);
            break;
        case OMREG_TRANSFORM_RIGID:
            omreg_rot2_matrix(cos(p[0]), sin(p[0]), one, m);
            m[2] = p[1];
            m[5] = p[2];
            break;
        case OMREG_TRANSFORM_RIGIDISOSCALING: {
            const double f[2] = {p[3], p[3]};
            omreg_rot2_matrix(cos(p[0]), sin(p[0]), f, m);
            m[2] = p[1];
            m[5] = p[2];
            break;
        }
        case OMREG_TRANSFORM_RIGIDSCALING:
            omreg_rot2_matrix(cos(p[0]), sin(p[0]), p + 3, m);
            m[2] = p[1];
            m[5] = p[2];
            break;
        case OMREG_TRANSFORM_SCALING:
            m[0] = p[0];
            m[4] = p[0];
            break;
        case OMREG_TRANSFORM_AFFINE:
            for (int i = 0; i < 6; ++i)
                m[i] = p[i];
            break;
        default:
            break;
        }
        return;
    }

    switch (type) {
    case OMREG_TRANSFORM_TRANSLATION:
        m[3] = p[0];
        m[7] = p[1];
        m[11] = p[2];
        break;
    case OMREG_TRANSFORM_ROTATION:
        omreg_rot3_matrix(omreg_rot3_trig_of(p), one, m);
        break;
    case OMREG_TRANSFORM_RIGID:
    case OMREG_TRANSFORM_RIGIDISOSCALING:
    case OMREG_TRANSFORM_RIGIDSCALING: {
        double f[3] = {1.0, 1.0, 1.0};
        if (type == OMREG_TRANSFORM_RIGIDISOSCALING)
            f[0] = f[1] = f[2] = p[6];
        else if (type == OMREG_TRANSFORM_RIGIDSCALING)
            f[0] = p[6], f[1] = p[7], f[2] = p[8];
        omreg_rot3_matrix(omreg_rot3_trig_of(p), f, m);
        m[3] = p[3];
        m[7] = p[4];
        m[11] = p[5];
        break;
    }
    case OMREG_TRANSFORM_SCALING:
        m[0] = p[0];
        m[5] = p[0];
        m[10] = p[0];
        break;
    case OMREG_TRANSFORM_AFFINE:
        for (int i = 0; i < 12; ++i)
            m[i] = p[i];
        break;
    default:
        break;
    }
}

/* DIPY's _jacobian: jac (dim x nparams, row-major) fully written (the
 * entries DIPY leaves alone are the zeros of its np.zeros buffer). Returns
 * DIPY's is_constant flag: 1 for TRANSLATION, 0 otherwise. */
static inline int omreg_transform_jacobian_unchecked(omreg_transform_type type, int dim,
                                                     const double *p, const double *x,
                                                     double *jac)
{
    const int n = omreg_transform_nparams_unchecked(type, dim);
    for (int i = 0; i < dim * n; ++i)
        jac[i] = 0.0;
    const double one[3] = {1.0, 1.0, 1.0};

    if (dim == 2) {
        switch (type) {
        case OMREG_TRANSFORM_TRANSLATION:
            jac[0] = 1.0; /* d(x0 + t0)/dt0 */
            jac[3] = 1.0; /* d(x1 + t1)/dt1 */
            return 1;
        case OMREG_TRANSFORM_ROTATION:
            omreg_rot2_jacobian(cos(p[0]), sin(p[0]), x, one, jac, n);
            return 0;
        case OMREG_TRANSFORM_RIGID:
            omreg_rot2_jacobian(cos(p[0]), sin(p[0]), x, one, jac, n);
            jac[1] = 1.0;
            jac[n + 2] = 1.0;
            return 0;
        case OMREG_TRANSFORM_RIGIDISOSCALING: {
            const double ct = cos(p[0]), st = sin(p[0]);
            const double f[2] = {p[3], p[3]};
            omreg_rot2_jacobian(ct, st, x, f, jac, n);
            jac[1] = 1.0;
            jac[n + 2] = 1.0;
            jac[3] = x[0] * ct - x[1] * st; /* d/ds = R x */
            jac[n + 3] = x[0] * st + x[1] * ct;
            return 0;
        }
        case OMREG_TRANSFORM_RIGIDSCALING: {
            const double ct = cos(p[0]), st = sin(p[0]);
            omreg_rot2_jacobian(ct, st, x, p + 3, jac, n);
            jac[1] = 1.0;
            jac[n + 2] = 1.0;
            jac[3] = x[0] * ct - x[1] * st;     /* d/dsx: row 0 of R x */
            jac[n + 4] = x[0] * st + x[1] * ct; /* d/dsy: row 1 of R x */
            return 0;
        }
        case OMREG_TRANSFORM_SCALING:
            jac[0] = x[0];
            jac[1] = x[1];
            return 0;
        case OMREG_TRANSFORM_AFFINE:
            jac[0] = x[0];
            jac[1] = x[1];
            jac[2] = 1.0;
            jac[n + 3] = x[0];
            jac[n + 4] = x[1];
            jac[n + 5] = 1.0;
            return 0;
        default:
            return 0;
        }
    }

    switch (type) {
    case OMREG_TRANSFORM_TRANSLATION:
        jac[0] = 1.0;
        jac[4] = 1.0;
        jac[8] = 1.0;
        return 1;
    case OMREG_TRANSFORM_ROTATION:
        omreg_rot3_jacobian(omreg_rot3_trig_of(p), x, one, jac, n);
        return 0;
    case OMREG_TRANSFORM_RIGID:
    case OMREG_TRANSFORM_RIGIDISOSCALING:
    case OMREG_TRANSFORM_RIGIDSCALING: {
        const struct omreg_rot3_trig t = omreg_rot3_trig_of(p);
        double f[3] = {1.0, 1.0, 1.0};
        if (type == OMREG_TRANSFORM_RIGIDISOSCALING)
            f[0] = f[1] = f[2] = p[6];
        else if (type == OMREG_TRANSFORM_RIGIDSCALING)
            f[0] = p[6], f[1] = p[7], f[2] = p[8];
        omreg_rot3_jacobian(t, x, f, jac, n);
        for (int r = 0; r < 3; ++r)
            jac[r * n + 3 + r] = 1.0; /* translations */
        if (type == OMREG_TRANSFORM_RIGIDISOSCALING)
            for (int r = 0; r < 3; ++r)
                jac[r * n + 6] = omreg_rot3_row_dot(t, r, x);
        else if (type == OMREG_TRANSFORM_RIGIDSCALING)
            for (int r = 0; r < 3; ++r)
                jac[r * n + 6 + r] = omreg_rot3_row_dot(t, r, x);
        return 0;
    }
    case OMREG_TRANSFORM_SCALING:
        jac[0] = x[0];
        jac[1] = x[1];
        jac[2] = x[2];
        return 0;
    case OMREG_TRANSFORM_AFFINE:
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c)
                jac[r * n + 4 * r + c] = x[c];
            jac[r * n + 4 * r + 3] = 1.0;
        }
        return 0;
    default:
        return 0;
    }
}

/* The Parzen gradient kernels' Jacobian callback (omreg_jacobian_cb of
 * kernels_parzen.h) for a transform of `type` at parameters `params`:
 * ctx points at one of these. Pure, so kernels may call it concurrently. */
struct omreg_transform_jacobian_ctx {
    omreg_transform_type type;
    int dim;
    const double *params;
};

static inline int omreg_transform_jacobian_cb(const void *ctx, const double *x, double *J)
{
    const struct omreg_transform_jacobian_ctx *c = ctx;
    return omreg_transform_jacobian_unchecked(c->type, c->dim, c->params, x, J);
}

#endif
