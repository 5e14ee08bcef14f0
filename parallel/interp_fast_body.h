/* Type-generic body of interp_fast.h (FLT, SFX defined by the includer). */

/* interp_scalar_3d: *out = vol at grid point (dkk, dii, djj), 0 outside;
 * returns 1 when all eight neighbours are inside. */
static inline OMREG_ALWAYS_INLINE int SFX(fast_interp_scalar_3d)(const FLT *vol, ptrdiff_t ns,
                                                                  ptrdiff_t nr, ptrdiff_t nc,
                                                                  double dkk, double dii,
                                                                  double djj, FLT *out)
{
    if (!(-1 < dkk && dkk < (double)ns && -1 < dii && dii < (double)nr && -1 < djj &&
          djj < (double)nc)) {
        *out = 0;
        return 0;
    }
    const ptrdiff_t kk = (ptrdiff_t)dkk - (dkk < 0), ii = (ptrdiff_t)dii - (dii < 0);
    const ptrdiff_t jj = (ptrdiff_t)djj - (djj < 0);
    if (kk < 0 || ii < 0 || jj < 0 || kk + 1 >= ns || ii + 1 >= nr || jj + 1 >= nc)
        return SFX(interp_scalar_3d)(vol, ns, nr, nc, dkk, dii, djj, out);
    const double cgamma = dkk - (double)kk, calpha = dii - (double)ii, cbeta = djj - (double)jj;
    const double alpha = 1 - calpha, beta = 1 - cbeta, gamma = 1 - cgamma;
    const ptrdiff_t row = nc, slab = nr * nc;
    const FLT *v = vol + (kk * nr + ii) * nc + jj;
    /* the reference's order: (kk, ii, jj), jj + 1, ii + 1, jj, then kk + 1 */
    FLT acc = (FLT)(alpha * beta * gamma * v[0]);
    acc += alpha * cbeta * gamma * v[1];
    acc += calpha * cbeta * gamma * v[row + 1];
    acc += calpha * beta * gamma * v[row];
    acc += alpha * beta * cgamma * v[slab];
    acc += alpha * cbeta * cgamma * v[slab + 1];
    acc += calpha * cbeta * cgamma * v[slab + row + 1];
    acc += calpha * beta * cgamma * v[slab + row];
    *out = acc;
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
    if (!(-1 < dkk && dkk < (double)ns && -1 < dii && dii < (double)nr && -1 < djj &&
          djj < (double)nc))
        return SFX(interp_vector_3d)(f, ns, nr, nc, dkk, dii, djj, out);
    const ptrdiff_t kk = (ptrdiff_t)dkk - (dkk < 0), ii = (ptrdiff_t)dii - (dii < 0);
    const ptrdiff_t jj = (ptrdiff_t)djj - (djj < 0);
    if (kk < 0 || ii < 0 || jj < 0 || kk + 1 >= ns || ii + 1 >= nr || jj + 1 >= nc)
        return SFX(interp_vector_3d)(f, ns, nr, nc, dkk, dii, djj, out);
    const double cgamma = dkk - (double)kk, calpha = dii - (double)ii, cbeta = djj - (double)jj;
    const double alpha = 1 - calpha, beta = 1 - cbeta, gamma = 1 - cgamma;
    const ptrdiff_t row = 3 * nc, slab = 3 * nr * nc;
    const FLT *v = f + 3 * ((kk * nr + ii) * nc + jj);
    for (int c = 0; c < 3; ++c) {
        FLT acc = (FLT)(alpha * beta * gamma * v[c]);
        acc += alpha * cbeta * gamma * v[3 + c];
        acc += calpha * cbeta * gamma * v[row + 3 + c];
        acc += calpha * beta * gamma * v[row + c];
        acc += alpha * beta * cgamma * v[slab + c];
        acc += alpha * cbeta * cgamma * v[slab + 3 + c];
        acc += calpha * cbeta * cgamma * v[slab + row + 3 + c];
        acc += calpha * beta * cgamma * v[slab + row + c];
        out[c] = acc;
    }
    return 1;
}
