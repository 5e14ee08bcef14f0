/* OpenMP defaults of the omreg command (not of the library): every parallel
 * loop has schedule(runtime) and gives bitwise identical results under any
 * schedule, so the schedule is purely a speed choice. libgomp's default for
 * an unset OMP_SCHEDULE is dynamic,1 (one chunk per iteration), which cost
 * 20-50% at 2 threads (bench/README.md); the command uses static instead.
 * An OMP_SCHEDULE set by the user is left alone. */
#include <omp.h>
#include <stdlib.h>

void cli_openmp_defaults(void);

/* Called first thing in main, before any parallel region: the run-sched-var
 * ICV of the initial task is inherited by every region the command opens.
 * The wait policy is not set here: libgomp reads OMP_WAIT_POLICY when it is
 * loaded, before main, so cli/cli_wait_policy.c re-executes the command
 * with it set. */
void cli_openmp_defaults(void)
{
    const char *sched = getenv("OMP_SCHEDULE");
    if (sched == NULL || sched[0] == '\0')
        omp_set_schedule(omp_sched_static, 0); /* chunk 0: one contiguous chunk per thread */
}
