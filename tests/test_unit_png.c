/* The PNG reader (io/png_io.c, include/omreg/png.h) on files this test
 * encodes itself with libpng's writer, so every expected pixel is known by
 * construction (the PNG specification's sample rules, not omreg's code):
 * 8- and 16-bit gray (16-bit samples are big-endian in the file: the
 * reader must keep the whole value), 1/2/4-bit gray (scaled to 8 bits by
 * bit replication: 1 -> 255, 2-bit 1 -> 85), gray+alpha and RGBA (alpha
 * dropped, not blended), a palette and RGB of gray colours (R = G = B, so
 * any luminance weights summing to 1 give the gray level back), float32
 * and float64 outputs. Then the errors: a missing file, a non-PNG, a PNG cut
 * short, a corrupt chunk, each allocation failing: the documented status,
 * the file named, *out untouched, nothing printed (libpng's warnings
 * silenced). No NaN anywhere; values are compared exactly. */
#define _POSIX_C_SOURCE 200809L

#include "omreg_test.h"

#include <fcntl.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "omreg/image.h"
#include "omreg/png.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */

#define W 5
#define H 3

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/omreg-png-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *path_of(const char *name)
{
    static char p[2][256];
    static int slot;
    slot ^= 1;
    snprintf(p[slot], sizeof p[slot], "%s/%s", dir, name);
    return p[slot];
}

/* Encode H rows of `rowbytes` packed bytes with libpng's own writer. */
static void encode(const char *path, int color, int depth, const unsigned char *rows,
                   size_t rowbytes, const png_color *palette, int npalette)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(png);
    assert_non_null(info);
    if (setjmp(png_jmpbuf(png)))
        fail_msg("libpng could not encode %s", path);
    png_init_io(png, f);
    png_set_IHDR(png, info, W, H, depth, color, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_BASE,
                 PNG_FILTER_TYPE_BASE);
    if (palette)
        png_set_PLTE(png, info, palette, npalette);
    png_write_info(png, info);
    for (int r = 0; r < H; ++r)
        png_write_row(png, rows + (size_t)r * rowbytes);
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    assert_int_equal(fclose(f), 0);
}

/* Read with both dtypes: a (H, W) image, identity grid-to-world, want[]. */
static void expect_pixels(const char *path, const double *want)
{
    for (int dt = 0; dt < 2; ++dt) {
        omreg_image *img = NULL;
        omreg_dtype t = dt ? OMREG_F64 : OMREG_F32;
        omreg_status st = omreg_png_read(path, t, &img);
        if (st != OMREG_OK)
            fail_msg("%s: %s (%s)", path, omreg_status_str(st), omreg_last_error());
        assert_int_equal(omreg_image_ndim(img), 2);
        assert_int_equal(omreg_image_ncomp(img), 1);
        assert_int_equal(omreg_image_dtype(img), t);
        assert_int_equal(omreg_image_shape(img)[0], H);
        assert_int_equal(omreg_image_shape(img)[1], W);
        const double eye[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
        assert_true(omreg_test_same_f64("grid2world", omreg_image_grid2world(img), eye, 9));
        if (dt) {
            assert_true(omreg_test_same_f64(path, omreg_image_cdata(img), want, W * H));
        } else {
            float want32[W * H];
            for (int i = 0; i < W * H; ++i)
                want32[i] = (float)want[i];
            assert_true(omreg_test_same_f32(path, omreg_image_cdata(img), want32, W * H));
        }
        omreg_image_free(img);
    }
}

static void gray_8_and_16_bit(void **state)
{
    (void)state;
    unsigned char g8[H * W];
    double want[H * W];
    for (int i = 0; i < H * W; ++i) {
        g8[i] = (unsigned char)(17 * i + 3);
        want[i] = g8[i];
    }
    encode(path_of("g8.png"), PNG_COLOR_TYPE_GRAY, 8, g8, W, NULL, 0);
    expect_pixels(path_of("g8.png"), want);

    /* 16-bit: both bytes differ, so a byte-order slip changes every value */
    unsigned char g16[H * W * 2];
    for (int i = 0; i < H * W; ++i) {
        unsigned v = 0x1234u + 4099u * (unsigned)i;
        g16[2 * i] = (unsigned char)(v >> 8); /* big-endian in the file */
        g16[2 * i + 1] = (unsigned char)v;
        want[i] = (double)(v & 0xffffu);
    }
    encode(path_of("g16.png"), PNG_COLOR_TYPE_GRAY, 16, g16, 2 * W, NULL, 0);
    expect_pixels(path_of("g16.png"), want);
}

/* 1, 2 and 4 bits per sample, packed most significant first; the reader
 * scales a level v of n bits to v * 255 / (2^n - 1) (bit replication). */
static void gray_low_bit_depths(void **state)
{
    (void)state;
    static const int depths[] = {1, 2, 4};
    for (size_t d = 0; d < 3; ++d) {
        int n = depths[d];
        unsigned maxv = (1u << n) - 1;
        unsigned char rows[H * W] = {0}; /* W <= 8: one row fits W bytes */
        size_t rowbytes = ((size_t)W * (size_t)n + 7) / 8;
        double want[H * W];
        for (int r = 0; r < H; ++r)
            for (int c = 0; c < W; ++c) {
                unsigned v = (unsigned)(3 * r + c) % (maxv + 1);
                size_t bit = (size_t)c * (size_t)n;
                rows[(size_t)r * rowbytes + bit / 8] |=
                    (unsigned char)(v << (8 - n - (int)(bit % 8)));
                want[r * W + c] = (double)(v * (255 / maxv));
            }
        char name[32];
        snprintf(name, sizeof name, "g%d.png", n);
        encode(path_of(name), PNG_COLOR_TYPE_GRAY, n, rows, rowbytes, NULL, 0);
        expect_pixels(path_of(name), want);
    }
}

/* Alpha is stripped (the gray level kept, whatever the alpha); colours with
 * R = G = B and palettes of such colours give their level. */
static void alpha_palette_and_colour(void **state)
{
    (void)state;
    unsigned char ga[H * W * 2], rgba[H * W * 4], rgb[H * W * 3], idx[H * W];
    double want[H * W];
    png_color pal[16];
    for (int p = 0; p < 16; ++p)
        pal[p].red = pal[p].green = pal[p].blue = (png_byte)(255 - 13 * p);
    for (int i = 0; i < H * W; ++i) {
        unsigned char v = (unsigned char)(250 - 16 * i);
        ga[2 * i] = v;
        ga[2 * i + 1] = (unsigned char)(37 * i); /* alpha, 0 included */
        for (int k = 0; k < 3; ++k) {
            rgba[4 * i + k] = v;
            rgb[3 * i + k] = v;
        }
        rgba[4 * i + 3] = (unsigned char)(255 - 29 * i);
        idx[i] = (unsigned char)((7 * i) % 16);
        want[i] = v;
    }
    encode(path_of("ga.png"), PNG_COLOR_TYPE_GRAY_ALPHA, 8, ga, 2 * W, NULL, 0);
    expect_pixels(path_of("ga.png"), want);
    encode(path_of("rgba.png"), PNG_COLOR_TYPE_RGB_ALPHA, 8, rgba, 4 * W, NULL, 0);
    expect_pixels(path_of("rgba.png"), want);
    encode(path_of("rgb.png"), PNG_COLOR_TYPE_RGB, 8, rgb, 3 * W, NULL, 0);
    expect_pixels(path_of("rgb.png"), want);
    for (int i = 0; i < H * W; ++i)
        want[i] = pal[idx[i]].red;
    encode(path_of("pal.png"), PNG_COLOR_TYPE_PALETTE, 8, idx, W, pal, 16);
    expect_pixels(path_of("pal.png"), want);
}

/* ---- errors --------------------------------------------------------------- */

static int saved_fd = -1;

/* Read path expecting `want`; *out untouched, the message names the file,
 * nothing reaches stderr. */
static void expect_refused(const char *path, omreg_status want)
{
    char log[256];
    snprintf(log, sizeof log, "%s/stderr.log", dir);
    for (int dt = 0; dt < 2; ++dt) {
        omreg_image *sentinel = (omreg_image *)&saved_fd, *out = sentinel;
        fflush(stderr);
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        assert_true(fd >= 0);
        saved_fd = dup(2);
        dup2(fd, 2);
        close(fd);
        omreg_status st = omreg_png_read(path, dt ? OMREG_F64 : OMREG_F32, &out);
        fflush(stderr);
        dup2(saved_fd, 2);
        close(saved_fd);
        if (st != want)
            fail_msg("%s: got %s (%s), want %s", path, omreg_status_str(st), omreg_last_error(),
                     omreg_status_str(want));
        assert_ptr_equal(out, sentinel);
        if (strstr(omreg_last_error(), path) == NULL)
            fail_msg("message \"%s\" does not name %s", omreg_last_error(), path);
        struct stat sb;
        assert_int_equal(stat(log, &sb), 0);
        if (sb.st_size != 0)
            fail_msg("%s: the library printed %lld bytes", path, (long long)sb.st_size);
    }
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    unsigned char *b = omreg_test_alloc(1 << 16, 1);
    *len = fread(b, 1, 1 << 16, f);
    assert_true(*len > 0 && *len < (1 << 16));
    fclose(f);
    return b;
}

static void spit(const char *path, const unsigned char *b, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(b, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void damaged_files(void **state)
{
    (void)state;
    expect_refused(path_of("missing.png"), OMREG_EIO);
    spit(path_of("text.png"), (const unsigned char *)"not a picture at all\n", 21);
    expect_refused(path_of("text.png"), OMREG_EFORMAT);
    spit(path_of("tiny.png"), (const unsigned char *)"\x89PN", 3);
    expect_refused(path_of("tiny.png"), OMREG_EFORMAT);

    unsigned char g8[H * W];
    for (int i = 0; i < H * W; ++i)
        g8[i] = (unsigned char)(11 * i);
    encode(path_of("good.png"), PNG_COLOR_TYPE_GRAY, 8, g8, W, NULL, 0);
    size_t len;
    unsigned char *b = slurp(path_of("good.png"), &len);
    /* the signature alone, then cut inside IHDR, then inside the data */
    const size_t cuts[] = {8, 20, len - 20};
    for (size_t c = 0; c < 3; ++c) {
        spit(path_of("cut.png"), b, cuts[c]);
        expect_refused(path_of("cut.png"), OMREG_EFORMAT);
    }
    /* IHDR's CRC (bytes 29..32) wrong: libpng's error, not a crash */
    b[30] ^= 0x55;
    spit(path_of("crc.png"), b, len);
    expect_refused(path_of("crc.png"), OMREG_EFORMAT);
    b[30] ^= 0x55;
    spit(path_of("again.png"), b, len); /* the repaired bytes read */
    double want[H * W];
    for (int i = 0; i < H * W; ++i)
        want[i] = g8[i];
    expect_pixels(path_of("again.png"), want);
    free(b);

    omreg_image *img = NULL;
    assert_int_equal(omreg_png_read(NULL, OMREG_F64, &img), OMREG_EINVAL);
    assert_int_equal(omreg_png_read(path_of("again.png"), OMREG_F64, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_png_read(path_of("again.png"), (omreg_dtype)5, &img), OMREG_EINVAL);
    assert_null(img);
}

/* Each of the reader's allocations failing in turn: ENOMEM, *out untouched,
 * until a read needs no more. */
static void allocation_failures(void **state)
{
    (void)state;
    unsigned char g8[H * W] = {1, 2, 3};
    encode(path_of("alloc.png"), PNG_COLOR_TYPE_GRAY, 8, g8, W, NULL, 0);
    int failures = 0;
    for (long n = 1;; ++n) {
        omreg_image *sentinel = (omreg_image *)&saved_fd, *out = sentinel;
        long before = omreg_testing_alloc_count();
        omreg_testing_fail_alloc_at(n);
        omreg_status st = omreg_png_read(path_of("alloc.png"), OMREG_F64, &out);
        long made = omreg_testing_alloc_count() - before;
        omreg_testing_fail_alloc_at(0);
        if (made < n) {
            assert_int_equal(st, OMREG_OK);
            omreg_image_free(out);
            break;
        }
        if (st != OMREG_ENOMEM)
            fail_msg("allocation %ld failing: got %s", n, omreg_status_str(st));
        assert_ptr_equal(out, sentinel);
        ++failures;
    }
    assert_true(failures >= 3); /* the image, the pixels, the row pointers */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(gray_8_and_16_bit),
        cmocka_unit_test(gray_low_bit_depths),
        cmocka_unit_test(alpha_palette_and_colour),
        cmocka_unit_test(damaged_files),
        cmocka_unit_test(allocation_failures),
    };
    omreg_test_apply_filter();
    return cmocka_run_group_tests_name("png", tests, setup, teardown);
}
