/* elastix TransformParameters files ("(Key value ...)" lines, "//"
 * comments), the format elastix writes and transformix applies:
 * AffineTransform (matrix row-major then translation t, LPS, centre c:
 * x -> A (x - c) + c + t) and DeformationFieldTransform (an ITK
 * displacement field on the fixed grid), fixed point -> moving point. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "omreg/matrix.h"
#include "omreg/transform_file.h"
#include "ras_lps.h"
#include "transform_text.h"

/* The text after "(Key" on an entry line, or NULL when absent. */
static const char *entry(const char *text, const char *key)
{
    const size_t n = strlen(key);
    for (const char *line = text; line && *line;) {
        while (*line == ' ' || *line == '\t')
            ++line;
        if (line[0] == '(' && strncmp(line + 1, key, n) == 0 &&
            (line[n + 1] == ' ' || line[n + 1] == '\t' || line[n + 1] == ')'))
            return line + 1 + n;
        line = strchr(line, '\n');
        if (line)
            ++line;
    }
    return NULL;
}

/* The first value of an entry, unquoted, into buf; 0 when absent/empty. */
static int entry_string(const char *text, const char *key, char *buf, size_t n)
{
    const char *v = entry(text, key);
    if (v == NULL)
        return 0;
    while (*v == ' ' || *v == '\t')
        ++v;
    const int quoted = *v == '"';
    v += quoted;
    size_t len = quoted ? strcspn(v, "\"\n") : strcspn(v, " \t)\r\n");
    if (len == 0 || len >= n)
        return 0;
    memcpy(buf, v, len);
    buf[len] = '\0';
    return 1;
}

omreg_status omreg_elastix_transform_name(const char *text, char *buf, size_t n)
{
    OMREG_RETURN_IF(text == NULL || buf == NULL, OMREG_EINVAL, "elastix: NULL argument");
    OMREG_RETURN_IF(!entry_string(text, "Transform", buf, n), OMREG_EFORMAT,
                    "elastix parameter file without a (Transform \"...\") entry");
    return OMREG_OK;
}

/* The checks every supported file passes: the transform type is one of
 * wants (NULL-terminated; its name into name[128]), no chain, the
 * dimension. */
static omreg_status check_single(const char *text, int dim, const char *const *wants,
                                 const char *expected, char *name)
{
    OMREG_RETURN_IF(text == NULL || (dim != 2 && dim != 3), OMREG_EINVAL,
                    "elastix: NULL text or dim %d", dim);
    OMREG_RETURN_IF(omreg_transform_format_detect(text) != OMREG_TRANSFORM_ELASTIX,
                    OMREG_EFORMAT, "not an elastix parameter file (no (Transform ...) entry)");
    char init[4096];
    OMREG_FORWARD(omreg_elastix_transform_name(text, name, 128));
    int known = 0;
    for (const char *const *w = wants; *w; ++w)
        known |= strcmp(name, *w) == 0;
    OMREG_RETURN_IF(!known, OMREG_EUNSUPPORTED,
                    "elastix transform \"%s\" is not supported here (expected %s)", name,
                    expected);
    if (entry_string(text, "InitialTransformParametersFileName", init, sizeof init))
        OMREG_RETURN_IF(strcmp(init, "NoInitialTransform") != 0, OMREG_EUNSUPPORTED,
                        "elastix file chains to InitialTransformParametersFileName \"%s\"; "
                        "omreg reads single transforms only (combine the chain first)",
                        init);
    const char *d = entry(text, "FixedImageDimension");
    double v[2];
    if (d != NULL)
        OMREG_RETURN_IF(parse_number_list(d, v, 1) != 1 || v[0] != (double)dim,
                        OMREG_EUNSUPPORTED,
                        "elastix file's FixedImageDimension is not %d (the images are %dD)",
                        dim, dim);
    return OMREG_OK;
}

/* ITK's Euler3DTransform::ComputeMatrix: R = Rz Rx Ry, or Rz Ry Rx when
 * ComputeZYX; angles (x, y, z) in radians. 2D (Rigid2D): one angle. */
static void euler_matrix(int dim, const double *angles, int zyx, double *R)
{
    if (dim == 2) {
        const double c = cos(angles[0]), s = sin(angles[0]);
        const double r2[4] = {c, -s, s, c};
        memcpy(R, r2, sizeof r2);
        return;
    }
    const double cx = cos(angles[0]), sx = sin(angles[0]), cy = cos(angles[1]),
                 sy = sin(angles[1]), cz = cos(angles[2]), sz = sin(angles[2]);
    const double rx[9] = {1, 0, 0, 0, cx, -sx, 0, sx, cx};
    const double ry[9] = {cy, 0, sy, 0, 1, 0, -sy, 0, cy};
    const double rz[9] = {cz, -sz, 0, sz, cz, 0, 0, 0, 1};
    double t[9];
    omreg_mat_mul(3, zyx ? ry : rx, zyx ? rx : ry, t);
    omreg_mat_mul(3, rz, t, R);
}

static const char *const linear_types[] = {"AffineTransform", "EulerTransform",
                                           "TranslationTransform", NULL};

omreg_status omreg_elastix_affine_parse(const char *text, int dim, double *affine)
{
    OMREG_RETURN_IF(affine == NULL, OMREG_EINVAL, "elastix_affine_parse: NULL");
    char name[128];
    OMREG_FORWARD(check_single(text, dim, linear_types,
                               "\"AffineTransform\", \"EulerTransform\" or "
                               "\"TranslationTransform\"",
                               name));
    const int is_affine = strcmp(name, "AffineTransform") == 0;
    const int is_euler = strcmp(name, "EulerTransform") == 0;
    /* parameters: affine A (row-major) then t; Euler angles then t;
     * translation t */
    const int nangles = dim == 3 ? 3 : 1;
    const int np = is_affine ? dim * dim + dim : is_euler ? nangles + dim : dim;
    const char *pl = entry(text, "TransformParameters"), *cl = entry(text, "CenterOfRotationPoint");
    double v[12], p[12], c[3] = {0.0, 0.0, 0.0};
    OMREG_RETURN_IF(pl == NULL || parse_number_list(pl, v, 12) != np, OMREG_EFORMAT,
                    "elastix %s: TransformParameters must be %d finite numbers", name, np);
    if (is_affine || is_euler)
        OMREG_RETURN_IF(cl == NULL || parse_number_list(cl, c, 3) != dim, OMREG_EFORMAT,
                        "elastix %s: CenterOfRotationPoint must be %d finite numbers", name,
                        dim);
    if (is_affine) {
        memcpy(p, v, sizeof p);
    } else {
        char zyx[16] = "false";
        entry_string(text, "ComputeZYX", zyx, sizeof zyx);
        double R[9];
        omreg_mat_identity(dim, R);
        if (is_euler)
            euler_matrix(dim, v, strcmp(zyx, "true") == 0, R);
        memcpy(p, R, (size_t)(dim * dim) * sizeof(double));
        for (int r = 0; r < dim; ++r)
            p[dim * dim + r] = v[np - dim + r];
    }
    affine_from_itk_parameters(dim, p, c, affine);
    return OMREG_OK;
}

omreg_status omreg_elastix_field_parse(const char *text, int dim, char **field_file)
{
    OMREG_RETURN_IF(field_file == NULL, OMREG_EINVAL, "elastix_field_parse: NULL");
    static const char *const field_types[] = {"DeformationFieldTransform", NULL};
    char type[128], name[4096];
    OMREG_FORWARD(check_single(text, dim, field_types, "\"DeformationFieldTransform\"", type));
    OMREG_RETURN_IF(!entry_string(text, "DeformationFieldFileName", name, sizeof name),
                    OMREG_EFORMAT,
                    "elastix DeformationFieldTransform without DeformationFieldFileName");
    char *copy = malloc(strlen(name) + 1);
    OMREG_RETURN_IF(copy == NULL, OMREG_ENOMEM, "elastix: out of memory");
    strcpy(copy, name);
    *field_file = copy;
    return OMREG_OK;
}

/* The fixed-grid entries transformix resamples on, and the output
 * settings (linear, float, 0 outside). */
static omreg_status grid_entries(text_buf *b, const omreg_elastix_grid *g, double *centre)
{
    const int dim = g->dim, n1 = dim + 1;
    double spacing[3], dir[9], origin[3], size[3], colmajor[9];
    OMREG_FORWARD(grid_lps_geometry(dim, g->grid2world, spacing, dir, origin));
    for (int d = 0; d < dim; ++d) {
        OMREG_RETURN_IF(g->shape[d] == 0, OMREG_EINVAL, "elastix grid: axis %d has size 0", d);
        size[d] = (double)g->shape[d];
    }
    for (int c = 0; c < dim; ++c)
        for (int r = 0; r < dim; ++r)
            colmajor[c * dim + r] = dir[r * dim + c];
    /* the centre of the grid, LPS: F G ((shape - 1) / 2) */
    for (int r = 0; r < dim; ++r) {
        double x = g->grid2world[r * n1 + dim];
        for (int k = 0; k < dim; ++k)
            x += g->grid2world[r * n1 + k] * (0.5 * (size[k] - 1.0));
        centre[r] = r < 2 ? -x : x;
    }
    tb_printf(b, "(FixedImageDimension %d)\n(MovingImageDimension %d)\n", dim, dim);
    tb_printf(b, "(FixedInternalImagePixelType \"float\")\n"
                 "(MovingInternalImagePixelType \"float\")\n(Size");
    for (int d = 0; d < dim; ++d)
        tb_printf(b, " %zu", g->shape[d]);
    tb_printf(b, ")\n(Index%s)\n(Spacing", dim == 3 ? " 0 0 0" : " 0 0");
    tb_numbers(b, spacing, dim);
    tb_printf(b, ")\n(Origin");
    tb_numbers(b, origin, dim);
    tb_printf(b, ")\n(Direction");
    tb_numbers(b, colmajor, dim * dim);
    tb_printf(b, ")\n(UseDirectionCosines \"true\")\n"
                 "(ResampleInterpolator \"FinalBSplineInterpolator\")\n"
                 "(FinalBSplineInterpolationOrder 1)\n"
                 "(Resampler \"DefaultResampler\")\n(DefaultPixelValue 0)\n"
                 "(ResultImageFormat \"nii\")\n(ResultImagePixelType \"float\")\n"
                 "(CompressResultImage \"false\")\n");
    return OMREG_OK;
}

static omreg_status check_grid(const omreg_elastix_grid *g)
{
    OMREG_RETURN_IF(g == NULL || (g->dim != 2 && g->dim != 3), OMREG_EINVAL,
                    "elastix grid: NULL or dim not 2 or 3");
    OMREG_RETURN_IF(!omreg_mat_is_finite(g->dim + 1, g->grid2world), OMREG_ENONFINITE,
                    "elastix grid: grid-to-world not finite");
    return OMREG_OK;
}

omreg_status omreg_elastix_affine_format(int dim, const double *affine,
                                         const omreg_elastix_grid *grid, const char *initial,
                                         char **text)
{
    OMREG_RETURN_IF(affine == NULL || text == NULL, OMREG_EINVAL, "elastix_affine_format: NULL");
    OMREG_FORWARD(check_grid(grid));
    OMREG_RETURN_IF(grid->dim != dim, OMREG_ESHAPE, "elastix: %dD affine on a %dD grid", dim,
                    grid->dim);
    const int n1 = dim + 1;
    OMREG_RETURN_IF(!omreg_mat_is_finite(n1, affine), OMREG_ENONFINITE,
                    "elastix_affine_format: the affine is not finite");
    OMREG_RETURN_IF(initial && (strchr(initial, '"') || strchr(initial, '\n')), OMREG_EINVAL,
                    "elastix: initial transform file name holds a quote or newline");
    double p[12], c[3];
    text_buf b = {0};
    tb_printf(&b, "// omreg: DIPY AffineMap.affine as elastix's AffineTransform (LPS, fixed "
                  "point -> moving point)\n(Transform \"AffineTransform\")\n"
                  "(NumberOfParameters %d)\n",
              dim * dim + dim);
    omreg_status st = grid_entries(&b, grid, c);
    if (st != OMREG_OK) {
        free(b.s);
        return st;
    }
    itk_parameters_from_affine(dim, affine, c, p); /* the same map about the centre c */
    tb_printf(&b, "(TransformParameters");
    tb_numbers(&b, p, dim * dim + dim);
    tb_printf(&b, ")\n(CenterOfRotationPoint");
    tb_numbers(&b, c, dim);
    tb_printf(&b, ")\n(InitialTransformParametersFileName \"%s\")\n"
                  "(HowToCombineTransforms \"Compose\")\n",
              initial ? initial : "NoInitialTransform");
    return tb_finish(&b, text);
}

omreg_status omreg_elastix_field_format(const char *field_file, const omreg_elastix_grid *grid,
                                        char **text)
{
    OMREG_RETURN_IF(field_file == NULL || text == NULL, OMREG_EINVAL,
                    "elastix_field_format: NULL");
    OMREG_RETURN_IF(strchr(field_file, '"') != NULL || strchr(field_file, '\n') != NULL,
                    OMREG_EINVAL, "elastix: field file name holds a quote or newline");
    OMREG_FORWARD(check_grid(grid));
    double c[3];
    text_buf b = {0};
    tb_printf(&b, "// omreg: displacement field (ITK layout, LPS) as elastix's "
                  "DeformationFieldTransform\n(Transform \"DeformationFieldTransform\")\n"
                  "(NumberOfParameters 0)\n");
    omreg_status st = grid_entries(&b, grid, c);
    if (st != OMREG_OK) {
        free(b.s);
        return st;
    }
    tb_printf(&b, "(DeformationFieldFileName \"%s\")\n(DeformationFieldInterpolationOrder 1)\n"
                  "(InitialTransformParametersFileName \"NoInitialTransform\")\n"
                  "(HowToCombineTransforms \"Compose\")\n",
              field_file);
    return tb_finish(&b, text);
}
