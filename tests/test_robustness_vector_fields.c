/* Bad input to the displacement-field entry points (omreg/vector_fields.h):
 * every documented status, a message for each, outputs untouched on
 * failure, and allocation failures at every allocation of each call.
 * NaN policy: NaN and Inf appear only as the rejected inputs. */
#include "omreg_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/image.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */
#include "omreg/vector_fields.h"

static const omreg_backend *be;
static const size_t shape2[2] = {7, 9}, shape3[3] = {5, 6, 4};

static int setup(void **state)
{
    (void)state;
    be = omreg_test_backend();
    return 0;
}

static omreg_image *field(int dim, const size_t *shape, omreg_dtype dt)
{
    omreg_image *f = NULL;
    assert_int_equal(omreg_image_create(&f, dim, shape, dim, dt, NULL), OMREG_OK);
    return f;
}

#define EXPECT(status, call)                                                                   \
    do {                                                                                       \
        omreg_clear_error();                                                                   \
        assert_int_equal((call), (status));                                                    \
        assert_true(omreg_last_error()[0] != '\0');                                            \
    } while (0)

static void compose_bad_input(void **state)
{
    (void)state;
    omreg_image *d1 = field(2, shape2, OMREG_F64), *d2 = field(2, shape2, OMREG_F64);
    omreg_image *comp = field(2, shape2, OMREG_F64), *f32 = field(2, shape2, OMREG_F32);
    omreg_image *d3 = field(3, shape3, OMREG_F64), *scalar = NULL;
    assert_int_equal(omreg_image_create(&scalar, 2, shape2, 1, OMREG_F64, NULL), OMREG_OK);
    const size_t other[2] = {7, 8};
    omreg_image *small = field(2, other, OMREG_F64);
    double stats[3] = {-1, -2, -3}, nan_aff[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    nan_aff[2] = NAN;

    EXPECT(OMREG_EINVAL, omreg_compose_vector_fields(NULL, d1, d2, NULL, NULL, 1, comp, stats));
    EXPECT(OMREG_EINVAL, omreg_compose_vector_fields(be, NULL, d2, NULL, NULL, 1, comp, stats));
    EXPECT(OMREG_EINVAL, omreg_compose_vector_fields(be, d1, NULL, NULL, NULL, 1, comp, stats));
    EXPECT(OMREG_EINVAL, omreg_compose_vector_fields(be, d1, d2, NULL, NULL, 1, NULL, stats));
    EXPECT(OMREG_ESHAPE, omreg_compose_vector_fields(be, scalar, d2, NULL, NULL, 1, comp, stats));
    EXPECT(OMREG_ESHAPE, omreg_compose_vector_fields(be, d1, d3, NULL, NULL, 1, comp, stats));
    EXPECT(OMREG_ESHAPE, omreg_compose_vector_fields(be, d1, f32, NULL, NULL, 1, comp, stats));
    EXPECT(OMREG_ESHAPE, omreg_compose_vector_fields(be, d1, d2, NULL, NULL, 1, small, stats));
    /* d2 of another shape is fine */
    assert_int_equal(omreg_compose_vector_fields(be, d1, small, NULL, NULL, 1, comp, NULL),
                     OMREG_OK);
    /* comp aliasing d2, or overlapping d1 partially */
    EXPECT(OMREG_EINVAL, omreg_compose_vector_fields(be, d1, d2, NULL, NULL, 1, d2, stats));
    double *buf = omreg_test_alloc(2 * 7 * 9 + 2, sizeof(double));
    omreg_image *a = NULL, *b = NULL;
    assert_int_equal(omreg_image_wrap(&a, buf, 2, shape2, 2, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_wrap(&b, buf + 2, 2, shape2, 2, OMREG_F64, NULL), OMREG_OK);
    EXPECT(OMREG_EINVAL, omreg_compose_vector_fields(be, a, d2, NULL, NULL, 1, b, stats));
    EXPECT(OMREG_EINVAL, omreg_compose_vector_fields(be, d1, a, NULL, NULL, 1, b, stats));
    /* in place is allowed */
    assert_int_equal(omreg_compose_vector_fields(be, a, d2, NULL, NULL, 1, a, NULL), OMREG_OK);
    EXPECT(OMREG_ENONFINITE,
           omreg_compose_vector_fields(be, d1, d2, nan_aff, NULL, 1, comp, stats));
    EXPECT(OMREG_ENONFINITE,
           omreg_compose_vector_fields(be, d1, d2, NULL, nan_aff, 1, comp, stats));
    EXPECT(OMREG_ENONFINITE,
           omreg_compose_vector_fields(be, d1, d2, NULL, NULL, INFINITY, comp, stats));
    /* allocation failure: comp and stats untouched */
    memset(omreg_image_data(comp), 0x5A, 7 * 9 * 2 * sizeof(double));
    omreg_testing_fail_alloc_at(1);
    EXPECT(OMREG_ENOMEM, omreg_compose_vector_fields(be, d1, d2, NULL, NULL, 1, comp, stats));
    omreg_testing_fail_alloc_at(0);
    for (size_t k = 0; k < 7 * 9 * 2 * sizeof(double); ++k)
        assert_int_equal(((unsigned char *)omreg_image_data(comp))[k], 0x5A);
    assert_true(stats[0] == -1 && stats[1] == -2 && stats[2] == -3);

    omreg_image_free(a);
    omreg_image_free(b);
    free(buf);
    omreg_image_free(d1);
    omreg_image_free(d2);
    omreg_image_free(comp);
    omreg_image_free(f32);
    omreg_image_free(d3);
    omreg_image_free(scalar);
    omreg_image_free(small);
}

static void invert_bad_input(void **state)
{
    (void)state;
    omreg_image *d = field(3, shape3, OMREG_F32), *f64 = field(3, shape3, OMREG_F64);
    const size_t other[3] = {5, 6, 5};
    omreg_image *small = field(3, other, OMREG_F32), *scalar = NULL;
    assert_int_equal(omreg_image_create(&scalar, 3, shape3, 1, OMREG_F32, NULL), OMREG_OK);
    const double sp[3] = {1, 2, 1}, sp0[3] = {1, 0, 1}, spn[3] = {1, NAN, 1};
    double aff[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    omreg_image *sentinel = (omreg_image *)&aff, *out = sentinel;
    omreg_invert_info info = {-7, -7};

    EXPECT(OMREG_EINVAL,
           omreg_invert_vector_field_fixed_point(NULL, d, aff, sp, 5, 1e-3, NULL, &out, &info));
    EXPECT(OMREG_EINVAL,
           omreg_invert_vector_field_fixed_point(be, NULL, aff, sp, 5, 1e-3, NULL, &out, &info));
    EXPECT(OMREG_EINVAL,
           omreg_invert_vector_field_fixed_point(be, d, aff, NULL, 5, 1e-3, NULL, &out, &info));
    EXPECT(OMREG_EINVAL,
           omreg_invert_vector_field_fixed_point(be, d, aff, sp, 5, 1e-3, NULL, NULL, &info));
    EXPECT(OMREG_ESHAPE, omreg_invert_vector_field_fixed_point(be, scalar, aff, sp, 5, 1e-3,
                                                               NULL, &out, &info));
    EXPECT(OMREG_EINVAL,
           omreg_invert_vector_field_fixed_point(be, d, aff, sp, -1, 1e-3, NULL, &out, &info));
    EXPECT(OMREG_EINVAL,
           omreg_invert_vector_field_fixed_point(be, d, aff, sp0, 5, 1e-3, NULL, &out, &info));
    EXPECT(OMREG_ENONFINITE,
           omreg_invert_vector_field_fixed_point(be, d, aff, spn, 5, 1e-3, NULL, &out, &info));
    EXPECT(OMREG_ENONFINITE,
           omreg_invert_vector_field_fixed_point(be, d, aff, sp, 5, NAN, NULL, &out, &info));
    EXPECT(OMREG_ESHAPE,
           omreg_invert_vector_field_fixed_point(be, d, aff, sp, 5, 1e-3, small, &out, &info));
    EXPECT(OMREG_ESHAPE,
           omreg_invert_vector_field_fixed_point(be, d, aff, sp, 5, 1e-3, f64, &out, &info));
    aff[5] = INFINITY;
    EXPECT(OMREG_ENONFINITE,
           omreg_invert_vector_field_fixed_point(be, d, aff, sp, 5, 1e-3, NULL, &out, &info));
    aff[5] = 1;
    /* each allocation failing in turn (output image, residual field,
     * scratch), until the call needs no more */
    long failures = 0;
    for (long k = 1; k < 20; ++k) {
        omreg_testing_fail_alloc_at(k);
        omreg_status st = omreg_invert_vector_field_fixed_point(be, d, aff, sp, 5, 1e-3, NULL,
                                                                &out, &info);
        omreg_testing_fail_alloc_at(0);
        if (st == OMREG_OK)
            break;
        assert_int_equal(st, OMREG_ENOMEM);
        assert_ptr_equal(out, sentinel);
        assert_int_equal(info.iterations, -7);
        ++failures;
    }
    assert_true(failures >= 3);
    assert_ptr_not_equal(out, sentinel);
    omreg_image_free(out);
    /* and a good call after all that */
    assert_int_equal(omreg_invert_vector_field_fixed_point(be, d, NULL, sp, 5, 1e-3, NULL, &out,
                                                           NULL),
                     OMREG_OK);
    omreg_image_free(out);
    omreg_image_free(d);
    omreg_image_free(f64);
    omreg_image_free(small);
    omreg_image_free(scalar);
}

static void simplify_bad_input(void **state)
{
    (void)state;
    omreg_image *d = field(2, shape2, OMREG_F64), *scalar = NULL;
    assert_int_equal(omreg_image_create(&scalar, 2, shape2, 1, OMREG_F64, NULL), OMREG_OK);
    double U[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1}, bad[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    bad[4] = NAN;
    const size_t zero_axis[2] = {7, 0}, other[2] = {8, 9}, huge[2] = {SIZE_MAX / 2, 3};
    omreg_image *sentinel = (omreg_image *)U, *out = sentinel;

    EXPECT(OMREG_EINVAL, omreg_simplify_warp_function(NULL, d, U, U, U, shape2, &out));
    EXPECT(OMREG_EINVAL, omreg_simplify_warp_function(be, NULL, U, U, U, shape2, &out));
    EXPECT(OMREG_EINVAL, omreg_simplify_warp_function(be, d, U, U, U, NULL, &out));
    EXPECT(OMREG_EINVAL, omreg_simplify_warp_function(be, d, U, U, U, shape2, NULL));
    EXPECT(OMREG_ESHAPE, omreg_simplify_warp_function(be, scalar, U, U, U, shape2, &out));
    EXPECT(OMREG_ESHAPE, omreg_simplify_warp_function(be, d, U, U, U, zero_axis, &out));
    EXPECT(OMREG_EOVERFLOW, omreg_simplify_warp_function(be, d, U, U, U, huge, &out));
    /* without affine_idx_in, d is read at the output voxel: shapes must agree */
    EXPECT(OMREG_ESHAPE, omreg_simplify_warp_function(be, d, NULL, U, U, other, &out));
    EXPECT(OMREG_ENONFINITE, omreg_simplify_warp_function(be, d, bad, U, U, shape2, &out));
    EXPECT(OMREG_ENONFINITE, omreg_simplify_warp_function(be, d, U, bad, U, shape2, &out));
    EXPECT(OMREG_ENONFINITE, omreg_simplify_warp_function(be, d, U, U, bad, shape2, &out));
    omreg_testing_fail_alloc_at(1);
    EXPECT(OMREG_ENOMEM, omreg_simplify_warp_function(be, d, U, U, U, other, &out));
    omreg_testing_fail_alloc_at(0);
    assert_ptr_equal(out, sentinel);
    /* with affine_idx_in, any output grid */
    assert_int_equal(omreg_simplify_warp_function(be, d, U, NULL, NULL, other, &out), OMREG_OK);
    assert_int_equal(omreg_image_shape(out)[0], 8);
    omreg_image_free(out);
    omreg_image_free(d);
    omreg_image_free(scalar);
}

static void reorient_bad_input(void **state)
{
    (void)state;
    omreg_image *d = field(3, shape3, OMREG_F32), *scalar = NULL;
    assert_int_equal(omreg_image_create(&scalar, 3, shape3, 1, OMREG_F32, NULL), OMREG_OK);
    double A[16] = {2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1};
    float *data = omreg_image_data(d);
    const size_t n = 5 * 6 * 4 * 3;
    omreg_test_fill_uniform_f32(data, n, 7, -1, 1);
    float *copy = omreg_test_alloc(n, sizeof(float));
    memcpy(copy, data, n * sizeof(float));
    EXPECT(OMREG_EINVAL, omreg_reorient_vector_field(NULL, d, A));
    EXPECT(OMREG_EINVAL, omreg_reorient_vector_field(be, NULL, A));
    EXPECT(OMREG_ESHAPE, omreg_reorient_vector_field(be, scalar, A));
    A[11] = NAN; /* even the (unused) translation must be finite, as DIPY checks */
    EXPECT(OMREG_ENONFINITE, omreg_reorient_vector_field(be, d, A));
    assert_memory_equal(data, copy, n * sizeof(float));
    free(copy);
    omreg_image_free(d);
    omreg_image_free(scalar);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(compose_bad_input),
        cmocka_unit_test(invert_bad_input),
        cmocka_unit_test(simplify_bad_input),
        cmocka_unit_test(reorient_bad_input),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
