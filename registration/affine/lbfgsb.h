/* L-BFGS-B minimisation through the reference Fortran code (Debian
 * liblbfgsb 3.0, the code scipy.optimize wraps), driven the way scipy 1.10's
 * _minimize_lbfgsb drives it, so DIPY's options mean the same thing:
 * maxcor m = 10, factr = ftol / eps with ftol 2.2204460492503131e-09,
 * pgtol = gtol, maxiter 15000, and maxfun checked after each iteration. */
#ifndef OMREG_CORE_LBFGSB_H
#define OMREG_CORE_LBFGSB_H

#include "omreg/status.h"

/* f(x) and its gradient g(x); returns OMREG_OK or a failure that aborts. */
typedef omreg_status omreg_objective_fn(void *ctx, const double *x, double *f, double *g);

typedef struct omreg_lbfgsb_options {
    int maxcor;    /* m, number of correction pairs (scipy: 10) */
    double ftol;   /* relative reduction of f that stops (scipy: 2.220446049250313e-09) */
    double gtol;   /* projected gradient tolerance (DIPY: 1e-4) */
    int maxiter;   /* iterations (scipy: 15000) */
    int maxfun;    /* function evaluations (DIPY: level_iters[level]) */
} omreg_lbfgsb_options;

typedef struct omreg_lbfgsb_result {
    double fopt;     /* f at the returned x */
    int nit;         /* iterations */
    int nfev;        /* objective evaluations */
    char message[64]; /* the Fortran task string at exit, trimmed */
} omreg_lbfgsb_result;

/* scipy's defaults with gtol 1e-4 and maxfun 15000 */
omreg_lbfgsb_options omreg_lbfgsb_default_options(void);

/* Minimise from x (n <= 64 parameters, unbounded); x holds the result.
 * Returns the objective's failure status if it fails, OMREG_EINVAL on bad
 * options, OMREG_ENOMEM. */
omreg_status omreg_lbfgsb_minimize(int n, double *x, omreg_objective_fn *fun, void *ctx,
                                   const omreg_lbfgsb_options *opt, omreg_lbfgsb_result *res);

#endif
