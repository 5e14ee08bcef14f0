/* LD_PRELOAD shim that times every OpenMP parallel region of a gcc/libgomp
 * program, for bench/run's serial-fraction measurement (bench/README.md).
 *
 * gcc compiles every `#pragma omp parallel [for]` into a call of
 * GOMP_parallel(fn, data, nthreads, flags) (libgomp >= 4.9; the team's work,
 * the outlined fn, runs inside it and the call returns after the closing
 * barrier). This wrapper forwards to libgomp's GOMP_parallel and adds the
 * wall time (CLOCK_MONOTONIC) and the calling thread's CPU time
 * (CLOCK_THREAD_CPUTIME_ID) spent inside. Run at one thread, the calling
 * thread does all the work, so
 *     CPU inside regions / CPU of the process
 * is the parallelisable fraction of the run, and one minus it the serial
 * fraction, independent of what else loads the machine.
 *
 * At exit it writes one JSON object to the file named by OMREG_REGIONS_OUT
 * (nothing when unset): totals, the span from the first region's start to
 * the last region's end (the registration proper, without image loading
 * and writing), the region count and a histogram of region wall times in
 * powers of two of microseconds, and per region site (the outlined
 * function's address; bench/run names it with nm) its calls, wall and CPU
 * time, so runs at 1 and 2 threads show which regions scale. Nested
 * regions are counted once (the outermost). Not thread-safe beyond that:
 * omreg never opens a region from two threads at once. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define NBUCKETS 32
#define NSITES 1024 /* distinct outlined functions; power of two */

typedef void gomp_parallel_fn(void (*fn)(void *), void *data, unsigned num_threads,
                              unsigned flags);

static gomp_parallel_fn *real_parallel;
static int depth;
static unsigned long long regions;
static double wall_in, cpu_in;                 /* seconds inside regions */
static double wall_start, cpu_start;           /* at load */
static double first_wall = -1, first_cpu = -1; /* first region start */
static double last_wall, last_cpu;             /* last region end */
static double bucket_time[NBUCKETS];
static unsigned long long bucket_count[NBUCKETS];
static unsigned max_team;

typedef struct site {
    uintptr_t fn;
    unsigned long long count;
    double wall, cpu;
} site;
static site sites[NSITES];
static unsigned long long sites_dropped; /* calls not recorded: table full */

static site *site_of(uintptr_t fn)
{
    size_t h = (size_t)((fn >> 4) * 2654435761u) & (NSITES - 1);
    for (size_t i = 0; i < NSITES; ++i) {
        site *st = &sites[(h + i) & (NSITES - 1)];
        if (st->fn == fn)
            return st;
        if (st->fn == 0) {
            st->fn = fn;
            return st;
        }
    }
    return NULL;
}

static double now(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

__attribute__((constructor)) static void regions_init(void)
{
    wall_start = now(CLOCK_MONOTONIC);
    cpu_start = now(CLOCK_PROCESS_CPUTIME_ID);
}

void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags)
{
    if (!real_parallel) {
        real_parallel = (gomp_parallel_fn *)dlsym(RTLD_NEXT, "GOMP_parallel");
        if (!real_parallel) {
            fputs("omp_regions: GOMP_parallel not found (not a libgomp program?)\n", stderr);
            abort();
        }
    }
    if (depth++ > 0) {
        real_parallel(fn, data, num_threads, flags);
        --depth;
        return;
    }
    if (first_wall < 0) {
        first_cpu = now(CLOCK_PROCESS_CPUTIME_ID);
        first_wall = now(CLOCK_MONOTONIC);
    }
    double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_THREAD_CPUTIME_ID);
    real_parallel(fn, data, num_threads, flags);
    double w1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_THREAD_CPUTIME_ID);
    --depth;
    last_wall = w1;
    last_cpu = now(CLOCK_PROCESS_CPUTIME_ID);
    ++regions;
    wall_in += w1 - w0;
    cpu_in += c1 - c0;
    if (num_threads > max_team)
        max_team = num_threads;
    site *st = site_of((uintptr_t)fn);
    if (st) {
        ++st->count;
        st->wall += w1 - w0;
        st->cpu += c1 - c0;
    } else {
        ++sites_dropped;
    }
    double us = (w1 - w0) * 1e6;
    int b = 0;
    while (b < NBUCKETS - 1 && us >= (double)(1ull << b))
        ++b;
    bucket_time[b] += w1 - w0;
    ++bucket_count[b];
}

__attribute__((destructor)) static void regions_report(void)
{
    const char *path = getenv("OMREG_REGIONS_OUT");
    if (!path || !*path)
        return;
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    double wall_end = now(CLOCK_MONOTONIC), cpu_end = now(CLOCK_PROCESS_CPUTIME_ID);
    fprintf(f, "{\"regions\": %llu, \"max_team\": %u, \"wall_total\": %.9f, \"cpu_total\": %.9f,\n",
            regions, max_team,
            wall_end - wall_start, cpu_end - cpu_start);
    fprintf(f, " \"wall_in_regions\": %.9f, \"cpu_in_regions\": %.9f,\n", wall_in, cpu_in);
    fprintf(f, " \"wall_span\": %.9f, \"cpu_span\": %.9f,\n",
            regions ? last_wall - first_wall : 0.0, regions ? last_cpu - first_cpu : 0.0);
    fprintf(f, " \"histogram_us_upper\": [");
    for (int b = 0; b < NBUCKETS; ++b)
        fprintf(f, "%s%llu", b ? ", " : "", 1ull << b);
    fprintf(f, "],\n \"histogram_count\": [");
    for (int b = 0; b < NBUCKETS; ++b)
        fprintf(f, "%s%llu", b ? ", " : "", bucket_count[b]);
    fprintf(f, "],\n \"histogram_wall\": [");
    for (int b = 0; b < NBUCKETS; ++b)
        fprintf(f, "%s%.9f", b ? ", " : "", bucket_time[b]);
    fprintf(f, "],\n \"sites_dropped\": %llu, \"sites\": [", sites_dropped);
    int first = 1;
    for (size_t i = 0; i < NSITES; ++i) {
        if (!sites[i].fn)
            continue;
        Dl_info info = {0};
        void *addr = (void *)sites[i].fn;
        int ok = dladdr(addr, &info);
        fprintf(f, "%s\n  {\"addr\": %llu, \"base\": %llu, \"module\": \"%s\", "
                   "\"symbol\": \"%s\", \"count\": %llu, \"wall\": %.9f, \"cpu\": %.9f}",
                first ? "" : ",", (unsigned long long)sites[i].fn,
                (unsigned long long)(ok ? (uintptr_t)info.dli_fbase : 0),
                ok && info.dli_fname ? info.dli_fname : "",
                ok && info.dli_sname ? info.dli_sname : "", sites[i].count, sites[i].wall,
                sites[i].cpu);
        first = 0;
    }
    fprintf(f, "]}\n");
    fclose(f);
}
