/* Type-generic body of smooth.c (FLT, SFX defined by the includer). */

void SFX(omreg_ref_gaussian_filter1d)(const FLT *in, FLT *out, int ndim, const size_t *shape,
                                      size_t ncomp, int axis, const double *weights,
                                      size_t radius, omreg_smooth_mode mode, double cval,
                                      double *scratch, int nbuffers)
{
    (void)nbuffers; /* one buffer: scratch[0 .. len + 2*radius) */
    const size_t len = shape[axis];
    /* lines = (position before the axis, position after it incl. component) */
    size_t outer = 1, inner = ncomp;
    for (int a = 0; a < axis; ++a)
        outer *= shape[a];
    for (int a = axis + 1; a < ndim; ++a)
        inner *= shape[a];
    const size_t step = inner; /* distance between neighbours on a line */
    double *x = scratch + radius;

    for (size_t o = 0; o < outer; ++o)
        for (size_t i = 0; i < inner; ++i) {
            const size_t base = o * len * inner + i;
            for (size_t j = 0; j < len; ++j)
                x[j] = (double)in[base + j * step];
            smooth_extend_line(x, len, radius, mode, cval);
            for (size_t j = 0; j < len; ++j)
                out[base + j * step] = (FLT)smooth_correlate_point(&x[j], weights, radius);
        }
}
