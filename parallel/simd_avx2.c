/* The AVX2 variants (kernels/isa_list.h): this translation unit, compiled
 * with -mavx2 -mno-fma -ffp-contract=off, is the vector layer (V_W double
 * lanes, a lane mask, 32-bit gather indices, and the few operations the
 * templates use, each one IEEE operation per lane, no FMA) followed by the
 * family templates parallel/<family>_simd.h, which define the variants on
 * it. simd_avx512.c has the same names on eight lanes. */
#include "vector_fields_fp_guard.h" /* first: the scalar tails of compose_simd.h */
#include <immintrin.h>
#include <stdint.h>

#define V_W 4
#define V_ALL 0xFu
/* the variant's symbol (kernels/isa_list.h): V_NAME(SFX(name)) is name_f64_avx2 */
#define V_CAT_(a, b) a##b
#define V_CAT(a, b) V_CAT_(a, b)
#define V_NAME(k) V_CAT(k, _avx2)

typedef __m256d v_d;  /* V_W doubles */
typedef __m256d v_m;  /* lane mask: all ones or zero per lane */
typedef __m128i v_i;  /* V_W int32 gather indices */

static inline v_d v_set1(double x) { return _mm256_set1_pd(x); }
static inline v_d v_zero(void) { return _mm256_setzero_pd(); }
static inline v_d v_lanes(void) { return _mm256_set_pd(3, 2, 1, 0); }
static inline v_d v_add(v_d a, v_d b) { return _mm256_add_pd(a, b); }
static inline v_d v_sub(v_d a, v_d b) { return _mm256_sub_pd(a, b); }
static inline v_d v_mul(v_d a, v_d b) { return _mm256_mul_pd(a, b); }
static inline v_d v_div(v_d a, v_d b) { return _mm256_div_pd(a, b); }
static inline v_d v_floor(v_d a) { return _mm256_round_pd(a, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC); }
static inline v_d v_load(const double *p) { return _mm256_loadu_pd(p); }
static inline void v_store(double *p, v_d a) { _mm256_storeu_pd(p, a); }
/* lanes p[0], p[s], p[2s], ... (an interleaved array's component) */
static inline v_d v_load_strided(const double *p, int s)
{
    return _mm256_set_pd(p[3 * s], p[2 * s], p[s], p[0]);
}

static inline v_m v_all(void) { return _mm256_castsi256_pd(_mm256_set1_epi64x(-1)); }
static inline v_m v_lt(v_d a, v_d b) { return _mm256_cmp_pd(a, b, _CMP_LT_OQ); } /* NaN: 0 */
static inline v_m v_ge(v_d a, v_d b) { return _mm256_cmp_pd(a, b, _CMP_GE_OQ); }
static inline v_m v_and(v_m a, v_m b) { return _mm256_and_pd(a, b); }
static inline unsigned v_bits(v_m m) { return (unsigned)_mm256_movemask_pd(m); }
static inline v_m v_from_bits(unsigned bits)
{
    const __m256i lane = _mm256_setr_epi64x(1, 2, 4, 8);
    const __m256i b = _mm256_and_si256(_mm256_set1_epi64x((long long)bits), lane);
    return _mm256_castsi256_pd(_mm256_cmpeq_epi64(b, lane));
}
static inline v_d v_select(v_m m, v_d if_clear, v_d if_set)
{
    return _mm256_blendv_pd(if_clear, if_set, m);
}
static inline v_d v_zero_unless(v_m m, v_d a) { return _mm256_and_pd(a, m); }

/* truncation of lanes holding exact integers below 2^31 */
static inline v_i v_to_index(v_d a) { return _mm256_cvttpd_epi32(a); }
static inline v_i v_index_add(v_i a, int32_t c) { return _mm_add_epi32(a, _mm_set1_epi32(c)); }
/* base[idx] in the lanes of m, 0 in the others (never loaded) */
static inline v_d v_gather_f64(const double *base, v_i idx, v_m m)
{
    return _mm256_mask_i32gather_pd(_mm256_setzero_pd(), base, idx, m, 8);
}
static inline v_d v_gather_f32(const float *base, v_i idx, v_m m)
{
    /* the low 32 bits of each 64-bit mask lane, packed: the float mask */
    const __m256i pick = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
    const __m128 m32 = _mm_castsi128_ps(_mm256_castsi256_si128(
        _mm256_permutevar8x32_epi32(_mm256_castpd_si256(m), pick)));
    return _mm256_cvtps_pd(_mm_mask_i32gather_ps(_mm_setzero_ps(), base, idx, m32, 4));
}
/* (double)(float)a per lane: a float variable's rounding */
static inline v_d v_round_f32(v_d a) { return _mm256_cvtps_pd(_mm256_cvtpd_ps(a)); }
static inline void v_store_f32(float *p, v_d a) { _mm_storeu_ps(p, _mm256_cvtpd_ps(a)); }

/* the variants (kernels/isa_list.h), each family's template on these lanes */
#include "compose_simd.h"
#include "gradient_simd.h"
#include "transform_affine_simd.h"
/* warp f64 on 4 double lanes: 0.95x the plain C's speed at one thread
 * (bench/run kernels, idle AMD EPYC, 3 rounds), so the avx2 table keeps the plain C */
#define OMREG_WARP_SIMD_F32_ONLY
#include "warp_simd.h"
