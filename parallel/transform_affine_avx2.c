/* AVX2 variant of omreg_par_transform_affine_3d_f64 (parallel/
 * transform_affine.c; DIPY vector_fields.pyx transform_3d_affine, trilinear):
 * four output voxels of a row per step, each lane the scalar kernel's
 * arithmetic on its own voxel. The mapped point is (a0 k + a1 i) + a2 j +
 * a3, summed in affine_apply_3d's order; the cell is interp_fast.h's (all
 * eight neighbours inside: floor by rounding down, plus +0.0 so that the
 * floor of -0 is +0 as the reference's integer floor converted back is);
 * weights are its products in its order and the eight terms are added in
 * the reference's order, one rounding per add, no FMA (-mavx2 -mno-fma,
 * -ffp-contract=off). Neighbours are gathered with 32-bit indices, so
 * volumes of 2^31 voxels or more take the scalar kernel; lanes on the
 * border or outside take the reference's lookup, as the scalar kernel's
 * do. Same split (one (slice, row) line per iteration) and same bits. */
#include <immintrin.h>
#include <stdint.h>

#include "affine_apply.h"
#include "interp_fast.h"
#include "kernels.h"

void omreg_par_transform_affine_3d_f64_avx2(int nthreads, const double *img,
                                            const size_t img_shape[3], const size_t out_shape[3],
                                            const double *affine, double *out)
{
    const size_t ns = img_shape[0], nr = img_shape[1], nc = img_shape[2];
    if (affine == NULL || ns * nr * nc > (size_t)INT32_MAX) {
        omreg_par_transform_affine_3d_f64(nthreads, img, img_shape, out_shape, affine, out);
        return;
    }
    const size_t nrows = out_shape[1], ncols = out_shape[2];
    const size_t nlines = out_shape[0] * nrows;
    const int32_t row = (int32_t)nc, slab = (int32_t)(nr * nc);
    const int32_t off[8] = {0, 1, row + 1, row, slab, slab + 1, slab + row + 1, slab + row};
    const ptrdiff_t pns = (ptrdiff_t)ns, pnr = (ptrdiff_t)nr, pnc = (ptrdiff_t)nc;
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t line = 0; line < nlines; ++line) {
        const size_t k = line / nrows, i = line % nrows;
        /* the first two terms of each row of A x, in affine_apply_3d's order */
        double p[3], h[3];
        for (int r = 0; r < 3; ++r) {
            p[r] = affine[r * 4 + 0] * (double)k + affine[r * 4 + 1] * (double)i;
            h[r] = 1 * affine[r * 4 + 3];
        }
        const __m256d one = _mm256_set1_pd(1), zero = _mm256_setzero_pd();
        const __m256d minus1 = _mm256_set1_pd(-1);
        const __m256d n[3] = {_mm256_set1_pd((double)ns), _mm256_set1_pd((double)nr),
                              _mm256_set1_pd((double)nc)};
        const __m256d lanes = _mm256_set_pd(3, 2, 1, 0);
        double *o = out + line * ncols;
        size_t j = 0;
        for (; j + 4 <= ncols; j += 4) {
            const __m256d dj = _mm256_add_pd(_mm256_set1_pd((double)j), lanes); /* exact */
            __m256d d[3], c[3], w1[3], fl[3];
            __m256d fast = _mm256_castsi256_pd(_mm256_set1_epi64x(-1));
            for (int r = 0; r < 3; ++r) {
                d[r] = _mm256_add_pd(
                    _mm256_add_pd(_mm256_set1_pd(p[r]),
                                  _mm256_mul_pd(_mm256_set1_pd(affine[r * 4 + 2]), dj)),
                    _mm256_set1_pd(h[r]));
                fl[r] = _mm256_add_pd(_mm256_round_pd(d[r], _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC),
                                      zero);
                /* -1 < d < n, floor >= 0, floor + 1 < n (NaN: false) */
                fast = _mm256_and_pd(fast, _mm256_cmp_pd(minus1, d[r], _CMP_LT_OQ));
                fast = _mm256_and_pd(fast, _mm256_cmp_pd(d[r], n[r], _CMP_LT_OQ));
                fast = _mm256_and_pd(fast, _mm256_cmp_pd(fl[r], zero, _CMP_GE_OQ));
                fast = _mm256_and_pd(fast, _mm256_cmp_pd(_mm256_add_pd(fl[r], one), n[r], _CMP_LT_OQ));
                c[r] = _mm256_sub_pd(d[r], fl[r]); /* cgamma, calpha, cbeta */
                w1[r] = _mm256_sub_pd(one, c[r]);  /* gamma, alpha, beta */
            }
            const int fastbits = _mm256_movemask_pd(fast);
            if (fastbits != 0) {
                const __m256d cgamma = c[0], calpha = c[1], cbeta = c[2];
                const __m256d gamma = w1[0], alpha = w1[1], beta = w1[2];
                /* (kk nr + ii) nc + jj, exact in double; 0 in the lanes not taken */
                __m256d at = _mm256_add_pd(
                    _mm256_mul_pd(_mm256_add_pd(_mm256_mul_pd(fl[0], n[1]), fl[1]), n[2]), fl[2]);
                at = _mm256_and_pd(at, fast);
                const __m128i base = _mm256_cvttpd_epi32(at);
                const __m256d w[8] = {
                    _mm256_mul_pd(_mm256_mul_pd(alpha, beta), gamma),
                    _mm256_mul_pd(_mm256_mul_pd(alpha, cbeta), gamma),
                    _mm256_mul_pd(_mm256_mul_pd(calpha, cbeta), gamma),
                    _mm256_mul_pd(_mm256_mul_pd(calpha, beta), gamma),
                    _mm256_mul_pd(_mm256_mul_pd(alpha, beta), cgamma),
                    _mm256_mul_pd(_mm256_mul_pd(alpha, cbeta), cgamma),
                    _mm256_mul_pd(_mm256_mul_pd(calpha, cbeta), cgamma),
                    _mm256_mul_pd(_mm256_mul_pd(calpha, beta), cgamma),
                };
                __m256d acc = zero;
                for (int t = 0; t < 8; ++t) {
                    const __m128i idx = _mm_add_epi32(base, _mm_set1_epi32(off[t]));
                    const __m256d v = _mm256_mask_i32gather_pd(zero, img, idx, fast, 8);
                    const __m256d term = _mm256_mul_pd(w[t], v);
                    acc = t == 0 ? term : _mm256_add_pd(acc, term);
                }
                _mm256_storeu_pd(o + j, acc);
            }
            if (fastbits != 0xF) {
                double dd[3][4];
                for (int r = 0; r < 3; ++r)
                    _mm256_storeu_pd(dd[r], d[r]);
                for (int l = 0; l < 4; ++l)
                    if (!(fastbits >> l & 1))
                        interp_scalar_3d_f64(img, pns, pnr, pnc, dd[0][l], dd[1][l], dd[2][l],
                                             &o[j + (size_t)l]);
            }
        }
        for (; j < ncols; ++j) {
            double dkk = affine_apply_3d(affine, 0, (double)k, (double)i, (double)j, 1);
            double dii = affine_apply_3d(affine, 1, (double)k, (double)i, (double)j, 1);
            double djj = affine_apply_3d(affine, 2, (double)k, (double)i, (double)j, 1);
            fast_interp_scalar_3d_f64(img, pns, pnr, pnc, dkk, dii, djj, &o[j]);
        }
    }
}
