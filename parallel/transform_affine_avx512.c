/* The avx512 variants of omreg_par_transform_affine_3d_{f64,f32}: the
 * template parallel/transform_affine_simd.h on simd_avx512.h's lanes. */
#include "simd_avx512.h"
#include "transform_affine_simd.h"

void V_NAME(omreg_par_transform_affine_3d_f64)(const double *img, const size_t img_shape[3],
                                               const size_t out_shape[3], const double *affine,
                                               double *out)
{
    transform_affine_3d_simd_f64(img, img_shape, out_shape, affine, out);
}

void V_NAME(omreg_par_transform_affine_3d_f32)(const float *img, const size_t img_shape[3],
                                               const size_t out_shape[3], const double *affine,
                                               float *out)
{
    transform_affine_3d_simd_f32(img, img_shape, out_shape, affine, out);
}
