/* AVX-512 variant of omreg_par_transform_affine_3d_f64 (parallel/
 * transform_affine.c; DIPY vector_fields.pyx transform_3d_affine, trilinear):
 * parallel/transform_affine_avx2.c on eight lanes, with mask registers and
 * masked gathers; the same per-lane arithmetic in the same order (see that
 * file's opening comment), compiled with -mno-fma and -ffp-contract=off. */
#include <immintrin.h>
#include <stdint.h>

#include "affine_apply.h"
#include "interp_fast.h"
#include "kernels.h"

void omreg_par_transform_affine_3d_f64_avx512(int nthreads, const double *img,
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
        const __m512d one = _mm512_set1_pd(1), zero = _mm512_setzero_pd();
        const __m512d minus1 = _mm512_set1_pd(-1);
        const __m512d n[3] = {_mm512_set1_pd((double)ns), _mm512_set1_pd((double)nr),
                              _mm512_set1_pd((double)nc)};
        const __m512d lanes = _mm512_set_pd(7, 6, 5, 4, 3, 2, 1, 0);
        double *o = out + line * ncols;
        size_t j = 0;
        for (; j + 8 <= ncols; j += 8) {
            const __m512d dj = _mm512_add_pd(_mm512_set1_pd((double)j), lanes); /* exact */
            __m512d d[3], c[3], w1[3], fl[3];
            __mmask8 fast = 0xFF;
            for (int r = 0; r < 3; ++r) {
                d[r] = _mm512_add_pd(
                    _mm512_add_pd(_mm512_set1_pd(p[r]),
                                  _mm512_mul_pd(_mm512_set1_pd(affine[r * 4 + 2]), dj)),
                    _mm512_set1_pd(h[r]));
                fl[r] = _mm512_add_pd(
                    _mm512_roundscale_pd(d[r], _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC), zero);
                /* -1 < d < n, floor >= 0, floor + 1 < n (NaN: false) */
                fast &= _mm512_cmp_pd_mask(minus1, d[r], _CMP_LT_OQ);
                fast &= _mm512_cmp_pd_mask(d[r], n[r], _CMP_LT_OQ);
                fast &= _mm512_cmp_pd_mask(fl[r], zero, _CMP_GE_OQ);
                fast &= _mm512_cmp_pd_mask(_mm512_add_pd(fl[r], one), n[r], _CMP_LT_OQ);
                c[r] = _mm512_sub_pd(d[r], fl[r]); /* cgamma, calpha, cbeta */
                w1[r] = _mm512_sub_pd(one, c[r]);  /* gamma, alpha, beta */
            }
            if (fast != 0) {
                const __m512d cgamma = c[0], calpha = c[1], cbeta = c[2];
                const __m512d gamma = w1[0], alpha = w1[1], beta = w1[2];
                /* (kk nr + ii) nc + jj, exact in double; 0 in the lanes not taken */
                const __m512d at = _mm512_maskz_mov_pd(
                    fast, _mm512_add_pd(_mm512_mul_pd(_mm512_add_pd(_mm512_mul_pd(fl[0], n[1]),
                                                                    fl[1]),
                                                      n[2]),
                                        fl[2]));
                const __m256i base = _mm512_cvttpd_epi32(at);
                const __m512d w[8] = {
                    _mm512_mul_pd(_mm512_mul_pd(alpha, beta), gamma),
                    _mm512_mul_pd(_mm512_mul_pd(alpha, cbeta), gamma),
                    _mm512_mul_pd(_mm512_mul_pd(calpha, cbeta), gamma),
                    _mm512_mul_pd(_mm512_mul_pd(calpha, beta), gamma),
                    _mm512_mul_pd(_mm512_mul_pd(alpha, beta), cgamma),
                    _mm512_mul_pd(_mm512_mul_pd(alpha, cbeta), cgamma),
                    _mm512_mul_pd(_mm512_mul_pd(calpha, cbeta), cgamma),
                    _mm512_mul_pd(_mm512_mul_pd(calpha, beta), cgamma),
                };
                __m512d acc = zero;
                for (int t = 0; t < 8; ++t) {
                    const __m256i idx = _mm256_add_epi32(base, _mm256_set1_epi32(off[t]));
                    const __m512d v = _mm512_mask_i32gather_pd(zero, fast, idx, img, 8);
                    const __m512d term = _mm512_mul_pd(w[t], v);
                    acc = t == 0 ? term : _mm512_add_pd(acc, term);
                }
                _mm512_mask_storeu_pd(o + j, fast, acc);
            }
            if (fast != 0xFF) {
                double dd[3][8];
                for (int r = 0; r < 3; ++r)
                    _mm512_storeu_pd(dd[r], d[r]);
                for (int l = 0; l < 8; ++l)
                    if (!(fast >> l & 1))
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
