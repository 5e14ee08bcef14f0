/* Shared text plumbing of the transform file formats (io/itk_transform.c,
 * io/elastix_parameters.c): a growable output buffer that remembers its
 * first failure, and strict number lists. The RAS <-> LPS helpers they
 * share are in io/ras_lps.h. */
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

#endif
