/* Type-generic body of gradient.c (FLT, SFX defined by the includer). */

void SFX(omreg_par_gradient_2d)(const FLT *img, const size_t img_shape[2],
                                const double *img_world2grid, const double img_spacing[2],
                                const size_t out_shape[2], const double *out_grid2world,
                                FLT *out, int *inside)
{
    const size_t nrows = out_shape[0], ncols = out_shape[1];
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < nrows; ++i)
        for (size_t j = 0; j < ncols; ++j) {
            size_t v = i * ncols + j;
            double x[2] = {affine_apply_2d(out_grid2world, 0, (double)i, (double)j, 1),
                           affine_apply_2d(out_grid2world, 1, (double)i, (double)j, 1)};
            inside[v] = SFX(gradient_point_2d)(img, (ptrdiff_t)img_shape[0],
                                               (ptrdiff_t)img_shape[1], img_world2grid,
                                               img_spacing, x, &out[2 * v]);
        }
}

void SFX(omreg_par_gradient_3d)(const FLT *img, const size_t img_shape[3],
                                const double *img_world2grid, const double img_spacing[3],
                                const size_t out_shape[3], const double *out_grid2world,
                                FLT *out, int *inside)
{
    const size_t nslices = out_shape[0], nrows = out_shape[1], ncols = out_shape[2];
    /* one task per (slice, row): enough parallelism for thin volumes */
#pragma omp parallel for schedule(runtime)
    for (size_t row = 0; row < nslices * nrows; ++row) {
        size_t k = row / nrows, i = row % nrows;
        for (size_t j = 0; j < ncols; ++j) {
            size_t v = row * ncols + j;
            double x[3];
            for (int r = 0; r < 3; ++r)
                x[r] = affine_apply_3d(out_grid2world, r, (double)k, (double)i, (double)j, 1);
            inside[v] = SFX(gradient_point_3d)(img, (ptrdiff_t)img_shape[0],
                                               (ptrdiff_t)img_shape[1], (ptrdiff_t)img_shape[2],
                                               img_world2grid, img_spacing, x, &out[3 * v]);
        }
    }
}

void SFX(omreg_par_sparse_gradient_2d)(const FLT *img, const size_t img_shape[2],
                                       const double *img_world2grid,
                                       const double img_spacing[2], const double *points,
                                       size_t n, FLT *out, int *inside)
{
#pragma omp parallel for schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(gradient_point_2d)(img, (ptrdiff_t)img_shape[0],
                                           (ptrdiff_t)img_shape[1], img_world2grid, img_spacing,
                                           &points[2 * p], &out[2 * p]);
}

void SFX(omreg_par_sparse_gradient_3d)(const FLT *img, const size_t img_shape[3],
                                       const double *img_world2grid,
                                       const double img_spacing[3], const double *points,
                                       size_t n, FLT *out, int *inside)
{
#pragma omp parallel for schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        inside[p] = SFX(gradient_point_3d)(img, (ptrdiff_t)img_shape[0],
                                           (ptrdiff_t)img_shape[1], (ptrdiff_t)img_shape[2],
                                           img_world2grid, img_spacing, &points[3 * p],
                                           &out[3 * p]);
}
