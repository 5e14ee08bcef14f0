/* Shared helpers of the omreg command: error reporting, option values,
 * image and matrix files, threads and backends. The command prints; the
 * library never does. */
#ifndef OMREG_CLI_H
#define OMREG_CLI_H

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#define CLI_MAX_LIST 16

/* Print "omreg: <message>" on one line of stderr; returns exit code 1 (or 2
 * for usage errors via cli_usage_error). */
int cli_error(const char *fmt, ...);
int cli_usage_error(const char *fmt, ...);
/* "omreg: <what>: <library message>" for a failed omreg call */
int cli_status_error(const char *what, omreg_status st);

/* Strict number parsing: the whole string must be a number in range. */
int cli_parse_int(const char *text, int lo, int hi, int *out);
int cli_parse_double(const char *text, double lo, double hi, double *out);
/* comma-separated lists; returns the count or -1 */
int cli_parse_int_list(const char *text, int lo, int hi, int *out, int max);
int cli_parse_double_list(const char *text, double lo, double hi, double *out, int max);

/* Read a NIfTI (.nii, .nii.gz) or PNG (.png) image as float64. */
omreg_status cli_read_image(const char *path, omreg_image **out);
/* Write a NIfTI image (temporary file then rename: no partial output). */
omreg_status cli_write_image(const char *path, const omreg_image *img);

/* n x n matrix as text rows of %.17g (numpy.loadtxt reads it back exactly),
 * written to a temporary file in the target directory and renamed. */
omreg_status cli_write_matrix(const char *path, int n, const double *m);
/* Read an n x n whitespace-separated matrix (n = 3 or 4: checks the count). */
omreg_status cli_read_matrix(const char *path, int n, double *m);

/* --backend and --threads handling (threads <= 0: leave the runtime's). */
int cli_select_backend(const char *name, const omreg_backend **out);
void cli_set_threads(int threads);

/* Seconds since the first call. */
double cli_elapsed(void);

#endif
