/* Parallel vs reference, bitwise, for the SSD kernels
 * (kernels_sumsqdiff.h) and the V-cycle driven through either table:
 * energy, demons step with its energy, residual with its norm, red-black
 * Gauss-Seidel sweeps with their maximum change, field addition, and whole
 * V-cycles; 2D and 3D, float64 and float32. Each parallel kernel runs twice
 * and both runs must equal the reference bytes; ctest runs this binary over
 * the thread x schedule matrix (MATRIX), so equality with the reference
 * also proves thread/schedule independence.
 * Sizes: 2D 97x83 (97 reduction rows), 3D 24x26x28 (624 rows), above the
 * kernels' one-thread threshold (4096 voxels), random inputs so the row
 * partials all differ: a race in the sweep (a voxel read while its
 * neighbour is written), a missing barrier between the two colours, or
 * any other combination order of the partials changes the bits. The
 * systems: SSD (sigmasq, target NULL), EM-like (a variance with inf and 0
 * entries, a target) and near-singular 3x3 solves (tiny lambda).
 * NaN policy: inputs are finite (sigmasq's inf entries excepted); outputs
 * are compared as bytes. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "omreg/image.h"
#include "omreg/sumsqdiff.h"

static const struct omreg_backend *ref, *par;

static const size_t shape2[2] = {97, 83};
static const size_t shape3[3] = {24, 26, 28};

static int setup(void **state)
{
    (void)state;
    ref = omreg_backend_reference();
    par = omreg_backend_parallel();
    return 0;
}

static size_t voxels(int dim, const size_t *shape)
{
    size_t n = 1;
    for (int d = 0; d < dim; ++d)
        n *= shape[d];
    return n;
}

#define SAME(T, what, a, b, n) assert_true(omreg_test_same_##T(what, a, b, n))

/* The inputs of one (dim, dtype): delta, a variance with inf and 0 entries,
 * a near-singular variance (with lambda 2e-10), gradient, target, start. */
#define INPUTS(FLT, T, DIM, SHAPE)                                                              \
    const size_t n = voxels(DIM, SHAPE), nf = n * DIM, nrows = omreg_ssd_rows(DIM, SHAPE);     \
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

#define POINTWISE_CASE(NAME, FLT, T, DIM, SHAPE, ENERGY, DEMONS, ADD)                           \
    static void NAME(void **state)                                                             \
    {                                                                                          \
        (void)state;                                                                           \
        INPUTS(FLT, T, DIM, SHAPE);                                                            \
        double e_ref, e_par;                                                                   \
        ref->ENERGY(delta, SHAPE, scratch, &e_ref);                                            \
        for (int run = 0; run < 2; ++run) {                                                    \
            memset(scratch, 0xA5, nrows * sizeof(double));                                     \
            par->ENERGY(delta, SHAPE, scratch, &e_par);                                        \
            SAME(f64, #ENERGY, &e_par, &e_ref, 1);                                             \
        }                                                                                      \
        ref->DEMONS(delta, grad, SHAPE, 1.37, o_ref, scratch, &e_ref);                         \
        for (int run = 0; run < 2; ++run) {                                                    \
            memset(o_par, 0xA5, nf * sizeof(FLT));                                             \
            par->DEMONS(delta, grad, SHAPE, 1.37, o_par, scratch, &e_par);                     \
            SAME(T, #DEMONS " field", o_par, o_ref, nf);                                       \
            SAME(f64, #DEMONS " energy", &e_par, &e_ref, 1);                                   \
        }                                                                                      \
        memcpy(o_ref, start, nf * sizeof(FLT));                                                \
        ref->ADD(o_ref, target, nf);                                                           \
        for (int run = 0; run < 2; ++run) {                                                    \
            memcpy(o_par, start, nf * sizeof(FLT));                                            \
            par->ADD(o_par, target, nf);                                                       \
            SAME(T, #ADD, o_par, o_ref, nf);                                                   \
        }                                                                                      \
        FREE_INPUTS();                                                                         \
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

#define SYSTEM_CASE(NAME, FLT, T, DIM, SHAPE, RESIDUAL, ITERATE)                                \
    static void NAME(void **state)                                                             \
    {                                                                                          \
        (void)state;                                                                           \
        INPUTS(FLT, T, DIM, SHAPE);                                                            \
        /* SSD, EM-like, near-singular */                                                      \
        const FLT *sigs[3] = {NULL, sig, sig_tiny}, *tgts[3] = {NULL, target, NULL};           \
        const double lambdas[3] = {4.0, 1.5, 2e-10};                                           \
        char what[96];                                                                         \
        for (int c = 0; c < 3; ++c) {                                                          \
            double s_ref, s_par;                                                               \
            ref->RESIDUAL(delta, sigs[c], grad, tgts[c], SHAPE, lambdas[c], start, o_ref,      \
                          scratch, &s_ref);                                                    \
            for (int run = 0; run < 2; ++run) {                                                \
                memset(o_par, 0xA5, nf * sizeof(FLT));                                         \
                memset(scratch, 0xA5, nrows * sizeof(double));                                 \
                par->RESIDUAL(delta, sigs[c], grad, tgts[c], SHAPE, lambdas[c], start, o_par,  \
                              scratch, &s_par);                                                \
                snprintf(what, sizeof what, "%s case %d", #RESIDUAL, c);                       \
                SAME(T, what, o_par, o_ref, nf);                                               \
                SAME(f64, what, &s_par, &s_ref, 1);                                            \
                /* without the norm (scratch NULL): the same field */                      \
                memset(o_par, 0xA5, nf * sizeof(FLT));                                         \
                par->RESIDUAL(delta, sigs[c], grad, tgts[c], SHAPE, lambdas[c], start, o_par,  \
                              NULL, NULL);                                                     \
                SAME(T, what, o_par, o_ref, nf);                                               \
            }                                                                                  \
            /* three sweeps in a row, compared after each */                                   \
            memcpy(o_ref, start, nf * sizeof(FLT));                                            \
            for (int run = 0; run < 2; ++run) {                                                \
                memcpy(o_ref, start, nf * sizeof(FLT));                                        \
                memcpy(o_par, start, nf * sizeof(FLT));                                        \
                for (int it = 0; it < 3; ++it) {                                               \
                    double m_ref, m_par;                                                       \
                    ref->ITERATE(delta, sigs[c], grad, tgts[c], SHAPE, lambdas[c], o_ref,      \
                                 scratch, &m_ref);                                             \
                    memset(scratch, 0xA5, nrows * sizeof(double));                             \
                    par->ITERATE(delta, sigs[c], grad, tgts[c], SHAPE, lambdas[c], o_par,      \
                                 scratch, &m_par);                                             \
                    snprintf(what, sizeof what, "%s case %d sweep %d", #ITERATE, c, it);       \
                    SAME(T, what, o_par, o_ref, nf);                                           \
                    SAME(f64, what, &m_par, &m_ref, 1);                                        \
                    assert_true(m_ref > 0);                                                    \
                }                                                                              \
            }                                                                                  \
        }                                                                                      \
        FREE_INPUTS();                                                                         \
    }

SYSTEM_CASE(system_2d_f64, double, f64, 2, shape2,
            compute_residual_displacement_field_ssd_2d_f64,
            iterate_residual_displacement_field_ssd_2d_f64)
SYSTEM_CASE(system_2d_f32, float, f32, 2, shape2,
            compute_residual_displacement_field_ssd_2d_f32,
            iterate_residual_displacement_field_ssd_2d_f32)
SYSTEM_CASE(system_3d_f64, double, f64, 3, shape3,
            compute_residual_displacement_field_ssd_3d_f64,
            iterate_residual_displacement_field_ssd_3d_f64)
SYSTEM_CASE(system_3d_f32, float, f32, 3, shape3,
            compute_residual_displacement_field_ssd_3d_f32,
            iterate_residual_displacement_field_ssd_3d_f32)

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
        omreg_ssd_workspace *ws = NULL;                                                        \
        assert_int_equal(omreg_ssd_workspace_create(&ws, DIM, SHAPE, DT, 3, true), OMREG_OK);  \
        for (int c = 0; c < 2; ++c) {                                                          \
            /* SSDMetric's call (from zero), then an EM-like one from a start */              \
            const omreg_image *s = c ? S : NULL, *tg = c ? TG : NULL;                          \
            double e_ref, e_par;                                                               \
            if (c)                                                                             \
                memcpy(o_ref, start, nf * sizeof(FLT));                                        \
            else                                                                               \
                memset(o_ref, 0, nf * sizeof(FLT));                                            \
            assert_int_equal(omreg_ssd_v_cycle(ref, 3, 3, D, s, G, tg, 2.0, U_ref, ws, &e_ref), \
                             OMREG_OK);                                                        \
            for (int run = 0; run < 2; ++run) {                                                \
                if (c)                                                                         \
                    memcpy(o_par, start, nf * sizeof(FLT));                                    \
                else                                                                           \
                    memset(o_par, 0, nf * sizeof(FLT));                                        \
                assert_int_equal(                                                              \
                    omreg_ssd_v_cycle(par, 3, 3, D, s, G, tg, 2.0, U_par, ws, &e_par),         \
                    OMREG_OK);                                                                 \
                SAME(T, "V-cycle", o_par, o_ref, nf);                                          \
                SAME(f64, "V-cycle energy", &e_par, &e_ref, 1);                                \
            }                                                                                  \
        }                                                                                      \
        omreg_ssd_workspace_free(ws);                                                          \
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
    return cmocka_run_group_tests(tests, setup, NULL);
}
