/* The equality harness (equality.h): poison, run, compare bitwise.
 * Patterns: reference outputs 0x33, parallel run r 0xA5 / 0x5A (r even /
 * odd); scratch 0x3C for the reference, 0x5A / 0xA5 for the runs, so no
 * pattern of one run survives into the next unnoticed. */
#define OMREG_EQ_IMPLEMENTATION
#include "equality.h"

#include <stdio.h>
#include <string.h>

#include "omreg/image.h"

enum { REF_OUT = 0x33, REF_SCRATCH = 0x3C };

static unsigned char run_out(int run) { return run % 2 ? 0x5A : 0xA5; }
static unsigned char run_scratch(int run) { return run % 2 ? 0xA5 : 0x5A; }

size_t omreg_eq_voxels(int dim, const size_t *shape)
{
    size_t n = 1;
    for (int d = 0; d < dim; ++d)
        n *= shape[d];
    return n;
}

void omreg_eq_poison(void *buf, size_t bytes, unsigned char pattern)
{
    if (bytes)
        memset(buf, pattern, bytes);
}

void *omreg_eq_alloc_poisoned(size_t count, size_t size)
{
    void *p = omreg_test_alloc(count, size);
    omreg_eq_poison(p, count * size, 0xA5);
    return p;
}

void omreg_eq_add(omreg_eq *eq, const char *what, omreg_eq_type type, size_t size, void *r,
                  void *p, const void *init, size_t n)
{
    if (eq->nout == OMREG_EQ_MAX_OUTPUTS)
        fail_msg("%s: more than %d outputs in one equality case", what, OMREG_EQ_MAX_OUTPUTS);
    eq->out[eq->nout++] = (struct omreg_eq_out){what, type, r, p, init, n, size};
}

void omreg_eq_scratch(omreg_eq *eq, void *p, size_t bytes)
{
    if (eq->nscratch == OMREG_EQ_MAX_SCRATCH)
        fail_msg("more than %d scratch buffers in one equality case", OMREG_EQ_MAX_SCRATCH);
    eq->scratch[eq->nscratch].p = p;
    eq->scratch[eq->nscratch++].bytes = bytes;
}

/* outputs of one side (0 reference, 1 parallel) poisoned or reset, scratch poisoned */
static void prepare(omreg_eq *eq, int side, unsigned char out_pattern, unsigned char scratch_pattern)
{
    for (int k = 0; k < eq->nout; ++k) {
        struct omreg_eq_out *o = &eq->out[k];
        void *buf = side ? o->par : o->ref;
        if (o->init)
            memcpy(buf, o->init, o->n * o->size);
        else
            omreg_eq_poison(buf, o->n * o->size, out_pattern);
    }
    for (int k = 0; k < eq->nscratch; ++k)
        omreg_eq_poison(eq->scratch[k].p, eq->scratch[k].bytes, scratch_pattern);
}

void omreg_eq_reference(omreg_eq *eq) { prepare(eq, 0, REF_OUT, REF_SCRATCH); }

int omreg_eq_parallel_begin(omreg_eq *eq)
{
    prepare(eq, 1, run_out(0), run_scratch(0));
    return 0;
}

static int same_bytes(const char *what, const unsigned char *got, const unsigned char *want,
                      size_t n)
{
    omreg_test_dump(what, got, n);
    for (size_t i = 0; i < n; ++i)
        if (got[i] != want[i]) {
            print_error("%s: first differing byte at %zu of %zu: got 0x%02x want 0x%02x\n", what,
                        i, n, got[i], want[i]);
            return 0;
        }
    return 1;
}

int omreg_eq_parallel_end(omreg_eq *eq, int run, const char *file, int line)
{
    for (int k = 0; k < eq->nout; ++k) {
        const struct omreg_eq_out *o = &eq->out[k];
        int ok = 1;
        switch (o->type) {
        case OMREG_EQ_F64:
            ok = omreg_test_same_f64(o->what, o->par, o->ref, o->n);
            break;
        case OMREG_EQ_F32:
            ok = omreg_test_same_f32(o->what, o->par, o->ref, o->n);
            break;
        case OMREG_EQ_I32:
            ok = omreg_test_same_i32(o->what, o->par, o->ref, o->n);
            break;
        case OMREG_EQ_BYTES:
            ok = same_bytes(o->what, o->par, o->ref, o->n * o->size);
            break;
        }
        if (!ok) {
            print_error("%s: parallel run %d of %d differs from the reference\n", o->what,
                        run + 1, OMREG_EQ_RUNS);
            _fail(file, line);
        }
    }
    if (run + 1 < OMREG_EQ_RUNS)
        prepare(eq, 1, run_out(run + 1), run_scratch(run + 1));
    return run + 1;
}

void omreg_eq_same_image(const char *what, const omreg_image *got, const omreg_image *want)
{
    if ((got == NULL) != (want == NULL))
        fail_msg("%s: one backend returned no image", what);
    if (want == NULL)
        return;
    assert_int_equal(omreg_image_ndim(got), omreg_image_ndim(want));
    assert_memory_equal(omreg_image_shape(got), omreg_image_shape(want), 3 * sizeof(size_t));
    assert_int_equal(omreg_image_ncomp(got), omreg_image_ncomp(want));
    assert_int_equal(omreg_image_dtype(got), omreg_image_dtype(want));
    const size_t n = omreg_image_voxels(want) * (size_t)omreg_image_ncomp(want);
    if (omreg_image_dtype(want) == OMREG_F64)
        OMREG_EQ_SAME(f64, what, omreg_image_cdata(got), omreg_image_cdata(want), n);
    else
        OMREG_EQ_SAME(f32, what, omreg_image_cdata(got), omreg_image_cdata(want), n);
}
