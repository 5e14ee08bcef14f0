/* The L-BFGS-B driver against scipy 1.10's minimize(method='L-BFGS-B') on
 * analytic objectives (fixtures/gen_optimizer.py): the same iteration and
 * evaluation counts, stop reason (maxfun) and minimiser. The Fortran core
 * calls BLAS ddot, and scipy's build and Debian's libblas may round dot
 * products differently, so x and f use X_RTOL instead of bitwise. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lbfgsb.h"

/* Relative tolerance on the minimiser: a few ulps of BLAS rounding per
 * iteration, amplified by the line searches over ~50 iterations. */
#define X_RTOL 1e-9

/* scipy.optimize.rosen / rosen_der, same operation order */
static omreg_status rosen(void *ctx, const double *x, double *f, double *g)
{
    int n = *(const int *)ctx;
    double s = 0.0;
    for (int i = 0; i < n - 1; ++i) {
        double a = x[i + 1] - x[i] * x[i], b = 1 - x[i];
        s += 100.0 * (a * a) + b * b;
    }
    *f = s;
    for (int i = 1; i < n - 1; ++i)
        g[i] = 200 * (x[i] - x[i - 1] * x[i - 1]) - 400 * (x[i + 1] - x[i] * x[i]) * x[i] -
               2 * (1 - x[i]);
    g[0] = -400 * x[0] * (x[1] - x[0] * x[0]) - 2 * (1 - x[0]);
    g[n - 1] = 200 * (x[n - 1] - x[n - 2] * x[n - 2]);
    return OMREG_OK;
}

static omreg_status quadratic(void *ctx, const double *x, double *f, double *g)
{
    int n = *(const int *)ctx;
    double s = 0.0;
    for (int i = 0; i < n; ++i) {
        double d = x[i] - 1.0;
        s += (double)(i + 1) * (d * d);
        g[i] = 2.0 * (double)(i + 1) * d;
    }
    *f = s + 0.5 * x[0] * x[1];
    g[0] += 0.5 * x[1];
    g[1] += 0.5 * x[0];
    return OMREG_OK;
}

static void check_case(const char *name, omreg_objective_fn *fun)
{
    char path[128];
    omreg_npy x0, xs, stats;
    snprintf(path, sizeof path, "optimizer/%s_x0.npy", name);
    omreg_test_load(path, OMREG_NPY_F64, &x0);
    snprintf(path, sizeof path, "optimizer/%s_x.npy", name);
    omreg_test_load(path, OMREG_NPY_F64, &xs);
    snprintf(path, sizeof path, "optimizer/%s_stats.npy", name);
    omreg_test_load(path, OMREG_NPY_F64, &stats);
    const double *st = stats.data;
    int n = (int)x0.count;
    double x[64];
    memcpy(x, x0.data, sizeof(double) * (size_t)n);
    omreg_lbfgsb_options opt = omreg_lbfgsb_default_options();
    opt.maxfun = (int)st[3];
    opt.gtol = st[4];
    omreg_lbfgsb_result res;
    assert_int_equal(omreg_lbfgsb_minimize(n, x, fun, &n, &opt, &res), OMREG_OK);
    print_message("%s: nit %d nfev %d f %.17g (%s)\n", name, res.nit, res.nfev, res.fopt,
                  res.message);
    const int counts[2] = {res.nit, res.nfev};
    snprintf(path, sizeof path, "%s nit nfev", name);
    omreg_test_dump(path, counts, sizeof counts);
    snprintf(path, sizeof path, "%s fopt", name);
    omreg_test_dump(path, &res.fopt, sizeof res.fopt);
    assert_int_equal(res.nit, (int)st[1]);
    assert_int_equal(res.nfev, (int)st[2]);
    assert_true(omreg_test_close_f64(name, x, xs.data, (size_t)n, X_RTOL, 0.0));
    assert_true(fabs(res.fopt - st[0]) <= 1e-9 * fabs(st[0]) + 1e-20);
    omreg_npy_free(&x0);
    omreg_npy_free(&xs);
    omreg_npy_free(&stats);
}

static void rosenbrock(void **state) { (void)state; check_case("rosen4", rosen); }
static void rosenbrock_maxfun(void **state) { (void)state; check_case("rosen4_maxfun", rosen); }
static void coupled_quadratic(void **state) { (void)state; check_case("quadratic6", quadratic); }

static omreg_status failing(void *ctx, const double *x, double *f, double *g)
{
    (void)ctx;
    (void)x;
    (void)f;
    (void)g;
    return OMREG_ENONFINITE;
}

static void objective_failure_is_forwarded(void **state)
{
    (void)state;
    double x[2] = {1, 2};
    omreg_lbfgsb_options opt = omreg_lbfgsb_default_options();
    omreg_lbfgsb_result res;
    assert_int_equal(omreg_lbfgsb_minimize(2, x, failing, NULL, &opt, &res), OMREG_ENONFINITE);
    opt.maxcor = 0;
    assert_int_equal(omreg_lbfgsb_minimize(2, x, failing, NULL, &opt, &res), OMREG_EINVAL);
    opt = omreg_lbfgsb_default_options();
    assert_int_equal(omreg_lbfgsb_minimize(0, x, failing, NULL, &opt, &res), OMREG_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rosenbrock),
        cmocka_unit_test(rosenbrock_maxfun),
        cmocka_unit_test(coupled_quadratic),
        cmocka_unit_test(objective_failure_is_forwarded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
