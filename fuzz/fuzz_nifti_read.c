/* libFuzzer target: arbitrary bytes as a NIfTI file. The first byte picks
 * the container (odd: the rest is gzip-compressed first, so mutations reach
 * the header and data behind a valid gzip stream; even: written as is, which
 * also covers damaged gzip streams since the reader detects gzip by its
 * magic). Both readers (3D/2D, float64/float32) must return a status and
 * never crash, leak or read out of bounds; on success the image is
 * consistent with its shape. */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "omreg/image.h"
#include "omreg/nifti.h"

static char path[64];

static void write_file(const uint8_t *data, size_t size, int compress)
{
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        abort();
    if (compress) {
        uLongf n = compressBound((uLong)size) + 32;
        unsigned char *buf = malloc(n);
        z_stream zs;
        memset(&zs, 0, sizeof zs);
        /* windowBits 15 + 16: a gzip (not zlib) stream, as .nii.gz holds */
        if (buf == NULL || deflateInit2(&zs, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) != Z_OK)
            abort();
        zs.next_in = (Bytef *)data;
        zs.avail_in = (uInt)size;
        zs.next_out = buf;
        zs.avail_out = (uInt)n;
        if (deflate(&zs, Z_FINISH) != Z_STREAM_END)
            abort();
        fwrite(buf, 1, zs.total_out, f);
        deflateEnd(&zs);
        free(buf);
    } else if (size > 0) {
        fwrite(data, 1, size, f);
    }
    if (fclose(f) != 0)
        abort();
}

static void check(omreg_status st, omreg_image *img)
{
    if (st != OMREG_OK) {
        if (img != NULL || omreg_last_error()[0] == '\0')
            abort(); /* a failure writes no image and always says why */
        return;
    }
    const size_t n = omreg_image_voxels(img);
    const size_t *shape = omreg_image_shape(img);
    size_t prod = 1;
    for (int d = 0; d < omreg_image_ndim(img); ++d)
        prod *= shape[d];
    if (prod != n || n == 0)
        abort();
    /* touch every voxel (ASan: the buffer really has n elements) */
    volatile double sum = 0.0;
    if (omreg_image_dtype(img) == OMREG_F64) {
        const double *v = omreg_image_cdata(img);
        for (size_t i = 0; i < n; ++i)
            sum += v[i];
    } else {
        const float *v = omreg_image_cdata(img);
        for (size_t i = 0; i < n; ++i)
            sum += v[i];
    }
    if (sum != sum && 0)
        abort();
    omreg_image_free(img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (path[0] == '\0')
        snprintf(path, sizeof path, "/tmp/omreg-fuzz-%ld.nii", (long)getpid());
    if (size == 0 || size > (1u << 20))
        return 0;
    write_file(data + 1, size - 1, data[0] & 1);
    omreg_image *img = NULL;
    check(omreg_nifti_read(path, OMREG_F64, &img), img);
    img = NULL;
    check(omreg_nifti_read_2d(path, OMREG_F32, &img), img);
    unlink(path);
    return 0;
}
