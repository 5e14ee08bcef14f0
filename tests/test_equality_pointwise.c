/* The drivers' per-voxel helpers (kernels/kernels_pointwise.h): masked
 * range, normalisation, dtype conversion, int masks, affine maps of point
 * lists, regular domain sampling. Reference once, parallel twice into
 * poisoned output, compared as bytes. n = 3 * OMREG_REDUCE_BLOCK + 17
 * values: four reduction blocks, the last one short. (normalize_f32,
 * convert_f64_to_f32 and add_f32 are compared in test_equality_syn.c,
 * add_f64 in test_equality_sumsqdiff.c.)
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "omreg_test.h"

#include <stdlib.h>
#include <string.h>

#include "backend.h"

#define N (3 * OMREG_REDUCE_BLOCK + 17)
#define POISON 0xA5

static void masked_range(void **state)
{
    (void)state;
    const omreg_backend *ref = omreg_backend_reference(), *par = omreg_backend_parallel();
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
        ref->masked_range_f64(x, masked ? mask : NULL, N, scratch, want);
        for (int run = 0; run < 2; ++run) {
            memset(scratch, POISON, 2 * omreg_reduce_blocks(N) * sizeof(double));
            memset(got, POISON, sizeof got);
            par->masked_range_f64(x, masked ? mask : NULL, N, scratch, got);
            assert_true(omreg_test_same_f64("masked_range_f64", got, want, 2));
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
    const omreg_backend *ref = omreg_backend_reference(), *par = omreg_backend_parallel();
    double *x = omreg_test_alloc(N, sizeof(double)), *w64 = omreg_test_alloc(N, sizeof(double)),
           *g64 = omreg_test_alloc(N, sizeof(double));
    float *x32 = omreg_test_alloc(N, sizeof(float)), *w32 = omreg_test_alloc(N, sizeof(float)),
          *g32 = omreg_test_alloc(N, sizeof(float));
    int *wi = omreg_test_alloc(N, sizeof(int)), *gi = omreg_test_alloc(N, sizeof(int));
    omreg_test_fill_uniform_f64(x, N, 72, -3.5, 9.25);
    omreg_test_fill_uniform_f32(x32, N, 73, -3.5, 9.25);
    ref->normalize_f64(x, N, -3.5, 12.75, w64);
    ref->normalize_f64_to_f32(x, N, -3.5, 12.75, w32);
    for (int run = 0; run < 2; ++run) {
        memset(g64, POISON, N * sizeof(double));
        par->normalize_f64(x, N, -3.5, 12.75, g64);
        assert_true(omreg_test_same_f64("normalize_f64", g64, w64, N));
        memset(g32, POISON, N * sizeof(float));
        par->normalize_f64_to_f32(x, N, -3.5, 12.75, g32);
        assert_true(omreg_test_same_f32("normalize_f64_to_f32", g32, w32, N));
    }
    ref->convert_f32_to_f64(x32, N, w64);
    ref->mask_to_i32(x, N, wi);
    for (int run = 0; run < 2; ++run) {
        memset(g64, POISON, N * sizeof(double));
        par->convert_f32_to_f64(x32, N, g64);
        assert_true(omreg_test_same_f64("convert_f32_to_f64", g64, w64, N));
        memset(gi, POISON, N * sizeof(int));
        par->mask_to_i32(x, N, gi);
        assert_true(omreg_test_same_i32("mask_to_i32", gi, wi, N));
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

static void points(void **state)
{
    (void)state;
    const omreg_backend *ref = omreg_backend_reference(), *par = omreg_backend_parallel();
    const size_t shape[3] = {17, 23, 29}, k = 3;
    const double A[16] = {1.1, 0.2, -0.1, 4.0, -0.3, 0.9, 0.05, -2.5,
                          0.1, 0.15, 1.2, 7.0, 0.0, 0.0, 0.0, 1.0};
    const double A2[9] = {0.9, -0.25, 3.0, 0.3, 1.05, -1.5, 0.0, 0.0, 1.0};
    for (int dim = 2; dim <= 3; ++dim) {
        const size_t nvox = dim == 2 ? shape[0] * shape[1] : shape[0] * shape[1] * shape[2];
        const size_t m = nvox / k, nval = m * (size_t)dim;
        const double *g2w = dim == 2 ? A2 : A;
        double *want = omreg_test_alloc(nval, sizeof(double)),
               *got = omreg_test_alloc(nval, sizeof(double)),
               *mapped_w = omreg_test_alloc(nval, sizeof(double)),
               *mapped_g = omreg_test_alloc(nval, sizeof(double));
        ref->sample_domain_regular(dim, shape, k, g2w, 74, 0.5, m, want);
        ref->apply_affine_points(g2w, dim, want, m, mapped_w);
        for (int run = 0; run < 2; ++run) {
            memset(got, POISON, nval * sizeof(double));
            par->sample_domain_regular(dim, shape, k, g2w, 74, 0.5, m, got);
            assert_true(omreg_test_same_f64("sample_domain_regular", got, want, nval));
            memset(mapped_g, POISON, nval * sizeof(double));
            par->apply_affine_points(g2w, dim, got, m, mapped_g);
            assert_true(omreg_test_same_f64("apply_affine_points", mapped_g, mapped_w, nval));
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
    return cmocka_run_group_tests(tests, NULL, NULL);
}
