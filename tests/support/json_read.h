/* A strict JSON reader for the tests of `omreg --out-json`: validates a
 * whole document against RFC 8259 (no raw control characters in strings,
 * valid escapes and numbers, nothing after the value) and finds the value
 * at a dotted path of object keys ("options.nbins"). Values come back as
 * their source text, so a test compares exactly what the writer wrote. */
#ifndef OMREG_TEST_JSON_READ_H
#define OMREG_TEST_JSON_READ_H

#include <stddef.h>

/* 1 when text is one valid JSON value (surrounding whitespace allowed). */
int json_valid(const char *text);

/* The value at path (keys separated by '.'; keys must not contain '.'):
 * returns its first character and sets *len to its length, or NULL when
 * some key is missing or a step is not an object. text must be valid. */
const char *json_find(const char *text, const char *path, size_t *len);

/* Copies the value's text without whitespace outside strings into out
 * (size n, NUL-terminated); returns 0 if it did not fit. */
int json_compact(const char *value, size_t len, char *out, size_t n);

#endif
