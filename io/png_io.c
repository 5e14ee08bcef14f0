/* PNG files through libpng. Reading: expand palette/low bit depths, strip
 * alpha, colour to gray, keep 16-bit samples (big-endian in the file).
 * Writing: 8-bit RGB, zlib level 9 and the Paeth filter on every row (fixed
 * settings: the same pixels give the same bytes), under a temporary name
 * renamed when complete (temp_output.h). Errors are turned into statuses
 * with setjmp, libpng's own mechanism; its warnings are silenced so the
 * library never prints. */
#define _POSIX_C_SOURCE 200809L
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/png.h"
#include "temp_output.h"

static void png_error_cb(png_structp png, png_const_charp msg)
{
    char *buf = png_get_error_ptr(png);
    snprintf(buf, 200, "%s", msg);
    png_longjmp(png, 1);
}

static void png_warning_cb(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

omreg_status omreg_png_read(const char *path, omreg_dtype dtype, omreg_image **out)
{
    OMREG_RETURN_IF(path == NULL || out == NULL, OMREG_EINVAL, "png_read: NULL argument");
    OMREG_RETURN_IF(dtype != OMREG_F32 && dtype != OMREG_F64, OMREG_EINVAL,
                    "png_read: unknown dtype");
    FILE *f = fopen(path, "rb");
    OMREG_RETURN_IF(f == NULL, OMREG_EIO, "%s: cannot open", path);
    unsigned char sig[8];
    if (fread(sig, 1, 8, f) != 8 || png_sig_cmp(sig, 0, 8) != 0) {
        fclose(f);
        return omreg_fail(OMREG_EFORMAT, "%s: not a PNG file", path);
    }
    char msg[200] = "";
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, msg, png_error_cb,
                                             png_warning_cb);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        fclose(f);
        return omreg_fail(OMREG_ENOMEM, "%s: libpng could not allocate", path);
    }
    /* volatile: modified between setjmp and a possible longjmp */
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    omreg_image *volatile img = NULL;
    omreg_status st = OMREG_OK;
    if (setjmp(png_jmpbuf(png))) {
        st = omreg_fail(OMREG_EFORMAT, "%s: corrupt PNG (%s)", path, msg);
        goto done;
    }
    png_init_io(png, f);
    png_set_sig_bytes(png, 8);
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    int color = png_get_color_type(png, info), depth = png_get_bit_depth(png, info);
    if (color == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(png);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8)
        png_set_expand_gray_1_2_4_to_8(png);
    if (color & PNG_COLOR_MASK_ALPHA)
        png_set_strip_alpha(png);
    if (color == PNG_COLOR_TYPE_RGB || color == PNG_COLOR_TYPE_RGB_ALPHA ||
        color == PNG_COLOR_TYPE_PALETTE)
        png_set_rgb_to_gray_fixed(png, 1, -1, -1);
    if (depth == 16)
        png_set_swap(png); /* native little-endian 16-bit samples */
    png_read_update_info(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    int bytes = png_get_bit_depth(png, info) == 16 ? 2 : 1;
    size_t shape[2] = {height, width};
    omreg_image *tmp = NULL;
    if ((st = omreg_image_create(&tmp, 2, shape, 1, dtype, NULL)) != OMREG_OK)
        goto done;
    img = tmp;
    void *pp = NULL, *rp = NULL;
    if ((pp = omreg_calloc(height, rowbytes, "PNG pixels")) == NULL ||
        (rp = omreg_calloc(height, sizeof(png_bytep), "PNG rows")) == NULL) {
        st = omreg_calloc_failure();
        free(pp);
        goto done;
    }
    pixels = pp;
    rows = rp;
    for (png_uint_32 r = 0; r < height; ++r)
        rows[r] = pixels + (size_t)r * rowbytes;
    png_read_image(png, rows);
    for (size_t r = 0; r < height; ++r)
        for (size_t c = 0; c < width; ++c) {
            const unsigned char *s = pixels + r * rowbytes + c * (size_t)bytes;
            double v = bytes == 2 ? (double)(s[0] | (s[1] << 8)) : (double)s[0];
            if (dtype == OMREG_F64)
                ((double *)img->data)[r * width + c] = v;
            else
                ((float *)img->data)[r * width + c] = (float)v;
        }
done:
    png_destroy_read_struct(&png, &info, NULL);
    fclose(f);
    free(pixels);
    free(rows);
    if (st != OMREG_OK) {
        omreg_image_free(img);
        return st;
    }
    *out = img;
    return OMREG_OK;
}

/* libpng encodes into an open stream; 0 on success, else the error text in msg */
static int encode(FILE *f, size_t width, size_t height, const unsigned char *rgb, char *msg)
{
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, msg, png_error_cb,
                                              png_warning_cb);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        snprintf(msg, 200, "libpng could not allocate");
        return 1;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return 1;
    }
    png_init_io(png, f);
    png_set_compression_level(png, 9);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_PAETH);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE, PNG_FILTER_TYPE_BASE);
    png_write_info(png, info);
    for (size_t r = 0; r < height; ++r)
        png_write_row(png, rgb + r * width * 3);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return 0;
}

omreg_status omreg_png_write_rgb(const char *path, size_t width, size_t height,
                                 const unsigned char *rgb)
{
    OMREG_RETURN_IF(path == NULL || rgb == NULL, OMREG_EINVAL, "png_write: NULL argument");
    OMREG_RETURN_IF(width == 0 || height == 0 || width > PNG_UINT_31_MAX ||
                        height > PNG_UINT_31_MAX || width > PNG_UINT_31_MAX / 3,
                    OMREG_EINVAL, "%s: a %zux%zu picture cannot be a PNG", path, width, height);
    char *tmp = NULL;
    int fd = -1;
    OMREG_FORWARD(omreg_temp_output_open(path, &tmp, &fd));
    FILE *f = fdopen(fd, "wb");
    if (f == NULL) {
        close(fd);
        omreg_temp_output_abort(tmp);
        return omreg_fail(OMREG_ENOMEM, "%s: cannot open a stream", path);
    }
    char msg[200] = "";
    int failed = encode(f, width, height, rgb, msg);
    if (fclose(f) != 0 && !failed) {
        failed = 1;
        snprintf(msg, sizeof msg, "write error");
    }
    if (failed) {
        omreg_temp_output_abort(tmp);
        return omreg_fail(OMREG_EIO, "%s: cannot write the PNG (%s)", path, msg);
    }
    return omreg_temp_output_commit(path, tmp);
}
