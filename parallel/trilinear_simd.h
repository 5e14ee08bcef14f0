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

/* an image grid for the lookups: its shape (also as lanes), its number of
 * interleaved components (1: an image, 3: a 3D vector field) and the eight
 * neighbours' element offsets in the reference's order */
struct v_grid {
    ptrdiff_t ns, nr, nc;
    v_d n[3], ncomp;
    int32_t off[8];
};

/* 0 when the array has 2^31 elements or more (32-bit gather indices): the
 * caller then takes its scalar kernel */
static inline int v_grid_init(struct v_grid *g, const size_t shape[3], int ncomp)
{
    if (shape[0] * shape[1] * shape[2] > (size_t)INT32_MAX / (size_t)ncomp)
        return 0;
    g->ns = (ptrdiff_t)shape[0], g->nr = (ptrdiff_t)shape[1], g->nc = (ptrdiff_t)shape[2];
    for (int r = 0; r < 3; ++r)
        g->n[r] = v_set1((double)shape[r]);
    g->ncomp = v_set1(ncomp);
    const int32_t row = (int32_t)g->nc, slab = (int32_t)(g->nr * g->nc);
    const int32_t off[8] = {0, 1, row + 1, row, slab, slab + 1, slab + row + 1, slab + row};
    for (int t = 0; t < 8; ++t)
        g->off[t] = ncomp * off[t];
    return 1;
}

/* q = A x for the 3D affine a (4x4, row-major) at V_W points, each row
 * summed in affine_apply_3d's order: ((a0 x0 + a1 x1) + a2 x2) + h a3 */
static inline void v_affine_apply_3d(const double *a, const v_d x[3], double h, v_d q[3])
{
    for (int r = 0; r < 3; ++r)
        q[r] = v_add(v_add(v_add(v_mul(v_set1(a[r * 4 + 0]), x[0]),
                                 v_mul(v_set1(a[r * 4 + 1]), x[1])),
                           v_mul(v_set1(a[r * 4 + 2]), x[2])),
                     v_set1(h * a[r * 4 + 3]));
}

/* The cells of V_W grid points d (slice, row, column) in the lanes of
 * `want`: `fast` the lanes whose eight neighbours are all inside, `base`
 * their low corners' element indices (0 in the other lanes), w[] the
 * reference's weights in its order. */
struct v_cell {
    v_m fast;
    unsigned bits;
    v_i base;
    v_d w[8];
};

static inline void v_cell_3d(const struct v_grid *g, const v_d d[3], unsigned want,
                             struct v_cell *cell)
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
    cell->fast = fast;
    cell->bits = v_bits(fast);
    if (cell->bits == 0)
        return;
    const v_d cgamma = c[0], calpha = c[1], cbeta = c[2];
    const v_d gamma = w1[0], alpha = w1[1], beta = w1[2];
    /* ((kk nr + ii) nc + jj) ncomp, exact in double; 0 in the lanes not taken */
    const v_d at = v_zero_unless(
        fast, v_mul(v_add(v_mul(v_add(v_mul(fl[0], g->n[1]), fl[1]), g->n[2]), fl[2]),
                    g->ncomp));
    cell->base = v_to_index(at);
    cell->w[0] = v_mul(v_mul(alpha, beta), gamma);
    cell->w[1] = v_mul(v_mul(alpha, cbeta), gamma);
    cell->w[2] = v_mul(v_mul(calpha, cbeta), gamma);
    cell->w[3] = v_mul(v_mul(calpha, beta), gamma);
    cell->w[4] = v_mul(v_mul(alpha, beta), cgamma);
    cell->w[5] = v_mul(v_mul(alpha, cbeta), cgamma);
    cell->w[6] = v_mul(v_mul(calpha, cbeta), cgamma);
    cell->w[7] = v_mul(v_mul(calpha, beta), cgamma);
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

/* the eight terms of the fast lanes' cells over arr (offset to the
 * component), added in the reference's order, rounded to FLT after each add */
static inline v_d SFX(v_cell_sum)(const FLT *arr, const struct v_grid *g,
                                  const struct v_cell *cell)
{
    v_d acc = v_zero();
    for (int t = 0; t < 8; ++t) {
        const v_d v = SFX(v_gather)(arr, v_index_add(cell->base, g->off[t]), cell->fast);
        const v_d term = v_mul(cell->w[t], v);
#ifdef OMREG_CANARY_SIMD_WIDE_ACCUMULATOR
        acc = t == 0 ? term : v_add(acc, term); /* planted (ci/canaries.tsv): no FLT rounding */
#else
        acc = SFX(v_round)(t == 0 ? term : v_add(acc, term));
#endif
    }
    return acc;
}

/* lanes c, c + 3, c + 6, ... of a 3-component interleaved array (component
 * c of V_W consecutive vectors), widened to double */
static inline v_d SFX(v_load_component)(const FLT *arr, int c)
{
    const v_i idx = v_to_index(v_mul(v_lanes(), v_set1(3)));
    return SFX(v_gather)(arr + c, idx, v_all());
}

/* *val: the lookups at grid points (d[0], d[1], d[2]) (slice, row, column)
 * in the lanes of `want` (bits); returns the bits of those whose lookup is
 * inside (interp_scalar_3d's flag). Other lanes: value unspecified, bit 0. */
static inline unsigned SFX(v_interp_3d)(const FLT *img, const struct v_grid *g, const v_d d[3],
                                        unsigned want, v_d *val)
{
    struct v_cell cell;
    v_cell_3d(g, d, want, &cell);
    v_d acc = cell.bits != 0 ? SFX(v_cell_sum)(img, g, &cell) : v_zero();
    unsigned inside = cell.bits;
    const unsigned slow = want & ~cell.bits;
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

/* the same for a 3D vector field (shape ns x nr x nc x 3, g made with ncomp
 * 3): val[c] component c, each with the reference's terms in its order
 * (interp_vector_3d) */
static inline unsigned SFX(v_interp_vector_3d)(const FLT *f, const struct v_grid *g,
                                               const v_d d[3], unsigned want, v_d val[3])
{
    struct v_cell cell;
    v_cell_3d(g, d, want, &cell);
    for (int c = 0; c < 3; ++c)
        val[c] = cell.bits != 0 ? SFX(v_cell_sum)(f + c, g, &cell) : v_zero();
    unsigned inside = cell.bits;
    const unsigned slow = want & ~cell.bits;
    if (slow != 0) {
        double dd[3][V_W], r[3][V_W];
        for (int k = 0; k < 3; ++k) {
            v_store(dd[k], d[k]);
            v_store(r[k], val[k]);
        }
        for (int l = 0; l < V_W; ++l)
            if (slow >> l & 1) {
                FLT o[3];
                if (SFX(interp_vector_3d)(f, g->ns, g->nr, g->nc, dd[0][l], dd[1][l], dd[2][l],
                                          o))
                    inside |= 1u << l;
                for (int k = 0; k < 3; ++k)
                    r[k][l] = o[k];
            }
        for (int k = 0; k < 3; ++k)
            val[k] = v_load(r[k]);
    }
    return inside;
}

#endif /* FLT */
