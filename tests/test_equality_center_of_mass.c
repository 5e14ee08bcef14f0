/* Parallel vs reference, bitwise, for the centre-of-mass reduction
 * (center_of_mass_{2d,3d}_f64) and for transform_centers_of_mass through
 * either table. The images span hundreds of blocks (rows in 2D, slices in
 * 3D) with mixed-sign values, so a reordered or racy reduction would change
 * the bits; each parallel run is done twice (tests/support/equality.h).
 * ctest runs this binary over
 * the thread x schedule matrix. NaN policy: inputs are finite; outputs are
 * compared as bytes after pre-filling with a NaN pattern. */
#include "equality.h"

#include <stdlib.h>
#include <string.h>

#include "omreg/image.h"
#include "omreg/transform.h"

static const size_t shape2[2] = {257, 190}; /* 257 row blocks */
static const size_t shape3[3] = {41, 37, 33}; /* 41 slice blocks */

static void kernel_case(int dim, const size_t *shape, uint64_t seed)
{
    const size_t nvox = omreg_eq_voxels(dim, shape);
    double *img = omreg_test_alloc(nvox, sizeof(double));
    omreg_test_fill_uniform_f64(img, nvox, seed, -5.0, 40.0);
    const size_t nscratch = shape[0] * (size_t)(dim + 1);
    double *scratch = omreg_test_alloc(nscratch, sizeof(double));
    double want[4], got[4];
    omreg_eq eq = {0};
    omreg_eq_output(&eq, dim == 2 ? "center_of_mass_2d_f64" : "center_of_mass_3d_f64", want, got,
                    (size_t)dim + 1);
    omreg_eq_scratch(&eq, scratch, nscratch * sizeof(double));
    omreg_eq_reference(&eq);
    if (dim == 2)
        ref->center_of_mass_2d_f64(omreg_backend_threads(ref, 0), img, shape, scratch, want);
    else
        ref->center_of_mass_3d_f64(omreg_backend_threads(ref, 0), img, shape, scratch, want);
    OMREG_EQ_PARALLEL(&eq) {
        if (dim == 2)
            par->center_of_mass_2d_f64(omreg_backend_threads(par, 0), img, shape, scratch, got);
        else
            par->center_of_mass_3d_f64(omreg_backend_threads(par, 0), img, shape, scratch, got);
    }
    print_message("# center_of_mass_%dd_f64 hash %016llx\n", dim,
                  (unsigned long long)omreg_test_hash(got, sizeof(double) * (size_t)(dim + 1)));
    free(img);
    free(scratch);
}

static void center_of_mass_2d(void **state)
{
    (void)state;
    kernel_case(2, shape2, 31);
}

static void center_of_mass_3d(void **state)
{
    (void)state;
    kernel_case(3, shape3, 32);
}

/* The whole entry point through both tables: same affine bytes. */
static void driver_case(int dim, const size_t *shape_s, const size_t *shape_m)
{
    static const double g2w2[9] = {1.2, 0.3, -2.0, -0.2, 0.9, 1.0, 0, 0, 1};
    static const double g2w3[16] = {0.9, 0.2, -0.1, -3.0, -0.15, 1.1, 0.05, 2.0,
                                    0.1, -0.05, 1.3, 1.5, 0, 0, 0, 1};
    omreg_image *s = NULL, *m = NULL;
    const double *g2w = dim == 2 ? g2w2 : g2w3;
    assert_int_equal(omreg_image_create(&s, dim, shape_s, 1, OMREG_F64, g2w), OMREG_OK);
    assert_int_equal(omreg_image_create(&m, dim, shape_m, 1, OMREG_F64, NULL), OMREG_OK);
    omreg_test_fill_uniform_f64(omreg_image_data(s), omreg_image_voxels(s), 41, 0.0, 10.0);
    omreg_test_fill_uniform_f64(omreg_image_data(m), omreg_image_voxels(m), 42, 0.0, 10.0);
    double want[16], got[16];
    const size_t n = (size_t)(dim + 1) * (size_t)(dim + 1);
    omreg_eq eq = {0};
    omreg_eq_output(&eq, "transform_centers_of_mass", want, got, n);
    omreg_eq_reference(&eq);
    assert_int_equal(omreg_transform_centers_of_mass(ref, s, m, want), OMREG_OK);
    OMREG_EQ_PARALLEL(&eq) {
        assert_int_equal(omreg_transform_centers_of_mass(par, s, m, got), OMREG_OK);
    }
    omreg_image_free(s);
    omreg_image_free(m);
}

static void centers_of_mass_driver_2d(void **state)
{
    (void)state;
    const size_t shape_m[2] = {150, 211};
    driver_case(2, shape2, shape_m);
}

static void centers_of_mass_driver_3d(void **state)
{
    (void)state;
    const size_t shape_m[3] = {23, 31, 29};
    driver_case(3, shape3, shape_m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(center_of_mass_2d),
        cmocka_unit_test(center_of_mass_3d),
        cmocka_unit_test(centers_of_mass_driver_2d),
        cmocka_unit_test(centers_of_mass_driver_3d),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
