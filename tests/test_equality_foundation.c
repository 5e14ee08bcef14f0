/* Parallel vs reference, bitwise, for the Foundation kernels (interpolation,
 * gradients, affine resampling, canonical moments), 2D and 3D, float64 and
 * float32. Each parallel kernel runs twice into poisoned outputs
 * (tests/support/equality.h) and both runs must equal the reference bytes; ctest runs this binary over the thread x schedule matrix,
 * so equality with the reference also proves thread/schedule independence.
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "equality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/matrix.h"
#include "omreg/random.h"

/* Sizes chosen odd and non-cubic; the point sets reach outside the grid. */
static const size_t shape2[2] = {23, 17};
static const size_t shape3[3] = {9, 13, 11};
#define NPTS 2003 /* not a multiple of any vector width: a scalar tail */

/* an oblique, anisotropic grid-to-world affine and its inverse */
static const double g2w3[16] = {0.9, 0.2, -0.1, -3.0, -0.15, 1.1, 0.05, 2.0,
                                0.1, -0.05, 1.3, 1.5, 0, 0, 0, 1};
static const double g2w2[9] = {1.2, 0.3, -2.0, -0.2, 0.9, 1.0, 0, 0, 1};

static void points(double *locs, size_t n, int dim, const size_t *shape, uint64_t seed)
{
    /* grid coordinates in [-2, shape + 1]: inside, border and outside */
    for (size_t p = 0; p < n; ++p)
        for (int d = 0; d < dim; ++d) {
            double u = omreg_random_uniform(seed, p * (size_t)dim + (size_t)d);
            locs[p * (size_t)dim + (size_t)d] = -2.0 + u * ((double)shape[d] + 3.0);
        }
    /* exact integers and half-integers exercise the boundary rules */
    for (size_t p = 0; p < n / 10; ++p)
        for (int d = 0; d < dim; ++d)
            locs[p * (size_t)dim + (size_t)d] =
                0.5 * (double)(omreg_random_u64(seed + 1, p * (size_t)dim + (size_t)d) %
                               (2 * shape[d] + 2)) - 0.5;
}

/* ---- interpolation ---------------------------------------------------- */

#define INTERP_CASE(NAME, FLT, T, DIM, SHAPE, NCOMP_IMG, NCOMP_OUT, SLOT)                          \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        size_t nvox = NCOMP_IMG;                                                                   \
        for (int d = 0; d < DIM; ++d)                                                              \
            nvox *= SHAPE[d];                                                                      \
        FLT *img = omreg_test_alloc(nvox, sizeof(FLT));                                            \
        omreg_test_fill_uniform_##T(img, nvox, 11, -5.0, 40.0);                                    \
        double *locs = omreg_test_alloc(NPTS * DIM, sizeof(double));                               \
        points(locs, NPTS, DIM, SHAPE, 12);                                                        \
        FLT *o_ref = omreg_test_alloc(NPTS * NCOMP_OUT, sizeof(FLT));                              \
        FLT *o_par = omreg_test_alloc(NPTS * NCOMP_OUT, sizeof(FLT));                              \
        int *i_ref = omreg_test_alloc(NPTS, sizeof(int));                                          \
        int *i_par = omreg_test_alloc(NPTS, sizeof(int));                                          \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT " values", o_ref, o_par, NPTS *NCOMP_OUT);                      \
        omreg_eq_output(&eq, #SLOT " inside", i_ref, i_par, NPTS);                                 \
        omreg_eq_reference(&eq);                                                                   \
        ref->SLOT(omreg_backend_threads(ref, 0), img, SHAPE, locs, NPTS, o_ref, i_ref);            \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->SLOT(omreg_backend_threads(par, 0), img, SHAPE, locs, NPTS, o_par, i_par);        \
        }                                                                                          \
        free(img);                                                                                 \
        free(locs);                                                                                \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
        free(i_ref);                                                                               \
        free(i_par);                                                                               \
    }

INTERP_CASE(interp_scalar_2d_f64, double, f64, 2, shape2, 1, 1, interpolate_scalar_2d_f64)
INTERP_CASE(interp_scalar_2d_f32, float, f32, 2, shape2, 1, 1, interpolate_scalar_2d_f32)
INTERP_CASE(interp_scalar_3d_f64, double, f64, 3, shape3, 1, 1, interpolate_scalar_3d_f64)
INTERP_CASE(interp_scalar_3d_f32, float, f32, 3, shape3, 1, 1, interpolate_scalar_3d_f32)
INTERP_CASE(interp_vector_2d_f64, double, f64, 2, shape2, 2, 2, interpolate_vector_2d_f64)
INTERP_CASE(interp_vector_2d_f32, float, f32, 2, shape2, 2, 2, interpolate_vector_2d_f32)
INTERP_CASE(interp_vector_3d_f64, double, f64, 3, shape3, 3, 3, interpolate_vector_3d_f64)
INTERP_CASE(interp_vector_3d_f32, float, f32, 3, shape3, 3, 3, interpolate_vector_3d_f32)
INTERP_CASE(interp_nn_2d_f64, double, f64, 2, shape2, 1, 1, interpolate_scalar_nn_2d_f64)
INTERP_CASE(interp_nn_2d_f32, float, f32, 2, shape2, 1, 1, interpolate_scalar_nn_2d_f32)
INTERP_CASE(interp_nn_3d_f64, double, f64, 3, shape3, 1, 1, interpolate_scalar_nn_3d_f64)
INTERP_CASE(interp_nn_3d_f32, float, f32, 3, shape3, 1, 1, interpolate_scalar_nn_3d_f32)

/* ---- gradients ---------------------------------------------------------- */

#define GRADIENT_CASE(NAME, FLT, T, DIM, SHAPE, G2W, SLOT, SPARSE_SLOT)                            \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        size_t nvox = 1;                                                                           \
        for (int d = 0; d < DIM; ++d)                                                              \
            nvox *= SHAPE[d];                                                                      \
        FLT *img = omreg_test_alloc(nvox, sizeof(FLT));                                            \
        omreg_test_fill_uniform_##T(img, nvox, 21, 0.0, 100.0);                                    \
        double w2g[16], spacing[3], direction[9];                                                  \
        assert_int_equal(omreg_mat_inverse(DIM + 1, G2W, w2g), OMREG_OK);                          \
        assert_int_equal(omreg_get_direction_and_spacings(DIM, G2W, direction, spacing),           \
                         OMREG_OK);                                                                \
        /* dense: sample on the image's own grid, shifted so borders fail */                       \
        double out_g2w[16];                                                                        \
        memcpy(out_g2w, G2W, sizeof(double) * (DIM + 1) * (DIM + 1));                              \
        out_g2w[DIM] += 0.7;                                                                       \
        FLT *g_ref = omreg_test_alloc(nvox * DIM, sizeof(FLT));                                    \
        FLT *g_par = omreg_test_alloc(nvox * DIM, sizeof(FLT));                                    \
        size_t nflags = nvox > NPTS ? nvox : NPTS;                                                 \
        int *i_ref = omreg_test_alloc(nflags, sizeof(int));                                        \
        int *i_par = omreg_test_alloc(nflags, sizeof(int));                                        \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT, g_ref, g_par, nvox *DIM);                                      \
        omreg_eq_output(&eq, #SLOT " inside", i_ref, i_par, nvox);                                 \
        omreg_eq_reference(&eq);                                                                   \
        ref->SLOT(omreg_backend_threads(ref, 0), img, SHAPE, w2g, spacing, SHAPE, out_g2w, g_ref,  \
                  i_ref);                                                                          \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->SLOT(omreg_backend_threads(par, 0), img, SHAPE, w2g, spacing, SHAPE, out_g2w,     \
                      g_par, i_par);                                                               \
        }                                                                                          \
        /* sparse: world points of random grid positions */                                        \
        double *locs = omreg_test_alloc(NPTS * DIM, sizeof(double));                               \
        double *world = omreg_test_alloc(NPTS * DIM, sizeof(double));                              \
        points(locs, NPTS, DIM, SHAPE, 22);                                                        \
        for (size_t p = 0; p < NPTS; ++p)                                                          \
            for (int r = 0; r < DIM; ++r) {                                                        \
                double s = G2W[r * (DIM + 1) + DIM];                                               \
                for (int c = 0; c < DIM; ++c)                                                      \
                    s += G2W[r * (DIM + 1) + c] * locs[p * DIM + c];                               \
                world[p * DIM + r] = s;                                                            \
            }                                                                                      \
        FLT *s_ref = omreg_test_alloc(NPTS * DIM, sizeof(FLT));                                    \
        FLT *s_par = omreg_test_alloc(NPTS * DIM, sizeof(FLT));                                    \
        omreg_eq eq2 = {0};                                                                        \
        omreg_eq_output(&eq2, #SPARSE_SLOT, s_ref, s_par, NPTS *DIM);                              \
        omreg_eq_output(&eq2, #SPARSE_SLOT " inside", i_ref, i_par, NPTS);                         \
        omreg_eq_reference(&eq2);                                                                  \
        ref->SPARSE_SLOT(omreg_backend_threads(ref, 0), img, SHAPE, w2g, spacing, world, NPTS,     \
                         s_ref, i_ref);                                                            \
        OMREG_EQ_PARALLEL(&eq2)                                                                    \
        {                                                                                          \
            par->SPARSE_SLOT(omreg_backend_threads(par, 0), img, SHAPE, w2g, spacing, world, NPTS, \
                             s_par, i_par);                                                        \
        }                                                                                          \
        free(img);                                                                                 \
        free(g_ref);                                                                               \
        free(g_par);                                                                               \
        free(i_ref);                                                                               \
        free(i_par);                                                                               \
        free(locs);                                                                                \
        free(world);                                                                               \
        free(s_ref);                                                                               \
        free(s_par);                                                                               \
    }

GRADIENT_CASE(gradient_2d_f64, double, f64, 2, shape2, g2w2, gradient_2d_f64, sparse_gradient_2d_f64)
GRADIENT_CASE(gradient_2d_f32, float, f32, 2, shape2, g2w2, gradient_2d_f32, sparse_gradient_2d_f32)
GRADIENT_CASE(gradient_3d_f64, double, f64, 3, shape3, g2w3, gradient_3d_f64, sparse_gradient_3d_f64)
GRADIENT_CASE(gradient_3d_f32, float, f32, 3, shape3, g2w3, gradient_3d_f32, sparse_gradient_3d_f32)

/* ---- affine resampling -------------------------------------------------- */

#define TRANSFORM_CASE(NAME, FLT, T, DIM, SHAPE, SLOT)                                             \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const size_t out_shape[3] = {8, 15, 13};                                            \
        size_t nvox = 1, nout = 1;                                                                 \
        for (int d = 0; d < DIM; ++d) {                                                            \
            nvox *= SHAPE[d];                                                                      \
            nout *= out_shape[d];                                                                  \
        }                                                                                          \
        FLT *img = omreg_test_alloc(nvox, sizeof(FLT));                                            \
        omreg_test_fill_uniform_##T(img, nvox, 31, -1.0, 1.0);                                     \
        /* a rotation-like grid affine that maps part of the output outside */                     \
        const double a3[16] = {0.95, 0.3,  0.0,  -1.0, -0.3, 0.95, 0.1, 2.5,                       \
                               0.0,  -0.1, 1.05, -0.5, 0,    0,    0,   1};                        \
        const double a2[9] = {0.95, 0.3, -1.0, -0.3, 0.95, 2.5, 0, 0, 1};                          \
        const double *aff = DIM == 3 ? a3 : a2;                                                    \
        FLT *o_ref = omreg_test_alloc(nout, sizeof(FLT));                                          \
        FLT *o_par = omreg_test_alloc(nout, sizeof(FLT));                                          \
        for (int with_affine = 0; with_affine < 2; ++with_affine) {                                \
            const double *A = with_affine ? aff : NULL;                                            \
            omreg_eq eq = {0};                                                                     \
            omreg_eq_output(&eq, #SLOT, o_ref, o_par, nout);                                       \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), img, SHAPE, out_shape, A, o_ref);             \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), img, SHAPE, out_shape, A, o_par);         \
            }                                                                                      \
        }                                                                                          \
        free(img);                                                                                 \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
    }

TRANSFORM_CASE(transform_2d_f64, double, f64, 2, shape2, transform_affine_2d_f64)
TRANSFORM_CASE(transform_2d_f32, float, f32, 2, shape2, transform_affine_2d_f32)
TRANSFORM_CASE(transform_3d_f64, double, f64, 3, shape3, transform_affine_3d_f64)
TRANSFORM_CASE(transform_3d_f32, float, f32, 3, shape3, transform_affine_3d_f32)
TRANSFORM_CASE(transform_nn_2d_f64, double, f64, 2, shape2, transform_affine_nn_2d_f64)
TRANSFORM_CASE(transform_nn_2d_f32, float, f32, 2, shape2, transform_affine_nn_2d_f32)
TRANSFORM_CASE(transform_nn_3d_f64, double, f64, 3, shape3, transform_affine_nn_3d_f64)
TRANSFORM_CASE(transform_nn_3d_f32, float, f32, 3, shape3, transform_affine_nn_3d_f32)

/* ---- canonical-order moments -------------------------------------------- */

/* Many blocks with values of mixed magnitude, so any reordering of the
 * block partials (a racy or reduction(+) implementation) changes the bits. */
#define MOMENTS_CASE(NAME, FLT, T, SLOT)                                                           \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t n = 37 * OMREG_REDUCE_BLOCK + 123;                                            \
        FLT *x = omreg_test_alloc(n, sizeof(FLT));                                                 \
        for (size_t i = 0; i < n; ++i) {                                                           \
            double u = omreg_random_uniform(41, i);                                                \
            x[i] = (FLT)((i / OMREG_REDUCE_BLOCK) % 3 == 0 ? 1e6 * u : 1e-3 * u);                  \
        }                                                                                          \
        double *scratch = omreg_test_alloc(2 * omreg_reduce_blocks(n), sizeof(double));            \
        double want[2], got[2];                                                                    \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT, want, got, 2);                                                 \
        omreg_eq_scratch(&eq, scratch, 2 * omreg_reduce_blocks(n) * sizeof(double));               \
        omreg_eq_reference(&eq);                                                                   \
        ref->SLOT(omreg_backend_threads(ref, 0), x, n, scratch, want);                             \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->SLOT(omreg_backend_threads(par, 0), x, n, scratch, got);                          \
        }                                                                                          \
        print_message(#SLOT " hash %016llx\n",                                                     \
                      (unsigned long long)omreg_test_hash(got, sizeof got));                       \
        /* empty and one-element inputs */                                                         \
        ref->SLOT(omreg_backend_threads(ref, 0), x, 0, scratch, want);                             \
        par->SLOT(omreg_backend_threads(par, 0), x, 0, scratch, got);                              \
        OMREG_EQ_SAME(f64, #SLOT " n=0", got, want, 2);                                            \
        assert_true(got[0] == 0.0 && got[1] == 0.0);                                               \
        ref->SLOT(omreg_backend_threads(ref, 0), x, 1, scratch, want);                             \
        par->SLOT(omreg_backend_threads(par, 0), x, 1, scratch, got);                              \
        OMREG_EQ_SAME(f64, #SLOT " n=1", got, want, 2);                                            \
        free(x);                                                                                   \
        free(scratch);                                                                             \
    }

MOMENTS_CASE(moments_f64, double, f64, image_moments_f64)
MOMENTS_CASE(moments_f32, float, f32, image_moments_f32)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(interp_scalar_2d_f64), cmocka_unit_test(interp_scalar_2d_f32),
        cmocka_unit_test(interp_scalar_3d_f64), cmocka_unit_test(interp_scalar_3d_f32),
        cmocka_unit_test(interp_vector_2d_f64), cmocka_unit_test(interp_vector_2d_f32),
        cmocka_unit_test(interp_vector_3d_f64), cmocka_unit_test(interp_vector_3d_f32),
        cmocka_unit_test(interp_nn_2d_f64),     cmocka_unit_test(interp_nn_2d_f32),
        cmocka_unit_test(interp_nn_3d_f64),     cmocka_unit_test(interp_nn_3d_f32),
        cmocka_unit_test(gradient_2d_f64),      cmocka_unit_test(gradient_2d_f32),
        cmocka_unit_test(gradient_3d_f64),      cmocka_unit_test(gradient_3d_f32),
        cmocka_unit_test(transform_2d_f64),     cmocka_unit_test(transform_2d_f32),
        cmocka_unit_test(transform_3d_f64),     cmocka_unit_test(transform_3d_f32),
        cmocka_unit_test(transform_nn_2d_f64),  cmocka_unit_test(transform_nn_2d_f32),
        cmocka_unit_test(transform_nn_3d_f64),  cmocka_unit_test(transform_nn_3d_f32),
        cmocka_unit_test(moments_f64),          cmocka_unit_test(moments_f32),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
