/* The equality harness every tests/test_equality_*.c shares (DESIGN.md,
 * contract items 1-2): the reference runs once, the parallel backend
 * OMREG_EQ_RUNS times, each run into outputs poisoned with its own byte
 * pattern, and every output is compared bitwise (memcmp per element) after
 * each parallel run, printing the first differing index with both values.
 *
 *     omreg_eq eq = {0};
 *     omreg_eq_output(&eq, "warp", o_ref, o_par, n);     // poisoned, compared
 *     omreg_eq_inout(&eq, "field", u_ref, u_par, u0, n); // reset from u0, compared
 *     omreg_eq_scratch(&eq, scratch, bytes);             // poisoned, not compared
 *     omreg_eq_reference(&eq);                           // poisons o_ref, ...
 *     ref->slot(..., o_ref);
 *     OMREG_EQ_PARALLEL(&eq) {                           // twice, compares
 *         par->slot(..., o_par);
 *     }
 *
 * Reference outputs and each parallel run get different patterns, so an
 * output element that either backend leaves unwritten fails the test, as
 * does a race or a reduction in another order (ctest runs the programs over
 * the thread x schedule matrix). Outputs a public entry point allocates
 * (drivers, whole registrations) are compared inside an OMREG_EQ_RUNS loop
 * with OMREG_EQ_SAME / omreg_eq_same_image.
 *
 * NaN policy: bytes are compared, so a NaN equals only a NaN with the same
 * payload. */
#ifndef OMREG_TEST_EQUALITY_H
#define OMREG_TEST_EQUALITY_H

#include <stddef.h>

#include "backend.h"
#include "omreg/image.h"
#include "omreg_test.h"

/* how many times each parallel case runs */
#define OMREG_EQ_RUNS 2

#ifndef OMREG_EQ_IMPLEMENTATION
/* The two tables under comparison, per test program; omreg_eq_setup (the
 * group setup of OMREG_EQ_RUN_TESTS) sets them. */
static const struct omreg_backend *ref, *par;

static inline int omreg_eq_setup(void **state)
{
    (void)state;
    ref = omreg_backend_reference();
    par = omreg_backend_parallel(); /* the table of OMREG_ISA, else the CPU's best */
    if (par == NULL) {
        print_error("%s\n", omreg_last_error());
        return -1;
    }
    print_message("parallel table: isa %s\n", omreg_backend_isa(par));
    return 0;
}

#define OMREG_EQ_RUN_TESTS(tests) cmocka_run_group_tests(tests, omreg_eq_setup, NULL)
#endif

/* Bitwise comparison of n elements of type T (f64, f32, i32); fails the
 * test with the first differing index and both values. */
#define OMREG_EQ_SAME(T, what, got, want, n) assert_true(omreg_test_same_##T(what, got, want, n))

/* Same ndim, shape, dtype and bytes (both NULL is equal). */
void omreg_eq_same_image(const char *what, const omreg_image *got, const omreg_image *want);

/* product of the first dim entries of shape */
size_t omreg_eq_voxels(int dim, const size_t *shape);

/* fills bytes with pattern: the poison of outputs and scratch */
void omreg_eq_poison(void *buf, size_t bytes, unsigned char pattern);

/* calloc (or fail) then poison with 0xA5 */
void *omreg_eq_alloc_poisoned(size_t count, size_t size);

typedef enum { OMREG_EQ_BYTES, OMREG_EQ_F64, OMREG_EQ_F32, OMREG_EQ_I32 } omreg_eq_type;

#define OMREG_EQ_MAX_OUTPUTS 8
#define OMREG_EQ_MAX_SCRATCH 4

/* A case: its outputs and scratch buffers. Zero-initialise, register,
 * then run; `what` strings must outlive the case. */
typedef struct omreg_eq {
    int nout, nscratch;
    struct omreg_eq_out {
        const char *what;
        omreg_eq_type type;
        void *ref, *par;
        const void *init; /* NULL: poisoned before each run; else copied in */
        size_t n, size;
    } out[OMREG_EQ_MAX_OUTPUTS];
    struct {
        void *p;
        size_t bytes;
    } scratch[OMREG_EQ_MAX_SCRATCH];
} omreg_eq;

#define OMREG_EQ_TYPE(p)                                                                       \
    _Generic((p), double *: OMREG_EQ_F64, float *: OMREG_EQ_F32, int *: OMREG_EQ_I32,         \
             default: OMREG_EQ_BYTES)

void omreg_eq_add(omreg_eq *eq, const char *what, omreg_eq_type type, size_t size, void *r,
                  void *p, const void *init, size_t n);

/* An output of n elements the kernel must write in full: r (reference's)
 * and p (parallel's) are poisoned before every run. */
#define omreg_eq_output(eq, what, r, p, n)                                                    \
    omreg_eq_add(eq, what, OMREG_EQ_TYPE(r), sizeof *(r), r, p, NULL, n)

/* An in/out buffer of n elements: r and p get a copy of init before every
 * run (in-place kernels, accumulations). */
#define omreg_eq_inout(eq, what, r, p, init, n)                                               \
    omreg_eq_add(eq, what, OMREG_EQ_TYPE(r), sizeof *(r), r, p, init, n)

/* A scratch buffer both backends share: poisoned with a different pattern
 * before every run, never compared (its contents must not matter). */
void omreg_eq_scratch(omreg_eq *eq, void *p, size_t bytes);

/* Poisons the reference outputs (and resets in/out buffers, poisons
 * scratch): call it just before the reference call. */
void omreg_eq_reference(omreg_eq *eq);

/* Loop helpers behind OMREG_EQ_PARALLEL. */
int omreg_eq_parallel_begin(omreg_eq *eq);
int omreg_eq_parallel_end(omreg_eq *eq, int run, const char *file, int line);

/* The statement after it runs OMREG_EQ_RUNS times on freshly poisoned
 * parallel outputs; after each run every output is compared with the
 * reference's, and the first difference fails the test at this line. */
#define OMREG_EQ_PARALLEL(eq)                                                                  \
    for (int omreg_eq_run_ = omreg_eq_parallel_begin(eq); omreg_eq_run_ < OMREG_EQ_RUNS;     \
         omreg_eq_run_ = omreg_eq_parallel_end(eq, omreg_eq_run_, __FILE__, __LINE__))

#endif
