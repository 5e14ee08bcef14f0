/* Reference Parzen joint histogram and its parameter gradient (DIPY
 * parzenhist.pyx _compute_pdfs_*, _joint_pdf_gradient_*), accumulated in
 * the canonical block order of kernels_parzen.h: each block of
 * OMREG_PARZEN_BLOCK samples fills a zeroed partial in sample order, and
 * the partial is added to the running total when the block ends. */
#include <string.h>

#include "affine_apply.h"
#include "kernels.h"
#include "parzen_finish.h"
#include "parzen_point.h"

static void add_into(double *total, const double *partial, size_t len)
{
    for (size_t i = 0; i < len; ++i)
        total[i] += partial[i];
}

void omreg_ref_parzen_joint(int nthreads, const double *sval, const double *mval, const int *smask,
                            const int *mmask, size_t n, const omreg_parzen_geometry *g,
                            omreg_parzen_norm norm, double *scratch, double *joint,
                            double *smarginal, double *mmarginal)
{
    (void)nthreads; /* serial: 2 partials of scratch */
    size_t len = omreg_parzen_joint_partial(g->nbins);
    double *total = scratch, *partial = scratch + len; /* 2 partials of scratch */
    memset(total, 0, sizeof(double) * len);
    for (size_t start = 0; start < n; start += OMREG_PARZEN_BLOCK) {
        size_t end = n - start > OMREG_PARZEN_BLOCK ? start + OMREG_PARZEN_BLOCK : n;
        memset(partial, 0, sizeof(double) * len);
        for (size_t v = start; v < end; ++v) {
            if ((smask && smask[v] == 0) || (mmask && mmask[v] == 0))
                continue;
            parzen_joint_add(partial, g->nbins, g->padding,
                             parzen_bin_normalize(sval[v], g->smin, g->sdelta),
                             parzen_bin_normalize(mval[v], g->mmin, g->mdelta));
        }
        add_into(total, partial, len);
    }
    parzen_joint_finish(total, g->nbins, norm, joint, smarginal, mmarginal);
}

/* One gradient sample at world point x with the Jacobian cache of DIPY:
 * J is recomputed until the transform reports it constant. */
static void gradient_sample(double *partial, const omreg_parzen_geometry *g, int nparams,
                            int dim, omreg_jacobian_cb *jacobian, const void *ctx,
                            const double *x, const double *mgrad, double s, double m, double *J,
                            int *constant)
{
    double prod[16];
    if (!*constant)
        *constant = jacobian(ctx, x, J);
    parzen_gradient_add(partial, g->nbins, g->padding, nparams, dim, J, mgrad,
                        parzen_bin_normalize(s, g->smin, g->sdelta),
                        parzen_bin_normalize(m, g->mmin, g->mdelta), prod);
    partial[(size_t)g->nbins * (size_t)g->nbins * (size_t)nparams] += 1;
}

void omreg_ref_parzen_gradient_dense_2d(int nthreads, const size_t shape[2],
                                        const double *grid2world, const double *sval,
                                        const double *mval, const double *mgradient,
                                        const int *smask, const int *mmask,
                                        const omreg_parzen_geometry *g, int nparams,
                                        omreg_jacobian_cb *jacobian, const void *ctx,
                                        double *scratch, double *joint_grad)
{
    (void)nthreads; /* serial: 2 partials of scratch */
    size_t len = omreg_parzen_gradient_partial(g->nbins, nparams), n = shape[0] * shape[1];
    double *total = scratch, *partial = scratch + len, J[48];
    int constant = 0;
    memset(total, 0, sizeof(double) * len);
    for (size_t start = 0; start < n; start += OMREG_PARZEN_BLOCK) {
        size_t end = n - start > OMREG_PARZEN_BLOCK ? start + OMREG_PARZEN_BLOCK : n;
        memset(partial, 0, sizeof(double) * len);
        for (size_t v = start; v < end; ++v) {
            if ((smask && smask[v] == 0) || (mmask && mmask[v] == 0))
                continue;
            double i = (double)(v / shape[1]), j = (double)(v % shape[1]);
            double x[2] = {affine_apply_2d(grid2world, 0, i, j, 1),
                           affine_apply_2d(grid2world, 1, i, j, 1)};
            gradient_sample(partial, g, nparams, 2, jacobian, ctx, x, &mgradient[2 * v], sval[v],
                            mval[v], J, &constant);
        }
        add_into(total, partial, len);
    }
    parzen_gradient_finish(total, g->nbins, nparams, g->mdelta, joint_grad);
}

void omreg_ref_parzen_gradient_dense_3d(int nthreads, const size_t shape[3],
                                        const double *grid2world, const double *sval,
                                        const double *mval, const double *mgradient,
                                        const int *smask, const int *mmask,
                                        const omreg_parzen_geometry *g, int nparams,
                                        omreg_jacobian_cb *jacobian, const void *ctx,
                                        double *scratch, double *joint_grad)
{
    (void)nthreads; /* serial: 2 partials of scratch */
    size_t len = omreg_parzen_gradient_partial(g->nbins, nparams);
    size_t slice = shape[1] * shape[2], n = shape[0] * slice;
    double *total = scratch, *partial = scratch + len, J[48];
    int constant = 0;
    memset(total, 0, sizeof(double) * len);
    for (size_t start = 0; start < n; start += OMREG_PARZEN_BLOCK) {
        size_t end = n - start > OMREG_PARZEN_BLOCK ? start + OMREG_PARZEN_BLOCK : n;
        memset(partial, 0, sizeof(double) * len);
        for (size_t v = start; v < end; ++v) {
            if ((smask && smask[v] == 0) || (mmask && mmask[v] == 0))
                continue;
            double k = (double)(v / slice), i = (double)(v % slice / shape[2]),
                   j = (double)(v % shape[2]);
            double x[3];
            for (int r = 0; r < 3; ++r)
                x[r] = affine_apply_3d(grid2world, r, k, i, j, 1);
            gradient_sample(partial, g, nparams, 3, jacobian, ctx, x, &mgradient[3 * v], sval[v],
                            mval[v], J, &constant);
        }
        add_into(total, partial, len);
    }
    parzen_gradient_finish(total, g->nbins, nparams, g->mdelta, joint_grad);
}

void omreg_ref_parzen_gradient_sparse(int nthreads, int dim, const double *points, size_t n,
                                      const double *sval, const double *mval,
                                      const double *mgradient, const omreg_parzen_geometry *g,
                                      int nparams, omreg_jacobian_cb *jacobian, const void *ctx,
                                      double *scratch, double *joint_grad)
{
    (void)nthreads; /* serial: 2 partials of scratch */
    size_t len = omreg_parzen_gradient_partial(g->nbins, nparams);
    double *total = scratch, *partial = scratch + len, J[48];
    int constant = 0;
    memset(total, 0, sizeof(double) * len);
    for (size_t start = 0; start < n; start += OMREG_PARZEN_BLOCK) {
        size_t end = n - start > OMREG_PARZEN_BLOCK ? start + OMREG_PARZEN_BLOCK : n;
        memset(partial, 0, sizeof(double) * len);
        for (size_t v = start; v < end; ++v)
            gradient_sample(partial, g, nparams, dim, jacobian, ctx, &points[(size_t)dim * v],
                            &mgradient[(size_t)dim * v], sval[v], mval[v], J, &constant);
        add_into(total, partial, len);
    }
    parzen_gradient_finish(total, g->nbins, nparams, g->mdelta, joint_grad);
}
