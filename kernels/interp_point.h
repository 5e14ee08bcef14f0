/* Point interpolation shared by both backends (DIPY dipy/core/
 * interpolation.pyx): bilinear/trilinear and nearest-neighbour lookups of
 * one point, for float64 (_f64) and float32 (_f32) storage. The kernels in
 * reference/ and parallel/ are the loops around these. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_CORE_INTERP_POINT_H
#define OMREG_CORE_INTERP_POINT_H

#include <math.h>
#include <stddef.h>

#define FLT double
#define SFX(name) name##_f64
#include "interp_point.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "interp_point.h"
#undef FLT
#undef SFX

#endif /* OMREG_CORE_INTERP_POINT_H */

#else /* FLT: the type-generic body */

/* FLT is the element type, SFX(name) the name suffix. Weights are
 * double; partial sums are stored in FLT after every term, as DIPY's
 * `out[0] += w * v` does with a `floating *out`.
 * Out-of-domain rule: linear lookups need -1 < x < n on every axis and
 * report inside only when all 2^d corners are in the grid; NaN positions
 * are outside (DIPY's 2D variants would cast NaN to int: undefined). */

/* Bilinear: image (nr, nc) at (dii, djj). Returns 1 when all 4 corners exist. */
static inline int SFX(interp_scalar_2d)(const FLT *img, ptrdiff_t nr, ptrdiff_t nc, double dii,
                                        double djj, FLT *out)
{
    if (!(dii > -1 && djj > -1 && dii < (double)nr && djj < (double)nc)) {
        *out = 0;
        return 0;
    }
    ptrdiff_t ii = (ptrdiff_t)floor(dii), jj = (ptrdiff_t)floor(djj);
    double calpha = dii - ii, cbeta = djj - jj;
    double alpha = 1 - calpha, beta = 1 - cbeta;
    int inside = 0;
    if (ii >= 0 && jj >= 0) { /* top-left */
        *out = alpha * beta * img[ii * nc + jj];
        inside++;
    } else {
        *out = 0;
    }
    jj++; /* top-right */
    if (jj < nc && ii >= 0) {
        *out += alpha * cbeta * img[ii * nc + jj];
        inside++;
    }
    ii++; /* bottom-right */
    if (jj < nc && ii < nr) {
        *out += calpha * cbeta * img[ii * nc + jj];
        inside++;
    }
    jj--; /* bottom-left */
    if (jj >= 0 && ii < nr) {
        *out += calpha * beta * img[ii * nc + jj];
        inside++;
    }
    return inside == 4;
}

/* Bilinear: field (nr, nc, 2) at (dii, djj) into out[0..1]. */
static inline int SFX(interp_vector_2d)(const FLT *f, ptrdiff_t nr, ptrdiff_t nc, double dii,
                                        double djj, FLT *out)
{
    if (!(dii > -1 && djj > -1 && dii < (double)nr && djj < (double)nc)) {
        out[0] = 0;
        out[1] = 0;
        return 0;
    }
    ptrdiff_t ii = (ptrdiff_t)floor(dii), jj = (ptrdiff_t)floor(djj);
    double calpha = dii - ii, cbeta = djj - jj;
    double alpha = 1 - calpha, beta = 1 - cbeta;
    int inside = 0;
    const FLT *v;
    if (ii >= 0 && jj >= 0) {
        v = f + 2 * (ii * nc + jj);
        out[0] = alpha * beta * v[0];
        out[1] = alpha * beta * v[1];
        inside++;
    } else {
        out[0] = 0;
        out[1] = 0;
    }
    jj++;
    if (jj < nc && ii >= 0) {
        v = f + 2 * (ii * nc + jj);
        out[0] += alpha * cbeta * v[0];
        out[1] += alpha * cbeta * v[1];
        inside++;
    }
    ii++;
    if (jj < nc && ii < nr) {
        v = f + 2 * (ii * nc + jj);
        out[0] += calpha * cbeta * v[0];
        out[1] += calpha * cbeta * v[1];
        inside++;
    }
    jj--;
    if (jj >= 0 && ii < nr) {
        v = f + 2 * (ii * nc + jj);
        out[0] += calpha * beta * v[0];
        out[1] += calpha * beta * v[1];
        inside++;
    }
    return inside == 4;
}

/* Trilinear: volume (ns, nr, nc) at (dkk, dii, djj). Corners are visited in
 * DIPY's order: slice kk (TL, TR, BR, BL), then slice kk+1 (TL, TR, BR, BL). */
static inline int SFX(interp_scalar_3d)(const FLT *vol, ptrdiff_t ns, ptrdiff_t nr, ptrdiff_t nc,
                                        double dkk, double dii, double djj, FLT *out)
{
    if (!(-1 < dkk && dkk < (double)ns && -1 < dii && dii < (double)nr && -1 < djj &&
          djj < (double)nc)) {
        *out = 0;
        return 0;
    }
    ptrdiff_t kk = (ptrdiff_t)floor(dkk), ii = (ptrdiff_t)floor(dii), jj = (ptrdiff_t)floor(djj);
    double cgamma = dkk - kk, calpha = dii - ii, cbeta = djj - jj;
    double alpha = 1 - calpha, beta = 1 - cbeta, gamma = 1 - cgamma;
    int inside = 0;
#define AT(k, i, j) vol[((k) * nr + (i)) * nc + (j)]
    if (ii >= 0 && jj >= 0 && kk >= 0) {
        *out = alpha * beta * gamma * AT(kk, ii, jj);
        inside++;
    } else {
        *out = 0;
    }
    jj++;
    if (ii >= 0 && jj < nc && kk >= 0) {
        *out += alpha * cbeta * gamma * AT(kk, ii, jj);
        inside++;
    }
    ii++;
    if (ii < nr && jj < nc && kk >= 0) {
        *out += calpha * cbeta * gamma * AT(kk, ii, jj);
        inside++;
    }
    jj--;
    if (ii < nr && jj >= 0 && kk >= 0) {
        *out += calpha * beta * gamma * AT(kk, ii, jj);
        inside++;
    }
    kk++;
    if (kk < ns) {
        ii--;
        if (ii >= 0 && jj >= 0) {
            *out += alpha * beta * cgamma * AT(kk, ii, jj);
            inside++;
        }
        jj++;
        if (ii >= 0 && jj < nc) {
            *out += alpha * cbeta * cgamma * AT(kk, ii, jj);
            inside++;
        }
        ii++;
        if (ii < nr && jj < nc) {
            *out += calpha * cbeta * cgamma * AT(kk, ii, jj);
            inside++;
        }
        jj--;
        if (ii < nr && jj >= 0) {
            *out += calpha * beta * cgamma * AT(kk, ii, jj);
            inside++;
        }
    }
#undef AT
    return inside == 8;
}

/* out[0..2] (+)= w * field[k, i, j, 0..2] */
#define VEC3_SET(w, k, i, j)                                                                   \
    do {                                                                                       \
        const FLT *v_ = f + 3 * (((k) * nr + (i)) * nc + (j));                                 \
        out[0] = (w) * v_[0];                                                                  \
        out[1] = (w) * v_[1];                                                                  \
        out[2] = (w) * v_[2];                                                                  \
    } while (0)
#define VEC3_ADD(w, k, i, j)                                                                   \
    do {                                                                                       \
        const FLT *v_ = f + 3 * (((k) * nr + (i)) * nc + (j));                                 \
        out[0] += (w) * v_[0];                                                                 \
        out[1] += (w) * v_[1];                                                                 \
        out[2] += (w) * v_[2];                                                                 \
    } while (0)

/* Trilinear: field (ns, nr, nc, 3) at (dkk, dii, djj) into out[0..2]. */
static inline int SFX(interp_vector_3d)(const FLT *f, ptrdiff_t ns, ptrdiff_t nr, ptrdiff_t nc,
                                        double dkk, double dii, double djj, FLT *out)
{
    if (!(-1 < dkk && dkk < (double)ns && -1 < dii && dii < (double)nr && -1 < djj &&
          djj < (double)nc)) {
        out[0] = 0;
        out[1] = 0;
        out[2] = 0;
        return 0;
    }
    ptrdiff_t kk = (ptrdiff_t)floor(dkk), ii = (ptrdiff_t)floor(dii), jj = (ptrdiff_t)floor(djj);
    double cgamma = dkk - kk, calpha = dii - ii, cbeta = djj - jj;
    double alpha = 1 - calpha, beta = 1 - cbeta, gamma = 1 - cgamma;
    int inside = 0;
    if (ii >= 0 && jj >= 0 && kk >= 0) {
        VEC3_SET(alpha * beta * gamma, kk, ii, jj);
        inside++;
    } else {
        out[0] = 0;
        out[1] = 0;
        out[2] = 0;
    }
    jj++;
    if (jj < nc && ii >= 0 && kk >= 0) {
        VEC3_ADD(alpha * cbeta * gamma, kk, ii, jj);
        inside++;
    }
    ii++;
    if (jj < nc && ii < nr && kk >= 0) {
        VEC3_ADD(calpha * cbeta * gamma, kk, ii, jj);
        inside++;
    }
    jj--;
    if (jj >= 0 && ii < nr && kk >= 0) {
        VEC3_ADD(calpha * beta * gamma, kk, ii, jj);
        inside++;
    }
    kk++;
    if (kk < ns) {
        ii--;
        if (jj >= 0 && ii >= 0) {
            VEC3_ADD(alpha * beta * cgamma, kk, ii, jj);
            inside++;
        }
        jj++;
        if (jj < nc && ii >= 0) {
            VEC3_ADD(alpha * cbeta * cgamma, kk, ii, jj);
            inside++;
        }
        ii++;
        if (jj < nc && ii < nr) {
            VEC3_ADD(calpha * cbeta * cgamma, kk, ii, jj);
            inside++;
        }
        jj--;
        if (jj >= 0 && ii < nr) {
            VEC3_ADD(calpha * beta * cgamma, kk, ii, jj);
            inside++;
        }
    }
    return inside == 8;
}
#undef VEC3_SET
#undef VEC3_ADD

/* Nearest neighbour: needs 0 <= x <= n-1 on every axis; ties (x.5) round
 * down, as DIPY's `if alpha < calpha: ii += 1`. */
static inline int SFX(interp_scalar_nn_2d)(const FLT *img, ptrdiff_t nr, ptrdiff_t nc,
                                           double dii, double djj, FLT *out)
{
    if (!(dii >= 0 && djj >= 0 && dii <= (double)(nr - 1) && djj <= (double)(nc - 1))) {
        *out = 0;
        return 0;
    }
    ptrdiff_t ii = (ptrdiff_t)floor(dii), jj = (ptrdiff_t)floor(djj);
    double calpha = dii - ii, cbeta = djj - jj;
    if (1 - calpha < calpha)
        ii++;
    if (1 - cbeta < cbeta)
        jj++;
    if (ii < 0 || jj < 0 || ii >= nr || jj >= nc) {
        *out = 0;
        return 0;
    }
    *out = img[ii * nc + jj];
    return 1;
}

static inline int SFX(interp_scalar_nn_3d)(const FLT *vol, ptrdiff_t ns, ptrdiff_t nr,
                                           ptrdiff_t nc, double dkk, double dii, double djj,
                                           FLT *out)
{
    if (!(0 <= dkk && dkk <= (double)(ns - 1) && 0 <= dii && dii <= (double)(nr - 1) &&
          0 <= djj && djj <= (double)(nc - 1))) {
        *out = 0;
        return 0;
    }
    ptrdiff_t kk = (ptrdiff_t)floor(dkk), ii = (ptrdiff_t)floor(dii), jj = (ptrdiff_t)floor(djj);
    double cgamma = dkk - kk, calpha = dii - ii, cbeta = djj - jj;
    if (1 - cgamma < cgamma)
        kk++;
    if (1 - calpha < calpha)
        ii++;
    if (1 - cbeta < cbeta)
        jj++;
    if (kk < 0 || ii < 0 || jj < 0 || kk >= ns || ii >= nr || jj >= nc) {
        *out = 0;
        return 0;
    }
    *out = vol[(kk * nr + ii) * nc + jj];
    return 1;
}

#endif /* FLT */
