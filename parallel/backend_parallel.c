/* The parallel backend table, written out in full: every slot points at an
 * omreg_par_ kernel. */
#include "backend.h"

static const struct omreg_backend table = {
    .name = "parallel",

    .interpolate_scalar_2d_f64 = omreg_par_interpolate_scalar_2d_f64,
    .interpolate_scalar_2d_f32 = omreg_par_interpolate_scalar_2d_f32,
    .interpolate_scalar_3d_f64 = omreg_par_interpolate_scalar_3d_f64,
    .interpolate_scalar_3d_f32 = omreg_par_interpolate_scalar_3d_f32,
    .interpolate_vector_2d_f64 = omreg_par_interpolate_vector_2d_f64,
    .interpolate_vector_2d_f32 = omreg_par_interpolate_vector_2d_f32,
    .interpolate_vector_3d_f64 = omreg_par_interpolate_vector_3d_f64,
    .interpolate_vector_3d_f32 = omreg_par_interpolate_vector_3d_f32,
    .interpolate_scalar_nn_2d_f64 = omreg_par_interpolate_scalar_nn_2d_f64,
    .interpolate_scalar_nn_2d_f32 = omreg_par_interpolate_scalar_nn_2d_f32,
    .interpolate_scalar_nn_3d_f64 = omreg_par_interpolate_scalar_nn_3d_f64,
    .interpolate_scalar_nn_3d_f32 = omreg_par_interpolate_scalar_nn_3d_f32,

    .gradient_2d_f64 = omreg_par_gradient_2d_f64,
    .gradient_2d_f32 = omreg_par_gradient_2d_f32,
    .gradient_3d_f64 = omreg_par_gradient_3d_f64,
    .gradient_3d_f32 = omreg_par_gradient_3d_f32,
    .sparse_gradient_2d_f64 = omreg_par_sparse_gradient_2d_f64,
    .sparse_gradient_2d_f32 = omreg_par_sparse_gradient_2d_f32,
    .sparse_gradient_3d_f64 = omreg_par_sparse_gradient_3d_f64,
    .sparse_gradient_3d_f32 = omreg_par_sparse_gradient_3d_f32,

    .transform_affine_2d_f64 = omreg_par_transform_affine_2d_f64,
    .transform_affine_2d_f32 = omreg_par_transform_affine_2d_f32,
    .transform_affine_3d_f64 = omreg_par_transform_affine_3d_f64,
    .transform_affine_3d_f32 = omreg_par_transform_affine_3d_f32,
    .transform_affine_nn_2d_f64 = omreg_par_transform_affine_nn_2d_f64,
    .transform_affine_nn_2d_f32 = omreg_par_transform_affine_nn_2d_f32,
    .transform_affine_nn_3d_f64 = omreg_par_transform_affine_nn_3d_f64,
    .transform_affine_nn_3d_f32 = omreg_par_transform_affine_nn_3d_f32,

    .image_moments_f64 = omreg_par_image_moments_f64,
    .image_moments_f32 = omreg_par_image_moments_f32,

    .max_threads = omreg_par_max_threads,
    .parzen_joint = omreg_par_parzen_joint,
    .parzen_gradient_dense_2d = omreg_par_parzen_gradient_dense_2d,
    .parzen_gradient_dense_3d = omreg_par_parzen_gradient_dense_3d,
    .parzen_gradient_sparse = omreg_par_parzen_gradient_sparse,
};

const omreg_backend *omreg_backend_parallel(void) { return &table; }
