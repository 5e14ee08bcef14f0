/* Whole affine registrations, bitwise identical across backends: the same
 * driver runs with the reference and the parallel table (twice,
 * tests/support/equality.h's OMREG_EQ_RUNS), dense and
 * sparse, masked, 2D and 3D; the final matrices, parameters and MI must be
 * the same bytes. Registered over the thread x schedule matrix, this also
 * proves the whole pipeline is thread-count and schedule independent.
 * Images are small blob phantoms so a run stays well under a second. */
#include "equality.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"
#include "omreg/random.h"
#include "phantom.h"

static void run_case(int dim, omreg_transform_type type, double sampling, int masked, int restarts)
{
    double g2w[16];
    omreg_image *s = NULL, *m = NULL, *mask = NULL;
    omreg_test_affine_pair(ref, dim, g2w, &s, &m);
    const size_t *shape = omreg_image_shape(s);
    if (masked) {
        assert_int_equal(omreg_image_create(&mask, dim, shape, 1, OMREG_F64, g2w), OMREG_OK);
        for (size_t v = 0; v < omreg_image_voxels(mask); ++v)
            ((double *)mask->data)[v] = omreg_random_uniform(9, v) < 0.9;
    }
    omreg_affine_options o = omreg_affine_default_options();
    o.level_iters[0] = 25;
    o.level_iters[1] = 15;
    o.level_iters[2] = 6;
    o.sigmas[0] = 2.0;
    o.sampling_proportion = sampling;
    o.restarts = restarts;
    if (restarts) /* room for a restart after a stall */
        o.level_iters[0] = o.level_iters[1] = o.level_iters[2] = 60;
    omreg_affine_result want, got;
    omreg_eq_poison(&want, sizeof want, 0x33);
    assert_int_equal(omreg_affine_register(ref, s, m, mask, mask, type, NULL, NULL, &o, &want),
                     OMREG_OK);
    const int n = (dim + 1) * (dim + 1); /* entries of the matrix a run sets */
    for (int run = 0; run < OMREG_EQ_RUNS; ++run) {
        omreg_eq_poison(&got, sizeof got, run % 2 ? 0x5A : 0xA5);
        assert_int_equal(omreg_affine_register(par, s, m, mask, mask, type, NULL, NULL, &o, &got),
                         OMREG_OK);
        OMREG_EQ_SAME(f64, "final affine", got.affine, want.affine, (size_t)n);
        OMREG_EQ_SAME(f64, "final params", got.params, want.params, (size_t)want.nparams);
        OMREG_EQ_SAME(f64, "final MI", &got.mi, &want.mi, 1);
        assert_int_equal(got.evaluations, want.evaluations);
    }
    print_message("%dD %s: %d evaluations, MI %.17g, hash %016llx\n", dim,
                  omreg_transform_name(type), want.evaluations, want.mi,
                  (unsigned long long)omreg_test_hash(want.affine, sizeof(double) * (size_t)n));
    /* the registration moved: a test of a no-op would pass trivially */
    assert_true(fabs(want.affine[dim]) > 0.3);
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(mask);
}

static void dense_3d_rigid(void **s) { (void)s; run_case(3, OMREG_TRANSFORM_RIGID, 0.0, 0, 0); }
static void dense_3d_affine_masked(void **s) { (void)s; run_case(3, OMREG_TRANSFORM_AFFINE, 0.0, 1, 0); }
static void sparse_3d_rigid(void **s) { (void)s; run_case(3, OMREG_TRANSFORM_RIGID, 0.25, 0, 0); }
static void dense_2d_affine(void **s) { (void)s; run_case(2, OMREG_TRANSFORM_AFFINE, 0.0, 0, 0); }
static void sparse_2d_rigid(void **s) { (void)s; run_case(2, OMREG_TRANSFORM_RIGID, 0.5, 0, 0); }
/* beyond DIPY: L-BFGS-B restarts of stalled levels (3 per level) */
static void dense_2d_affine_restarts(void **s) { (void)s; run_case(2, OMREG_TRANSFORM_AFFINE, 0.0, 0, 3); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(dense_3d_rigid),
        cmocka_unit_test(dense_3d_affine_masked),
        cmocka_unit_test(sparse_3d_rigid),
        cmocka_unit_test(dense_2d_affine),
        cmocka_unit_test(sparse_2d_rigid),
        cmocka_unit_test(dense_2d_affine_restarts),
    };
    omreg_test_apply_filter();
    return OMREG_EQ_RUN_TESTS(tests);
}
