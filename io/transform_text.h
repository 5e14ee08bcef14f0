/* Shared text plumbing of the transform file formats (io/itk_transform.c,
 * io/elastix_parameters.c): a growable output buffer that remembers its
 * first failure, and strict number lists. */
#ifndef OMREG_IO_TRANSFORM_TEXT_H
#define OMREG_IO_TRANSFORM_TEXT_H

#include <stddef.h>

#include "error.h"
#include "omreg/status.h"

typedef struct text_buf {
    char *s;
    size_t len, cap;
    omreg_status st; /* OMREG_OK until an allocation fails */
} text_buf;

/* Append printf-formatted text (no-op once b->st is set). */
void tb_printf(text_buf *b, const char *fmt, ...) OMREG_PRINTF(2, 3);
/* Append " %.17g" for each of the n values (shortest exact round trip). */
void tb_numbers(text_buf *b, const double *v, int n);
/* Hand the text to *out (caller frees) or free it and return the failure. */
omreg_status tb_finish(text_buf *b, char **out);

/* Parse whitespace-separated numbers from s up to the end of the line or a
 * ')' (quotes around a number are allowed, as elastix writes "1.0" at
 * times): returns the count (at most max stored, -1 when more than max or
 * a token is not a finite number). */
int parse_number_list(const char *s, double *v, int max);

/* ITK/elastix parameters p (LPS matrix row-major, then translation t) and
 * centre c -> the RAS affine of x -> A (x - c) + c + t. */
void affine_from_itk_parameters(int dim, const double *p, const double *c, double *affine);
/* The inverse: the parameters p of the RAS affine about the LPS centre c
 * (t = offset - c + A c). */
void itk_parameters_from_affine(int dim, const double *affine, const double *c, double *p);

/* The grid's LPS spacing, direction (row-major dim x dim) and origin: the
 * RAS grid-to-world G becomes F G, spacing = column norms. OMREG_ESINGULAR
 * for a zero column. */
omreg_status grid_lps_geometry(int dim, const double *grid2world, double *spacing,
                               double *direction, double *origin);

#endif
