/* Shared helpers for the cmocka tests: backend under test, fixtures,
 * seeded inputs, bitwise and tolerance comparisons that print the first
 * mismatching index with both values in %a.
 *
 * NaN policy (all comparisons here): arrays are compared as bytes, so a NaN
 * equals only a NaN with the same payload; the tolerance comparison treats
 * any NaN as a mismatch. Kernels under test never produce NaN from finite
 * inputs. */
#ifndef OMREG_TEST_SUPPORT_H
#define OMREG_TEST_SUPPORT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/npy.h"

/* The backend the golden/e2e tests exercise: OMREG_BACKEND=reference|parallel
 * (default parallel). Fails the test on any other value. */
const omreg_backend *omreg_test_backend(void);

/* Absolute path of a fixture below fixtures/ (static buffer). */
const char *omreg_test_fixture_path(const char *relative);

/* Load fixtures/<relative> or fail the test; check its type. */
void omreg_test_load(const char *relative, omreg_npy_type type, omreg_npy *out);

/* Deterministic inputs from the counter-based generator. */
void omreg_test_fill_uniform_f64(double *x, size_t n, uint64_t seed, double lo, double hi);
void omreg_test_fill_uniform_f32(float *x, size_t n, uint64_t seed, double lo, double hi);

/* Bitwise comparison; on mismatch prints what, the first index, both
 * values in %a and the mismatch count, and returns 0. */
int omreg_test_same_f64(const char *what, const double *got, const double *want, size_t n);
int omreg_test_same_f32(const char *what, const float *got, const float *want, size_t n);
int omreg_test_same_i32(const char *what, const int *got, const int *want, size_t n);

/* |got - want| <= atol + rtol * |want| everywhere; prints the worst entry
 * on failure and returns 0. */
int omreg_test_close_f64(const char *what, const double *got, const double *want, size_t n,
                         double rtol, double atol);
int omreg_test_close_f32(const char *what, const float *got, const float *want, size_t n,
                         double rtol, double atol);

/* When the environment variable OMREG_OUTPUT_DUMP_DIR is set, write `bytes`
 * bytes of `data` (as in memory) to DIR/<program>--<name>--<k>.bin, where
 * <program> is the test executable's name, <name> is `name` with every byte
 * outside [A-Za-z0-9._+-] replaced by '_', and <k> counts from 1 the calls of
 * this process with the same sanitised name: names are unique and, as cmocka
 * runs the tests in order, deterministic. Unset or empty: does nothing. A
 * failed write fails the test (the dump would be incomplete).
 * omreg_test_same_* and omreg_test_close_* call it on `got` (named after
 * `what`); golden tests call it for outputs they compare by other means.
 * bench/output-hashes.sh hashes these files. */
void omreg_test_dump(const char *name, const void *data, size_t bytes);

/* FNV-1a 64 of a byte range: printed by determinism tests. */
uint64_t omreg_test_hash(const void *data, size_t bytes);

/* Assert that the OpenMP runtime honours OMP_NUM_THREADS and OMP_SCHEDULE
 * from the environment (so the ctest matrix really varies them). */
void omreg_test_check_omp_environment(void **state);

/* Run only the cmocka tests whose names match the glob in the environment
 * variable OMREG_TEST_FILTER, and skip those matching OMREG_TEST_SKIP (each
 * if set): lets a tool stage (ci/valgrind.sh) run the cheap cases of a
 * program, and ctest split a long program into entries. Call before
 * cmocka_run_group_tests. */
void omreg_test_apply_filter(void);

/* calloc or fail the test */
void *omreg_test_alloc(size_t count, size_t size);

/* Colin27 (mricron-data's ch2.nii.gz, 1 mm) resampled linearly onto a grid
 * of every third voxel: ceil(n / 3) voxels per axis, the grid-to-world's
 * columns scaled by 3. NULL when mricron-data is not installed. */
#define OMREG_TEST_CH2 "/usr/share/mricron/templates/ch2.nii.gz"
omreg_image *omreg_test_ch2_3mm(const omreg_backend *b);

#endif
