/* The OpenMP wait policy of the omreg command (issue 14 item 4).
 *
 * libgomp's default wait spins at barriers before sleeping: with a second
 * busy process on the machine a spinning thread burns the core its
 * descheduled partner needs, and 2 threads ran 2-3x slower than 1. Passive
 * waits (sleep at once) avoid that. libgomp reads OMP_WAIT_POLICY and
 * GOMP_SPINCOUNT once, in its constructor, before main runs: setting the
 * variable in main is too late, so the command sets it and re-executes
 * itself (/proc/self/exe, same argv) once. A marker variable tells the new
 * image it was re-executed, so it never executes again; the marker is
 * removed at once (children do not inherit it). The user's own
 * OMP_WAIT_POLICY or GOMP_SPINCOUNT always wins (no re-exec), and a failed
 * exec is not an error: the command goes on with the runtime's default.
 * Under Valgrind nothing is re-executed: Valgrind loads the program itself
 * (the kernel's /proc/self/exe is Valgrind's tool), and an exec'd image
 * would run outside it unless --trace-children=yes. */
#define _POSIX_C_SOURCE 200809L
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define MARKER "OMREG_WAIT_POLICY_EXEC" /* holds the policy the first image set */

static char **saved_argv; /* a copy of main's argv (getopt permutes the original);
                           * NULL outside the omreg command */
static int reexecuted;    /* this image was started by cli_wait_policy_apply */

void cli_wait_policy_init(int argc, char **argv)
{
    saved_argv = malloc(((size_t)argc + 1) * sizeof *saved_argv);
    if (saved_argv != NULL) /* else: no re-exec, the runtime's default */
        for (int i = 0; i <= argc; ++i)
            saved_argv[i] = argv[i];
    if (getenv(MARKER) != NULL) {
        reexecuted = 1;
        unsetenv(MARKER);
    }
}

static int user_set(void)
{
    return getenv("OMP_WAIT_POLICY") != NULL || getenv("GOMP_SPINCOUNT") != NULL;
}

/* Valgrind preloads its vgpreload_<tool> objects into the program it runs */
static int under_valgrind(void)
{
    const char *preload = getenv("LD_PRELOAD");
    return preload != NULL && strstr(preload, "/vgpreload_") != NULL;
}

/* the program's path: /proc/self/exe read as a link (emulators such as
 * qemu-user answer it with the program, not themselves), or the link
 * itself when the file was replaced or removed since it started */
static void program_path(char *path, size_t n)
{
    const ssize_t len = readlink("/proc/self/exe", path, n - 1);
    static const char deleted[] = " (deleted)";
    const size_t dl = sizeof deleted - 1;
    if (len <= 0 || (size_t)len >= n - 1 ||
        ((size_t)len >= dl && memcmp(path + len - dl, deleted, dl) == 0)) {
        snprintf(path, n, "/proc/self/exe");
        return;
    }
    path[len] = '\0';
}

void cli_wait_policy_apply(cli_wait_policy policy)
{
    if (policy == CLI_WAIT_ENV || saved_argv == NULL || reexecuted || user_set() ||
        under_valgrind())
        return;
    const char *value = policy == CLI_WAIT_ACTIVE ? "active" : "passive";
    if (setenv("OMP_WAIT_POLICY", value, 1) == 0 && setenv(MARKER, value, 1) == 0) {
        char path[PATH_MAX];
        program_path(path, sizeof path);
        fflush(NULL);
        execv(path, saved_argv); /* returns only on failure */
    }
    /* the runtime already runs with its default: say nothing else */
    unsetenv("OMP_WAIT_POLICY");
    unsetenv(MARKER);
}

const char *cli_wait_policy_source(void)
{
    if (reexecuted)
        return "omreg";
    return user_set() ? "environment" : "runtime";
}
