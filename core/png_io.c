/* PNG reading through libpng: expand palette/low bit depths, strip alpha,
 * colour to gray, keep 16-bit samples (big-endian in the file). Errors are
 * turned into statuses with setjmp, libpng's own mechanism; its warnings
 * are silenced so the library never prints. */
#include <png.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/png.h"

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
    if ((st = omreg_calloc(&pp, height, rowbytes, "PNG pixels")) != OMREG_OK ||
        (st = omreg_calloc(&rp, height, sizeof(png_bytep), "PNG rows")) != OMREG_OK) {
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
