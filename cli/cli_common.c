/* Helpers shared by the omreg subcommands (see cli.h): messages, option
 * values, reading images and matrices, threads and backends. This file calls
 * no other cli/ file; the outputs (cli_outputs.c) build on it, never the
 * reverse. */
#define _POSIX_C_SOURCE 200809L /* strtok_r, clock_gettime, getpid */
#include <errno.h>
#include <getopt.h>
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

static int errors_silenced;

void cli_silence_errors(int on) { errors_silenced = on; }

/* One line on stderr, whatever the arguments hold: control characters in a
 * file name or option value (a newline, an escape) print as '?'. */
static int verror(int code, const char *fmt, va_list ap)
{
    char msg[2048];
    int n = vsnprintf(msg, sizeof msg, fmt, ap);
    if (n < 0)
        snprintf(msg, sizeof msg, "(unprintable message)");
    for (char *p = msg; *p; ++p)
        if ((unsigned char)*p < 0x20 || *p == 0x7f)
            *p = '?';
    if (!errors_silenced)
        fprintf(stderr, "omreg: %s\n", msg);
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

int cli_load_image(const char *what, const char *path, omreg_image **out)
{
    omreg_status st = cli_read_image(path, out);
    if (st != OMREG_OK) {
        char label[256];
        snprintf(label, sizeof label, "%s image %s", what, path);
        return cli_status_error(label, st);
    }
    return cli_check_finite(what, path, *out);
}

int cli_load_pair(const char *cmd, const char *static_path, const char *moving_path,
                  omreg_image **stat, omreg_image **mov)
{
    int rc = cli_load_image("static", static_path, stat);
    if (!rc)
        rc = cli_load_image("moving", moving_path, mov);
    if (!rc && omreg_image_ndim(*stat) != omreg_image_ndim(*mov))
        rc = cli_error("%s: STATIC is %dD but MOVING is %dD", cmd, omreg_image_ndim(*stat),
                       omreg_image_ndim(*mov));
    return rc;
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

/* ---- option parsing shared by the registration commands ---------------- */

cli_exec cli_exec_defaults(void)
{
    cli_exec e = {omreg_backend_parallel(), 0, 0, CLI_WAIT_PASSIVE};
    return e;
}

void cli_getopt_reset(void)
{
    opterr = 0;
    optind = 0; /* glibc: 0 re-initialises getopt fully (1 would not) */
}

int cli_common_option(int opt, const char *arg, cli_exec *e, int *rc)
{
    *rc = 0;
    switch (opt) {
    case CLI_O_THREADS:
        if (!cli_parse_int(arg, 1, 4096, &e->threads))
            *rc = cli_usage_error("--threads: '%s' is not an integer >= 1", arg);
        return 1;
    case CLI_O_BACKEND:
        if (!cli_select_backend(arg, &e->backend))
            *rc = cli_usage_error("--backend: '%s' is neither parallel nor reference", arg);
        return 1;
    case CLI_O_WAIT_POLICY:
        if (strcmp(arg, "passive") == 0)
            e->wait_policy = CLI_WAIT_PASSIVE;
        else if (strcmp(arg, "active") == 0)
            e->wait_policy = CLI_WAIT_ACTIVE;
        else if (strcmp(arg, "env") == 0)
            e->wait_policy = CLI_WAIT_ENV;
        else
            *rc = cli_usage_error("--wait-policy: '%s' is not passive, active or env", arg);
        return 1;
    case 'q':
    case CLI_O_QUIET: e->quiet = 1; return 1;
    case 'h':
    case CLI_O_HELP: *rc = CLI_HELP; return 1;
    default: return 0;
    }
}

int cli_bad_option(const char *cmd, int argc, char **argv)
{
    const char *what = optind >= 1 && optind <= argc ? argv[optind - 1] : "?";
    return cli_usage_error("%s: unknown or incomplete option '%s' (see omreg %s --help)", cmd,
                           what, cmd);
}

int cli_parse_level_iters(const char *arg, int *out, int max, int *n)
{
    if ((*n = cli_parse_int_list(arg, 0, 1000000, out, max)) < 1)
        return cli_usage_error("--level-iters: '%s' is not a list of 1 to %d integers >= 0", arg,
                               max);
    return 0;
}

int cli_expect_pair(const char *cmd, int argc, int optind_)
{
    if (argc - optind_ == 2)
        return 0;
    return cli_usage_error("%s: expected STATIC and MOVING images, got %d argument%s (see omreg "
                           "%s --help)",
                           cmd, argc - optind_, argc - optind_ == 1 ? "" : "s", cmd);
}

/* ---- input checks ------------------------------------------------------- */

int cli_check_finite(const char *what, const char *path, const omreg_image *img)
{
    if (img == NULL || omreg_image_dtype(img) != OMREG_F64)
        return 0;
    const double *v = omreg_image_cdata(img);
    const size_t n = omreg_image_voxels(img) * (size_t)omreg_image_ncomp(img);
    for (size_t i = 0; i < n; ++i)
        if (!isfinite(v[i]))
            return cli_error("%s image %s: voxel %zu is %s; omreg refuses non-finite "
                             "intensities (replace them, e.g. by 0, and pass a mask)",
                             what, path, i, isnan(v[i]) ? "NaN" : "infinite");
    return 0;
}

int cli_check_same_grid(const char *what, const char *path, const omreg_image *mask,
                        const char *img_what, const omreg_image *img)
{
    const size_t *ms = omreg_image_shape(mask), *is = omreg_image_shape(img);
    const int md = omreg_image_ndim(mask), id = omreg_image_ndim(img);
    if (md != id)
        return cli_error("%s %s is %dD but %s is %dD", what, path, md, img_what, id);
    for (int d = 0; d < md; ++d)
        if (ms[d] != is[d])
            return cli_error("%s %s: shape %zux%zux%zu differs from %s's %zux%zux%zu", what, path,
                             ms[0], ms[1], md > 2 ? ms[2] : (size_t)1, img_what, is[0], is[1],
                             id > 2 ? is[2] : (size_t)1);
    return 0;
}
