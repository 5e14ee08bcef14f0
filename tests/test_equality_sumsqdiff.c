/* Parallel vs reference, bitwise, for the SSD kernels
 * (kernels_sumsqdiff.h) and the V-cycle driven through either table:
 * energy, demons step with its energy, residual with its norm, red-black
 * and lexicographic (DIPY's order, wavefronts in parallel) Gauss-Seidel
 * sweeps with their maximum change, field addition, and whole V-cycles in
 * either order; 2D and 3D, float64 and float32. Each parallel kernel runs twice
 * (tests/support/equality.h)
 * and both runs must equal the reference bytes; ctest runs this binary over
 * the thread x schedule matrix (MATRIX), so equality with the reference
 * also proves thread/schedule independence.
 * Sizes: 2D 97x83 (97 reduction rows), 3D 24x26x28 (624 rows), above the
 * kernels' one-thread threshold (4096 voxels), random inputs so the row
 * partials all differ: a race in the sweep (a voxel read while its
 * neighbour is written), a missing barrier between the two colours or
 * between two wavefronts (tiles of 8 x 32 cells in 2D, 13 x 3 of them
 * here; of 8 x 8 grid rows in 3D, 3 x 4), a tile read before its
 * predecessor is done, or
 * any other combination order of the partials changes the bits. The
 * systems: SSD (sigmasq, target NULL), EM-like (a variance with inf and 0
 * entries, a target) and near-singular 3x3 solves (tiny lambda).
 * NaN policy: inputs are finite (sigmasq's inf entries excepted); outputs
 * are compared as bytes. */
#include "equality.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/image.h"
#include "omreg/sumsqdiff.h"

static const size_t shape2[2] = {97, 83};
static const size_t shape3[3] = {24, 26, 28};

/* The inputs of one (dim, dtype): delta, a variance with inf and 0 entries,
 * a near-singular variance (with lambda 2e-10), gradient, target, start. */
#define INPUTS(FLT, T, DIM, SHAPE)                                                              \
    const size_t n = omreg_eq_voxels(DIM, SHAPE), nf = n * DIM;                                \
    const size_t nrows = omreg_ssd_rows(DIM, SHAPE);                                           \
    FLT *delta = omreg_test_alloc(n, sizeof(FLT)), *sig = omreg_test_alloc(n, sizeof(FLT));    \
    FLT *sig_tiny = omreg_test_alloc(n, sizeof(FLT));                                          \
    FLT *grad = omreg_test_alloc(nf, sizeof(FLT)), *target = omreg_test_alloc(nf, sizeof(FLT)); \
    FLT *start = omreg_test_alloc(nf, sizeof(FLT));                                            \
    omreg_test_fill_uniform_##T(delta, n, 601, -3.0, 3.0);                                     \
    omreg_test_fill_uniform_##T(sig, n, 602, 0.3, 3.0);                                        \
    for (size_t v = 0; v < n; v += 11)                                                         \
        sig[v] = (v / 11) % 2 ? (FLT)INFINITY : 0;                                             \
    omreg_test_fill_uniform_##T(sig_tiny, n, 603, 0.2, 5.0);                                   \
    omreg_test_fill_uniform_##T(grad, nf, 604, -2.0, 2.0);                                     \
    for (size_t v = 0; v < n / 20; ++v) /* a flat patch: zero gradient */                     \
        for (int c = 0; c < DIM; ++c)                                                          \
            grad[(size_t)DIM * v + c] = 0;                                                     \
    omreg_test_fill_uniform_##T(target, nf, 605, -1.0, 1.0);                                   \
    omreg_test_fill_uniform_##T(start, nf, 606, -0.8, 0.8);                                    \
    FLT *o_ref = omreg_test_alloc(nf, sizeof(FLT)), *o_par = omreg_test_alloc(nf, sizeof(FLT)); \
    double *scratch = omreg_test_alloc(nrows * OMREG_SSD_SCRATCH_PER_ROW, sizeof(double))

#define FREE_INPUTS()                                                                          \
    free(delta);                                                                               \
    free(sig);                                                                                 \
    free(sig_tiny);                                                                            \
    free(grad);                                                                                \
    free(target);                                                                              \
    free(start);                                                                               \
    free(o_ref);                                                                               \
    free(o_par);                                                                               \
    free(scratch)

/* ---- energy, demons, addition ------------------------------------------- */

#define POINTWISE_CASE(NAME, FLT, T, DIM, SHAPE, ENERGY, DEMONS, ADD)                              \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        INPUTS(FLT, T, DIM, SHAPE);                                                                \
        double e_ref, e_par;                                                                       \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #ENERGY, &e_ref, &e_par, 1);                                          \
        omreg_eq_scratch(&eq, scratch, nrows * sizeof(double));                                    \
        omreg_eq_reference(&eq);                                                                   \
        ref->ENERGY(omreg_backend_threads(ref, 0), delta, SHAPE, scratch, &e_ref);                 \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->ENERGY(omreg_backend_threads(par, 0), delta, SHAPE, scratch, &e_par);             \
        }                                                                                          \
        omreg_eq eq2 = {0};                                                                        \
        omreg_eq_output(&eq2, #DEMONS " field", o_ref, o_par, nf);                                 \
        omreg_eq_output(&eq2, #DEMONS " energy", &e_ref, &e_par, 1);                               \
        omreg_eq_reference(&eq2);                                                                  \
        ref->DEMONS(omreg_backend_threads(ref, 0), delta, grad, SHAPE, 1.37, o_ref, scratch,       \
                    &e_ref);                                                                       \
        OMREG_EQ_PARALLEL(&eq2)                                                                    \
        {                                                                                          \
            par->DEMONS(omreg_backend_threads(par, 0), delta, grad, SHAPE, 1.37, o_par, scratch,   \
                        &e_par);                                                                   \
        }                                                                                          \
        omreg_eq eq3 = {0};                                                                        \
        omreg_eq_inout(&eq3, #ADD, o_ref, o_par, start, nf);                                       \
        omreg_eq_reference(&eq3);                                                                  \
        ref->ADD(omreg_backend_threads(ref, 0), o_ref, target, nf);                                \
        OMREG_EQ_PARALLEL(&eq3)                                                                    \
        {                                                                                          \
            par->ADD(omreg_backend_threads(par, 0), o_par, target, nf);                            \
        }                                                                                          \
        FREE_INPUTS();                                                                             \
    }

POINTWISE_CASE(pointwise_2d_f64, double, f64, 2, shape2, compute_energy_ssd_2d_f64,
               compute_ssd_demons_step_2d_f64, add_f64)
POINTWISE_CASE(pointwise_2d_f32, float, f32, 2, shape2, compute_energy_ssd_2d_f32,
               compute_ssd_demons_step_2d_f32, add_f32)
POINTWISE_CASE(pointwise_3d_f64, double, f64, 3, shape3, compute_energy_ssd_3d_f64,
               compute_ssd_demons_step_3d_f64, add_f64)
POINTWISE_CASE(pointwise_3d_f32, float, f32, 3, shape3, compute_energy_ssd_3d_f32,
               compute_ssd_demons_step_3d_f32, add_f32)

/* ---- residual and sweeps --------------------------------------------------- */

#define SYSTEM_CASE(NAME, FLT, T, DIM, SHAPE, RESIDUAL, ITERATE, ITERATE_LEX)                      \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        INPUTS(FLT, T, DIM, SHAPE);                                                                \
        /* SSD, EM-like, near-singular */                                                          \
        const FLT *sigs[3] = {NULL, sig, sig_tiny}, *tgts[3] = {NULL, target, NULL};               \
        const double lambdas[3] = {4.0, 1.5, 2e-10};                                               \
        char what[96];                                                                             \
        for (int c = 0; c < 3; ++c) {                                                              \
            double s_ref, s_par;                                                                   \
            snprintf(what, sizeof what, "%s case %d", #RESIDUAL, c);                               \
            omreg_eq eq = {0};                                                                     \
            omreg_eq_output(&eq, what, o_ref, o_par, nf);                                          \
            omreg_eq_output(&eq, what, &s_ref, &s_par, 1);                                         \
            omreg_eq_scratch(&eq, scratch, nrows * sizeof(double));                                \
            omreg_eq_reference(&eq);                                                               \
            ref->RESIDUAL(omreg_backend_threads(ref, 0), delta, sigs[c], grad, tgts[c], SHAPE,     \
                          lambdas[c], start, o_ref, scratch, &s_ref);                              \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->RESIDUAL(omreg_backend_threads(par, 0), delta, sigs[c], grad, tgts[c], SHAPE, \
                              lambdas[c], start, o_par, scratch, &s_par);                          \
                OMREG_EQ_SAME(T, what, o_par, o_ref, nf);                                          \
                /* without the norm (scratch NULL): the same field */                              \
                omreg_eq_poison(o_par, nf * sizeof(FLT), 0xA5);                                    \
                par->RESIDUAL(omreg_backend_threads(par, 0), delta, sigs[c], grad, tgts[c], SHAPE, \
                              lambdas[c], start, o_par, NULL, NULL);                               \
            }                                                                                      \
            /* three sweeps in a row, compared after each: red-black, then DIPY's order    \
             * (the reference's raster loop against the parallel wavefronts) */               \
            omreg_##ITERATE##_fn *const rsweep[2] = {ref->ITERATE, ref->ITERATE_LEX};             \
            omreg_##ITERATE##_fn *const psweep[2] = {par->ITERATE, par->ITERATE_LEX};             \
            static const char *const sname[2] = {#ITERATE, #ITERATE_LEX};                          \
            for (int run = 0; run < 2 * OMREG_EQ_RUNS; ++run) {                                    \
                const int o = run / OMREG_EQ_RUNS;                                                 \
                memcpy(o_ref, start, nf * sizeof(FLT));                                            \
                memcpy(o_par, start, nf * sizeof(FLT));                                            \
                for (int it = 0; it < 3; ++it) {                                                   \
                    double m_ref, m_par;                                                           \
                    rsweep[o](omreg_backend_threads(ref, 0), delta, sigs[c], grad, tgts[c],        \
                              SHAPE, lambdas[c], o_ref, scratch, &m_ref);                          \
                    omreg_eq_poison(scratch, nrows * sizeof(double), 0xA5);                        \
                    psweep[o](omreg_backend_threads(par, 0), delta, sigs[c], grad, tgts[c],        \
                              SHAPE, lambdas[c], o_par, scratch, &m_par);                          \
                    snprintf(what, sizeof what, "%s case %d sweep %d", sname[o], c, it);           \
                    OMREG_EQ_SAME(T, what, o_par, o_ref, nf);                                      \
                    OMREG_EQ_SAME(f64, what, &m_par, &m_ref, 1);                                   \
                    assert_true(m_ref > 0);                                                        \
                }                                                                                  \
            }                                                                                      \
        }                                                                                          \
        FREE_INPUTS();                                                                             \
    }

SYSTEM_CASE(system_2d_f64, double, f64, 2, shape2,
            compute_residual_displacement_field_ssd_2d_f64,
            iterate_residual_displacement_field_ssd_2d_f64,
            iterate_residual_displacement_field_ssd_lex_2d_f64)
SYSTEM_CASE(system_2d_f32, float, f32, 2, shape2,
            compute_residual_displacement_field_ssd_2d_f32,
            iterate_residual_displacement_field_ssd_2d_f32,
            iterate_residual_displacement_field_ssd_lex_2d_f32)
SYSTEM_CASE(system_3d_f64, double, f64, 3, shape3,
            compute_residual_displacement_field_ssd_3d_f64,
            iterate_residual_displacement_field_ssd_3d_f64,
            iterate_residual_displacement_field_ssd_lex_3d_f64)
SYSTEM_CASE(system_3d_f32, float, f32, 3, shape3,
            compute_residual_displacement_field_ssd_3d_f32,
            iterate_residual_displacement_field_ssd_3d_f32,
            iterate_residual_displacement_field_ssd_lex_3d_f32)

/* ---- whole V-cycles through either table -------------------------------------- */

static omreg_image *wrap(void *data, int dim, const size_t *shape, int ncomp, omreg_dtype dt)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_wrap(&img, data, dim, shape, ncomp, dt, NULL), OMREG_OK);
    return img;
}

#define VCYCLE_CASE(NAME, FLT, T, DIM, SHAPE, DT)                                               \
    static void NAME(void **state)                                                             \
    {                                                                                          \
        (void)state;                                                                           \
        INPUTS(FLT, T, DIM, SHAPE);                                                            \
        omreg_image *D = wrap(delta, DIM, SHAPE, 1, DT), *S = wrap(sig, DIM, SHAPE, 1, DT);    \
        omreg_image *G = wrap(grad, DIM, SHAPE, DIM, DT);                                      \
        omreg_image *TG = wrap(target, DIM, SHAPE, DIM, DT);                                   \
        omreg_image *U_ref = wrap(o_ref, DIM, SHAPE, DIM, DT);                                 \
        omreg_image *U_par = wrap(o_par, DIM, SHAPE, DIM, DT);                                 \
        FLT *zero = omreg_test_alloc(nf, sizeof(FLT));                                         \
        omreg_ssd_workspace *ws = NULL;                                                        \
        assert_int_equal(omreg_ssd_workspace_create(&ws, DIM, SHAPE, DT, 3, true), OMREG_OK);  \
        for (int q = 0; q < 4; ++q) {                                                          \
            /* SSDMetric's call (from zero), then an EM-like one from a start; each in      \
             * DIPY's order and red-black */                                                   \
            const int c = q % 2;                                                               \
            const omreg_ssd_order order =                                                      \
                q < 2 ? OMREG_SSD_ORDER_LEXICOGRAPHIC : OMREG_SSD_ORDER_RED_BLACK;             \
            const omreg_image *s = c ? S : NULL, *tg = c ? TG : NULL;                          \
            double e_ref, e_par;                                                               \
            omreg_eq eq = {0};                                                                 \
            omreg_eq_inout(&eq, "V-cycle", o_ref, o_par, c ? start : zero, nf);                \
            omreg_eq_output(&eq, "V-cycle energy", &e_ref, &e_par, 1);                         \
            omreg_eq_reference(&eq);                                                           \
            assert_int_equal(                                                                  \
                omreg_ssd_v_cycle(ref, order, 3, 3, D, s, G, tg, 2.0, U_ref, ws, &e_ref),      \
                OMREG_OK);                                                                     \
            OMREG_EQ_PARALLEL(&eq) {                                                           \
                assert_int_equal(                                                              \
                    omreg_ssd_v_cycle(par, order, 3, 3, D, s, G, tg, 2.0, U_par, ws, &e_par),  \
                    OMREG_OK);                                                                 \
            }                                                                                  \
        }                                                                                      \
        omreg_ssd_workspace_free(ws);                                                          \
        free(zero);                                                                            \
        omreg_image_free(D);                                                                   \
        omreg_image_free(S);                                                                   \
        omreg_image_free(G);                                                                   \
        omreg_image_free(TG);                                                                  \
        omreg_image_free(U_ref);                                                               \
        omreg_image_free(U_par);                                                               \
        FREE_INPUTS();                                                                         \
    }

VCYCLE_CASE(vcycle_2d_f64, double, f64, 2, shape2, OMREG_F64)
VCYCLE_CASE(vcycle_2d_f32, float, f32, 2, shape2, OMREG_F32)
VCYCLE_CASE(vcycle_3d_f64, double, f64, 3, shape3, OMREG_F64)
VCYCLE_CASE(vcycle_3d_f32, float, f32, 3, shape3, OMREG_F32)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(pointwise_2d_f64),
        cmocka_unit_test(pointwise_2d_f32),
        cmocka_unit_test(pointwise_3d_f64),
        cmocka_unit_test(pointwise_3d_f32),
        cmocka_unit_test(system_2d_f64),
        cmocka_unit_test(system_2d_f32),
        cmocka_unit_test(system_3d_f64),
        cmocka_unit_test(system_3d_f32),
        cmocka_unit_test(vcycle_2d_f64),
        cmocka_unit_test(vcycle_2d_f32),
        cmocka_unit_test(vcycle_3d_f64),
        cmocka_unit_test(vcycle_3d_f32),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
