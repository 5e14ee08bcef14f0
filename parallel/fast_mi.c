/* Parallel kernels of fast mode's stochastic Mattes MI
 * (kernels_fast_mi.h). Samples: one independent draw per sample, split
 * over the team (no reduction: the reference's bits). Joint PDF and MI
 * gradient: the blocks of OMREG_FAST_MI_BLOCK samples fill their own
 * partials (scratch slot 1 + b, sized by the sample count, not by the
 * team) concurrently, each in sample order; then every entry of the total
 * adds the partials in block order, the entries split over the team. Each
 * entry sees the reference's additions in the reference's order, so the
 * results are the reference's bits for any thread count or schedule. */
#include <string.h>

#include "fast_mi_point.h"
#include "kernels.h"
#include "parzen_finish.h"

void omreg_par_fast_mi_samples_3d(int nthreads, const omreg_fast_mi_job *job, size_t n,
                                  double *sval, double *mval, double *prod, int *valid)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t s = 0; s < n; ++s)
        valid[s] = fast_mi_sample_3d(job, s, &sval[s], &mval[s], prod + s * (size_t)job->nparams);
}

void omreg_par_fast_mi_samples_2d(int nthreads, const omreg_fast_mi_job *job, size_t n,
                                  double *sval, double *mval, double *prod, int *valid)
{
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t s = 0; s < n; ++s)
        valid[s] = fast_mi_sample_2d(job, s, &sval[s], &mval[s], prod + s * (size_t)job->nparams);
}

/* total (slot 0) entry i = sum over b of partial b's entry i, b ascending
 * (inside a parallel region; entries split over the team) */
static void add_blocks(double *scratch, size_t nblocks, size_t len)
{
#pragma omp for schedule(runtime)
    for (size_t i = 0; i < len; ++i) {
        double t = 0;
#ifdef OMREG_CANARY_FAST_MI_BLOCK_ORDER
        for (size_t b = nblocks; b-- > 0;) /* planted (ci/canaries.tsv): blocks reversed */
#else
        for (size_t b = 0; b < nblocks; ++b)
#endif
            t += scratch[(1 + b) * len + i];
        scratch[i] = t;
    }
}

void omreg_par_fast_mi_joint(int nthreads, const double *sval, const double *mval,
                             const int *valid, size_t n, const omreg_parzen_geometry *g,
                             double *scratch, double *joint, double *smarginal,
                             double *mmarginal, double *count)
{
    size_t len = omreg_parzen_joint_partial(g->nbins);
    size_t nblocks = omreg_fast_mi_blocks(n);
#pragma omp parallel num_threads(nthreads)
    {
#pragma omp for schedule(runtime)
        for (size_t b = 0; b < nblocks; ++b)
            fast_mi_joint_block(scratch + (1 + b) * len, len, sval, mval, valid, n, b, g);
        add_blocks(scratch, nblocks, len);
    }
    *count = scratch[len - 1];
    parzen_joint_finish(scratch, g->nbins, OMREG_PARZEN_NORM_BY_WEIGHT, joint, smarginal,
                        mmarginal);
}

void omreg_par_fast_mi_gradient(int nthreads, const double *sval, const double *mval,
                                const int *valid, const double *prod, size_t n,
                                const omreg_parzen_geometry *g, int nparams,
                                const double *factor, double count, double *scratch,
                                double *grad)
{
    size_t len = (size_t)nparams, np = (size_t)nparams;
    size_t nblocks = omreg_fast_mi_blocks(n);
#pragma omp parallel num_threads(nthreads)
    {
#pragma omp for schedule(runtime)
        for (size_t b = 0; b < nblocks; ++b)
            fast_mi_gradient_block(scratch + (1 + b) * len, np, sval, mval, valid, prod, n, b, g,
                                   factor);
        add_blocks(scratch, nblocks, len);
    }
    fast_mi_gradient_finish(scratch, np, count, g->mdelta, grad);
}
