/* io's OpenMP transposition kernel (io/nifti_slab.h): the tiles of a slab
 * write disjoint parts of it, so they are shared out; the bytes are a copy
 * and do not depend on the team. */
#include "nifti_slab.h"

void omreg_par_nii_slab(int nthreads, const omreg_nii_slab *g, const unsigned char *src,
                        size_t off, size_t layers, unsigned char *out)
{
    size_t ntiles = omreg_nii_slab_tiles(g);
#ifdef OMREG_CANARY_NII_SLAB_DROP_LAST_TILE
    if (ntiles > 1)
        --ntiles; /* planted (ci/canaries.tsv): the slab's last tile is never written */
#endif
#pragma omp parallel for num_threads(nthreads) schedule(runtime)
    for (size_t t = 0; t < ntiles; ++t)
        omreg_nii_slab_tile(g, src, off, layers, out, t);
}
