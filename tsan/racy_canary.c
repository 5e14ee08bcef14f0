/* The TSan canary: a deliberately racy OpenMP histogram and sum (every
 * thread does an unsynchronised read-modify-write of shared bins and of one
 * shared total). Built only when OMREG_TSAN_CANARY is ON (the tsan preset),
 * as a test-only executable that nothing links; its ctest entry passes only
 * when ThreadSanitizer reports a data race in this file, which proves that
 * the TSan + libomp + Archer setup really sees races in OpenMP code. */
#include <omp.h>
#include <stdio.h>

#define CANARY_N 20000
#define CANARY_BINS 8

static double values[CANARY_N];
static long bins[CANARY_BINS];
static double total;

/* The bug on purpose: no reduction, no atomic, no per-thread partials. */
static void racy_histogram_sum(const double *x, long n)
{
#pragma omp parallel for schedule(runtime)
    for (long i = 0; i < n; ++i) {
        int b = (int)(x[i] * CANARY_BINS);
        bins[b] += 1;
        total += x[i];
    }
}

int main(void)
{
    if (omp_get_max_threads() < 2) {
        fprintf(stderr, "racy_canary: needs OMP_NUM_THREADS >= 2 to race\n");
        return 2;
    }
    for (long i = 0; i < CANARY_N; ++i)
        values[i] = (double)((i * 7919) % 1000) / 1000.0;
    racy_histogram_sum(values, CANARY_N);
    long count = 0;
    for (int b = 0; b < CANARY_BINS; ++b)
        count += bins[b];
    printf("racy_canary: %ld of %d counted, total %.17g\n", count, CANARY_N, total);
    return 0;
}
