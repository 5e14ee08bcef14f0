/* `omreg qc` and --out-qc checked as a person would check the pictures:
 * the PNG decodes (libpng, not omreg's reader), has the size the documented
 * layout gives, is not blank and shows red edges; a registered pair scores
 * clearly higher than the same pair unregistered. Real pairs:
 * - Colin27 on a 3 mm grid and its copy through the known affine of
 *   fixtures/e2e_affine (mricron-data), registered by `omreg affine` (a
 *   shortened chain, to within about 1.5 mm, to keep the test fast);
 * - ITK's PD slice and its (13, 17) pixel shift (insighttoolkit5-examples),
 *   registered by `omreg affine` (translation) and refined by `omreg syn`.
 * Also: --out-qc writes exactly what `omreg qc` on the run's --out-warped
 * writes; the bytes do not depend on --threads or --backend; --style,
 * --window and --radiological change the picture as documented; bad pairs
 * and options exit 1 or 2 with one line and leave no file.
 * NaN policy: none is produced; pictures are compared as bytes. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"
#include "cli_harness.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "omreg/affine.h"
#include "omreg/nifti.h"
#include "omreg/png.h"

#define ITK_DATA "/usr/share/doc/insighttoolkit5-examples/examples/Data/"
#define PD ITK_DATA "BrainProtonDensitySliceBorder20.png"
#define PD_SHIFTED ITK_DATA "BrainProtonDensitySliceShifted13x17y.png"
#define PD_NO_BORDER ITK_DATA "BrainProtonDensitySlice.png"

/* Measured here: ch2 3 mm scores 0.788 registered (mean error 1.5 mm) and
 * 0.239 unregistered (10 degrees, 10 mm); the PD slice 1.000 registered
 * and 0.120 shifted. A score must rise by at least this much when a pair
 * is registered: about a third of the smaller measured gap (0.55), so a
 * score that barely reacts to misregistration fails. */
#define SCORE_GAP 0.2
/* A registered pair's edges coincide for the most part. */
#define REGISTERED_MIN 0.6
/* The documented pixel rule: the largest world extent spans at least this
 * many pixels (include/omreg/qc.h). */
#define MIN_SPAN_PX 192.0
/* Not blank: at least this share of the pixels is neither black nor white,
 * and at least this many are red edge pixels (R above G by 100 levels);
 * a brain slice covers about half of each panel. */
#define MIN_GREY_SHARE 0.25
#define MIN_RED_PIXELS 200
/* --radiological mirrors the axial and coronal panels; the Sobel sums add
 * the same neighbours in mirrored order, so the edge blend may round one
 * level differently at a few pixels. */
#define MIRROR_TOL_LEVELS 1

#define CH2 "/usr/share/mricron/templates/ch2.nii.gz"


/* `omreg qc STATIC WARPED --out OUT EXTRA`: exit 0, stdout exactly
 * "edge_overlap S\n"; returns S. */
static double qc(const char *stat, const char *warped, const char *out, const char *extra)
{
    char stdout_txt[512];
    snprintf(stdout_txt, sizeof stdout_txt, "%s", cli_tmp("stdout.txt"));
    int rc = cli_run("qc '%s' '%s' --out '%s' %s >'%s'", stat, warped, out, extra, stdout_txt);
    if (rc != 0)
        fail_msg("omreg qc %s %s exited %d", stat, warped, rc);
    FILE *f = fopen(stdout_txt, "r");
    assert_non_null(f);
    double score = -2.0;
    char rest[64] = "";
    int n = fscanf(f, "edge_overlap %lf%63s", &score, rest);
    fclose(f);
    assert_int_equal(n, 1); /* one number, nothing after it */
    assert_true(score >= -1.0 && score <= 1.0);
    return score;
}

static int stderr_lines(void)
{
    FILE *f = fopen(cli_tmp("stderr.txt"), "r");
    assert_non_null(f);
    int lines = 0, c;
    while ((c = fgetc(f)) != EOF)
        lines += c == '\n';
    fclose(f);
    return lines;
}

static int exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0;
}

typedef struct picture {
    size_t width, height;
    unsigned char *rgb;
} picture;

/* Decode with libpng's simplified API into 8-bit RGB. */
static picture decode(const char *path)
{
    png_image im;
    memset(&im, 0, sizeof im);
    im.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&im, path))
        fail_msg("%s does not decode: %s", path, im.message);
    im.format = PNG_FORMAT_RGB;
    picture p = {im.width, im.height, omreg_test_alloc((size_t)im.width * im.height * 3, 1)};
    assert_true(png_image_finish_read(&im, NULL, p.rgb, 0, NULL));
    return p;
}

/* Both decode to the same size, and their bytes are equal. */
static void assert_same_picture(const char *a, const char *b)
{
    picture x = decode(a), y = decode(b);
    assert_int_equal(x.width, y.width);
    assert_int_equal(x.height, y.height);
    free(x.rgb);
    free(y.rgb);
    cli_assert_same_file(a, b);
}

/* Decodes, not blank, red edges drawn. */
static void assert_looks_like_a_picture(const char *path, size_t width, size_t height)
{
    picture p = decode(path);
    if (p.width != width || p.height != height)
        fail_msg("%s is %zux%zu, expected %zux%zu", path, p.width, p.height, width, height);
    size_t grey = 0, red = 0, n = p.width * p.height;
    for (size_t i = 0; i < n; ++i) {
        const unsigned char *c = p.rgb + 3 * i;
        grey += c[0] == c[1] && c[1] == c[2] && c[0] > 0 && c[0] < 255;
        red += c[0] > c[1] + 100;
    }
    print_message("%s: %zux%zu, %.0f%% grey, %zu red pixels\n", path, p.width, p.height,
                  100.0 * (double)grey / (double)n, red);
    assert_true((double)grey >= MIN_GREY_SHARE * (double)n);
    assert_true(red >= MIN_RED_PIXELS);
    free(p.rgb);
}

/* Panel pixels along a world extent, as include/omreg/qc.h documents. */
static size_t span(double extent, double pixel)
{
    return (size_t)(extent / pixel + 1e-6) + 1;
}

static double mean_grey(const char *path)
{
    picture p = decode(path);
    double s = 0.0;
    for (size_t i = 0; i < p.width * p.height; ++i)
        s += p.rgb[3 * i + 1];
    free(p.rgb);
    return s / (double)(p.width * p.height);
}

/* Colin27 resampled on a 3 mm grid (shape ceil(n / 3)), as
 * fixtures/gen_e2e_affine.py's ch2_case builds its static image; NULL when
 * mricron-data is not installed. */
/* `omreg affine STATIC MOVING OPTS --out-warped WARPED --out-qc
 * <prefix>affine_qc.png`, then `omreg qc` of the registered pair
 * (<prefix>registered.png) and of the unregistered one
 * (<prefix>unregistered.png): the registered pair scores well and clearly
 * above the unregistered one, and --out-qc wrote the registered picture. */
static void register_and_score(const char *what, const char *stat, const char *moving,
                               const char *opts, const char *warped, const char *prefix)
{
    char affine_qc[512], registered_png[512], name[128];
    snprintf(name, sizeof name, "%saffine_qc.png", prefix);
    snprintf(affine_qc, sizeof affine_qc, "%s", cli_tmp(name));
    snprintf(name, sizeof name, "%sregistered.png", prefix);
    snprintf(registered_png, sizeof registered_png, "%s", cli_tmp(name));
    assert_int_equal(cli_run("affine '%s' '%s' %s --quiet --out-warped '%s' --out-qc '%s' "
                             ">/dev/null", stat, moving, opts, warped, affine_qc),
                     0);
    const double registered = qc(stat, warped, registered_png, "");
    snprintf(name, sizeof name, "%sunregistered.png", prefix);
    const double unregistered = qc(stat, moving, cli_tmp(name), "");
    print_message("%s: edge_overlap registered %.4f, unregistered %.4f\n", what, registered,
                  unregistered);
    assert_true(registered >= REGISTERED_MIN);
    assert_true(registered - unregistered >= SCORE_GAP);
    assert_same_picture(affine_qc, registered_png);
}

/* ---- Colin27, 3 mm ------------------------------------------------------------ */

static void ch2_registered_vs_unregistered(void **state)
{
    (void)state;
    const omreg_backend *b = omreg_backend_parallel();
    omreg_image *s = omreg_test_ch2_3mm(b), *m = NULL;
    if (s == NULL) {
        print_message("mricron-data not installed: skipped\n");
        skip();
    }
    omreg_npy truth;
    omreg_test_load("e2e_affine/ch2_truth.npy", OMREG_NPY_F64, &truth);
    /* moving(T x) = static(x): static resampled through T^-1 */
    assert_int_equal(omreg_affine_map_transform(b, truth.data, 1, s, omreg_image_shape(s),
                                                omreg_image_grid2world(s), 0, &m),
                     OMREG_OK);
    char S[512], M[512], W[512]; /* kept: cli_tmp() reuses its buffers */
    snprintf(S, sizeof S, "%s", cli_tmp("static.nii.gz"));
    snprintf(M, sizeof M, "%s", cli_tmp("moving.nii.gz"));
    snprintf(W, sizeof W, "%s", cli_tmp("warped.nii.gz"));
    assert_int_equal(omreg_nifti_write(S, s), OMREG_OK);
    assert_int_equal(omreg_nifti_write(M, m), OMREG_OK);

    /* shortened chain: no full-resolution iterations */
    register_and_score("ch2 3 mm", S, M, "--level-iters 1000,100,0", W, "");

    /* size from the documented layout: square pixels of max extent / 192 mm
     * (the 3 mm grid spans fewer than 192 pixels at 3 mm), panels axial
     * (x by y), coronal (x by z), sagittal (y by z), 4-pixel gaps */
    const size_t *n = omreg_image_shape(s);
    double ext[3], largest = 0.0;
    for (int d = 0; d < 3; ++d) {
        ext[d] = 3.0 * (double)(n[d] - 1);
        largest = ext[d] > largest ? ext[d] : largest;
    }
    const double pixel = largest / MIN_SPAN_PX;
    const size_t nx = span(ext[0], pixel), ny = span(ext[1], pixel), nz = span(ext[2], pixel);
    const size_t width = nx + 4 + nx + 4 + ny, height = ny > nz ? ny : nz;
    assert_looks_like_a_picture(cli_tmp("registered.png"), width, height);
    assert_looks_like_a_picture(cli_tmp("unregistered.png"), width, height);

    /* the same bytes for any thread count and either backend */
    qc(S, W, cli_tmp("t1.png"), "--threads 1");
    assert_same_picture(cli_tmp("t1.png"), cli_tmp("registered.png"));
    qc(S, W, cli_tmp("t3.png"), "--threads 3");
    assert_same_picture(cli_tmp("t3.png"), cli_tmp("registered.png"));
    qc(S, W, cli_tmp("ref.png"), "--backend reference");
    assert_same_picture(cli_tmp("ref.png"), cli_tmp("registered.png"));

    /* --style checkerboard: grey only, and the warped image's squares show */
    qc(S, M, cli_tmp("checker.png"), "--style checkerboard");
    qc(S, S, cli_tmp("checker_self.png"), "--style checkerboard");
    picture c = decode(cli_tmp("checker.png")), cs = decode(cli_tmp("checker_self.png"));
    size_t coloured = 0, differ = 0;
    for (size_t i = 0; i < c.width * c.height; ++i) {
        coloured += c.rgb[3 * i] != c.rgb[3 * i + 1] || c.rgb[3 * i + 1] != c.rgb[3 * i + 2];
        differ += c.rgb[3 * i + 1] != cs.rgb[3 * i + 1];
    }
    assert_int_equal(coloured, 0);
    assert_true(differ > 1000);
    free(c.rgb);
    free(cs.rgb);

    /* --window 0,100: the brightest voxel sets white, so the picture is
     * darker than with the 1st-99th percentile window */
    qc(S, W, cli_tmp("minmax.png"), "--window 0,100 --style checkerboard");
    qc(S, W, cli_tmp("default_checker.png"), "--style checkerboard");
    assert_true(mean_grey(cli_tmp("minmax.png")) < mean_grey(cli_tmp("default_checker.png")));

    /* --radiological: axial and coronal panels mirrored left-right (their
     * x extent is a whole number of pixels here, so the samples coincide),
     * the sagittal panel unchanged */
    assert_true(ext[0] / pixel == (double)(nx - 1));
    qc(S, W, cli_tmp("radiological.png"), "--radiological");
    picture neu = decode(cli_tmp("registered.png")), rad = decode(cli_tmp("radiological.png"));
    size_t mirrored_off = 0;
    for (size_t r = 0; r < height; ++r)
        for (size_t x = 0; x < width; ++x) {
            size_t src = x;
            if (x < nx)
                src = nx - 1 - x;
            else if (x >= nx + 4 && x < 2 * nx + 4)
                src = (nx + 4) + (2 * nx + 4 - 1 - x);
            for (int k = 0; k < 3; ++k) {
                const int a = rad.rgb[(r * width + x) * 3 + k];
                const int want = neu.rgb[(r * width + src) * 3 + k];
                if (abs(a - want) > MIRROR_TOL_LEVELS)
                    ++mirrored_off;
            }
        }
    assert_int_equal(mirrored_off, 0);
    assert_memory_not_equal(neu.rgb, rad.rgb, width * height * 3);
    free(neu.rgb);
    free(rad.rgb);

    omreg_npy_free(&truth);
    omreg_image_free(s);
    omreg_image_free(m);
}

/* ---- ITK's 2D slices: affine, then syn --------------------------------------- */

static void pd_slice_affine_and_syn(void **state)
{
    (void)state;
    if (access(PD, R_OK) != 0 || access(PD_SHIFTED, R_OK) != 0) {
        print_message("insighttoolkit5-examples not installed: skipped\n");
        skip();
    }
    char W[512], SW[512];
    snprintf(W, sizeof W, "%s", cli_tmp("pd_warped.nii.gz"));
    snprintf(SW, sizeof SW, "%s", cli_tmp("pd_syn.nii.gz"));
    char opts[700], A[512];
    snprintf(A, sizeof A, "%s", cli_tmp("pd_affine.txt"));
    snprintf(opts, sizeof opts, "--pipeline com,translation --out-affine '%s'", A);
    register_and_score("PD slice", PD, PD_SHIFTED, opts, W, "pd_");
    /* 2D: one panel of the slice's own size (its largest extent, 256
     * pixels, needs no magnification) */
    omreg_image *pd = NULL;
    assert_int_equal(omreg_png_read(PD, OMREG_F64, &pd), OMREG_OK);
    const size_t *shape = omreg_image_shape(pd);
    assert_true((double)(shape[0] > shape[1] ? shape[0] : shape[1]) - 1.0 >= MIN_SPAN_PX);
    assert_looks_like_a_picture(cli_tmp("pd_registered.png"), shape[1], shape[0]);
    omreg_image_free(pd);

    /* syn --out-qc: the picture of its --out-warped */
    assert_int_equal(cli_run("syn '%s' '%s' --level-iters 5,5 --quiet --out-warped '%s' --out-qc "
                           "'%s'", PD, W, SW, cli_tmp("pd_syn_qc.png")),
                     0);
    const double refined = qc(PD, SW, cli_tmp("pd_syn.png"), "");
    print_message("PD slice after syn: edge_overlap %.4f\n", refined);
    assert_true(refined >= REGISTERED_MIN);
    assert_same_picture(cli_tmp("pd_syn_qc.png"), cli_tmp("pd_syn.png"));

    /* --out-qc beside every other output of syn (eight staged files, the
     * elastix sibling included): all are written */
    static const char *const outs[] = {"all_w.nii.gz", "all_iw.nii.gz", "all_f.nii.gz",
                                       "all_itk.nii.gz", "all_itk.txt", "all_ex.txt",
                                       "all_ex.warp.txt", "all_qc.png"};
    char all[8][512];
    for (int k = 0; k < 8; ++k)
        snprintf(all[k], sizeof all[k], "%s", cli_tmp(outs[k]));
    assert_int_equal(cli_run("syn '%s' '%s' --prealign '%s' --level-iters 2,2 --quiet "
                             "--out-warped '%s' --out-inverse-warped '%s' --out-field '%s' "
                             "--out-itk-warp '%s' --out-itk-affine '%s' --out-elastix '%s' "
                             "--out-qc '%s'",
                             PD, PD_SHIFTED, A, all[0], all[1], all[2], all[3], all[4], all[5],
                             all[7]),
                     0);
    for (int k = 0; k < 8; ++k)
        if (!exists(all[k]))
            fail_msg("%s was not written", all[k]);
}

/* ---- bad input -------------------------------------------------------------------- */

static void bad_pairs_and_options(void **state)
{
    (void)state;
    if (access(PD, R_OK) != 0 || access(CH2, R_OK) != 0) {
        print_message("test images not installed: skipped\n");
        skip();
    }
    char out[512], old[512];
    snprintf(out, sizeof out, "%s", cli_tmp("bad.png"));
    snprintf(old, sizeof old, "%s", cli_tmp("old.png"));
    /* 2D against 3D, and grids of different shape: exit 1, one line */
    assert_int_equal(cli_run("qc '%s' '%s' --out '%s'", PD, CH2, out), 1);
    assert_int_equal(stderr_lines(), 1);
    assert_false(exists(out));
    assert_int_equal(cli_run("qc '%s' '%s' --out '%s' >/dev/null", PD, PD_SHIFTED, old), 0);
    /* the 181x217 slice without the 20-pixel border against the bordered one */
    assert_int_equal(cli_run("qc '%s' '%s' --out '%s'", PD_NO_BORDER, PD, out), 1);
    assert_int_equal(stderr_lines(), 1);
    char *err = cli_stderr();
    assert_non_null(strstr(err, "static grid"));
    free(err);
    assert_false(exists(out));
    /* a failing run leaves an existing output as it was */
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "cp '%s' '%s'", old, cli_tmp("old_copy.png"));
    assert_int_equal(system(cmd), 0);
    assert_int_equal(cli_run("qc '%s' '%s' --out '%s'", PD, CH2, old), 1);
    assert_same_picture(old, cli_tmp("old_copy.png"));
    /* usage errors: exit 2 */
    assert_int_equal(cli_run("qc '%s' '%s'", PD, PD), 2);
    assert_int_equal(cli_run("qc '%s' '%s' --out '%s' --style stripes", PD, PD, out), 2);
    assert_int_equal(cli_run("qc '%s' '%s' --out '%s' --window 99,1", PD, PD, out), 2);
    assert_int_equal(cli_run("qc '%s' --out '%s'", PD, out), 2);
    assert_int_equal(stderr_lines(), 1);
    assert_false(exists(out));
    /* --help states the left-right convention */
    char help[512];
    snprintf(help, sizeof help, "%s", cli_tmp("help.txt"));
    assert_int_equal(cli_run("qc --help >'%s'", help), 0);
    size_t n;
    char *text = cli_slurp(help, &n);
    assert_non_null(strstr(text, "neurological convention"));
    free(text);
    /* no temporary left behind by any of these runs */
    snprintf(cmd, sizeof cmd, "! ls -A '%s' | grep -q omreg-", cli_tmp(""));
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ch2_registered_vs_unregistered),
        cmocka_unit_test(pd_slice_affine_and_syn),
        cmocka_unit_test(bad_pairs_and_options),
    };
    return cmocka_run_group_tests(tests, cli_setup, cli_teardown);
}
