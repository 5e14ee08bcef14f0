/* The omreg command on bad input (issue 7): every case runs the built
 * `omreg` (posix_spawn) and asserts the exit code, that stderr is exactly one
 * line "omreg: ...", that no output file appears when there was none, that
 * a pre-existing output is left byte-identical, and that no temporary file
 * is left in the output directory. Also: SIGINT / SIGTERM during a long run
 * end the process by the signal and leave no file. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "omreg/image.h"
#include "omreg/nifti.h"

extern char **environ;

static char dir[256];     /* inputs */
static char outdir[300];  /* outputs only: must hold nothing after a failure */
static char errfile[300]; /* the child's stderr */

static void path_in(char *buf, size_t n, const char *name) { snprintf(buf, n, "%s/%s", dir, name); }

/* ---- inputs ---------------------------------------------------------- */

static void write_image(const char *name, int ndim, const size_t *shape, double (*f)(size_t,
                                                                                     size_t,
                                                                                     size_t))
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, ndim, shape, 1, OMREG_F64, NULL), OMREG_OK);
    double *v = omreg_image_data(img);
    const size_t nz = ndim == 3 ? shape[2] : 1;
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j)
            for (size_t k = 0; k < nz; ++k)
                v[(i * shape[1] + j) * nz + k] = f(i, j, k);
    char p[512];
    path_in(p, sizeof p, name);
    assert_int_equal(omreg_nifti_write(p, img), OMREG_OK);
    omreg_image_free(img);
}

static double blob(size_t i, size_t j, size_t k)
{
    double x = (double)i - 7.0, y = (double)j - 8.0, z = (double)k - 7.5;
    return exp(-(x * x + 1.3 * y * y + 0.7 * z * z) / 18.0);
}
static double blob_shifted(size_t i, size_t j, size_t k) { return blob(i + 1, j, k); }
static double constant(size_t i, size_t j, size_t k) { return (void)i, (void)j, (void)k, 3.0; }
static double zero(size_t i, size_t j, size_t k) { return (void)i, (void)j, (void)k, 0.0; }
static double one(size_t i, size_t j, size_t k) { return (void)i, (void)j, (void)k, 1.0; }
static double with_nan(size_t i, size_t j, size_t k)
{
    return i == 3 && j == 4 && k == 5 ? NAN : blob(i, j, k);
}
static double with_inf(size_t i, size_t j, size_t k)
{
    return i == 9 && j == 2 && k == 1 ? INFINITY : blob(i, j, k);
}
static double big_blob(size_t i, size_t j, size_t k)
{
    double x = (double)i - 23.0, y = (double)j - 24.0, z = (double)k - 22.0;
    return exp(-(x * x + 1.3 * y * y + 0.7 * z * z) / 120.0) + 0.01 * (double)((i * 7 + j) % 5);
}
static double big_blob_shifted(size_t i, size_t j, size_t k) { return big_blob(i + 2, j + 1, k); }

static void write_bytes(const char *name, const void *data, size_t n)
{
    char p[512];
    path_in(p, sizeof p, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

static unsigned char *read_all(const char *p, size_t *n)
{
    FILE *f = fopen(p, "rb");
    if (f == NULL)
        return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, len = 0;
    for (;;) {
        if (len == cap) {
            cap = cap ? 2 * cap : 4096;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0)
            break;
    }
    fclose(f);
    *n = len;
    return buf;
}

static int setup(void **state)
{
    (void)state;
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/omreg-cli-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(outdir, sizeof outdir, "%s/out", dir);
    snprintf(errfile, sizeof errfile, "%s/stderr.txt", dir);
    if (mkdir(outdir, 0700) != 0)
        return -1;
    const size_t s3[3] = {16, 17, 15}, s3b[3] = {15, 17, 15}, s2[2] = {16, 17};
    const size_t big[3] = {48, 48, 44};
    write_image("static.nii.gz", 3, s3, blob);
    write_image("moving.nii", 3, s3, blob_shifted);
    write_image("flat.nii", 3, s3, constant);
    write_image("nan.nii", 3, s3, with_nan);
    write_image("inf.nii.gz", 3, s3, with_inf);
    write_image("mask_zero.nii", 3, s3, zero);
    write_image("mask_one.nii", 3, s3, one);
    write_image("mask_small.nii", 3, s3b, one);
    write_image("image2d.nii", 2, s2, blob);
    write_image("big_static.nii", 3, big, big_blob);
    write_image("big_moving.nii", 3, big, big_blob_shifted);
    write_bytes("empty.nii", "", 0);
    /* damaged copies of a valid file: bad magic, cut short, cut-short gzip */
    char p[512];
    size_t n;
    path_in(p, sizeof p, "moving.nii");
    unsigned char *good = read_all(p, &n);
    assert_non_null(good);
    write_bytes("truncated.nii", good, n / 2);
    good[344] = 'x'; /* magic "n+1" at offset 344 */
    write_bytes("badmagic.nii", good, n);
    free(good);
    path_in(p, sizeof p, "static.nii.gz");
    good = read_all(p, &n);
    assert_non_null(good);
    write_bytes("cut.nii.gz", good, n - 40);
    free(good);
    write_bytes("matrix_bad.txt", "1 0 0 0\n0 1 0 0\n0 0 1 nan\n0 0 0 1\n", 34);
    return 0;
}

static void remove_tree(const char *d)
{
    DIR *dp = opendir(d);
    if (dp == NULL)
        return;
    struct dirent *e;
    char p[1024];
    while ((e = readdir(dp)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", d, e->d_name);
        struct stat st;
        if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(p);
        else
            unlink(p);
    }
    closedir(dp);
    rmdir(d);
}

static int teardown(void **state)
{
    (void)state;
    remove_tree(dir);
    return 0;
}

/* ---- running omreg ---------------------------------------------------- */

static const char *extra_env; /* one more NAME=value for the child, or NULL */

static pid_t spawn(char *const *args)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, errfile, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    char *argv[64];
    int n = 0;
    argv[n++] = (char *)OMREG_CLI_PATH;
    for (; args[n - 1] != NULL && n < 63; ++n)
        argv[n] = args[n - 1];
    argv[n] = NULL;
    char *envp[512];
    int ne = 0;
    for (char **e = environ; *e && ne < 510; ++e)
        envp[ne++] = *e;
    if (extra_env)
        envp[ne++] = (char *)extra_env;
    envp[ne] = NULL;
    pid_t pid;
    int rc = posix_spawn(&pid, OMREG_CLI_PATH, &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        fail_msg("posix_spawn %s: %s", OMREG_CLI_PATH, strerror(rc));
    return pid;
}

static int wait_status(pid_t pid)
{
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            fail_msg("waitpid: %s", strerror(errno));
    return status;
}

/* names in outdir, sorted into one comma string */
static void list_outdir(char *buf, size_t n)
{
    buf[0] = '\0';
    DIR *dp = opendir(outdir);
    assert_non_null(dp);
    struct dirent *e;
    char names[32][256];
    int k = 0;
    while ((e = readdir(dp)) != NULL && k < 32)
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            snprintf(names[k++], sizeof names[0], "%s", e->d_name);
    closedir(dp);
    for (int a = 0; a < k; ++a)
        for (int b = a + 1; b < k; ++b)
            if (strcmp(names[b], names[a]) < 0) {
                char t[256];
                memcpy(t, names[a], sizeof t);
                memcpy(names[a], names[b], sizeof t);
                memcpy(names[b], t, sizeof t);
            }
    for (int a = 0; a < k; ++a) {
        strncat(buf, names[a], n - strlen(buf) - 1);
        if (a + 1 < k)
            strncat(buf, ",", n - strlen(buf) - 1);
    }
}

static void assert_one_error_line(const char *label)
{
    size_t n;
    unsigned char *err = read_all(errfile, &n);
    assert_non_null(err);
    size_t lines = 0;
    for (size_t i = 0; i < n; ++i)
        lines += err[i] == '\n';
    if (n < 8 || lines != 1 || err[n - 1] != '\n' || memcmp(err, "omreg: ", 7) != 0)
        fail_msg("%s: stderr is not one 'omreg: ' line (%zu bytes, %zu lines): %.*s", label, n,
                 lines, (int)n, (const char *)err);
    free(err);
}

#define MAX_ARGS 40

/* Substitute @name by dir/name and %name by outdir/name in the arguments. */
static void expand(const char *const *in, char store[MAX_ARGS][512], char **out)
{
    int i = 0;
    for (; in[i] != NULL; ++i) {
        assert_true(i < MAX_ARGS - 1);
        if (in[i][0] == '@')
            snprintf(store[i], 512, "%s/%s", dir, in[i] + 1);
        else if (in[i][0] == '%')
            snprintf(store[i], 512, "%s/%s", outdir, in[i] + 1);
        else
            snprintf(store[i], 512, "%s", in[i]);
        out[i] = store[i];
    }
    out[i] = NULL;
}

static const char sentinel[] = "pre-existing output: must survive a failed run\n";

/* Run twice: outputs absent (must stay absent), then present with a
 * sentinel (must stay byte-identical). Either way exactly want_exit, one
 * line on stderr, and nothing else in outdir. outs: the %names in args. */
static void expect_failure(int want_exit, const char *const *args, const char *const *outs)
{
    static char store[MAX_ARGS][512];
    char *argv[MAX_ARGS];
    expand(args, store, argv);
    char label[1024] = "";
    for (int i = 0; args[i] && strlen(label) < 900; ++i) {
        strcat(label, " ");
        strncat(label, args[i], 80);
    }
    for (int pre = 0; pre < 2; ++pre) {
        char expected[1024] = "", p[512];
        for (int o = 0; outs[o]; ++o) {
            snprintf(p, sizeof p, "%s/%s", outdir, outs[o]);
            unlink(p);
            if (pre) {
                FILE *f = fopen(p, "wb");
                assert_non_null(f);
                fputs(sentinel, f);
                fclose(f);
            }
        }
        if (pre) /* the sorted list of the sentinel names */
            list_outdir(expected, sizeof expected);
        int status = wait_status(spawn(argv));
        if (!WIFEXITED(status) || WEXITSTATUS(status) != want_exit)
            fail_msg("omreg%s (outputs %s): %s %d, want exit %d", label,
                     pre ? "present" : "absent", WIFEXITED(status) ? "exit" : "signal",
                     WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), want_exit);
        assert_one_error_line(label);
        char now[1024];
        list_outdir(now, sizeof now);
        if (strcmp(now, expected) != 0)
            fail_msg("omreg%s: output directory holds '%s', want '%s'", label, now, expected);
        for (int o = 0; pre && outs[o]; ++o) {
            size_t n;
            snprintf(p, sizeof p, "%s/%s", outdir, outs[o]);
            unsigned char *got = read_all(p, &n);
            assert_non_null(got);
            if (n != strlen(sentinel) || memcmp(got, sentinel, n) != 0)
                fail_msg("omreg%s: pre-existing %s was changed", label, outs[o]);
            free(got);
        }
    }
    for (int o = 0; outs[o]; ++o) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", outdir, outs[o]);
        unlink(p);
    }
}

static const char *const affine_outs[] = {"w.nii.gz", "a.txt", NULL};
static const char *const syn_outs[] = {"sw.nii", "field.nii.gz", NULL};

#define AFFINE(...)                                                                            \
    ((const char *const[]){"affine", "@static.nii.gz", "@moving.nii", "--out-warped",          \
                           "%w.nii.gz", "--out-affine", "%a.txt", "--quiet", __VA_ARGS__,      \
                           NULL})
#define AFFINE_IMAGES(S, M, ...)                                                               \
    ((const char *const[]){"affine", S, M, "--out-warped", "%w.nii.gz", "--out-affine",        \
                           "%a.txt", "--quiet", "--transform", "translation", "--level-iters", \
                           "3", "--sigmas", "0", "--factors", "1", __VA_ARGS__ NULL})
#define SYN(...)                                                                               \
    ((const char *const[]){"syn", "@static.nii.gz", "@moving.nii", "--out-warped", "%sw.nii",  \
                           "--out-field", "%field.nii.gz", "--quiet", __VA_ARGS__, NULL})
#define SYN_IMAGES(S, M)                                                                       \
    ((const char *const[]){"syn", S, M, "--out-warped", "%sw.nii", "--out-field",              \
                           "%field.nii.gz", "--quiet", "--level-iters", "2", "--metric",       \
                           "ssd", NULL})

/* ---- bad option values (usage errors: exit 2) --------------------------- */

static void bad_options(void **state)
{
    (void)state;
    expect_failure(2, AFFINE("--transform", "bogus"), affine_outs);
    expect_failure(2, AFFINE("--pipeline", "com,,affine"), affine_outs);
    expect_failure(2, AFFINE("--level-iters", "abc"), affine_outs);
    expect_failure(2, AFFINE("--level-iters", "-5"), affine_outs);
    expect_failure(2, AFFINE("--level-iters", "10,1e3,5"), affine_outs);
    expect_failure(2, AFFINE("--level-iters", "10,10", "--sigmas", "1,0,0", "--factors", "2,1"),
                   affine_outs);
    expect_failure(2, AFFINE("--level-iters", "10,10"), affine_outs); /* 2 levels: give all */
    expect_failure(2, AFFINE("--sigmas", "-1,0,0"), affine_outs);
    expect_failure(2, AFFINE("--factors", "4,0,1"), affine_outs);
    expect_failure(2, AFFINE("--sampling-proportion", "0"), affine_outs);
    expect_failure(2, AFFINE("--sampling-proportion", "1.5"), affine_outs);
    expect_failure(2, AFFINE("--sampling-proportion", "-0.1"), affine_outs);
    expect_failure(2, AFFINE("--sampling-proportion", "nan"), affine_outs);
    expect_failure(2, AFFINE("--restarts", "-1"), affine_outs);
    expect_failure(2, AFFINE("--restarts", "two"), affine_outs);
    expect_failure(2, AFFINE("--nbins", "4"), affine_outs);
    expect_failure(2, AFFINE("--threads", "0"), affine_outs);
    expect_failure(2, AFFINE("--threads", "-2"), affine_outs);
    expect_failure(2, AFFINE("--threads", "two"), affine_outs);
    expect_failure(2, AFFINE("--backend", "gpu"), affine_outs);
    expect_failure(2, AFFINE("--no-such-option"), affine_outs);
    expect_failure(2, AFFINE("-x"), affine_outs);
    expect_failure(2, AFFINE("--nbins"), affine_outs);            /* missing value */
    expect_failure(2, AFFINE("@moving.nii"), affine_outs);        /* three operands */
    expect_failure(2, AFFINE("--transform", "bad\nname"), affine_outs); /* still one line */
    expect_failure(2, SYN("--metric", "mi"), syn_outs);
    expect_failure(2, SYN("--level-iters", "x,1"), syn_outs);
    expect_failure(2, SYN("--level-iters", "-1"), syn_outs);
    expect_failure(2, SYN("--step-length", "0"), syn_outs);
    expect_failure(2, SYN("--cc-radius", "0"), syn_outs);
    expect_failure(2, SYN("--threads", "0"), syn_outs);
    expect_failure(2, SYN("--ssd-smooth", "2"), syn_outs); /* cc metric */
    expect_failure(2, SYN("--step-type", "newton", "--metric", "em"), syn_outs);
    const char *const none[] = {NULL};
    expect_failure(2, ((const char *const[]){"nonsense", NULL}), none);
    expect_failure(2, ((const char *const[]){"syn", "@static.nii.gz", NULL}), none);
}

/* ---- bad files (exit 1) -------------------------------------------------- */

static void bad_files(void **state)
{
    (void)state;
    static const char *const bad[] = {"@missing.nii", "@empty.nii", "@truncated.nii",
                                      "@badmagic.nii", "@cut.nii.gz", "@"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; ++i) {
        expect_failure(1, AFFINE_IMAGES("@static.nii.gz", bad[i], ), affine_outs);
        expect_failure(1, AFFINE_IMAGES(bad[i], "@moving.nii", ), affine_outs);
        expect_failure(1, SYN_IMAGES(bad[i], "@moving.nii"), syn_outs);
    }
    /* dimensionality and grids */
    expect_failure(1, AFFINE_IMAGES("@static.nii.gz", "@image2d.nii", ), affine_outs);
    expect_failure(1, SYN_IMAGES("@image2d.nii", "@moving.nii"), syn_outs);
    expect_failure(1, AFFINE_IMAGES("@static.nii.gz", "@moving.nii", "--static-mask",
                                    "@mask_small.nii", ), affine_outs);
    expect_failure(1, AFFINE_IMAGES("@static.nii.gz", "@moving.nii", "--moving-mask",
                                    "@image2d.nii", ), affine_outs);
    expect_failure(1, AFFINE_IMAGES("@static.nii.gz", "@moving.nii", "--starting-affine",
                                    "@matrix_bad.txt", ), affine_outs);
    expect_failure(1, AFFINE_IMAGES("@static.nii.gz", "@moving.nii", "--starting-affine",
                                    "@missing.txt", ), affine_outs);
    /* intensities: NaN / Inf refused (DIPY lets them spread), constant refused */
    expect_failure(1, AFFINE_IMAGES("@nan.nii", "@moving.nii", ), affine_outs);
    expect_failure(1, AFFINE_IMAGES("@static.nii.gz", "@inf.nii.gz", ), affine_outs);
    expect_failure(1, SYN_IMAGES("@static.nii.gz", "@nan.nii"), syn_outs);
    expect_failure(1, SYN_IMAGES("@inf.nii.gz", "@moving.nii"), syn_outs);
    expect_failure(1, AFFINE_IMAGES("@flat.nii", "@moving.nii", ), affine_outs);
    expect_failure(1, SYN_IMAGES("@static.nii.gz", "@flat.nii"), syn_outs);
}

/* A failure after the first output is complete: nothing is committed. */
static void late_failure_commits_nothing(void **state)
{
    (void)state;
    /* the warped image stages fine; the affine's directory does not exist */
    expect_failure(1, ((const char *const[]){"affine", "@static.nii.gz", "@moving.nii",
                                             "--out-warped", "%w.nii.gz", "--out-affine",
                                             "@no/such/dir/a.txt", "--quiet", "--transform",
                                             "translation", "--level-iters", "3", "--sigmas",
                                             "0", "--factors", "1", NULL}),
                   affine_outs);
    /* an output name the NIfTI writer refuses, after a good one */
    expect_failure(1, ((const char *const[]){"syn", "@static.nii.gz", "@moving.nii",
                                             "--out-warped", "%sw.nii", "--out-field",
                                             "%field.png", "--quiet", "--level-iters", "2",
                                             "--metric", "ssd", NULL}),
                   ((const char *const[]){"sw.nii", "field.png", NULL}));
}

/* Empty masks are ignored (DIPY ignores an all-zero mask): the run succeeds
 * and writes both outputs, and no temporary is left. */
static void empty_mask_runs(void **state)
{
    (void)state;
    static char store[MAX_ARGS][512];
    char *argv[MAX_ARGS];
    expand(AFFINE_IMAGES("@static.nii.gz", "@moving.nii", "--static-mask", "@mask_zero.nii",
                         "--moving-mask", "@mask_one.nii", ),
           store, argv);
    int status = wait_status(spawn(argv));
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    char now[1024];
    list_outdir(now, sizeof now);
    assert_string_equal(now, "a.txt,w.nii.gz");
    for (int o = 0; affine_outs[o]; ++o) {
        char p[512];
        snprintf(p, sizeof p, "%s/%s", outdir, affine_outs[o]);
        unlink(p);
    }
}

/* ---- interrupts ---------------------------------------------------------- */

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* Start a long SyN run, wait until it is registering (its first progress
 * line), send sig: the process must die by sig, before finishing, with no
 * file in outdir. A pre-existing output must be untouched. */
static void interrupt_with(int sig, int preexisting)
{
    char p[512];
    snprintf(p, sizeof p, "%s/sw.nii.gz", outdir);
    if (preexisting) {
        FILE *f = fopen(p, "wb");
        assert_non_null(f);
        fputs(sentinel, f);
        fclose(f);
    }
    static char store[MAX_ARGS][512];
    char *argv[MAX_ARGS];
    expand(((const char *const[]){"syn", "@big_static.nii", "@big_moving.nii", "--out-warped",
                                  "%sw.nii.gz", "--out-inverse-warped", "%si.nii",
                                  "--out-field", "%sf.nii.gz", "--metric", "cc",
                                  "--level-iters", "200,200,200", "--opt-tol", "-1", NULL}),
           store, argv);
    const double t0 = now_s();
    pid_t pid = spawn(argv);
    /* the first progress line says the registration is under way */
    for (;;) {
        struct stat st;
        if (stat(errfile, &st) == 0 && st.st_size > 0)
            break;
        if (now_s() - t0 > 20.0)
            break;
        struct timespec d = {0, 20000000};
        nanosleep(&d, NULL);
    }
    struct timespec d = {0, 200000000};
    nanosleep(&d, NULL);
    assert_int_equal(kill(pid, sig), 0);
    int status = wait_status(pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        fail_msg("omreg syn after signal %d: %s %d", sig,
                 WIFSIGNALED(status) ? "signal" : "exit",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    char now[1024];
    list_outdir(now, sizeof now);
    assert_string_equal(now, preexisting ? "sw.nii.gz" : "");
    if (preexisting) {
        size_t n;
        unsigned char *got = read_all(p, &n);
        assert_non_null(got);
        assert_int_equal(n, strlen(sentinel));
        assert_memory_equal(got, sentinel, n);
        free(got);
        unlink(p);
    }
}

/* Interrupt a run after it has staged its first output (the CLI's test hook
 * holds it there): the staged file must be removed, nothing committed, and
 * a pre-existing output untouched. Without the signal handling the staged
 * temporary would stay. */
static void interrupt_between_outputs(int sig, int preexisting)
{
    char p[512];
    snprintf(p, sizeof p, "%s/w.nii.gz", outdir);
    if (preexisting) {
        FILE *f = fopen(p, "wb");
        assert_non_null(f);
        fputs(sentinel, f);
        fclose(f);
    }
    static char store[MAX_ARGS][512];
    char *argv[MAX_ARGS];
    expand(AFFINE_IMAGES("@static.nii.gz", "@moving.nii", ), store, argv);
    extra_env = "OMREG_TEST_HOLD_AFTER_STAGE=30";
    const double t0 = now_s();
    pid_t pid = spawn(argv);
    extra_env = NULL;
    char now[1024];
    for (;;) { /* wait for the staged warped image */
        list_outdir(now, sizeof now);
        if (strstr(now, ".omreg-part-") != NULL)
            break;
        if (now_s() - t0 > 25.0) {
            kill(pid, SIGKILL);
            wait_status(pid);
            fail_msg("no staged output appeared (outdir '%s')", now);
        }
        struct timespec d = {0, 10000000};
        nanosleep(&d, NULL);
    }
    assert_int_equal(kill(pid, sig), 0);
    int status = wait_status(pid);
    if (!WIFSIGNALED(status) || WTERMSIG(status) != sig)
        fail_msg("omreg affine after signal %d: %s %d", sig,
                 WIFSIGNALED(status) ? "signal" : "exit",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    assert_true(now_s() - t0 < 25.0); /* it did not sleep the hold out */
    list_outdir(now, sizeof now);
    assert_string_equal(now, preexisting ? "w.nii.gz" : "");
    if (preexisting) {
        size_t n;
        unsigned char *got = read_all(p, &n);
        assert_non_null(got);
        assert_int_equal(n, strlen(sentinel));
        assert_memory_equal(got, sentinel, n);
        free(got);
        unlink(p);
    }
}

static void sigint_between_outputs(void **state)
{
    (void)state;
    interrupt_between_outputs(SIGINT, 0);
    interrupt_between_outputs(SIGINT, 1);
    interrupt_between_outputs(SIGHUP, 0);
}

static void sigint_leaves_no_file(void **state)
{
    (void)state;
    interrupt_with(SIGINT, 0);
}

static void sigterm_keeps_existing_output(void **state)
{
    (void)state;
    interrupt_with(SIGTERM, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_options),
        cmocka_unit_test(bad_files),
        cmocka_unit_test(late_failure_commits_nothing),
        cmocka_unit_test(empty_mask_runs),
        cmocka_unit_test(sigint_leaves_no_file),
        cmocka_unit_test(sigterm_keeps_existing_output),
        cmocka_unit_test(sigint_between_outputs),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
