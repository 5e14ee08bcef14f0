/* Displacement field files for omreg apply and omreg convert, detected by
 * content: DIPY's map (X, Y, Z, 3, 2) or single field (X, Y, Z, 3), world
 * mm, RAS; an ITK displacement field (5D, intent vector, LPS components);
 * or an elastix DeformationFieldTransform parameter file naming one. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "omreg/itk_field.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"
#include "omreg/transform_file.h"

/* The layout of a field file after its dim spatial axes. */
typedef struct field_layout {
    int is_map; /* (..., dim, 2): both fields; else (..., dim): one */
} field_layout;

static void fmt_shape(char *buf, size_t n, int nd, const size_t *shape)
{
    size_t used = 0;
    buf[0] = '\0';
    for (int d = 0; d < nd && used < n; ++d)
        used += (size_t)snprintf(buf + used, n - used, "%s%zu", d ? "x" : "", shape[d]);
}

/* Which of the accepted layouts the file has (see the usage text), or 0. */
static int pick_layout(int dim, int nd, const size_t *s, field_layout *lay)
{
    memset(lay, 0, sizeof *lay);
    if (dim == 3) {
        if (nd == 5 && s[3] == 3 && s[4] == 2)
            *lay = (field_layout){1};
        else if (nd == 4 && s[3] == 3)
            *lay = (field_layout){0};
        else if (nd == 5 && s[3] == 1 && s[4] == 3)
            *lay = (field_layout){0};
        else
            return 0;
        return 1;
    }
    if (nd == 4 && s[2] == 2 && s[3] == 2)
        *lay = (field_layout){1};
    else if (nd == 5 && s[2] == 1 && s[3] == 2 && s[4] == 2)
        *lay = (field_layout){1};
    else if (nd == 3 && s[2] == 2)
        *lay = (field_layout){0};
    else if (nd == 4 && s[2] == 1 && s[3] == 2)
        *lay = (field_layout){0};
    else
        return 0;
    return 1;
}

/* |a - b| small against float32 rounding of the stored matrix */
static int close_affine(const double *a, const double *b)
{
    for (int e = 0; e < 16; ++e)
        if (!(fabs(a[e] - b[e]) <= 1e-5 * (1.0 + fabs(b[e]))))
            return 0;
    return 1;
}

/* Read the field file, check it against the STATIC grid and split it into
 * the map's stored fields: *fwd = [..., 0] (NULL for a single field) and
 * *bwd = [..., 1] (or the single field), float32, on the STATIC grid.
 * named_by: the elastix file naming path (then only ITK's layout is
 * accepted: elastix reads no other), or NULL. */
static int read_nifti_fields(const char *path, const char *named_by, const omreg_image *stat,
                             const char *stat_name, omreg_image **fwd, omreg_image **bwd)
{
    const int dim = omreg_image_ndim(stat);
    const size_t *sshape = omreg_image_shape(stat);
    int nd = 0;
    size_t shape[7];
    void *raw = NULL;
    double a4[16];
    omreg_status st = omreg_nifti_read_array(path, OMREG_F32, &nd, shape, &raw, a4);
    if (st != OMREG_OK) {
        char label[512];
        snprintf(label, sizeof label, "--field %s", path);
        return cli_status_error(label, st);
    }
    char got[128], want[64];
    fmt_shape(got, sizeof got, nd, shape);
    fmt_shape(want, sizeof want, dim, sshape);
    field_layout lay = {0};
    int rc = 0, intent = 0;
    if ((st = omreg_nifti_read_intent(path, &intent)) != OMREG_OK) {
        char label[512];
        snprintf(label, sizeof label, "--field %s", path);
        rc = cli_status_error(label, st);
    }
    /* ITK's layout (intent vector, 5D, LPS components): one field */
    const int itk = omreg_itk_field_layout(dim, nd, shape, intent);
    if (!rc && named_by && !itk)
        rc = cli_error("--field %s: its DeformationFieldFileName %s is not an ITK displacement "
                       "field (5D, intent vector)",
                       named_by, path);
    if (!rc && !itk && !pick_layout(dim, nd, shape, &lay))
        rc = cli_error("--field %s: shape %s is not a %dD displacement field or map (for a "
                       "%s grid: %sx%dx2, %sx%d%s)",
                       path, got, dim, want, want, dim, want, dim,
                       dim == 3 ? " or ...x1x3" : " or ...x1x2");
    char grid[128];
    fmt_shape(grid, sizeof grid, dim, shape);
    for (int d = 0; !rc && d < dim; ++d)
        if (shape[d] != sshape[d])
            rc = cli_error("--field %s: the field's grid %s is not the STATIC grid %s (%s)",
                           path, grid, want, stat_name);
    if (!rc) {
        double g4[16], w4[16];
        omreg_mat_embed_4x4(dim, omreg_image_grid2world(stat), g4);
        if (omreg_mat_inverse(4, g4, w4) != OMREG_OK || !(close_affine(a4, w4) ||
                                                          close_affine(a4, g4)))
            rc = cli_error("--field %s: its affine is neither the STATIC grid's world-to-grid "
                           "(as dipy_align_syn saves it) nor its grid-to-world: the field is "
                           "on another grid",
                           path);
    }
    omreg_image *f = NULL, *b = NULL;
    if (!rc && lay.is_map &&
        (st = omreg_image_create(&f, dim, sshape, dim, OMREG_F32, omreg_image_grid2world(stat))) !=
            OMREG_OK)
        rc = cli_status_error("--field", st);
    if (!rc && (st = omreg_image_create(&b, dim, sshape, dim, OMREG_F32,
                                        omreg_image_grid2world(stat))) != OMREG_OK)
        rc = cli_status_error("--field", st);
    if (!rc) {
        /* element (voxel v, component c[, map m]) is at v*dim*ms + c*ms + m,
         * with ms = 2 for a map and 1 otherwise */
        const size_t nvox = omreg_image_voxels(b), ms = lay.is_map ? 2 : 1;
        const float *src = raw;
        float *pf = f ? omreg_image_data(f) : NULL, *pb = omreg_image_data(b);
        for (size_t v = 0; v < nvox; ++v)
            for (int c = 0; c < dim; ++c) {
                size_t at = (v * (size_t)dim + (size_t)c) * ms;
                if (pf)
                    pf[v * (size_t)dim + (size_t)c] = src[at];
                pb[v * (size_t)dim + (size_t)c] = src[at + (lay.is_map ? 1 : 0)];
            }
        if (itk)
            omreg_field_ras_lps(dim, nvox, pb);
        for (size_t e = 0; e < nvox * (size_t)dim * ms && !rc; ++e)
            if (!isfinite(src[e]))
                rc = cli_error("--field %s: element %zu is NaN or Inf", path, e);
    }
    free(raw);
    if (rc) {
        omreg_image_free(f);
        omreg_image_free(b);
        return rc;
    }
    *fwd = f;
    *bwd = b;
    return 0;
}


/* parameter files are small text; NIfTI files hold NUL bytes */
enum { MAX_PARAMETER_BYTES = 1 << 20 };

int cli_read_fields(const char *path, const omreg_image *stat, const char *stat_name,
                    omreg_image **fwd, omreg_image **bwd)
{
    char *text = NULL;
    if (omreg_text_file_read(path, MAX_PARAMETER_BYTES, &text) != OMREG_OK ||
        omreg_transform_format_detect(text) != OMREG_TRANSFORM_ELASTIX) {
        free(text);
        omreg_clear_error();
        return read_nifti_fields(path, NULL, stat, stat_name, fwd, bwd);
    }
    char *field_file = NULL;
    omreg_status st = omreg_elastix_field_parse(text, omreg_image_ndim(stat), &field_file);
    free(text);
    if (st != OMREG_OK)
        return cli_error("--field %s (elastix format): %s", path, omreg_last_error());
    /* elastix reads fields in ITK's layout only: a DIPY-layout file named
     * there would mean something else to transformix */
    int rc = read_nifti_fields(field_file, path, stat, stat_name, fwd, bwd);
    free(field_file);
    return rc;
}
