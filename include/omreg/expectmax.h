/* The EM metric's kernels (DIPY 1.6 dipy/align/expectmax.pyx, Arce-Santana
 * et al. 2014): quantisation of the positive intensities, per-class
 * statistics over a mask, and the EM demons step with its energy. Images
 * are scalar omreg_images (2D or 3D, float32 or float64); class images,
 * masks and histograms are int arrays of one entry per voxel / class, in
 * the image's C order. Floating outputs have the image's dtype, as DIPY's.
 *
 * Reductions (class sums, energy) run in omreg's canonical order (blocks
 * of 4096 voxels in C order, block partials combined in block order), so
 * they are the same bits from either backend and any thread count; DIPY
 * sums serially, so these can differ from DIPY's in the last bits. */
#ifndef OMREG_EXPECTMAX_H
#define OMREG_EXPECTMAX_H

#include "omreg/export.h"

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Quantise v into num_levels classes (DIPY quantize_positive_{2,3}d):
 * class 0 holds the voxels <= 0 (NaN and -Inf too); the positive values
 * [min, max] are cut into num_levels - 1 intervals of width delta =
 * (max - min + 1e-8) / (num_levels - 1), class i >= 1 being
 * 1 + floor((v - min) / delta). levels[0] = 0 and levels[i] is the
 * midpoint of interval i (accumulated as DIPY: levels[i-1] + delta, stored
 * in v's dtype). When num_levels == 2, or delta < 1e-8 (all positive
 * values within 1e-8 of each other, or none positive), every positive
 * voxel is in class 1, levels[1] = (min + max) / 2 and the other levels
 * are 0 (min = max = -1 when no voxel is positive: levels[1] = -1, as
 * DIPY). hist[i] counts the voxels of class i. A class index past
 * num_levels - 1, which DIPY writes past its histogram (only when
 * max - min exceeds ~9e7), is clamped to num_levels - 1.
 * On success *labels is a new array of one int per voxel, *levels (if
 * levels is not NULL) a new array of num_levels values of v's dtype and
 * *hist (if hist is not NULL) a new array of num_levels ints, all owned by
 * the caller (free()). Returns OMREG_EINVAL (NULL backend, v or labels;
 * num_levels < 2), OMREG_ESHAPE (v is a field), OMREG_EOVERFLOW (more than
 * INT_MAX voxels: the counts are int), OMREG_ENONFINITE (a +Inf voxel) or
 * OMREG_ENOMEM; on failure nothing is allocated and the outputs are
 * untouched. */
OMREG_API omreg_status omreg_quantize_positive(const omreg_backend *backend, const omreg_image *v,
                                               int num_levels, int **labels, void **levels,
                                               int **hist);

/** Per-class mean and variance of v over the voxels where mask != 0 (DIPY
 * compute_masked_class_stats_{2,3}d): for each class l in [0, num_labels)
 * with c voxels (mask != 0, labels == l), means[l] = sum(v) / c (0 when
 * c == 0) and variances[l] = sum((v - means[l])^2) / c (the population
 * variance, +Inf when c < 2), all in v's dtype. mask and labels hold one
 * int per voxel of v; labels of voxels outside the mask are not read.
 * NaN/Inf voxel values propagate into their class, as in DIPY.
 * On success *means and *variances are new arrays of num_labels values of
 * v's dtype, owned by the caller (free()). Returns OMREG_EINVAL (NULL
 * argument; num_labels < 1 or INT_MAX; a masked voxel's label outside
 * [0, num_labels)), OMREG_ESHAPE (v is a field), OMREG_EOVERFLOW (more
 * than INT_MAX voxels, or the block scratch does not fit size_t) or
 * OMREG_ENOMEM; on failure nothing is allocated and the outputs are
 * untouched. */
OMREG_API omreg_status omreg_compute_masked_class_stats(const omreg_backend *backend,
                                                        const int *mask, const omreg_image *v,
                                                        int num_labels, const int *labels,
                                                        void **means, void **variances);

/** The EM demons step (DIPY compute_em_demons_step_{2,3}d; Vercauteren et
 * al. 2009 eq. 4 with the EM class variances): for every voxel x, with
 * delta = delta_field[x], s = sigma_sq_field[x], g = gradient_moving[x]
 * and nrm2 = |g|^2, step[x] = 0 when s is infinite, or s == 0 and
 * nrm2 == 0; delta g / nrm2 when s == 0; sigma_sq_x delta g /
 * (sigma_sq_x nrm2 + s) otherwise. *energy (if energy is not NULL) gets
 * the sum of delta^2 over all voxels (canonical order). delta_field and
 * sigma_sq_field are scalar images and gradient_moving a field, all of the
 * same ndim, shape and dtype. Voxel values are not checked: as in DIPY,
 * +-Inf variances select the zero step and NaN propagates. On success
 * *out is a new field of that shape and dtype with delta_field's
 * grid2world, owned by the caller (omreg_image_free). Returns OMREG_EINVAL (NULL backend, image or out),
 * OMREG_ESHAPE (wrong kinds; ndim, shape or dtype mismatch),
 * OMREG_ENONFINITE (sigma_sq_x not finite) or OMREG_ENOMEM; on failure
 * *out and *energy are untouched. */
OMREG_API omreg_status omreg_compute_em_demons_step(const omreg_backend *backend,
                                                    const omreg_image *delta_field,
                                                    const omreg_image *sigma_sq_field,
                                                    const omreg_image *gradient_moving,
                                                    double sigma_sq_x, omreg_image **out,
                                                    double *energy);

#ifdef __cplusplus
}
#endif
#endif
