/* SHA-256 (FIPS 180-4), streaming, for the digests of the provenance record
 * (omreg --out-json): input and output files are identified by the same
 * hex digest `sha256sum` prints. Internal to the library and the command. */
#ifndef OMREG_SHA256_H
#define OMREG_SHA256_H

#include <stddef.h>
#include <stdint.h>

#include "omreg/status.h"

typedef struct omreg_sha256 {
    uint32_t h[8];
    uint64_t length;       /* bytes hashed so far */
    unsigned char block[64];
    size_t used;           /* bytes waiting in block */
} omreg_sha256;

void omreg_sha256_init(omreg_sha256 *s);
void omreg_sha256_update(omreg_sha256 *s, const void *data, size_t bytes);
/* Finishes s and writes the digest as 64 lower-case hex digits + NUL. */
void omreg_sha256_hex(omreg_sha256 *s, char hex[65]);

/** The digest of a file's bytes. Returns OMREG_EIO (hex untouched) when the
 * file cannot be opened or read. */
omreg_status omreg_sha256_file(const char *path, char hex[65]);

#endif
