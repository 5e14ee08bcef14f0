/* Parametric transforms for affine registration (DIPY 1.6
 * dipy/align/transforms.pyx): translation, rotation, rigid, rigid +
 * isotropic scaling, rigid + anisotropic scaling, isotropic scaling and full
 * affine, in 2D and 3D. Parameter vectors map to (dim+1)x(dim+1) row-major
 * homogeneous matrices; the Jacobian of T(x) w.r.t. the parameters is a
 * dim x nparams row-major matrix. */
#ifndef OMREG_TRANSFORM_H
#define OMREG_TRANSFORM_H

#include "omreg/export.h"

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* DIPY's regtransforms keys without the dimension. Parameter layouts, as in
 * DIPY (angles in radians; 3D angles are about x, y, z and the matrix is
 * Rz * Rx * Ry, DIPY's "y, x, z" order chosen for ANTs):
 *   TRANSLATION      2D (tx, ty)                3D (tx, ty, tz)
 *   ROTATION         2D (a)                     3D (ax, ay, az)
 *   RIGID            2D (a, tx, ty)             3D (ax, ay, az, tx, ty, tz)
 *   RIGIDISOSCALING  2D (a, tx, ty, s)          3D (ax, ay, az, tx, ty, tz, s)
 *   RIGIDSCALING     2D (a, tx, ty, sx, sy)     3D (ax, ay, az, tx, ty, tz, sx, sy, sz)
 *   SCALING          2D (s)                     3D (s)
 *   AFFINE           2D the first 2 rows of the matrix (6), 3D the first 3 (12)
 * RIGIDSCALING scales the rows of the rotation: M = diag(s) * R. */
typedef enum omreg_transform_type {
    OMREG_TRANSFORM_TRANSLATION = 0,
    OMREG_TRANSFORM_ROTATION,
    OMREG_TRANSFORM_RIGID,
    OMREG_TRANSFORM_RIGIDISOSCALING,
    OMREG_TRANSFORM_RIGIDSCALING,
    OMREG_TRANSFORM_SCALING,
    OMREG_TRANSFORM_AFFINE,
    OMREG_TRANSFORM_TYPE_COUNT
} omreg_transform_type;

/* The largest parameter count of any transform (3D AFFINE). */
#define OMREG_TRANSFORM_MAX_PARAMS 12

/** *nparams = number of parameters of the transform (DIPY's
 * get_number_of_parameters). Returns OMREG_EINVAL (output untouched) for an
 * unknown type, dim not 2 or 3, or NULL nparams. */
OMREG_API omreg_status omreg_transform_nparams(omreg_transform_type type, int dim, int *nparams);

/** Write the parameters of the identity transform into params (nparams
 * entries; DIPY's get_identity_parameters). Returns OMREG_EINVAL for an
 * unknown type, dim not 2 or 3, or NULL params. */
OMREG_API omreg_status omreg_transform_identity_params(omreg_transform_type type, int dim,
                                                       double *params);

/** Write the (dim+1)x(dim+1) row-major matrix of the transform with the
 * given nparams parameters into matrix (every entry is written; DIPY's
 * param_to_matrix, same formulas and order of operations). NaN or
 * infinite parameters are accepted and propagate through those formulas
 * as in DIPY (dipy.align.imaffine relies on a NaN matrix). Returns
 * OMREG_EINVAL for an unknown type, dim not 2 or 3 or a NULL pointer; the
 * matrix is untouched on failure. */
OMREG_API omreg_status omreg_transform_param_to_matrix(omreg_transform_type type, int dim,
                                                       const double *params, double *matrix);

/** Write the Jacobian of T(x) with respect to the parameters, evaluated at
 * the point x (dim entries), into jac: a dim x nparams row-major matrix,
 * every entry written (DIPY's jacobian / _jacobian). If is_constant is not
 * NULL it receives DIPY's flag: 1 when the Jacobian does not depend on x
 * (TRANSLATION only), else 0. NaN or infinite parameters and coordinates
 * propagate as in DIPY. Returns OMREG_EINVAL for an unknown type, dim not
 * 2 or 3 or a NULL params/x/jac; outputs untouched on failure. */
OMREG_API omreg_status omreg_transform_jacobian(omreg_transform_type type, int dim,
                                                const double *params, const double *x, double *jac,
                                                int *is_constant);

/** Look a transform up by DIPY's regtransforms key (name, dim), e.g.
 * ("RIGID", 3). Names are matched exactly, case-sensitively, like DIPY's
 * dict: "TRANSLATION", "ROTATION", "RIGID", "RIGIDISOSCALING",
 * "RIGIDSCALING", "SCALING", "AFFINE". Returns OMREG_EINVAL (type untouched)
 * for an unknown name, dim not 2 or 3, or a NULL pointer. */
OMREG_API omreg_status omreg_transform_from_name(const char *name, int dim,
                                                 omreg_transform_type *type);

/** DIPY's name of a transform type ("RIGID"); NULL for an unknown type.
 * The string is static. */
OMREG_API const char *omreg_transform_name(omreg_transform_type type);

/* ---- initial alignment (DIPY imaffine.py) -------------------------------
 * Each writes into affine the (dim+1)x(dim+1) row-major matrix of the
 * AffineMap DIPY returns: the identity with translation c_moving - c_static,
 * where c is a world point of each image (c = grid2world * (grid point, 1),
 * summed in index order as numpy's dot does). Both images must have the same
 * dimensionality (OMREG_ESHAPE otherwise); NULL pointers give OMREG_EINVAL;
 * affine is untouched on failure. */

/** DIPY's transform_centers_of_mass: c = the intensity-weighted centre of
 * each image (scipy.ndimage.center_of_mass), computed by the backend's
 * center_of_mass kernel in its canonical block order (so the result is
 * the same for either backend and any thread count; it differs from
 * scipy's pairwise summation by rounding only). Images must be scalar
 * (OMREG_ESHAPE) float64 (OMREG_EUNSUPPORTED for float32). A zero total
 * intensity (centre undefined; DIPY gets NaN and AffineMap rejects it)
 * gives OMREG_EINVAL, non-finite sums OMREG_ENONFINITE; OMREG_ENOMEM if the
 * per-block scratch cannot be allocated. */
OMREG_API omreg_status omreg_transform_centers_of_mass(const omreg_backend *backend,
                                                       const omreg_image *static_img,
                                                       const omreg_image *moving, double *affine);

/** DIPY's transform_geometric_centers: c = the world point of grid
 * coordinates shape * 0.5 (DIPY's "central voxel"). Any dtype and number of
 * components. */
OMREG_API omreg_status omreg_transform_geometric_centers(const omreg_image *static_img,
                                                         const omreg_image *moving, double *affine);

/** DIPY's transform_origins: c = the world point of voxel 0 (the
 * translation column of grid2world). Any dtype and number of components. */
OMREG_API omreg_status omreg_transform_origins(const omreg_image *static_img,
                                               const omreg_image *moving, double *affine);

#ifdef __cplusplus
}
#endif
#endif
