/* The omreg command's side of the ITK-world transform files: reading an
 * affine in any accepted format (detected by content) and staging the
 * --out-itk-affine, --out-itk-warp and --out-elastix outputs. The formats
 * themselves live in io/ (omreg/transform_file.h, omreg/itk_field.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "omreg/transform_file.h"

/* transform text files are small; anything bigger is not one */
enum { MAX_TRANSFORM_BYTES = 1 << 20 };

int cli_read_affine(const char *option, const char *path, int dim, double *affine)
{
    char *text = NULL;
    omreg_status st = omreg_text_file_read(path, MAX_TRANSFORM_BYTES, &text);
    if (st != OMREG_OK) /* the message names the path */
        return cli_error("%s %s", option, omreg_last_error());
    const omreg_transform_format f = omreg_transform_format_detect(text);
    if (f == OMREG_TRANSFORM_MATRIX) {
        free(text);
        if (cli_read_matrix(path, dim + 1, affine) != OMREG_OK)
            return cli_error("%s %s: not a %dx%d matrix of finite numbers, an ITK transform "
                             "file or an elastix parameter file",
                             option, path, dim + 1, dim + 1);
        return 0;
    }
    st = f == OMREG_TRANSFORM_ITK ? omreg_itk_affine_parse(text, dim, affine)
                                  : omreg_elastix_affine_parse(text, dim, affine);
    free(text);
    if (st != OMREG_OK)
        return cli_error("%s %s (%s format): %s", option, path, omreg_transform_format_name(f),
                         omreg_last_error());
    return 0;
}

static void elastix_grid_of(const omreg_image *img, omreg_elastix_grid *g)
{
    const int dim = omreg_image_ndim(img), n1 = dim + 1;
    memset(g, 0, sizeof *g);
    g->dim = dim;
    for (int d = 0; d < dim; ++d)
        g->shape[d] = omreg_image_shape(img)[d];
    memcpy(g->grid2world, omreg_image_grid2world(img), (size_t)(n1 * n1) * sizeof(double));
}

/* "<path without .txt>.warp.txt": the field's parameter file in a chain */
static int chained_name(const char *path, char *buf, size_t n)
{
    size_t len = strlen(path);
    if (len > 4 && strcmp(path + len - 4, ".txt") == 0)
        len -= 4;
    int w = snprintf(buf, n, "%.*s.warp.txt", (int)len, path);
    return w > 0 && (size_t)w < n;
}

/* stage *text (freed here) when st is OMREG_OK */
static int stage_text_or_fail(const char *option, const char *path, omreg_status st,
                              char **textp)
{
    char *text = *textp;
    *textp = NULL;
    if (st == OMREG_OK)
        st = cli_stage_text(path, text);
    free(text);
    if (st != OMREG_OK)
        return cli_error("%s %s: %s", option, path, omreg_last_error());
    return 0;
}

int cli_stage_itk_outputs(const omreg_backend *backend, const cli_itk_outputs *o, int dim,
                          const omreg_image *static_grid, const double *affine,
                          const omreg_image *field)
{
    double identity[16];
    if (affine == NULL) {
        for (int e = 0; e < (dim + 1) * (dim + 1); ++e)
            identity[e] = e % (dim + 2) == 0 ? 1.0 : 0.0;
        affine = identity;
    }
    char *text = NULL;
    int rc = 0;
    if (o->itk_affine)
        rc = stage_text_or_fail("--out-itk-affine", o->itk_affine,
                                omreg_itk_affine_format(dim, affine, &text), &text);
    if (!rc && o->itk_warp && field) {
        omreg_status st = cli_stage_itk_field(backend, o->itk_warp, field);
        if (st != OMREG_OK)
            rc = cli_error("--out-itk-warp %s: %s", o->itk_warp, omreg_last_error());
    }
    if (rc || !o->elastix)
        return rc;
    omreg_elastix_grid g;
    elastix_grid_of(static_grid, &g);
    if (field == NULL) {
        text = NULL;
        return stage_text_or_fail("--out-elastix", o->elastix,
                                  omreg_elastix_affine_format(dim, affine, &g, NULL, &text),
                                  &text);
    }
    if (o->itk_warp == NULL)
        return cli_usage_error("--out-elastix with a field needs --out-itk-warp (the ITK "
                               "displacement field its DeformationFieldFileName names)");
    const int has_affine = affine != identity;
    char warp_params[4096];
    if (has_affine && !chained_name(o->elastix, warp_params, sizeof warp_params))
        return cli_error("--out-elastix %s: path too long", o->elastix);
    text = NULL;
    rc = stage_text_or_fail("--out-elastix", has_affine ? warp_params : o->elastix,
                            omreg_elastix_field_format(o->itk_warp, &g, &text), &text);
    if (!rc && has_affine) {
        text = NULL;
        rc = stage_text_or_fail("--out-elastix", o->elastix,
                                omreg_elastix_affine_format(dim, affine, &g, warp_params, &text),
                                &text);
    }
    return rc;
}
