/* Type-generic body of image_moments.c (FLT, SFX defined by the includer). */

void SFX(omreg_ref_image_moments)(const FLT *img, size_t n, double *scratch, double out[2])
{
    (void)scratch; /* the serial order needs no block storage */
    double total = 0.0, total_sq = 0.0;
    for (size_t b = 0; b < omreg_reduce_blocks(n); ++b) {
        size_t start = b * OMREG_REDUCE_BLOCK;
        size_t end = start + OMREG_REDUCE_BLOCK < n ? start + OMREG_REDUCE_BLOCK : n;
        double s = 0.0, sq = 0.0;
        for (size_t v = start; v < end; ++v) {
            double x = img[v];
            s += x;
            sq += x * x;
        }
        total += s;
        total_sq += sq;
    }
    out[0] = total;
    out[1] = total_sq;
}
