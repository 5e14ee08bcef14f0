/* The backend tables: every slot filled, and no parallel slot points at a
 * reference function (a silent fallback would make the equality tests pass
 * trivially), and every slot has an equality case. The walk is the kernel
 * list (kernels/kernel_list.h), the one list the struct and both tables are
 * expanded from. */
#include "omreg_test.h"

#include <ctype.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

typedef void (*any_fn)(void);

/* the walk: every slot of the kernel list, by name and offset */
static const struct {
    const char *name;
    size_t offset;
} slots[] = {
#define OMREG_KERNEL(k) {#k, offsetof(struct omreg_backend, k)},
#include "kernel_list.h"
};

static size_t slot_count(void) { return sizeof slots / sizeof slots[0]; }

static any_fn slot(const struct omreg_backend *b, size_t i)
{
    any_fn f;
    memcpy(&f, (const char *)b + slots[i].offset, sizeof f);
    return f;
}

static void every_slot_is_filled(void **state)
{
    (void)state;
    const struct omreg_backend *tables[2] = {omreg_backend_reference(), omreg_backend_parallel()};
    for (int t = 0; t < 2; ++t)
        for (size_t i = 0; i < slot_count(); ++i)
            if (slot(tables[t], i) == NULL)
                fail_msg("%s table: slot %s is NULL", tables[t]->name, slots[i].name);
}

static void no_parallel_slot_is_a_reference_function(void **state)
{
    (void)state;
    const struct omreg_backend *ref = omreg_backend_reference(), *par = omreg_backend_parallel();
    /* any parallel slot equal to ANY reference slot is a fallback */
    for (size_t i = 0; i < slot_count(); ++i)
        for (size_t j = 0; j < slot_count(); ++j)
            if (slot(par, i) == slot(ref, j))
                fail_msg("parallel slot %s is the reference function of slot %s", slots[i].name,
                         slots[j].name);
}

/* The equality tests, preprocessed and concatenated (tests/foundation.cmake:
 * most slot calls there are built by token pasting, so the plain sources do
 * not name them). */
static char *read_equality_sources(void)
{
    FILE *f = fopen(OMREG_EQUALITY_PP, "rb");
    if (f == NULL)
        fail_msg("cannot open %s", OMREG_EQUALITY_PP);
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (size_t got; (got = fread(text + len, 1, cap - len - 1, f)) > 0;) {
        len += got;
        if (cap - len - 1 == 0) {
            text = realloc(text, cap *= 2);
            assert_non_null(text);
        }
    }
    fclose(f);
    text[len] = '\0';
    return text;
}

/* text holds `->name` as a whole token (a slot taken or called through a
 * table pointer) */
static int references_slot(const char *text, const char *name)
{
    const size_t n = strlen(name);
    for (const char *p = strstr(text, "->"); p != NULL; p = strstr(p + 2, "->")) {
        const char *s = p + 2;
        while (*s == ' ')
            ++s;
        if (strncmp(s, name, n) == 0 && !(isalnum((unsigned char)s[n]) || s[n] == '_'))
            return 1;
    }
    return 0;
}

/* Every slot of the list is taken through a table in some
 * tests/test_equality_*.c: a kernel added to the list without an equality
 * case (parallel == reference, bitwise) fails here, named. */
static void every_slot_has_an_equality_case(void **state)
{
    (void)state;
    char *text = read_equality_sources();
    size_t missing = 0;
    for (size_t i = 0; i < slot_count(); ++i)
        if (!references_slot(text, slots[i].name)) {
            fprintf(stderr, "slot %s: no equality case in tests/test_equality_*.c\n",
                    slots[i].name);
            ++missing;
        }
    free(text);
    if (missing > 0)
        fail_msg("%zu slot(s) without an equality case", missing);
}

static void names_and_lookup(void **state)
{
    (void)state;
    assert_string_equal(omreg_backend_name(omreg_backend_reference()), "reference");
    assert_string_equal(omreg_backend_name(omreg_backend_parallel()), "parallel");
    assert_ptr_equal(omreg_backend_by_name("reference"), omreg_backend_reference());
    assert_ptr_equal(omreg_backend_by_name("parallel"), omreg_backend_parallel());
    assert_null(omreg_backend_by_name("fast"));
    assert_null(omreg_backend_by_name(NULL));
    assert_true(slot_count() >= 30);
    /* the default thread count is a field, not a slot: 1 for the serial
     * reference, OpenMP's current count for the parallel table */
    assert_int_equal(omreg_backend_threads(omreg_backend_reference(), 0), 1);
    assert_int_equal(omreg_backend_threads(omreg_backend_parallel(), 0), omp_get_max_threads());
    assert_int_equal(omreg_backend_threads(omreg_backend_reference(), 3), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_slot_is_filled),
        cmocka_unit_test(no_parallel_slot_is_a_reference_function),
        cmocka_unit_test(every_slot_has_an_equality_case),
        cmocka_unit_test(names_and_lookup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
