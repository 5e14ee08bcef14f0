/* Bad input to the parametric transforms: unknown type or name, dimension
 * other than 2 or 3, NULL pointers, non-finite parameters or points; and to
 * the initial alignments: NULL pointers, mismatched dimensionality, float32
 * or vector images, zero total intensity, NaN/Inf voxels. Each call must
 * return the stated status, leave a message in omreg_last_error() and leave
 * its outputs untouched. */
#include "omreg_test.h"

#include <math.h>
#include <string.h>

#include "omreg/image.h"
#include "omreg/transform.h"

#define SENTINEL (-12345.0)

static void clear(double *a, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        a[i] = SENTINEL;
}

static void untouched(const double *a, size_t n)
{
    for (size_t i = 0; i < n; ++i)
        assert_true(a[i] == SENTINEL);
}

static void expect(omreg_status got, omreg_status want)
{
    assert_int_equal(got, want);
    assert_true(omreg_last_error()[0] != '\0');
    omreg_clear_error();
}

static const omreg_transform_type bad_types[] = {(omreg_transform_type)-1,
                                                 OMREG_TRANSFORM_TYPE_COUNT,
                                                 (omreg_transform_type)1000};
static const int bad_dims[] = {-1, 0, 1, 4, 100};

static void bad_type_or_dim(void **state)
{
    (void)state;
    double p[OMREG_TRANSFORM_MAX_PARAMS] = {0}, x[3] = {1, 2, 3};
    double m[16], j[3 * OMREG_TRANSFORM_MAX_PARAMS], ip[OMREG_TRANSFORM_MAX_PARAMS];
    for (int pass = 0; pass < 2; ++pass) {
        size_t count = pass == 0 ? sizeof bad_types / sizeof bad_types[0]
                                 : sizeof bad_dims / sizeof bad_dims[0];
        for (size_t i = 0; i < count; ++i) {
            omreg_transform_type type = pass == 0 ? bad_types[i] : OMREG_TRANSFORM_RIGID;
            int dim = pass == 0 ? 3 : bad_dims[i];
            int n = -7, c = -7;
            clear(m, 16);
            clear(j, 3 * OMREG_TRANSFORM_MAX_PARAMS);
            clear(ip, OMREG_TRANSFORM_MAX_PARAMS);
            expect(omreg_transform_nparams(type, dim, &n), OMREG_EINVAL);
            assert_int_equal(n, -7);
            expect(omreg_transform_identity_params(type, dim, ip), OMREG_EINVAL);
            expect(omreg_transform_param_to_matrix(type, dim, p, m), OMREG_EINVAL);
            expect(omreg_transform_jacobian(type, dim, p, x, j, &c), OMREG_EINVAL);
            assert_int_equal(c, -7);
            untouched(m, 16);
            untouched(j, 3 * OMREG_TRANSFORM_MAX_PARAMS);
            untouched(ip, OMREG_TRANSFORM_MAX_PARAMS);
        }
    }
    for (size_t i = 0; i < sizeof bad_types / sizeof bad_types[0]; ++i)
        assert_null(omreg_transform_name(bad_types[i]));
}

static void null_pointers(void **state)
{
    (void)state;
    double p[OMREG_TRANSFORM_MAX_PARAMS] = {0}, x[3] = {1, 2, 3};
    double m[16], j[3 * OMREG_TRANSFORM_MAX_PARAMS];
    const omreg_transform_type t = OMREG_TRANSFORM_AFFINE;
    expect(omreg_transform_nparams(t, 3, NULL), OMREG_EINVAL);
    expect(omreg_transform_identity_params(t, 3, NULL), OMREG_EINVAL);
    clear(m, 16);
    expect(omreg_transform_param_to_matrix(t, 3, NULL, m), OMREG_EINVAL);
    untouched(m, 16);
    expect(omreg_transform_param_to_matrix(t, 3, p, NULL), OMREG_EINVAL);
    clear(j, 3 * OMREG_TRANSFORM_MAX_PARAMS);
    expect(omreg_transform_jacobian(t, 3, NULL, x, j, NULL), OMREG_EINVAL);
    expect(omreg_transform_jacobian(t, 3, p, NULL, j, NULL), OMREG_EINVAL);
    untouched(j, 3 * OMREG_TRANSFORM_MAX_PARAMS);
    expect(omreg_transform_jacobian(t, 3, p, x, NULL, NULL), OMREG_EINVAL);
    /* is_constant may be NULL */
    assert_int_equal(omreg_transform_jacobian(t, 3, p, x, j, NULL), OMREG_OK);
}

/* Non-finite values are DIPY's to propagate (imaffine relies on a NaN
 * matrix): accepted, every output entry written (the values are golden in
 * test_golden_transforms). */
static void non_finite_values(void **state)
{
    (void)state;
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    for (int dim = 2; dim <= 3; ++dim)
        for (int t = 0; t < OMREG_TRANSFORM_TYPE_COUNT; ++t) {
            omreg_transform_type type = (omreg_transform_type)t;
            int n = 0;
            assert_int_equal(omreg_transform_nparams(type, dim, &n), OMREG_OK);
            for (int b = 0; b < 3; ++b)
                for (int k = 0; k < n; ++k) { /* each parameter in turn */
                    double p[OMREG_TRANSFORM_MAX_PARAMS], x[3] = {1, 2, 3};
                    double m[16], j[3 * OMREG_TRANSFORM_MAX_PARAMS];
                    assert_int_equal(omreg_transform_identity_params(type, dim, p), OMREG_OK);
                    p[k] = bad[b];
                    assert_int_equal(omreg_transform_param_to_matrix(type, dim, p, m), OMREG_OK);
                    assert_int_equal(omreg_transform_jacobian(type, dim, p, x, j, NULL),
                                     OMREG_OK);
                }
        }
}

static void bad_names(void **state)
{
    (void)state;
    /* DIPY's regtransforms is a dict keyed by (NAME, dim): exact, upper case */
    static const char *const bad[] = {"rigid", "Rigid", "RIGID ", " RIGID", "", "RIGID3D",
                                      "AFFINE2", "TRANSLATIONS", "ISOSCALING"};
    omreg_transform_type type = OMREG_TRANSFORM_TYPE_COUNT;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        expect(omreg_transform_from_name(bad[i], 3, &type), OMREG_EINVAL);
        assert_int_equal(type, OMREG_TRANSFORM_TYPE_COUNT);
    }
    for (size_t i = 0; i < sizeof bad_dims / sizeof bad_dims[0]; ++i) {
        expect(omreg_transform_from_name("RIGID", bad_dims[i], &type), OMREG_EINVAL);
        assert_int_equal(type, OMREG_TRANSFORM_TYPE_COUNT);
    }
    expect(omreg_transform_from_name(NULL, 3, &type), OMREG_EINVAL);
    expect(omreg_transform_from_name("RIGID", 3, NULL), OMREG_EINVAL);
    assert_int_equal(type, OMREG_TRANSFORM_TYPE_COUNT);
}

static void init_bad_input(void **state)
{
    (void)state;
    const omreg_backend *b = omreg_backend_parallel();
    const size_t sh2[2] = {5, 6}, sh3[3] = {4, 5, 6};
    omreg_image *s2 = NULL, *s3 = NULL, *f32 = NULL, *field = NULL, *zero = NULL;
    assert_int_equal(omreg_image_create(&s2, 2, sh2, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&s3, 3, sh3, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&f32, 3, sh3, 1, OMREG_F32, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&field, 3, sh3, 3, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&zero, 3, sh3, 1, OMREG_F64, NULL), OMREG_OK);
    for (size_t v = 0; v < omreg_image_voxels(s3); ++v)
        ((double *)omreg_image_data(s3))[v] = 1.0 + (double)v;
    for (size_t v = 0; v < omreg_image_voxels(s2); ++v)
        ((double *)omreg_image_data(s2))[v] = 1.0;
    double a[16];
    clear(a, 16);

    expect(omreg_transform_centers_of_mass(NULL, s3, s3, a), OMREG_EINVAL);
    expect(omreg_transform_centers_of_mass(b, NULL, s3, a), OMREG_EINVAL);
    expect(omreg_transform_centers_of_mass(b, s3, NULL, a), OMREG_EINVAL);
    expect(omreg_transform_centers_of_mass(b, s3, s3, NULL), OMREG_EINVAL);
    expect(omreg_transform_centers_of_mass(b, s2, s3, a), OMREG_ESHAPE);
    expect(omreg_transform_centers_of_mass(b, s3, f32, a), OMREG_EUNSUPPORTED);
    expect(omreg_transform_centers_of_mass(b, field, s3, a), OMREG_ESHAPE);
    expect(omreg_transform_centers_of_mass(b, s3, zero, a), OMREG_EINVAL);
    expect(omreg_transform_centers_of_mass(b, zero, s3, a), OMREG_EINVAL);
    const double bad[3] = {NAN, INFINITY, -INFINITY};
    for (int i = 0; i < 3; ++i) {
        ((double *)omreg_image_data(zero))[17] = bad[i];
        expect(omreg_transform_centers_of_mass(b, s3, zero, a), OMREG_ENONFINITE);
        expect(omreg_transform_centers_of_mass(omreg_backend_reference(), zero, s3, a),
               OMREG_ENONFINITE);
    }
    for (int i = 0; i < 2; ++i) {
        expect(i ? omreg_transform_origins(NULL, s3, a)
                 : omreg_transform_geometric_centers(NULL, s3, a), OMREG_EINVAL);
        expect(i ? omreg_transform_origins(s3, NULL, a)
                 : omreg_transform_geometric_centers(s3, NULL, a), OMREG_EINVAL);
        expect(i ? omreg_transform_origins(s3, s3, NULL)
                 : omreg_transform_geometric_centers(s3, s3, NULL), OMREG_EINVAL);
        expect(i ? omreg_transform_origins(s3, s2, a)
                 : omreg_transform_geometric_centers(s3, s2, a), OMREG_ESHAPE);
    }
    untouched(a, 16);
    omreg_image_free(s2);
    omreg_image_free(s3);
    omreg_image_free(f32);
    omreg_image_free(field);
    omreg_image_free(zero);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_type_or_dim),
        cmocka_unit_test(null_pointers),
        cmocka_unit_test(non_finite_values),
        cmocka_unit_test(bad_names),
        cmocka_unit_test(init_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
