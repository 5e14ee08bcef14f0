/* The backend table: one function pointer per kernel, slot name = kernel
 * stem (slot x, functions omreg_ref_x and omreg_par_x). Drivers call
 * kernels only through a table; both tables are static const and filled in
 * full (backend/backend_reference.c, backend/backend_parallel.c). */
#ifndef OMREG_CORE_BACKEND_H
#define OMREG_CORE_BACKEND_H

#include "kernels_gradient.h"
#include "kernels_interpolate.h"
#include "kernels_parzen.h"
#include "kernels_pointwise.h"
#include "kernels_reduce.h"
#include "kernels_smooth.h"
#include "kernels_transform.h"
#include "kernels_field_generators.h"
#include "kernels_resample_field.h"
#include "kernels_warp.h"
#include "kernels_center_of_mass.h"
#include "kernels_vector_fields.h"
#include "kernels_sumsqdiff.h"
#include "kernels_expectmax.h"
#include "kernels_crosscorr.h"
#include "kernels_numpy_gradient.h"
#include "kernels_syn_pointwise.h"
#include "deflate_chunk.h"
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

    /* warping, pyramid field resampling, test-input generators (kernels_warp.h,
     * kernels_resample_field.h, kernels_field_generators.h) */
    omreg_warp_linear_2d_f64_fn *warp_linear_2d_f64;
    omreg_warp_linear_2d_f32_fn *warp_linear_2d_f32;
    omreg_warp_linear_3d_f64_fn *warp_linear_3d_f64;
    omreg_warp_linear_3d_f32_fn *warp_linear_3d_f32;
    omreg_warp_nn_2d_f64_fn *warp_nn_2d_f64;
    omreg_warp_nn_2d_f32_fn *warp_nn_2d_f32;
    omreg_warp_nn_3d_f64_fn *warp_nn_3d_f64;
    omreg_warp_nn_3d_f32_fn *warp_nn_3d_f32;
    omreg_warp_coordinates_2d_f64_fn *warp_coordinates_2d_f64;
    omreg_warp_coordinates_2d_f32_fn *warp_coordinates_2d_f32;
    omreg_warp_coordinates_3d_f64_fn *warp_coordinates_3d_f64;
    omreg_warp_coordinates_3d_f32_fn *warp_coordinates_3d_f32;
    omreg_downsample_scalar_field_2d_f64_fn *downsample_scalar_field_2d_f64;
    omreg_downsample_scalar_field_2d_f32_fn *downsample_scalar_field_2d_f32;
    omreg_downsample_scalar_field_3d_f64_fn *downsample_scalar_field_3d_f64;
    omreg_downsample_scalar_field_3d_f32_fn *downsample_scalar_field_3d_f32;
    omreg_downsample_displacement_field_2d_f64_fn *downsample_displacement_field_2d_f64;
    omreg_downsample_displacement_field_2d_f32_fn *downsample_displacement_field_2d_f32;
    omreg_downsample_displacement_field_3d_f64_fn *downsample_displacement_field_3d_f64;
    omreg_downsample_displacement_field_3d_f32_fn *downsample_displacement_field_3d_f32;
    omreg_resample_displacement_field_2d_f64_fn *resample_displacement_field_2d_f64;
    omreg_resample_displacement_field_2d_f32_fn *resample_displacement_field_2d_f32;
    omreg_resample_displacement_field_3d_f64_fn *resample_displacement_field_3d_f64;
    omreg_resample_displacement_field_3d_f32_fn *resample_displacement_field_3d_f32;
    omreg_create_random_displacement_2d_f64_fn *create_random_displacement_2d_f64;
    omreg_create_random_displacement_2d_f32_fn *create_random_displacement_2d_f32;
    omreg_create_random_displacement_3d_f64_fn *create_random_displacement_3d_f64;
    omreg_create_random_displacement_3d_f32_fn *create_random_displacement_3d_f32;
    omreg_create_harmonic_fields_2d_f64_fn *create_harmonic_fields_2d_f64;
    omreg_create_harmonic_fields_2d_f32_fn *create_harmonic_fields_2d_f32;
    omreg_create_harmonic_fields_3d_f64_fn *create_harmonic_fields_3d_f64;
    omreg_create_harmonic_fields_3d_f32_fn *create_harmonic_fields_3d_f32;
    omreg_create_circle_f64_fn *create_circle_f64;
    omreg_create_circle_f32_fn *create_circle_f32;
    omreg_create_sphere_f64_fn *create_sphere_f64;
    omreg_create_sphere_f32_fn *create_sphere_f32;

    /* per-voxel helpers of the drivers (kernels_pointwise.h) */
    omreg_masked_range_f64_fn *masked_range_f64;
    omreg_normalize_f64_fn *normalize_f64;
    omreg_normalize_f64_to_f32_fn *normalize_f64_to_f32;
    omreg_convert_f32_to_f64_fn *convert_f32_to_f64;
    omreg_mask_to_i32_fn *mask_to_i32;
    omreg_apply_affine_points_fn *apply_affine_points;
    omreg_sample_domain_regular_fn *sample_domain_regular;

    /* Gaussian smoothing, one axis pass (kernels_smooth.h) */
    omreg_gaussian_filter1d_f64_fn *gaussian_filter1d_f64;
    omreg_gaussian_filter1d_f32_fn *gaussian_filter1d_f32;

    /* centre of mass, canonical block order (kernels_center_of_mass.h) */
    omreg_center_of_mass_2d_f64_fn *center_of_mass_2d_f64;
    omreg_center_of_mass_3d_f64_fn *center_of_mass_3d_f64;

    /* displacement fields: compose, invert, simplify, reorient
     * (kernels_vector_fields.h) */
    omreg_compose_vector_fields_2d_f64_fn *compose_vector_fields_2d_f64;
    omreg_compose_vector_fields_2d_f32_fn *compose_vector_fields_2d_f32;
    omreg_compose_vector_fields_3d_f64_fn *compose_vector_fields_3d_f64;
    omreg_compose_vector_fields_3d_f32_fn *compose_vector_fields_3d_f32;
    omreg_invert_vector_field_residual_2d_f64_fn *invert_vector_field_residual_2d_f64;
    omreg_invert_vector_field_residual_2d_f32_fn *invert_vector_field_residual_2d_f32;
    omreg_invert_vector_field_residual_3d_f64_fn *invert_vector_field_residual_3d_f64;
    omreg_invert_vector_field_residual_3d_f32_fn *invert_vector_field_residual_3d_f32;
    omreg_invert_vector_field_step_2d_f64_fn *invert_vector_field_step_2d_f64;
    omreg_invert_vector_field_step_2d_f32_fn *invert_vector_field_step_2d_f32;
    omreg_invert_vector_field_step_3d_f64_fn *invert_vector_field_step_3d_f64;
    omreg_invert_vector_field_step_3d_f32_fn *invert_vector_field_step_3d_f32;
    omreg_simplify_warp_function_2d_f64_fn *simplify_warp_function_2d_f64;
    omreg_simplify_warp_function_2d_f32_fn *simplify_warp_function_2d_f32;
    omreg_simplify_warp_function_3d_f64_fn *simplify_warp_function_3d_f64;
    omreg_simplify_warp_function_3d_f32_fn *simplify_warp_function_3d_f32;
    omreg_reorient_vector_field_2d_f64_fn *reorient_vector_field_2d_f64;
    omreg_reorient_vector_field_2d_f32_fn *reorient_vector_field_2d_f32;
    omreg_reorient_vector_field_3d_f64_fn *reorient_vector_field_3d_f64;
    omreg_reorient_vector_field_3d_f32_fn *reorient_vector_field_3d_f32;

    /* SSD metric and its multigrid Gauss-Newton solver (kernels_sumsqdiff.h) */
    omreg_compute_energy_ssd_2d_f64_fn *compute_energy_ssd_2d_f64;
    omreg_compute_energy_ssd_2d_f32_fn *compute_energy_ssd_2d_f32;
    omreg_compute_energy_ssd_3d_f64_fn *compute_energy_ssd_3d_f64;
    omreg_compute_energy_ssd_3d_f32_fn *compute_energy_ssd_3d_f32;
    omreg_compute_ssd_demons_step_2d_f64_fn *compute_ssd_demons_step_2d_f64;
    omreg_compute_ssd_demons_step_2d_f32_fn *compute_ssd_demons_step_2d_f32;
    omreg_compute_ssd_demons_step_3d_f64_fn *compute_ssd_demons_step_3d_f64;
    omreg_compute_ssd_demons_step_3d_f32_fn *compute_ssd_demons_step_3d_f32;
    omreg_iterate_residual_displacement_field_ssd_2d_f64_fn
        *iterate_residual_displacement_field_ssd_2d_f64;
    omreg_iterate_residual_displacement_field_ssd_2d_f32_fn
        *iterate_residual_displacement_field_ssd_2d_f32;
    omreg_iterate_residual_displacement_field_ssd_3d_f64_fn
        *iterate_residual_displacement_field_ssd_3d_f64;
    omreg_iterate_residual_displacement_field_ssd_3d_f32_fn
        *iterate_residual_displacement_field_ssd_3d_f32;
    omreg_compute_residual_displacement_field_ssd_2d_f64_fn
        *compute_residual_displacement_field_ssd_2d_f64;
    omreg_compute_residual_displacement_field_ssd_2d_f32_fn
        *compute_residual_displacement_field_ssd_2d_f32;
    omreg_compute_residual_displacement_field_ssd_3d_f64_fn
        *compute_residual_displacement_field_ssd_3d_f64;
    omreg_compute_residual_displacement_field_ssd_3d_f32_fn
        *compute_residual_displacement_field_ssd_3d_f32;
    omreg_ssd_add_fields_f64_fn *ssd_add_fields_f64;
    omreg_ssd_add_fields_f32_fn *ssd_add_fields_f32;

    /* EM metric: quantization, class statistics, demons step
     * (kernels_expectmax.h) */
    omreg_quantize_positive_2d_f64_fn *quantize_positive_2d_f64;
    omreg_quantize_positive_2d_f32_fn *quantize_positive_2d_f32;
    omreg_quantize_positive_3d_f64_fn *quantize_positive_3d_f64;
    omreg_quantize_positive_3d_f32_fn *quantize_positive_3d_f32;
    omreg_compute_masked_class_stats_2d_f64_fn *compute_masked_class_stats_2d_f64;
    omreg_compute_masked_class_stats_2d_f32_fn *compute_masked_class_stats_2d_f32;
    omreg_compute_masked_class_stats_3d_f64_fn *compute_masked_class_stats_3d_f64;
    omreg_compute_masked_class_stats_3d_f32_fn *compute_masked_class_stats_3d_f32;
    omreg_compute_em_demons_step_2d_f64_fn *compute_em_demons_step_2d_f64;
    omreg_compute_em_demons_step_2d_f32_fn *compute_em_demons_step_2d_f32;
    omreg_compute_em_demons_step_3d_f64_fn *compute_em_demons_step_3d_f64;
    omreg_compute_em_demons_step_3d_f32_fn *compute_em_demons_step_3d_f32;

    /* CC metric: window factors (sliding and brute force), steps with
     * energy (kernels_crosscorr.h) */
    omreg_precompute_cc_factors_2d_f64_fn *precompute_cc_factors_2d_f64;
    omreg_precompute_cc_factors_2d_f32_fn *precompute_cc_factors_2d_f32;
    omreg_precompute_cc_factors_3d_f64_fn *precompute_cc_factors_3d_f64;
    omreg_precompute_cc_factors_3d_f32_fn *precompute_cc_factors_3d_f32;
    omreg_precompute_cc_factors_brute_2d_f64_fn *precompute_cc_factors_brute_2d_f64;
    omreg_precompute_cc_factors_brute_2d_f32_fn *precompute_cc_factors_brute_2d_f32;
    omreg_precompute_cc_factors_brute_3d_f64_fn *precompute_cc_factors_brute_3d_f64;
    omreg_precompute_cc_factors_brute_3d_f32_fn *precompute_cc_factors_brute_3d_f32;
    omreg_compute_cc_forward_step_2d_f64_fn *compute_cc_forward_step_2d_f64;
    omreg_compute_cc_forward_step_2d_f32_fn *compute_cc_forward_step_2d_f32;
    omreg_compute_cc_forward_step_3d_f64_fn *compute_cc_forward_step_3d_f64;
    omreg_compute_cc_forward_step_3d_f32_fn *compute_cc_forward_step_3d_f32;
    omreg_compute_cc_backward_step_2d_f64_fn *compute_cc_backward_step_2d_f64;
    omreg_compute_cc_backward_step_2d_f32_fn *compute_cc_backward_step_2d_f32;
    omreg_compute_cc_backward_step_3d_f64_fn *compute_cc_backward_step_3d_f64;
    omreg_compute_cc_backward_step_3d_f32_fn *compute_cc_backward_step_3d_f32;

    /* SyN driver: numpy.gradient and the driver's per-voxel helpers
     * (kernels_numpy_gradient.h, kernels_syn_pointwise.h) */
    omreg_numpy_gradient_2d_f64_fn *numpy_gradient_2d_f64;
    omreg_numpy_gradient_2d_f32_fn *numpy_gradient_2d_f32;
    omreg_numpy_gradient_3d_f64_fn *numpy_gradient_3d_f64;
    omreg_numpy_gradient_3d_f32_fn *numpy_gradient_3d_f32;
    omreg_syn_convert_f64_to_f32_fn *syn_convert_f64_to_f32;
    omreg_syn_range_f32_fn *syn_range_f32;
    omreg_syn_normalize_f32_fn *syn_normalize_f32;
    omreg_syn_subtract_f32_fn *syn_subtract_f32;
    omreg_syn_add_f32_fn *syn_add_f32;
    omreg_syn_gather_f32_fn *syn_gather_f32;
    omreg_syn_positive_mask_f32_fn *syn_positive_mask_f32;
    omreg_syn_multiply_i32_fn *syn_multiply_i32;
    omreg_syn_divide_spacing_f32_fn *syn_divide_spacing_f32;
    omreg_syn_zero_boundary_f32_fn *syn_zero_boundary_f32;
    omreg_syn_max_norm_f32_fn *syn_max_norm_f32;
    omreg_syn_scale_f32_fn *syn_scale_f32;

    /* gzip output: independent chunks of one round (base/deflate_chunk.h) */
    omreg_deflate_chunks_fn *deflate_chunks;
};

/* The thread count of one run (a registration, or one call of a public
 * entry point): `requested` when > 0, else the table's default
 * (max_threads(): 1 for the reference, OpenMP's current count for the
 * parallel table). Read once when the run starts; every per-thread scratch
 * of the run is sized from it and the same count goes to its kernels, so a
 * caller changing OpenMP's count mid-run (a progress callback) changes
 * nothing. */
static inline int omreg_backend_threads(const struct omreg_backend *b, int requested)
{
    return requested > 0 ? requested : b->max_threads();
}

#endif
