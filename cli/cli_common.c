/* Helpers shared by the omreg subcommands (see cli.h). */
#define _POSIX_C_SOURCE 200809L /* strtok_r, clock_gettime, getpid */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "omreg/nifti.h"
#include "omreg/png.h"

static int verror(int code, const char *fmt, va_list ap)
{
    fputs("omreg: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    return code;
}

int cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int code = verror(1, fmt, ap);
    va_end(ap);
    return code;
}

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int code = verror(2, fmt, ap);
    va_end(ap);
    return code;
}

int cli_status_error(const char *what, omreg_status st)
{
    const char *msg = omreg_last_error();
    return cli_error("%s: %s", what, msg[0] ? msg : omreg_status_str(st));
}

int cli_parse_int(const char *text, int lo, int hi, int *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end != '\0' || v < lo || v > hi)
        return 0;
    *out = (int)v;
    return 1;
}

int cli_parse_double(const char *text, double lo, double hi, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end != '\0' || !isfinite(v) || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

/* split a comma list into at most max tokens, calling parse on each */
static int parse_list(const char *text, int max, int (*parse)(const char *, void *, int),
                      void *out)
{
    char buf[512];
    if (strlen(text) >= sizeof buf)
        return -1;
    strcpy(buf, text);
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (n == max || !parse(tok, out, n))
            return -1;
        ++n;
    }
    return n > 0 ? n : -1;
}

static int list_lo_i, list_hi_i;
static double list_lo_d, list_hi_d;
static int parse_int_item(const char *t, void *out, int i)
{
    return cli_parse_int(t, list_lo_i, list_hi_i, (int *)out + i);
}
static int parse_double_item(const char *t, void *out, int i)
{
    return cli_parse_double(t, list_lo_d, list_hi_d, (double *)out + i);
}

int cli_parse_int_list(const char *text, int lo, int hi, int *out, int max)
{
    list_lo_i = lo;
    list_hi_i = hi;
    return parse_list(text, max, parse_int_item, out);
}

int cli_parse_double_list(const char *text, double lo, double hi, double *out, int max)
{
    list_lo_d = lo;
    list_hi_d = hi;
    return parse_list(text, max, parse_double_item, out);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

omreg_status cli_read_image(const char *path, omreg_image **out)
{
    if (ends_with(path, ".png") || ends_with(path, ".PNG"))
        return omreg_png_read(path, OMREG_F64, out);
    return omreg_nifti_read(path, OMREG_F64, out);
}

omreg_status cli_write_image(const char *path, const omreg_image *img)
{
    return omreg_nifti_write(path, img);
}

omreg_status cli_write_matrix(const char *path, int n, const double *m)
{
    char tmp[4096];
    if (snprintf(tmp, sizeof tmp, "%s.tmp.%ld", path, (long)getpid()) >= (int)sizeof tmp) {
        fprintf(stderr, "omreg: %s: path too long\n", path);
        return OMREG_EINVAL;
    }
    FILE *f = fopen(tmp, "w");
    if (f == NULL)
        return OMREG_EIO;
    int ok = 1;
    for (int r = 0; r < n; ++r)
        for (int c = 0; c < n; ++c)
            ok = ok && fprintf(f, "%.17g%c", m[r * n + c], c + 1 < n ? ' ' : '\n') > 0;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, path) != 0) {
        remove(tmp);
        return OMREG_EIO;
    }
    return OMREG_OK;
}

omreg_status cli_read_matrix(const char *path, int n, double *m)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return OMREG_EIO;
    int count = 0;
    double v;
    while (count < n * n && fscanf(f, "%lf", &v) == 1)
        m[count++] = v;
    int extra = fscanf(f, "%lf", &v) == 1;
    fclose(f);
    if (count != n * n || extra)
        return OMREG_EFORMAT;
    for (int i = 0; i < n * n; ++i)
        if (!isfinite(m[i]))
            return OMREG_ENONFINITE;
    return OMREG_OK;
}

int cli_select_backend(const char *name, const omreg_backend **out)
{
    const omreg_backend *b = omreg_backend_by_name(name);
    if (b == NULL)
        return 0;
    *out = b;
    return 1;
}

void cli_set_threads(int threads)
{
    if (threads > 0)
        omp_set_num_threads(threads);
}

double cli_elapsed(void)
{
    static struct timespec t0;
    static int started;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if (!started) {
        t0 = t;
        started = 1;
    }
    return (double)(t.tv_sec - t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - t0.tv_nsec);
}
