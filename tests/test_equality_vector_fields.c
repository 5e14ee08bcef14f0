/* Parallel vs reference, bitwise, for the displacement-field kernels
 * (kernels_vector_fields.h): composition with its statistics, the
 * inversion residual (with its canonical-order sum) and step, the whole
 * fixed-point inversion driven through either table, simplification and
 * reorientation; 2D and 3D, float64 and float32. Each parallel kernel runs
 * twice and both runs must equal the reference bytes; ctest runs this
 * binary over the thread x schedule matrix (MATRIX), so equality with the
 * reference also proves thread/schedule independence.
 * Sizes: 3D 24x26x27 (624 reduction rows; rows of 27 leave a scalar tail at
 * every vector width), 2D 97x83, random displacements
 * of several voxels so that part of every field lands outside the other
 * grid and the row partials are all different: a race or any other
 * combination order of the partials changes the bits.
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "equality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/image.h"
#include "omreg/vector_fields.h"

static const size_t shape2a[2] = {97, 83}, shape2b[2] = {89, 101};
static const size_t shape3a[3] = {24, 26, 27}, shape3b[3] = {23, 27, 25};

/* oblique affines with translations (grid-to-grid maps) */
static const double aff2a[9] = {0.95, 0.12, 1.5, -0.08, 1.05, -2.0, 0, 0, 1};
static const double aff2b[9] = {1.1, -0.2, 0.3, 0.15, 0.9, 0.7, 0, 0, 1};
static const double aff2c[9] = {0.8, 0.1, -4.0, 0.05, 1.2, 3.0, 0, 0, 1};
static const double aff3a[16] = {0.97, 0.05, -0.1, 1.0, -0.04, 1.02, 0.08, -1.5,
                                 0.06, -0.07, 0.95, 0.5, 0, 0, 0, 1};
static const double aff3b[16] = {1.1, -0.15, 0.05, 0.2, 0.1, 0.9, -0.2, 0.4,
                                 -0.05, 0.12, 1.05, -0.3, 0, 0, 0, 1};
static const double aff3c[16] = {0.9, 0.1, 0.0, -2.0, 0.0, 1.1, 0.1, 2.5,
                                 0.1, 0.0, 0.85, 1.0, 0, 0, 0, 1};

/* ---- composition -------------------------------------------------------- */

#define COMPOSE_CASE(NAME, FLT, T, DIM, SA, SB, AFF_A, AFF_B, SLOT)                                \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t n1 = omreg_eq_voxels(DIM, SA) * DIM, n2 = omreg_eq_voxels(DIM, SB) * DIM;     \
        const size_t nrows = omreg_vf_rows(DIM, SA);                                               \
        FLT *d1 = omreg_test_alloc(n1, sizeof(FLT));                                               \
        FLT *d2 = omreg_test_alloc(n2, sizeof(FLT));                                               \
        omreg_test_fill_uniform_##T(d1, n1, 101, -4.0, 4.0);                                       \
        omreg_test_fill_uniform_##T(d2, n2, 102, -3.0, 3.0);                                       \
        FLT *c_ref = omreg_test_alloc(n1, sizeof(FLT));                                            \
        FLT *c_par = omreg_test_alloc(n1, sizeof(FLT));                                            \
        double *scratch = omreg_test_alloc(nrows * OMREG_COMPOSE_SCRATCH_PER_ROW, sizeof(double)); \
        double s_ref[3], s_par[3];                                                                 \
        /* with both premultiplications, then SyN's (None, B), then (None, None) */                \
        const double *As[3] = {AFF_A, NULL, NULL}, *Bs[3] = {AFF_B, AFF_B, NULL};                  \
        for (int c = 0; c < 3; ++c) {                                                              \
            const size_t *s2 = c == 0 ? SB : SA;                                                   \
            omreg_eq eq = {0};                                                                     \
            omreg_eq_output(&eq, #SLOT " field", c_ref, c_par, n1);                                \
            omreg_eq_output(&eq, #SLOT " stats", s_ref, s_par, 3);                                 \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), d1, SA, c == 0 ? d2 : d1, s2, As[c], Bs[c],   \
                      0.8, c_ref, scratch, s_ref);                                                 \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), d1, SA, c == 0 ? d2 : d1, s2, As[c],      \
                          Bs[c], 0.8, c_par, scratch, s_par);                                      \
            }                                                                                      \
        }                                                                                          \
        /* in place (comp == d1): each voxel reads d1 only before writing it */                    \
        memcpy(c_par, d1, n1 * sizeof(FLT));                                                       \
        par->SLOT(omreg_backend_threads(par, 0), c_par, SA, d2, SB, AFF_A, AFF_B, 0.8, c_par,      \
                  scratch, s_par);                                                                 \
        ref->SLOT(omreg_backend_threads(ref, 0), d1, SA, d2, SB, AFF_A, AFF_B, 0.8, c_ref,         \
                  scratch, s_ref);                                                                 \
        OMREG_EQ_SAME(T, #SLOT " in place", c_par, c_ref, n1);                                     \
        OMREG_EQ_SAME(f64, #SLOT " in place stats", s_par, s_ref, 3);                              \
        free(d1);                                                                                  \
        free(d2);                                                                                  \
        free(c_ref);                                                                               \
        free(c_par);                                                                               \
        free(scratch);                                                                             \
    }

COMPOSE_CASE(compose_2d_f64, double, f64, 2, shape2a, shape2b, aff2a, aff2b,
             compose_vector_fields_2d_f64)
COMPOSE_CASE(compose_2d_f32, float, f32, 2, shape2a, shape2b, aff2a, aff2b,
             compose_vector_fields_2d_f32)
COMPOSE_CASE(compose_3d_f64, double, f64, 3, shape3a, shape3b, aff3a, aff3b,
             compose_vector_fields_3d_f64)
COMPOSE_CASE(compose_3d_f32, float, f32, 3, shape3a, shape3b, aff3a, aff3b,
             compose_vector_fields_3d_f32)

/* ---- inversion passes ---------------------------------------------------- */

#define INVERT_PASSES_CASE(NAME, FLT, T, DIM, SA, W2G, RESIDUAL, STEP)                             \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t n = omreg_eq_voxels(DIM, SA) * DIM, nrows = omreg_vf_rows(DIM, SA);           \
        const double spacing[3] = {1.3, 0.8, 1.1};                                                 \
        FLT *d = omreg_test_alloc(n, sizeof(FLT));                                                 \
        FLT *p = omreg_test_alloc(n, sizeof(FLT));                                                 \
        omreg_test_fill_uniform_##T(d, n, 201, -2.5, 2.5);                                         \
        omreg_test_fill_uniform_##T(p, n, 202, -2.0, 2.0);                                         \
        FLT *q_ref = omreg_test_alloc(n, sizeof(FLT));                                             \
        FLT *q_par = omreg_test_alloc(n, sizeof(FLT));                                             \
        FLT *p_ref = omreg_test_alloc(n, sizeof(FLT));                                             \
        FLT *p_par = omreg_test_alloc(n, sizeof(FLT));                                             \
        double *scratch = omreg_test_alloc(nrows * OMREG_INVERT_SCRATCH_PER_ROW, sizeof(double));  \
        double r_ref[2], r_par[2];                                                                 \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #RESIDUAL " q", q_ref, q_par, n);                                     \
        omreg_eq_output(&eq, #RESIDUAL " sum/max", r_ref, r_par, 2);                               \
        omreg_eq_inout(&eq, #STEP, p_ref, p_par, p, n);                                            \
        omreg_eq_reference(&eq);                                                                   \
        ref->RESIDUAL(omreg_backend_threads(ref, 0), d, SA, W2G, spacing, p, q_ref, scratch,       \
                      r_ref);                                                                      \
        ref->STEP(omreg_backend_threads(ref, 0), SA, spacing, 0.75, 0.75 * r_ref[1] * 0.6, q_ref,  \
                  p_ref);                                                                          \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->RESIDUAL(omreg_backend_threads(par, 0), d, SA, W2G, spacing, p, q_par, scratch,   \
                          r_par);                                                                  \
            par->STEP(omreg_backend_threads(par, 0), SA, spacing, 0.75, 0.75 * r_ref[1] * 0.6,     \
                      q_par, p_par);                                                               \
        }                                                                                          \
        free(d);                                                                                   \
        free(p);                                                                                   \
        free(q_ref);                                                                               \
        free(q_par);                                                                               \
        free(p_ref);                                                                               \
        free(p_par);                                                                               \
        free(scratch);                                                                             \
    }

INVERT_PASSES_CASE(invert_passes_2d_f64, double, f64, 2, shape2a, aff2c,
                   invert_vector_field_residual_2d_f64, invert_vector_field_step_2d_f64)
INVERT_PASSES_CASE(invert_passes_2d_f32, float, f32, 2, shape2a, aff2c,
                   invert_vector_field_residual_2d_f32, invert_vector_field_step_2d_f32)
INVERT_PASSES_CASE(invert_passes_3d_f64, double, f64, 3, shape3a, aff3c,
                   invert_vector_field_residual_3d_f64, invert_vector_field_step_3d_f64)
INVERT_PASSES_CASE(invert_passes_3d_f32, float, f32, 3, shape3a, aff3c,
                   invert_vector_field_residual_3d_f32, invert_vector_field_step_3d_f32)

/* ---- the whole inversion, driven through either table -------------------- */

static void invert_driver(int dim, omreg_dtype dt)
{
    const size_t *shape = dim == 2 ? shape2a : shape3a;
    const double spacing[3] = {1.3, 0.8, 1.1};
    const double *w2g = dim == 2 ? aff2c : aff3c;
    omreg_image *d = NULL;
    assert_int_equal(omreg_image_create(&d, dim, shape, dim, dt, NULL), OMREG_OK);
    const size_t n = omreg_eq_voxels(dim, shape) * (size_t)dim;
    /* a smooth-ish field: small enough that the iteration converges */
    if (dt == OMREG_F64)
        omreg_test_fill_uniform_f64(omreg_image_data(d), n, 301, -0.4, 0.4);
    else
        omreg_test_fill_uniform_f32(omreg_image_data(d), n, 301, -0.4, 0.4);
    omreg_image *i_ref = NULL, *i_par = NULL;
    omreg_invert_info f_ref, f_par;
    assert_int_equal(omreg_invert_vector_field_fixed_point(ref, d, w2g, spacing, 6, 1e-6, NULL,
                                                           &i_ref, &f_ref),
                     OMREG_OK);
    for (int run = 0; run < OMREG_EQ_RUNS; ++run) {
        assert_int_equal(omreg_invert_vector_field_fixed_point(par, d, w2g, spacing, 6, 1e-6,
                                                               NULL, &i_par, &f_par),
                         OMREG_OK);
        assert_int_equal(f_par.iterations, f_ref.iterations);
        OMREG_EQ_SAME(f64, "inversion error", &f_par.error, &f_ref.error, 1);
        if (dt == OMREG_F64)
            OMREG_EQ_SAME(f64, "inverse", omreg_image_cdata(i_par), omreg_image_cdata(i_ref),
                          n);
        else
            OMREG_EQ_SAME(f32, "inverse", omreg_image_cdata(i_par), omreg_image_cdata(i_ref),
                          n);
        omreg_image_free(i_par);
    }
    assert_true(f_ref.iterations >= 2); /* more than one residual/step round */
    omreg_image_free(i_ref);
    omreg_image_free(d);
}

static void invert_driver_2d_f64(void **state)
{
    (void)state;
    invert_driver(2, OMREG_F64);
}
static void invert_driver_2d_f32(void **state)
{
    (void)state;
    invert_driver(2, OMREG_F32);
}
static void invert_driver_3d_f64(void **state)
{
    (void)state;
    invert_driver(3, OMREG_F64);
}
static void invert_driver_3d_f32(void **state)
{
    (void)state;
    invert_driver(3, OMREG_F32);
}

/* ---- simplification and reorientation ----------------------------------- */

#define SIMPLIFY_CASE(NAME, FLT, T, DIM, SA, SB, U, V, W, SLOT)                                    \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t nd = omreg_eq_voxels(DIM, SB) * DIM, no = omreg_eq_voxels(DIM, SA) * DIM;     \
        FLT *d = omreg_test_alloc(nd > no ? nd : no, sizeof(FLT));                                 \
        omreg_test_fill_uniform_##T(d, nd > no ? nd : no, 401, -3.0, 3.0);                         \
        FLT *o_ref = omreg_test_alloc(no, sizeof(FLT));                                            \
        FLT *o_par = omreg_test_alloc(no, sizeof(FLT));                                            \
        /* all three affines on a different grid, then DIPY's None for U */                        \
        for (int c = 0; c < 2; ++c) {                                                              \
            const size_t *ds = c == 0 ? SB : SA;                                                   \
            const double *u = c == 0 ? U : NULL;                                                   \
            omreg_eq eq = {0};                                                                     \
            omreg_eq_output(&eq, #SLOT, o_ref, o_par, no);                                         \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), d, ds, u, V, W, SA, o_ref);                   \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), d, ds, u, V, W, SA, o_par);               \
            }                                                                                      \
        }                                                                                          \
        free(d);                                                                                   \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
    }

SIMPLIFY_CASE(simplify_2d_f64, double, f64, 2, shape2a, shape2b, aff2a, aff2b, aff2c,
              simplify_warp_function_2d_f64)
SIMPLIFY_CASE(simplify_2d_f32, float, f32, 2, shape2a, shape2b, aff2a, aff2b, aff2c,
              simplify_warp_function_2d_f32)
SIMPLIFY_CASE(simplify_3d_f64, double, f64, 3, shape3a, shape3b, aff3a, aff3b, aff3c,
              simplify_warp_function_3d_f64)
SIMPLIFY_CASE(simplify_3d_f32, float, f32, 3, shape3a, shape3b, aff3a, aff3b, aff3c,
              simplify_warp_function_3d_f32)

#define REORIENT_CASE(NAME, FLT, T, DIM, SA, AFF, SLOT)                                            \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t n = omreg_eq_voxels(DIM, SA) * DIM;                                           \
        FLT *d = omreg_test_alloc(n, sizeof(FLT));                                                 \
        omreg_test_fill_uniform_##T(d, n, 501, -5.0, 5.0);                                         \
        FLT *o_ref = omreg_test_alloc(n, sizeof(FLT));                                             \
        FLT *o_par = omreg_test_alloc(n, sizeof(FLT));                                             \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_inout(&eq, #SLOT, o_ref, o_par, d, n);                                            \
        omreg_eq_reference(&eq);                                                                   \
        ref->SLOT(omreg_backend_threads(ref, 0), o_ref, SA, AFF);                                  \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->SLOT(omreg_backend_threads(par, 0), o_par, SA, AFF);                              \
        }                                                                                          \
        free(d);                                                                                   \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
    }

REORIENT_CASE(reorient_2d_f64, double, f64, 2, shape2a, aff2a, reorient_vector_field_2d_f64)
REORIENT_CASE(reorient_2d_f32, float, f32, 2, shape2a, aff2a, reorient_vector_field_2d_f32)
REORIENT_CASE(reorient_3d_f64, double, f64, 3, shape3a, aff3a, reorient_vector_field_3d_f64)
REORIENT_CASE(reorient_3d_f32, float, f32, 3, shape3a, aff3a, reorient_vector_field_3d_f32)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(compose_2d_f64),
        cmocka_unit_test(compose_2d_f32),
        cmocka_unit_test(compose_3d_f64),
        cmocka_unit_test(compose_3d_f32),
        cmocka_unit_test(invert_passes_2d_f64),
        cmocka_unit_test(invert_passes_2d_f32),
        cmocka_unit_test(invert_passes_3d_f64),
        cmocka_unit_test(invert_passes_3d_f32),
        cmocka_unit_test(invert_driver_2d_f64),
        cmocka_unit_test(invert_driver_2d_f32),
        cmocka_unit_test(invert_driver_3d_f64),
        cmocka_unit_test(invert_driver_3d_f32),
        cmocka_unit_test(simplify_2d_f64),
        cmocka_unit_test(simplify_2d_f32),
        cmocka_unit_test(simplify_3d_f64),
        cmocka_unit_test(simplify_3d_f32),
        cmocka_unit_test(reorient_2d_f64),
        cmocka_unit_test(reorient_2d_f32),
        cmocka_unit_test(reorient_3d_f64),
        cmocka_unit_test(reorient_3d_f32),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
