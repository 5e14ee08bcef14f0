/* Fast mode's level optimisation (beyond DIPY; include/omreg/affine.h,
 * omreg_affine_mode): stochastic Mattes MI on fresh random samples and an
 * Adam optimiser on millimetre-scaled parameters. */
#ifndef OMREG_FAST_AFFINE_H
#define OMREG_FAST_AFFINE_H

#include "backend.h"
#include "omreg/affine.h"

/* One level, the counterpart of DIPY mode's mi_metric_setup + L-BFGS-B:
 * static_f64 the level's static image on its grid, smask its int mask or
 * NULL, moving_f32 the level's moving image on its own grid, current the
 * starting affine. params (nparams) in: the start, out: the result;
 * *evaluations and *mi: iterations run and MI at the last one. */
omreg_status fast_affine_level(const struct omreg_backend *b, int nthreads,
                               const omreg_affine_options *opt, const char *stage, int level,
                               omreg_transform_type type, const omreg_image *static_f64,
                               const int *smask, const omreg_image *moving_f32,
                               const double *current, double *params, int *evaluations,
                               double *mi);

#endif
