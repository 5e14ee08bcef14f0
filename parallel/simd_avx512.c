/* The AVX-512 variants (kernels/isa_list.h): the vector layer of
 * simd_avx2.c on eight lanes with mask registers and masked gathers,
 * followed by the family templates parallel/<family>_simd.h. Compiled with -mavx512f/vl/dq/bw and -ffp-contract=off, without
 * -mno-fma (it would switch AVX-512F off again in clang; no FMA intrinsic is
 * used and ctest library_has_no_fma checks the objects). */
#include "vector_fields_fp_guard.h" /* first: the scalar tails of compose_simd.h */
#include <immintrin.h>
#include <stdint.h>

#define V_W 8
#define V_ALL 0xFFu
/* the variant's symbol (kernels/isa_list.h): V_NAME(SFX(name)) is name_f64_avx512 */
#define V_CAT_(a, b) a##b
#define V_CAT(a, b) V_CAT_(a, b)
#define V_NAME(k) V_CAT(k, _avx512)

typedef __m512d v_d;   /* V_W doubles */
typedef __mmask8 v_m;  /* lane mask */
typedef __m256i v_i;   /* V_W int32 gather indices */

static inline v_d v_set1(double x) { return _mm512_set1_pd(x); }
static inline v_d v_zero(void) { return _mm512_setzero_pd(); }
static inline v_d v_lanes(void) { return _mm512_set_pd(7, 6, 5, 4, 3, 2, 1, 0); }
static inline v_d v_add(v_d a, v_d b) { return _mm512_add_pd(a, b); }
static inline v_d v_sub(v_d a, v_d b) { return _mm512_sub_pd(a, b); }
static inline v_d v_mul(v_d a, v_d b) { return _mm512_mul_pd(a, b); }
static inline v_d v_div(v_d a, v_d b) { return _mm512_div_pd(a, b); }
static inline v_d v_floor(v_d a) { return _mm512_roundscale_pd(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
static inline v_d v_load(const double *p) { return _mm512_loadu_pd(p); }
static inline void v_store(double *p, v_d a) { _mm512_storeu_pd(p, a); }
/* lanes p[0], p[s], p[2s], ... (an interleaved array's component) */
static inline v_d v_load_strided(const double *p, int s)
{
    return _mm512_i32gather_pd(_mm256_mullo_epi32(_mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7),
                                                  _mm256_set1_epi32(s)),
                               p, 8);
}

static inline v_m v_all(void) { return 0xFF; }
static inline v_m v_lt(v_d a, v_d b) { return _mm512_cmp_pd_mask(a, b, _CMP_LT_OQ); }
static inline v_m v_ge(v_d a, v_d b) { return _mm512_cmp_pd_mask(a, b, _CMP_GE_OQ); }
static inline v_m v_and(v_m a, v_m b) { return a & b; }
static inline unsigned v_bits(v_m m) { return (unsigned)m; }
static inline v_m v_from_bits(unsigned bits) { return (v_m)bits; }
static inline v_d v_select(v_m m, v_d if_clear, v_d if_set)
{
    return _mm512_mask_blend_pd(m, if_clear, if_set);
}
static inline v_d v_zero_unless(v_m m, v_d a) { return _mm512_maskz_mov_pd(m, a); }

/* truncation of lanes holding exact integers below 2^31 */
static inline v_i v_to_index(v_d a) { return _mm512_cvttpd_epi32(a); }
static inline v_i v_index_add(v_i a, int32_t c) { return _mm256_add_epi32(a, _mm256_set1_epi32(c)); }
/* base[idx] in the lanes of m, 0 in the others (never loaded) */
static inline v_d v_gather_f64(const double *base, v_i idx, v_m m)
{
    return _mm512_mask_i32gather_pd(_mm512_setzero_pd(), m, idx, base, 8);
}
static inline v_d v_gather_f32(const float *base, v_i idx, v_m m)
{
    return _mm512_cvtps_pd(_mm256_mmask_i32gather_ps(_mm256_setzero_ps(), m, idx, base, 4));
}
/* (double)(float)a per lane: a float variable's rounding */
static inline v_d v_round_f32(v_d a) { return _mm512_cvtps_pd(_mm512_cvtpd_ps(a)); }
static inline void v_store_f32(float *p, v_d a) { _mm256_storeu_ps(p, _mm512_cvtpd_ps(a)); }

/* the variants (kernels/isa_list.h), each family's template on these lanes */
#include "compose_simd.h"
#include "gradient_simd.h"
#include "transform_affine_simd.h"
#include "warp_simd.h"
