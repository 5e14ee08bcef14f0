/* Parallel Parzen joint histogram and parameter gradient. Blocks of
 * OMREG_PARZEN_BLOCK samples are processed in rounds of R blocks (R =
 * omreg_parzen_partials(nthreads) - 1: OMREG_PARZEN_ROUND, or the team size
 * if larger): each block of the round fills its own zeroed partial (scratch
 * slot 1 + its place in the round) in sample order, then every bin of the
 * total (slot 0) adds the round's partials in block order, the bins split
 * over the threads. A round costs two barriers whatever its width, so a
 * round wider than the team cuts the waits per evaluation (at 2 threads
 * and 1 mm: 56 instead of 434 per pass), which is what a thread pays when
 * its partner is descheduled on a shared machine. Each
 * bin therefore sees the reference's sequence of additions, total += p_b
 * for b = 0, 1, ..., so the result is bitwise the reference's for any
 * thread count or schedule. The team is at most the caller's nthreads, the
 * count its scratch was sized for, never OpenMP's current default (a
 * progress callback may have raised it since). (An `ordered` section did
 * the same with less code, but under a static schedule it ran the blocks
 * of the second thread only after all of the first's: no speed-up.) */
#include <omp.h>
#include <string.h>

#include "affine_apply.h"
#include "kernels.h"
#include "parzen_finish.h"
#include "parzen_point.h"

int omreg_par_max_threads(void) { return omp_get_max_threads(); }

/* total[i] += partials[k][i] for k = 0..nb-1 in order; bins split over
 * the team (called inside a parallel region; ends with a barrier) */
static void add_round(double *total, const double *partials, size_t nb, size_t len)
{
#pragma omp for schedule(runtime)
    for (size_t i = 0; i < len; ++i)
        for (size_t k = 0; k < nb; ++k)
            total[i] += partials[k * len + i];
}

/* One thread's working state, kept across the blocks it fills: the
 * gradient's Jacobian cache (a Jacobian reported constant does not depend
 * on x, so any thread's cached copy has the same bits). */
typedef struct block_local {
    double J[48];
    int constant;
} block_local;

/* Fills partial (zeroed) with the samples [start, end) of one block. */
typedef void block_fill_fn(const void *job, block_local *local, double *partial, size_t start,
                           size_t end);

/* The rounds of the header comment: scratch[0..len) receives the sum of
 * every block's partial, added in block order. */
static void block_rounds(size_t n, size_t len, double *scratch, int nthreads,
                         block_fill_fn *fill, const void *job)
{
#ifdef OMREG_CANARY_PARZEN_BLOCK_PER_THREAD
    /* planted (ci/canaries.tsv): one block per thread, not a fixed size */
    const size_t nt = (size_t)nthreads;
    const size_t block_size = n / nt + (n % nt != 0) + (n == 0);
#else
    const size_t block_size = OMREG_PARZEN_BLOCK;
#endif
    const size_t nblocks = (n + block_size - 1) / block_size;
    const size_t round = omreg_parzen_partials(nthreads) - 1;
    double *total = scratch;
    memset(total, 0, sizeof(double) * len);
#ifdef OMREG_CANARY_PARZEN_THREAD_ORDER
    /* planted (ci/canaries.tsv): each thread sums its blocks into its own
     * partial, and the partials are added in thread order */
#pragma omp parallel num_threads(nthreads)
    {
        const size_t t = (size_t)omp_get_thread_num();
        double *mine = scratch + len * (1 + t);
        block_local local;
        memset(&local, 0, sizeof local);
        memset(mine, 0, sizeof(double) * len);
#pragma omp for schedule(runtime)
        for (size_t b = 0; b < nblocks; ++b) {
            size_t start = b * block_size;
            size_t end = n - start > block_size ? start + block_size : n;
            fill(job, &local, mine, start, end);
        }
        add_round(total, scratch + len, (size_t)omp_get_num_threads(), len);
    }
    return;
#endif
#pragma omp parallel num_threads(nthreads)
    {
        block_local local;
        memset(&local, 0, sizeof local);
#ifdef OMREG_CANARY_PARZEN_SHORT_ROUND_DROPPED
        /* planted (ci/canaries.tsv): a last round shorter than R is lost */
        for (size_t first = 0; first + round <= nblocks; first += round) {
#else
        for (size_t first = 0; first < nblocks; first += round) {
#endif
            const size_t nb = nblocks - first < round ? nblocks - first : round;
#pragma omp for schedule(runtime)
            for (size_t k = 0; k < nb; ++k) {
#ifdef OMREG_CANARY_PARZEN_RACY_TOTAL
                /* planted (ci/canaries.tsv): blocks add straight into the total */
                double *partial = total;
#else
                double *partial = scratch + len * (1 + k);
                memset(partial, 0, sizeof(double) * len);
#endif
                size_t start = (first + k) * block_size;
                size_t end = n - start > block_size ? start + block_size : n;
                fill(job, &local, partial, start, end);
            }
#ifdef OMREG_CANARY_PARZEN_RACY_TOTAL
            add_round(total, scratch + len, 0, len); /* planted: no partial to add */
#else
            add_round(total, scratch + len, nb, len);
#endif
        }
    }
}

typedef struct joint_job {
    const double *sval, *mval;
    const int *smask, *mmask;
    const omreg_parzen_geometry *g;
} joint_job;

static void joint_fill(const void *job, block_local *local, double *partial, size_t start,
                       size_t end)
{
    const joint_job j = *(const joint_job *)job; /* a copy: partial cannot alias it */
    const omreg_parzen_geometry g = *j.g;
    (void)local;
    for (size_t v = start; v < end; ++v) {
#ifndef OMREG_CANARY_PARZEN_DROP_MASK /* planted (ci/canaries.tsv): masks ignored */
        if ((j.smask && j.smask[v] == 0) || (j.mmask && j.mmask[v] == 0))
            continue;
#endif
        parzen_joint_add(partial, g.nbins, g.padding,
                         parzen_bin_normalize(j.sval[v], g.smin, g.sdelta),
                         parzen_bin_normalize(j.mval[v], g.mmin, g.mdelta));
    }
}

void omreg_par_parzen_joint(int nthreads, const double *sval, const double *mval, const int *smask,
                            const int *mmask, size_t n, const omreg_parzen_geometry *g,
                            omreg_parzen_norm norm, double *scratch, double *joint,
                            double *smarginal, double *mmarginal)
{
    const joint_job job = {sval, mval, smask, mmask, g};
    block_rounds(n, omreg_parzen_joint_partial(g->nbins), scratch, nthreads, joint_fill, &job);
    parzen_joint_finish(scratch, g->nbins, norm, joint, smarginal, mmarginal);
}

/* World point of flat sample v: dense 2D/3D grids map the grid index
 * through grid2world; the sparse variant reads it from points. */
typedef struct sample_source {
    int dim;
    const size_t *shape;      /* dense: grid shape; NULL for sparse */
    const double *grid2world; /* dense */
    const double *points;     /* sparse */
} sample_source;

static void sample_point(const sample_source *src, size_t v, double *x)
{
    if (src->shape == NULL) {
        for (int d = 0; d < src->dim; ++d)
            x[d] = src->points[(size_t)src->dim * v + (size_t)d];
    } else if (src->dim == 2) {
        double i = (double)(v / src->shape[1]), j = (double)(v % src->shape[1]);
        x[0] = affine_apply_2d(src->grid2world, 0, i, j, 1);
        x[1] = affine_apply_2d(src->grid2world, 1, i, j, 1);
    } else {
        size_t slice = src->shape[1] * src->shape[2];
        double k = (double)(v / slice), i = (double)(v % slice / src->shape[2]),
               j = (double)(v % src->shape[2]);
        for (int r = 0; r < 3; ++r)
            x[r] = affine_apply_3d(src->grid2world, r, k, i, j, 1);
    }
}

typedef struct gradient_job {
    sample_source src;
    const double *sval, *mval, *mgradient;
    const int *smask, *mmask;
    const omreg_parzen_geometry *g;
    int nparams;
    omreg_jacobian_cb *jacobian;
    const void *ctx;
    size_t count_at; /* the sample count's slot, after the nbins^2 nparams sums */
} gradient_job;

/* One block of samples; DIM and NP are the job's dim and nparams, constants
 * in the specialisations below, and prod is a local array the partial
 * cannot alias, so the per-parameter loops of parzen_gradient_add have
 * fixed trip counts and vectorise (elementwise: same bits). */
#define DEFINE_GRADIENT_FILL(NAME, DIM, NP)                                                    \
    static void NAME(const void *job, block_local *local, double *partial, size_t start,      \
                     size_t end)                                                              \
    {                                                                                          \
        const gradient_job j = *(const gradient_job *)job; /* a copy: no alias of partial */  \
        const omreg_parzen_geometry g = *j.g;                                                 \
        double x[3], prod[16];                                                                  \
        for (size_t v = start; v < end; ++v) {                                                 \
            if ((j.smask && j.smask[v] == 0) || (j.mmask && j.mmask[v] == 0))                 \
                continue;                                                                      \
            sample_point(&j.src, v, x);                                                        \
            if (!local->constant)                                                              \
                local->constant = j.jacobian(j.ctx, x, local->J);                              \
            parzen_gradient_add(partial, g.nbins, g.padding, NP, DIM, local->J,                \
                                &j.mgradient[(size_t)(DIM)*v],                                 \
                                parzen_bin_normalize(j.sval[v], g.smin, g.sdelta),             \
                                parzen_bin_normalize(j.mval[v], g.mmin, g.mdelta), prod);      \
            partial[j.count_at] += 1;                                                          \
        }                                                                                      \
    }

DEFINE_GRADIENT_FILL(gradient_fill, j.src.dim, j.nparams)
DEFINE_GRADIENT_FILL(gradient_fill_3d_affine, 3, 12)
DEFINE_GRADIENT_FILL(gradient_fill_3d_rigid, 3, 6)
DEFINE_GRADIENT_FILL(gradient_fill_3d_translation, 3, 3)

/* the stages of DIPY's 3D chain (translation, rigid, affine) */
static block_fill_fn *gradient_fill_for(int dim, int nparams)
{
    if (dim == 3 && nparams == 12)
        return gradient_fill_3d_affine;
    if (dim == 3 && nparams == 6)
        return gradient_fill_3d_rigid;
    if (dim == 3 && nparams == 3)
        return gradient_fill_3d_translation;
    return gradient_fill;
}

static void gradient_blocks(const sample_source *src, size_t n, const double *sval,
                            const double *mval, const double *mgradient, const int *smask,
                            const int *mmask, const omreg_parzen_geometry *g, int nparams,
                            omreg_jacobian_cb *jacobian, const void *ctx, double *scratch,
                            int nthreads, double *joint_grad)
{
    const gradient_job job = {*src, sval, mval, mgradient, smask, mmask, g, nparams, jacobian,
                              ctx, (size_t)g->nbins * (size_t)g->nbins * (size_t)nparams};
    block_rounds(n, omreg_parzen_gradient_partial(g->nbins, nparams), scratch, nthreads,
                 gradient_fill_for(src->dim, nparams), &job);
    parzen_gradient_finish(scratch, g->nbins, nparams, g->mdelta, joint_grad);
}

void omreg_par_parzen_gradient_dense_2d(int nthreads, const size_t shape[2],
                                        const double *grid2world, const double *sval,
                                        const double *mval, const double *mgradient,
                                        const int *smask, const int *mmask,
                                        const omreg_parzen_geometry *g, int nparams,
                                        omreg_jacobian_cb *jacobian, const void *ctx,
                                        double *scratch, double *joint_grad)
{
    sample_source src = {2, shape, grid2world, NULL};
    gradient_blocks(&src, shape[0] * shape[1], sval, mval, mgradient, smask, mmask, g, nparams,
                    jacobian, ctx, scratch, nthreads, joint_grad);
}

void omreg_par_parzen_gradient_dense_3d(int nthreads, const size_t shape[3],
                                        const double *grid2world, const double *sval,
                                        const double *mval, const double *mgradient,
                                        const int *smask, const int *mmask,
                                        const omreg_parzen_geometry *g, int nparams,
                                        omreg_jacobian_cb *jacobian, const void *ctx,
                                        double *scratch, double *joint_grad)
{
    sample_source src = {3, shape, grid2world, NULL};
    gradient_blocks(&src, shape[0] * shape[1] * shape[2], sval, mval, mgradient, smask, mmask,
                    g, nparams, jacobian, ctx, scratch, nthreads, joint_grad);
}

void omreg_par_parzen_gradient_sparse(int nthreads, int dim, const double *points, size_t n,
                                      const double *sval, const double *mval,
                                      const double *mgradient, const omreg_parzen_geometry *g,
                                      int nparams, omreg_jacobian_cb *jacobian, const void *ctx,
                                      double *scratch, double *joint_grad)
{
    sample_source src = {dim, NULL, NULL, points};
    gradient_blocks(&src, n, sval, mval, mgradient, NULL, NULL, g, nparams, jacobian, ctx,
                    scratch, nthreads, joint_grad);
}
