/* The backend table: one function pointer per kernel, slot name = kernel
 * stem (slot x, functions omreg_ref_x and omreg_par_x). Drivers call
 * kernels only through a table; both tables are static const and filled in
 * full (reference/backend_reference.c, parallel/backend_parallel.c). */
#ifndef OMREG_CORE_BACKEND_H
#define OMREG_CORE_BACKEND_H

#include "kernels_gradient.h"
#include "kernels_interpolate.h"
#include "kernels_parzen.h"
#include "kernels_reduce.h"
#include "kernels_transform.h"
#include "omreg/backend.h"

struct omreg_backend {
    const char *name;

    /* interpolation (kernels_interpolate.h) */
    omreg_interpolate_scalar_2d_f64_fn *interpolate_scalar_2d_f64;
    omreg_interpolate_scalar_2d_f32_fn *interpolate_scalar_2d_f32;
    omreg_interpolate_scalar_3d_f64_fn *interpolate_scalar_3d_f64;
    omreg_interpolate_scalar_3d_f32_fn *interpolate_scalar_3d_f32;
    omreg_interpolate_vector_2d_f64_fn *interpolate_vector_2d_f64;
    omreg_interpolate_vector_2d_f32_fn *interpolate_vector_2d_f32;
    omreg_interpolate_vector_3d_f64_fn *interpolate_vector_3d_f64;
    omreg_interpolate_vector_3d_f32_fn *interpolate_vector_3d_f32;
    omreg_interpolate_scalar_nn_2d_f64_fn *interpolate_scalar_nn_2d_f64;
    omreg_interpolate_scalar_nn_2d_f32_fn *interpolate_scalar_nn_2d_f32;
    omreg_interpolate_scalar_nn_3d_f64_fn *interpolate_scalar_nn_3d_f64;
    omreg_interpolate_scalar_nn_3d_f32_fn *interpolate_scalar_nn_3d_f32;

    /* gradients (kernels_gradient.h) */
    omreg_gradient_2d_f64_fn *gradient_2d_f64;
    omreg_gradient_2d_f32_fn *gradient_2d_f32;
    omreg_gradient_3d_f64_fn *gradient_3d_f64;
    omreg_gradient_3d_f32_fn *gradient_3d_f32;
    omreg_sparse_gradient_2d_f64_fn *sparse_gradient_2d_f64;
    omreg_sparse_gradient_2d_f32_fn *sparse_gradient_2d_f32;
    omreg_sparse_gradient_3d_f64_fn *sparse_gradient_3d_f64;
    omreg_sparse_gradient_3d_f32_fn *sparse_gradient_3d_f32;

    /* affine resampling in grid coordinates (kernels_transform.h) */
    omreg_transform_affine_2d_f64_fn *transform_affine_2d_f64;
    omreg_transform_affine_2d_f32_fn *transform_affine_2d_f32;
    omreg_transform_affine_3d_f64_fn *transform_affine_3d_f64;
    omreg_transform_affine_3d_f32_fn *transform_affine_3d_f32;
    omreg_transform_affine_nn_2d_f64_fn *transform_affine_nn_2d_f64;
    omreg_transform_affine_nn_2d_f32_fn *transform_affine_nn_2d_f32;
    omreg_transform_affine_nn_3d_f64_fn *transform_affine_nn_3d_f64;
    omreg_transform_affine_nn_3d_f32_fn *transform_affine_nn_3d_f32;

    /* canonical-order reductions (kernels_reduce.h) */
    omreg_image_moments_f64_fn *image_moments_f64;
    omreg_image_moments_f32_fn *image_moments_f32;

    /* Parzen joint histogram and its parameter gradient (kernels_parzen.h) */
    omreg_max_threads_fn *max_threads;
    omreg_parzen_joint_fn *parzen_joint;
    omreg_parzen_gradient_dense_2d_fn *parzen_gradient_dense_2d;
    omreg_parzen_gradient_dense_3d_fn *parzen_gradient_dense_3d;
    omreg_parzen_gradient_sparse_fn *parzen_gradient_sparse;
};

#endif
