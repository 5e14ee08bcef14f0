/* omreg affine-error EST TRUTH --reference REF: how far an estimated affine
 * is from a known one, in world units, over the voxels of REF. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "omreg/evaluate.h"

static const char usage[] =
    "usage: omreg affine-error EST TRUTH --reference REF [--threshold T]\n"
    "\n"
    "Prints the mean and maximum of |EST x - TRUTH x| (world units, e.g. mm)\n"
    "over the world points x of the REF voxels brighter than T (default 0).\n"
    "EST and TRUTH: rows of numbers (DIPY's AffineMap.affine), ITK transform\n"
    "files or elastix parameter files, detected by content.\n";

int cmd_affine_error(int argc, char **argv)
{
    enum { O_REF = 256, O_THRESHOLD, O_HELP };
    static const struct option longopts[] = {
        {"reference", required_argument, NULL, O_REF},
        {"threshold", required_argument, NULL, O_THRESHOLD},
        {"help", no_argument, NULL, O_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *ref_path = NULL;
    double threshold = 0.0;
    int opt;
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case O_REF: ref_path = optarg; break;
        case O_THRESHOLD:
            if (!cli_parse_double(optarg, -1e300, 1e300, &threshold))
                return cli_usage_error("--threshold: '%s' is not a number", optarg);
            break;
        case 'h':
        case O_HELP: fputs(usage, stdout); return 0;
        default: return cli_bad_option("affine-error", argc, argv);
        }
    }
    if (argc - optind != 2 || ref_path == NULL)
        return cli_usage_error("affine-error: expected EST TRUTH --reference REF");
    omreg_image *ref = NULL;
    omreg_status st = cli_read_image(ref_path, &ref);
    if (st != OMREG_OK)
        return cli_status_error(ref_path, st);
    int n1 = omreg_image_ndim(ref) + 1, rc = 0;
    double est[16], truth[16], mean, max;
    rc = cli_read_affine("EST", argv[optind], n1 - 1, est);
    if (!rc)
        rc = cli_read_affine("TRUTH", argv[optind + 1], n1 - 1, truth);
    if (!rc && (st = omreg_affine_error(est, truth, ref, threshold, &mean, &max)) != OMREG_OK)
        rc = cli_status_error("affine-error", st);
    else if (!rc)
        printf("mean %.4f max %.4f\n", mean, max);
    omreg_image_free(ref);
    return rc;
}
