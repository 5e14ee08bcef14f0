/* Shared test helpers (see omreg_test.h). */
#define _POSIX_C_SOURCE 200809L /* readlink */
#include "omreg_test.h"

#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omreg/affine.h"
#include "omreg/nifti.h"
#include "omreg/random.h"

#ifndef OMREG_FIXTURE_DIR
#error "OMREG_FIXTURE_DIR must be defined by the build"
#endif

const omreg_backend *omreg_test_backend(void)
{
    const char *name = getenv("OMREG_BACKEND");
    if (name == NULL || *name == '\0')
        name = "parallel";
    const omreg_backend *b = omreg_backend_by_name(name);
    if (b == NULL && (strcmp(name, "parallel") == 0 || strcmp(name, "reference") == 0))
        fail_msg("%s", omreg_last_error()); /* OMREG_ISA cannot be honoured */
    if (b == NULL)
        fail_msg("OMREG_BACKEND=%s is neither reference nor parallel", name);
    return b;
}

const char *omreg_test_fixture_path(const char *relative)
{
    static char path[4096];
    snprintf(path, sizeof path, "%s/%s", OMREG_FIXTURE_DIR, relative);
    return path;
}

void omreg_test_load(const char *relative, omreg_npy_type type, omreg_npy *out)
{
    omreg_status st = omreg_npy_read(omreg_test_fixture_path(relative), out);
    if (st != OMREG_OK)
        fail_msg("fixture %s: %s", relative, omreg_last_error());
    if (out->type != type)
        fail_msg("fixture %s has npy type %d, expected %d", relative, (int)out->type, (int)type);
}

void omreg_test_fill_uniform_f64(double *x, size_t n, uint64_t seed, double lo, double hi)
{
    for (size_t i = 0; i < n; ++i)
        x[i] = lo + (hi - lo) * omreg_random_uniform(seed, i);
}

void omreg_test_fill_uniform_f32(float *x, size_t n, uint64_t seed, double lo, double hi)
{
    for (size_t i = 0; i < n; ++i)
        x[i] = (float)(lo + (hi - lo) * omreg_random_uniform(seed, i));
}

/* The dump (omreg_test.h): names seen so far in this process and how often. */
static struct dump_seen {
    char *name;
    unsigned count;
} *dump_seen;
static size_t dump_nseen, dump_cap;

static const char *program_name(void)
{
    static char name[256];
    if (name[0] == '\0') {
        char exe[4096];
        ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
        const char *base = "test";
        if (len > 0) {
            exe[len] = '\0';
            const char *slash = strrchr(exe, '/');
            base = slash ? slash + 1 : exe;
        }
        size_t n = strlen(base);
        if (n >= sizeof name)
            n = sizeof name - 1;
        memcpy(name, base, n);
        name[n] = '\0';
    }
    return name;
}

void omreg_test_dump(const char *name, const void *data, size_t bytes)
{
    const char *dir = getenv("OMREG_OUTPUT_DUMP_DIR");
    if (dir == NULL || *dir == '\0')
        return;
    char clean[200];
    size_t len = 0;
    for (const char *p = name; *p != '\0' && len + 1 < sizeof clean; ++p) {
        unsigned char ch = (unsigned char)*p;
        int keep = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
                   (ch >= '0' && ch <= '9') || strchr("._+-", ch) != NULL;
        clean[len++] = keep ? (char)ch : '_';
    }
    clean[len] = '\0';
    size_t i = 0;
    while (i < dump_nseen && strcmp(dump_seen[i].name, clean) != 0)
        ++i;
    if (i == dump_nseen) {
        if (dump_nseen == dump_cap) {
            size_t cap = dump_cap ? 2 * dump_cap : 64;
            struct dump_seen *grown = realloc(dump_seen, cap * sizeof *grown);
            if (grown == NULL)
                fail_msg("OMREG_OUTPUT_DUMP_DIR: out of memory");
            dump_seen = grown;
            dump_cap = cap;
        }
        size_t n = strlen(clean) + 1;
        dump_seen[i].name = malloc(n);
        if (dump_seen[i].name == NULL)
            fail_msg("OMREG_OUTPUT_DUMP_DIR: out of memory");
        memcpy(dump_seen[i].name, clean, n);
        dump_seen[i].count = 0;
        ++dump_nseen;
    }
    unsigned k = ++dump_seen[i].count;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s--%s--%u.bin", dir, program_name(), clean, k);
    FILE *f = fopen(path, "wb");
    int ok = f != NULL && (bytes == 0 || fwrite(data, 1, bytes, f) == bytes);
    if (f != NULL && fclose(f) != 0)
        ok = 0;
    if (!ok)
        fail_msg("OMREG_OUTPUT_DUMP_DIR: cannot write %s", path);
}

#define DEFINE_SAME(SUFFIX, T, FMT, CAST)                                                      \
    int omreg_test_same_##SUFFIX(const char *what, const T *got, const T *want, size_t n)     \
    {                                                                                          \
        omreg_test_dump(what, got, n * sizeof(T));                                             \
        size_t bad = 0, first = 0;                                                             \
        for (size_t i = 0; i < n; ++i)                                                         \
            if (memcmp(&got[i], &want[i], sizeof(T)) != 0 && bad++ == 0)                       \
                first = i;                                                                     \
        if (bad)                                                                               \
            print_error("%s: %zu of %zu differ; first at %zu: got " FMT " want " FMT "\n",    \
                        what, bad, n, first, CAST got[first], CAST want[first]);               \
        return bad == 0;                                                                       \
    }
DEFINE_SAME(f64, double, "%a", (double))
DEFINE_SAME(f32, float, "%a", (double))
DEFINE_SAME(i32, int, "%d", (int))
#undef DEFINE_SAME

#define DEFINE_CLOSE(SUFFIX, T)                                                                \
    int omreg_test_close_##SUFFIX(const char *what, const T *got, const T *want, size_t n,    \
                                  double rtol, double atol)                                    \
    {                                                                                          \
        omreg_test_dump(what, got, n * sizeof(T));                                             \
        size_t bad = 0, worst = 0;                                                             \
        double worst_excess = -1.0;                                                            \
        for (size_t i = 0; i < n; ++i) {                                                       \
            double g = got[i], w = want[i];                                                    \
            double excess = fabs(g - w) - (atol + rtol * fabs(w));                             \
            if (isnan(g) || isnan(w))                                                          \
                excess = INFINITY;                                                             \
            if (excess > 0 && excess >= worst_excess) {                                        \
                worst_excess = excess;                                                         \
                worst = i;                                                                     \
            }                                                                                  \
            bad += excess > 0;                                                                 \
        }                                                                                      \
        if (bad)                                                                               \
            print_error("%s: %zu of %zu outside rtol %g atol %g; worst at %zu: got %a (%.17g) " \
                        "want %a (%.17g)\n",                                                   \
                        what, bad, n, rtol, atol, worst, (double)got[worst],                   \
                        (double)got[worst], (double)want[worst], (double)want[worst]);         \
        return bad == 0;                                                                       \
    }
DEFINE_CLOSE(f64, double)
DEFINE_CLOSE(f32, float)
#undef DEFINE_CLOSE

uint64_t omreg_test_hash(const void *data, size_t bytes)
{
    const unsigned char *p = data;
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (size_t i = 0; i < bytes; ++i) {
        h ^= p[i];
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

void omreg_test_check_omp_environment(void **state)
{
    (void)state;
    const char *threads = getenv("OMP_NUM_THREADS");
    if (threads && *threads)
        assert_int_equal(omp_get_max_threads(), atoi(threads));
    const char *sched = getenv("OMP_SCHEDULE");
    if (sched && *sched) {
        omp_sched_t kind;
        int chunk;
        omp_get_schedule(&kind, &chunk);
        /* libgomp reports static as static|monotonic: mask the modifier */
        int base = (int)kind & ~(int)0x80000000u;
        omp_sched_t want = strncmp(sched, "static", 6) == 0    ? omp_sched_static
                           : strncmp(sched, "dynamic", 7) == 0 ? omp_sched_dynamic
                           : strncmp(sched, "guided", 6) == 0  ? omp_sched_guided
                                                               : omp_sched_auto;
        assert_int_equal(base, (int)want);
        const char *comma = strchr(sched, ',');
        if (comma)
            assert_int_equal(chunk, atoi(comma + 1));
    }
}

void *omreg_test_alloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (p == NULL)
        fail_msg("test allocation of %zu x %zu failed", count, size);
    return p;
}

void omreg_test_apply_filter(void)
{
    const char *glob = getenv("OMREG_TEST_FILTER"), *skip = getenv("OMREG_TEST_SKIP");
    if (glob && *glob)
        cmocka_set_test_filter(glob);
    if (skip && *skip)
        cmocka_set_skip_filter(skip);
}

omreg_image *omreg_test_ch2_3mm(const omreg_backend *b)
{
    if (access(OMREG_TEST_CH2, R_OK) != 0)
        return NULL;
    omreg_image *ch2 = NULL, *out = NULL;
    assert_int_equal(omreg_nifti_read(OMREG_TEST_CH2, OMREG_F64, &ch2), OMREG_OK);
    const size_t *full = omreg_image_shape(ch2);
    size_t shape[3];
    double g[16];
    memcpy(g, omreg_image_grid2world(ch2), sizeof g);
    for (int d = 0; d < 3; ++d) {
        shape[d] = (full[d] + 2) / 3; /* ceil(n / 3) */
        for (int r = 0; r < 3; ++r)
            g[r * 4 + d] *= 3.0;
    }
    assert_int_equal(omreg_affine_map_transform(b, NULL, 0, ch2, shape, g, 0, &out), OMREG_OK);
    omreg_image_free(ch2);
    return out;
}
