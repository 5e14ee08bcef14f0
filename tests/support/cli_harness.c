/* Running the omreg command from cmocka tests (cli_harness.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_harness.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "omreg_test.h"

static char tmpdir[256];

int cli_setup(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/omreg-cli-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

int cli_teardown(void **state)
{
    (void)state;
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

const char *cli_tmp(const char *name)
{
    static char buf[8][512];
    static int next;
    char *p = buf[next++ % 8];
    snprintf(p, 512, "%s/%s", tmpdir, name);
    return p;
}

const char *cli_fixture(const char *name)
{
    static char buf[16][512];
    static int next;
    char *p = buf[next++ % 16];
    snprintf(p, 512, "%s", omreg_test_fixture_path(name));
    return p;
}

int cli_run(const char *fmt, ...)
{
    char args[4096], cmd[5120];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd, "'%s' %s 2>'%s/stderr.txt'", OMREG_CLI_PATH, args, tmpdir);
    int st = system(cmd);
    assert_true(st != -1 && WIFEXITED(st));
    return WEXITSTATUS(st);
}

void *cli_slurp(const char *path, size_t *n)
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

void cli_assert_same_file(const char *a, const char *b)
{
    size_t na, nb;
    unsigned char *x = cli_slurp(a, &na), *y = cli_slurp(b, &nb);
    if (na != nb || memcmp(x, y, na) != 0) {
        size_t i = 0;
        while (i < na && i < nb && x[i] == y[i])
            ++i;
        fail_msg("%s and %s differ (sizes %zu, %zu; first at byte %zu)", a, b, na, nb, i);
    }
    free(x);
    free(y);
}


char *cli_stderr(void)
{
    size_t n;
    return cli_slurp(cli_tmp("stderr.txt"), &n);
}
