/* Reference image gradient in physical units (DIPY vector_fields.pyx
 * _gradient_{2,3}d, _sparse_gradient_{2,3}d): for each sample point x and
 * axis p, g_p = (I(x + h_p e_p) - I(x - h_p e_p)) / spacing_p with
 * h_p = spacing_p / 2, both lookups through img_world2grid. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "gradient_point.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "gradient.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "gradient.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_ref_gradient_2d)(int nthreads, const FLT *img, const size_t img_shape[2],
                                const double *img_world2grid, const double img_spacing[2],
                                const size_t out_shape[2], const double *out_grid2world, FLT *out,
                                int *inside)
{
    (void)nthreads;
    for (size_t i = 0; i < out_shape[0]; ++i)
        for (size_t j = 0; j < out_shape[1]; ++j) {
            size_t v = i * out_shape[1] + j;
            /* x = out_grid2world * (i, j, 1) */
            double x[2] = {affine_apply_2d(out_grid2world, 0, (double)i, (double)j, 1),
                           affine_apply_2d(out_grid2world, 1, (double)i, (double)j, 1)};
            inside[v] = SFX(gradient_point_2d)(img, (ptrdiff_t)img_shape[0],
                                               (ptrdiff_t)img_shape[1], img_world2grid,
                                               img_spacing, x, &out[2 * v]);
        }
}

void SFX(omreg_ref_gradient_3d)(int nthreads, const FLT *img, const size_t img_shape[3],
                                const double *img_world2grid, const double img_spacing[3],
                                const size_t out_shape[3], const double *out_grid2world, FLT *out,
                                int *inside)
{
    (void)nthreads;
    for (size_t k = 0; k < out_shape[0]; ++k)
        for (size_t i = 0; i < out_shape[1]; ++i)
            for (size_t j = 0; j < out_shape[2]; ++j) {
                size_t v = (k * out_shape[1] + i) * out_shape[2] + j;
                double x[3];
                for (int r = 0; r < 3; ++r)
                    x[r] = affine_apply_3d(out_grid2world, r, (double)k, (double)i, (double)j, 1);
                inside[v] = SFX(gradient_point_3d)(
                    img, (ptrdiff_t)img_shape[0], (ptrdiff_t)img_shape[1],
                    (ptrdiff_t)img_shape[2], img_world2grid, img_spacing, x, &out[3 * v]);
            }
}

void SFX(omreg_ref_sparse_gradient_2d)(int nthreads, const FLT *img, const size_t img_shape[2],
                                       const double *img_world2grid, const double img_spacing[2],
                                       const double *points, size_t n, FLT *out, int *inside)
{
    (void)nthreads;
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(gradient_point_2d)(img, (ptrdiff_t)img_shape[0],
                                           (ptrdiff_t)img_shape[1], img_world2grid, img_spacing,
                                           &points[2 * p], &out[2 * p]);
}

void SFX(omreg_ref_sparse_gradient_3d)(int nthreads, const FLT *img, const size_t img_shape[3],
                                       const double *img_world2grid, const double img_spacing[3],
                                       const double *points, size_t n, FLT *out, int *inside)
{
    (void)nthreads;
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(gradient_point_3d)(img, (ptrdiff_t)img_shape[0],
                                           (ptrdiff_t)img_shape[1], (ptrdiff_t)img_shape[2],
                                           img_world2grid, img_spacing, &points[3 * p],
                                           &out[3 * p]);
}

#endif /* FLT */
