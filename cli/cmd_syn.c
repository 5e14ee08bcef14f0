/* omreg syn STATIC MOVING: DIPY's dipy_align_syn (SynRegistrationFlow) from
 * the command line: symmetric diffeomorphic registration with the CC, SSD
 * or EM metric, writing the warped moving image and the displacement
 * fields as the DIPY workflow does. */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cli_provenance.h"
#include "omreg/diffeomap.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"
#include "omreg/syn.h"

static const char usage[] =
    "usage: omreg syn STATIC MOVING [options]\n"
    "\n"
    "Symmetric diffeomorphic registration (DIPY 1.6 SyN,\n"
    "SymmetricDiffeomorphicRegistration) of MOVING to STATIC. Images: NIfTI\n"
    "(.nii, .nii.gz) or PNG (.png, 2D); both 2D or both 3D. Pass the result\n"
    "of 'omreg affine --out-affine' as --prealign when the images are not\n"
    "already aligned.\n"
    "\n"
    "Outputs (each written whole or not at all):\n"
    "  --out-warped FILE         MOVING warped onto the STATIC grid (float32 NIfTI)\n"
    "  --out-inverse-warped FILE STATIC warped onto the MOVING grid\n"
    "  --out-qc FILE.png         QC picture of the result: slices of STATIC with the\n"
    "                            edges of the warped MOVING over them (see omreg qc)\n"
    "  --out-json FILE           provenance record: resolved options, version, inputs'\n"
    "                            and outputs' SHA-256, per-level iterations, timings\n"
    "  --out-field FILE          the map's displacement fields in world mm, as\n"
    "                            dipy_align_syn writes them: shape (X, Y, Z, 3, 2)\n"
    "                            ((X, Y, 2, 2) in 2D), [..., 0] forward, [..., 1]\n"
    "                            backward, on the STATIC grid, with DIPY's NIfTI\n"
    "                            affine: the STATIC world-to-grid matrix (the\n"
    "                            inverse of STATIC's affine; dipy_apply_transform\n"
    "                            inverts it back)\n"
    "  --out-itk-warp FILE       the field that warps MOVING onto STATIC ([..., 1] of\n"
    "                            --out-field) as an ITK/ANTs displacement field: 5D\n"
    "                            NIfTI (X, Y, Z, 1, 3), intent vector, LPS components,\n"
    "                            STATIC grid; a fixed point x maps to A (x + v(x))\n"
    "                            (ANTs: -t PREALIGN_ITK -t FILE)\n"
    "  --out-itk-affine FILE     the prealign A as an ITK transform (identity if none)\n"
    "  --out-elastix FILE        transformix parameters on the STATIC grid: a\n"
    "                            DeformationFieldTransform naming --out-itk-warp (needed);\n"
    "                            with --prealign, FILE is the AffineTransform chained to\n"
    "                            FILE's sibling <FILE without .txt>.warp.txt, the field\n"
    "Registration (DIPY's workflow defaults):\n"
    "  --prealign FILE           affine static world -> moving world: rows of numbers,\n"
    "                            an ITK transform or an elastix parameter file\n"
    "  --level-iters LIST        iterations per level, coarsest first (10,10,5)\n"
    "  --step-length L           largest update per iteration, mm (0.25)\n"
    "  --ss-sigma-factor F       scale-space smoothing factor (0.2)\n"
    "  --opt-tol T               stop a level when the energy derivative <= T (1e-5)\n"
    "  --inv-iter N              fixed-point inversion iterations (20)\n"
    "  --inv-tol T               inversion tolerance (1e-3)\n"
    "Metric:\n"
    "  --metric cc|ssd|em        similarity metric (cc)\n"
    "  --cc-radius R             CC window radius (4)\n"
    "  --sigma-diff S            CC step smoothing, voxels (2.0)\n"
    "  --ssd-smooth S            SSD smoothness (4.0)\n"
    "  --em-smooth S             EM smoothness (1.0)\n"
    "  --inner-iter N            SSD/EM Gauss-Seidel sweeps per level (SSD 10, EM 5)\n"
    "  --em-q-levels N           EM quantisation levels (256)\n"
    "  --em-no-double-gradient   EM: do not add the expected image's gradient\n"
    "  --step-type TYPE          SSD/EM step: demons or gauss_newton\n"
    "                            (SSD demons, EM gauss_newton)\n"
    "  --gs-order ORDER          gauss_newton's Gauss-Seidel order: lexicographic\n"
    "                            (DIPY's, default) or red-black\n"
    "Execution:\n"
    "  --mode dipy|fast          dipy (default): DIPY's arithmetic, DIPY's bits; fast:\n"
    "                            beyond DIPY for speed (CC: window sums by parallel\n"
    "                            box sums, same windows, not DIPY's rounding; ssd and\n"
    "                            em run as in dipy mode); same bits at any threads\n"
    "  --threads N               OpenMP threads (default: the runtime's)\n"
    "  --backend NAME            parallel (default) or reference (serial specification)\n"
    CLI_WAIT_POLICY_HELP
    "  --quiet                   no progress on stderr\n"
    "  --help                    this text\n";

typedef struct syn_cli {
    const char *static_path, *moving_path, *prealign_path;
    const char *out_warped, *out_inverse_warped, *out_field, *out_qc;
    cli_itk_outputs itk;
    cli_exec e;
    omreg_syn_options opt;
    cli_provenance prov; /* --out-json */
} syn_cli;

static int progress(void *ctx, const omreg_syn_progress *p)
{
    syn_cli *c = ctx;
    if (p->event == 1)
        cli_prov_level_start(&c->prov, "syn", p->level, p->max_iter);
    else if (p->event == 0)
        cli_prov_level_metric(&c->prov, p->energy, p->derivative);
    else if (p->event == 2)
        cli_prov_level_end(&c->prov, p->iteration, p->iteration,
                           c->prov.nlevels ? c->prov.levels[c->prov.nlevels - 1].metric : NAN,
                           p->iteration < p->max_iter ? "converged" : "iterations exhausted");
    if (c->e.quiet)
        return 0;
    if (p->event == 1)
        fprintf(stderr, "[%7.2fs] level %d: up to %d iterations\n", cli_elapsed(), p->level,
                p->max_iter);
    else if (p->event == 0) {
        fprintf(stderr, "[%7.2fs] level %d iteration %d: energy %.6f", cli_elapsed(), p->level,
                p->iteration, p->energy);
        if (isfinite(p->derivative))
            fprintf(stderr, ", derivative %.3g", p->derivative);
        fputc('\n', stderr);
    } else if (p->event == 2)
        fprintf(stderr, "[%7.2fs] level %d done: %d iteration%s%s\n", cli_elapsed(), p->level,
                p->iteration, p->iteration == 1 ? "" : "s",
                p->iteration < p->max_iter ? " (converged)" : "");
    return 0;
}

/* "smooth" options are per metric; remember which were given */
typedef struct given {
    double ssd_smooth, em_smooth;
    int inner_iter, step_type, gs_order;
    int has_ssd_smooth, has_em_smooth, has_inner_iter, has_step_type, has_gs_order;
} given;

/* 0, CLI_HELP or a usage error's exit code; no file is touched */
static int parse_args(int argc, char **argv, syn_cli *c)
{
    enum { O_PREALIGN = 256, O_ITERS, O_STEP_LENGTH, O_SS_SIGMA, O_OPT_TOL, O_INV_ITER,
           O_INV_TOL, O_METRIC, O_CC_RADIUS, O_SIGMA_DIFF, O_SSD_SMOOTH, O_EM_SMOOTH,
           O_INNER_ITER, O_Q_LEVELS, O_NO_DOUBLE, O_STEP_TYPE, O_OUT_WARPED, O_OUT_INVERSE,
           O_OUT_FIELD, O_OUT_ITK_WARP, O_OUT_ITK_AFFINE, O_OUT_ELASTIX, O_OUT_JSON, O_OUT_QC,
           O_GS_ORDER, O_MODE };
    static const struct option longopts[] = {
        {"prealign", required_argument, NULL, O_PREALIGN},
        {"level-iters", required_argument, NULL, O_ITERS},
        {"step-length", required_argument, NULL, O_STEP_LENGTH},
        {"ss-sigma-factor", required_argument, NULL, O_SS_SIGMA},
        {"opt-tol", required_argument, NULL, O_OPT_TOL},
        {"inv-iter", required_argument, NULL, O_INV_ITER},
        {"inv-tol", required_argument, NULL, O_INV_TOL},
        {"metric", required_argument, NULL, O_METRIC},
        {"cc-radius", required_argument, NULL, O_CC_RADIUS},
        {"sigma-diff", required_argument, NULL, O_SIGMA_DIFF},
        {"ssd-smooth", required_argument, NULL, O_SSD_SMOOTH},
        {"em-smooth", required_argument, NULL, O_EM_SMOOTH},
        {"inner-iter", required_argument, NULL, O_INNER_ITER},
        {"em-q-levels", required_argument, NULL, O_Q_LEVELS},
        {"em-no-double-gradient", no_argument, NULL, O_NO_DOUBLE},
        {"step-type", required_argument, NULL, O_STEP_TYPE},
        {"gs-order", required_argument, NULL, O_GS_ORDER},
        {"mode", required_argument, NULL, O_MODE},
        {"out-warped", required_argument, NULL, O_OUT_WARPED},
        {"out-inverse-warped", required_argument, NULL, O_OUT_INVERSE},
        {"out-field", required_argument, NULL, O_OUT_FIELD},
        {"out-qc", required_argument, NULL, O_OUT_QC},
        {"out-itk-warp", required_argument, NULL, O_OUT_ITK_WARP},
        {"out-itk-affine", required_argument, NULL, O_OUT_ITK_AFFINE},
        {"out-elastix", required_argument, NULL, O_OUT_ELASTIX},
        {"out-json", required_argument, NULL, O_OUT_JSON},
        CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    omreg_syn_metric_type metric = OMREG_SYN_CC;
    int radius = 4, q_levels = 256, double_gradient = 1, n_iters = 3, opt, rc;
    int level_iters[OMREG_SYN_MAX_LEVELS] = {10, 10, 5};
    double sigma_diff = 2.0, step_length = 0.25, ss_sigma = 0.2, opt_tol = 1e-5, inv_tol = 1e-3;
    int inv_iter = 20, mode = OMREG_SYN_MODE_DIPY;
    given g;
    memset(&g, 0, sizeof g);
    memset(c, 0, sizeof *c);
    c->e = cli_exec_defaults();
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        if (cli_common_option(opt, optarg, &c->e, &rc)) {
            if (rc)
                return rc;
            continue;
        }
        switch (opt) {
        case O_PREALIGN: c->prealign_path = optarg; break;
        case O_OUT_WARPED: c->out_warped = optarg; break;
        case O_OUT_INVERSE: c->out_inverse_warped = optarg; break;
        case O_OUT_FIELD: c->out_field = optarg; break;
        case O_OUT_QC: c->out_qc = optarg; break;
        case O_OUT_ITK_WARP: c->itk.itk_warp = optarg; break;
        case O_OUT_ITK_AFFINE: c->itk.itk_affine = optarg; break;
        case O_OUT_ELASTIX: c->itk.elastix = optarg; break;
        case O_OUT_JSON: c->prov.path = optarg; break;
        case O_ITERS:
            if ((rc = cli_parse_level_iters(optarg, level_iters, OMREG_SYN_MAX_LEVELS,
                                            &n_iters)) != 0)
                return rc;
            break;
        case O_STEP_LENGTH:
            if (!cli_parse_double(optarg, 0.0, 1e6, &step_length) || !(step_length > 0))
                return cli_usage_error("--step-length: '%s' is not a number > 0", optarg);
            break;
        case O_SS_SIGMA:
            if (!cli_parse_double(optarg, 0.0, 1e6, &ss_sigma))
                return cli_usage_error("--ss-sigma-factor: '%s' is not a number >= 0", optarg);
            break;
        case O_OPT_TOL:
            if (!cli_parse_double(optarg, -1e300, 1e300, &opt_tol))
                return cli_usage_error("--opt-tol: '%s' is not a number", optarg);
            break;
        case O_INV_ITER:
            if (!cli_parse_int(optarg, 0, 1000000, &inv_iter))
                return cli_usage_error("--inv-iter: '%s' is not an integer >= 0", optarg);
            break;
        case O_INV_TOL:
            if (!cli_parse_double(optarg, 0.0, 1e300, &inv_tol))
                return cli_usage_error("--inv-tol: '%s' is not a number >= 0", optarg);
            break;
        case O_METRIC:
            if (omreg_syn_metric_from_name(optarg, &metric) != OMREG_OK)
                return cli_usage_error("--metric: '%s' is not cc, ssd or em", optarg);
            break;
        case O_CC_RADIUS:
            if (!cli_parse_int(optarg, 1, 65535, &radius))
                return cli_usage_error("--cc-radius: '%s' is not an integer in 1..65535", optarg);
            break;
        case O_SIGMA_DIFF:
            if (!cli_parse_double(optarg, 0.0, 1e6, &sigma_diff))
                return cli_usage_error("--sigma-diff: '%s' is not a number >= 0", optarg);
            break;
        case O_SSD_SMOOTH:
            if (!cli_parse_double(optarg, 0.0, 1e6, &g.ssd_smooth))
                return cli_usage_error("--ssd-smooth: '%s' is not a number >= 0", optarg);
            g.has_ssd_smooth = 1;
            break;
        case O_EM_SMOOTH:
            if (!cli_parse_double(optarg, 0.0, 1e6, &g.em_smooth))
                return cli_usage_error("--em-smooth: '%s' is not a number >= 0", optarg);
            g.has_em_smooth = 1;
            break;
        case O_INNER_ITER:
            if (!cli_parse_int(optarg, 0, 1000000, &g.inner_iter))
                return cli_usage_error("--inner-iter: '%s' is not an integer >= 0", optarg);
            g.has_inner_iter = 1;
            break;
        case O_Q_LEVELS:
            if (!cli_parse_int(optarg, 2, 1 << 24, &q_levels))
                return cli_usage_error("--em-q-levels: '%s' is not an integer in 2..16777216",
                                       optarg);
            break;
        case O_NO_DOUBLE: double_gradient = 0; break;
        case O_STEP_TYPE: {
            omreg_syn_step_type t;
            if (omreg_syn_step_type_from_name(optarg, &t) != OMREG_OK)
                return cli_usage_error("--step-type: '%s' is neither demons nor gauss_newton",
                                       optarg);
            g.step_type = (int)t;
            g.has_step_type = 1;
            break;
        }
        case O_GS_ORDER: {
            omreg_ssd_order order;
            if (omreg_ssd_order_from_name(optarg, &order) != OMREG_OK)
                return cli_usage_error("--gs-order: '%s' is neither lexicographic nor red-black",
                                       optarg);
            g.gs_order = (int)order;
            g.has_gs_order = 1;
            break;
        }
        case O_MODE:
            if (strcmp(optarg, "dipy") == 0)
                mode = OMREG_SYN_MODE_DIPY;
            else if (strcmp(optarg, "fast") == 0)
                mode = OMREG_SYN_MODE_FAST;
            else
                return cli_usage_error("--mode: '%s' is neither dipy nor fast", optarg);
            break;
        default: return cli_bad_option("syn", argc, argv);
        }
    }
    if ((rc = cli_expect_pair("syn", argc, optind)) != 0)
        return rc;
    c->static_path = argv[optind];
    c->moving_path = argv[optind + 1];
    if (metric == OMREG_SYN_CC && (g.has_ssd_smooth || g.has_em_smooth || g.has_inner_iter ||
                                   g.has_step_type || g.has_gs_order))
        return cli_usage_error("--ssd-smooth, --em-smooth, --inner-iter, --step-type and "
                               "--gs-order apply to the ssd and em metrics only");
    if (metric == OMREG_SYN_SSD && g.has_em_smooth)
        return cli_usage_error("--em-smooth applies to --metric em (use --ssd-smooth)");
    if (metric == OMREG_SYN_EM && g.has_ssd_smooth)
        return cli_usage_error("--ssd-smooth applies to --metric ssd (use --em-smooth)");

    omreg_syn_options *o = &c->opt;
    *o = omreg_syn_default_options(metric);
    o->nlevels = n_iters;
    o->mode = mode;
    for (int i = 0; i < n_iters; ++i)
        o->level_iters[i] = level_iters[i];
    o->step_length = step_length;
    o->ss_sigma_factor = ss_sigma;
    o->opt_tol = opt_tol;
    o->inv_iter = inv_iter;
    o->inv_tol = inv_tol;
    o->metric.radius = radius;
    o->metric.sigma_diff = sigma_diff;
    o->metric.q_levels = q_levels;
    o->metric.double_gradient = double_gradient;
    if (g.has_ssd_smooth)
        o->metric.smooth = g.ssd_smooth;
    if (g.has_em_smooth)
        o->metric.smooth = g.em_smooth;
    if (g.has_inner_iter)
        o->metric.inner_iter = g.inner_iter;
    if (g.has_step_type)
        o->metric.step_type = (omreg_syn_step_type)g.step_type;
    if (g.has_gs_order)
        o->metric.gs_order = (omreg_ssd_order)g.gs_order;
    if (c->itk.elastix && c->itk.itk_warp == NULL)
        return cli_usage_error("--out-elastix needs --out-itk-warp (the ITK displacement field "
                               "its DeformationFieldFileName names)");
    return 0;
}

int cmd_syn_parse_only(int argc, char **argv)
{
    syn_cli c;
    return parse_args(argc, argv, &c);
}

/* dipy_align_syn's field file: np.array([forward.T, backward.T]).T, shape
 * (shape..., dim, 2), saved with the map's codomain world-to-grid affine */
static omreg_status write_field(const omreg_backend *backend, const char *path,
                                const omreg_diffeomap *map)
{
    const omreg_image *fwd = omreg_diffeomap_forward(map), *bwd = omreg_diffeomap_backward(map);
    const int dim = omreg_image_ndim(fwd);
    const size_t nvals = omreg_image_voxels(fwd) * (size_t)dim;
    size_t shape[5];
    for (int d = 0; d < dim; ++d)
        shape[d] = omreg_image_shape(fwd)[d];
    shape[dim] = (size_t)dim;
    shape[dim + 1] = 2;
    float *data = malloc(2 * nvals * sizeof(float));
    omreg_clear_error();
    if (data == NULL)
        return OMREG_ENOMEM;
    const float *f = omreg_image_cdata(fwd), *b = omreg_image_cdata(bwd);
    for (size_t i = 0; i < nvals; ++i) { /* [..., c, 0] forward, [..., c, 1] backward */
        data[2 * i] = f[i];
        data[2 * i + 1] = b[i];
    }
    /* DIPY saves mapping.codomain_world2grid; a 2D one is embedded in 4x4 */
    const double *w2g = omreg_diffeomap_matrix_get(map, OMREG_DM_CODOMAIN_WORLD2GRID);
    double a4[16];
    omreg_mat_embed_4x4(dim, w2g, a4);
    omreg_status st = cli_stage_array(backend, path, dim + 2, shape, OMREG_F32, data, a4);
    free(data);
    return st;
}

/* what the provenance record writes (--out-json) */
typedef struct syn_record {
    const syn_cli *c;
    const omreg_syn_info *info;
} syn_record;

static void record_options(cli_json *j, const void *ctx)
{
    const syn_cli *c = ((const syn_record *)ctx)->c;
    const omreg_syn_options *o = &c->opt;
    static const char *const metrics[] = {"cc", "ssd", "em"};
    static const char *const steps[] = {"demons", "gauss_newton"};
    cli_json_string(j, "out-warped", c->out_warped);
    cli_json_string(j, "out-inverse-warped", c->out_inverse_warped);
    cli_json_string(j, "out-field", c->out_field);
    cli_json_string(j, "out-qc", c->out_qc);
    cli_json_string(j, "out-itk-warp", c->itk.itk_warp);
    cli_json_string(j, "out-itk-affine", c->itk.itk_affine);
    cli_json_string(j, "out-elastix", c->itk.elastix);
    cli_json_string(j, "prealign", c->prealign_path);
    cli_json_int_array(j, "level-iters", o->level_iters, o->nlevels);
    cli_json_double(j, "step-length", o->step_length);
    cli_json_double(j, "ss-sigma-factor", o->ss_sigma_factor);
    cli_json_double(j, "opt-tol", o->opt_tol);
    cli_json_int(j, "inv-iter", o->inv_iter);
    cli_json_double(j, "inv-tol", o->inv_tol);
    cli_json_string(j, "mode", o->mode == OMREG_SYN_MODE_FAST ? "fast" : "dipy");
    cli_json_string(j, "metric", metrics[o->metric.type]);
    cli_json_int(j, "cc-radius", o->metric.radius);
    cli_json_double(j, "sigma-diff", o->metric.sigma_diff);
    /* options of another metric than the chosen one: null */
    const int ssd = o->metric.type == OMREG_SYN_SSD, em = o->metric.type == OMREG_SYN_EM;
    if (ssd)
        cli_json_double(j, "ssd-smooth", o->metric.smooth);
    else
        cli_json_null(j, "ssd-smooth");
    if (em)
        cli_json_double(j, "em-smooth", o->metric.smooth);
    else
        cli_json_null(j, "em-smooth");
    if (ssd || em) {
        cli_json_int(j, "inner-iter", o->metric.inner_iter);
        cli_json_string(j, "step-type", steps[o->metric.step_type]);
        cli_json_string(j, "gs-order", o->metric.gs_order == OMREG_SSD_ORDER_RED_BLACK
                                           ? "red-black"
                                           : "lexicographic");
    } else {
        cli_json_null(j, "inner-iter");
        cli_json_null(j, "step-type");
        cli_json_null(j, "gs-order");
    }
    cli_json_int(j, "em-q-levels", o->metric.q_levels);
    cli_json_bool(j, "em-no-double-gradient", !o->metric.double_gradient);
}

static void record_result(cli_json *j, const void *ctx)
{
    const omreg_syn_info *info = ((const syn_record *)ctx)->info;
    cli_json_int_array(j, "iterations", info->iterations, info->nlevels);
    cli_json_int(j, "total_iterations", info->total_iterations);
    cli_json_double(j, "last_energy", info->last_energy);
    cli_json_double(j, "last_derivative", info->last_derivative);
}

int cmd_syn(int argc, char **argv)
{
    syn_cli c;
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

    omreg_image *stat = NULL, *mov = NULL, *warped = NULL, *inv_warped = NULL;
    omreg_diffeomap *map = NULL;
    rc = cli_load_pair("syn", c.static_path, c.moving_path, &stat, &mov);
    if (!rc)
        rc = cli_prov_input(&c.prov, "static", c.static_path) ||
             cli_prov_input(&c.prov, "moving", c.moving_path) ||
             cli_prov_input(&c.prov, "prealign", c.prealign_path);
    c.prov.load_seconds = cli_elapsed();
    const int dim = stat ? omreg_image_ndim(stat) : 3;
    double prealign[16], *pre = NULL;
    if (!rc && c.prealign_path) {
        rc = cli_read_affine("--prealign", c.prealign_path, dim, prealign);
        pre = prealign;
    }
    omreg_syn_info info;
    if (!rc) {
        static const char *const names[] = {"cc", "ssd", "em"};
        if (!c.e.quiet)
            fprintf(stderr, "omreg syn: %s -> %s, metric %s, %d levels, backend %s\n",
                    c.moving_path, c.static_path, names[c.opt.metric.type], c.opt.nlevels,
                    omreg_backend_name(c.e.backend));
        omreg_status st = omreg_syn_register(c.e.backend, stat, mov, pre, &c.opt, &map, &info);
        if (st != OMREG_OK)
            rc = cli_status_error("registration failed", st);
        c.prov.register_seconds = cli_elapsed() - c.prov.load_seconds;
    }
    /* everything is computed before the first file is written; each output
     * is staged whole, then all are renamed into place */
    if (!rc && (c.out_warped || c.out_qc)) {
        omreg_status st = omreg_diffeomap_transform(c.e.backend, map, mov, OMREG_WARP_LINEAR,
                                                    NULL, NULL, NULL, &warped);
        if (st != OMREG_OK)
            rc = cli_status_error("warping MOVING", st);
    }
    if (!rc && c.out_inverse_warped) {
        omreg_status st = omreg_diffeomap_transform_inverse(c.e.backend, map, stat,
                                                            OMREG_WARP_LINEAR, NULL, NULL, NULL,
                                                            &inv_warped);
        if (st != OMREG_OK)
            rc = cli_status_error("warping STATIC", st);
    }
    if (!rc && c.out_warped) {
        omreg_status st = cli_stage_image(c.e.backend, c.out_warped, warped);
        if (st != OMREG_OK)
            rc = cli_status_error(c.out_warped, st);
    }
    if (!rc && inv_warped) {
        omreg_status st = cli_stage_image(c.e.backend, c.out_inverse_warped, inv_warped);
        if (st != OMREG_OK)
            rc = cli_status_error(c.out_inverse_warped, st);
    }
    if (!rc && c.out_field) {
        omreg_status st = write_field(c.e.backend, c.out_field, map);
        if (st != OMREG_OK)
            rc = cli_status_error(c.out_field, st);
    }
    if (!rc && (c.itk.itk_warp || c.itk.itk_affine || c.itk.elastix)) {
        /* the field that warps MOVING onto STATIC: [..., 1], on the STATIC grid */
        const omreg_image *bwd = omreg_diffeomap_backward(map);
        omreg_image *v = NULL;
        omreg_status st = omreg_image_wrap(&v, (void *)omreg_image_cdata(bwd), dim,
                                           omreg_image_shape(stat), dim, OMREG_F32,
                                           omreg_image_grid2world(stat));
        if (st != OMREG_OK)
            rc = cli_status_error("--out-itk-warp", st);
        else
            rc = cli_stage_itk_outputs(c.e.backend, &c.itk, dim, stat, pre, v);
        omreg_image_free(v);
    }
    if (!rc && c.out_qc)
        rc = cli_stage_qc(c.e.backend, c.out_qc, stat, warped, c.e.quiet);
    const syn_record record = {&c, &info};
    if (!rc)
        rc = cli_prov_stage(&c.prov, "syn", &c.e, record_options, record_result, &record);
    rc = cli_outputs_finish(rc);
    if (!rc && !c.e.quiet)
        fprintf(stderr, "[%7.2fs] done: %d iterations, last energy %.6f\n", cli_elapsed(),
                info.total_iterations, info.last_energy);
    omreg_diffeomap_free(map);
    omreg_image_free(stat);
    omreg_image_free(mov);
    omreg_image_free(warped);
    omreg_image_free(inv_warped);
    return rc;
}
