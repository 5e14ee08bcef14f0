/* Serial tails shared by both Parzen backends: normalisation of the
 * combined totals, exactly as DIPY's _compute_pdfs_* / _joint_pdf_gradient_*
 * finish (O(nbins^2 * nparams), independent of the voxel count). */
#ifndef OMREG_CORE_PARZEN_FINISH_H
#define OMREG_CORE_PARZEN_FINISH_H

#include <string.h>

#include "kernels_parzen.h"

/* total = [joint | smarginal | total_sum | valid_count] -> outputs */
static inline void parzen_joint_finish(const double *total, int nbins, omreg_parzen_norm norm,
                                       double *joint, double *smarginal, double *mmarginal)
{
    size_t nb = (size_t)nbins;
    const double *tj = total, *ts = total + nb * nb;
    double total_sum = ts[nb], valid = ts[nb + 1];
    memcpy(joint, tj, sizeof(double) * nb * nb);
    memcpy(smarginal, ts, sizeof(double) * nb);
    if (!(total_sum > 0)) {
        /* DIPY leaves the marginal of a previous call here; we zero it */
        memset(mmarginal, 0, sizeof(double) * nb);
        return;
    }
    double denom = norm == OMREG_PARZEN_NORM_BY_COUNT ? valid : total_sum;
    for (size_t i = 0; i < nb * nb; ++i)
        joint[i] /= denom;
    for (size_t i = 0; i < nb; ++i)
        smarginal[i] /= valid;
    for (size_t j = 0; j < nb; ++j) { /* mmarginal_j = sum_i joint_ij, i ascending */
        mmarginal[j] = 0;
        for (size_t i = 0; i < nb; ++i)
            mmarginal[j] += joint[i * nb + j];
    }
}

/* total = [grad nbins^2*nparams | valid_count]: grad / (valid * mdelta) */
static inline void parzen_gradient_finish(const double *total, int nbins, int nparams,
                                          double mdelta, double *joint_grad)
{
    size_t len = (size_t)nbins * (size_t)nbins * (size_t)nparams;
    double norm_factor = total[len] * mdelta;
    memcpy(joint_grad, total, sizeof(double) * len);
    if (norm_factor > 0)
        for (size_t i = 0; i < len; ++i)
            joint_grad[i] /= norm_factor;
}

#endif
