/* Argument validation of omreg_gaussian_filter / _inplace: each bad input
 * gets its documented status and a message, leaves *out / the image
 * untouched and leaks nothing; the sigma <= 1e-15 rule (negative sigmas
 * skipped like scipy) and allocation failures. Expected values come from
 * the definitions (a skipped axis is the identity; a copy is bitwise).
 * NaN policy: NaN appears only as a rejected argument. */
#include "omreg_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kernels_smooth.h"
#include "omreg/image.h"
#include "omreg/smooth.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */

static const size_t shape[3] = {5, 6, 7};

static omreg_image *make(omreg_dtype dtype, int ncomp)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 3, shape, ncomp, dtype, NULL), OMREG_OK);
    size_t n = omreg_image_voxels(img) * (size_t)ncomp;
    if (dtype == OMREG_F64)
        omreg_test_fill_uniform_f64(omreg_image_data(img), n, 5, -1.0, 1.0);
    else
        omreg_test_fill_uniform_f32(omreg_image_data(img), n, 5, -1.0, 1.0);
    return img;
}

static size_t bytes_of(const omreg_image *img)
{
    return omreg_image_voxels(img) * (size_t)omreg_image_ncomp(img) *
           omreg_dtype_size(omreg_image_dtype(img));
}

/* out-of-place and in-place both fail with st; *out and the image intact */
static void expect_fail(const omreg_backend *be, omreg_image *img, const double *sigmas,
                        omreg_smooth_mode mode, double cval, double truncate, omreg_status st)
{
    omreg_image *sentinel = (omreg_image *)&sentinel, *out = sentinel;
    size_t bytes = bytes_of(img);
    void *before = omreg_test_alloc(bytes, 1);
    memcpy(before, omreg_image_cdata(img), bytes);
    omreg_clear_error();
    assert_int_equal(omreg_gaussian_filter(be, img, sigmas, mode, cval, truncate, &out), st);
    assert_true(out == sentinel);
    assert_true(strlen(omreg_last_error()) > 0);
    omreg_clear_error();
    assert_int_equal(omreg_gaussian_filter_inplace(be, img, sigmas, mode, cval, truncate), st);
    assert_true(strlen(omreg_last_error()) > 0);
    assert_memory_equal(omreg_image_cdata(img), before, bytes);
    free(before);
}

static void bad_arguments(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    omreg_image *img = make(OMREG_F64, 1);
    const double ok[3] = {1.0, 1.0, 1.0};
    omreg_image *out = NULL;
    assert_int_equal(omreg_gaussian_filter(NULL, img, ok, OMREG_SMOOTH_REFLECT, 0, 4, &out),
                     OMREG_EINVAL);
    assert_int_equal(omreg_gaussian_filter(be, NULL, ok, OMREG_SMOOTH_REFLECT, 0, 4, &out),
                     OMREG_EINVAL);
    assert_int_equal(omreg_gaussian_filter(be, img, NULL, OMREG_SMOOTH_REFLECT, 0, 4, &out),
                     OMREG_EINVAL);
    assert_int_equal(omreg_gaussian_filter(be, img, ok, OMREG_SMOOTH_REFLECT, 0, 4, NULL),
                     OMREG_EINVAL);
    assert_int_equal(omreg_gaussian_filter_inplace(be, NULL, ok, OMREG_SMOOTH_REFLECT, 0, 4),
                     OMREG_EINVAL);
    assert_null(out);

    expect_fail(be, img, ok, OMREG_SMOOTH_MODE_COUNT, 0.0, 4.0, OMREG_EINVAL);
    expect_fail(be, img, ok, (omreg_smooth_mode)-1, 0.0, 4.0, OMREG_EINVAL);
    expect_fail(be, img, ok, OMREG_SMOOTH_REFLECT, 0.0, -1.0, OMREG_EINVAL);
    expect_fail(be, img, ok, OMREG_SMOOTH_REFLECT, 0.0, INFINITY, OMREG_ENONFINITE);
    expect_fail(be, img, ok, OMREG_SMOOTH_REFLECT, 0.0, NAN, OMREG_ENONFINITE);
    expect_fail(be, img, ok, OMREG_SMOOTH_CONSTANT, NAN, 4.0, OMREG_ENONFINITE);
    const double nan_sigma[3] = {1.0, NAN, 1.0};
    const double inf_sigma[3] = {1.0, 1.0, -INFINITY};
    const double huge[3] = {1.0, 1e7, 1.0}; /* radius 4e7 > 2^20 */
    expect_fail(be, img, nan_sigma, OMREG_SMOOTH_REFLECT, 0.0, 4.0, OMREG_ENONFINITE);
    expect_fail(be, img, inf_sigma, OMREG_SMOOTH_REFLECT, 0.0, 4.0, OMREG_ENONFINITE);
    expect_fail(be, img, huge, OMREG_SMOOTH_REFLECT, 0.0, 4.0, OMREG_EOVERFLOW);

    size_t r = 0;
    assert_int_equal(omreg_gaussian_radius(-1.0, 4.0, &r), OMREG_EINVAL);
    assert_int_equal(omreg_gaussian_radius(1e300, 4.0, &r), OMREG_EOVERFLOW);
    assert_int_equal(omreg_gaussian_radius(2.0, 4.0, &r), OMREG_OK);
    assert_int_equal(r, 8);
    assert_int_equal(omreg_gaussian_radius(0.1, 4.0, &r), OMREG_OK);
    assert_int_equal(r, 0);
    omreg_image_free(img);
}

/* cval is ignored unless the mode is constant: a NaN cval is fine with
 * reflect. Axes with sigma <= 1e-15 (0, 1e-16, negative) are skipped, so
 * all-skipped is a bitwise copy and a skipped axis equals not naming it. */
static void skipped_axes(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    for (int t = 0; t < 2; ++t) {
        omreg_dtype dtype = t ? OMREG_F32 : OMREG_F64;
        omreg_image *img = make(dtype, 3);
        const double none[3] = {0.0, -0.04, 1e-16};
        omreg_image *out = NULL;
        assert_int_equal(omreg_gaussian_filter(be, img, none, OMREG_SMOOTH_REFLECT, NAN, 4.0,
                                               &out),
                         OMREG_OK);
        assert_memory_equal(omreg_image_cdata(out), omreg_image_cdata(img), bytes_of(img));
        omreg_image_free(out);

        const double neg[3] = {-0.04, 1.2, 0.0}, zero[3] = {0.0, 1.2, 0.0};
        omreg_image *a = NULL, *b = NULL;
        assert_int_equal(omreg_gaussian_filter(be, img, neg, OMREG_SMOOTH_REFLECT, NAN, 4.0, &a),
                         OMREG_OK);
        assert_int_equal(omreg_gaussian_filter(be, img, zero, OMREG_SMOOTH_REFLECT, 0, 4.0, &b),
                         OMREG_OK);
        assert_memory_equal(omreg_image_cdata(a), omreg_image_cdata(b), bytes_of(img));
        /* ...and it did smooth along axis 1 */
        assert_true(memcmp(omreg_image_cdata(a), omreg_image_cdata(img), bytes_of(img)) != 0);
        omreg_image_free(a);
        omreg_image_free(b);
        omreg_image_free(img);
    }
}

/* Every allocation failure is reported, leaves outputs untouched and
 * leaks nothing (valgrind runs this binary too). */
static void allocation_failures(void **state)
{
    (void)state;
    const omreg_backend *be = omreg_test_backend();
    omreg_image *img = make(OMREG_F32, 1);
    const double sigmas[3] = {1.0, 2.0, 0.5};
    size_t bytes = bytes_of(img);
    void *before = omreg_test_alloc(bytes, 1);
    memcpy(before, omreg_image_cdata(img), bytes);
    int failed = 0;
    for (long n = 1; n < 10; ++n) {
        omreg_image *sentinel = (omreg_image *)&sentinel, *out = sentinel;
        omreg_testing_fail_alloc_at(n);
        omreg_status st = omreg_gaussian_filter(be, img, sigmas, OMREG_SMOOTH_REFLECT, 0, 4, &out);
        omreg_testing_fail_alloc_at(0);
        if (st == OMREG_OK) {
            omreg_image_free(out);
            break;
        }
        assert_int_equal(st, OMREG_ENOMEM);
        assert_true(out == sentinel);
        ++failed;
    }
    assert_true(failed >= 3); /* weights, output image, line buffers */
    for (long n = 1; n < 10; ++n) {
        omreg_testing_fail_alloc_at(n);
        omreg_status st =
            omreg_gaussian_filter_inplace(be, img, sigmas, OMREG_SMOOTH_REFLECT, 0, 4);
        omreg_testing_fail_alloc_at(0);
        if (st == OMREG_OK)
            break;
        assert_int_equal(st, OMREG_ENOMEM);
        assert_memory_equal(omreg_image_cdata(img), before, bytes);
    }
    free(before);
    omreg_image_free(img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_arguments),
        cmocka_unit_test(skipped_axes),
        cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
