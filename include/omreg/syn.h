/* Symmetric diffeomorphic registration (SyN) of DIPY 1.6
 * (dipy/align/imwarp.py SymmetricDiffeomorphicRegistration with the
 * CCMetric, SSDMetric and EMMetric of dipy/align/metrics.py; Avants et al.
 * 2008). Both images are brought half-way towards each other: two
 * diffeomorphic maps, static -> reference and moving -> reference, are
 * updated symmetrically by the metric's forward and backward steps at every
 * level of a Gaussian scale space, each kept invertible by fixed-point
 * inversion, and composed at the end into one map registering the moving
 * image to the static one. Everything runs in float32, DIPY's `floating`.
 *
 * Where the result can differ from DIPY's (besides what the kernels
 * document): sums (energies, the inversion error) run in omreg's canonical
 * order; the Gauss-Newton steps (SSD 'gauss_newton', EM's default) use the
 * red-black Gauss-Seidel sweep of omreg/sumsqdiff.h instead of DIPY's
 * lexicographic one; the energy derivative solves its 3x3 least-squares
 * system by Gaussian elimination instead of LAPACK. The result is
 * bitwise the same for both backends, every thread count and schedule. */
#ifndef OMREG_SYN_H
#define OMREG_SYN_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "omreg/status.h"
#include "omreg/sumsqdiff.h"

#ifdef __cplusplus
extern "C" {
#endif

#define OMREG_SYN_MAX_LEVELS 16

/** DIPY's energy_window: the convergence test fits the last 12 energies. */
#define OMREG_SYN_ENERGY_WINDOW 12

typedef enum omreg_syn_metric_type {
    OMREG_SYN_CC = 0, /* CCMetric: local normalised cross-correlation */
    OMREG_SYN_SSD,    /* SSDMetric: sum of squared differences */
    OMREG_SYN_EM,     /* EMMetric: expectation-maximisation (multi-modal) */
    OMREG_SYN_METRIC_COUNT
} omreg_syn_metric_type;

typedef enum omreg_syn_step_type {
    OMREG_SYN_STEP_DEMONS = 0,   /* 'demons': demons step, then Gaussian smoothing */
    OMREG_SYN_STEP_GAUSS_NEWTON, /* 'gauss_newton': multigrid V-cycle */
    OMREG_SYN_STEP_TYPE_COUNT
} omreg_syn_step_type;

/** A metric and its parameters (DIPY's constructor arguments). */
typedef struct omreg_syn_metric_options {
    omreg_syn_metric_type type;
    /* CC */
    double sigma_diff; /* smoothing of the CC steps, voxels (2.0) */
    int radius;        /* CC window radius (4); every axis of every level needs
                          at least 2 radius + 1 voxels, as DIPY */
    /* SSD and EM */
    double smooth;     /* SSD 4, EM 1: demons smoothing sigma / V-cycle lambda */
    int inner_iter;    /* SSD 10, EM 5: Gauss-Seidel sweeps per V-cycle level */
    omreg_syn_step_type step_type; /* SSD demons, EM gauss_newton */
    omreg_ssd_order gs_order; /* the V-cycle's Gauss-Seidel order (gauss_newton
                                 steps): DIPY's lexicographic (default) or
                                 red-black */
    /* EM */
    int q_levels;        /* quantisation levels (256) */
    int double_gradient; /* add the gradient of the expected image (1) */
} omreg_syn_metric_options;

/** Where a registration is, for progress reports (called from the calling
 * thread only; a non-zero return value cancels the registration, which then
 * returns OMREG_ECANCELED and writes no result). */
typedef struct omreg_syn_progress {
    int event;        /* 0: an iteration ended; 1: a level starts; 2: a level ends */
    int level;        /* DIPY numbering: nlevels-1 (coarsest) .. 0 */
    int max_iter;     /* the level's level_iters entry */
    int iteration;    /* iterations done in the level (event 0: this one, 1-based) */
    double energy;    /* event 0: forward + backward energy of the iteration */
    double derivative; /* event 0: the energy derivative the iteration returned
                          (+inf before the window is full) */
} omreg_syn_progress;

typedef int omreg_syn_progress_fn(void *ctx, const omreg_syn_progress *progress);

/** The algorithm (omreg_syn_options.mode). DIPY (the default) keeps DIPY
 * 1.6's arithmetic, bit for bit. FAST goes beyond DIPY for speed; so far
 * only the CC metric changes: its window sums are separable box sums
 * (omreg_cc_method OMREG_CC_BOX_SUMS: the same windows, parallel, not
 * DIPY's rounding). SSD and EM run as in DIPY mode. The result is the same
 * bits at any thread count and schedule in both modes. */
typedef enum omreg_syn_mode {
    OMREG_SYN_MODE_DIPY = 0,
    OMREG_SYN_MODE_FAST = 1
} omreg_syn_mode;

typedef struct omreg_syn_options {
    omreg_syn_metric_options metric;
    int nlevels;                            /* 3 */
    int level_iters[OMREG_SYN_MAX_LEVELS];  /* coarsest first: 100, 100, 25 */
    double step_length;     /* largest update vector per iteration, mm (0.25) */
    double ss_sigma_factor; /* scale-space smoothing factor (0.2) */
    double opt_tol;         /* stop a level when the energy derivative <= this (1e-5) */
    int inv_iter;           /* fixed-point inversion iterations (20) */
    double inv_tol;         /* inversion error tolerance (1e-3) */
    /* 0 (default): the backend's default, read once when the registration
     * starts (OpenMP's thread count for the parallel table); 1 ..
     * OMREG_MAX_THREADS: that many. The count is fixed for the whole run:
     * per-thread buffers are sized from it and every parallel loop of the
     * run (the fields' expansion, the EM masks and the final composition
     * included) runs that many threads, whatever OpenMP's count is changed
     * to meanwhile (e.g. by the progress callback). The result is the same
     * bits for any count. */
    int threads;
    omreg_syn_progress_fn *progress;
    void *progress_ctx;
    /* Appended (existing users unaffected): omreg_syn_mode (0 = DIPY). */
    int mode;
} omreg_syn_options;

/** DIPY's defaults for a metric (the constructor defaults listed above).
 * An unknown type gives the CC defaults with that type (rejected later). */
OMREG_API omreg_syn_metric_options omreg_syn_metric_default_options(omreg_syn_metric_type type);

/** DIPY's SymmetricDiffeomorphicRegistration defaults with the metric's
 * defaults. */
OMREG_API omreg_syn_options omreg_syn_default_options(omreg_syn_metric_type type);

/** Parse "cc", "ssd" or "em" / "demons" or "gauss_newton" (case-insensitive).
 * Return OMREG_EINVAL (output untouched) for anything else. */
OMREG_API omreg_status omreg_syn_metric_from_name(const char *name, omreg_syn_metric_type *type);
OMREG_API omreg_status omreg_syn_step_type_from_name(const char *name, omreg_syn_step_type *type);

/** What a registration did. */
typedef struct omreg_syn_info {
    int nlevels;
    int iterations[OMREG_SYN_MAX_LEVELS]; /* per level, coarsest first */
    int total_iterations;
    double last_energy;     /* forward + backward energy of the last iteration (NaN if none) */
    double last_derivative; /* the last iteration's derivative (+inf if none) */
} omreg_syn_info;

/** SymmetricDiffeomorphicRegistration(metric, level_iters, step_length,
 * ss_sigma_factor, opt_tol, inv_iter, inv_tol).optimize(static, moving,
 * static_grid2world, moving_grid2world, prealign): static and moving are
 * scalar images (float32, or float64 rounded to float32 as DIPY's
 * astype(floating)), both 2D or both 3D, shapes may differ; their
 * grid2world affines are DIPY's static_grid2world / moving_grid2world.
 * prealign ((dim+1)^2, row-major, NULL for none) maps static world points
 * to moving world points (an affine registration's result). On success
 * *out is the DiffeomorphicMap DIPY returns (an inverse map: its transform
 * warps a moving image onto the static grid, transform_inverse a static
 * image onto the moving grid; its stored forward / backward fields are the
 * (static shape..., dim) float32 world-space displacements DIPY's
 * mapping.forward / mapping.backward hold), owned by the caller
 * (omreg_diffeomap_free); *info (when not NULL) is filled.
 * Returns OMREG_EINVAL (NULL argument, bad option), OMREG_ESHAPE (not
 * scalar images, dimensions differ, a level grid too small for the metric
 * or numpy.gradient), OMREG_ENONFINITE (NaN/Inf voxels, a constant image,
 * a non-finite affine), OMREG_ESINGULAR (a singular affine), OMREG_EOVERFLOW
 * OMREG_ENOMEM or OMREG_ECANCELED (the progress callback returned non-zero).
 * *out and *info are untouched on failure. */
OMREG_API omreg_status omreg_syn_register(const omreg_backend *backend,
                                          const omreg_image *static_img,
                                          const omreg_image *moving_img, const double *prealign,
                                          const omreg_syn_options *options, omreg_diffeomap **out,
                                          omreg_syn_info *info);

/** numpy.gradient (unit spacing, edge_order 1) of a scalar 2D or 3D image,
 * computed in its dtype as numpy does: on success *out is a new field of
 * image's shape, dtype and grid2world whose component a is the derivative
 * along axis a, owned by the caller. Returns OMREG_EINVAL (NULL argument),
 * OMREG_ESHAPE (a field, or an axis with fewer than 2 voxels: numpy raises)
 * or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_numpy_gradient(const omreg_backend *backend, const omreg_image *image,
                                            omreg_image **out);

#ifdef __cplusplus
}
#endif
#endif
