/* Reference deflate kernel (base/deflate_chunk.h): the chunks one after the
 * other. */
#include "deflate_chunk.h"

void omreg_ref_deflate_chunks(int nthreads, const unsigned char *raw, size_t fill, size_t chunk,
                              size_t n, int level, int final, unsigned char *out, size_t bound,
                              size_t *out_len, unsigned long *crc, int *rc)
{
    (void)nthreads;
    for (size_t k = 0; k < n; ++k)
        omreg_deflate_chunk(raw, fill, chunk, n, level, final, out, bound, out_len, crc, rc, k);
}
