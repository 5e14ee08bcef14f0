/* Chunked gzip writer (gzip_writer.h); the deflating is a backend kernel
 * (base/deflate_chunk.h), the rest is serial. Format: RFC 1952 member header,
 * the chunks' raw deflate streams back to back (each non-final one ends
 * with a sync flush, an empty stored block, so the next starts on a byte
 * boundary), CRC-32 and length mod 2^32 of the whole input. */
#include "gzip_writer.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "alloc.h"
#include "deflate_chunk.h"
#include "error.h"

struct omreg_gz_writer {
    int fd, level;
    const char *path;
    size_t chunk, round; /* bytes per chunk, chunks per round */
    unsigned char *raw;  /* the round's input, round * chunk bytes */
    size_t fill;
    unsigned char *out; /* one deflate output slot of `bound` bytes per chunk */
    size_t bound;
    uLong crc;
    uint64_t total;
    omreg_deflater deflate; /* fn NULL: chunk by chunk, here */
    size_t out_len[OMREG_GZ_ROUND];
    unsigned long chunk_crc[OMREG_GZ_ROUND];
    int chunk_rc[OMREG_GZ_ROUND];
};

omreg_status omreg_fd_write_all(int fd, const char *path, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    while (n > 0) {
        ssize_t k = write(fd, p, n < (size_t)1 << 30 ? n : (size_t)1 << 30);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return omreg_fail(OMREG_EIO, "%s: write failed: %s", path, strerror(errno));
        }
        p += k;
        n -= (size_t)k;
    }
    return OMREG_OK;
}

static void writer_free(omreg_gz_writer *w)
{
    free(w->raw);
    free(w->out);
    free(w);
}

/* Deflates the buffered chunks (the last one closes the stream when final)
 * and appends them in order. */
static omreg_status flush_round(omreg_gz_writer *w, int final)
{
    const size_t chunk = w->chunk;
    size_t n = (w->fill + chunk - 1) / chunk;
    if (n == 0 && final)
        n = 1; /* an empty stream still needs its final block */
    if (w->deflate.fn)
        w->deflate.fn(w->deflate.nthreads, w->raw, w->fill, chunk, n, w->level, final, w->out,
                      w->bound, w->out_len, w->chunk_crc, w->chunk_rc);
    else
        for (size_t k = 0; k < n; ++k)
            omreg_deflate_chunk(w->raw, w->fill, chunk, n, w->level, final, w->out, w->bound,
                                w->out_len, w->chunk_crc, w->chunk_rc, k);
    for (size_t k = 0; k < n; ++k) {
        OMREG_RETURN_IF(w->chunk_rc[k] != Z_OK,
                        w->chunk_rc[k] == Z_MEM_ERROR ? OMREG_ENOMEM : OMREG_EIO,
                        "%s: gzip compression failed (zlib status %d)", w->path,
                        w->chunk_rc[k]);
        const size_t len = omreg_deflate_chunk_len(w->fill, chunk, k);
        OMREG_FORWARD(omreg_fd_write_all(w->fd, w->path, w->out + k * w->bound, w->out_len[k]));
        w->crc = crc32_combine(w->crc, w->chunk_crc[k], (z_off_t)len);
        w->total += len;
    }
    w->fill = 0;
    return OMREG_OK;
}

omreg_status omreg_gz_writer_open(omreg_gz_writer **out, int fd, const char *path, int level,
                                  omreg_deflater deflate)
{
    return omreg_gz_writer_open_sized(out, fd, path, level, deflate, OMREG_GZ_CHUNK,
                                      OMREG_GZ_ROUND);
}

omreg_status omreg_gz_writer_open_sized(omreg_gz_writer **out, int fd, const char *path, int level,
                                        omreg_deflater deflate, size_t chunk, size_t round)
{
    OMREG_RETURN_IF(chunk == 0 || chunk > OMREG_GZ_CHUNK || round == 0 ||
                        round > OMREG_GZ_ROUND,
                    OMREG_EINVAL, "gzip writer: chunk %zu or round %zu out of range", chunk,
                    round);
    omreg_gz_writer *w = NULL;
    w = omreg_calloc(1, sizeof *w, "gzip writer");
    if (w == NULL)
        return omreg_calloc_failure();
    w->fd = fd;
    w->path = path;
    w->level = level;
    w->deflate = deflate;
    w->chunk = chunk;
    w->round = round;
    w->crc = crc32(0L, Z_NULL, 0);
    w->bound = compressBound((uLong)chunk) + 64; /* + the sync flush's empty block */
    w->raw = omreg_calloc(round, chunk, "gzip input buffer");
    if (w->raw != NULL)
        w->out = omreg_calloc(round, w->bound, "gzip output buffer");
    omreg_status st = w->out != NULL ? OMREG_OK : omreg_calloc_failure();
    /* magic, deflate, no flags, mtime 0, XFL 4 (fastest) or 0, OS 3 (Unix) */
    const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, level == 1 ? 4 : 0, 3};
    if (st == OMREG_OK)
        st = omreg_fd_write_all(fd, path, header, sizeof header);
    if (st != OMREG_OK) {
        writer_free(w);
        return st;
    }
    *out = w;
    return OMREG_OK;
}

omreg_status omreg_gz_writer_write(omreg_gz_writer *w, const void *buf, size_t n)
{
    const unsigned char *p = buf;
    const size_t cap = w->round * w->chunk;
    while (n > 0) {
        if (w->fill == cap)
            OMREG_FORWARD(flush_round(w, 0));
        size_t k = cap - w->fill < n ? cap - w->fill : n;
        memcpy(w->raw + w->fill, p, k);
        w->fill += k;
        p += k;
        n -= k;
    }
    return OMREG_OK;
}

omreg_status omreg_gz_writer_close(omreg_gz_writer *w)
{
    omreg_status st = flush_round(w, 1);
    if (st == OMREG_OK) {
        unsigned char trailer[8];
        for (int b = 0; b < 4; ++b) {
            trailer[b] = (unsigned char)(w->crc >> (8 * b));
            trailer[4 + b] = (unsigned char)(w->total >> (8 * b)); /* ISIZE: mod 2^32 */
        }
        st = omreg_fd_write_all(w->fd, w->path, trailer, sizeof trailer);
    }
    int rc = close(w->fd);
    if (st == OMREG_OK && rc != 0)
        st = omreg_fail(OMREG_EIO, "%s: write failed on close: %s", w->path, strerror(errno));
    writer_free(w);
    return st;
}

void omreg_gz_writer_abort(omreg_gz_writer *w)
{
    if (w == NULL)
        return;
    close(w->fd);
    writer_free(w);
}
