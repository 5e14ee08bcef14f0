/* A registration's thread count is fixed when it starts: a progress
 * callback that raises OpenMP's thread count mid-run (omp_set_num_threads
 * from 1 to 8) must neither overrun the per-thread scratch sized at setup
 * (the asan preset sees it) nor change a bit of the result, for affine
 * (2D and 3D, dense and sparse sampling) and SyN (CC, 2D and 3D). Each run
 * is compared with the same registration whose callback leaves the count
 * alone, and with an explicit count (options.threads = 3, which also
 * gives the same bits); a count outside 0..OMREG_MAX_THREADS is rejected.
 * Grids hold more than one Parzen block (16384 samples), so a team
 * larger than the scratch would write past it. Runs on the parallel table
 * whatever OMREG_BACKEND says: the reference has no per-thread scratch.
 * NaN policy: results are compared as bytes. */
#include "omreg_test.h"

#include <math.h>
#include <omp.h>
#include <string.h>

#include "omreg/affine.h"
#include "omreg/diffeomap.h"
#include "omreg/matrix.h"
#include "omreg/syn.h"
#include "phantom.h"

/* The count the callback switches to, and the count every run starts at */
#define RAISED_THREADS 8
#define START_THREADS 1

typedef struct switcher {
    int raise; /* 0: a plain run; 1: raise the count at the first report */
    int calls;
} switcher;

static void raise_threads(switcher *s)
{
    if (s->raise && s->calls++ == 0)
        omp_set_num_threads(RAISED_THREADS);
}

static int affine_progress(void *ctx, const omreg_affine_progress *p)
{
    if (p->event == 0) /* between two evaluations of the objective */
        raise_threads(ctx);
    return 0;
}

static int syn_progress(void *ctx, const omreg_syn_progress *p)
{
    if (p->event == 0) /* between two iterations */
        raise_threads(ctx);
    return 0;
}

static int saved_threads;

static int save(void **state)
{
    (void)state;
    saved_threads = omp_get_max_threads();
    return 0;
}

static int restore(void **state)
{
    (void)state;
    omp_set_num_threads(saved_threads);
    return 0;
}

/* 2D 140 x 130 (18200 voxels) or 3D 28 x 26 x 24 (17472) blobs, moved by a
 * small rotation and shift */
static void affine_pair(int dim, omreg_image **s, omreg_image **m)
{
    const size_t shape2[2] = {140, 130}, shape3[3] = {28, 26, 24};
    const size_t *shape = dim == 2 ? shape2 : shape3;
    const int n1 = dim + 1;
    double g2w[16], truth[16], inv[16];
    omreg_mat_identity(n1, g2w);
    for (int k = 0; k < dim; ++k)
        g2w[k * n1 + dim] = -0.5 * (double)shape[k];
    *s = omreg_test_blobs(dim, shape, g2w, 17);
    omreg_mat_identity(n1, truth);
    truth[0] = truth[n1 + 1] = cos(0.08);
    truth[1] = -sin(0.08);
    truth[n1] = sin(0.08);
    truth[dim] = 1.3;
    truth[n1 + dim] = -0.7;
    assert_int_equal(omreg_mat_inverse(n1, truth, inv), OMREG_OK);
    assert_int_equal(omreg_affine_map_transform(omreg_backend_reference(), inv, 0, *s, shape,
                                                g2w, 0, m),
                     OMREG_OK);
}

static void affine_run(const omreg_image *s, const omreg_image *m, double sampling, int raise,
                       int threads, omreg_affine_result *r)
{
    switcher sw = {raise, 0};
    omreg_affine_options o = omreg_affine_default_options();
    o.nlevels = 1; /* full resolution: more than one Parzen block */
    o.level_iters[0] = 12;
    o.sigmas[0] = 0.0;
    o.factors[0] = 1;
    o.sampling_proportion = sampling;
    o.threads = threads;
    o.progress = affine_progress;
    o.progress_ctx = &sw;
    omp_set_num_threads(START_THREADS);
    omreg_status st = omreg_affine_register(omreg_backend_parallel(), s, m, NULL, NULL,
                                            OMREG_TRANSFORM_RIGID, NULL, NULL, &o, r);
    if (st != OMREG_OK)
        fail_msg("affine registration: %s", omreg_last_error());
    assert_true(r->evaluations > 1); /* the callback ran between evaluations */
    assert_true(!raise || omp_get_max_threads() == RAISED_THREADS);
}

static void affine_case(int dim, double sampling)
{
    omreg_image *s = NULL, *m = NULL;
    affine_pair(dim, &s, &m);
    omreg_affine_result plain, raised, explicit3;
    affine_run(s, m, sampling, 0, 0, &plain);
    affine_run(s, m, sampling, 1, 0, &raised);
    affine_run(s, m, sampling, 1, 3, &explicit3);
    const size_t n = (size_t)(dim + 1) * (size_t)(dim + 1);
    assert_true(omreg_test_same_f64("affine", raised.affine, plain.affine, n));
    assert_true(omreg_test_same_f64("mi", &raised.mi, &plain.mi, 1));
    assert_int_equal(raised.evaluations, plain.evaluations);
    assert_true(omreg_test_same_f64("affine, 3 threads", explicit3.affine, plain.affine, n));
    assert_true(omreg_test_same_f64("mi, 3 threads", &explicit3.mi, &plain.mi, 1));
    omreg_image_free(s);
    omreg_image_free(m);
}

static void affine_2d_dense(void **state) { (void)state; affine_case(2, 0.0); }
static void affine_3d_dense(void **state) { (void)state; affine_case(3, 0.0); }
/* sparse sampling of every voxel (proportion 1): jittered points, more
 * than one block */
static void affine_2d_sparse(void **state) { (void)state; affine_case(2, 1.0); }

static omreg_diffeomap *syn_run(const omreg_image *s, const omreg_image *m, int raise,
                                int threads)
{
    switcher sw = {raise, 0};
    omreg_syn_options o = omreg_syn_default_options(OMREG_SYN_CC);
    o.nlevels = 2;
    o.level_iters[0] = 2;
    o.level_iters[1] = 2;
    o.metric.radius = 3;
    o.threads = threads;
    o.progress = syn_progress;
    o.progress_ctx = &sw;
    omreg_diffeomap *map = NULL;
    omp_set_num_threads(START_THREADS);
    if (omreg_syn_register(omreg_backend_parallel(), s, m, NULL, &o, &map, NULL) != OMREG_OK)
        fail_msg("SyN registration: %s", omreg_last_error());
    assert_true(!raise || omp_get_max_threads() == RAISED_THREADS);
    return map;
}

static void syn_case(int dim)
{
    omreg_image *s = NULL, *m = NULL;
    affine_pair(dim, &s, &m);
    omreg_diffeomap *plain = syn_run(s, m, 0, 0);
    const omreg_image *pf = omreg_diffeomap_forward(plain), *pb = omreg_diffeomap_backward(plain);
    const size_t n = omreg_image_voxels(pf) * (size_t)dim;
    for (int threads = 0; threads <= 3; threads += 3) {
        omreg_diffeomap *raised = syn_run(s, m, 1, threads);
        assert_true(omreg_test_same_f32("forward field",
                                        omreg_image_cdata(omreg_diffeomap_forward(raised)),
                                        omreg_image_cdata(pf), n));
        assert_true(omreg_test_same_f32("backward field",
                                        omreg_image_cdata(omreg_diffeomap_backward(raised)),
                                        omreg_image_cdata(pb), n));
        omreg_diffeomap_free(raised);
    }
    omreg_diffeomap_free(plain);
    omreg_image_free(s);
    omreg_image_free(m);
}

static void syn_2d_cc(void **state) { (void)state; syn_case(2); }
static void syn_3d_cc(void **state) { (void)state; syn_case(3); }

/* options.threads outside 0..OMREG_MAX_THREADS: OMREG_EINVAL */
static void bad_thread_counts(void **state)
{
    (void)state;
    omreg_image *s = NULL, *m = NULL;
    affine_pair(2, &s, &m);
    const int bad[2] = {-1, OMREG_MAX_THREADS + 1};
    for (int k = 0; k < 2; ++k) {
        omreg_affine_options ao = omreg_affine_default_options();
        ao.threads = bad[k];
        omreg_affine_result r;
        assert_int_equal(omreg_affine_register(omreg_backend_parallel(), s, m, NULL, NULL,
                                               OMREG_TRANSFORM_RIGID, NULL, NULL, &ao, &r),
                         OMREG_EINVAL);
        omreg_syn_options so = omreg_syn_default_options(OMREG_SYN_CC);
        so.threads = bad[k];
        omreg_diffeomap *map = NULL;
        assert_int_equal(omreg_syn_register(omreg_backend_parallel(), s, m, NULL, &so, &map,
                                            NULL),
                         OMREG_EINVAL);
        assert_null(map);
    }
    assert_int_equal(omreg_affine_default_options().threads, 0);
    assert_int_equal(omreg_syn_default_options(OMREG_SYN_CC).threads, 0);
    omreg_image_free(s);
    omreg_image_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(affine_2d_dense, save, restore),
        cmocka_unit_test_setup_teardown(affine_3d_dense, save, restore),
        cmocka_unit_test_setup_teardown(affine_2d_sparse, save, restore),
        cmocka_unit_test_setup_teardown(syn_2d_cc, save, restore),
        cmocka_unit_test_setup_teardown(syn_3d_cc, save, restore),
        cmocka_unit_test(bad_thread_counts),
    };
    omreg_test_apply_filter();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
