/* Overflow-checked calloc with a test hook that fails the n-th call. */
#include <stdint.h>
#include <stdlib.h>

#include "alloc.h"
#include "error.h"

static long fail_countdown; /* 0: hook disabled */
static long alloc_count;    /* omreg_calloc calls so far */

/* the status behind this thread's last NULL from omreg_calloc */
static _Thread_local omreg_status calloc_failure = OMREG_OK;

void omreg_testing_fail_alloc_at(long n) { fail_countdown = n > 0 ? n : 0; }

long omreg_testing_alloc_count(void) { return alloc_count; }

omreg_status omreg_size_mul(size_t *out, size_t a, size_t b)
{
    if (a != 0 && b > SIZE_MAX / a)
        return omreg_fail(OMREG_EOVERFLOW, "size %zu x %zu overflows", a, b);
    *out = a * b;
    return OMREG_OK;
}

omreg_status omreg_calloc_failure(void) { return calloc_failure; }

void *omreg_calloc(size_t count, size_t size, const char *what)
{
    ++alloc_count;
    size_t bytes = 0; /* set by omreg_size_mul on success; 0 silences gcc once it inlines it */
    omreg_status st = omreg_size_mul(&bytes, count, size);
    if (st != OMREG_OK) {
        calloc_failure = st;
        return NULL;
    }
    if (fail_countdown > 0 && --fail_countdown == 0) {
        calloc_failure = omreg_fail(OMREG_ENOMEM,
                                    "out of memory allocating %s (%zu bytes, test hook)", what,
                                    bytes);
        return NULL;
    }
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        calloc_failure = omreg_fail(OMREG_ENOMEM, "out of memory allocating %s (%zu bytes)",
                                    what, bytes);
    return p;
}
