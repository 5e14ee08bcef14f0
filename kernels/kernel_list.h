/* The kernel list: one line per backend slot, the one place a kernel is
 * named. OMREG_KERNEL(k) is slot k of struct omreg_backend, of type
 * omreg_k_fn (typedef in the family header kernels_<family>.h), pointing at
 * omreg_ref_k in the reference table and omreg_par_k in the parallel one.
 * The user defines OMREG_KERNEL before including this file (no include
 * guard: an X-macro list); it expands the slots (backend/backend.h), both
 * tables (backend/backend_{reference,parallel}.c), the declarations of both
 * definitions (kernels/kernels.h) and the walk of tests/test_backend_table.c.
 * Adding a kernel is its typedef, its two definitions, one line here and
 * an equality case (test_backend_table names a slot that has none).
 *
 * Every slot's first parameter is `int nthreads` (>= 1), the run's thread
 * count (api/api_run.h omreg_run_ctx): every parallel region of the
 * parallel definition asks for num_threads(nthreads) (ctest region_threads
 * checks a whole registration), per-thread scratch is sized for it, and the
 * reference ignores it. Results do not depend on it.
 *
 * OMREG_KERNEL is undefined at the end of the list. The gzip writer's
 * deflate kernels are no slot: io/ owns them (io/deflate_chunk.h). */

/* interpolation (kernels_interpolate.h) */
OMREG_KERNEL(interpolate_scalar_2d_f64)
OMREG_KERNEL(interpolate_scalar_2d_f32)
OMREG_KERNEL(interpolate_scalar_3d_f64)
OMREG_KERNEL(interpolate_scalar_3d_f32)
OMREG_KERNEL(interpolate_vector_2d_f64)
OMREG_KERNEL(interpolate_vector_2d_f32)
OMREG_KERNEL(interpolate_vector_3d_f64)
OMREG_KERNEL(interpolate_vector_3d_f32)
OMREG_KERNEL(interpolate_scalar_nn_2d_f64)
OMREG_KERNEL(interpolate_scalar_nn_2d_f32)
OMREG_KERNEL(interpolate_scalar_nn_3d_f64)
OMREG_KERNEL(interpolate_scalar_nn_3d_f32)

/* gradients (kernels_gradient.h) */
OMREG_KERNEL(gradient_2d_f64)
OMREG_KERNEL(gradient_2d_f32)
OMREG_KERNEL(gradient_3d_f64)
OMREG_KERNEL(gradient_3d_f32)
OMREG_KERNEL(sparse_gradient_2d_f64)
OMREG_KERNEL(sparse_gradient_2d_f32)
OMREG_KERNEL(sparse_gradient_3d_f64)
OMREG_KERNEL(sparse_gradient_3d_f32)

/* affine resampling in grid coordinates (kernels_transform.h) */
OMREG_KERNEL(transform_affine_2d_f64)
OMREG_KERNEL(transform_affine_2d_f32)
OMREG_KERNEL(transform_affine_3d_f64)
OMREG_KERNEL(transform_affine_3d_f32)
OMREG_KERNEL(transform_affine_nn_2d_f64)
OMREG_KERNEL(transform_affine_nn_2d_f32)
OMREG_KERNEL(transform_affine_nn_3d_f64)
OMREG_KERNEL(transform_affine_nn_3d_f32)

/* canonical-order reductions (kernels_reduce.h) */
OMREG_KERNEL(image_moments_f64)
OMREG_KERNEL(image_moments_f32)

/* Parzen joint histogram and its parameter gradient (kernels_parzen.h) */
OMREG_KERNEL(parzen_joint)
OMREG_KERNEL(parzen_gradient_dense_2d)
OMREG_KERNEL(parzen_gradient_dense_3d)
OMREG_KERNEL(parzen_gradient_sparse)
OMREG_KERNEL(parzen_cubic_spline)

/* fast mode's stochastic Mattes MI (kernels_fast_mi.h) */
OMREG_KERNEL(fast_mi_samples_2d)
OMREG_KERNEL(fast_mi_samples_3d)
OMREG_KERNEL(fast_mi_joint)
OMREG_KERNEL(fast_mi_gradient)

/* warping, pyramid field resampling, test-input generators (kernels_warp.h,
 * kernels_resample_field.h, kernels_field_generators.h) */
OMREG_KERNEL(warp_linear_2d_f64)
OMREG_KERNEL(warp_linear_2d_f32)
OMREG_KERNEL(warp_linear_3d_f64)
OMREG_KERNEL(warp_linear_3d_f32)
OMREG_KERNEL(warp_nn_2d_f64)
OMREG_KERNEL(warp_nn_2d_f32)
OMREG_KERNEL(warp_nn_3d_f64)
OMREG_KERNEL(warp_nn_3d_f32)
OMREG_KERNEL(warp_coordinates_2d_f64)
OMREG_KERNEL(warp_coordinates_2d_f32)
OMREG_KERNEL(warp_coordinates_3d_f64)
OMREG_KERNEL(warp_coordinates_3d_f32)
OMREG_KERNEL(downsample_scalar_field_2d_f64)
OMREG_KERNEL(downsample_scalar_field_2d_f32)
OMREG_KERNEL(downsample_scalar_field_3d_f64)
OMREG_KERNEL(downsample_scalar_field_3d_f32)
OMREG_KERNEL(downsample_displacement_field_2d_f64)
OMREG_KERNEL(downsample_displacement_field_2d_f32)
OMREG_KERNEL(downsample_displacement_field_3d_f64)
OMREG_KERNEL(downsample_displacement_field_3d_f32)
OMREG_KERNEL(resample_displacement_field_2d_f64)
OMREG_KERNEL(resample_displacement_field_2d_f32)
OMREG_KERNEL(resample_displacement_field_3d_f64)
OMREG_KERNEL(resample_displacement_field_3d_f32)
OMREG_KERNEL(create_random_displacement_2d_f64)
OMREG_KERNEL(create_random_displacement_2d_f32)
OMREG_KERNEL(create_random_displacement_3d_f64)
OMREG_KERNEL(create_random_displacement_3d_f32)
OMREG_KERNEL(create_harmonic_fields_2d_f64)
OMREG_KERNEL(create_harmonic_fields_2d_f32)
OMREG_KERNEL(create_harmonic_fields_3d_f64)
OMREG_KERNEL(create_harmonic_fields_3d_f32)
OMREG_KERNEL(create_circle_f64)
OMREG_KERNEL(create_circle_f32)
OMREG_KERNEL(create_sphere_f64)
OMREG_KERNEL(create_sphere_f32)

/* per-voxel helpers of the drivers (kernels_pointwise.h) */
OMREG_KERNEL(masked_range_f64)
OMREG_KERNEL(normalize_f64)
OMREG_KERNEL(normalize_f32)
OMREG_KERNEL(normalize_f64_to_f32)
OMREG_KERNEL(convert_f32_to_f64)
OMREG_KERNEL(convert_f64_to_f32)
OMREG_KERNEL(add_f64)
OMREG_KERNEL(add_f32)
OMREG_KERNEL(mask_to_i32)
OMREG_KERNEL(apply_affine_points)
OMREG_KERNEL(sample_domain_regular)

/* Gaussian smoothing, one axis pass (kernels_smooth.h) */
OMREG_KERNEL(gaussian_filter1d_f64)
OMREG_KERNEL(gaussian_filter1d_f32)

/* centre of mass, canonical block order (kernels_center_of_mass.h) */
OMREG_KERNEL(center_of_mass_2d_f64)
OMREG_KERNEL(center_of_mass_3d_f64)

/* displacement fields: compose, invert, simplify, reorient
 * (kernels_vector_fields.h) */
OMREG_KERNEL(compose_vector_fields_2d_f64)
OMREG_KERNEL(compose_vector_fields_2d_f32)
OMREG_KERNEL(compose_vector_fields_3d_f64)
OMREG_KERNEL(compose_vector_fields_3d_f32)
OMREG_KERNEL(invert_vector_field_residual_2d_f64)
OMREG_KERNEL(invert_vector_field_residual_2d_f32)
OMREG_KERNEL(invert_vector_field_residual_3d_f64)
OMREG_KERNEL(invert_vector_field_residual_3d_f32)
OMREG_KERNEL(invert_vector_field_step_2d_f64)
OMREG_KERNEL(invert_vector_field_step_2d_f32)
OMREG_KERNEL(invert_vector_field_step_3d_f64)
OMREG_KERNEL(invert_vector_field_step_3d_f32)
OMREG_KERNEL(simplify_warp_function_2d_f64)
OMREG_KERNEL(simplify_warp_function_2d_f32)
OMREG_KERNEL(simplify_warp_function_3d_f64)
OMREG_KERNEL(simplify_warp_function_3d_f32)
OMREG_KERNEL(reorient_vector_field_2d_f64)
OMREG_KERNEL(reorient_vector_field_2d_f32)
OMREG_KERNEL(reorient_vector_field_3d_f64)
OMREG_KERNEL(reorient_vector_field_3d_f32)

/* SSD metric and its multigrid Gauss-Newton solver (kernels_sumsqdiff.h) */
OMREG_KERNEL(compute_energy_ssd_2d_f64)
OMREG_KERNEL(compute_energy_ssd_2d_f32)
OMREG_KERNEL(compute_energy_ssd_3d_f64)
OMREG_KERNEL(compute_energy_ssd_3d_f32)
OMREG_KERNEL(compute_ssd_demons_step_2d_f64)
OMREG_KERNEL(compute_ssd_demons_step_2d_f32)
OMREG_KERNEL(compute_ssd_demons_step_3d_f64)
OMREG_KERNEL(compute_ssd_demons_step_3d_f32)
OMREG_KERNEL(iterate_residual_displacement_field_ssd_2d_f64)
OMREG_KERNEL(iterate_residual_displacement_field_ssd_2d_f32)
OMREG_KERNEL(iterate_residual_displacement_field_ssd_3d_f64)
OMREG_KERNEL(iterate_residual_displacement_field_ssd_3d_f32)
OMREG_KERNEL(iterate_residual_displacement_field_ssd_lex_2d_f64)
OMREG_KERNEL(iterate_residual_displacement_field_ssd_lex_2d_f32)
OMREG_KERNEL(iterate_residual_displacement_field_ssd_lex_3d_f64)
OMREG_KERNEL(iterate_residual_displacement_field_ssd_lex_3d_f32)
OMREG_KERNEL(compute_residual_displacement_field_ssd_2d_f64)
OMREG_KERNEL(compute_residual_displacement_field_ssd_2d_f32)
OMREG_KERNEL(compute_residual_displacement_field_ssd_3d_f64)
OMREG_KERNEL(compute_residual_displacement_field_ssd_3d_f32)

/* EM metric: quantization, class statistics, demons step
 * (kernels_expectmax.h) */
OMREG_KERNEL(quantize_positive_2d_f64)
OMREG_KERNEL(quantize_positive_2d_f32)
OMREG_KERNEL(quantize_positive_3d_f64)
OMREG_KERNEL(quantize_positive_3d_f32)
OMREG_KERNEL(compute_masked_class_stats_2d_f64)
OMREG_KERNEL(compute_masked_class_stats_2d_f32)
OMREG_KERNEL(compute_masked_class_stats_3d_f64)
OMREG_KERNEL(compute_masked_class_stats_3d_f32)
OMREG_KERNEL(compute_em_demons_step_2d_f64)
OMREG_KERNEL(compute_em_demons_step_2d_f32)
OMREG_KERNEL(compute_em_demons_step_3d_f64)
OMREG_KERNEL(compute_em_demons_step_3d_f32)

/* CC metric: window factors (sliding and brute force), steps with
 * energy (kernels_crosscorr.h) */
OMREG_KERNEL(precompute_cc_factors_2d_f64)
OMREG_KERNEL(precompute_cc_factors_2d_f32)
OMREG_KERNEL(precompute_cc_factors_3d_f64)
OMREG_KERNEL(precompute_cc_factors_3d_f32)
OMREG_KERNEL(precompute_cc_factors_brute_2d_f64)
OMREG_KERNEL(precompute_cc_factors_brute_2d_f32)
OMREG_KERNEL(precompute_cc_factors_brute_3d_f64)
OMREG_KERNEL(precompute_cc_factors_brute_3d_f32)
OMREG_KERNEL(compute_cc_forward_step_2d_f64)
OMREG_KERNEL(compute_cc_forward_step_2d_f32)
OMREG_KERNEL(compute_cc_forward_step_3d_f64)
OMREG_KERNEL(compute_cc_forward_step_3d_f32)
OMREG_KERNEL(compute_cc_backward_step_2d_f64)
OMREG_KERNEL(compute_cc_backward_step_2d_f32)
OMREG_KERNEL(compute_cc_backward_step_3d_f64)
OMREG_KERNEL(compute_cc_backward_step_3d_f32)

/* CC factors by separable box sums, fast mode (kernels_cc_box.h) */
OMREG_KERNEL(cc_box_factors_2d_f64)
OMREG_KERNEL(cc_box_factors_2d_f32)
OMREG_KERNEL(cc_box_factors_3d_f64)
OMREG_KERNEL(cc_box_factors_3d_f32)

/* SyN driver: numpy.gradient and the driver's per-voxel helpers
 * (kernels_numpy_gradient.h, kernels_syn_pointwise.h) */
OMREG_KERNEL(numpy_gradient_2d_f64)
OMREG_KERNEL(numpy_gradient_2d_f32)
OMREG_KERNEL(numpy_gradient_3d_f64)
OMREG_KERNEL(numpy_gradient_3d_f32)
OMREG_KERNEL(syn_range_f32)
OMREG_KERNEL(syn_subtract_f32)
OMREG_KERNEL(syn_gather_f32)
OMREG_KERNEL(syn_positive_mask_f32)
OMREG_KERNEL(syn_multiply_i32)
OMREG_KERNEL(syn_divide_spacing_f32)
OMREG_KERNEL(syn_zero_boundary_f32)
OMREG_KERNEL(syn_max_norm_f32)
OMREG_KERNEL(syn_scale_f32)

#undef OMREG_KERNEL
