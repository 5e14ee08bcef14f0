/* ITK's text transform files ("#Insight Transform File V1.0", what ANTs,
 * ITK-SNAP and Slicer read and write) for one affine: Parameters = the LPS
 * matrix row-major then the translation t, FixedParameters = the centre c,
 * x -> A (x - c) + c + t, fixed point -> moving point. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "omreg/matrix.h"
#include "omreg/transform_file.h"
#include "ras_lps.h"
#include "transform_text.h"

/* The text after "Key:" on the line starting with it, or NULL. */
static const char *find_key(const char *text, const char *key)
{
    const size_t n = strlen(key);
    for (const char *line = text; line && *line;) {
        while (*line == ' ' || *line == '\t')
            ++line;
        if (strncmp(line, key, n) == 0 && line[n] == ':')
            return line + n + 1;
        line = strchr(line, '\n');
        if (line)
            ++line;
    }
    return NULL;
}

/* How many lines start with "Transform:" */
static int count_transforms(const char *text)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, "Transform:")) != NULL; p += 10)
        if (p == text || p[-1] == '\n' || p[-1] == ' ' || p[-1] == '\t')
            ++n;
    return n;
}

/* true when the type is an affine ITK type of dimension dim */
static int affine_type(const char *type, size_t len, int dim, int *type_dim)
{
    static const char *const stems[] = {"AffineTransform_double_", "AffineTransform_float_",
                                        "MatrixOffsetTransformBase_double_",
                                        "MatrixOffsetTransformBase_float_"};
    for (size_t s = 0; s < sizeof stems / sizeof stems[0]; ++s) {
        size_t n = strlen(stems[s]);
        if (len == n + 3 && strncmp(type, stems[s], n) == 0 && type[n + 1] == '_' &&
            type[n] == type[n + 2] && (type[n] == '2' || type[n] == '3')) {
            *type_dim = type[n] - '0';
            return *type_dim == dim;
        }
    }
    *type_dim = 0;
    return 0;
}

omreg_status omreg_itk_affine_parse(const char *text, int dim, double *affine)
{
    OMREG_RETURN_IF(text == NULL || affine == NULL, OMREG_EINVAL, "itk_affine_parse: NULL");
    OMREG_RETURN_IF(dim != 2 && dim != 3, OMREG_EINVAL, "itk_affine_parse: dim %d", dim);
    OMREG_RETURN_IF(omreg_transform_format_detect(text) != OMREG_TRANSFORM_ITK, OMREG_EFORMAT,
                    "not an ITK transform file (no '#Insight Transform File' line)");
    const char *type = find_key(text, "Transform");
    OMREG_RETURN_IF(type == NULL, OMREG_EFORMAT, "ITK transform file without a Transform: line");
    while (*type == ' ' || *type == '\t')
        ++type;
    size_t len = strcspn(type, " \t\r\n");
    OMREG_RETURN_IF(strncmp(type, "CompositeTransform", 18) == 0 || count_transforms(text) != 1,
                    OMREG_EUNSUPPORTED,
                    "ITK transform file holds a composite or several transforms; omreg reads "
                    "one AffineTransform");
    int type_dim;
    if (!affine_type(type, len, dim, &type_dim)) {
        OMREG_RETURN_IF(type_dim != 0, OMREG_EUNSUPPORTED,
                        "ITK transform is %dD (%.*s) but the images are %dD", type_dim,
                        (int)len, type, dim);
        return omreg_fail(OMREG_EUNSUPPORTED,
                          "ITK transform type %.*s is not supported (omreg reads "
                          "AffineTransform_double_%d_%d)",
                          (int)len > 80 ? 80 : (int)len, type, dim, dim);
    }
    const char *pl = find_key(text, "Parameters"), *fl = find_key(text, "FixedParameters");
    OMREG_RETURN_IF(pl == NULL || fl == NULL, OMREG_EFORMAT,
                    "ITK transform file lacks a Parameters: or FixedParameters: line");
    double p[12], c[3];
    const int np = dim * dim + dim;
    OMREG_RETURN_IF(parse_number_list(pl, p, 12) != np, OMREG_EFORMAT,
                    "ITK %.*s: Parameters: must be %d finite numbers", (int)len, type, np);
    OMREG_RETURN_IF(parse_number_list(fl, c, 3) != dim, OMREG_EFORMAT,
                    "ITK %.*s: FixedParameters: must be %d finite numbers (the centre)",
                    (int)len, type, dim);
    affine_from_itk_parameters(dim, p, c, affine);
    return OMREG_OK;
}

omreg_status omreg_itk_affine_format(int dim, const double *affine, char **text)
{
    OMREG_RETURN_IF(affine == NULL || text == NULL, OMREG_EINVAL, "itk_affine_format: NULL");
    OMREG_RETURN_IF(dim != 2 && dim != 3, OMREG_EINVAL, "itk_affine_format: dim %d", dim);
    const int n1 = dim + 1;
    OMREG_RETURN_IF(!omreg_mat_is_finite(n1, affine), OMREG_ENONFINITE,
                    "itk_affine_format: the affine is not finite");
    /* centre 0: the translation is the offset, exactly */
    const double zero[3] = {0.0, 0.0, 0.0};
    double p[12];
    itk_parameters_from_affine(dim, affine, zero, p);
    text_buf b = {0};
    tb_printf(&b, "#Insight Transform File V1.0\n#Transform 0\n");
    tb_printf(&b, "Transform: AffineTransform_double_%d_%d\nParameters:", dim, dim);
    tb_numbers(&b, p, dim * dim + dim);
    tb_printf(&b, "\nFixedParameters:");
    tb_numbers(&b, zero, dim);
    tb_printf(&b, "\n");
    return tb_finish(&b, text);
}
