/* The JSON writer of cli_json.h. Every value goes through member(), which
 * writes the separator, the indentation and the key, so commas and layout
 * cannot drift between callers. */
#include "cli_json.h"

#include <math.h>

static void put(cli_json *j, const char *s)
{
    if (fputs(s, j->f) == EOF)
        j->failed = 1;
}

/* a JSON string literal: quote, backslash and control characters escaped;
 * other bytes (UTF-8 file names included) pass through unchanged */
static void quoted(cli_json *j, const char *s)
{
    put(j, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; ++p) {
        char esc[8];
        switch (*p) {
        case '"': put(j, "\\\""); break;
        case '\\': put(j, "\\\\"); break;
        case '\n': put(j, "\\n"); break;
        case '\r': put(j, "\\r"); break;
        case '\t': put(j, "\\t"); break;
        case '\b': put(j, "\\b"); break;
        case '\f': put(j, "\\f"); break;
        default:
            if (*p < 0x20 || *p == 0x7f) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                put(j, esc);
            } else if (fputc(*p, j->f) == EOF) {
                j->failed = 1;
            }
        }
    }
    put(j, "\"");
}

static void indent(cli_json *j)
{
    for (int d = 0; d < j->depth; ++d)
        put(j, "  ");
}

/* separator, newline, indentation and "key": of the next member */
static void member(cli_json *j, const char *key)
{
    if (j->depth > 0 && j->members[j->depth - 1]++ > 0)
        put(j, ",");
    put(j, "\n");
    indent(j);
    if (key) {
        quoted(j, key);
        put(j, ": ");
    }
}

static void open_level(cli_json *j, const char *key, const char *bracket, char closer)
{
    member(j, key);
    put(j, bracket);
    if (j->depth >= CLI_JSON_MAX_DEPTH) {
        j->failed = 1;
        return;
    }
    j->closer[j->depth] = closer;
    j->members[j->depth++] = 0;
}

void cli_json_open(cli_json *j, FILE *f)
{
    j->f = f;
    j->depth = 0;
    j->failed = 0;
    put(j, "{");
    j->closer[j->depth] = '}';
    j->members[j->depth++] = 0;
}

int cli_json_close(cli_json *j)
{
    while (j->depth > 0)
        cli_json_end(j);
    put(j, "\n");
    return j->failed ? -1 : 0;
}

void cli_json_object(cli_json *j, const char *key) { open_level(j, key, "{", '}'); }
void cli_json_array(cli_json *j, const char *key) { open_level(j, key, "[", ']'); }

void cli_json_end(cli_json *j)
{
    if (j->depth == 0) {
        j->failed = 1;
        return;
    }
    const int empty = j->members[--j->depth] == 0;
    if (!empty) {
        put(j, "\n");
        indent(j);
    }
    const char close[2] = {j->closer[j->depth], '\0'};
    put(j, close);
}

void cli_json_string(cli_json *j, const char *key, const char *value)
{
    member(j, key);
    if (value)
        quoted(j, value);
    else
        put(j, "null");
}

void cli_json_int(cli_json *j, const char *key, long long value)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", value);
    member(j, key);
    put(j, buf);
}

void cli_json_double(cli_json *j, const char *key, double value)
{
    char buf[40];
    if (isnan(value))
        snprintf(buf, sizeof buf, "\"nan\"");
    else if (isinf(value))
        snprintf(buf, sizeof buf, value > 0 ? "\"inf\"" : "\"-inf\"");
    else
        snprintf(buf, sizeof buf, "%.17g", value);
    member(j, key);
    put(j, buf);
}

void cli_json_bool(cli_json *j, const char *key, int value)
{
    member(j, key);
    put(j, value ? "true" : "false");
}

void cli_json_null(cli_json *j, const char *key)
{
    member(j, key);
    put(j, "null");
}

void cli_json_int_array(cli_json *j, const char *key, const int *values, int n)
{
    cli_json_array(j, key);
    for (int i = 0; i < n; ++i)
        cli_json_int(j, NULL, values[i]);
    cli_json_end(j);
}

void cli_json_double_array(cli_json *j, const char *key, const double *values, int n)
{
    cli_json_array(j, key);
    for (int i = 0; i < n; ++i)
        cli_json_double(j, NULL, values[i]);
    cli_json_end(j);
}
