/* The ISA variant list: one line per (slot, ISA) that has a SIMD definition
 * besides the parallel one. OMREG_ISA_VARIANT(k, isa) declares
 * omreg_par_k_isa (kernels/kernels.h), defined by the family's template
 * parallel/<family>_simd.h on the ISA's vector layer in parallel/simd_<isa>.c
 * (one translation unit per ISA, compiled for it by CMakeLists.txt from the
 * file name's suffix), and
 * puts it in slot k of the parallel table of that ISA and of every ISA above
 * it (backend/backend_parallel.c: avx512's table starts from avx2's, as
 * libjpeg-turbo and BLIS fill the best a CPU has). Every variant gives the
 * parallel kernel's bits, which are the reference's (DESIGN.md, contract 5:
 * elementwise lanes, no FMA, the reference's order of additions);
 * `OMREG_ISA=avx2 ctest -L equality` compares it with the reference.
 * ISAs: baseline (x86-64 SSE2, the plain C), avx2, avx512 (F, VL, DQ, BW).
 * The user defines OMREG_ISA_VARIANT before including this file (no include
 * guard); it is undefined at the end. */

/* trilinear affine resampling (parallel/transform_affine_simd.h) */
OMREG_ISA_VARIANT(transform_affine_3d_f64, avx2)
OMREG_ISA_VARIANT(transform_affine_3d_f64, avx512)
OMREG_ISA_VARIANT(transform_affine_3d_f32, avx2)
OMREG_ISA_VARIANT(transform_affine_3d_f32, avx512)

/* the physical-space gradient, dense and at points (parallel/gradient_simd.h) */
OMREG_ISA_VARIANT(gradient_3d_f64, avx2)
OMREG_ISA_VARIANT(gradient_3d_f64, avx512)
OMREG_ISA_VARIANT(gradient_3d_f32, avx2)
OMREG_ISA_VARIANT(gradient_3d_f32, avx512)
OMREG_ISA_VARIANT(sparse_gradient_3d_f64, avx2)
OMREG_ISA_VARIANT(sparse_gradient_3d_f64, avx512)
OMREG_ISA_VARIANT(sparse_gradient_3d_f32, avx2)
OMREG_ISA_VARIANT(sparse_gradient_3d_f32, avx512)

/* warping an image through a displacement field (parallel/warp_simd.h);
 * no avx2 f64 variant: it measured slower than the plain C */
OMREG_ISA_VARIANT(warp_linear_3d_f64, avx512)
OMREG_ISA_VARIANT(warp_linear_3d_f32, avx2)
OMREG_ISA_VARIANT(warp_linear_3d_f32, avx512)

/* vector field composition and the inversion's residual pass, float32 only
 * (parallel/compose_simd.h) */
OMREG_ISA_VARIANT(compose_vector_fields_3d_f32, avx2)
OMREG_ISA_VARIANT(compose_vector_fields_3d_f32, avx512)
OMREG_ISA_VARIANT(invert_vector_field_residual_3d_f32, avx2)
OMREG_ISA_VARIANT(invert_vector_field_residual_3d_f32, avx512)

#undef OMREG_ISA_VARIANT
