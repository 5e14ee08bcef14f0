/* DIPY's MutualInformationMetric (imaffine.py) for one pyramid level:
 * setup() fixes the images, grids, masks, samples and histogram range;
 * evaluate() returns -MI and its gradient at transform parameters, the
 * objective L-BFGS-B minimises. Every voxel loop goes through the backend. */
#ifndef OMREG_CORE_MI_METRIC_H
#define OMREG_CORE_MI_METRIC_H

#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "omreg/image.h"
#include "omreg/transform.h"

typedef struct mi_metric {
    const struct omreg_backend *b;
    int nthreads;            /* the run's count: scratch holds omreg_parzen_partials */
    int dim, nparams, nbins;
    omreg_transform_type type;
    int sparse;
    omreg_parzen_geometry geom;
    /* static: the level's grid (dense) or the sampled values (sparse) */
    size_t sshape[3], nstatic;
    double *static_vals;
    const int *smask;        /* static grid, may be NULL */
    double static_g2w[16], static_w2g[16];
    /* moving: full resolution, float64 */
    size_t mshape[3];
    double *moving;
    const double *mmask_f64; /* moving grid, may be NULL */
    double moving_g2w[16], moving_w2g[16], moving_spacing[3];
    double starting_affine[16];
    /* per-evaluation buffers, sized once */
    size_t nsamples;         /* dense: nstatic; sparse: sample count */
    double *samples, *samples_prealigned, *pts; /* sparse: nsamples x dim world points */
    double *mvals, *mgrad, *mmask_warped;
    int *mmask_i32, *inside;
    double *scratch;
    size_t scratch_len;
    double *joint, *smarg, *mmarg, *joint_grad, mi_grad[OMREG_TRANSFORM_MAX_PARAMS];
    double mi;               /* at the last evaluation */
    int evaluations;
} mi_metric;

/* Level setup (MutualInformationMetric.setup + ParzenJointHistogram.setup).
 * static_f64: the level's static image on its grid (float64); moving_f32:
 * the level's moving image (float32, converted here); smask: int mask on
 * the static grid or NULL; mmask: float64 mask on the moving grid or NULL.
 * sampling_proportion <= 0 is dense. nthreads (>= 1): the registration's
 * thread count (omreg_backend_threads), fixed for the run; the histogram
 * scratch is sized for it and every evaluation passes it to the kernels. */
omreg_status mi_metric_setup(mi_metric *m, const struct omreg_backend *b, int nthreads,
                             omreg_transform_type type, int nbins, double sampling_proportion,
                             uint64_t seed, const omreg_image *static_f64, const int *smask,
                             const omreg_image *moving_f32, const omreg_image *mmask,
                             const double *starting_affine);

/* f = -MI(params), g = -dMI/dparams (DIPY distance_and_gradient); an
 * invalid or singular transform gives f = +inf, g = 0 as in DIPY. */
omreg_status mi_metric_evaluate(void *metric, const double *params, double *f, double *g);

/* Replace the sparse samples (nsamples x dim world points, e.g. DIPY's own
 * random draw in a golden test) and recompute what depends on them. */
void mi_metric_set_samples(mi_metric *m, const double *samples, const omreg_image *static_f64);

void mi_metric_free(mi_metric *m);

/* compute_parzen_mi: MI of the joint PDF and, when joint_grad and
 * mi_grad are given, its gradient (n parameters). */
double omreg_parzen_mi(const double *joint, const double *joint_grad, const double *smarg,
                       const double *mmarg, int nbins, int nparams, double *mi_grad);

#endif
