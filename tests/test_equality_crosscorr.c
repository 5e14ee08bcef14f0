/* Parallel vs reference, bitwise, for the CC kernels (kernels_crosscorr.h):
 * sliding-window and brute-force factors, forward and backward steps with
 * their canonical-order energy; 2D and 3D, float64 and float32. Each
 * parallel kernel runs twice (tests/support/equality.h) and both runs must
 * equal the reference bytes;
 * ctest runs this binary over the thread x schedule matrix (MATRIX), so
 * equality with the reference also proves thread/schedule independence.
 * Sizes: 2D 97x83 (83 columns = work items), 3D 19x23x21 (22+ slab steps,
 * each one sweep task beside 23 factor rows of the previous slab; 437
 * energy rows), plus
 * degenerate grids (radius above every axis, one row, one column). Images
 * are random with a constant patch, so steps skip some voxels and the row
 * partials of the energy all differ: a race or any other combination order
 * changes the bits. Scratch is filled with garbage before every call (its
 * contents must not matter) and outputs are pre-filled with a pattern (every
 * output value must be written).
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "equality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


static const size_t shape2[2] = {97, 83};
static const size_t shape3[3] = {19, 23, 21};

/* static and moving: random in [0, 1) (moving correlated with static), with
 * a constant static block of 6 voxels per axis at the low corner. */
#define FILL_IMAGES(T, FLT, DIM, SHAPE, S, M, N)                                               \
    do {                                                                                       \
        omreg_test_fill_uniform_##T(S, N, 501, 0.0, 1.0);                                      \
        omreg_test_fill_uniform_##T(M, N, 502, 0.0, 1.0);                                      \
        for (size_t v_ = 0; v_ < (N); ++v_) {                                                  \
            M[v_] = (FLT)(0.5 * M[v_] + 0.5 * S[v_]);                                          \
            size_t rest_ = v_, inside_ = 1;                                                    \
            for (int d_ = (DIM)-1; d_ >= 0; --d_) {                                            \
                inside_ &= rest_ % (SHAPE)[d_] < 6;                                            \
                rest_ /= (SHAPE)[d_];                                                          \
            }                                                                                  \
            if (inside_)                                                                       \
                S[v_] = (FLT)0.5;                                                              \
        }                                                                                      \
    } while (0)

/* ---- sliding windows and brute force ------------------------------------ */

#define FACTORS_CASE(NAME, FLT, T, DIM, SHAPE, RADIUS)                                          \
    static void NAME(void **state)                                                             \
    {                                                                                          \
        (void)state;                                                                           \
        const size_t n = omreg_eq_voxels(DIM, SHAPE), nf = 5 * n;                              \
        FLT *s = omreg_test_alloc(n, sizeof(FLT)), *m = omreg_test_alloc(n, sizeof(FLT));       \
        FILL_IMAGES(T, FLT, DIM, SHAPE, s, m, n);                                              \
        FLT *f_ref = omreg_test_alloc(nf, sizeof(FLT)), *f_par = omreg_test_alloc(nf,          \
                                                                                 sizeof(FLT)); \
        const int nbuf = omreg_backend_threads(par, 0);                                        \
        const size_t nscratch = DIM == 2 ? omreg_cc_scratch_2d(RADIUS) * (size_t)nbuf          \
                                         : omreg_cc_scratch_3d((const size_t *)(SHAPE));       \
        double *scratch = omreg_test_alloc(nscratch, sizeof(double));                          \
        char what[128];                                                                        \
        for (int brute = 0; brute < 2; ++brute) {                                              \
            snprintf(what, sizeof what, "%s factors %dD " #T " radius %zu",                    \
                     brute ? "brute-force" : "sliding", DIM, (size_t)(RADIUS));                \
            omreg_eq eq = {0};                                                                 \
            omreg_eq_output(&eq, what, f_ref, f_par, nf);                                      \
            omreg_eq_scratch(&eq, scratch, nscratch * sizeof(double));                         \
            omreg_eq_reference(&eq);                                                           \
            run_factors_##DIM##_##T(ref, brute, s, m, SHAPE, RADIUS, scratch, 1, f_ref);       \
            OMREG_EQ_PARALLEL(&eq) {                                                           \
                run_factors_##DIM##_##T(par, brute, s, m, SHAPE, RADIUS, scratch, nbuf,        \
                                        f_par);                                                \
            }                                                                                  \
        }                                                                                      \
        free(s);                                                                               \
        free(m);                                                                               \
        free(f_ref);                                                                           \
        free(f_par);                                                                           \
        free(scratch);                                                                         \
    }

#define RUN_FACTORS(DIM, T, FLT)                                                                   \
    static void run_factors_##DIM##_##T(const struct omreg_backend *b, int brute, const FLT *s,    \
                                        const FLT *m, const size_t *shape, size_t radius,          \
                                        double *scratch, int nbuf, FLT *f)                         \
    {                                                                                              \
        if (brute)                                                                                 \
            b->precompute_cc_factors_brute_##DIM##d_##T(nbuf, s, m, shape, radius, f);             \
        else                                                                                       \
            SLIDING_##DIM(b, T, s, m, shape, radius, scratch, nbuf, f);                            \
    }
#define SLIDING_2(b, T, s, m, shape, radius, scratch, nbuf, f)                                     \
    b->precompute_cc_factors_2d_##T(nbuf, s, m, shape, radius, scratch, f)
#define SLIDING_3(b, T, s, m, shape, radius, scratch, nbuf, f)                                     \
    b->precompute_cc_factors_3d_##T(nbuf, s, m, shape, radius, scratch, f)
RUN_FACTORS(2, f64, double)
RUN_FACTORS(2, f32, float)
RUN_FACTORS(3, f64, double)
RUN_FACTORS(3, f32, float)

static const size_t wide2[2] = {3, 40};      /* radius 5 > rows */
static const size_t tiny3[3] = {3, 4, 2};    /* radius 6 > every axis */
static const size_t onerow3[3] = {7, 1, 12}; /* one row */
static const size_t onecol3[3] = {9, 8, 1};  /* one column */

FACTORS_CASE(factors_2d_f64_r1, double, f64, 2, shape2, 1)
FACTORS_CASE(factors_2d_f64_r4, double, f64, 2, shape2, 4)
FACTORS_CASE(factors_2d_f32_r4, float, f32, 2, shape2, 4)
FACTORS_CASE(factors_2d_f32_wide, float, f32, 2, wide2, 5)
FACTORS_CASE(factors_3d_f64_r0, double, f64, 3, shape3, 0)
FACTORS_CASE(factors_3d_f64_r2, double, f64, 3, shape3, 2)
FACTORS_CASE(factors_3d_f32_r2, float, f32, 3, shape3, 2)
FACTORS_CASE(factors_3d_f32_r4, float, f32, 3, shape3, 4)
FACTORS_CASE(factors_3d_f64_tiny, double, f64, 3, tiny3, 6)
FACTORS_CASE(factors_3d_f32_onerow, float, f32, 3, onerow3, 3)
FACTORS_CASE(factors_3d_f64_onecol, double, f64, 3, onecol3, 2)

/* ---- steps -------------------------------------------------------------- */

#define STEP_CASE(NAME, FLT, T, DIM, SHAPE, RADIUS)                                                \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t n = omreg_eq_voxels(DIM, SHAPE), nf = 5 * n, ng = (size_t)(DIM)*n;            \
        const size_t nblocks = omreg_cc_step_blocks(DIM, SHAPE);                                   \
        FLT *s = omreg_test_alloc(n, sizeof(FLT)), *m = omreg_test_alloc(n, sizeof(FLT));          \
        FILL_IMAGES(T, FLT, DIM, SHAPE, s, m, n);                                                  \
        FLT *f = omreg_test_alloc(nf, sizeof(FLT)), *g = omreg_test_alloc(ng, sizeof(FLT));        \
        ref->precompute_cc_factors_brute_##DIM##d_##T(1, s, m, SHAPE, RADIUS, f);                  \
        omreg_test_fill_uniform_##T(g, ng, 503, -2.0, 2.0);                                        \
        FLT *o_ref = omreg_test_alloc(ng, sizeof(FLT)),                                            \
            *o_par = omreg_test_alloc(ng, sizeof(FLT));                                            \
        double *scratch = omreg_test_alloc(nblocks, sizeof(double));                               \
        double e_ref, e_par;                                                                       \
        for (int dir = 0; dir < 2; ++dir) {                                                        \
            omreg_compute_cc_forward_step_##DIM##d_##T##_fn *step[2][2] = {                        \
                {ref->compute_cc_forward_step_##DIM##d_##T,                                        \
                 par->compute_cc_forward_step_##DIM##d_##T},                                       \
                {ref->compute_cc_backward_step_##DIM##d_##T,                                       \
                 par->compute_cc_backward_step_##DIM##d_##T}};                                     \
            const char *what = dir ? #NAME " backward" : #NAME " forward";                         \
            omreg_eq eq = {0};                                                                     \
            omreg_eq_output(&eq, what, o_ref, o_par, ng);                                          \
            omreg_eq_output(&eq, what, &e_ref, &e_par, 1);                                         \
            omreg_eq_scratch(&eq, scratch, nblocks * sizeof(double));                              \
            omreg_eq_reference(&eq);                                                               \
            step[dir][0](1, g, f, SHAPE, RADIUS, scratch, o_ref, &e_ref);                          \
            assert_true(e_ref < 0); /* some voxels contribute */                                   \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                step[dir][1](omreg_backend_threads(par, 0), g, f, SHAPE, RADIUS, scratch, o_par,   \
                             &e_par);                                                              \
            }                                                                                      \
        }                                                                                          \
        free(s);                                                                                   \
        free(m);                                                                                   \
        free(f);                                                                                   \
        free(g);                                                                                   \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
        free(scratch);                                                                             \
    }

STEP_CASE(steps_2d_f64, double, f64, 2, shape2, 2)
STEP_CASE(steps_2d_f32, float, f32, 2, shape2, 4)
STEP_CASE(steps_3d_f64, double, f64, 3, shape3, 1)
STEP_CASE(steps_3d_f32, float, f32, 3, shape3, 2)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(factors_2d_f64_r1),
        cmocka_unit_test(factors_2d_f64_r4),
        cmocka_unit_test(factors_2d_f32_r4),
        cmocka_unit_test(factors_2d_f32_wide),
        cmocka_unit_test(factors_3d_f64_r0),
        cmocka_unit_test(factors_3d_f64_r2),
        cmocka_unit_test(factors_3d_f32_r2),
        cmocka_unit_test(factors_3d_f32_r4),
        cmocka_unit_test(factors_3d_f64_tiny),
        cmocka_unit_test(factors_3d_f32_onerow),
        cmocka_unit_test(factors_3d_f64_onecol),
        cmocka_unit_test(steps_2d_f64),
        cmocka_unit_test(steps_2d_f32),
        cmocka_unit_test(steps_3d_f64),
        cmocka_unit_test(steps_3d_f32),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
