/* Test-only hooks. Not for production use. */
#ifndef OMREG_TESTING_H
#define OMREG_TESTING_H

#ifdef __cplusplus
extern "C" {
#endif

/** Make the n-th omreg allocation from now fail (n = 1: the next one) and
 * every one after it succeed again; n <= 0 disables. Not thread-safe: call
 * from the thread that drives omreg. */
void omreg_testing_fail_alloc_at(long n);

#ifdef __cplusplus
}
#endif
#endif
