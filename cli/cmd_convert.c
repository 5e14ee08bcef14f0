/* omreg convert IN OUT --to FORMAT [--reference IMG]: transforms between
 * DIPY's formats and the ITK world's. Affines (text, detected by content):
 * matrix (DIPY's AffineMap.affine rows), itk (text transform), elastix
 * (TransformParameters, needs the fixed grid). Fields (NIfTI): DIPY's map or
 * field <-> ITK displacement field, on the --reference (STATIC) grid. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "omreg/matrix.h"
#include "omreg/transform_file.h"

static const char usage[] =
    "usage: omreg convert IN OUT --to FORMAT [--reference STATIC]\n"
    "\n"
    "Convert a transform between DIPY's and ITK's formats. The input format is\n"
    "detected by content; every format maps a STATIC (fixed) point to a MOVING\n"
    "point; DIPY's files are in RAS world mm, ITK's and elastix's in LPS.\n"
    "\n"
    "Affines (IN is a text file: rows of numbers as 'omreg affine --out-affine'\n"
    "writes, an ITK transform file, or an elastix AffineTransform file):\n"
    "  --to matrix     rows of %.17g (DIPY's AffineMap.affine)\n"
    "  --to itk        ITK text transform AffineTransform_double_3_3 (2_2 in 2D)\n"
    "  --to elastix    elastix TransformParameters file (needs --reference)\n"
    "Displacement fields (IN is NIfTI: a map as 'omreg syn --out-field' writes\n"
    "it, whose [..., 1] is taken, a single DIPY field, an ITK displacement field,\n"
    "or an elastix DeformationFieldTransform file naming one; --reference needed):\n"
    "  --to itk        ITK/ANTs displacement field (X, Y, Z, 1, 3), intent vector,\n"
    "                  LPS components, on the STATIC grid\n"
    "  --to dipy       one DIPY field (X, Y, Z, 3), RAS components, world mm, with\n"
    "                  the STATIC grid-to-world as its NIfTI affine\n"
    "\n"
    "  --reference STATIC  the static (fixed) image: the grid of elastix files and\n"
    "                      fields, and the dimension (else 3D, then 2D, is tried)\n"
    "  --help\n";

enum { MAX_TRANSFORM_BYTES = 1 << 20 };

/* IN is an affine text file when it reads as text and is not an elastix
 * field file; NIfTI files hold NUL bytes. */
static int is_field_input(const char *path)
{
    char *text = NULL;
    if (omreg_text_file_read(path, MAX_TRANSFORM_BYTES, &text) != OMREG_OK) {
        omreg_clear_error();
        return 1;
    }
    char name[128];
    int field = omreg_transform_format_detect(text) == OMREG_TRANSFORM_ELASTIX &&
                omreg_elastix_transform_name(text, name, sizeof name) == OMREG_OK &&
                strcmp(name, "DeformationFieldTransform") == 0;
    free(text);
    omreg_clear_error();
    return field;
}

static int convert_affine(const char *in, const char *out, const char *to,
                          const omreg_image *ref)
{
    double A[16];
    int dim = ref ? omreg_image_ndim(ref) : 3, rc;
    if (ref) {
        rc = cli_read_affine("convert", in, dim, A);
    } else {
        /* 3D, else 2D; when neither reads, the 3D reason is reported */
        cli_silence_errors(1);
        rc = cli_read_affine("convert", in, dim, A);
        if (rc && (rc = cli_read_affine("convert", in, 2, A)) == 0)
            dim = 2;
        cli_silence_errors(0);
        if (rc)
            rc = cli_read_affine("convert", in, dim, A);
    }
    if (rc)
        return rc;
    if (strcmp(to, "matrix") == 0)
        return cli_stage_matrix(out, dim + 1, A) == OMREG_OK ? 0
                                                            : cli_error("%s: cannot write", out);
    cli_itk_outputs o = {NULL, NULL, NULL};
    if (strcmp(to, "itk") == 0)
        o.itk_affine = out;
    else if (ref == NULL)
        return cli_usage_error("convert --to elastix: --reference STATIC is needed (elastix "
                               "files name the fixed grid)");
    else
        o.elastix = out;
    return cli_stage_itk_outputs(NULL, &o, dim, ref, A, NULL);
}

static int convert_field(const char *in, const char *out, const char *to,
                         const omreg_image *ref)
{
    if (ref == NULL)
        return cli_usage_error("convert: a displacement field needs --reference STATIC (its "
                               "grid)");
    omreg_image *fwd = NULL, *bwd = NULL;
    int rc = cli_read_fields(in, ref, "--reference", &fwd, &bwd);
    if (rc)
        return rc;
    omreg_status st;
    if (strcmp(to, "itk") == 0) {
        st = cli_stage_itk_field(NULL, out, bwd);
    } else {
        const int dim = omreg_image_ndim(bwd);
        double a4[16];
        omreg_mat_embed_4x4(dim, omreg_image_grid2world(bwd), a4);
        size_t shape[4];
        for (int d = 0; d < dim; ++d)
            shape[d] = omreg_image_shape(bwd)[d];
        shape[dim] = (size_t)dim;
        st = cli_stage_array(NULL, out, dim + 1, shape, OMREG_F32, omreg_image_cdata(bwd), a4);
    }
    if (st != OMREG_OK)
        rc = cli_status_error(out, st);
    omreg_image_free(fwd);
    omreg_image_free(bwd);
    return rc;
}

int cmd_convert(int argc, char **argv)
{
    enum { O_TO = 256, O_REF };
    static const struct option longopts[] = {
        {"to", required_argument, NULL, O_TO},
        {"reference", required_argument, NULL, O_REF},
        {"help", no_argument, NULL, CLI_O_HELP},
        {NULL, 0, NULL, 0},
    };
    const char *to = NULL, *ref_path = NULL;
    int opt;
    cli_getopt_reset();
    while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
        switch (opt) {
        case O_TO: to = optarg; break;
        case O_REF: ref_path = optarg; break;
        case 'h':
        case CLI_O_HELP: fputs(usage, stdout); return 0;
        default: return cli_bad_option("convert", argc, argv);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("convert: expected IN and OUT (see omreg convert --help)");
    if (to == NULL)
        return cli_usage_error("convert: --to FORMAT is required (matrix, itk, elastix, dipy)");
    const char *in = argv[optind], *out = argv[optind + 1];
    const int field = is_field_input(in);
    static const char *const affine_formats[] = {"matrix", "itk", "elastix"};
    static const char *const field_formats[] = {"itk", "dipy"};
    const char *const *ok = field ? field_formats : affine_formats;
    const int nok = field ? 2 : 3;
    int known = 0;
    for (int i = 0; i < nok; ++i)
        known |= strcmp(to, ok[i]) == 0;
    if (!known)
        return cli_usage_error("convert --to %s: IN %s is %s; use --to %s", to, in,
                               field ? "a displacement field" : "an affine",
                               field ? "itk or dipy" : "matrix, itk or elastix");
    omreg_image *ref = NULL;
    int rc = 0;
    omreg_status st;
    if (ref_path && (st = cli_read_image(ref_path, &ref)) != OMREG_OK)
        rc = cli_status_error(ref_path, st);
    if (!rc)
        rc = field ? convert_field(in, out, to, ref) : convert_affine(in, out, to, ref);
    rc = cli_outputs_finish(rc);
    omreg_image_free(ref);
    return rc;
}
