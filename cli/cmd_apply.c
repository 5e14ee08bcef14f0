/* omreg apply IMAGE --reference REF [--affine FILE] [--field FILE] [--inverse]
 * --out FILE: resample an image on a reference grid through a saved affine
 * (DIPY AffineMap.transform) and/or a saved SyN map (DIPY
 * DiffeomorphicMap.transform of the map `omreg syn` / dipy_align_syn
 * return, with the affine as its prealign). */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "omreg/affine.h"
#include "omreg/diffeomap.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"

static const char usage[] =
    "usage: omreg apply IMAGE --reference REF --out FILE [options]\n"
    "\n"
    "Resample IMAGE on the grid of REF. With --affine only: out(x) = IMAGE(A x)\n"
    "for the world point x of each REF voxel (DIPY AffineMap.transform), with A\n"
    "the matrix written by 'omreg affine --out-affine' (identity when not given).\n"
    "With --field: out(x) = IMAGE(A (x + v(x))), where v is the map's field that\n"
    "warps MOVING onto STATIC (DIPY DiffeomorphicMap.transform of the map\n"
    "'omreg syn' returns, A being its --prealign), so that\n"
    "  omreg apply MOVING --reference STATIC [--affine P] --field F --out W\n"
    "gives what 'omreg syn STATIC MOVING [--prealign P] --out-field F\n"
    "--out-warped W' wrote; use it for other images of MOVING's space (e.g. a\n"
    "label map with --interp nearest).\n"
    "\n"
    "  --reference REF     grid to resample on (NIfTI or PNG)\n"
    "  --affine FILE       matrix A: rows of numbers, an ITK transform file\n"
    "                      (AffineTransform, LPS) or an elastix AffineTransform\n"
    "                      parameter file, detected by content\n"
    "  --field FILE        displacement field, world mm, on the STATIC grid: a map\n"
    "                      as 'omreg syn --out-field' and dipy_align_syn write it,\n"
    "                      (X, Y, Z, 3, 2) or (X, Y, 2, 2) in 2D, whose [..., 1]\n"
    "                      warps MOVING onto STATIC and [..., 0] back; or one\n"
    "                      field (X, Y, Z, 3), (X, Y, Z, 1, 3), (X, Y, 2) or\n"
    "                      (X, Y, 1, 2) used as that [..., 1]; or an ITK/ANTs\n"
    "                      displacement field (5D, intent vector, LPS), or an\n"
    "                      elastix DeformationFieldTransform file naming one,\n"
    "                      also used as [..., 1]. Its NIfTI affine\n"
    "                      must be the STATIC grid's world-to-grid (as DIPY\n"
    "                      saves it) or grid-to-world\n"
    "  --inverse           the other direction: with --affine only, A^-1\n"
    "                      (AffineMap.transform_inverse); with --field (a map),\n"
    "                      IMAGE is on the STATIC grid and is warped onto REF,\n"
    "                      the MOVING grid (DiffeomorphicMap.transform_inverse,\n"
    "                      'omreg syn --out-inverse-warped')\n"
    "  --interp MODE       linear (default) or nearest (for label maps)\n"
    "  --out FILE          output NIfTI (written whole or not at all)\n"
    "  --threads N, --backend parallel|reference, --quiet (apply prints nothing), --help\n"
    "  --wait-policy passive|active|env  how idle threads wait (omreg affine --help)\n";

/* The map `omreg syn` returns (DIPY: moving_to_ref.warp_endomorphism(
 * static_to_ref.inverse()).inverse()): domain MOVING, codomain STATIC,
 * displacements on the STATIC grid, prealign A^-1, is_inverse. Built with
 * the same calls as registration/syn/syn_driver.c, so its warps are bitwise the same. */
static int warp_with_field(const omreg_backend *backend, const char *field_path,
                           const double *A, int inverse, const omreg_image *img,
                           const omreg_image *ref, omreg_warp_interp interp, omreg_image **out)
{
    const omreg_image *stat = inverse ? img : ref, *mov = inverse ? ref : img;
    const int dim = omreg_image_ndim(img);
    omreg_image *fwd = NULL, *bwd = NULL;
    int rc = cli_read_fields(field_path, stat, inverse ? "IMAGE with --inverse" : "REF", &fwd,
                         &bwd);
    if (rc)
        return rc;
    if (inverse && fwd == NULL) {
        omreg_image_free(bwd);
        return cli_error("--field %s: --inverse needs a map holding both fields ((X, Y, Z, 3, "
                         "2) or (X, Y, 2, 2)), not a single field",
                         field_path);
    }
    double pre[16];
    omreg_diffeomap *half = NULL, *map = NULL;
    omreg_status st = OMREG_OK;
    if (A != NULL)
        st = omreg_mat_inverse(dim + 1, A, pre);
    if (st == OMREG_OK)
        st = omreg_diffeomap_create(dim, omreg_image_shape(stat), omreg_image_grid2world(stat),
                                    omreg_image_shape(mov), omreg_image_grid2world(mov),
                                    omreg_image_shape(stat), omreg_image_grid2world(stat),
                                    A ? pre : NULL, &half);
    if (st == OMREG_OK && fwd)
        st = omreg_diffeomap_set_forward(half, fwd);
    if (st == OMREG_OK)
        st = omreg_diffeomap_set_backward(half, bwd);
    if (st == OMREG_OK)
        st = omreg_diffeomap_inverse(half, &map);
    if (st == OMREG_OK && !inverse)
        st = omreg_diffeomap_transform(backend, map, img, interp, NULL, NULL, NULL, out);
    else if (st == OMREG_OK)
        st = omreg_diffeomap_transform_inverse(backend, map, img, interp, NULL, NULL, NULL,
                                               out);
    if (st != OMREG_OK)
        rc = cli_status_error("apply --field", st);
    omreg_diffeomap_free(half);
    omreg_diffeomap_free(map);
    omreg_image_free(fwd);
    omreg_image_free(bwd);
    return rc;
}

int cmd_apply(int argc, char **argv)
{
    enum { O_REF = 256, O_AFFINE, O_FIELD, O_INVERSE, O_INTERP, O_OUT };
    static const struct option longopts[] = {
        {"reference", required_argument, NULL, O_REF},
        {"affine", required_argument, NULL, O_AFFINE},
        {"field", required_argument, NULL, O_FIELD},
        {"inverse", no_argument, NULL, O_INVERSE},
        {"interp", required_argument, NULL, O_INTERP},
        {"out", required_argument, NULL, O_OUT},
        CLI_COMMON_LONGOPTS,
        {NULL, 0, NULL, 0},
    };
    const char *ref_path = NULL, *affine_path = NULL, *field_path = NULL, *out_path = NULL;
    cli_exec e = cli_exec_defaults();
    int inverse = 0, nearest = 0, opt, rc;
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, "hq", longopts, NULL)) != -1) {
        if (cli_common_option(opt, optarg, &e, &rc)) {
            if (rc == CLI_HELP) {
                fputs(usage, stdout);
                return 0;
            }
            if (rc)
                return rc;
            continue;
        }
        switch (opt) {
        case O_REF: ref_path = optarg; break;
        case O_AFFINE: affine_path = optarg; break;
        case O_FIELD: field_path = optarg; break;
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
        default: return cli_bad_option("apply", argc, argv);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("apply: expected one IMAGE (see omreg apply --help)");
    if (ref_path == NULL || out_path == NULL)
        return cli_usage_error("apply: --reference and --out are required");
    const omreg_backend *backend = e.backend;
    cli_wait_policy_apply(e.wait_policy); /* may restart the command, once */
    cli_set_threads(e.threads);
    omreg_image *img = NULL, *ref = NULL, *out = NULL;
    rc = 0;
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
        rc = cli_read_affine("--affine", affine_path, n1 - 1, A);
        Ap = A;
    }
    if (!rc && field_path)
        rc = warp_with_field(backend, field_path, Ap, inverse, img, ref,
                             nearest ? OMREG_WARP_NEAREST : OMREG_WARP_LINEAR, &out);
    else if (!rc && (st = omreg_affine_map_transform(backend, Ap, inverse, img,
                                                     omreg_image_shape(ref),
                                                     omreg_image_grid2world(ref), nearest,
                                                     &out)) != OMREG_OK)
        rc = cli_status_error(out_path, st);
    if (!rc && (st = cli_write_image(backend, out_path, out)) != OMREG_OK)
        rc = cli_status_error(out_path, st);
    omreg_image_free(img);
    omreg_image_free(ref);
    omreg_image_free(out);
    return rc;
}
