/* Reading what the OpenMP runtime printed under OMP_DISPLAY_ENV=verbose
 * (libgomp or LLVM libomp): how many times it started in a process chain
 * (one block per runtime start, so a re-executed command prints two) and
 * the wait policy of the last start. */
#ifndef OMREG_TEST_OMP_DISPLAY_H
#define OMREG_TEST_OMP_DISPLAY_H

/* the number of "OPENMP DISPLAY ENVIRONMENT BEGIN" blocks in text */
int omp_display_blocks(const char *text);

/* The blocks a command that re-executed itself once prints: 2 under
 * libgomp, which starts (and prints) when it is loaded, in each image; 1
 * under LLVM libomp, which starts at the first OpenMP call, so the image
 * that re-executes before any call prints nothing (there the record's
 * wait_policy_source, "omreg" only in a re-executed image, and the policy
 * itself show the exec). */
int omp_display_reexec_blocks(const char *text);

/* The wait policy the last block shows: "passive" (libgomp: spin count 0;
 * libomp: block time 0, as OMP_WAIT_POLICY=passive sets), "active"
 * (OMP_WAIT_POLICY ACTIVE), "default" (neither: the runtime's spin-then-
 * sleep default, or a GOMP_SPINCOUNT of the user's), NULL without a block. */
const char *omp_display_wait(const char *text);

/* the last block (from its BEGIN line), NULL without one */
const char *omp_display_last(const char *text);

#endif
