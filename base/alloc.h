/* Overflow-checked allocation for serial code (entry points, drivers).
 * Every failure is reported through the status/last-error mechanism. */
#ifndef OMREG_CORE_ALLOC_H
#define OMREG_CORE_ALLOC_H

#include <stddef.h>

#include "omreg/status.h"

/* *out = a * b, or OMREG_EOVERFLOW when the product does not fit size_t. */
omreg_status omreg_size_mul(size_t *out, size_t a, size_t b);

/* Zero-initialised array of count elements of size bytes (never NULL for
 * zero bytes), or NULL on failure with the message recorded. `what` names the
 * buffer in the error message. */
void *omreg_calloc(size_t count, size_t size, const char *what);

/* Why this thread's last omreg_calloc returned NULL: OMREG_EOVERFLOW when
 * count * size does not fit size_t, OMREG_ENOMEM when calloc (or the test
 * hook) failed. Read it right after the NULL, as in
 * `if (p == NULL) return omreg_calloc_failure();`. */
omreg_status omreg_calloc_failure(void);

/* Test hook, not part of the public API: make the n-th omreg_calloc from now
 * fail (n = 1: the next one) and every one after it succeed again; n <= 0
 * disables. Not thread-safe: call from the thread that drives omreg. */
void omreg_testing_fail_alloc_at(long n);

/* Test hook, not part of the public API: how many omreg_calloc calls (failed
 * or not) this process has made. Tests read it around a span of work to
 * count that span's allocations. Not thread-safe, like the hook above. */
long omreg_testing_alloc_count(void);

#endif
