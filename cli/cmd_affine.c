/* omreg affine STATIC MOVING: DIPY's affine pipeline from the command line. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_provenance.h"
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
    "  --out-qc FILE.png         QC picture of the result: slices of STATIC with the\n"
    "                            edges of the warped MOVING over them (see omreg qc)\n"
    "  --out-itk-affine FILE     write A as an ITK transform (AffineTransform_double_3_3,\n"
    "                            LPS, fixed -> moving point; ANTs, ITK-SNAP, Slicer)\n"
    "  --out-elastix FILE        write A as an elastix TransformParameters file on the\n"
    "                            STATIC grid (transformix -tp FILE -in MOVING)\n"
    "  --out-json FILE           provenance record: resolved options, version, inputs'\n"
    "                            and outputs' SHA-256, per-level evaluations, timings\n"
    "Stages:\n"
    "  --pipeline LIST           comma list of stages, default com,translation,rigid,affine\n"
    "                            (com,affine with --mode fast)\n"
    "                            (init: com|centers|origins; transforms: translation,\n"
    "                            rotation, rigid, rigidisoscaling, rigidscaling, scaling,\n"
    "                            affine)\n"
    "  --transform TYPE          a single transform stage (same as --pipeline TYPE)\n"
    "  --starting-affine FILE    start from this affine: rows of numbers as --out-affine\n"
    "                            writes, an ITK transform or an elastix parameter file\n"
    "                            (detected by content)\n"
    "Metric and optimiser (DIPY defaults):\n"
    "  --nbins N                 histogram bins (32; 64 with --mode fast)\n"
    "  --sampling-proportion P   sparse sampling of a proportion P in (0, 1] (dense)\n"
    "  --level-iters LIST        iterations per level, coarsest first (10000,1000,100)\n"
    "  --sigmas LIST             smoothing per level in voxels (3,1,0)\n"
    "  --factors LIST            shrink factors per level (4,2,1)\n"
    "  --static-mask FILE        static mask (non-zero = used)\n"
    "  --moving-mask FILE        moving mask\n"
    "Beyond DIPY:\n"
    "  --restarts N              restart L-BFGS-B up to N times per level when it stalls\n"
    "                            (tiny relative decrease or failed line search) within the\n"
    "                            level's evaluation budget; 0 (default) is DIPY's optimiser\n"
    "  --mode dipy|fast          dipy (default): DIPY's dense MI and L-BFGS-B, DIPY's bits;\n"
    "                            fast: a fresh random sample of points per iteration,\n"
    "                            Mattes MI with the moving gradient precomputed per level,\n"
    "                            Adam on mm-scaled parameters (--level-iters, --restarts and\n"
    "                            --sampling-proportion are dipy's; see README, fast mode)\n"
    "  --seed N                  fast mode's random samples (default 0): the same seed\n"
    "                            gives the same result at any thread count\n"
    "  --fast-samples N          fast mode: sample points per iteration (2048)\n"
    "  --fast-iterations N       fast mode: iterations per level (256)\n"
    "Execution:\n"
    "  --threads N               OpenMP threads (default: the runtime's)\n"
    "  --backend NAME            parallel (default) or reference (serial specification)\n"
    CLI_WAIT_POLICY_HELP
    "  --quiet                   no progress on stderr\n"
    "  --help                    this text\n";

typedef struct affine_cli {
    const char *static_path, *moving_path, *out_affine, *out_warped, *out_qc, *pipeline;
    const char *starting_affine, *static_mask, *moving_mask;
    cli_itk_outputs itk;
    cli_exec e;
    omreg_affine_options opt;
    omreg_affine_pipeline_step steps[16];
    int nsteps;
    cli_provenance prov; /* --out-json */
} affine_cli;

static int progress(void *ctx, const omreg_affine_progress *p)
{
    affine_cli *c = ctx;
    if (p->event == 1)
        cli_prov_level_start(&c->prov, p->stage, p->level, p->max_iter);
    else if (p->event == 2)
        cli_prov_level_end(&c->prov, p->evaluation, p->iterations, p->mi, p->stop_reason);
    if (c->e.quiet)
        return 0;
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
    return 0;
}

/* 0, CLI_HELP or a usage error's exit code; no file is touched */
static int parse_args(int argc, char **argv, affine_cli *c)
{
    enum { O_OUT_AFFINE = 256, O_OUT_WARPED, O_PIPELINE, O_TRANSFORM, O_START, O_NBINS,
           O_SAMPLING, O_ITERS, O_SIGMAS, O_FACTORS, O_SMASK, O_MMASK, O_RESTARTS,
           O_OUT_ITK, O_OUT_ELASTIX, O_OUT_JSON, O_OUT_QC, O_MODE, O_SEED, O_FAST_SAMPLES,
           O_FAST_ITERS };
    static const struct option longopts[] = {
        {"out-affine", required_argument, NULL, O_OUT_AFFINE},
        {"out-warped", required_argument, NULL, O_OUT_WARPED},
        {"out-qc", required_argument, NULL, O_OUT_QC},
        {"out-itk-affine", required_argument, NULL, O_OUT_ITK},
        {"out-elastix", required_argument, NULL, O_OUT_ELASTIX},
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
        {"restarts", required_argument, NULL, O_RESTARTS},
        {"out-json", required_argument, NULL, O_OUT_JSON},
        {"mode", required_argument, NULL, O_MODE},
        {"seed", required_argument, NULL, O_SEED},
        {"fast-samples", required_argument, NULL, O_FAST_SAMPLES},
        {"fast-iterations", required_argument, NULL, O_FAST_ITERS},
        CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    memset(c, 0, sizeof *c);
    c->e = cli_exec_defaults();
    c->pipeline = NULL; /* the mode's default chain, below */
    c->opt = omreg_affine_default_options();
    int n_iters = -1, n_sigmas = -1, n_factors = -1, opt, rc, nbins_given = 0;
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        if (cli_common_option(opt, optarg, &c->e, &rc)) {
            if (rc)
                return rc;
            continue;
        }
        switch (opt) {
        case O_OUT_AFFINE: c->out_affine = optarg; break;
        case O_OUT_WARPED: c->out_warped = optarg; break;
        case O_OUT_QC: c->out_qc = optarg; break;
        case O_OUT_ITK: c->itk.itk_affine = optarg; break;
        case O_OUT_ELASTIX: c->itk.elastix = optarg; break;
        case O_OUT_JSON: c->prov.path = optarg; break;
        case O_PIPELINE:
        case O_TRANSFORM: c->pipeline = optarg; break;
        case O_START: c->starting_affine = optarg; break;
        case O_SMASK: c->static_mask = optarg; break;
        case O_MMASK: c->moving_mask = optarg; break;
        case O_NBINS: {
            int *nbins = &c->opt.nbins;
            nbins_given = 1;
#ifdef OMREG_CANARY_CLI_OPTION_DROPPED
            int parsed_only; /* planted (ci/canaries.tsv): checked, never used */
            nbins = &parsed_only;
#endif
            if (!cli_parse_int(optarg, 5, 4096, nbins))
                return cli_usage_error("--nbins: '%s' is not an integer in 5..4096", optarg);
            break;
        }
        case O_RESTARTS:
            if (!cli_parse_int(optarg, 0, 1000, &c->opt.restarts))
                return cli_usage_error("--restarts: '%s' is not an integer in 0..1000", optarg);
            break;
        case O_MODE:
            if (strcmp(optarg, "dipy") == 0)
                c->opt.mode = OMREG_AFFINE_MODE_DIPY;
            else if (strcmp(optarg, "fast") == 0)
                c->opt.mode = OMREG_AFFINE_MODE_FAST;
            else
                return cli_usage_error("--mode: '%s' is neither dipy nor fast", optarg);
            break;
        case O_SEED: {
            int seed;
            if (!cli_parse_int(optarg, 0, 2147483647, &seed))
                return cli_usage_error("--seed: '%s' is not an integer in 0..2147483647", optarg);
            c->opt.seed = (uint64_t)seed;
            break;
        }
        case O_FAST_SAMPLES:
            if (!cli_parse_int(optarg, 1, 100000000, &c->opt.fast_samples))
                return cli_usage_error("--fast-samples: '%s' is not an integer in 1..100000000",
                                       optarg);
            break;
        case O_FAST_ITERS:
            if (!cli_parse_int(optarg, 1, 1000000, &c->opt.fast_iterations))
                return cli_usage_error("--fast-iterations: '%s' is not an integer in 1..1000000",
                                       optarg);
            break;
        case O_SAMPLING:
            if (!cli_parse_double(optarg, 0.0, 1.0, &c->opt.sampling_proportion) ||
                c->opt.sampling_proportion <= 0.0)
                return cli_usage_error("--sampling-proportion: '%s' is not in (0, 1]", optarg);
            break;
        case O_ITERS:
            if ((rc = cli_parse_level_iters(optarg, c->opt.level_iters, OMREG_AFFINE_MAX_LEVELS,
                                            &n_iters)) != 0)
                return rc;
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
        default: return cli_bad_option("affine", argc, argv);
        }
    }
    if ((rc = cli_expect_pair("affine", argc, optind)) != 0)
        return rc;
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
    /* fast mode optimises the full affine directly from the centre of mass
     * (as elastix does): its scaled Adam steps need no translation and
     * rigid warm-up, which would only rebuild the scale spaces twice */
    if (c->pipeline == NULL)
        c->pipeline = c->opt.mode == OMREG_AFFINE_MODE_FAST ? "com,affine"
                                                            : "com,translation,rigid,affine";
    /* fast mode's histogram: 64 bins measured 0.035-0.039 mm mean error on
     * the 2 mm demo case where 32 gave 0.064 (README, fast mode) */
    if (c->opt.mode == OMREG_AFFINE_MODE_FAST && !nbins_given)
        c->opt.nbins = 64;
    if (omreg_affine_pipeline_parse(c->pipeline, c->steps, 16, &c->nsteps) != OMREG_OK)
        return cli_usage_error("--pipeline: %s", omreg_last_error());
    return 0;
}

int cmd_affine_parse_only(int argc, char **argv)
{
    affine_cli c;
    return parse_args(argc, argv, &c);
}

/* what the provenance record writes (--out-json) */
typedef struct affine_record {
    const affine_cli *c;
    const omreg_affine_result *res;
    int n1;
} affine_record;

static void record_options(cli_json *j, const void *ctx)
{
    const affine_cli *c = ((const affine_record *)ctx)->c;
    const omreg_affine_options *o = &c->opt;
    cli_json_string(j, "out-affine", c->out_affine);
    cli_json_string(j, "out-warped", c->out_warped);
    cli_json_string(j, "out-qc", c->out_qc);
    cli_json_string(j, "out-itk-affine", c->itk.itk_affine);
    cli_json_string(j, "out-elastix", c->itk.elastix);
    cli_json_string(j, "pipeline", c->pipeline);
    cli_json_string(j, "starting-affine", c->starting_affine);
    cli_json_int(j, "nbins", o->nbins);
    if (o->sampling_proportion > 0)
        cli_json_double(j, "sampling-proportion", o->sampling_proportion);
    else
        cli_json_null(j, "sampling-proportion"); /* dense */
    cli_json_int_array(j, "level-iters", o->level_iters, o->nlevels);
    cli_json_double_array(j, "sigmas", o->sigmas, o->nlevels);
    cli_json_int_array(j, "factors", o->factors, o->nlevels);
    cli_json_string(j, "static-mask", c->static_mask);
    cli_json_string(j, "moving-mask", c->moving_mask);
    cli_json_int(j, "restarts", o->restarts);
    cli_json_string(j, "mode", o->mode == OMREG_AFFINE_MODE_FAST ? "fast" : "dipy");
    cli_json_int(j, "seed", (long long)o->seed);
    cli_json_int(j, "fast-samples", o->fast_samples > 0 ? o->fast_samples : 2048);
    cli_json_int(j, "fast-iterations", o->fast_iterations > 0 ? o->fast_iterations : 256);
    /* library settings without an option, recorded as resolved */
    cli_json_int(j, "sampling-seed", (long long)o->sampling_seed);
    cli_json_double(j, "ss-sigma-factor", o->ss_sigma_factor);
    cli_json_double(j, "gtol", o->gtol);
}

static void record_result(cli_json *j, const void *ctx)
{
    const affine_record *r = ctx;
    cli_json_double_array(j, "affine", r->res->affine, r->n1 * r->n1);
    cli_json_double(j, "mi", r->res->mi);
    cli_json_int(j, "evaluations", r->res->evaluations);
}

int cmd_affine(int argc, char **argv)
{
    affine_cli c;
    int rc = parse_args(argc, argv, &c);
    if (rc == CLI_HELP)
        return fputs(usage, stdout), 0;
    if (rc)
        return rc;
    c.opt.progress = progress;
    c.opt.progress_ctx = &c;
    /* the registration's fixed count (0: the runtime's), and OpenMP's for
     * the loops without per-thread buffers */
    cli_wait_policy_apply(c.e.wait_policy); /* may restart the command, once */
    c.opt.threads = c.e.threads;
    cli_set_threads(c.e.threads);
    cli_elapsed();

    omreg_image *stat = NULL, *mov = NULL, *smask = NULL, *mmask = NULL, *warped = NULL;
    rc = cli_load_pair("affine", c.static_path, c.moving_path, &stat, &mov);
    if (!rc && c.static_mask)
        rc = cli_load_image("static mask", c.static_mask, &smask);
    if (!rc && smask)
        rc = cli_check_same_grid("--static-mask", c.static_mask, smask, "STATIC", stat);
    if (!rc && c.moving_mask)
        rc = cli_load_image("moving mask", c.moving_mask, &mmask);
    if (!rc && mmask)
        rc = cli_check_same_grid("--moving-mask", c.moving_mask, mmask, "MOVING", mov);
    if (!rc)
        rc = cli_prov_input(&c.prov, "static", c.static_path) ||
             cli_prov_input(&c.prov, "moving", c.moving_path) ||
             cli_prov_input(&c.prov, "static-mask", c.static_mask) ||
             cli_prov_input(&c.prov, "moving-mask", c.moving_mask) ||
             cli_prov_input(&c.prov, "starting-affine", c.starting_affine);
    c.prov.load_seconds = cli_elapsed();
    int dim = stat ? omreg_image_ndim(stat) : 3, n1 = dim + 1;
    double start[16], *startp = NULL;
    if (!rc && c.starting_affine) {
        rc = cli_read_affine("--starting-affine", c.starting_affine, dim, start);
        startp = start;
    }
    omreg_affine_result res;
    if (!rc) {
        if (!c.e.quiet)
            fprintf(stderr, "omreg affine: %s -> %s, pipeline %s, backend %s\n", c.moving_path,
                    c.static_path, c.pipeline, omreg_backend_name(c.e.backend));
        omreg_status st = omreg_affine_pipeline(c.e.backend, stat, mov, smask, mmask, c.steps,
                                                c.nsteps, startp, &c.opt, &res);
        if (st != OMREG_OK)
            rc = cli_status_error("registration failed", st);
        c.prov.register_seconds = cli_elapsed() - c.prov.load_seconds;
    }
    /* every output is staged whole, then all are renamed into place */
    if (!rc && (c.out_warped || c.out_qc)) {
        omreg_status st = omreg_affine_map_transform(c.e.backend, res.affine, 0, mov,
                                                     omreg_image_shape(stat),
                                                     omreg_image_grid2world(stat), 0, &warped);
        if (st != OMREG_OK)
            rc = cli_status_error("warping MOVING", st);
    }
    if (!rc && c.out_warped) {
        omreg_status st = cli_stage_image(c.e.backend, c.out_warped, warped);
#ifdef OMREG_CANARY_CLI_COMMIT_EARLY
        if (st == OMREG_OK) /* planted (ci/canaries.tsv): in place before the affine is */
            st = cli_outputs_commit();
#endif
        if (st != OMREG_OK)
            rc = cli_status_error(c.out_warped, st);
    }
    if (!rc && c.out_qc)
        rc = cli_stage_qc(c.e.backend, c.out_qc, stat, warped, c.e.quiet);
    if (!rc && c.out_affine && cli_stage_matrix(c.out_affine, n1, res.affine) != OMREG_OK)
        rc = cli_error("%s: cannot write the affine", c.out_affine);
    if (!rc)
        rc = cli_stage_itk_outputs(c.e.backend, &c.itk, dim, stat, res.affine, NULL);
    const affine_record record = {&c, &res, n1};
    if (!rc)
        rc = cli_prov_stage(&c.prov, "affine", &c.e, record_options, record_result, &record);
    rc = cli_outputs_finish(rc);
    if (!rc) {
        for (int r = 0; r < n1; ++r)
            for (int k = 0; k < n1; ++k)
                printf("%.17g%c", res.affine[r * n1 + k], k + 1 < n1 ? ' ' : '\n');
        if (!c.e.quiet)
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
