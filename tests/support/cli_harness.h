/* Running the omreg command from a cmocka test: one scratch directory per
 * program (cli_setup / cli_teardown as the group's fixtures), the command
 * run with its stderr captured in <scratch>/stderr.txt, whole files read
 * and compared. */
#ifndef OMREG_TEST_CLI_HARNESS_H
#define OMREG_TEST_CLI_HARNESS_H

#include <stddef.h>

int cli_setup(void **state);
int cli_teardown(void **state);
/* <scratch>/name (a few rotating buffers: use the result at once) */
const char *cli_tmp(const char *name);
/* fixtures/name, rotating buffers likewise */
const char *cli_fixture(const char *name);
/* run "omreg <args>" (printf-style, quote paths yourself); its exit code */
int cli_run(const char *fmt, ...);
/* a whole file, NUL-terminated, malloc'd; *n its size */
void *cli_slurp(const char *path, size_t *n);
/* fail unless the two files hold the same bytes */
void cli_assert_same_file(const char *a, const char *b);
/* the captured stderr of the last cli_run (freed by the caller) */
char *cli_stderr(void);

#endif
