/* The wait policy the omreg command chooses (issue 14 item 4,
 * cli/cli_wait_policy.c), seen from outside: each run has
 * OMP_DISPLAY_ENV=verbose, so the OpenMP runtime prints its settings on
 * stderr every time it starts, once per process image. A re-executed
 * command therefore prints two blocks, and the last one shows the policy the
 * run's threads used (support/omp_display.h).
 *  - default: passive, after exactly one re-exec (two blocks under libgomp,
 *    not more: the marker stops a loop; one under libomp, which starts
 *    lazily: support/omp_display.h);
 *  - --wait-policy active: active, one re-exec; --wait-policy env: the
 *    runtime's default, no re-exec;
 *  - the user's OMP_WAIT_POLICY or GOMP_SPINCOUNT wins over the default and
 *    over --wait-policy, without a re-exec;
 *  - a marker already in the environment (a re-executed image) never
 *    executes again;
 *  - a bad value is a usage error before any re-exec; --help re-executes
 *    nothing;
 *  - the provenance record says which policy ran and who chose it;
 *  - under Valgrind nothing is re-executed (the kernel's /proc/self/exe is
 *    Valgrind's tool there, and an exec'd image would leave Valgrind).
 * ctest sets OMP_WAIT_POLICY=passive for every test: each case starts from
 * an environment without it. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"
#include "cli_harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_read.h"
#include "omp_display.h"
#include "omreg/image.h"
#include "omreg/nifti.h"

/* a 2D scene small enough for a two-level translation in well under a second */
static void write_image(const char *path, double shift)
{
    const size_t shape[2] = {32, 36};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 2, shape, 1, OMREG_F64, NULL), OMREG_OK);
    double *v = omreg_image_data(img);
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j) {
            const double x = (double)i - 14.0 - shift, y = (double)j - 17.0;
            v[i * shape[1] + j] = (x * x + 2.0 * y * y < 60.0) + 0.01 * (double)(i + j);
        }
    assert_int_equal(omreg_nifti_write(path, img), OMREG_OK);
    omreg_image_free(img);
}

static int setup(void **state)
{
    if (cli_setup(state) != 0)
        return -1;
    write_image(cli_tmp("static.nii"), 0.0);
    write_image(cli_tmp("moving.nii"), 1.5);
    return 0;
}

/* a clean start: no policy, no spin count, no marker; the runtime talks */
static void clean_env(void)
{
    unsetenv("OMP_WAIT_POLICY");
    unsetenv("GOMP_SPINCOUNT");
    unsetenv("OMREG_WAIT_POLICY_EXEC");
    setenv("OMP_DISPLAY_ENV", "verbose", 1);
}

typedef struct run_seen {
    int status;
    int blocks;       /* runtime starts */
    const char *wait; /* the last start's policy */
    char *err;        /* stderr */
} run_seen;

/* omreg affine on the pair with extra arguments, recording to r.json */
static run_seen run_affine(const char *extra)
{
    run_seen r;
    r.status = cli_run("affine '%s' '%s' --transform translation --level-iters 3,2 "
                       "--sigmas 1,0 --factors 2,1 --quiet --out-json '%s' %s",
                       cli_tmp("static.nii"), cli_tmp("moving.nii"), cli_tmp("r.json"), extra);
    size_t n;
    r.err = cli_slurp(cli_tmp("stderr.txt"), &n);
    r.blocks = omp_display_blocks(r.err);
    r.wait = omp_display_wait(r.err);
    return r;
}

/* the record's run.<key> as compact JSON */
static void record_run(const char *key, char *out, size_t n)
{
    size_t len;
    char *rec = cli_slurp(cli_tmp("r.json"), &len);
    char path[64];
    snprintf(path, sizeof path, "run.%s", key);
    const char *v = json_find(rec, path, &len);
    if (v == NULL)
        fail_msg("the record has no %s:\n%s", path, rec);
    assert_true(json_compact(v, len, out, n));
    free(rec);
}

static void expect(const run_seen *r, int blocks, const char *wait, const char *source,
                   const char *policy)
{
    if (r->status != 0 || r->blocks != blocks || r->wait == NULL || strcmp(r->wait, wait) != 0)
        fail_msg("exit %d, %d runtime starts (want %d), wait %s (want %s); stderr:\n%s",
                 r->status, r->blocks, blocks, r->wait ? r->wait : "(none)", wait, r->err);
    char got[128];
    record_run("wait_policy_source", got, sizeof got);
    assert_string_equal(got, source);
    record_run("wait_policy", got, sizeof got);
    assert_string_equal(got, policy);
}

static void default_is_passive_after_one_reexec(void **state)
{
    (void)state;
    clean_env();
    run_seen r = run_affine("");
    expect(&r, omp_display_reexec_blocks(r.err), "passive", "\"omreg\"", "\"passive\"");
    free(r.err);
    /* and the same when asked for by name */
    r = run_affine("--wait-policy passive");
    expect(&r, omp_display_reexec_blocks(r.err), "passive", "\"omreg\"", "\"passive\"");
    free(r.err);
}

static void active_and_env_options(void **state)
{
    (void)state;
    clean_env();
    run_seen r = run_affine("--wait-policy active");
    expect(&r, omp_display_reexec_blocks(r.err), "active", "\"omreg\"", "\"active\"");
    free(r.err);
    r = run_affine("--wait-policy env");
    expect(&r, 1, "default", "\"runtime\"", "null");
    free(r.err);
}

static void user_environment_wins(void **state)
{
    (void)state;
    clean_env();
    setenv("OMP_WAIT_POLICY", "active", 1);
    run_seen r = run_affine("");
    expect(&r, 1, "active", "\"environment\"", "\"active\"");
    free(r.err);
    r = run_affine("--wait-policy passive");
    expect(&r, 1, "active", "\"environment\"", "\"active\"");
    free(r.err);
    clean_env();
    setenv("GOMP_SPINCOUNT", "12345", 1);
    r = run_affine("--wait-policy active");
    expect(&r, 1, "default", "\"environment\"", "null");
    char got[64];
    record_run("gomp_spincount", got, sizeof got);
    assert_string_equal(got, "\"12345\"");
    free(r.err);
    clean_env();
}

static void marker_stops_a_second_exec(void **state)
{
    (void)state;
    clean_env();
    /* as a re-executed image sees it (with the policy not reaching it) */
    setenv("OMREG_WAIT_POLICY_EXEC", "passive", 1);
    run_seen r = run_affine("");
    expect(&r, 1, "default", "\"omreg\"", "null");
    free(r.err);
    clean_env();
}

static void other_commands_and_errors(void **state)
{
    (void)state;
    clean_env();
    /* apply re-executes like affine */
    int st = cli_run("apply '%s' --reference '%s' --out '%s'", cli_tmp("moving.nii"),
                     cli_tmp("static.nii"), cli_tmp("o.nii"));
    size_t n;
    char *err = cli_slurp(cli_tmp("stderr.txt"), &n);
    const char *wait = omp_display_wait(err);
    if (st != 0 || omp_display_blocks(err) != omp_display_reexec_blocks(err) || wait == NULL ||
        strcmp(wait, "passive") != 0)
        fail_msg("apply: exit %d, %d starts, wait %s:\n%s", st, omp_display_blocks(err),
                 wait ? wait : "(none)", err);
    free(err);
    /* a bad value: usage error, no re-exec */
    st = cli_run("affine a.nii b.nii --wait-policy sometimes");
    err = cli_slurp(cli_tmp("stderr.txt"), &n);
    assert_int_equal(st, 2);
    assert_non_null(strstr(err, "--wait-policy: 'sometimes'"));
    /* one image: libgomp prints once; libomp may not start at all (0) */
    assert_true(omp_display_blocks(err) < 2);
    free(err);
    /* --help: usage, no re-exec */
    st = cli_run("syn --help >/dev/null");
    err = cli_slurp(cli_tmp("stderr.txt"), &n);
    assert_int_equal(st, 0);
    assert_true(omp_display_blocks(err) < 2);
    free(err);
}

static void valgrind_runs_it_without_reexec(void **state)
{
    (void)state;
#if defined(__clang__)
    /* the clang presets: Debian 12's Valgrind 3.19 cannot read the coverage
     * build's DWARF 5 debug info, and an ASan binary cannot run under
     * Valgrind at all; the gcc stages run this case */
    skip();
#endif
    if (system("valgrind --version >/dev/null 2>&1") != 0)
        skip();
    clean_env();
    const char *out = cli_tmp("vg.nii");
    unlink(out);
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "valgrind -q --error-exitcode=99 '%s' apply '%s' --reference '%s' --out '%s' "
             "2>'%s'",
             OMREG_CLI_PATH, cli_tmp("moving.nii"), cli_tmp("static.nii"), out,
             cli_tmp("stderr.txt"));
    const int st = system(cmd);
    size_t n;
    char *err = cli_slurp(cli_tmp("stderr.txt"), &n);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || access(out, F_OK) != 0 ||
        omp_display_blocks(err) != 1)
        fail_msg("valgrind omreg apply: status %d, %d runtime starts (want 1):\n%s", st,
                 omp_display_blocks(err), err);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(default_is_passive_after_one_reexec),
        cmocka_unit_test(active_and_env_options),
        cmocka_unit_test(user_environment_wins),
        cmocka_unit_test(marker_stops_a_second_exec),
        cmocka_unit_test(other_commands_and_errors),
        cmocka_unit_test(valgrind_runs_it_without_reexec),
    };
    return cmocka_run_group_tests(tests, setup, cli_teardown);
}
