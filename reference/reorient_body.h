/* Type-generic body of reorient.c (FLT, SFX defined by the includer). */

void SFX(omreg_ref_reorient_vector_field_2d)(FLT *d, const size_t shape[2],
                                             const double *affine)
{
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j)
            SFX(reorient_point_2d)(affine, &d[2 * (i * shape[1] + j)]);
}

void SFX(omreg_ref_reorient_vector_field_3d)(FLT *d, const size_t shape[3],
                                             const double *affine)
{
    for (size_t k = 0; k < shape[0]; ++k)
        for (size_t i = 0; i < shape[1]; ++i)
            for (size_t j = 0; j < shape[2]; ++j)
                SFX(reorient_point_3d)(affine, &d[3 * ((k * shape[1] + i) * shape[2] + j)]);
}
