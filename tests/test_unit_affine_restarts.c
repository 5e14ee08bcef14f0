/* L-BFGS-B restarts (omreg_affine_options.restarts, beyond DIPY): a level
 * whose run stalled with evaluations left continues from where it stopped,
 * the first run is untouched, the level's evaluation budget is respected,
 * the reported MI is the MI at the returned parameters, and 0 (the
 * default) is DIPY's single run. One full-resolution level on a 2D blob
 * phantom through a known affine. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "omreg/affine.h"
#include "omreg/matrix.h"
#include "phantom.h"

#define MAX_EVALS 512

typedef struct trace {
    int n;                 /* evaluations seen */
    double mi[MAX_EVALS];  /* MI at each evaluation */
    int end_evaluations;   /* level end event */
    char stop[64];
} trace;

static int record(void *ctx, const omreg_affine_progress *p)
{
    trace *t = ctx;
    if (p->event == 0 && t->n < MAX_EVALS)
        t->mi[t->n++] = p->mi;
    if (p->event == 2) {
        t->end_evaluations = p->evaluation;
        snprintf(t->stop, sizeof t->stop, "%s", p->stop_reason ? p->stop_reason : "");
    }
    return 0;
}

static omreg_image *s_img, *m_img;

static int setup(void **state)
{
    (void)state;
    const size_t shape[2] = {56, 52};
    double g2w[9], truth[9], inv[9];
    omreg_mat_identity(3, g2w);
    g2w[2] = -28;
    g2w[5] = -26;
    s_img = omreg_test_blobs(2, shape, g2w, 13);
    omreg_mat_identity(3, truth);
    truth[0] = 1.04 * cos(0.12);
    truth[1] = -sin(0.12) + 0.03;
    truth[3] = sin(0.12);
    truth[4] = 0.97 * cos(0.12);
    truth[2] = 1.7;
    truth[5] = -1.1;
    assert_int_equal(omreg_mat_inverse(3, truth, inv), OMREG_OK);
    return omreg_affine_map_transform(omreg_backend_reference(), inv, 0, s_img, shape, g2w, 0,
                                      &m_img) != OMREG_OK;
}

static int teardown(void **state)
{
    (void)state;
    omreg_image_free(s_img);
    omreg_image_free(m_img);
    return 0;
}

static omreg_affine_options one_level(int max_evals, int restarts, trace *t)
{
    omreg_affine_options o = omreg_affine_default_options();
    o.nlevels = 1;
    o.level_iters[0] = max_evals;
    o.sigmas[0] = 0.0;
    o.factors[0] = 1;
    o.restarts = restarts;
    memset(t, 0, sizeof *t);
    o.progress = record;
    o.progress_ctx = t;
    return o;
}

static void run(const omreg_affine_options *o, const double *params0, omreg_affine_result *r)
{
    assert_int_equal(omreg_affine_register(omreg_test_backend(), s_img, m_img, NULL, NULL,
                                           OMREG_TRANSFORM_AFFINE, params0, NULL, o, r),
                     OMREG_OK);
}

static int is_stall(const char *stop)
{
    return strncmp(stop, "CONVERGENCE: REL_REDUCTION_OF_F", 31) == 0 ||
           strncmp(stop, "ABNORMAL_TERMINATION_IN_LNSRCH", 30) == 0;
}

static void default_is_dipy(void **state)
{
    (void)state;
    assert_int_equal(omreg_affine_default_options().restarts, 0);
    trace t;
    omreg_affine_options o = one_level(200, -1, &t);
    omreg_affine_result r;
    assert_int_equal(omreg_affine_register(omreg_test_backend(), s_img, m_img, NULL, NULL,
                                           OMREG_TRANSFORM_AFFINE, NULL, NULL, &o, &r),
                     OMREG_EINVAL);
}

static void stalled_level_continues(void **state)
{
    (void)state;
    trace t0, t3, tcheck;
    omreg_affine_options o0 = one_level(200, 0, &t0), o3 = one_level(200, 3, &t3);
    omreg_affine_result r0, r3, rcheck;
    run(&o0, NULL, &r0);
    run(&o3, NULL, &r3);
    print_message("no restart: %d evaluations, MI %.12f (%s); restarts: %d evaluations, "
                  "MI %.12f (%s)\n",
                  t0.n, r0.mi, t0.stop, t3.n, r3.mi, t3.stop);
    /* the case is one where DIPY's single run stalls with budget left */
    assert_true(is_stall(t0.stop));
    assert_true(t0.n < 200);
    /* the first run is DIPY's, bit for bit; then the restart evaluates more */
    assert_true(t3.n > t0.n);
    assert_true(omreg_test_same_f64("first run's MI trace", t3.mi, t0.mi, (size_t)t0.n));
    /* on this phantom (seed 13; most seeds stall at their optimum) the
     * restart finds a higher MI, so its result is the one kept */
    assert_true(r3.mi > r0.mi);
    assert_true(memcmp(r3.params, r0.params, 6 * sizeof(double)) != 0);
    assert_int_equal(r3.evaluations, t3.n);
    assert_true(t3.n <= 200 + 20); /* scipy's maxfun test may overrun by one line search */
    /* the reported MI is the MI at the returned parameters */
    omreg_affine_options oc = one_level(1, 0, &tcheck);
    run(&oc, r3.params, &rcheck);
    assert_true(tcheck.n >= 1);
    assert_true(omreg_test_same_f64("MI at the returned parameters", &tcheck.mi[0], &r3.mi, 1));
}

static void exhausted_budget_does_not_restart(void **state)
{
    (void)state;
    trace t0, t3;
    omreg_affine_options o0 = one_level(200, 0, &t0);
    omreg_affine_result r0, r3;
    run(&o0, NULL, &r0);
    /* a budget the first run uses up leaves nothing for a restart */
    omreg_affine_options o3 = one_level(t0.n, 3, &t3);
    run(&o3, NULL, &r3);
    assert_int_equal(t3.n, t0.n);
    assert_true(omreg_test_same_f64("affine", r3.affine, r0.affine, 9));
    assert_true(omreg_test_same_f64("MI", &r3.mi, &r0.mi, 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_is_dipy),
        cmocka_unit_test(stalled_level_continues),
        cmocka_unit_test(exhausted_budget_does_not_restart),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
