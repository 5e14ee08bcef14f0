/* The ISA dispatcher (backend/backend_parallel.c): the parallel table is
 * the CPU's best unless OMREG_ISA or omreg_isa_select() names one; an
 * unknown name or an ISA the CPU lacks is an error (NULL table, a message
 * naming it; the CLI exits 2), never a fallback; each ISA's table differs
 * from the baseline one exactly in the slots of kernels/isa_list.h. The CPU
 * "lacking" an ISA is simulated with omreg_isa_hide_for_test. The test
 * clears OMREG_ISA first, so the outer environment does not matter. */
#define _POSIX_C_SOURCE 200809L /* setenv */
#include "omreg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

typedef void (*any_fn)(void);

static const struct {
    const char *name;
    size_t offset;
} slots[] = {
#define OMREG_KERNEL(k) {#k, offsetof(struct omreg_backend, k)},
#include "kernel_list.h"
};

static any_fn slot(const struct omreg_backend *b, size_t offset)
{
    any_fn f;
    memcpy(&f, (const char *)b + offset, sizeof f);
    return f;
}

static const struct omreg_backend *table_for(const char *isa)
{
    assert_int_equal(omreg_isa_select(isa), OMREG_OK);
    const struct omreg_backend *b = omreg_backend_parallel();
    assert_non_null(b);
    assert_string_equal(omreg_backend_isa(b), isa);
    assert_string_equal(omreg_backend_name(b), "parallel");
    return b;
}

static int setup(void **state)
{
    (void)state;
    unsetenv("OMREG_ISA");
    return 0;
}

static void best_by_default(void **state)
{
    (void)state;
    assert_int_equal(omreg_isa_select(NULL), OMREG_OK);
    const char *best = omreg_isa_supported("avx512") ? "avx512"
                       : omreg_isa_supported("avx2") ? "avx2"
                                                     : "baseline";
    assert_string_equal(omreg_backend_isa(omreg_backend_parallel()), best);
    assert_true(omreg_isa_supported("baseline"));
    assert_false(omreg_isa_supported("sse9"));
    assert_false(omreg_isa_supported(NULL));
    assert_string_equal(omreg_backend_isa(omreg_backend_reference()), "baseline");
}

static void environment_forces(void **state)
{
    (void)state;
    static const char *const names[] = {"baseline", "avx2", "avx512"};
    for (int i = 0; i < 3; ++i) {
        if (!omreg_isa_supported(names[i]))
            continue;
        setenv("OMREG_ISA", names[i], 1);
        const omreg_backend *b = omreg_backend_parallel();
        assert_non_null(b);
        assert_string_equal(omreg_backend_isa(b), names[i]);
        assert_ptr_equal(omreg_backend_by_name("parallel"), b);
    }
    setenv("OMREG_ISA", "auto", 1);
    assert_int_equal(strcmp(omreg_backend_isa(omreg_backend_parallel()), "baseline") == 0,
                     !omreg_isa_supported("avx2"));
    unsetenv("OMREG_ISA");
}

static void unknown_name_is_an_error(void **state)
{
    (void)state;
    setenv("OMREG_ISA", "sse9", 1);
    omreg_clear_error();
    assert_null(omreg_backend_parallel());
    assert_non_null(strstr(omreg_last_error(), "OMREG_ISA=sse9: unknown ISA"));
    assert_null(omreg_backend_by_name("parallel"));
    assert_non_null(omreg_backend_by_name("reference")); /* the reference has no ISA */
    unsetenv("OMREG_ISA");
    assert_int_equal(omreg_isa_select("sse9"), OMREG_EINVAL);
    assert_non_null(strstr(omreg_last_error(), "unknown ISA"));
}

static void missing_isa_is_an_error(void **state)
{
    (void)state;
    static const char *const names[] = {"avx2", "avx512"};
    for (int i = 0; i < 2; ++i) {
        omreg_isa_hide_for_test(names[i]);
        assert_false(omreg_isa_supported(names[i]));
        setenv("OMREG_ISA", names[i], 1);
        omreg_clear_error();
        assert_null(omreg_backend_parallel());
        assert_non_null(strstr(omreg_last_error(), "this CPU does not support"));
        unsetenv("OMREG_ISA");
        /* the API choice is refused and the previous one stays */
        assert_int_equal(omreg_isa_select("baseline"), OMREG_OK);
        assert_int_equal(omreg_isa_select(names[i]), OMREG_EUNSUPPORTED);
        assert_string_equal(omreg_backend_isa(omreg_backend_parallel()), "baseline");
        /* and the best is then below it */
        assert_int_equal(omreg_isa_select(NULL), OMREG_OK);
        assert_string_not_equal(omreg_backend_isa(omreg_backend_parallel()), names[i]);
    }
    omreg_isa_hide_for_test(NULL);
}

static void api_choice_overrides_environment(void **state)
{
    (void)state;
    setenv("OMREG_ISA", "sse9", 1);
    table_for("baseline");
    assert_int_equal(omreg_isa_select(NULL), OMREG_OK);
    assert_null(omreg_backend_parallel()); /* OMREG_ISA again */
    unsetenv("OMREG_ISA");
}

/* each ISA's table is the baseline table but for its isa_list.h slots
 * (and avx512's also takes avx2's) */
static void variants_fill_exactly_their_slots(void **state)
{
    (void)state;
    const struct omreg_backend *base = table_for("baseline");
    static const char *const names[] = {"avx2", "avx512"};
    for (int i = 0; i < 2; ++i) {
        if (!omreg_isa_supported(names[i]))
            continue;
        const struct omreg_backend *b = table_for(names[i]);
        size_t changed = 0;
        for (size_t s = 0; s < sizeof slots / sizeof slots[0]; ++s) {
            int listed = 0;
#define OMREG_ISA_VARIANT(k, isa)                                                              \
    if (strcmp(#k, slots[s].name) == 0 && (strcmp(#isa, names[i]) == 0 || i == 1))            \
        listed = 1;
#include "isa_list.h"
            const int differs = slot(b, slots[s].offset) != slot(base, slots[s].offset);
            if (differs != listed)
                fail_msg("%s table: slot %s %s the baseline's", names[i], slots[s].name,
                         differs ? "differs from" : "is still");
            changed += (size_t)differs;
        }
        assert_true(changed > 0);
    }
    assert_ptr_equal(base->transform_affine_3d_f64, omreg_par_transform_affine_3d_f64);
    if (omreg_isa_supported("avx2"))
        assert_ptr_equal(table_for("avx2")->transform_affine_3d_f64,
                         omreg_par_transform_affine_3d_f64_avx2);
    if (omreg_isa_supported("avx512"))
        assert_ptr_equal(table_for("avx512")->transform_affine_3d_f64,
                         omreg_par_transform_affine_3d_f64_avx512);
    assert_int_equal(omreg_isa_select(NULL), OMREG_OK);
}

/* the command says what is wrong and exits 2 before running anything */
static void cli_refuses_a_missing_isa(void **state)
{
    (void)state;
    FILE *p = popen("OMREG_ISA=sse9 " OMREG_CLI_PATH " affine 2>&1; echo rc=$?", "r");
    assert_non_null(p);
    char text[512] = {0};
    size_t n = fread(text, 1, sizeof text - 1, p);
    pclose(p);
    text[n] = '\0';
    assert_non_null(strstr(text, "OMREG_ISA=sse9: unknown ISA"));
    assert_non_null(strstr(text, "rc=2"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(best_by_default),
        cmocka_unit_test(environment_forces),
        cmocka_unit_test(unknown_name_is_an_error),
        cmocka_unit_test(missing_isa_is_an_error),
        cmocka_unit_test(api_choice_overrides_environment),
        cmocka_unit_test(variants_fill_exactly_their_slots),
        cmocka_unit_test(cli_refuses_a_missing_isa),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
