/* Reverse-communication driver of the Fortran L-BFGS-B 3.0 routine setulb,
 * a port of scipy 1.10 optimize/_lbfgsb_py.py:_minimize_lbfgsb's loop:
 * FG -> evaluate f, g (reusing the last evaluation when x is unchanged, as
 * scipy's ScalarFunction cache does); NEW_X -> count the iteration and stop
 * on maxiter or when more than maxfun evaluations were made. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "lbfgsb.h"

/* gfortran ABI: every argument by reference, then the hidden lengths of the
 * two CHARACTER*60 arguments. LOGICAL is a 4-byte int. */
extern void setulb_(int *n, int *m, double *x, double *l, double *u, int *nbd, double *f,
                    double *g, double *factr, double *pgtol, double *wa, int *iwa, char *task,
                    int *iprint, char *csave, int *lsave, int *isave, double *dsave,
                    size_t task_len, size_t csave_len);

#define TASK_LEN 60

omreg_lbfgsb_options omreg_lbfgsb_default_options(void)
{
    omreg_lbfgsb_options o = {10, 2.2204460492503131e-09, 1e-4, 15000, 15000};
    return o;
}

static void set_task(char *task, const char *text)
{
    size_t n = strlen(text);
    memset(task, ' ', TASK_LEN);
    memcpy(task, text, n < TASK_LEN ? n : TASK_LEN);
}

omreg_status omreg_lbfgsb_minimize(int n, double *x, omreg_objective_fn *fun, void *ctx,
                                   const omreg_lbfgsb_options *opt, omreg_lbfgsb_result *res)
{
    OMREG_RETURN_IF(n < 1 || n > 64 || x == NULL || fun == NULL || opt == NULL || res == NULL,
                    OMREG_EINVAL, "lbfgsb: bad arguments");
    OMREG_RETURN_IF(opt->maxcor < 1 || opt->maxiter < 1 || opt->maxfun < 1 || !(opt->ftol >= 0) ||
                        !(opt->gtol >= 0),
                    OMREG_EINVAL, "lbfgsb: invalid options");
    int m = opt->maxcor, iprint = -1, nbd[64] = {0}, iwa[3 * 64], lsave[4] = {0}, isave[44] = {0};
    double l[64] = {0}, u[64] = {0}, g[64] = {0}, dsave[29] = {0}, f = 0.0;
    double factr = opt->ftol / 2.220446049250313e-16, pgtol = opt->gtol;
    double last_x[64], last_f = 0.0, last_g[64];
    int have_last = 0;
    char task[TASK_LEN], csave[TASK_LEN];
    size_t wa_len = 2 * (size_t)m * (size_t)n + 5 * (size_t)n + 11 * (size_t)m * (size_t)m +
                    8 * (size_t)m;
    double *wa = omreg_calloc(wa_len, sizeof(double), "L-BFGS-B workspace");
    if (wa == NULL)
        return omreg_calloc_failure();
    memset(csave, ' ', TASK_LEN);
    set_task(task, "START");
    int nit = 0, nfev = 0;
    omreg_status st = OMREG_OK;
    for (;;) {
        setulb_(&n, &m, x, l, u, nbd, &f, g, &factr, &pgtol, wa, iwa, task, &iprint, csave, lsave,
                isave, dsave, TASK_LEN, TASK_LEN);
        if (strncmp(task, "FG", 2) == 0) {
            if (have_last && memcmp(last_x, x, sizeof(double) * (size_t)n) == 0) {
                f = last_f;
                memcpy(g, last_g, sizeof(double) * (size_t)n);
                continue;
            }
            if ((st = fun(ctx, x, &f, g)) != OMREG_OK)
                break;
            ++nfev;
            memcpy(last_x, x, sizeof(double) * (size_t)n);
            memcpy(last_g, g, sizeof(double) * (size_t)n);
            last_f = f;
            have_last = 1;
        } else if (strncmp(task, "NEW_X", 5) == 0) {
            ++nit;
            if (nit >= opt->maxiter)
                set_task(task, "STOP: TOTAL NO. of ITERATIONS REACHED LIMIT");
            else if (nfev > opt->maxfun)
                set_task(task, "STOP: TOTAL NO. of f AND g EVALUATIONS EXCEEDS LIMIT");
        } else {
            break;
        }
    }
    free(wa);
    if (st != OMREG_OK)
        return st;
    res->fopt = f;
    res->nit = nit;
    res->nfev = nfev;
    size_t len = TASK_LEN;
    while (len > 0 && task[len - 1] == ' ')
        --len;
    if (len >= sizeof res->message)
        len = sizeof res->message - 1;
    memcpy(res->message, task, len);
    res->message[len] = '\0';
    return OMREG_OK;
}
