/* libFuzzer target: arbitrary bytes as the text of a transform file. Every
 * parser of omreg/transform_file.h (ITK text transform 2D/3D, elastix
 * affine and field files, detection, the Transform entry) must return a
 * status and never crash, leak or read out of bounds; an accepted affine
 * is finite with last row (0, ..., 0, 1). */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/transform_file.h"

static void check_affine(int dim, const double *a)
{
    const int n1 = dim + 1;
    for (int e = 0; e < n1 * n1; ++e)
        if (!isfinite(a[e]))
            abort();
    for (int k = 0; k < n1; ++k)
        if (a[dim * n1 + k] != (k == dim ? 1.0 : 0.0))
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0'; /* the file reader refuses NUL bytes; parsers see C strings */
    (void)omreg_transform_format_detect(text);
    char name[64];
    (void)omreg_elastix_transform_name(text, name, sizeof name);
    for (int dim = 2; dim <= 3; ++dim) {
        double a[16];
        if (omreg_itk_affine_parse(text, dim, a) == OMREG_OK)
            check_affine(dim, a);
        if (omreg_elastix_affine_parse(text, dim, a) == OMREG_OK)
            check_affine(dim, a);
        char *field = NULL;
        if (omreg_elastix_field_parse(text, dim, &field) == OMREG_OK && field[0] == '\0')
            abort();
        free(field);
    }
    free(text);
    return 0;
}
