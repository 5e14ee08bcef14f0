/* Tests that run the built `omreg` command: a scratch directory for their
 * files, the command run with its stdout and stderr captured there, and
 * whole-file comparisons. */
#ifndef OMREG_TEST_CLI_SCRATCH_H
#define OMREG_TEST_CLI_SCRATCH_H

#include <stddef.h>

/* cmocka setup / teardown: create /tmp/omreg-test-XXXXXX, remove it. */
int omreg_test_scratch_setup(void **state);
int omreg_test_scratch_teardown(void **state);

/* "<scratch>/<name>" in one of 16 rotating buffers: copy a path that must
 * outlive 16 further calls. */
const char *omreg_test_scratch(const char *name);

/* Run `'<exe>' <args>` with stdout to <scratch>/stdout.txt and stderr to
 * <scratch>/stderr.txt; the exit code (the test fails if it did not exit). */
int omreg_test_run_cli(const char *exe, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The whole file, NUL-terminated (*n bytes before the NUL); free() it. */
void *omreg_test_slurp(const char *path, size_t *n);

/* Fail unless the two files hold the same bytes (names the first difference). */
void omreg_test_assert_same_file(const char *a, const char *b);

#endif
