/* Text plumbing of the transform file formats (io/transform_text.h): an
 * output buffer, number lists, reading a text file whole and telling the
 * formats apart by content (omreg/transform_file.h). */
#include "transform_text.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/transform_file.h"

void tb_printf(text_buf *b, const char *fmt, ...)
{
    if (b->st != OMREG_OK)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->len;
        int n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->st = omreg_fail(OMREG_EINVAL, "transform text: formatting failed");
            return;
        }
        if (b->s && (size_t)n < room) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap : 1024;
        while (cap - b->len <= (size_t)n)
            cap *= 2;
        char *s = realloc(b->s, cap);
        if (s == NULL) {
            b->st = omreg_fail(OMREG_ENOMEM, "transform text: out of memory");
            return;
        }
        b->s = s;
        b->cap = cap;
    }
}

void tb_numbers(text_buf *b, const double *v, int n)
{
    for (int i = 0; i < n; ++i)
        tb_printf(b, " %.17g", v[i] == 0.0 ? 0.0 : v[i]); /* no "-0" */
}

omreg_status tb_finish(text_buf *b, char **out)
{
    if (b->st != OMREG_OK) {
        free(b->s);
        return b->st;
    }
    *out = b->s;
    return OMREG_OK;
}

int parse_number_list(const char *s, double *v, int max)
{
    int n = 0;
    for (;;) {
        while (*s == ' ' || *s == '\t' || *s == '"' || *s == '\r')
            ++s;
        if (*s == '\0' || *s == '\n' || *s == ')')
            return n;
        char *end;
        errno = 0;
        double x = strtod(s, &end);
        if (end == s || errno == ERANGE || !isfinite(x) || n == max)
            return -1;
        if (*end != '\0' && *end != ' ' && *end != '\t' && *end != '"' && *end != '\n' &&
            *end != '\r' && *end != ')')
            return -1;
        v[n++] = x;
        s = end;
    }
}

omreg_status omreg_text_file_read(const char *path, size_t max_bytes, char **text)
{
    OMREG_RETURN_IF(path == NULL || text == NULL, OMREG_EINVAL, "text_file_read: NULL argument");
    FILE *f = fopen(path, "rb");
    OMREG_RETURN_IF(f == NULL, OMREG_EIO, "%s: cannot open: %s", path, strerror(errno));
    char *buf = malloc(max_bytes + 1);
    if (buf == NULL) {
        fclose(f);
        return omreg_fail(OMREG_ENOMEM, "%s: out of memory", path);
    }
    size_t got = fread(buf, 1, max_bytes + 1, f);
    int err = ferror(f);
    fclose(f);
    omreg_status st = OMREG_OK;
    if (err)
        st = omreg_fail(OMREG_EIO, "%s: read error", path);
    else if (got > max_bytes)
        st = omreg_fail(OMREG_EFORMAT, "%s: larger than %zu bytes: not a transform file", path,
                        max_bytes);
    else if (memchr(buf, '\0', got) != NULL)
        st = omreg_fail(OMREG_EFORMAT, "%s: holds a NUL byte: not a text transform file", path);
    if (st != OMREG_OK) {
        free(buf);
        return st;
    }
    buf[got] = '\0';
    *text = buf;
    return OMREG_OK;
}

/* the first character of the next line that is not blank */
static const char *skip_blank_lines(const char *s)
{
    for (;;) {
        const char *p = s;
        while (*p == ' ' || *p == '\t' || *p == '\r')
            ++p;
        if (*p != '\n')
            return p;
        s = p + 1;
    }
}

omreg_transform_format omreg_transform_format_detect(const char *text)
{
    if (text == NULL)
        return OMREG_TRANSFORM_MATRIX;
    const char *p = skip_blank_lines(text);
    if (strncmp(p, "#Insight Transform File", 23) == 0)
        return OMREG_TRANSFORM_ITK;
    /* elastix: lines of "(Key value ...)" and "//" comments */
    for (const char *line = p; *line; line = skip_blank_lines(line)) {
        if (strncmp(line, "(Transform ", 11) == 0)
            return OMREG_TRANSFORM_ELASTIX;
        if (line[0] != '(' && !(line[0] == '/' && line[1] == '/'))
            break;
        const char *nl = strchr(line, '\n');
        if (nl == NULL)
            break;
        line = nl + 1;
    }
    return OMREG_TRANSFORM_MATRIX;
}

const char *omreg_transform_format_name(omreg_transform_format format)
{
    switch (format) {
    case OMREG_TRANSFORM_ITK: return "itk";
    case OMREG_TRANSFORM_ELASTIX: return "elastix";
    default: return "matrix";
    }
}
