/* Unchecked internal runs of public entry points, for the drivers'
 * iteration loops (issue 13 item 4; zstd's shape): the public function
 * validates and allocates its outputs, then calls the run; a driver sizes
 * the outputs and scratch once per level (its workspace) and calls the run
 * directly, with no re-validation and no allocation. Arguments must be
 * what the public function would have accepted. */
#ifndef OMREG_API_RUN_H
#define OMREG_API_RUN_H

#include <stddef.h>

#include "backend.h"
#include "omreg/image.h"
#include "omreg/warp.h"

/* DIPY's invert_vector_field_fixed_point loop on d (a field), in place on
 * p, which holds the start (zeros for DIPY's None) and receives the
 * inverse; q (a field of d's size) and scratch (omreg_vf_rows(d) *
 * OMREG_INVERT_SCRATCH_PER_ROW doubles) are the workspace. *iterations and
 * *error (either may be NULL) report the loop's end. The one copy of the
 * loop: omreg_invert_vector_field_fixed_point and the SyN driver call it. */
void omreg_invert_fixed_point_run(const omreg_backend *backend, const omreg_image *d,
                                  const double *d_world2grid, const double *spacing,
                                  int max_iter, double tolerance, void *p, void *q,
                                  double *scratch, int *iterations, double *error);

/* omreg_compose_vector_fields into comp, with scratch of omreg_vf_rows(d1)
 * * OMREG_COMPOSE_SCRATCH_PER_ROW doubles; stats may be NULL. */
void omreg_compose_vector_fields_run(const omreg_backend *backend, const omreg_image *d1,
                                     const omreg_image *d2, const double *premult_index,
                                     const double *premult_disp, double time_scaling,
                                     omreg_image *comp, double *scratch, double stats[3]);

/* omreg_warp into res (res's shape is the output shape, its dtype the
 * image's). */
void omreg_warp_run(const omreg_backend *backend, const omreg_image *image,
                    const omreg_image *field, const double *affine_idx_in,
                    const double *affine_idx_out, const double *affine_disp,
                    omreg_warp_interp interp, omreg_image *res);

#endif
