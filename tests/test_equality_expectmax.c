/* Parallel vs reference, bitwise, for the EM-metric kernels
 * (kernels_expectmax.h): quantize_positive, compute_masked_class_stats and
 * compute_em_demons_step, 2D and 3D, float64 and float32, on grids of ~19
 * reduction blocks (4096 voxels each, the last partial) so that a race or
 * a reordered class sum / energy would change bits. Each parallel kernel
 * runs twice (tests/support/equality.h) on poisoned outputs and scratch
 * and both runs must equal the reference bytes; ctest runs this binary
 * over the thread x schedule
 * matrix, so equality with the reference also proves thread/schedule
 * independence. Branches covered: degenerate and regular quantisation,
 * empty / single / populated classes, out-of-range labels (counted and
 * skipped), infinite / zero / positive variances and zero gradients.
 * NaN policy: inputs are finite; outputs (Inf included) compared as bytes. */
#include "equality.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/random.h"

/* odd, non-cubic; 77357 and 73935 voxels: 19 blocks each */
static const size_t shape2[2] = {257, 301};
static const size_t shape3[3] = {31, 45, 53};

/* ---- quantize_positive ------------------------------------------------------ */

/* (kind, L): kind 0 uniform [-20, 300] (regular; L = 2 is DIPY's n < 2
 * branch); 1 positives all 7.25 (delta < eps: degenerate); 2 no positive */
static const int QUANT_CASES[][2] = {{0, 256}, {0, 37}, {0, 2}, {1, 37}, {2, 5}};

#define QUANT_CASE(NAME, FLT, T, DIM, SHAPE, SLOT)                                                 \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t n = omreg_eq_voxels(DIM, SHAPE), nb = omreg_reduce_blocks(n);                 \
        FLT *v = omreg_test_alloc(n, sizeof(FLT));                                                 \
        for (size_t c = 0; c < sizeof QUANT_CASES / sizeof QUANT_CASES[0]; ++c) {                  \
            const int kind = QUANT_CASES[c][0];                                                    \
            omreg_test_fill_uniform_##T(v, n, 31 + (uint64_t)kind, -20.0, 300.0);                  \
            for (size_t i = 0; i < n; ++i) {                                                       \
                if (kind == 1 && v[i] > 0)                                                         \
                    v[i] = (FLT)7.25;                                                              \
                if (kind == 2)                                                                     \
                    v[i] = -fabs(v[i]);                                                            \
            }                                                                                      \
            {                                                                                      \
                const int L = QUANT_CASES[c][1];                                                   \
                char what[96];                                                                     \
                snprintf(what, sizeof what, #SLOT " kind %d L %d", kind, L);                       \
                int *o_ref = omreg_test_alloc(n, sizeof(int));                                     \
                int *o_par = omreg_test_alloc(n, sizeof(int));                                     \
                int *h_ref = omreg_test_alloc((size_t)L, sizeof(int));                             \
                int *h_par = omreg_test_alloc((size_t)L, sizeof(int));                             \
                FLT *l_ref = omreg_test_alloc((size_t)L, sizeof(FLT));                             \
                FLT *l_par = omreg_test_alloc((size_t)L, sizeof(FLT));                             \
                double *rs = omreg_test_alloc(2 * nb, sizeof(double));                             \
                int *hs = omreg_test_alloc(nb * (size_t)L, sizeof(int));                           \
                double r_ref[2], r_par[2];                                                         \
                omreg_eq eq = {0};                                                                 \
                omreg_eq_output(&eq, what, o_ref, o_par, n);                                       \
                omreg_eq_output(&eq, what, l_ref, l_par, (size_t)L);                               \
                omreg_eq_output(&eq, what, h_ref, h_par, (size_t)L);                               \
                omreg_eq_output(&eq, what, r_ref, r_par, 2);                                       \
                omreg_eq_scratch(&eq, rs, 2 * nb * sizeof(double));                                \
                omreg_eq_scratch(&eq, hs, nb *(size_t)L * sizeof(int));                            \
                omreg_eq_reference(&eq);                                                           \
                ref->SLOT(omreg_backend_threads(ref, 0), v, SHAPE, L, o_ref, l_ref, h_ref, rs, hs, \
                          r_ref);                                                                  \
                OMREG_EQ_PARALLEL(&eq)                                                             \
                {                                                                                  \
                    par->SLOT(omreg_backend_threads(par, 0), v, SHAPE, L, o_par, l_par, h_par, rs, \
                              hs, r_par);                                                          \
                }                                                                                  \
                /* the inputs reach the intended branch */                                         \
                if (kind == 0 && L > 2)                                                            \
                    assert_true(h_ref[L - 1] > 0 && h_ref[1] > 0);                                 \
                else                                                                               \
                    for (int l = 2; l < L; ++l)                                                    \
                        assert_int_equal(h_ref[l], 0);                                             \
                free(o_ref);                                                                       \
                free(o_par);                                                                       \
                free(h_ref);                                                                       \
                free(h_par);                                                                       \
                free(l_ref);                                                                       \
                free(l_par);                                                                       \
                free(rs);                                                                          \
                free(hs);                                                                          \
            }                                                                                      \
        }                                                                                          \
        free(v);                                                                                   \
    }

QUANT_CASE(quantize_2d_f64, double, f64, 2, shape2, quantize_positive_2d_f64)
QUANT_CASE(quantize_2d_f32, float, f32, 2, shape2, quantize_positive_2d_f32)
QUANT_CASE(quantize_3d_f64, double, f64, 3, shape3, quantize_positive_3d_f64)
QUANT_CASE(quantize_3d_f32, float, f32, 3, shape3, quantize_positive_3d_f32)

/* ---- compute_masked_class_stats ---------------------------------------------- */

/* Labels: skewed classes (class 0 over 4096 voxels, classes 3 and L-2
 * empty, class L-1 a single voxel), two masked voxels with labels -1 and L
 * (counted in counts[L] and skipped) and one unmasked far outside [0, L)
 * (never read); mask values 1..5 all count as inside. */
#define STATS_CASE(NAME, FLT, T, DIM, SHAPE, SLOT)                                                 \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const int nlabs[] = {256, 37};                                                      \
        const size_t n = omreg_eq_voxels(DIM, SHAPE), nb = omreg_reduce_blocks(n);                 \
        FLT *v = omreg_test_alloc(n, sizeof(FLT));                                                 \
        int *mask = omreg_test_alloc(n, sizeof(int));                                              \
        int *labels = omreg_test_alloc(n, sizeof(int));                                            \
        omreg_test_fill_uniform_##T(v, n, 41, 1.0, 250.0);                                         \
        for (size_t i = 0; i < n; ++i)                                                             \
            mask[i] = omreg_random_uniform(42, i) < 0.8 ? (int)(i % 5) + 1 : 0;                    \
        for (size_t c = 0; c < sizeof nlabs / sizeof nlabs[0]; ++c) {                              \
            const int L = nlabs[c];                                                                \
            for (size_t i = 0; i < n; ++i) { /* skewed: u^3; classes 3 and L-2 empty */            \
                double u = omreg_random_uniform(43, i);                                            \
                labels[i] = (int)(u * u * u * (L - 2));                                            \
                if (labels[i] == 3)                                                                \
                    labels[i] = 4;                                                                 \
            }                                                                                      \
            labels[11] = L - 1; /* the only voxel of class L-1 */                                  \
            mask[11] = 1;                                                                          \
            labels[5] = -1;                                                                        \
            mask[5] = 1;                                                                           \
            labels[n - 7] = L;                                                                     \
            mask[n - 7] = 1;                                                                       \
            labels[n - 8] = L + 1000; /* outside the mask: never read */                           \
            mask[n - 8] = 0;                                                                       \
            char what[96];                                                                         \
            snprintf(what, sizeof what, #SLOT " L %d", L);                                         \
            FLT *m_ref = omreg_test_alloc((size_t)L, sizeof(FLT));                                 \
            FLT *m_par = omreg_test_alloc((size_t)L, sizeof(FLT));                                 \
            FLT *v_ref = omreg_test_alloc((size_t)L, sizeof(FLT));                                 \
            FLT *v_par = omreg_test_alloc((size_t)L, sizeof(FLT));                                 \
            int *c_ref = omreg_test_alloc((size_t)L + 1, sizeof(int));                             \
            int *c_par = omreg_test_alloc((size_t)L + 1, sizeof(int));                             \
            FLT *ss = omreg_test_alloc(nb * (size_t)L, sizeof(FLT));                               \
            int *cs = omreg_test_alloc(nb * ((size_t)L + 1), sizeof(int));                         \
            omreg_eq eq = {0};                                                                     \
            omreg_eq_output(&eq, what, m_ref, m_par, (size_t)L);                                   \
            omreg_eq_output(&eq, what, v_ref, v_par, (size_t)L);                                   \
            omreg_eq_output(&eq, what, c_ref, c_par, (size_t)L + 1);                               \
            omreg_eq_scratch(&eq, ss, nb *(size_t)L * sizeof(FLT));                                \
            omreg_eq_scratch(&eq, cs, nb *((size_t)L + 1) * sizeof(int));                          \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), mask, v, L, labels, SHAPE, m_ref, v_ref,      \
                      c_ref, ss, cs);                                                              \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), mask, v, L, labels, SHAPE, m_par, v_par,  \
                          c_par, ss, cs);                                                          \
            }                                                                                      \
            /* every branch was exercised */                                                       \
            assert_int_equal(c_ref[L], 2);                                                         \
            int seen0 = 0, seen1 = 0, seen_many = 0;                                               \
            for (int l = 0; l < L; ++l) {                                                          \
                seen0 |= c_ref[l] == 0;                                                            \
                seen1 |= c_ref[l] == 1;                                                            \
                seen_many |= c_ref[l] > 4096;                                                      \
            }                                                                                      \
            assert_true(seen0 &&seen1 &&seen_many);                                                \
            free(m_ref);                                                                           \
            free(m_par);                                                                           \
            free(v_ref);                                                                           \
            free(v_par);                                                                           \
            free(c_ref);                                                                           \
            free(c_par);                                                                           \
            free(ss);                                                                              \
            free(cs);                                                                              \
        }                                                                                          \
        free(v);                                                                                   \
        free(mask);                                                                                \
        free(labels);                                                                              \
    }

STATS_CASE(class_stats_2d_f64, double, f64, 2, shape2, compute_masked_class_stats_2d_f64)
STATS_CASE(class_stats_2d_f32, float, f32, 2, shape2, compute_masked_class_stats_2d_f32)
STATS_CASE(class_stats_3d_f64, double, f64, 3, shape3, compute_masked_class_stats_3d_f64)
STATS_CASE(class_stats_3d_f32, float, f32, 3, shape3, compute_masked_class_stats_3d_f32)

/* ---- compute_em_demons_step -------------------------------------------------- */

#define DEMONS_CASE(NAME, FLT, T, DIM, SHAPE, SLOT)                                                \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t n = omreg_eq_voxels(DIM, SHAPE), nb = omreg_reduce_blocks(n);                 \
        FLT *delta = omreg_test_alloc(n, sizeof(FLT));                                             \
        FLT *sigma = omreg_test_alloc(n, sizeof(FLT));                                             \
        FLT *grad = omreg_test_alloc(n * DIM, sizeof(FLT));                                        \
        omreg_test_fill_uniform_##T(delta, n, 51, -60.0, 60.0);                                    \
        omreg_test_fill_uniform_##T(sigma, n, 52, 0.0, 400.0);                                     \
        omreg_test_fill_uniform_##T(grad, n *DIM, 53, -8.0, 8.0);                                  \
        for (size_t i = 0; i < n; ++i) {                                                           \
            /* magnitudes 10^(-1, 0, 1) by block, +-0.5 within: block energies                     \
             * over four orders of magnitude, so that any other combination                        \
             * order of the partials rounds differently (checked by mutation) */                   \
            const double e = (double)(i / 4096 % 3) - 1.0;                                         \
            delta[i] = (FLT)(delta[i] * pow(10.0, e + omreg_random_uniform(56, i) - 0.5));         \
            double u = omreg_random_uniform(54, i);                                                \
            if (u < 0.1)                                                                           \
                sigma[i] = (FLT)INFINITY;                                                          \
            else if (u < 0.2)                                                                      \
                sigma[i] = (FLT)-INFINITY;                                                         \
            else if (u < 0.4)                                                                      \
                sigma[i] = 0;                                                                      \
            if (omreg_random_uniform(55, i) < 0.1)                                                 \
                for (int c = 0; c < DIM; ++c)                                                      \
                    grad[i * DIM + (size_t)c] = 0;                                                 \
        }                                                                                          \
        FLT *o_ref = omreg_test_alloc(n * DIM, sizeof(FLT));                                       \
        FLT *o_par = omreg_test_alloc(n * DIM, sizeof(FLT));                                       \
        double *scratch = omreg_test_alloc(nb, sizeof(double));                                    \
        double e_ref, e_par;                                                                       \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT " step", o_ref, o_par, n *DIM);                                 \
        omreg_eq_output(&eq, #SLOT " energy", &e_ref, &e_par, 1);                                  \
        omreg_eq_scratch(&eq, scratch, nb * sizeof(double));                                       \
        omreg_eq_reference(&eq);                                                                   \
        ref->SLOT(omreg_backend_threads(ref, 0), delta, sigma, grad, SHAPE, 0.731, o_ref, scratch, \
                  &e_ref);                                                                         \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->SLOT(omreg_backend_threads(par, 0), delta, sigma, grad, SHAPE, 0.731, o_par,      \
                      scratch, &e_par);                                                            \
        }                                                                                          \
        free(delta);                                                                               \
        free(sigma);                                                                               \
        free(grad);                                                                                \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
        free(scratch);                                                                             \
    }

DEMONS_CASE(demons_2d_f64, double, f64, 2, shape2, compute_em_demons_step_2d_f64)
DEMONS_CASE(demons_2d_f32, float, f32, 2, shape2, compute_em_demons_step_2d_f32)
DEMONS_CASE(demons_3d_f64, double, f64, 3, shape3, compute_em_demons_step_3d_f64)
DEMONS_CASE(demons_3d_f32, float, f32, 3, shape3, compute_em_demons_step_3d_f32)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(quantize_2d_f64),
        cmocka_unit_test(quantize_2d_f32),
        cmocka_unit_test(quantize_3d_f64),
        cmocka_unit_test(quantize_3d_f32),
        cmocka_unit_test(class_stats_2d_f64),
        cmocka_unit_test(class_stats_2d_f32),
        cmocka_unit_test(class_stats_3d_f64),
        cmocka_unit_test(class_stats_3d_f32),
        cmocka_unit_test(demons_2d_f64),
        cmocka_unit_test(demons_2d_f32),
        cmocka_unit_test(demons_3d_f64),
        cmocka_unit_test(demons_3d_f32),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
