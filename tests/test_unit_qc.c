/* QC pictures (include/omreg/qc.h, qc/qc_*.c, io/png_io.c's writer) on
 * synthetic images whose answers are known by construction:
 * - the edge-overlap score's correlation and the Sobel edge strength on
 *   hand-computed inputs;
 * - layout and orientation: an anisotropic grid (spacing 1, 2, 3 mm) with
 *   bright slabs on the patient's right, anterior and superior sides must
 *   give panels sized by world extent (not voxel count), right on the right
 *   (neurological) or left (radiological), anterior up in the axial panel
 *   and on the left in the sagittal one, superior up; the same volume
 *   stored in another voxel order (axes swapped, one reversed) draws the
 *   same picture; an oblique grid's panel is black outside the grid;
 * - the percentile window: one huge voxel does not blank the picture;
 * - grids that differ are refused, float32-rounded affines accepted;
 * - a failed allocation anywhere returns OMREG_ENOMEM and leaks nothing;
 *   a NaN on a drawn slice is OMREG_ENONFINITE;
 * - both backends give the same bytes; the PNG writer's file decodes (with
 *   libpng, independently of omreg's reader) to the picture's pixels.
 * NaN policy: inputs are finite; pictures are compared as bytes. */
#define _POSIX_C_SOURCE 200809L

#include "omreg_test.h"

#include <math.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "image_internal.h"
#include "omreg/png.h"
#include "omreg/qc.h"
#include "alloc.h"
#include "qc_internal.h"

/* Pearson correlation of exactly linear data is +-1 up to a few roundings
 * in the sums of five O(10) values. */
#define CORR_TOL 1e-12

/* ---- the score and the edge strength --------------------------------------- */

static void edge_correlation_known(void **state)
{
    (void)state;
    const double a[5] = {1, 2, 3, 4, 100};
    const double up[5] = {3, 5, 7, 9, -7};    /* 2a + 1 on the first four */
    const double down[5] = {-1, -2, -3, -4, 50};
    const double flat[5] = {2, 2, 2, 2, 9};
    const unsigned char first4[5] = {1, 1, 1, 1, 0}, all[5] = {1, 1, 1, 1, 1};
    assert_true(fabs(qc_edge_correlation(a, up, first4, 5) - 1.0) <= CORR_TOL);
    assert_true(fabs(qc_edge_correlation(a, down, first4, 5) + 1.0) <= CORR_TOL);
    /* the masked entry counts when inside: no longer linear */
    assert_true(qc_edge_correlation(a, up, all, 5) < 0.0);
    /* zero variance inside: defined as 0 */
    assert_true(qc_edge_correlation(a, flat, first4, 5) == 0.0);
    /* identical maps: exactly 1 (sqrt of a square) */
    assert_true(qc_edge_correlation(a, a, all, 5) == 1.0);
}

static void edge_strength_of_a_step(void **state)
{
    (void)state;
    enum { R = 5, C = 6 };
    double in[R * C], out[R * C];
    for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c)
            in[r * C + c] = c >= 3 ? 1.0 : 0.0;
    qc_edge_strength(in, R, C, out);
    /* Sobel across a unit step: (1 + 2 + 1) / 4 on both sides of it, zero
     * elsewhere (rows are equal, so no vertical component) */
    const double want[C] = {0, 0, 1, 1, 0, 0};
    for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c)
            if (out[r * C + c] != want[c])
                fail_msg("edge strength at (%d, %d): %a, want %a", r, c, out[r * C + c], want[c]);
    /* a diagonal step: gx = gy = 3 at the pixel on the diagonal's side */
    for (int r = 0; r < R; ++r)
        for (int c = 0; c < C; ++c)
            in[r * C + c] = c > r ? 1.0 : 0.0;
    qc_edge_strength(in, R, C, out);
    assert_true(fabs(out[2 * C + 2] - sqrt(18.0) / 4.0) <= CORR_TOL);
    assert_true(out[4 * C + 0] == 0.0);
}

/* ---- layout and orientation ------------------------------------------------ */

/* Shape (200, 100, 70), spacing (1, 2, 3) mm, origin (-100, -100, -100):
 * world x in [-100, 99], y in [-100, 98], z in [-100, 107]. Intensity
 * 100 + 800 [x > 40] + 400 [y > 40] + 200 [z > 40]: right, anterior and
 * superior slabs of different brightness. */
enum { NX = 200, NY = 100, NZ = 70 };

static double slab_value(double x, double y, double z)
{
    return 100.0 + 800.0 * (x > 40) + 400.0 * (y > 40) + 200.0 * (z > 40);
}

static omreg_image *slab_volume(void)
{
    const size_t shape[3] = {NX, NY, NZ};
    const double g2w[16] = {1, 0, 0, -100, 0, 2, 0, -100, 0, 0, 3, -100, 0, 0, 0, 1};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 3, shape, 1, OMREG_F64, g2w), OMREG_OK);
    double *v = img->data;
    for (size_t i = 0; i < NX; ++i)
        for (size_t j = 0; j < NY; ++j)
            for (size_t k = 0; k < NZ; ++k)
                v[(i * NY + j) * NZ + k] =
                    slab_value(-100.0 + (double)i, -100.0 + 2.0 * (double)j,
                               -100.0 + 3.0 * (double)k);
    return img;
}

/* green channel (grey where no edge is drawn) at picture (row, col) */
static int grey_at(const omreg_qc_picture *pic, size_t row, size_t col)
{
    return omreg_qc_picture_rgb(pic)[(row * omreg_qc_picture_width(pic) + col) * 3 + 1];
}

static omreg_qc_picture *render(const omreg_image *s, const omreg_image *w, omreg_qc_options o)
{
    omreg_qc_picture *pic = NULL;
    omreg_status st = omreg_qc_render(omreg_test_backend(), s, w, &o, &pic);
    if (st != OMREG_OK)
        fail_msg("omreg_qc_render: %s", omreg_last_error());
    return pic;
}

static void anisotropic_orientation(void **state)
{
    (void)state;
    omreg_image *img = slab_volume();
    omreg_qc_options o = omreg_qc_default_options();
    o.low_percentile = 0.0; /* min..max: every slab keeps its own grey */
    o.high_percentile = 100.0;
    for (int radiological = 0; radiological <= 1; ++radiological) {
        o.radiological = radiological;
        omreg_qc_picture *pic = render(img, img, o);
        /* 1 mm pixels (the smallest spacing; the largest extent, 207 mm,
         * needs no magnification): axial 200 x (x) by 199 (y) pixels,
         * coronal 200 by 208 (z), sagittal 199 (y) by 208; 4-pixel gaps. In
         * voxels the panels would be 200x100, 200x70 and 100x70. */
        assert_int_equal(omreg_qc_picture_panels(pic), 3);
        assert_int_equal(omreg_qc_picture_width(pic), 200 + 4 + 200 + 4 + 199);
        assert_int_equal(omreg_qc_picture_height(pic), 208);
        /* pixel column of world x in the axial/coronal panels */
#define COL_X(x) ((size_t)(radiological ? 99 - (x) : (x) + 100))
        const size_t ax_top = (208 - 199) / 2, cor_left = 204, sag_left = 408;
        /* axial (z = 3.5): right slab brighter; anterior (y = 80) up */
        const size_t ax_row_y_m50 = ax_top + (98 - (-50)), ax_row_y_80 = ax_top + (98 - 80);
        assert_true(grey_at(pic, ax_row_y_m50, COL_X(80)) > grey_at(pic, ax_row_y_m50, COL_X(-80)));
        assert_true(grey_at(pic, ax_row_y_80, COL_X(-80)) > grey_at(pic, ax_row_y_m50, COL_X(-80)));
        /* coronal (y = -1): right brighter; superior (z = 80) up */
        const size_t cor_row_z_m50 = 107 + 50, cor_row_z_80 = 107 - 80;
        assert_true(grey_at(pic, cor_row_z_m50, cor_left + COL_X(80)) >
                    grey_at(pic, cor_row_z_m50, cor_left + COL_X(-80)));
        assert_true(grey_at(pic, cor_row_z_80, cor_left + COL_X(-80)) >
                    grey_at(pic, cor_row_z_m50, cor_left + COL_X(-80)));
        /* sagittal (x = -0.5): anterior (y = 80) on the left, superior up,
         * the same in both conventions */
        const size_t sag_col_y_80 = sag_left + (98 - 80), sag_col_y_m80 = sag_left + (98 + 80);
        assert_true(grey_at(pic, cor_row_z_m50, sag_col_y_80) >
                    grey_at(pic, cor_row_z_m50, sag_col_y_m80));
        assert_true(grey_at(pic, cor_row_z_80, sag_col_y_m80) >
                    grey_at(pic, cor_row_z_m50, sag_col_y_m80));
#undef COL_X
        /* the static's own image as warped: edges coincide exactly */
        assert_true(omreg_qc_picture_edge_score(pic) == 1.0);
        omreg_qc_picture_free(pic);
    }
    omreg_image_free(img);
}

/* A grid turned 45 degrees about z: the axial panel is drawn on the
 * world-aligned box around the turned square, so its corners lie outside
 * the grid and must be black, while its centre shows the slice's grey (a
 * ramp along z only: the axial slice is one value, mid-window). The axial
 * panel (28 mm tall) is the tallest: it starts at the picture's top row. */
static void oblique_grid_outside_is_black(void **state)
{
    (void)state;
    const size_t shape[3] = {20, 20, 9};
    const double h = sqrt(0.5);
    const double g2w[16] = {h, -h, 0, 0, h, h, 0, -14, 0, 0, 1, -4, 0, 0, 0, 1};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 3, shape, 1, OMREG_F64, g2w), OMREG_OK);
    double *v = img->data;
    for (size_t i = 0; i < omreg_image_voxels(img); ++i)
        v[i] = 100.0 + (double)(i % shape[2]);
    omreg_qc_options o = omreg_qc_default_options();
    o.low_percentile = 0.0;
    o.high_percentile = 100.0;
    omreg_qc_picture *pic = render(img, img, o);
    const unsigned char *rgb = omreg_qc_picture_rgb(pic);
    const size_t w = omreg_qc_picture_width(pic), ht = omreg_qc_picture_height(pic);
    assert_int_equal(rgb[0] | rgb[1] | rgb[2], 0);         /* top-left corner */
    const size_t last = ((ht - 1) * w) * 3;                 /* bottom-left corner */
    assert_int_equal(rgb[last] | rgb[last + 1] | rgb[last + 2], 0);
    /* centre of the axial panel (it spans about ht pixels across too):
     * z = 4 of 0..8, half way through the window */
    const int g = grey_at(pic, ht / 2, ht / 2);
    assert_true(g >= 120 && g <= 135);
    omreg_qc_picture_free(pic);
    omreg_image_free(img);
}

/* Interpolation weights come from grid coordinates computed through each
 * grid's own inverse affine, so two storage orders of one volume can sample
 * values that differ in the last bits; a byte may then round one level
 * apart. A wrong orientation moves whole slabs (hundreds of levels). */
#define STORAGE_TOL_LEVELS 1

/* The same world volume stored as (y, x reversed, z): the picture is drawn
 * in world space, so it must not change. */
static void storage_order_does_not_matter(void **state)
{
    (void)state;
    omreg_image *img = slab_volume(), *perm = NULL;
    const size_t shape[3] = {NY, NX, NZ};
    /* voxel (j, i', k) with i' = NX - 1 - i: x = 99 - i', y = -100 + 2 j */
    const double g2w[16] = {0, -1, 0, 99, 2, 0, 0, -100, 0, 0, 3, -100, 0, 0, 0, 1};
    assert_int_equal(omreg_image_create(&perm, 3, shape, 1, OMREG_F64, g2w), OMREG_OK);
    const double *a = img->data;
    double *b = perm->data;
    for (size_t i = 0; i < NX; ++i)
        for (size_t j = 0; j < NY; ++j)
            for (size_t k = 0; k < NZ; ++k)
                b[(j * NX + (NX - 1 - i)) * NZ + k] = a[(i * NY + j) * NZ + k];
    const omreg_qc_options o = omreg_qc_default_options();
    omreg_qc_picture *p1 = render(img, img, o), *p2 = render(perm, perm, o);
    const size_t w = omreg_qc_picture_width(p1), h = omreg_qc_picture_height(p1);
    assert_int_equal(omreg_qc_picture_width(p2), w);
    assert_int_equal(omreg_qc_picture_height(p2), h);
    const unsigned char *x = omreg_qc_picture_rgb(p1), *y = omreg_qc_picture_rgb(p2);
    for (size_t i = 0; i < w * h * 3; ++i)
        if (abs((int)x[i] - (int)y[i]) > STORAGE_TOL_LEVELS)
            fail_msg("byte %zu (pixel %zu, %zu): %d vs %d", i, i / 3 / w, i / 3 % w, x[i], y[i]);
    omreg_qc_picture_free(p1);
    omreg_qc_picture_free(p2);
    omreg_image_free(img);
    omreg_image_free(perm);
}

/* ---- intensity window ------------------------------------------------------ */

/* 2D, 200 x 250, identity grid: left half 0, right half 100, and one voxel
 * of 1e6 (a hot pixel). */
static omreg_image *hot_pixel_slice(void)
{
    const size_t shape[2] = {200, 250};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 2, shape, 1, OMREG_F64, NULL), OMREG_OK);
    double *v = img->data;
    for (size_t r = 0; r < 200; ++r)
        for (size_t c = 125; c < 250; ++c)
            v[r * 250 + c] = 100.0;
    v[100 * 250 + 200] = 1e6;
    return img;
}

static void percentile_window(void **state)
{
    (void)state;
    omreg_image *img = hot_pixel_slice();
    omreg_qc_options o = omreg_qc_default_options();
    o.style = OMREG_QC_CHECKERBOARD; /* grey only, no edge overlay */
    omreg_qc_picture *pic = render(img, img, o);
    /* 2D: one panel, the image's own size (largest extent 249 px >= 192) */
    assert_int_equal(omreg_qc_picture_panels(pic), 1);
    assert_int_equal(omreg_qc_picture_width(pic), 250);
    assert_int_equal(omreg_qc_picture_height(pic), 200);
    /* 1st-99th percentile: 0..100, the right half is white */
    assert_int_equal(grey_at(pic, 50, 200), 255);
    assert_int_equal(grey_at(pic, 50, 50), 0);
    omreg_qc_picture_free(pic);
    /* min..max: the hot pixel sets the top, the right half is 100/1e6: black */
    o.low_percentile = 0.0;
    o.high_percentile = 100.0;
    pic = render(img, img, o);
    assert_int_equal(grey_at(pic, 50, 200), 0);
    assert_int_equal(grey_at(pic, 100, 200), 255);
    omreg_qc_picture_free(pic);
    omreg_image_free(img);
}

/* ---- the pair's grid -------------------------------------------------------- */

static void grids_must_match(void **state)
{
    (void)state;
    omreg_image *s = hot_pixel_slice(), *w = NULL, *vol = slab_volume();
    omreg_qc_options o = omreg_qc_default_options();
    omreg_qc_picture *pic = NULL;
    const omreg_backend *b = omreg_test_backend();
    /* another shape */
    const size_t shape[2] = {200, 251};
    assert_int_equal(omreg_image_create(&w, 2, shape, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_qc_render(b, s, w, &o, &pic), OMREG_ESHAPE);
    assert_non_null(strstr(omreg_last_error(), "static grid"));
    omreg_image_free(w);
    /* same shape, shifted by 1 mm */
    const size_t same[2] = {200, 250};
    const double shifted[9] = {1, 0, 1, 0, 1, 0, 0, 0, 1};
    assert_int_equal(omreg_image_create(&w, 2, same, 1, OMREG_F64, shifted), OMREG_OK);
    assert_int_equal(omreg_qc_render(b, s, w, &o, &pic), OMREG_ESHAPE);
    /* 2D against 3D */
    assert_int_equal(omreg_qc_render(b, s, vol, &o, &pic), OMREG_ESHAPE);
    assert_null(pic);
    /* the static's affine through float32 (a NIfTI sform) is the same grid */
    double g[16];
    memcpy(g, vol->grid2world, sizeof g);
    g[3] = (double)(float)(-100.0 + 1e-6);
    omreg_image *vol2 = slab_volume();
    assert_int_equal(omreg_image_set_grid2world(vol2, g), OMREG_OK);
    assert_int_equal(omreg_qc_render(b, vol, vol2, &o, &pic), OMREG_OK);
    omreg_qc_picture_free(pic);
    /* bad options */
    o.low_percentile = 50.0;
    o.high_percentile = 50.0;
    assert_int_equal(omreg_qc_render(b, vol, vol2, &o, &pic), OMREG_EINVAL);
    omreg_image_free(w);
    omreg_image_free(s);
    omreg_image_free(vol);
    omreg_image_free(vol2);
}

/* ---- failures ---------------------------------------------------------------- */

/* Every allocation of a render failing in turn: OMREG_ENOMEM, *out left as
 * it was, nothing leaked (valgrind runs the unit tests); then a NaN voxel
 * on a drawn slice is refused. */
static void failures_leave_nothing(void **state)
{
    (void)state;
    const size_t shape[3] = {12, 9, 7};
    const double g2w[16] = {2, 0, 0, -10, 0, 3, 0, -12, 0, 0, 4, -14, 0, 0, 0, 1};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 3, shape, 1, OMREG_F64, g2w), OMREG_OK);
    double *v = img->data;
    for (size_t i = 0; i < 12 * 9 * 7; ++i)
        v[i] = (double)(i % 17);
    const omreg_qc_options o = omreg_qc_default_options();
    omreg_qc_picture *const sentinel = (omreg_qc_picture *)&o, *pic = sentinel;
    long k = 1;
    for (;; ++k) {
        omreg_testing_fail_alloc_at(k);
        omreg_status st = omreg_qc_render(omreg_test_backend(), img, img, &o, &pic);
        omreg_testing_fail_alloc_at(0);
        if (st == OMREG_OK)
            break;
        assert_int_equal(st, OMREG_ENOMEM);
        assert_ptr_equal(pic, sentinel);
    }
    print_message("a 3D render makes %ld allocations\n", k - 1);
    assert_true(k > 10); /* panels, samples, masks, maps and the picture each failed once */
    omreg_qc_picture_free(pic);
    /* a NaN on the centre voxel, which every panel draws */
    v[(6 * 9 + 4) * 7 + 3] = NAN;
    pic = sentinel;
    assert_int_equal(omreg_qc_render(omreg_test_backend(), img, img, &o, &pic), OMREG_ENONFINITE);
    assert_ptr_equal(pic, sentinel);
    omreg_image_free(img);
}

/* ---- backends and the PNG file ---------------------------------------------- */

static void backends_agree_and_png_decodes(void **state)
{
    (void)state;
    omreg_image *s = slab_volume(), *w = slab_volume();
    /* the warped copy shifted by 7 voxels along x: a different picture */
    double *wv = w->data;
    memmove(wv, wv + 7 * NY * NZ, (NX - 7) * NY * NZ * sizeof(double));
    const omreg_qc_options o = omreg_qc_default_options();
    omreg_qc_picture *pics[2] = {NULL, NULL};
    const omreg_backend *backends[2] = {omreg_backend_reference(), omreg_backend_parallel()};
    for (int k = 0; k < 2; ++k)
        assert_int_equal(omreg_qc_render(backends[k], s, w, &o, &pics[k]), OMREG_OK);
    const size_t width = omreg_qc_picture_width(pics[0]), height = omreg_qc_picture_height(pics[0]);
    assert_int_equal(width, omreg_qc_picture_width(pics[1]));
    assert_int_equal(height, omreg_qc_picture_height(pics[1]));
    assert_memory_equal(omreg_qc_picture_rgb(pics[0]), omreg_qc_picture_rgb(pics[1]),
                        width * height * 3);
    assert_true(omreg_qc_picture_edge_score(pics[0]) == omreg_qc_picture_edge_score(pics[1]));
    assert_true(omreg_qc_picture_edge_score(pics[0]) < 1.0);

    char dir[] = "/tmp/omreg-qc-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/qc.png", dir);
    assert_int_equal(omreg_png_write_rgb(path, width, height, omreg_qc_picture_rgb(pics[0])),
                     OMREG_OK);
    /* libpng's simplified reader, not omreg's */
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    assert_true(png_image_begin_read_from_file(&im, path));
    assert_int_equal(im.width, width);
    assert_int_equal(im.height, height);
    im.format = PNG_FORMAT_RGB;
    unsigned char *decoded = omreg_test_alloc(width * height * 3, 1);
    assert_true(png_image_finish_read(&im, NULL, decoded, 0, NULL));
    assert_memory_equal(decoded, omreg_qc_picture_rgb(pics[0]), width * height * 3);
    free(decoded);
    /* no temporary left beside it; an unwritable target fails cleanly */
    char cmd[128];
    snprintf(cmd, sizeof cmd, "test $(ls -A '%s' | wc -l) -eq 1", dir);
    assert_int_equal(system(cmd), 0);
    snprintf(path, sizeof path, "%s/missing/qc.png", dir);
    assert_int_equal(omreg_png_write_rgb(path, width, height, omreg_qc_picture_rgb(pics[0])),
                     OMREG_EIO);
    assert_int_equal(omreg_png_write_rgb(path, 0, height, omreg_qc_picture_rgb(pics[0])),
                     OMREG_EINVAL);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    for (int k = 0; k < 2; ++k)
        omreg_qc_picture_free(pics[k]);
    omreg_qc_picture_free(NULL);
    omreg_image_free(s);
    omreg_image_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(edge_correlation_known),
        cmocka_unit_test(edge_strength_of_a_step),
        cmocka_unit_test(anisotropic_orientation),
        cmocka_unit_test(storage_order_does_not_matter),
        cmocka_unit_test(oblique_grid_outside_is_black),
        cmocka_unit_test(percentile_window),
        cmocka_unit_test(grids_must_match),
        cmocka_unit_test(failures_leave_nothing),
        cmocka_unit_test(backends_agree_and_png_decodes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
