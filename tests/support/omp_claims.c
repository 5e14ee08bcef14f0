/* LD_PRELOAD shim for the region_threads tests (tests/run_context.cmake):
 * records the team size every OpenMP parallel region of a gcc/libgomp
 * program asks for.
 *
 * gcc compiles every `#pragma omp parallel [for]` into a call of
 * GOMP_parallel(fn, data, num_threads, flags): num_threads is the value of
 * the region's num_threads clause, 0 when it has none (the team is then
 * OpenMP's ambient count). This wrapper forwards to libgomp and counts the
 * calls per (outlined function, num_threads). At exit it writes one line
 * per pair, "<module> <offset of fn in it, hex> <num_threads> <calls>", to
 * the file named by OMREG_OMP_CLAIMS_OUT (nothing when unset). Not
 * thread-safe beyond nesting: omreg never opens regions from two threads
 * at once. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define NCLAIMS 1024 /* distinct (site, num_threads) pairs; power of two */

typedef void gomp_parallel_fn(void (*fn)(void *), void *data, unsigned num_threads,
                              unsigned flags);

typedef struct claim {
    uintptr_t fn;
    unsigned num_threads;
    unsigned long long count;
} claim;

static gomp_parallel_fn *real_parallel;
static claim claims[NCLAIMS];
static unsigned long long dropped; /* calls not recorded: table full */

static void record(uintptr_t fn, unsigned num_threads)
{
    size_t h = (size_t)(((fn >> 4) + num_threads) * 2654435761u) & (NCLAIMS - 1);
    for (size_t i = 0; i < NCLAIMS; ++i) {
        claim *c = &claims[(h + i) & (NCLAIMS - 1)];
        if (c->count == 0) {
            c->fn = fn;
            c->num_threads = num_threads;
        }
        if (c->fn == fn && c->num_threads == num_threads) {
            ++c->count;
            return;
        }
    }
    ++dropped;
}

void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags)
{
    if (!real_parallel) {
        real_parallel = (gomp_parallel_fn *)dlsym(RTLD_NEXT, "GOMP_parallel");
        if (!real_parallel) {
            fputs("omp_claims: GOMP_parallel not found (not a libgomp program?)\n", stderr);
            abort();
        }
    }
    record((uintptr_t)fn, num_threads);
    real_parallel(fn, data, num_threads, flags);
}

__attribute__((destructor)) static void claims_report(void)
{
    const char *path = getenv("OMREG_OMP_CLAIMS_OUT");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    for (size_t i = 0; i < NCLAIMS; ++i) {
        if (claims[i].count == 0)
            continue;
        Dl_info info = {0};
        int ok = dladdr((void *)claims[i].fn, &info);
        fprintf(f, "%s %llx %u %llu\n", ok && info.dli_fname && *info.dli_fname ? info.dli_fname : "?",
                (unsigned long long)(claims[i].fn - (ok ? (uintptr_t)info.dli_fbase : 0)),
                claims[i].num_threads, claims[i].count);
    }
    if (dropped)
        fprintf(f, "? 0 dropped %llu\n", dropped);
    fclose(f);
}
