/* The chunked raw deflate of the gzip writer (io/gzip_writer.h): n
 * independent chunks of one round, each deflated on its own. A compression
 * primitive, not numerics: it lives in base/ because io/ (the serial path),
 * the deflate kernels (reference/deflate.c, parallel/deflate.c) and the
 * backend table's deflate_chunks slot all use it, and base/ is the one room
 * all three may include. */
#ifndef OMREG_BASE_DEFLATE_CHUNK_H
#define OMREG_BASE_DEFLATE_CHUNK_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

/* Chunk k (k < n) is raw[k * chunk, min((k + 1) * chunk, fill)) (empty past
 * fill). It is raw-deflated at zlib level `level` into out + k * bound,
 * ended by a sync flush, or by the final block when final and k == n - 1;
 * out_len[k] receives its size, crc[k] the CRC-32 of its input and rc[k]
 * zlib's status (Z_OK on success). nthreads (>= 1): the team size of the
 * parallel kernel; the reference ignores it. */
typedef void omreg_deflate_chunks_fn(int nthreads, const unsigned char *raw, size_t fill,
                                     size_t chunk, size_t n, int level, int final,
                                     unsigned char *out, size_t bound, size_t *out_len,
                                     unsigned long *crc, int *rc);

/* A deflate kernel and the team size it runs with, as io/'s writers take
 * it (fn NULL: chunk by chunk on the calling thread, nthreads unused). */
typedef struct omreg_deflater {
    omreg_deflate_chunks_fn *fn;
    int nthreads;
} omreg_deflater;

/* The backends' deflate kernels (slot deflate_chunks): the chunks one after
 * the other, or shared out on the OpenMP team; the same bytes. */
omreg_deflate_chunks_fn omreg_ref_deflate_chunks;
omreg_deflate_chunks_fn omreg_par_deflate_chunks;

/* Input bytes of chunk k: [k chunk, min((k + 1) chunk, fill)), empty past fill. */
static inline size_t omreg_deflate_chunk_len(size_t fill, size_t chunk, size_t k)
{
    const size_t start = k * chunk;
    return start >= fill ? 0 : fill - start < chunk ? fill - start : chunk;
}

/* Chunk k of omreg_deflate_chunks_fn's contract. */
static inline void omreg_deflate_chunk(const unsigned char *raw, size_t fill, size_t chunk,
                                       size_t n, int level, int final, unsigned char *out,
                                       size_t bound, size_t *out_len, unsigned long *crc,
                                       int *rc, size_t k)
{
    const size_t start = k * chunk, len = omreg_deflate_chunk_len(fill, chunk, k);
    const int last = final && k == n - 1;
    z_stream z;
    memset(&z, 0, sizeof z);
    out_len[k] = 0;
    crc[k] = crc32(0L, raw + start, (uInt)len);
    rc[k] = deflateInit2(&z, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY);
    if (rc[k] != Z_OK)
        return;
    z.next_in = (Bytef *)(uintptr_t)(raw + start);
    z.avail_in = (uInt)len;
    z.next_out = out + k * bound;
    z.avail_out = (uInt)bound;
    int st = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
    /* done: the final block written, or all input flushed with room left */
    int ok = last ? st == Z_STREAM_END : st == Z_OK && z.avail_in == 0 && z.avail_out > 0;
    rc[k] = ok ? Z_OK : st == Z_OK || st == Z_STREAM_END ? Z_BUF_ERROR : st;
    out_len[k] = bound - z.avail_out;
    deflateEnd(&z);
}

#endif
