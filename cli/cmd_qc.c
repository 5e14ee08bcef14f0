/* omreg qc STATIC WARPED --out FILE.png: the quality-control picture of a
 * registration (omreg/qc.h) and its edge-overlap score on stdout; also
 * cli_stage_qc, which draws the picture for --out-qc of affine and syn. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "omreg/qc.h"

static const char usage[] =
    "usage: omreg qc STATIC WARPED --out FILE.png [options]\n"
    "\n"
    "Quality-control picture of a registration: STATIC in grey with the edges of\n"
    "WARPED in red over it (or a checkerboard of the two), and the edge-overlap\n"
    "score on stdout. WARPED must be on the STATIC grid (same shape and affine):\n"
    "MOVING resampled by 'omreg affine --out-warped', 'omreg syn --out-warped' or\n"
    "'omreg apply'. 'omreg affine' and 'omreg syn' draw the same picture of\n"
    "their result with --out-qc FILE.png.\n"
    "\n"
    "3D images: three panels left to right, axial, coronal and sagittal, through\n"
    "the centre voxel, sampled on square pixels in world space (RAS+, as NIfTI\n"
    "defines it; linear interpolation), so anisotropic or oblique voxels keep\n"
    "their true proportions: axial with anterior up, coronal and sagittal with\n"
    "superior up, sagittal with anterior on the left. Left-right follows the\n"
    "neurological convention (the patient's right on the picture's right)\n"
    "unless --radiological. The pixel is the smallest voxel spacing, finer when\n"
    "the image would span fewer than 192 pixels, coarser beyond 1024. 2D images\n"
    "(PNG, 2D NIfTI): one panel, first array axis down, as a PNG is shown.\n"
    "Grey levels: each image's own 1st-99th percentile window over the drawn\n"
    "pixels, so a few bright voxels do not darken the picture.\n"
    "\n"
    "  --out FILE          the picture, 8-bit RGB PNG (written whole or not at all)\n"
    "  --style STYLE       edges (default) or checkerboard (squares alternately\n"
    "                      from STATIC and WARPED, each in its own window)\n"
    "  --window LOW,HIGH   the intensity window's percentiles (default 1,99)\n"
    "  --radiological      the patient's right on the picture's left (3D)\n"
    "  --threads N, --backend parallel|reference (the same bytes either way),\n"
    "  --quiet, --help\n"
    "  --wait-policy passive|active|env  how idle threads wait (omreg affine --help)\n"
    "\n"
    "stdout: one line 'edge_overlap S': S is the Pearson correlation, over the\n"
    "drawn pixels inside the grid, between the two images' edge strengths (Sobel\n"
    "gradient magnitude of the windowed intensities): near 1 when the edges\n"
    "coincide, lower the further they are apart, near 0 when unrelated.\n"
    "Exit 1 with one line when an image cannot be read or the grids differ.\n";

typedef struct qc_cli {
    const char *static_path, *warped_path, *out;
    cli_exec e;
    omreg_qc_options opt;
} qc_cli;

/* 0, CLI_HELP or a usage error's exit code; no file is touched */
static int parse_args(int argc, char **argv, qc_cli *c)
{
    enum { O_OUT = 256, O_STYLE, O_WINDOW, O_RADIOLOGICAL };
    static const struct option longopts[] = {
        {"out", required_argument, NULL, O_OUT},
        {"style", required_argument, NULL, O_STYLE},
        {"window", required_argument, NULL, O_WINDOW},
        {"radiological", no_argument, NULL, O_RADIOLOGICAL},
        CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    memset(c, 0, sizeof *c);
    c->e = cli_exec_defaults();
    c->opt = omreg_qc_default_options();
    int opt, rc;
    double window[2];
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        if (cli_common_option(opt, optarg, &c->e, &rc)) {
            if (rc)
                return rc;
            continue;
        }
        switch (opt) {
        case O_OUT: c->out = optarg; break;
        case O_RADIOLOGICAL: c->opt.radiological = 1; break;
        case O_STYLE:
            if (strcmp(optarg, "edges") == 0)
                c->opt.style = OMREG_QC_EDGES;
            else if (strcmp(optarg, "checkerboard") == 0)
                c->opt.style = OMREG_QC_CHECKERBOARD;
            else
                return cli_usage_error("--style: '%s' is neither edges nor checkerboard",
                                       optarg);
            break;
        case O_WINDOW:
            if (cli_parse_double_list(optarg, 0.0, 100.0, window, 2) != 2 ||
                !(window[0] < window[1]))
                return cli_usage_error("--window: '%s' is not LOW,HIGH with 0 <= LOW < HIGH "
                                       "<= 100", optarg);
            c->opt.low_percentile = window[0];
            c->opt.high_percentile = window[1];
            break;
        default: return cli_bad_option("qc", argc, argv);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("qc: expected STATIC and WARPED images, got %d argument%s (see "
                               "omreg qc --help)", argc - optind, argc - optind == 1 ? "" : "s");
    if (c->out == NULL)
        return cli_usage_error("qc: --out FILE.png is required (see omreg qc --help)");
    c->static_path = argv[optind];
    c->warped_path = argv[optind + 1];
    return 0;
}

int cmd_qc_parse_only(int argc, char **argv)
{
    qc_cli c;
    return parse_args(argc, argv, &c);
}

/* Render and stage; *score set on success. 0 or the exit code. */
static int stage_picture(const omreg_backend *backend, const char *path,
                         const omreg_image *stat, const omreg_image *warped,
                         const omreg_qc_options *opt, double *score)
{
    omreg_qc_picture *pic = NULL;
    omreg_status st = omreg_qc_render(backend, stat, warped, opt, &pic);
    if (st != OMREG_OK)
        return cli_status_error("qc", st);
    st = cli_stage_png(path, omreg_qc_picture_width(pic), omreg_qc_picture_height(pic),
                       omreg_qc_picture_rgb(pic));
    *score = omreg_qc_picture_edge_score(pic);
    omreg_qc_picture_free(pic);
    return st == OMREG_OK ? 0 : cli_status_error(path, st);
}

int cli_stage_qc(const omreg_backend *backend, const char *path, const omreg_image *stat,
                 const omreg_image *warped, int quiet)
{
    const omreg_qc_options opt = omreg_qc_default_options();
    double score;
    int rc = stage_picture(backend, path, stat, warped, &opt, &score);
    if (!rc && !quiet)
        fprintf(stderr, "[%7.2fs] QC picture %s: edge_overlap %.6f\n", cli_elapsed(), path,
                score);
    return rc;
}

int cmd_qc(int argc, char **argv)
{
    qc_cli c;
    int rc = parse_args(argc, argv, &c);
    if (rc == CLI_HELP)
        return fputs(usage, stdout), 0;
    if (rc)
        return rc;
    cli_wait_policy_apply(c.e.wait_policy); /* may restart the command, once */
    cli_set_threads(c.e.threads);
    omreg_image *stat = NULL, *warped = NULL;
    double score = 0.0;
    rc = cli_load_image("static", c.static_path, &stat);
    if (!rc)
        rc = cli_load_image("warped", c.warped_path, &warped);
    if (!rc)
        rc = stage_picture(c.e.backend, c.out, stat, warped, &c.opt, &score);
    rc = cli_outputs_finish(rc);
    if (!rc)
        printf("edge_overlap %.6f\n", score);
    omreg_image_free(stat);
    omreg_image_free(warped);
    return rc;
}
