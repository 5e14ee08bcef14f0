/* Bad input to the warp family entry points (include/omreg/warp.h): every
 * documented status, a message for each failure, outputs untouched and
 * nothing leaked on failure (allocation failures injected with
 * omreg_testing_fail_alloc_at), and the DIPY semantics the validation keeps:
 * affines need only be finite (their last row is never read), n = 0 points
 * and NULL int_field are valid, warp_coordinates may run in place. */
#include "omreg_test.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/image.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */
#include "omreg/warp.h"

#define SENTINEL ((omreg_image *)(uintptr_t)0x1234)

static const omreg_backend *be;

static int setup(void **state)
{
    (void)state;
    be = omreg_test_backend();
    return 0;
}

static void expect(omreg_status got, omreg_status want)
{
    if (got != want)
        fail_msg("got %s, want %s (%s)", omreg_status_str(got), omreg_status_str(want),
                 omreg_last_error());
    if (want != OMREG_OK)
        assert_true(omreg_last_error()[0] != '\0');
    omreg_clear_error();
}

static omreg_image *make(int ndim, const size_t *shape, int ncomp, omreg_dtype dt, uint64_t seed)
{
    omreg_image *im = NULL;
    assert_int_equal(omreg_image_create(&im, ndim, shape, ncomp, dt, NULL), OMREG_OK);
    size_t n = omreg_image_voxels(im) * (size_t)ncomp;
    if (dt == OMREG_F64)
        omreg_test_fill_uniform_f64(omreg_image_data(im), n, seed, -2.0, 2.0);
    else
        omreg_test_fill_uniform_f32(omreg_image_data(im), n, seed, -2.0, 2.0);
    return im;
}

static const double A2[9] = {0.9, 0.1, 0.5, -0.1, 1.1, -0.3, 0, 0, 1};

static void warp_bad_input(void **state)
{
    (void)state;
    const size_t s2[2] = {9, 7}, small[2] = {5, 7}, s3[3] = {4, 5, 6};
    omreg_image *img = make(2, s2, 1, OMREG_F64, 1), *fld = make(2, s2, 2, OMREG_F64, 2);
    omreg_image *fsmall = make(2, small, 2, OMREG_F64, 3), *img32 = make(2, s2, 1, OMREG_F32, 4);
    omreg_image *fld3 = make(3, s3, 3, OMREG_F64, 5);
    omreg_image *out = SENTINEL;
    const size_t zero[2] = {0, 7};

    expect(omreg_warp(NULL, img, fld, NULL, NULL, NULL, NULL, OMREG_WARP_LINEAR, &out),
           OMREG_EINVAL);
    expect(omreg_warp(be, NULL, fld, NULL, NULL, NULL, NULL, OMREG_WARP_LINEAR, &out),
           OMREG_EINVAL);
    expect(omreg_warp(be, img, NULL, NULL, NULL, NULL, NULL, OMREG_WARP_LINEAR, &out),
           OMREG_EINVAL);
    expect(omreg_warp(be, img, fld, NULL, NULL, NULL, NULL, OMREG_WARP_LINEAR, NULL),
           OMREG_EINVAL);
    expect(omreg_warp(be, img, fld, NULL, NULL, NULL, NULL, (omreg_warp_interp)7, &out),
           OMREG_EINVAL);
    expect(omreg_warp(be, fld, fld, NULL, NULL, NULL, NULL, OMREG_WARP_LINEAR, &out),
           OMREG_ESHAPE); /* image is a field */
    expect(omreg_warp(be, img, img, NULL, NULL, NULL, NULL, OMREG_WARP_LINEAR, &out),
           OMREG_ESHAPE); /* field is scalar */
    expect(omreg_warp(be, img, fld3, A2, NULL, NULL, NULL, OMREG_WARP_LINEAR, &out),
           OMREG_ESHAPE); /* 2D image, 3D field */
    expect(omreg_warp(be, img32, fld, NULL, NULL, NULL, NULL, OMREG_WARP_LINEAR, &out),
           OMREG_EINVAL); /* dtypes differ */
    expect(omreg_warp(be, img, fld, NULL, NULL, NULL, zero, OMREG_WARP_LINEAR, &out),
           OMREG_ESHAPE);
    /* without affine_idx_in the field must cover out_shape ... */
    expect(omreg_warp(be, img, fsmall, NULL, NULL, NULL, s2, OMREG_WARP_NEAREST, &out),
           OMREG_ESHAPE);
    /* ... with it, any field size is fine */
    expect(omreg_warp(be, img, fsmall, A2, NULL, NULL, s2, OMREG_WARP_NEAREST, &out), OMREG_OK);
    omreg_image_free(out);
    out = SENTINEL;
    double bad[9];
    for (int which = 0; which < 3; ++which)
        for (int k = 0; k < 2; ++k) {
            memcpy(bad, A2, sizeof bad);
            bad[4] = k ? INFINITY : NAN;
            const double *a[3] = {A2, A2, A2};
            a[which] = bad;
            expect(omreg_warp(be, img, fld, a[0], a[1], a[2], NULL, OMREG_WARP_LINEAR, &out),
                   OMREG_ENONFINITE);
        }
    omreg_testing_fail_alloc_at(1);
    expect(omreg_warp(be, img, fld, NULL, NULL, NULL, NULL, OMREG_WARP_LINEAR, &out),
           OMREG_ENOMEM);
    omreg_testing_fail_alloc_at(0);
    assert_ptr_equal(out, SENTINEL);

    /* DIPY's is_valid_affine only asks for finite entries: a garbage last
     * row is accepted and never read */
    memcpy(bad, A2, sizeof bad);
    bad[6] = 3.0;
    bad[8] = -7.0;
    omreg_image *w1 = NULL, *w2 = NULL;
    expect(omreg_warp(be, img, fld, bad, bad, bad, NULL, OMREG_WARP_LINEAR, &w1), OMREG_OK);
    expect(omreg_warp(be, img, fld, A2, A2, A2, NULL, OMREG_WARP_LINEAR, &w2), OMREG_OK);
    assert_true(omreg_test_same_f64("last row ignored", omreg_image_cdata(w1),
                                    omreg_image_cdata(w2), omreg_image_voxels(w1)));
    omreg_image_free(w1);
    omreg_image_free(w2);

    omreg_image_free(img);
    omreg_image_free(fld);
    omreg_image_free(fsmall);
    omreg_image_free(img32);
    omreg_image_free(fld3);
}

static void warp_coordinates_bad_input(void **state)
{
    (void)state;
    const size_t s2[2] = {9, 7};
    omreg_image *fld = make(2, s2, 2, OMREG_F32, 6), *img = make(2, s2, 1, OMREG_F32, 7);
    double pts[8] = {1, 2, 3.5, 4, -1, 0.5, 8.5, 6.5}, out[8], keep[8];
    memset(out, 0x5A, sizeof out);
    memcpy(keep, out, sizeof out);

    expect(omreg_warp_coordinates(NULL, fld, pts, 4, NULL, NULL, NULL, out), OMREG_EINVAL);
    expect(omreg_warp_coordinates(be, NULL, pts, 4, NULL, NULL, NULL, out), OMREG_EINVAL);
    expect(omreg_warp_coordinates(be, fld, NULL, 4, NULL, NULL, NULL, out), OMREG_EINVAL);
    expect(omreg_warp_coordinates(be, fld, pts, 4, NULL, NULL, NULL, NULL), OMREG_EINVAL);
    expect(omreg_warp_coordinates(be, img, pts, 4, NULL, NULL, NULL, out), OMREG_ESHAPE);
    expect(omreg_warp_coordinates(be, fld, pts, SIZE_MAX / 4, NULL, NULL, NULL, out),
           OMREG_EOVERFLOW);
    expect(omreg_warp_coordinates(be, fld, pts, 3, NULL, NULL, NULL, pts + 1), OMREG_EINVAL);
    double nan_aff[9];
    memcpy(nan_aff, A2, sizeof nan_aff);
    nan_aff[2] = NAN;
    expect(omreg_warp_coordinates(be, fld, pts, 4, nan_aff, NULL, NULL, out), OMREG_ENONFINITE);
    expect(omreg_warp_coordinates(be, fld, pts, 4, NULL, nan_aff, NULL, out), OMREG_ENONFINITE);
    expect(omreg_warp_coordinates(be, fld, pts, 4, NULL, NULL, nan_aff, out), OMREG_ENONFINITE);
    assert_memory_equal(out, keep, sizeof out);
    /* n = 0 is an empty request, even with NULL buffers */
    expect(omreg_warp_coordinates(be, fld, NULL, 0, NULL, NULL, NULL, NULL), OMREG_OK);
    /* with no affines and points outside the field, the points come back */
    double far[4] = {-5, -5, 40, 40};
    expect(omreg_warp_coordinates(be, fld, far, 2, NULL, NULL, NULL, out), OMREG_OK);
    assert_memory_equal(out, far, sizeof far);
    omreg_image_free(fld);
    omreg_image_free(img);
}

static void downsample_and_resample_bad_input(void **state)
{
    (void)state;
    const size_t s3[3] = {5, 1, 4}, os[3] = {7, 2, 9}, zero[3] = {7, 0, 9};
    omreg_image *img = make(3, s3, 1, OMREG_F32, 8), *fld = make(3, s3, 3, OMREG_F32, 9);
    omreg_image *out = SENTINEL;
    expect(omreg_downsample_field(NULL, img, &out), OMREG_EINVAL);
    expect(omreg_downsample_field(be, NULL, &out), OMREG_EINVAL);
    expect(omreg_downsample_field(be, img, NULL), OMREG_EINVAL);
    omreg_testing_fail_alloc_at(1);
    expect(omreg_downsample_field(be, fld, &out), OMREG_ENOMEM);
    omreg_testing_fail_alloc_at(0);
    assert_ptr_equal(out, SENTINEL);
    /* a 1-voxel axis stays 1 voxel; odd axes round up */
    expect(omreg_downsample_field(be, fld, &out), OMREG_OK);
    assert_int_equal(omreg_image_shape(out)[0], 3);
    assert_int_equal(omreg_image_shape(out)[1], 1);
    assert_int_equal(omreg_image_shape(out)[2], 2);
    assert_int_equal(omreg_image_ncomp(out), 3);
    omreg_image_free(out);
    out = SENTINEL;

    const double f[3] = {0.5, 0.5, 0.5}, fnan[3] = {0.5, NAN, 0.5};
    expect(omreg_resample_displacement_field(NULL, fld, f, os, &out), OMREG_EINVAL);
    expect(omreg_resample_displacement_field(be, fld, NULL, os, &out), OMREG_EINVAL);
    expect(omreg_resample_displacement_field(be, fld, f, NULL, &out), OMREG_EINVAL);
    expect(omreg_resample_displacement_field(be, fld, f, os, NULL), OMREG_EINVAL);
    expect(omreg_resample_displacement_field(be, img, f, os, &out), OMREG_ESHAPE);
    expect(omreg_resample_displacement_field(be, fld, f, zero, &out), OMREG_ESHAPE);
    expect(omreg_resample_displacement_field(be, fld, fnan, os, &out), OMREG_ENONFINITE);
    omreg_testing_fail_alloc_at(1);
    expect(omreg_resample_displacement_field(be, fld, f, os, &out), OMREG_ENOMEM);
    omreg_testing_fail_alloc_at(0);
    assert_ptr_equal(out, SENTINEL);
    omreg_image_free(img);
    omreg_image_free(fld);
}

static void generators_bad_input(void **state)
{
    (void)state;
    const size_t from[2] = {6, 5}, to[2] = {7, 8}, to_small[2] = {7, 2}, zero[2] = {6, 0};
    const size_t s3[3] = {4, 5, 6};
    omreg_image *out = SENTINEL, *inv = SENTINEL;
    int ints[60];
    double nan_aff[9];
    memcpy(nan_aff, A2, sizeof nan_aff);
    nan_aff[0] = NAN;

    expect(omreg_create_random_displacement(NULL, 2, from, NULL, to, NULL, 1, OMREG_F64, &out,
                                            ints),
           OMREG_EINVAL);
    expect(omreg_create_random_displacement(be, 2, NULL, NULL, to, NULL, 1, OMREG_F64, &out,
                                            ints),
           OMREG_EINVAL);
    expect(omreg_create_random_displacement(be, 2, from, NULL, NULL, NULL, 1, OMREG_F64, &out,
                                            ints),
           OMREG_EINVAL);
    expect(omreg_create_random_displacement(be, 2, from, NULL, to, NULL, 1, OMREG_F64, NULL,
                                            ints),
           OMREG_EINVAL);
    expect(omreg_create_random_displacement(be, 4, from, NULL, to, NULL, 1, OMREG_F64, &out,
                                            ints),
           OMREG_ESHAPE);
    expect(omreg_create_random_displacement(be, 2, from, NULL, to, NULL, 1, (omreg_dtype)9,
                                            &out, ints),
           OMREG_EINVAL);
    expect(omreg_create_random_displacement(be, 2, zero, NULL, to, NULL, 1, OMREG_F64, &out,
                                            ints),
           OMREG_ESHAPE);
    /* DIPY's randint(1, n - 1) needs n >= 3 */
    expect(omreg_create_random_displacement(be, 2, from, NULL, to_small, NULL, 1, OMREG_F64,
                                            &out, ints),
           OMREG_EINVAL);
    expect(omreg_create_random_displacement(be, 2, from, nan_aff, to, NULL, 1, OMREG_F64, &out,
                                            ints),
           OMREG_ENONFINITE);
    expect(omreg_create_random_displacement(be, 2, from, NULL, to, nan_aff, 1, OMREG_F64, &out,
                                            ints),
           OMREG_ENONFINITE);
    for (long k = 1; k <= 2; ++k) { /* the image, then the target scratch */
        omreg_testing_fail_alloc_at(k);
        expect(omreg_create_random_displacement(be, 2, from, NULL, to, NULL, 1, OMREG_F64, &out,
                                                NULL),
               OMREG_ENOMEM);
        omreg_testing_fail_alloc_at(0);
        assert_ptr_equal(out, SENTINEL);
    }
    /* int_field is optional: the field is the same either way */
    omreg_image *a = NULL, *b = NULL;
    expect(omreg_create_random_displacement(be, 2, from, A2, to, A2, 1, OMREG_F64, &a, ints),
           OMREG_OK);
    expect(omreg_create_random_displacement(be, 2, from, A2, to, A2, 1, OMREG_F64, &b, NULL),
           OMREG_OK);
    assert_true(omreg_test_same_f64("int_field optional", omreg_image_cdata(a),
                                    omreg_image_cdata(b), 60));
    omreg_image_free(a);
    omreg_image_free(b);

    expect(omreg_create_harmonic_fields(NULL, 3, s3, 0.1, 4, OMREG_F64, &out, &inv),
           OMREG_EINVAL);
    expect(omreg_create_harmonic_fields(be, 3, NULL, 0.1, 4, OMREG_F64, &out, &inv),
           OMREG_EINVAL);
    expect(omreg_create_harmonic_fields(be, 3, s3, 0.1, 4, OMREG_F64, NULL, &inv), OMREG_EINVAL);
    expect(omreg_create_harmonic_fields(be, 3, s3, 0.1, 4, OMREG_F64, &out, NULL), OMREG_EINVAL);
    expect(omreg_create_harmonic_fields(be, 1, s3, 0.1, 4, OMREG_F64, &out, &inv), OMREG_ESHAPE);
    expect(omreg_create_harmonic_fields(be, 3, s3, 0.1, 4, (omreg_dtype)-1, &out, &inv),
           OMREG_EINVAL);
    expect(omreg_create_harmonic_fields(be, 3, s3, NAN, 4, OMREG_F64, &out, &inv),
           OMREG_ENONFINITE);
    expect(omreg_create_harmonic_fields(be, 3, s3, 0.1, INFINITY, OMREG_F64, &out, &inv),
           OMREG_ENONFINITE);
    for (long k = 1; k <= 2; ++k) {
        omreg_testing_fail_alloc_at(k);
        expect(omreg_create_harmonic_fields(be, 3, s3, 0.1, 4, OMREG_F32, &out, &inv),
               OMREG_ENOMEM);
        omreg_testing_fail_alloc_at(0);
        assert_ptr_equal(out, SENTINEL);
        assert_ptr_equal(inv, SENTINEL);
    }

    expect(omreg_create_circle(NULL, from, 2, OMREG_F64, &out), OMREG_EINVAL);
    expect(omreg_create_circle(be, NULL, 2, OMREG_F64, &out), OMREG_EINVAL);
    expect(omreg_create_circle(be, from, 2, OMREG_F64, NULL), OMREG_EINVAL);
    expect(omreg_create_circle(be, zero, 2, OMREG_F64, &out), OMREG_ESHAPE);
    expect(omreg_create_sphere(be, s3, 2, (omreg_dtype)5, &out), OMREG_EINVAL);
    omreg_testing_fail_alloc_at(1);
    expect(omreg_create_sphere(be, s3, 2, OMREG_F32, &out), OMREG_ENOMEM);
    omreg_testing_fail_alloc_at(0);
    assert_ptr_equal(out, SENTINEL);
    /* a negative radius is valid and empty; a huge one fills the grid */
    expect(omreg_create_sphere(be, s3, -1, OMREG_F32, &out), OMREG_OK);
    const float *v = omreg_image_cdata(out);
    for (size_t i = 0; i < omreg_image_voxels(out); ++i)
        assert_true(v[i] == 0.0f);
    omreg_image_free(out);
    expect(omreg_create_circle(be, from, 100, OMREG_F64, &out), OMREG_OK);
    const double *c = omreg_image_cdata(out);
    for (size_t i = 0; i < omreg_image_voxels(out); ++i)
        assert_true(c[i] == 1.0);
    omreg_image_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(warp_bad_input),
        cmocka_unit_test(warp_coordinates_bad_input),
        cmocka_unit_test(downsample_and_resample_bad_input),
        cmocka_unit_test(generators_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
