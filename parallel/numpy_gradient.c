/* Type-generic body of numpy_gradient.c (FLT, SFX defined by the includer). */

void SFX(omreg_par_numpy_gradient_2d)(const FLT *img, const size_t shape[2], FLT *out)
{
    const size_t nr = shape[0], nc = shape[1];
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < nr; ++i)
        for (size_t j = 0; j < nc; ++j) {
            const size_t v = i * nc + j;
            out[2 * v] = SFX(numpy_diff)(img + v, i, nr, nc);
            out[2 * v + 1] = SFX(numpy_diff)(img + v, j, nc, 1);
        }
}

void SFX(omreg_par_numpy_gradient_3d)(const FLT *img, const size_t shape[3], FLT *out)
{
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
#pragma omp parallel for schedule(runtime)
    for (size_t row = 0; row < ns * nr; ++row) {
        const size_t k = row / nr, i = row % nr;
        for (size_t j = 0; j < nc; ++j) {
            const size_t v = row * nc + j;
            out[3 * v] = SFX(numpy_diff)(img + v, k, ns, nr * nc);
            out[3 * v + 1] = SFX(numpy_diff)(img + v, i, nr, nc);
            out[3 * v + 2] = SFX(numpy_diff)(img + v, j, nc, 1);
        }
    }
}
