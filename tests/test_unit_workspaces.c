/* No allocation inside an iteration loop (issue 13, item 4), counted with
 * omreg_testing_alloc_count (every omreg_calloc, images included) at each
 * progress callback, from the first iteration's / evaluation's callback to
 * the level's end (the first may allocate: lazily sized buffers):
 * - affine (dense and sparse sampling; 2D and 3D): zero;
 * - SyN with the CC, SSD and EM metrics (2D and 3D; SSD and EM with both
 *   step types): zero. The driver sizes the warped images, steps,
 *   composition and inversion buffers per level and builds no inverse
 *   maps (EM warps its masks through the maps' inverses); the metrics keep
 *   factors, gradients, differences, masks, quantisation and class
 *   statistics workspaces, and step, smoothing and CC scratch per grid.
 * Before the workspaces, per iteration: CC 24, SSD 26, EM 59. */
#include "omreg_test.h"

#include <string.h>

#include "alloc.h"
#include "omreg/affine.h"
#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "omreg/syn.h"
#include "phantom.h"

#define MAX_LEVELS 4

/* per level: the count at the first iteration's callback, and how many
 * allocations happened after it (0 is the contract) */
typedef struct alloc_log {
    long first[MAX_LEVELS], after[MAX_LEVELS];
    int seen[MAX_LEVELS], iterations[MAX_LEVELS];
} alloc_log;

static void log_step(alloc_log *log, int level, int event)
{
    assert_true(level >= 0 && level < MAX_LEVELS);
    const long now = omreg_testing_alloc_count();
    if (event == 1) { /* the level starts */
        log->seen[level] = 0;
        return;
    }
    if (event == 0 && log->seen[level] == 0) {
        log->seen[level] = 1;
        log->first[level] = now;
    }
    if (log->seen[level])
        log->after[level] = now - log->first[level];
    if (event == 0)
        log->iterations[level]++;
}

/* zero allocations after each level's first step */
static void check_log(const alloc_log *log, int nlevels, const char *what)
{
    for (int l = 0; l < nlevels; ++l) {
        print_message("%s level %d: %d steps, %ld allocations after the first\n", what, l,
                      log->iterations[l], log->after[l]);
    }
    for (int l = 0; l < nlevels; ++l) {
        assert_true(log->iterations[l] >= 2); /* something to count */
        assert_int_equal(log->after[l], 0);
    }
}

static int syn_progress(void *ctx, const omreg_syn_progress *p)
{
    log_step(ctx, p->level, p->event);
    return 0; /* never cancels */
}

static int affine_progress(void *ctx, const omreg_affine_progress *p)
{
    log_step(ctx, p->level, p->event);
    return 0; /* never cancels */
}

static void images(int dim, omreg_image **s, omreg_image **m)
{
    const size_t shape2[3] = {40, 36, 1}, shape3[3] = {24, 22, 20};
    const size_t *shape = dim == 2 ? shape2 : shape3;
    *s = omreg_test_blobs(dim, shape, NULL, 21);
    *m = omreg_test_blobs(dim, shape, NULL, 21);
    const double c[3] = {12.0, 11.0, 10.0};
    omreg_test_add_blob(*m, c, 3.0, 80.0); /* a difference to chase */
}

/* gauss_newton: 1 or 0 sets the step type, -1 keeps the metric's default */
static void syn_case_step(int dim, omreg_syn_metric_type type, int gauss_newton,
                          const char *what)
{
    omreg_image *s, *m;
    images(dim, &s, &m);
    omreg_syn_options o = omreg_syn_default_options(type);
    o.nlevels = 2;
    o.level_iters[0] = 4;
    o.level_iters[1] = 4;
    o.opt_tol = -1.0; /* run every budgeted iteration */
    if (type == OMREG_SYN_CC)
        o.metric.radius = 2;
    if (gauss_newton >= 0)
        o.metric.step_type = gauss_newton ? OMREG_SYN_STEP_GAUSS_NEWTON : OMREG_SYN_STEP_DEMONS;
    alloc_log log;
    memset(&log, 0, sizeof log);
    o.progress = syn_progress;
    o.progress_ctx = &log;
    omreg_diffeomap *map = NULL;
    assert_int_equal(omreg_syn_register(omreg_test_backend(), s, m, NULL, &o, &map, NULL),
                     OMREG_OK);
    check_log(&log, o.nlevels, what);
    omreg_diffeomap_free(map);
    omreg_image_free(s);
    omreg_image_free(m);
}

/* the metric's default step type (EM: Gauss-Newton) */
static void syn_case(int dim, omreg_syn_metric_type type, const char *what)
{
    syn_case_step(dim, type, -1, what);
}

static void syn_cc_2d(void **state) { (void)state; syn_case(2, OMREG_SYN_CC, "SyN CC 2D"); }
static void syn_cc_3d(void **state) { (void)state; syn_case(3, OMREG_SYN_CC, "SyN CC 3D"); }
static void syn_ssd_2d(void **state) { (void)state; syn_case(2, OMREG_SYN_SSD, "SyN SSD 2D"); }
static void syn_ssd_3d(void **state) { (void)state; syn_case(3, OMREG_SYN_SSD, "SyN SSD 3D"); }
static void syn_ssd_gn_2d(void **state)
{
    (void)state;
    syn_case_step(2, OMREG_SYN_SSD, 1, "SyN SSD Gauss-Newton 2D");
}
static void syn_em_demons_2d(void **state)
{
    (void)state;
    syn_case_step(2, OMREG_SYN_EM, 0, "SyN EM demons 2D");
}
static void syn_em_2d(void **state) { (void)state; syn_case(2, OMREG_SYN_EM, "SyN EM 2D"); }
static void syn_em_3d(void **state) { (void)state; syn_case(3, OMREG_SYN_EM, "SyN EM 3D"); }

static void affine_case(int dim, double sampling, const char *what)
{
    omreg_image *s, *m;
    images(dim, &s, &m);
    omreg_affine_options o = omreg_affine_default_options();
    o.nlevels = 2;
    o.level_iters[0] = 8;
    o.level_iters[1] = 8;
    o.factors[0] = 2;
    o.factors[1] = 1;
    o.sigmas[0] = 1.0;
    o.sigmas[1] = 0.0;
    o.sampling_proportion = sampling;
    alloc_log log;
    memset(&log, 0, sizeof log);
    o.progress = affine_progress;
    o.progress_ctx = &log;
    double start[16] = {0};
    for (int i = 0; i <= dim; ++i)
        start[i * (dim + 1) + i] = 1.0;
    start[dim] = 1.5; /* something to do at every level */
    omreg_affine_result r;
    assert_int_equal(omreg_affine_register(omreg_test_backend(), s, m, NULL, NULL,
                                           OMREG_TRANSFORM_RIGID, NULL, start, &o, &r),
                     OMREG_OK);
    check_log(&log, o.nlevels, what);
    omreg_image_free(s);
    omreg_image_free(m);
}

static void affine_dense_2d(void **state) { (void)state; affine_case(2, 0.0, "affine dense 2D"); }
static void affine_dense_3d(void **state) { (void)state; affine_case(3, 0.0, "affine dense 3D"); }
static void affine_sparse_2d(void **state) { (void)state; affine_case(2, 0.5, "affine sparse 2D"); }
static void affine_sparse_3d(void **state) { (void)state; affine_case(3, 0.5, "affine sparse 3D"); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syn_cc_2d),        cmocka_unit_test(syn_cc_3d),
        cmocka_unit_test(syn_ssd_2d),       cmocka_unit_test(syn_ssd_3d),
        cmocka_unit_test(syn_ssd_gn_2d),    cmocka_unit_test(syn_em_demons_2d),
        cmocka_unit_test(syn_em_2d),        cmocka_unit_test(syn_em_3d),
        cmocka_unit_test(affine_dense_2d),  cmocka_unit_test(affine_dense_3d),
        cmocka_unit_test(affine_sparse_2d), cmocka_unit_test(affine_sparse_3d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
