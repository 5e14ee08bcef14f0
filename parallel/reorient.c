/* Type-generic body of reorient.c (FLT, SFX defined by the includer). */

void SFX(omreg_par_reorient_vector_field_2d)(FLT *d, const size_t shape[2],
                                             const double *affine)
{
    const size_t nrows = shape[0], ncols = shape[1];
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < nrows; ++i)
        for (size_t j = 0; j < ncols; ++j)
            SFX(reorient_point_2d)(affine, &d[2 * (i * ncols + j)]);
}

void SFX(omreg_par_reorient_vector_field_3d)(FLT *d, const size_t shape[3],
                                             const double *affine)
{
    const size_t nrows = shape[0] * shape[1], ncols = shape[2];
#pragma omp parallel for schedule(runtime)
    for (size_t row = 0; row < nrows; ++row)
        for (size_t j = 0; j < ncols; ++j)
            SFX(reorient_point_3d)(affine, &d[3 * (row * ncols + j)]);
}
