/* Every committed golden array exercises its code (STYLE.md, do/don't 12):
 * an array whose values are all zero (or that is empty) must be named as a
 * deliberate edge case in fixtures/deliberate_zeros.tsv, the list
 * fixtures/generate.py refuses to write without. Each entry of the list
 * must still name at least one all-zero array (no stale excuses). */
#include "omreg_test.h"

#include "omreg/status.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PATTERNS 64

static char patterns[MAX_PATTERNS][256];
static int npatterns, used[MAX_PATTERNS];

static void read_patterns(void)
{
    FILE *f = fopen(omreg_test_fixture_path("deliberate_zeros.tsv"), "r");
    assert_non_null(f);
    char line[1024];
    npatterns = 0;
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *tab = strchr(line, '\t');
        if (tab == NULL || tab == line || tab[1] == '\n' || tab[1] == '\0')
            fail_msg("deliberate_zeros.tsv: '%s' needs a pattern, a tab and a reason", line);
        assert_true(npatterns < MAX_PATTERNS && tab - line < 256);
        memcpy(patterns[npatterns], line, (size_t)(tab - line));
        patterns[npatterns][tab - line] = '\0';
        used[npatterns++] = 0;
    }
    fclose(f);
    assert_true(npatterns > 0);
}

static int all_zero(const omreg_npy *a)
{
    for (size_t i = 0; i < a->count; ++i) {
        int zero;
        switch (a->type) {
        case OMREG_NPY_F64: zero = ((const double *)a->data)[i] == 0.0; break;
        case OMREG_NPY_F32: zero = ((const float *)a->data)[i] == 0.0f; break;
        case OMREG_NPY_I32: zero = ((const int32_t *)a->data)[i] == 0; break;
        case OMREG_NPY_I64: zero = ((const int64_t *)a->data)[i] == 0; break;
        default: zero = ((const unsigned char *)a->data)[i] == 0; break;
        }
        if (!zero)
            return 0;
    }
    return 1; /* an empty array has nothing to test either */
}

/* 1 if `relative` (below fixtures/) may be all zero: a pattern names it */
static int excused(const char *relative)
{
    int hit = 0;
    for (int p = 0; p < npatterns; ++p)
        if (fnmatch(patterns[p], relative, 0) == 0) {
            used[p] = 1;
            hit = 1;
        }
    return hit;
}

static void committed_fixtures_are_not_accidentally_zero(void **state)
{
    (void)state;
    read_patterns();
    DIR *top = opendir(OMREG_FIXTURE_DIR);
    assert_non_null(top);
    size_t files = 0, zero = 0, bad = 0;
    struct dirent *area;
    while ((area = readdir(top)) != NULL) {
        if (area->d_name[0] == '.')
            continue;
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", OMREG_FIXTURE_DIR, area->d_name);
        DIR *d = opendir(dir);
        if (d == NULL)
            continue; /* a file (generator script, the list) */
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            size_t len = strlen(e->d_name);
            if (len < 4 || strcmp(e->d_name + len - 4, ".npy") != 0)
                continue;
            char relative[512];
            snprintf(relative, sizeof relative, "%s/%s", area->d_name, e->d_name);
            omreg_npy a;
            if (omreg_npy_read(omreg_test_fixture_path(relative), &a) != OMREG_OK)
                fail_msg("fixture %s: %s", relative, omreg_last_error());
            ++files;
            if (all_zero(&a)) {
                ++zero;
                if (!excused(relative)) {
                    print_error("%s: all zero and not a deliberate edge case\n", relative);
                    ++bad;
                }
            }
            omreg_npy_free(&a);
        }
        closedir(d);
    }
    closedir(top);
    print_message("%zu fixtures, %zu all zero, all named in deliberate_zeros.tsv: %s\n", files,
                  zero, bad ? "no" : "yes");
    assert_true(files > 1000);
    assert_int_equal(bad, 0);
    for (int p = 0; p < npatterns; ++p)
        if (!used[p])
            fail_msg("deliberate_zeros.tsv: '%s' names no all-zero fixture (stale entry)",
                     patterns[p]);
}

/* The check itself: a degenerate case is refused, a named edge case is not. */
static void the_check_refuses_a_degenerate_case(void **state)
{
    (void)state;
    read_patterns();
    double zeros[6] = {0}, some[6] = {0, 0, 0, 0, 0, 1e-300};
    omreg_npy a = {OMREG_NPY_F64, 1, {6}, 6, sizeof(double), zeros};
    assert_true(all_zero(&a));
    assert_false(excused("affine/mi3d_rigid_dense_gradient.npy"));
    assert_false(excused("affine/mi3d_affine_masked_value.npy"));
    assert_true(excused("transforms/rotation_3d_identity.npy"));
    a.data = some;
    assert_false(all_zero(&a));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_check_refuses_a_degenerate_case),
        cmocka_unit_test(committed_fixtures_are_not_accidentally_zero),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
