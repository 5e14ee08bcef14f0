/* Parallel vs reference, bitwise, for Gaussian smoothing: 2D and 3D,
 * float64 and float32, scalar images and fields (per component), every
 * boundary mode, kernels wider than the axis, in place and out of place.
 * The reference runs once, the parallel backend twice (the shared harness,
 * tests/support/equality.h, for the kernel slots); ctest runs this
 * binary over the thread x schedule matrix, so equality with the
 * reference also proves thread/schedule independence. The grids have
 * hundreds to thousands of lines per axis, so a shared line buffer or a
 * line written twice would change bits. The kernel slots are also called
 * directly with fewer line buffers than threads (num_threads must cap the
 * team).
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "equality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kernels_smooth.h"
#include "omreg/image.h"
#include "omreg/smooth.h"

static omreg_image *random_image(int ndim, const size_t *shape, int ncomp, omreg_dtype dtype,
                                 uint64_t seed)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, ndim, shape, ncomp, dtype, NULL), OMREG_OK);
    size_t n = omreg_image_voxels(img) * (size_t)ncomp;
    if (dtype == OMREG_F64)
        omreg_test_fill_uniform_f64(omreg_image_data(img), n, seed, -10.0, 50.0);
    else
        omreg_test_fill_uniform_f32(omreg_image_data(img), n, seed, -10.0, 50.0);
    return img;
}

/* Reference once; parallel twice out of place and once in place. */
static void check(const char *what, int ndim, const size_t *shape, int ncomp, omreg_dtype dtype,
                  const double *sigmas, omreg_smooth_mode mode, double cval, uint64_t seed)
{
    omreg_image *in = random_image(ndim, shape, ncomp, dtype, seed);
    omreg_image *want = NULL;
    assert_int_equal(omreg_gaussian_filter(ref, in, sigmas, mode, cval, OMREG_SMOOTH_TRUNCATE,
                                           &want),
                     OMREG_OK);
    for (int run = 0; run < OMREG_EQ_RUNS; ++run) {
        omreg_image *got = NULL;
        assert_int_equal(omreg_gaussian_filter(par, in, sigmas, mode, cval,
                                               OMREG_SMOOTH_TRUNCATE, &got),
                         OMREG_OK);
        omreg_eq_same_image(what, got, want);
        omreg_image_free(got);
    }
    assert_int_equal(omreg_gaussian_filter_inplace(par, in, sigmas, mode, cval,
                                                   OMREG_SMOOTH_TRUNCATE),
                     OMREG_OK);
    omreg_eq_same_image(what, in, want);
    size_t bytes = omreg_image_voxels(want) * (size_t)ncomp * omreg_dtype_size(dtype);
    print_message("%s hash %016llx\n", what,
                  (unsigned long long)omreg_test_hash(omreg_image_cdata(want), bytes));
    omreg_image_free(in);
    omreg_image_free(want);
}

static const size_t shape2[2] = {97, 83};
static const size_t shape3[3] = {23, 29, 31};
static const size_t field3[3] = {17, 19, 21};
static const size_t thin3[3] = {3, 41, 37}; /* kernel wider than axis 0 */

static const char *const mode_names[OMREG_SMOOTH_MODE_COUNT] = {"reflect", "nearest", "mirror",
                                                                  "constant", "wrap"};

static void scalar_2d(void **state)
{
    (void)state;
    const double sigmas[2] = {2.3, 0.8};
    char what[64];
    for (int m = 0; m < OMREG_SMOOTH_MODE_COUNT; ++m) {
        snprintf(what, sizeof what, "2d f64 %s", mode_names[m]);
        check(what, 2, shape2, 1, OMREG_F64, sigmas, (omreg_smooth_mode)m, 1.25, 101);
        snprintf(what, sizeof what, "2d f32 %s", mode_names[m]);
        check(what, 2, shape2, 1, OMREG_F32, sigmas, (omreg_smooth_mode)m, 1.25, 102);
    }
}

static void scalar_3d(void **state)
{
    (void)state;
    const double iso[3] = {3.0, 3.0, 3.0}; /* IsotropicScaleSpace's first sigma */
    const double aniso[3] = {0.2, 1.7, 0.0};
    const double wide[3] = {4.5, 1.0, 0.6};
    check("3d f64 iso3 reflect", 3, shape3, 1, OMREG_F64, iso, OMREG_SMOOTH_REFLECT, 0.0, 201);
    check("3d f32 iso3 reflect", 3, shape3, 1, OMREG_F32, iso, OMREG_SMOOTH_REFLECT, 0.0, 202);
    char what[64];
    for (int m = 0; m < OMREG_SMOOTH_MODE_COUNT; ++m) {
        snprintf(what, sizeof what, "3d f64 aniso %s", mode_names[m]);
        check(what, 3, shape3, 1, OMREG_F64, aniso, (omreg_smooth_mode)m, -3.0, 203);
        snprintf(what, sizeof what, "3d f32 wide %s", mode_names[m]);
        check(what, 3, thin3, 1, OMREG_F32, wide, (omreg_smooth_mode)m, -3.0, 204);
    }
}

static void fields(void **state)
{
    (void)state;
    const double s2[2] = {2.0, 2.0}; /* CCMetric sigma_diff */
    const double s3[3] = {2.0, 2.0, 2.0};
    check("2d f32 field", 2, shape2, 2, OMREG_F32, s2, OMREG_SMOOTH_REFLECT, 0.0, 301);
    check("2d f64 field", 2, shape2, 2, OMREG_F64, s2, OMREG_SMOOTH_REFLECT, 0.0, 302);
    check("3d f32 field", 3, field3, 3, OMREG_F32, s3, OMREG_SMOOTH_REFLECT, 0.0, 303);
    check("3d f64 field wrap", 3, field3, 3, OMREG_F64, s3, OMREG_SMOOTH_WRAP, 0.0, 304);
}

/* The slots themselves, every axis, scalar and 3-component data, with 1,
 * 2 and 5 line buffers: the parallel kernel must never use more threads
 * than buffers. */
static void kernels_few_buffers(void **state)
{
    (void)state;
    const size_t radius = 6;
    double w[7];
    double phi[13];
    omreg_gaussian_weights(1.6, radius, w, phi);
    const size_t n = shape3[0] * shape3[1] * shape3[2] * 3;
    double *in = omreg_test_alloc(n, sizeof(double));
    float *in32 = omreg_test_alloc(n, sizeof(float));
    omreg_test_fill_uniform_f64(in, n, 401, -1.0, 1.0);
    omreg_test_fill_uniform_f32(in32, n, 402, -1.0, 1.0);
    double *want = omreg_test_alloc(n, sizeof(double)), *got = omreg_test_alloc(n, sizeof(double));
    float *want32 = omreg_test_alloc(n, sizeof(float)), *got32 = omreg_test_alloc(n, sizeof(float));
    size_t per = omreg_gaussian_line_buffer(shape3[2], radius); /* longest axis: 31 */
    double *scratch = omreg_test_alloc(5 * per, sizeof(double));
    const int nbufs[3] = {1, 2, 5};
    for (size_t ncomp = 1; ncomp <= 3; ncomp += 2)
        for (int axis = 0; axis < 3; ++axis) {
            const size_t m = n / 3 * ncomp;
            omreg_eq eq = {0};
            omreg_eq_output(&eq, "filter1d f64", want, got, m);
            omreg_eq_output(&eq, "filter1d f32", want32, got32, m);
            omreg_eq_scratch(&eq, scratch, 5 * per * sizeof(double));
            omreg_eq_reference(&eq);
            ref->gaussian_filter1d_f64(1, in, want, 3, shape3, ncomp, axis, w, radius,
                                       OMREG_SMOOTH_MIRROR, 0.0, scratch);
            ref->gaussian_filter1d_f32(1, in32, want32, 3, shape3, ncomp, axis, w, radius,
                                       OMREG_SMOOTH_REFLECT, 0.0, scratch);
            for (int b = 0; b < 3; ++b) {
                OMREG_EQ_PARALLEL(&eq) {
                    par->gaussian_filter1d_f64(nbufs[b], in, got, 3, shape3, ncomp, axis, w, radius,
                                               OMREG_SMOOTH_MIRROR, 0.0, scratch);
                    par->gaussian_filter1d_f32(nbufs[b], in32, got32, 3, shape3, ncomp, axis, w,
                                               radius, OMREG_SMOOTH_REFLECT, 0.0, scratch);
                }
            }
        }
    free(in);
    free(in32);
    free(want);
    free(got);
    free(want32);
    free(got32);
    free(scratch);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(scalar_2d),
        cmocka_unit_test(scalar_3d),
        cmocka_unit_test(fields),
        cmocka_unit_test(kernels_few_buffers),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
