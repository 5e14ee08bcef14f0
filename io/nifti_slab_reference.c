/* io's serial transposition kernel (io/nifti_slab.h): the tiles in order. */
#include "nifti_slab.h"

void omreg_ref_nii_slab(int nthreads, const omreg_nii_slab *g, const unsigned char *src,
                        size_t off, size_t layers, unsigned char *out)
{
    (void)nthreads;
    const size_t ntiles = omreg_nii_slab_tiles(g);
    for (size_t t = 0; t < ntiles; ++t)
        omreg_nii_slab_tile(g, src, off, layers, out, t);
}
