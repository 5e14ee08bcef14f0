/* Trilinear lookups of V_W points at once, with the bits of interp_fast.h
 * (hence of DIPY's _interpolate_scalar_3d), for the SIMD templates (after the
 * vector layer of parallel/simd_<isa>.c).
 * Per lane: the cell when all eight neighbours are inside (floor by
 * rounding down, plus +0.0 so that the floor of -0 is +0 as the
 * reference's integer floor converted back is; -1 < d < n, floor >= 0,
 * floor + 1 < n, NaN fails), the weights as the reference's products in its
 * order, the eight terms gathered with 32-bit indices and added in the
 * reference's order, rounded to FLT after every add as the reference's FLT
 * accumulator is; no FMA. Lanes on the border or outside take the
 * reference's lookup (interp_scalar_3d), one by one. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#ifndef OMREG_PARALLEL_TRILINEAR_SIMD_H
#define OMREG_PARALLEL_TRILINEAR_SIMD_H

#include <stddef.h>
#include <stdint.h>

#include "interp_point.h"

/* the FLT-generic names of the layer's store and rounding (v_gather_f64/_f32
 * are the layer's) */
static inline v_d v_round_f64(v_d a) { return a; }
static inline void v_store_f64(double *p, v_d a) { v_store(p, a); }

/* an image grid for the lookups: its shape (also as lanes) and the eight
 * neighbours' index offsets in the reference's order */
struct v_grid {
    ptrdiff_t ns, nr, nc;
    v_d n[3];
    int32_t off[8];
};

/* 0 when the volume has 2^31 voxels or more (32-bit gather indices): the
 * caller then takes its scalar kernel */
static inline int v_grid_init(struct v_grid *g, const size_t shape[3])
{
    if (shape[0] * shape[1] * shape[2] > (size_t)INT32_MAX)
        return 0;
    g->ns = (ptrdiff_t)shape[0], g->nr = (ptrdiff_t)shape[1], g->nc = (ptrdiff_t)shape[2];
    for (int r = 0; r < 3; ++r)
        g->n[r] = v_set1((double)shape[r]);
    const int32_t row = (int32_t)g->nc, slab = (int32_t)(g->nr * g->nc);
    const int32_t off[8] = {0, 1, row + 1, row, slab, slab + 1, slab + row + 1, slab + row};
    for (int t = 0; t < 8; ++t)
        g->off[t] = off[t];
    return 1;
}

/* q = A x for the 3D affine a (4x4, row-major) at V_W points, each row
 * summed in affine_apply_3d's order: ((a0 x0 + a1 x1) + a2 x2) + 1 a3 */
static inline void v_affine_apply_3d(const double *a, const v_d x[3], v_d q[3])
{
    for (int r = 0; r < 3; ++r)
        q[r] = v_add(v_add(v_add(v_mul(v_set1(a[r * 4 + 0]), x[0]),
                                 v_mul(v_set1(a[r * 4 + 1]), x[1])),
                           v_mul(v_set1(a[r * 4 + 2]), x[2])),
                     v_set1(1 * a[r * 4 + 3]));
}

#define FLT double
#define SFX(name) name##_f64
#include "trilinear_simd.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "trilinear_simd.h"
#undef FLT
#undef SFX

#endif /* OMREG_PARALLEL_TRILINEAR_SIMD_H */

#else /* FLT: the type-generic body */

/* *val: the lookups at grid points (d[0], d[1], d[2]) (slice, row, column)
 * in the lanes of `want` (bits); returns the bits of those whose lookup is
 * inside (interp_scalar_3d's flag). Other lanes: value unspecified, bit 0. */
static inline unsigned SFX(v_interp_3d)(const FLT *img, const struct v_grid *g, const v_d d[3],
                                        unsigned want, v_d *val)
{
    const v_d one = v_set1(1), zero = v_zero(), minus1 = v_set1(-1);
    v_d c[3], w1[3], fl[3];
    v_m fast = v_from_bits(want);
    for (int r = 0; r < 3; ++r) {
        fl[r] = v_add(v_floor(d[r]), zero);
        fast = v_and(fast, v_lt(minus1, d[r]));
        fast = v_and(fast, v_lt(d[r], g->n[r]));
        fast = v_and(fast, v_ge(fl[r], zero));
        fast = v_and(fast, v_lt(v_add(fl[r], one), g->n[r]));
        c[r] = v_sub(d[r], fl[r]); /* cgamma, calpha, cbeta */
        w1[r] = v_sub(one, c[r]);  /* gamma, alpha, beta */
    }
    const unsigned fastbits = v_bits(fast);
    v_d acc = zero;
    if (fastbits != 0) {
        const v_d cgamma = c[0], calpha = c[1], cbeta = c[2];
        const v_d gamma = w1[0], alpha = w1[1], beta = w1[2];
        /* (kk nr + ii) nc + jj, exact in double; 0 in the lanes not taken */
        const v_d at = v_zero_unless(
            fast, v_add(v_mul(v_add(v_mul(fl[0], g->n[1]), fl[1]), g->n[2]), fl[2]));
        const v_i base = v_to_index(at);
        const v_d w[8] = {
            v_mul(v_mul(alpha, beta), gamma),   v_mul(v_mul(alpha, cbeta), gamma),
            v_mul(v_mul(calpha, cbeta), gamma), v_mul(v_mul(calpha, beta), gamma),
            v_mul(v_mul(alpha, beta), cgamma),  v_mul(v_mul(alpha, cbeta), cgamma),
            v_mul(v_mul(calpha, cbeta), cgamma), v_mul(v_mul(calpha, beta), cgamma),
        };
        for (int t = 0; t < 8; ++t) {
            const v_d v = SFX(v_gather)(img, v_index_add(base, g->off[t]), fast);
            const v_d term = v_mul(w[t], v);
            acc = SFX(v_round)(t == 0 ? term : v_add(acc, term));
        }
    }
    unsigned inside = fastbits;
    const unsigned slow = want & ~fastbits;
    if (slow != 0) {
        double dd[3][V_W], r[V_W];
        for (int k = 0; k < 3; ++k)
            v_store(dd[k], d[k]);
        v_store(r, acc);
        for (int l = 0; l < V_W; ++l)
            if (slow >> l & 1) {
                FLT o;
                if (SFX(interp_scalar_3d)(img, g->ns, g->nr, g->nc, dd[0][l], dd[1][l], dd[2][l],
                                          &o))
                    inside |= 1u << l;
                r[l] = o;
            }
        acc = v_load(r);
    }
    *val = acc;
    return inside;
}

#endif /* FLT */
