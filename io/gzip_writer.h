/* A gzip writer whose deflate work runs on the OpenMP team.
 *
 * The byte stream is cut into fixed chunks of OMREG_GZ_CHUNK bytes; each
 * chunk is deflated on its own (raw deflate, ended by a sync flush, the
 * last one by the final block), the chunks are written in order inside
 * one gzip member, and the CRC-32 is combined from the chunks' CRCs in
 * order (pigz's layout, without the dictionary priming). The chunking does
 * not depend on the thread count, so the file is byte-identical for any
 * team size or schedule; any gzip reader (zlib, Python's gzip, nibabel)
 * reads it as one member. */
#ifndef OMREG_CORE_GZIP_WRITER_H
#define OMREG_CORE_GZIP_WRITER_H

#include <stddef.h>

#include "deflate_chunk.h"
#include "omreg/status.h"

/* bytes per chunk; chunks deflated together per round (16 MiB of input) */
enum { OMREG_GZ_CHUNK = 1 << 20, OMREG_GZ_ROUND = 16 };

typedef struct omreg_gz_writer omreg_gz_writer;

/* Starts a gzip stream on fd (not closed on failure here). path: for
 * messages. level: zlib's 1..9. deflate: a backend's deflate_chunks and
 * its thread count, or fn NULL to deflate chunk by chunk on the calling
 * thread (same bytes). */
omreg_status omreg_gz_writer_open(omreg_gz_writer **out, int fd, const char *path, int level,
                                  omreg_deflater deflate);

/* The same with smaller chunks or rounds (tests: many rounds from little
 * data). chunk 1..OMREG_GZ_CHUNK, round 1..OMREG_GZ_ROUND. */
omreg_status omreg_gz_writer_open_sized(omreg_gz_writer **out, int fd, const char *path, int level,
                                        omreg_deflater deflate, size_t chunk, size_t round);

/* Appends n bytes to the stream (deflated a round of chunks at a time). */
omreg_status omreg_gz_writer_write(omreg_gz_writer *w, const void *buf, size_t n);

/* Deflates what is left, writes the trailer, closes fd and frees w. */
omreg_status omreg_gz_writer_close(omreg_gz_writer *w);

/* All n bytes to fd (retried after EINTR and short writes). */
omreg_status omreg_fd_write_all(int fd, const char *path, const void *buf, size_t n);

/* Frees w and closes fd without finishing the stream (after a failure). */
void omreg_gz_writer_abort(omreg_gz_writer *w);

#endif
