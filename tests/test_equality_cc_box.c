/* Parallel vs reference, bitwise, for the box-sum CC factors
 * (kernels_cc_box.h), 2D and 3D, float64 and float32. Each parallel kernel
 * runs twice (tests/support/equality.h) into poisoned outputs; ctest runs
 * this binary over the thread x schedule matrix (MATRIX). Images are random
 * (moving correlated with static), so every window sum differs and a
 * dropped or reordered addition, a lost border slab or row, or a shared
 * scratch buffer changes the bits. Shapes: odd sizes with more slabs and
 * rows than threads, radius above every axis, 1-voxel axes, radius 0.
 * Scratch holds garbage before every call (its contents must not matter).
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "equality.h"

#include <stdio.h>
#include <stdlib.h>

#define BOX_CASE(NAME, FLT, T, DIM, RADIUS, ...)                                                  \
    static void NAME(void **state)                                                             \
    {                                                                                          \
        (void)state;                                                                           \
        static const size_t shape[DIM] = {__VA_ARGS__};                                        \
        const size_t n = omreg_eq_voxels(DIM, shape), nf = 5 * n;                              \
        FLT *s = omreg_test_alloc(n, sizeof(FLT)), *m = omreg_test_alloc(n, sizeof(FLT));       \
        omreg_test_fill_uniform_##T(s, n, 601, 0.0, 1.0);                                      \
        omreg_test_fill_uniform_##T(m, n, 602, 0.0, 1.0);                                      \
        for (size_t v = 0; v < n; ++v)                                                         \
            m[v] = (FLT)(0.5 * m[v] + 0.5 * s[v]);                                             \
        FLT *f_ref = omreg_test_alloc(nf, sizeof(FLT)), *f_par = omreg_test_alloc(nf,          \
                                                                                 sizeof(FLT)); \
        const int nbuf = omreg_backend_threads(par, 0);                                        \
        const size_t nscratch = omreg_cc_box_scratch_##DIM##d(shape) * (size_t)nbuf;           \
        double *scratch = omreg_test_alloc(nscratch, sizeof(double));                          \
        char what[96];                                                                         \
        snprintf(what, sizeof what, "box factors %s", #NAME);                                  \
        omreg_eq eq = {0};                                                                     \
        omreg_eq_output(&eq, what, f_ref, f_par, nf);                                          \
        omreg_eq_scratch(&eq, scratch, nscratch * sizeof(double));                             \
        omreg_eq_reference(&eq);                                                               \
        ref->cc_box_factors_##DIM##d_##T(1, s, m, shape, RADIUS, scratch, f_ref);              \
        OMREG_EQ_PARALLEL(&eq) {                                                               \
            par->cc_box_factors_##DIM##d_##T(nbuf, s, m, shape, RADIUS, scratch, f_par);       \
        }                                                                                      \
        free(s);                                                                               \
        free(m);                                                                               \
        free(f_ref);                                                                           \
        free(f_par);                                                                           \
        free(scratch);                                                                         \
    }

BOX_CASE(box_2d_f64_r1, double, f64, 2, 1, 97, 83)
BOX_CASE(box_2d_f32_r4, float, f32, 2, 4, 97, 83)
BOX_CASE(box_2d_f64_wide, double, f64, 2, 5, 3, 40)   /* radius > rows */
BOX_CASE(box_2d_f32_onecol, float, f32, 2, 2, 31, 1)  /* one column */
BOX_CASE(box_3d_f64_r0, double, f64, 3, 0, 19, 23, 21)
BOX_CASE(box_3d_f64_r2, double, f64, 3, 2, 19, 23, 21)
BOX_CASE(box_3d_f32_r4, float, f32, 3, 4, 19, 23, 21)
BOX_CASE(box_3d_f64_tiny, double, f64, 3, 6, 3, 4, 2) /* radius > every axis */
BOX_CASE(box_3d_f32_onerow, float, f32, 3, 3, 7, 1, 12)
BOX_CASE(box_3d_f64_onecol, double, f64, 3, 2, 9, 8, 1)
BOX_CASE(box_3d_f32_oneslab, float, f32, 3, 2, 1, 11, 13)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(box_2d_f64_r1),
        cmocka_unit_test(box_2d_f32_r4),
        cmocka_unit_test(box_2d_f64_wide),
        cmocka_unit_test(box_2d_f32_onecol),
        cmocka_unit_test(box_3d_f64_r0),
        cmocka_unit_test(box_3d_f64_r2),
        cmocka_unit_test(box_3d_f32_r4),
        cmocka_unit_test(box_3d_f64_tiny),
        cmocka_unit_test(box_3d_f32_onerow),
        cmocka_unit_test(box_3d_f64_onecol),
        cmocka_unit_test(box_3d_f32_oneslab),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
