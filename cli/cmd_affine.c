/* omreg affine STATIC MOVING: DIPY's affine pipeline from the command line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"

static const char usage[] =
    "usage: omreg affine STATIC MOVING [options]\n"
    "\n"
    "Affine registration by Parzen-window mutual information (DIPY 1.6\n"
    "AffineRegistration). Finds the matrix A mapping static world coordinates\n"
    "to moving world coordinates, so that MOVING(A x) matches STATIC(x).\n"
    "Images: NIfTI (.nii, .nii.gz) or PNG (.png, 2D); both 2D or both 3D.\n"
    "\n"
    "Outputs:\n"
    "  --out-affine FILE         write A as rows of %.17g (numpy.loadtxt reads it)\n"
    "  --out-warped FILE         write MOVING resampled on the STATIC grid (NIfTI)\n"
    "Stages:\n"
    "  --pipeline LIST           comma list of stages, default com,translation,rigid,affine\n"
    "                            (init: com|centers|origins; transforms: translation,\n"
    "                            rotation, rigid, rigidisoscaling, rigidscaling, scaling,\n"
    "                            affine)\n"
    "  --transform TYPE          a single transform stage (same as --pipeline TYPE)\n"
    "  --starting-affine FILE    start from this matrix (same format as --out-affine)\n"
    "Metric and optimiser (DIPY defaults):\n"
    "  --nbins N                 histogram bins (32)\n"
    "  --sampling-proportion P   sparse sampling of a proportion P in (0, 1] (dense)\n"
    "  --level-iters LIST        iterations per level, coarsest first (10000,1000,100)\n"
    "  --sigmas LIST             smoothing per level in voxels (3,1,0)\n"
    "  --factors LIST            shrink factors per level (4,2,1)\n"
    "  --static-mask FILE        static mask (non-zero = used)\n"
    "  --moving-mask FILE        moving mask\n"
    "Execution:\n"
    "  --threads N               OpenMP threads (default: the runtime's)\n"
    "  --backend NAME            parallel (default) or reference (serial specification)\n"
    "  --quiet                   no progress on stderr\n"
    "  --help                    this text\n";

typedef struct affine_cli {
    const char *static_path, *moving_path, *out_affine, *out_warped, *pipeline;
    const char *starting_affine, *static_mask, *moving_mask;
    const omreg_backend *backend;
    int threads, quiet;
    omreg_affine_options opt;
} affine_cli;

static void progress(void *ctx, const omreg_affine_progress *p)
{
    const affine_cli *c = ctx;
    if (c->quiet)
        return;
    if (p->event == 1)
        fprintf(stderr, "[%7.2fs] %s: level %d (max %d evaluations)\n", cli_elapsed(), p->stage,
                p->level, p->max_iter);
    else if (p->event == 0 && p->evaluation % 25 == 0)
        fprintf(stderr, "[%7.2fs] %s: level %d evaluation %d MI %.6f\n", cli_elapsed(), p->stage,
                p->level, p->evaluation, p->mi);
    else if (p->event == 2)
        fprintf(stderr, "[%7.2fs] %s: level %d done: %d evaluations, %d iterations, MI %.6f (%s)\n",
                cli_elapsed(), p->stage, p->level, p->evaluation, p->iterations, p->mi,
                p->stop_reason ? p->stop_reason : "no iterations");
}

static int parse_args(int argc, char **argv, affine_cli *c)
{
    enum { O_OUT_AFFINE = 256, O_OUT_WARPED, O_PIPELINE, O_TRANSFORM, O_START, O_NBINS,
           O_SAMPLING, O_ITERS, O_SIGMAS, O_FACTORS, O_SMASK, O_MMASK, O_THREADS, O_BACKEND,
           O_QUIET, O_HELP };
    static const struct option longopts[] = {
        {"out-affine", required_argument, NULL, O_OUT_AFFINE},
        {"out-warped", required_argument, NULL, O_OUT_WARPED},
        {"pipeline", required_argument, NULL, O_PIPELINE},
        {"transform", required_argument, NULL, O_TRANSFORM},
        {"starting-affine", required_argument, NULL, O_START},
        {"nbins", required_argument, NULL, O_NBINS},
        {"sampling-proportion", required_argument, NULL, O_SAMPLING},
        {"level-iters", required_argument, NULL, O_ITERS},
        {"sigmas", required_argument, NULL, O_SIGMAS},
        {"factors", required_argument, NULL, O_FACTORS},
        {"static-mask", required_argument, NULL, O_SMASK},
        {"moving-mask", required_argument, NULL, O_MMASK},
        {"threads", required_argument, NULL, O_THREADS},
        {"backend", required_argument, NULL, O_BACKEND},
        {"quiet", no_argument, NULL, O_QUIET},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    int n_iters = -1, n_sigmas = -1, n_factors = -1, opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        switch (opt) {
        case O_OUT_AFFINE: c->out_affine = optarg; break;
        case O_OUT_WARPED: c->out_warped = optarg; break;
        case O_PIPELINE:
        case O_TRANSFORM: c->pipeline = optarg; break;
        case O_START: c->starting_affine = optarg; break;
        case O_SMASK: c->static_mask = optarg; break;
        case O_MMASK: c->moving_mask = optarg; break;
        case O_NBINS:
            if (!cli_parse_int(optarg, 5, 4096, &c->opt.nbins))
                return cli_usage_error("--nbins: '%s' is not an integer in 5..4096", optarg);
            break;
        case O_SAMPLING:
            if (!cli_parse_double(optarg, 0.0, 1.0, &c->opt.sampling_proportion) ||
                c->opt.sampling_proportion <= 0.0)
                return cli_usage_error("--sampling-proportion: '%s' is not in (0, 1]", optarg);
            break;
        case O_ITERS:
            if ((n_iters = cli_parse_int_list(optarg, 0, 1000000, c->opt.level_iters,
                                              OMREG_AFFINE_MAX_LEVELS)) < 0)
                return cli_usage_error("--level-iters: '%s' is not a list of integers >= 0",
                                       optarg);
            break;
        case O_SIGMAS:
            if ((n_sigmas = cli_parse_double_list(optarg, 0.0, 1e6, c->opt.sigmas,
                                                  OMREG_AFFINE_MAX_LEVELS)) < 0)
                return cli_usage_error("--sigmas: '%s' is not a list of numbers >= 0", optarg);
            break;
        case O_FACTORS:
            if ((n_factors = cli_parse_int_list(optarg, 1, 1024, c->opt.factors,
                                                OMREG_AFFINE_MAX_LEVELS)) < 0)
                return cli_usage_error("--factors: '%s' is not a list of integers >= 1", optarg);
            break;
        case O_THREADS:
            if (!cli_parse_int(optarg, 1, 4096, &c->threads))
                return cli_usage_error("--threads: '%s' is not an integer >= 1", optarg);
            break;
        case O_BACKEND:
            if (!cli_select_backend(optarg, &c->backend))
                return cli_usage_error("--backend: '%s' is neither parallel nor reference",
                                       optarg);
            break;
        case 'q':
        case O_QUIET: c->quiet = 1; break;
        case 'h':
        case O_HELP: fputs(usage, stdout); exit(0);
        default:
            return cli_usage_error("affine: unknown or incomplete option '%s' (see omreg affine "
                                   "--help)", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("affine: expected STATIC and MOVING images, got %d argument%s "
                               "(see omreg affine --help)", argc - optind,
                               argc - optind == 1 ? "" : "s");
    c->static_path = argv[optind];
    c->moving_path = argv[optind + 1];
    /* level lists must agree; a list given alone sets the number of levels */
    int n = n_iters > 0 ? n_iters : n_sigmas > 0 ? n_sigmas : n_factors > 0 ? n_factors : 3;
    if ((n_iters > 0 && n_iters != n) || (n_sigmas > 0 && n_sigmas != n) ||
        (n_factors > 0 && n_factors != n))
        return cli_usage_error("--level-iters, --sigmas and --factors have different lengths "
                               "(%d, %d, %d)", n_iters, n_sigmas, n_factors);
    if (n != 3 && (n_iters < 0 || n_sigmas < 0 || n_factors < 0))
        return cli_usage_error("with %d levels give all of --level-iters, --sigmas and "
                               "--factors", n);
    c->opt.nlevels = n;
    return 0;
}

static int load(const char *what, const char *path, omreg_image **out)
{
    omreg_status st = cli_read_image(path, out);
    if (st != OMREG_OK) {
        char label[256];
        snprintf(label, sizeof label, "%s image %s", what, path);
        return cli_status_error(label, st);
    }
    return 0;
}

int cmd_affine(int argc, char **argv)
{
    affine_cli c;
    memset(&c, 0, sizeof c);
    c.backend = omreg_backend_parallel();
    c.pipeline = "com,translation,rigid,affine";
    c.opt = omreg_affine_default_options();
    int rc = parse_args(argc, argv, &c);
    if (rc)
        return rc;
    c.opt.progress = progress;
    c.opt.progress_ctx = &c;
    cli_set_threads(c.threads);
    cli_elapsed();
    omreg_affine_pipeline_step steps[16];
    int nsteps;
    if (omreg_affine_pipeline_parse(c.pipeline, steps, 16, &nsteps) != OMREG_OK)
        return cli_usage_error("--pipeline: %s", omreg_last_error());

    omreg_image *stat = NULL, *mov = NULL, *smask = NULL, *mmask = NULL, *warped = NULL;
    rc = load("static", c.static_path, &stat);
    if (!rc)
        rc = load("moving", c.moving_path, &mov);
    if (!rc && c.static_mask)
        rc = load("static mask", c.static_mask, &smask);
    if (!rc && c.moving_mask)
        rc = load("moving mask", c.moving_mask, &mmask);
    int dim = stat ? omreg_image_ndim(stat) : 3, n1 = dim + 1;
    double start[16], *startp = NULL;
    if (!rc && c.starting_affine) {
        omreg_status st = cli_read_matrix(c.starting_affine, n1, start);
        if (st != OMREG_OK)
            rc = cli_error("--starting-affine %s: not a %dx%d matrix of finite numbers",
                           c.starting_affine, n1, n1);
        startp = start;
    }
    omreg_affine_result res;
    if (!rc) {
        if (!c.quiet)
            fprintf(stderr, "omreg affine: %s -> %s, pipeline %s, backend %s\n", c.moving_path,
                    c.static_path, c.pipeline, omreg_backend_name(c.backend));
        omreg_status st = omreg_affine_pipeline(c.backend, stat, mov, smask, mmask, steps, nsteps,
                                                startp, &c.opt, &res);
        if (st != OMREG_OK)
            rc = cli_status_error("registration failed", st);
    }
    if (!rc && c.out_warped) {
        omreg_status st = omreg_affine_map_transform(c.backend, res.affine, 0, mov,
                                                     omreg_image_shape(stat),
                                                     omreg_image_grid2world(stat), 0, &warped);
        if (st == OMREG_OK)
            st = cli_write_image(c.out_warped, warped);
        if (st != OMREG_OK)
            rc = cli_status_error(c.out_warped, st);
    }
    if (!rc && c.out_affine && cli_write_matrix(c.out_affine, n1, res.affine) != OMREG_OK)
        rc = cli_error("%s: cannot write the affine", c.out_affine);
    if (!rc) {
        for (int r = 0; r < n1; ++r)
            for (int k = 0; k < n1; ++k)
                printf("%.17g%c", res.affine[r * n1 + k], k + 1 < n1 ? ' ' : '\n');
        if (!c.quiet)
            fprintf(stderr, "[%7.2fs] done: %d metric evaluations, final MI %.6f\n",
                    cli_elapsed(), res.evaluations, res.mi);
    }
    omreg_image_free(stat);
    omreg_image_free(mov);
    omreg_image_free(smask);
    omreg_image_free(mmask);
    omreg_image_free(warped);
    return rc;
}
