/* Reference kernels of fast mode's stochastic Mattes MI
 * (kernels_fast_mi.h): samples one by one, then the joint PDF and the MI
 * gradient in the canonical block order: block b of OMREG_FAST_MI_BLOCK
 * samples fills its own zeroed partial (scratch slot 1 + b) in sample
 * order, and the total (slot 0) adds the partials for b = 0, 1, ... */
#include <string.h>

#include "fast_mi_point.h"
#include "kernels.h"
#include "parzen_finish.h"

void omreg_ref_fast_mi_samples_3d(int nthreads, const omreg_fast_mi_job *job, size_t n,
                                  double *sval, double *mval, double *prod, int *valid)
{
    (void)nthreads;
    for (size_t s = 0; s < n; ++s)
        valid[s] = fast_mi_sample_3d(job, s, &sval[s], &mval[s], prod + s * (size_t)job->nparams);
}

void omreg_ref_fast_mi_samples_2d(int nthreads, const omreg_fast_mi_job *job, size_t n,
                                  double *sval, double *mval, double *prod, int *valid)
{
    (void)nthreads;
    for (size_t s = 0; s < n; ++s)
        valid[s] = fast_mi_sample_2d(job, s, &sval[s], &mval[s], prod + s * (size_t)job->nparams);
}

/* total (slot 0) = sum of the nblocks partials after it, in block order */
static void add_blocks(double *scratch, size_t nblocks, size_t len)
{
    memset(scratch, 0, sizeof(double) * len);
    for (size_t b = 0; b < nblocks; ++b)
        for (size_t i = 0; i < len; ++i)
            scratch[i] += scratch[(1 + b) * len + i];
}

void omreg_ref_fast_mi_joint(int nthreads, const double *sval, const double *mval,
                             const int *valid, size_t n, const omreg_parzen_geometry *g,
                             double *scratch, double *joint, double *smarginal,
                             double *mmarginal, double *count)
{
    (void)nthreads;
    size_t len = omreg_parzen_joint_partial(g->nbins);
    size_t nblocks = omreg_fast_mi_blocks(n);
    for (size_t b = 0; b < nblocks; ++b)
        fast_mi_joint_block(scratch + (1 + b) * len, len, sval, mval, valid, n, b, g);
    add_blocks(scratch, nblocks, len);
    *count = scratch[len - 1];
    parzen_joint_finish(scratch, g->nbins, OMREG_PARZEN_NORM_BY_WEIGHT, joint, smarginal,
                        mmarginal);
}

void omreg_ref_fast_mi_gradient(int nthreads, const double *sval, const double *mval,
                                const int *valid, const double *prod, size_t n,
                                const omreg_parzen_geometry *g, int nparams,
                                const double *factor, double count, double *scratch,
                                double *grad)
{
    (void)nthreads;
    size_t len = (size_t)nparams, np = (size_t)nparams;
    size_t nblocks = omreg_fast_mi_blocks(n);
    for (size_t b = 0; b < nblocks; ++b)
        fast_mi_gradient_block(scratch + (1 + b) * len, np, sval, mval, valid, prod, n, b, g,
                               factor);
    add_blocks(scratch, nblocks, len);
    fast_mi_gradient_finish(scratch, np, count, g->mdelta, grad);
}
