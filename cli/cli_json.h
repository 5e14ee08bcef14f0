/* A small streaming JSON writer for the provenance record (--out-json):
 * objects, arrays, strings (escaped per RFC 8259: quote, backslash and every
 * control character), integers, doubles as %.17g (read back exactly; NaN and
 * infinities, which JSON lacks, as the strings "nan", "inf", "-inf"),
 * booleans and null. Two-space indentation, one member per line, so a
 * record's bytes depend only on what was written. Keys are NULL inside
 * arrays. Write errors are sticky: cli_json_close reports them. */
#ifndef OMREG_CLI_JSON_H
#define OMREG_CLI_JSON_H

#include <stdio.h>

enum { CLI_JSON_MAX_DEPTH = 16 };

typedef struct cli_json {
    FILE *f;
    int depth;
    int members[CLI_JSON_MAX_DEPTH]; /* members written at each open level */
    char closer[CLI_JSON_MAX_DEPTH];  /* '}' or ']' of each open level */
    int failed;
} cli_json;

void cli_json_open(cli_json *j, FILE *f); /* writes the opening '{' */
int cli_json_close(cli_json *j);          /* writes the final '}'; 0 if every write worked */

void cli_json_object(cli_json *j, const char *key);
void cli_json_array(cli_json *j, const char *key);
void cli_json_end(cli_json *j); /* closes the innermost object or array */

void cli_json_string(cli_json *j, const char *key, const char *value); /* NULL: null */
void cli_json_int(cli_json *j, const char *key, long long value);
void cli_json_double(cli_json *j, const char *key, double value);
void cli_json_bool(cli_json *j, const char *key, int value);
void cli_json_null(cli_json *j, const char *key);
/* an array of n numbers */
void cli_json_int_array(cli_json *j, const char *key, const int *values, int n);
void cli_json_double_array(cli_json *j, const char *key, const double *values, int n);

#endif
