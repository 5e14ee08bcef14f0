/* Scratch directories, command runs and file comparisons for the tests that
 * run the built `omreg` (see cli_scratch.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_scratch.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "omreg_test.h"

static char scratch_dir[256];

int omreg_test_scratch_setup(void **state)
{
    (void)state;
    snprintf(scratch_dir, sizeof scratch_dir, "/tmp/omreg-test-XXXXXX");
    return mkdtemp(scratch_dir) ? 0 : -1;
}

int omreg_test_scratch_teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch_dir);
    return system(cmd) == 0 ? 0 : -1;
}

const char *omreg_test_scratch(const char *name)
{
    static char buf[16][512];
    static int next;
    char *p = buf[next++ % 16];
    snprintf(p, 512, "%s/%s", scratch_dir, name);
    return p;
}

int omreg_test_run_cli(const char *exe, const char *fmt, ...)
{
    char args[4096], cmd[5120];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' %s >'%s/stdout.txt' 2>'%s/stderr.txt'", exe, args,
             scratch_dir, scratch_dir);
    int st = system(cmd);
    assert_true(st != -1 && WIFEXITED(st));
    return WEXITSTATUS(st);
}

void *omreg_test_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *buf = omreg_test_alloc((size_t)len + 1, 1);
    assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

void omreg_test_assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    unsigned char *x = omreg_test_slurp(a, &na), *y = omreg_test_slurp(b, &nb);
    if (na != nb || memcmp(x, y, na) != 0) {
        size_t i = 0;
        while (i < na && i < nb && x[i] == y[i])
            ++i;
        fail_msg("%s and %s differ (sizes %zu, %zu; first at byte %zu)", a, b, na, nb, i);
    }
    free(x);
    free(y);
}
