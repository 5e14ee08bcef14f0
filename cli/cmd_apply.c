/* omreg apply IMAGE --reference REF --affine FILE [--inverse] --out FILE:
 * resample an image on a reference grid through a saved affine. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "omreg/affine.h"

static const char usage[] =
    "usage: omreg apply IMAGE --reference REF --out FILE [options]\n"
    "\n"
    "Resample IMAGE on the grid of REF: out(x) = IMAGE(A x) for the world\n"
    "point x of each REF voxel (DIPY AffineMap.transform), with A the matrix\n"
    "written by 'omreg affine --out-affine' (identity when not given).\n"
    "\n"
    "  --reference REF     grid to resample on (NIfTI or PNG)\n"
    "  --affine FILE       matrix A (rows of numbers)\n"
    "  --inverse           use A^-1 instead (AffineMap.transform_inverse)\n"
    "  --interp MODE       linear (default) or nearest (for label maps)\n"
    "  --out FILE          output NIfTI (written whole or not at all)\n"
    "  --threads N, --backend parallel|reference, --help\n";

int cmd_apply(int argc, char **argv)
{
    enum { O_REF = 256, O_AFFINE, O_INVERSE, O_INTERP, O_OUT, O_THREADS, O_BACKEND, O_HELP };
    static const struct option longopts[] = {
        {"reference", required_argument, NULL, O_REF},
        {"affine", required_argument, NULL, O_AFFINE},
        {"inverse", no_argument, NULL, O_INVERSE},
        {"interp", required_argument, NULL, O_INTERP},
        {"out", required_argument, NULL, O_OUT},
        {"threads", required_argument, NULL, O_THREADS},
        {"backend", required_argument, NULL, O_BACKEND},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *ref_path = NULL, *affine_path = NULL, *out_path = NULL;
    const omreg_backend *backend = omreg_backend_parallel();
    int inverse = 0, nearest = 0, threads = 0, opt;
    opterr = 0;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case O_REF: ref_path = optarg; break;
        case O_AFFINE: affine_path = optarg; break;
        case O_INVERSE: inverse = 1; break;
        case O_OUT: out_path = optarg; break;
        case O_INTERP:
            if (strcmp(optarg, "linear") == 0)
                nearest = 0;
            else if (strcmp(optarg, "nearest") == 0)
                nearest = 1;
            else
                return cli_usage_error("--interp: '%s' is neither linear nor nearest", optarg);
            break;
        case O_THREADS:
            if (!cli_parse_int(optarg, 1, 4096, &threads))
                return cli_usage_error("--threads: '%s' is not an integer >= 1", optarg);
            break;
        case O_BACKEND:
            if (!cli_select_backend(optarg, &backend))
                return cli_usage_error("--backend: '%s' is neither parallel nor reference",
                                       optarg);
            break;
        case 'h':
        case O_HELP: fputs(usage, stdout); exit(0);
        default:
            return cli_usage_error("apply: unknown or incomplete option '%s' (see omreg apply "
                                   "--help)", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("apply: expected one IMAGE (see omreg apply --help)");
    if (ref_path == NULL || out_path == NULL)
        return cli_usage_error("apply: --reference and --out are required");
    cli_set_threads(threads);
    omreg_image *img = NULL, *ref = NULL, *out = NULL;
    int rc = 0;
    omreg_status st = cli_read_image(argv[optind], &img);
    if (st != OMREG_OK)
        rc = cli_status_error(argv[optind], st);
    if (!rc && (st = cli_read_image(ref_path, &ref)) != OMREG_OK)
        rc = cli_status_error(ref_path, st);
    if (!rc && omreg_image_ndim(img) != omreg_image_ndim(ref))
        rc = cli_error("apply: IMAGE is %dD but REF is %dD", omreg_image_ndim(img),
                       omreg_image_ndim(ref));
    double A[16], *Ap = NULL;
    int n1 = img ? omreg_image_ndim(img) + 1 : 4;
    if (!rc && affine_path) {
        if (cli_read_matrix(affine_path, n1, A) != OMREG_OK)
            rc = cli_error("--affine %s: not a %dx%d matrix of finite numbers", affine_path, n1,
                           n1);
        Ap = A;
    }
    if (!rc) {
        st = omreg_affine_map_transform(backend, Ap, inverse, img, omreg_image_shape(ref),
                                        omreg_image_grid2world(ref), nearest, &out);
        if (st == OMREG_OK)
            st = cli_write_image(out_path, out);
        if (st != OMREG_OK)
            rc = cli_status_error(out_path, st);
    }
    omreg_image_free(img);
    omreg_image_free(ref);
    omreg_image_free(out);
    return rc;
}
