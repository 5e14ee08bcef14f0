/* The strict JSON reader of json_read.h: a recursive-descent skipper that
 * returns the end of each value, or NULL at the first violation. */
#include "json_read.h"

#include <string.h>

static const char *ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        ++p;
    return p;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }
static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static const char *string_end(const char *p)
{
    if (*p != '"')
        return NULL;
    for (++p; *p != '"'; ++p) {
        if ((unsigned char)*p < 0x20)
            return NULL; /* a raw control character (NUL included) */
        if (*p == '\\') {
            ++p;
            if (*p == 'u') {
                for (int k = 1; k <= 4; ++k)
                    if (!is_hex(p[k]))
                        return NULL;
                p += 4;
            } else if (!strchr("\"\\/bfnrt", *p) || *p == '\0') {
                return NULL;
            }
        }
    }
    return p + 1;
}

static const char *number_end(const char *p)
{
    if (*p == '-')
        ++p;
    if (*p == '0')
        ++p;
    else if (is_digit(*p))
        while (is_digit(*p))
            ++p;
    else
        return NULL;
    if (*p == '.') {
        if (!is_digit(*++p))
            return NULL;
        while (is_digit(*p))
            ++p;
    }
    if (*p == 'e' || *p == 'E') {
        ++p;
        if (*p == '+' || *p == '-')
            ++p;
        if (!is_digit(*p))
            return NULL;
        while (is_digit(*p))
            ++p;
    }
    return p;
}

static const char *value_end(const char *p, int depth);

/* members of an object or elements of an array, p after the bracket */
static const char *container_end(const char *p, int depth, char close, int keyed)
{
    p = ws(p);
    if (*p == close)
        return p + 1;
    for (;;) {
        if (keyed) {
            p = string_end(ws(p));
            if (p == NULL || *(p = ws(p)) != ':')
                return NULL;
            ++p;
        }
        p = value_end(p, depth + 1);
        if (p == NULL)
            return NULL;
        p = ws(p);
        if (*p == close)
            return p + 1;
        if (*p++ != ',')
            return NULL;
    }
}

static const char *value_end(const char *p, int depth)
{
    if (depth > 64)
        return NULL;
    p = ws(p);
    switch (*p) {
    case '{': return container_end(p + 1, depth, '}', 1);
    case '[': return container_end(p + 1, depth, ']', 0);
    case '"': return string_end(p);
    case 't': return strncmp(p, "true", 4) ? NULL : p + 4;
    case 'f': return strncmp(p, "false", 5) ? NULL : p + 5;
    case 'n': return strncmp(p, "null", 4) ? NULL : p + 4;
    default: return number_end(p);
    }
}

int json_valid(const char *text)
{
    const char *end = value_end(text, 0);
    return end != NULL && *ws(end) == '\0';
}

const char *json_find(const char *text, const char *path, size_t *len)
{
    const char *p = ws(text);
    while (*path) {
        const char *dot = strchr(path, '.');
        size_t klen = dot ? (size_t)(dot - path) : strlen(path);
        if (*p != '{')
            return NULL;
        p = ws(p + 1);
        const char *found = NULL;
        while (*p == '"' && found == NULL) {
            const char *kend = string_end(p);
            const char *v = ws(ws(kend) + 1); /* past ':' */
            if ((size_t)(kend - p - 2) == klen && strncmp(p + 1, path, klen) == 0)
                found = v;
            else
                p = ws(ws(value_end(v, 0)) + 1); /* past ',' (or the '}') */
        }
        if (found == NULL)
            return NULL;
        p = found;
        path += klen + (dot != NULL);
    }
    *len = (size_t)(value_end(p, 0) - p);
    return p;
}

int json_compact(const char *value, size_t len, char *out, size_t n)
{
    size_t k = 0;
    int in_string = 0;
    for (size_t i = 0; i < len; ++i) {
        char c = value[i];
        if (in_string) {
            if (c == '\\' && i + 1 < len) {
                if (k + 2 >= n)
                    return 0;
                out[k++] = c;
                out[k++] = value[++i];
                continue;
            }
            if (c == '"')
                in_string = 0;
        } else if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
            continue;
        } else if (c == '"') {
            in_string = 1;
        }
        if (k + 1 >= n)
            return 0;
        out[k++] = c;
    }
    out[k] = '\0';
    return 1;
}
