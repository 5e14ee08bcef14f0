/* Type-generic body of warp_coordinates.c (FLT, SFX defined by the includer). */

OMREG_NO_SLP_VECTORIZE
void SFX(omreg_par_warp_coordinates_2d)(const FLT *field, const size_t field_shape[2],
                                        const double *in2world, const double *in2grid,
                                        const double *world2out, const double *points,
                                        size_t n, double *out)
{
#pragma omp parallel for schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        SFX(warp_coordinate_2d)(field, (ptrdiff_t)field_shape[0], (ptrdiff_t)field_shape[1],
                                in2world, in2grid, world2out, &points[2 * p], &out[2 * p]);
}

OMREG_NO_SLP_VECTORIZE
void SFX(omreg_par_warp_coordinates_3d)(const FLT *field, const size_t field_shape[3],
                                        const double *in2world, const double *in2grid,
                                        const double *world2out, const double *points,
                                        size_t n, double *out)
{
#pragma omp parallel for schedule(runtime)
    for (size_t p = 0; p < n; ++p)
        SFX(warp_coordinate_3d)(field, (ptrdiff_t)field_shape[0], (ptrdiff_t)field_shape[1],
                                (ptrdiff_t)field_shape[2], in2world, in2grid, world2out,
                                &points[3 * p], &out[3 * p]);
}
