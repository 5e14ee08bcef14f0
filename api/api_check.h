/* The one set of argument checks of the checked public entry points (the
 * api/ room) and of the drivers' public functions that validate images
 * (registration/syn's diffeomap, the SSD V-cycle): each check records a
 * message naming the calling function and returns the status the public
 * headers document. O(1) work: entry points never loop over voxels or
 * points. */
#ifndef OMREG_CORE_API_CHECK_H
#define OMREG_CORE_API_CHECK_H

#include <stddef.h>

#include "alloc.h"
#include "backend.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/matrix.h"

/* What kind of image an entry point accepts. */
enum api_kind { API_SCALAR, API_FIELD, API_ANY };

/* backend and img non-NULL (EINVAL); img scalar / field as required (ESHAPE). */
omreg_status api_check_image(const char *fn, const omreg_backend *backend,
                             const omreg_image *img, enum api_kind kind);

/* img (NULL allowed when optional) is of `kind` on ref's grid and dtype
 * (EINVAL for a missing one, else ESHAPE); ref_name names ref in the
 * messages. */
omreg_status api_check_like(const char *fn, const char *what, const omreg_backend *backend,
                            const omreg_image *ref, const char *ref_name,
                            const omreg_image *img, enum api_kind kind, int optional);

/* An output grid shape of ndim axes: non-NULL (EINVAL), no zero axis
 * (ESHAPE), and voxels * ncomp * elem_size bytes fit size_t (EOVERFLOW). */
omreg_status api_check_shape(const char *fn, int ndim, const size_t *shape, size_t ncomp,
                             size_t elem_size);

/* ndim 2 or 3 (ESHAPE). */
omreg_status api_check_ndim(const char *fn, int ndim);

/* dtype OMREG_F64 or OMREG_F32 (EINVAL). */
omreg_status api_check_dtype(const char *fn, omreg_dtype dtype);

/* A (ndim+1)x(ndim+1) affine: finite (ENONFINITE), last row (0, ..., 0, 1)
 * (ESINGULAR) and invertible (ESINGULAR). The inverse goes to inv when it
 * is not NULL. */
omreg_status api_check_affine(const char *fn, const char *what, int ndim, const double *a,
                              double *inv);

/* DIPY's is_valid_affine: None (NULL) or every entry finite (ENONFINITE);
 * the last row is not read and nothing is inverted. */
omreg_status api_check_finite_affine(const char *fn, const char *what, int ndim,
                                     const double *a);

/* a is finite with the last row (0, ..., 0, 1); it may be singular (DIPY's
 * is_valid_affine, for the maps that only apply a: affine resampling). */
omreg_status api_check_affine_applied(const char *fn, const char *what, int ndim,
                                      const double *a);

/* n points of `per_point` values: n * per_point * max(sizeof(double),
 * elem_size) bytes must fit size_t (EOVERFLOW), so every index the kernel
 * forms is representable. */
omreg_status api_check_points(const char *fn, size_t n, size_t per_point, size_t elem_size);

/* The SSD linear system's inputs (include/omreg/sumsqdiff.h): delta
 * (scalar), sigmasq (optional scalar), gradient (field), target (optional
 * field), lambda finite and >= 0, and out (a field on the same grid,
 * written by the call, named out_name) overlapping none of them. */
omreg_status api_check_ssd_system(const char *fn, const omreg_backend *backend,
                                  const omreg_image *delta, const omreg_image *sigmasq,
                                  const omreg_image *gradient, const omreg_image *target,
                                  double lambda, const char *out_name, const omreg_image *out);

/* img's data in bytes (fits size_t: checked when the image was created). */
size_t api_image_bytes(const omreg_image *img);

/* [a, a+na) and [b, b+nb) share a byte. */
int api_overlaps(const void *a, size_t na, const void *b, size_t nb);

/* The data of two images share a byte (either may be NULL: no). */
int api_images_overlap(const omreg_image *a, const omreg_image *b);

/* Same ndim and shape (dtype and ncomp not compared). */
int api_same_shape(const omreg_image *a, const omreg_image *b);

#endif
