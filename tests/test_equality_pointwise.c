/* The drivers' per-voxel helpers (kernels/kernels_pointwise.h): masked
 * range, normalisation, dtype conversion, int masks, affine maps of point
 * lists, regular domain sampling, through the shared harness
 * (tests/support/equality.h: reference once, parallel twice into poisoned
 * outputs and scratch, compared bitwise with the first differing index).
 * n = 3 * OMREG_REDUCE_BLOCK + 17 values: four reduction blocks, the last
 * one short. (normalize_f32, convert_f64_to_f32 and add_f32 are compared
 * in test_equality_syn.c, add_f64 in test_equality_sumsqdiff.c.)
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "equality.h"

#include <stdlib.h>

#define N (3 * OMREG_REDUCE_BLOCK + 17)

static void masked_range(void **state)
{
    (void)state;
    double *x = omreg_test_alloc(N, sizeof(double));
    int *mask = omreg_test_alloc(N, sizeof(int));
    double *scratch = omreg_test_alloc(2 * omreg_reduce_blocks(N), sizeof(double));
    omreg_test_fill_uniform_f64(x, N, 71, -50.0, 80.0);
    for (size_t v = 0; v < N; ++v)
        mask[v] = v % 7 != 3; /* the masked voxels hold the extremes below */
    x[3] = -1000.0;
    x[N - 4] = 1000.0;
    for (int masked = 0; masked < 2; ++masked) {
        double want[2], got[2];
        const int *m = masked ? mask : NULL;
        omreg_eq eq = {0};
        omreg_eq_output(&eq, masked ? "masked_range_f64 masked" : "masked_range_f64 unmasked",
                        want, got, 2);
        omreg_eq_scratch(&eq, scratch, 2 * omreg_reduce_blocks(N) * sizeof(double));
        omreg_eq_reference(&eq);
        ref->masked_range_f64(omreg_backend_threads(ref, 0), x, m, N, scratch, want);
        OMREG_EQ_PARALLEL(&eq) {
            par->masked_range_f64(omreg_backend_threads(par, 0), x, m, N, scratch, got);
        }
        assert_true(masked ? want[0] > -1000.0 : want[0] == -1000.0);
    }
    free(x);
    free(mask);
    free(scratch);
}

static void normalize_and_convert(void **state)
{
    (void)state;
    double *x = omreg_test_alloc(N, sizeof(double)), *w64 = omreg_test_alloc(N, sizeof(double)),
           *g64 = omreg_test_alloc(N, sizeof(double));
    float *x32 = omreg_test_alloc(N, sizeof(float)), *w32 = omreg_test_alloc(N, sizeof(float)),
          *g32 = omreg_test_alloc(N, sizeof(float));
    int *wi = omreg_test_alloc(N, sizeof(int)), *gi = omreg_test_alloc(N, sizeof(int));
    omreg_test_fill_uniform_f64(x, N, 72, -3.5, 9.25);
    omreg_test_fill_uniform_f32(x32, N, 73, -3.5, 9.25);
    omreg_eq eq = {0};
    omreg_eq_output(&eq, "normalize_f64", w64, g64, N);
    omreg_eq_output(&eq, "normalize_f64_to_f32", w32, g32, N);
    omreg_eq_reference(&eq);
    ref->normalize_f64(omreg_backend_threads(ref, 0), x, N, -3.5, 12.75, w64);
    ref->normalize_f64_to_f32(omreg_backend_threads(ref, 0), x, N, -3.5, 12.75, w32);
    OMREG_EQ_PARALLEL(&eq) {
        par->normalize_f64(omreg_backend_threads(par, 0), x, N, -3.5, 12.75, g64);
        par->normalize_f64_to_f32(omreg_backend_threads(par, 0), x, N, -3.5, 12.75, g32);
    }
    omreg_eq eq2 = {0};
    omreg_eq_output(&eq2, "convert_f32_to_f64", w64, g64, N);
    omreg_eq_output(&eq2, "mask_to_i32", wi, gi, N);
    omreg_eq_reference(&eq2);
    ref->convert_f32_to_f64(omreg_backend_threads(ref, 0), x32, N, w64);
    ref->mask_to_i32(omreg_backend_threads(ref, 0), x, N, wi);
    OMREG_EQ_PARALLEL(&eq2) {
        par->convert_f32_to_f64(omreg_backend_threads(par, 0), x32, N, g64);
        par->mask_to_i32(omreg_backend_threads(par, 0), x, N, gi);
    }
    free(x);
    free(w64);
    free(g64);
    free(x32);
    free(w32);
    free(g32);
    free(wi);
    free(gi);
}

/* the sampled points, then the same points mapped: the parallel map reads
 * the parallel samples */
static void points(void **state)
{
    (void)state;
    const size_t shape[3] = {17, 23, 29}, k = 3;
    const double A[16] = {1.1, 0.2, -0.1, 4.0, -0.3, 0.9, 0.05, -2.5,
                          0.1, 0.15, 1.2, 7.0, 0.0, 0.0, 0.0, 1.0};
    const double A2[9] = {0.9, -0.25, 3.0, 0.3, 1.05, -1.5, 0.0, 0.0, 1.0};
    for (int dim = 2; dim <= 3; ++dim) {
        const size_t nvox = omreg_eq_voxels(dim, shape);
        const size_t m = nvox / k, nval = m * (size_t)dim;
        const double *g2w = dim == 2 ? A2 : A;
        double *want = omreg_test_alloc(nval, sizeof(double)),
               *got = omreg_test_alloc(nval, sizeof(double)),
               *mapped_w = omreg_test_alloc(nval, sizeof(double)),
               *mapped_g = omreg_test_alloc(nval, sizeof(double));
        omreg_eq eq = {0};
        omreg_eq_output(&eq, "sample_domain_regular", want, got, nval);
        omreg_eq_output(&eq, "apply_affine_points", mapped_w, mapped_g, nval);
        omreg_eq_reference(&eq);
        ref->sample_domain_regular(omreg_backend_threads(ref, 0), dim, shape, k, g2w, 74, 0.5, m,
                                   want);
        ref->apply_affine_points(omreg_backend_threads(ref, 0), g2w, dim, want, m, mapped_w);
        OMREG_EQ_PARALLEL(&eq) {
            par->sample_domain_regular(omreg_backend_threads(par, 0), dim, shape, k, g2w, 74, 0.5,
                                       m, got);
            par->apply_affine_points(omreg_backend_threads(par, 0), g2w, dim, got, m, mapped_g);
        }
        free(want);
        free(got);
        free(mapped_w);
        free(mapped_g);
    }
}

int main(void)
{
    omreg_test_apply_filter();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(masked_range),
        cmocka_unit_test(normalize_and_convert),
        cmocka_unit_test(points),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
