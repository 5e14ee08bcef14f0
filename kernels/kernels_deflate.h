/* Deflate kernel of the chunked gzip writer (io/gzip_writer.h): n
 * independent chunks of one round, each deflated on its own. */
#ifndef OMREG_CORE_KERNELS_DEFLATE_H
#define OMREG_CORE_KERNELS_DEFLATE_H

#include <stddef.h>

/* Chunk k (k < n) is raw[k * chunk, min((k + 1) * chunk, fill)) (empty past
 * fill). It is raw-deflated at zlib level `level` into out + k * bound,
 * ended by a sync flush, or by the final block when final and k == n - 1;
 * out_len[k] receives its size, crc[k] the CRC-32 of its input and rc[k]
 * zlib's status (Z_OK on success). */
typedef void omreg_deflate_chunks_fn(const unsigned char *raw, size_t fill, size_t chunk,
                                     size_t n, int level, int final, unsigned char *out,
                                     size_t bound, size_t *out_len, unsigned long *crc,
                                     int *rc);

omreg_deflate_chunks_fn omreg_ref_deflate_chunks;
omreg_deflate_chunks_fn omreg_par_deflate_chunks;

#endif
