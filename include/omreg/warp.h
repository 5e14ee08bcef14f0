/* Warping images and points through displacement fields, pyramid
 * resampling of fields, and DIPY's test-input generators (DIPY 1.6
 * dipy/align/vector_fields.pyx: warp_{2,3}d[_nn], warp_coordinates_{2,3}d,
 * downsample_{scalar,displacement}_field_{2,3}d,
 * resample_displacement_field_{2,3}d, create_random_displacement_{2,3}d,
 * create_harmonic_fields_{2,3}d, create_circle, create_sphere).
 * The affines act on voxel (index) coordinates exactly as DIPY's arguments
 * of the same names: (ndim+1)x(ndim+1) row-major, NULL meaning DIPY's None,
 * and, as DIPY's is_valid_affine, only finiteness is required (their last
 * row is never read). The grid-to-world affines stored in the input images
 * are not read; new images get the identity grid2world (the caller sets the
 * world geometry with omreg_image_set_grid2world). New images are owned by
 * the caller (omreg_image_free); on failure no output is written or
 * allocated. */
#ifndef OMREG_WARP_H
#define OMREG_WARP_H

#include "omreg/export.h"

#include <stddef.h>
#include <stdint.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum omreg_warp_interp {
    OMREG_WARP_LINEAR = 0, /* bi/trilinear (DIPY warp_{2,3}d) */
    OMREG_WARP_NEAREST = 1 /* nearest neighbour, x.5 rounds down (DIPY warp_{2,3}d_nn) */
} omreg_warp_interp;

/* Nearest-neighbour lookups (omreg_warp, omreg_transform_affine,
 * omreg_interpolate with nearest) copy image values bit for bit, with no
 * arithmetic on them, and write 0 outside: an int32 (int64) label map
 * wrapped as a float32 (float64) image, bits unchanged, comes out as DIPY's
 * integer result (tests/test_golden_foundation.c, integer_nn). */

/** Warp the scalar `image` through the displacement `field` (ndim
 * components, same ndim and dtype) onto a new scalar image of out_shape
 * (NULL: the field's shape, DIPY's default):
 * out[x] = image(C * field(A x) + B x) with A = affine_idx_in,
 * B = affine_idx_out, C = affine_disp. A NULL reads field[x] itself (the
 * field must then cover out_shape; DIPY would read out of bounds), B NULL
 * adds x, C NULL uses the displacement as is (C maps vectors: its
 * translation column is not added). field(y) is linear interpolation, zero
 * outside the field; the image lookup is linear or nearest, zero outside
 * the image. To sample an image with grid-to-world T, warped by a field
 * with grid-to-world R, on a grid S: A = R^-1 S, B = T^-1 S, C = T^-1.
 * Returns OMREG_EINVAL (NULL argument, unknown interp, dtype mismatch),
 * OMREG_ESHAPE (ndim or components, field smaller than out_shape without A,
 * zero out_shape axis), OMREG_EOVERFLOW, OMREG_ENONFINITE (an affine entry)
 * or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_warp(const omreg_backend *backend, const omreg_image *image,
                                  const omreg_image *field, const double *affine_idx_in,
                                  const double *affine_idx_out, const double *affine_disp,
                                  const size_t *out_shape, omreg_warp_interp interp,
                                  omreg_image **out);

/** Warp n points (n x ndim doubles) through the displacement `field`:
 * out[p] = world2out (in2world p + field(in2grid p)) with, as in DIPY,
 * in2grid = field_world2grid when in2world is NULL, in2world when
 * field_world2grid is NULL, else field_world2grid * in2world (summed left to
 * right). Other NULL affines are identities; the field is interpolated
 * linearly, zero outside. out (n x ndim doubles, the caller's) may be
 * points itself but must not overlap it otherwise; n = 0 does nothing.
 * Returns OMREG_EINVAL (NULL argument, overlap), OMREG_ESHAPE (field is a
 * scalar image), OMREG_EOVERFLOW or OMREG_ENONFINITE. */
OMREG_API omreg_status omreg_warp_coordinates(const omreg_backend *backend,
                                              const omreg_image *field, const double *points,
                                              size_t n, const double *in2world,
                                              const double *world2out,
                                              const double *field_world2grid, double *out);

/** Halve the resolution of an image or displacement field (DIPY
 * downsample_{scalar,displacement}_field_{2,3}d): *out has shape
 * (n + 1) / 2 per axis and in's components and dtype; each output cell is
 * the mean of the 2^ndim input cells it covers (fewer on the far border of
 * odd axes). Displacements are averaged, not rescaled. Returns
 * OMREG_EINVAL or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_downsample_field(const omreg_backend *backend, const omreg_image *in,
                                              omreg_image **out);

/** Resample a displacement field onto a new field of out_shape (DIPY
 * resample_displacement_field_{2,3}d, which expands fields between pyramid
 * levels): out[x] = field(diag(factors) x), linear, zero outside the field.
 * factors (ndim finite values, in DIPY's pyramid the ratio fine spacing /
 * coarse spacing, e.g. 0.5, or non-integer ratios for odd sizes) map out's
 * voxel indices into field's. Vectors are not rescaled. Returns
 * OMREG_EINVAL, OMREG_ESHAPE, OMREG_EOVERFLOW, OMREG_ENONFINITE (a factor)
 * or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_resample_displacement_field(const omreg_backend *backend,
                                                         const omreg_image *field,
                                                         const double *factors,
                                                         const size_t *out_shape,
                                                         omreg_image **out);

/** DIPY create_random_displacement_{2,3}d: a new field of from_shape (ndim 2
 * or 3, dtype f64, or f32 = the f64 values rounded) sending each voxel x to a
 * random voxel r of to_shape with 1 <= r_c <= to_shape[c] - 2:
 * out[x] = to_grid2world r - from_grid2world x (NULL: identity), and, when
 * int_field is not NULL, int_field[x * ndim + c] = r_c (voxels * ndim ints,
 * the caller's). The draws come from omreg's counter-based generator keyed
 * by (seed, x * ndim + c) (omreg/random.h) instead of numpy's stream, so the
 * field differs from DIPY's for any seed but is the same for every backend,
 * thread count and schedule. Returns OMREG_EINVAL (NULL argument, bad dtype,
 * to_shape[c] < 3 as DIPY's randint rejects, or > INT_MAX), OMREG_ESHAPE,
 * OMREG_EOVERFLOW, OMREG_ENONFINITE or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_create_random_displacement(const omreg_backend *backend, int ndim,
                                                        const size_t *from_shape,
                                                        const double *from_grid2world,
                                                        const size_t *to_shape,
                                                        const double *to_grid2world, uint64_t seed,
                                                        omreg_dtype dtype, omreg_image **out,
                                                        int *int_field);

/** DIPY create_harmonic_fields_{2,3}d: Chen et al.'s (2008) invertible
 * harmonic displacement field of the given shape with parameters b and m in
 * *d, its analytic inverse in *inv (dtype f64, or f32 = the f64 values
 * rounded). Uses libm atan2 and cos, as DIPY. Returns OMREG_EINVAL,
 * OMREG_ESHAPE, OMREG_EOVERFLOW, OMREG_ENONFINITE (b or m) or
 * OMREG_ENOMEM; neither output is set on failure. */
OMREG_API omreg_status omreg_create_harmonic_fields(const omreg_backend *backend, int ndim,
                                                    const size_t *shape, double b, double m,
                                                    omreg_dtype dtype, omreg_image **d,
                                                    omreg_image **inv);

/** DIPY create_circle (shape[2]) / create_sphere (shape[3]): a new scalar
 * image that is 1 where the distance from the voxel to the centre
 * (shape / 2, integer division) is <= radius, else 0. Returns OMREG_EINVAL,
 * OMREG_ESHAPE, OMREG_EOVERFLOW or OMREG_ENOMEM. */
OMREG_API omreg_status omreg_create_circle(const omreg_backend *backend, const size_t shape[2],
                                           ptrdiff_t radius, omreg_dtype dtype, omreg_image **out);
OMREG_API omreg_status omreg_create_sphere(const omreg_backend *backend, const size_t shape[3],
                                           ptrdiff_t radius, omreg_dtype dtype, omreg_image **out);

#ifdef __cplusplus
}
#endif
#endif
