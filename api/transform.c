/* Validated entry points of the parametric transforms (include/omreg/
 * transform.h), porting DIPY 1.6 transforms.pyx: parameter counts, identity
 * parameters, param_to_matrix, the Jacobian w.r.t. the parameters and the
 * regtransforms lookup by (name, dim). The math is in transform_point.h. */
#include <math.h>
#include <stddef.h>
#include <string.h>

#include "error.h"
#include "omreg/transform.h"
#include "transform_point.h"

static const char *const type_names[OMREG_TRANSFORM_TYPE_COUNT] = {
    [OMREG_TRANSFORM_TRANSLATION] = "TRANSLATION",
    [OMREG_TRANSFORM_ROTATION] = "ROTATION",
    [OMREG_TRANSFORM_RIGID] = "RIGID",
    [OMREG_TRANSFORM_RIGIDISOSCALING] = "RIGIDISOSCALING",
    [OMREG_TRANSFORM_RIGIDSCALING] = "RIGIDSCALING",
    [OMREG_TRANSFORM_SCALING] = "SCALING",
    [OMREG_TRANSFORM_AFFINE] = "AFFINE",
};

static omreg_status check_type_dim(omreg_transform_type type, int dim)
{
    OMREG_RETURN_IF((int)type < 0 || type >= OMREG_TRANSFORM_TYPE_COUNT, OMREG_EINVAL,
                    "transform: unknown transform type %d", (int)type);
    OMREG_RETURN_IF(dim != 2 && dim != 3, OMREG_EINVAL,
                    "transform: dimension must be 2 or 3, got %d", dim);
    return OMREG_OK;
}

const char *omreg_transform_name(omreg_transform_type type)
{
    if ((int)type < 0 || type >= OMREG_TRANSFORM_TYPE_COUNT)
        return NULL;
    return type_names[type];
}

omreg_status omreg_transform_nparams(omreg_transform_type type, int dim, int *nparams)
{
    OMREG_FORWARD(check_type_dim(type, dim));
    OMREG_RETURN_IF(nparams == NULL, OMREG_EINVAL, "transform_nparams: nparams is NULL");
    *nparams = omreg_transform_nparams_unchecked(type, dim);
    return OMREG_OK;
}

omreg_status omreg_transform_identity_params(omreg_transform_type type, int dim, double *params)
{
    OMREG_FORWARD(check_type_dim(type, dim));
    OMREG_RETURN_IF(params == NULL, OMREG_EINVAL, "transform_identity_params: params is NULL");
    omreg_transform_identity_unchecked(type, dim, params);
    return OMREG_OK;
}

omreg_status omreg_transform_param_to_matrix(omreg_transform_type type, int dim,
                                             const double *params, double *matrix)
{
    OMREG_FORWARD(check_type_dim(type, dim));
    OMREG_RETURN_IF(params == NULL || matrix == NULL, OMREG_EINVAL,
                    "transform_param_to_matrix: NULL %s", params == NULL ? "params" : "matrix");
    /* non-finite values propagate as in DIPY (imaffine relies on it) */
    omreg_transform_matrix_unchecked(type, dim, params, matrix);
    return OMREG_OK;
}

omreg_status omreg_transform_jacobian(omreg_transform_type type, int dim, const double *params,
                                      const double *x, double *jac, int *is_constant)
{
    OMREG_FORWARD(check_type_dim(type, dim));
    OMREG_RETURN_IF(params == NULL || x == NULL || jac == NULL, OMREG_EINVAL,
                    "transform_jacobian: NULL %s",
                    params == NULL ? "params" : x == NULL ? "x" : "jac");
    int constant = omreg_transform_jacobian_unchecked(type, dim, params, x, jac);
    if (is_constant != NULL)
        *is_constant = constant;
    return OMREG_OK;
}

omreg_status omreg_transform_from_name(const char *name, int dim, omreg_transform_type *type)
{
    OMREG_RETURN_IF(name == NULL || type == NULL, OMREG_EINVAL, "transform_from_name: NULL %s",
                    name == NULL ? "name" : "type");
    OMREG_RETURN_IF(dim != 2 && dim != 3, OMREG_EINVAL,
                    "transform_from_name: dimension must be 2 or 3, got %d", dim);
    for (int t = 0; t < OMREG_TRANSFORM_TYPE_COUNT; ++t)
        if (strcmp(name, type_names[t]) == 0) {
            *type = (omreg_transform_type)t;
            return OMREG_OK;
        }
    return omreg_fail(OMREG_EINVAL, "transform_from_name: unknown transform '%.64s'", name);
}
