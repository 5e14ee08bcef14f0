/* Trilinear lookup for the parallel kernels, with the bits of DIPY's
 * _interpolate_scalar_3d (kernels/interp_point.h, the specification).
 * Where the whole 2x2x2 cell lies inside the grid, which is every point but
 * those within one voxel of the border, all eight of the reference's bounds
 * tests hold: this path drops them, takes the floors by truncation (the
 * point is in (-1, n), so floor is the truncation, one less below 0), and
 * adds the eight terms in the reference's order into a local FLT (the
 * reference accumulates in *out, an FLT, rounding after every term as this
 * does). Other points (outside or on the border) go to the reference's
 * lookup. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_PARALLEL_INTERP_FAST_H
#define OMREG_PARALLEL_INTERP_FAST_H

#include <stddef.h>

#include "interp_point.h"

/* inlined into every caller even six times over (the gradient): a call
 * costs a fifth of the lookup */
#define OMREG_ALWAYS_INLINE __attribute__((always_inline))

#define FLT double
#define SFX(name) name##_f64
#include "interp_fast.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "interp_fast.h"
#undef FLT
#undef SFX

#endif /* OMREG_PARALLEL_INTERP_FAST_H */

#else /* FLT: the type-generic body */

/* The cell of grid point (dkk, dii, djj) when all eight neighbours are
 * inside: *at is the index of its low corner, off[] and w[] the eight
 * neighbours' offsets from it and weights in the reference's order ((kk, ii,
 * jj), jj + 1, ii + 1, jj, then the same at kk + 1; each weight the
 * reference's product, so w * v rounds as its alpha * beta * gamma * v).
 * Returns 0 for every other point (outside, or on the border). */
static inline OMREG_ALWAYS_INLINE int SFX(fast_cell_3d)(ptrdiff_t ns, ptrdiff_t nr,
                                                         ptrdiff_t nc, double dkk, double dii,
                                                         double djj, ptrdiff_t *at,
                                                         ptrdiff_t off[8], double w[8])
{
    if (!(-1 < dkk && dkk < (double)ns && -1 < dii && dii < (double)nr && -1 < djj &&
          djj < (double)nc))
        return 0;
    const ptrdiff_t kk = (ptrdiff_t)dkk - (dkk < 0), ii = (ptrdiff_t)dii - (dii < 0);
    const ptrdiff_t jj = (ptrdiff_t)djj - (djj < 0);
    if (kk < 0 || ii < 0 || jj < 0 || kk + 1 >= ns || ii + 1 >= nr || jj + 1 >= nc)
        return 0;
    const double cgamma = dkk - (double)kk, calpha = dii - (double)ii, cbeta = djj - (double)jj;
    const double alpha = 1 - calpha, beta = 1 - cbeta, gamma = 1 - cgamma;
    const ptrdiff_t row = nc, slab = nr * nc;
    *at = (kk * nr + ii) * nc + jj;
    off[0] = 0, w[0] = alpha * beta * gamma;
#ifdef OMREG_CANARY_INTERP_SWAPPED_WEIGHT
    off[1] = 1, w[1] = calpha * beta * gamma; /* planted (ci/canaries.tsv): w[3]'s weight */
#else
    off[1] = 1, w[1] = alpha * cbeta * gamma;
#endif
    off[2] = row + 1, w[2] = calpha * cbeta * gamma;
    off[3] = row, w[3] = calpha * beta * gamma;
    off[4] = slab, w[4] = alpha * beta * cgamma;
    off[5] = slab + 1, w[5] = alpha * cbeta * cgamma;
    off[6] = slab + row + 1, w[6] = calpha * cbeta * cgamma;
    off[7] = slab + row, w[7] = calpha * beta * cgamma;
    return 1;
}

/* interp_scalar_3d: *out = vol at grid point (dkk, dii, djj), 0 outside;
 * returns 1 when all eight neighbours are inside. */
static inline OMREG_ALWAYS_INLINE int SFX(fast_interp_scalar_3d)(const FLT *vol, ptrdiff_t ns,
                                                                  ptrdiff_t nr, ptrdiff_t nc,
                                                                  double dkk, double dii,
                                                                  double djj, FLT *out)
{
    ptrdiff_t at, off[8];
    double w[8];
    if (!SFX(fast_cell_3d)(ns, nr, nc, dkk, dii, djj, &at, off, w))
        return SFX(interp_scalar_3d)(vol, ns, nr, nc, dkk, dii, djj, out);
    const FLT *v = vol + at;
#ifdef OMREG_CANARY_INTERP_WIDE_ACCUMULATOR
    double acc = w[0] * v[off[0]]; /* planted (ci/canaries.tsv): rounds once, not per add */
#else
    FLT acc = (FLT)(w[0] * v[off[0]]);
#endif
    for (int t = 1; t < 8; ++t)
        acc += w[t] * v[off[t]];
    *out = (FLT)acc;
    return 1;
}

/* interp_vector_3d: out[0..2] = field (ns, nr, nc, 3) at (dkk, dii, djj),
 * 0 outside; returns 1 when all eight neighbours are inside. Each component
 * takes the reference's terms in the reference's order. */
static inline OMREG_ALWAYS_INLINE int SFX(fast_interp_vector_3d)(const FLT *f, ptrdiff_t ns,
                                                                  ptrdiff_t nr, ptrdiff_t nc,
                                                                  double dkk, double dii,
                                                                  double djj, FLT *out)
{
    ptrdiff_t at, off[8];
    double w[8];
    if (!SFX(fast_cell_3d)(ns, nr, nc, dkk, dii, djj, &at, off, w))
        return SFX(interp_vector_3d)(f, ns, nr, nc, dkk, dii, djj, out);
    const FLT *v = f + 3 * at;
    for (int c = 0; c < 3; ++c) {
        FLT acc = (FLT)(w[0] * v[3 * off[0] + c]);
        for (int t = 1; t < 8; ++t)
            acc += w[t] * v[3 * off[t] + c];
        out[c] = acc;
    }
    return 1;
}

#endif /* FLT */
