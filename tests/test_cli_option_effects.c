/* Every option of every command has an effect, and the table below says
 * which (issue 19). Each row runs the built `omreg` twice on small synthetic
 * 2D images, once as a baseline and once with the row's option, and checks:
 *  - the value reached the library: `affine` and `syn` write the resolved
 *    options in their provenance record (--out-json), and the row's value
 *    must appear at options.<option name>;
 *  - the effect: the result must change (CHANGES), must stay bitwise the same
 *    (SAME: e.g. --threads and --backend, by the determinism contract), the
 *    named output appears and is listed with its digest (OUTPUT), progress
 *    disappears (QUIET), usage is printed and nothing written (HELP), or
 *    the result stays the same while the OpenMP runtime, started from an
 *    environment without OMP_WAIT_POLICY and with OMP_DISPLAY_ENV=verbose,
 *    reports the active wait policy (SPINS: --wait-policy active).
 * The "result" is the record's result object and output digests (affine,
 * syn), the output file's bytes (apply) or stdout (affine-error).
 * table_matches_help parses every --option out of each command's --help:
 * an option without a row (or a row whose option left the help) fails.
 * Adding an option: one row here.
 * Also: the record is the same bytes for any thread count apart from its
 * "run" object, and names with quotes, backslashes and control characters
 * come out as valid JSON. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "json_read.h"
#include "omp_display.h"
#include "omreg/image.h"
#include "omreg/nifti.h"
#include "sha256.h"

extern char **environ;

typedef enum effect { CHANGES, SAME, OUTPUT, QUIET, HELP, SPINS } effect;

typedef struct row {
    const char *command; /* affine, syn, apply, affine-error, convert, qc */
    const char *option;  /* as in --help */
    const char *value;   /* its argument ("@x": file x of the input dir), NULL for a flag */
    const char *shared;  /* extra arguments of both runs (space-separated), or NULL */
    const char *json;    /* compact JSON expected at options.<option> (NULL: no record) */
    effect effect;
    const char *why;     /* why this effect */
    const char *key;     /* the record's key when not the option's name (an alias), or a
                          * whole path when it holds a '.' ("run.threads") */
} row;

/* clang-format off */
/* rows leave out `key` unless the option is an alias */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
static const row rows[] = {
    /* omreg affine */
    {"affine", "--out-affine", "@out/b.txt", NULL, "\"@out/b.txt\"", OUTPUT, "writes the matrix"},
    {"affine", "--out-warped", "@out/w.nii", NULL, "\"@out/w.nii\"", OUTPUT, "writes the warped image"},
    {"affine", "--out-qc", "@out/q.png", NULL, "\"@out/q.png\"", OUTPUT, "draws the QC picture"},
    {"affine", "--out-itk-affine", "@out/i.txt", NULL, "\"@out/i.txt\"", OUTPUT, "writes the ITK transform"},
    {"affine", "--out-elastix", "@out/e.txt", NULL, "\"@out/e.txt\"", OUTPUT, "writes the elastix parameters"},
    {"affine", "--out-json", "@out/r2.json", NULL, "\"@out/r2.json\"", OUTPUT, "writes the record"},
    {"affine", "--pipeline", "com,rigid", NULL, "\"com,rigid\"", CHANGES, "another transform"},
    {"affine", "--transform", "rigid", NULL, "\"rigid\"", CHANGES, "one stage, no centre of mass",
     "pipeline"},
    {"affine", "--starting-affine", "@start3.txt", "--pipeline translation,rigid",
     "\"@start3.txt\"", CHANGES, "another start (without com, which would replace it)"},
    {"affine", "--nbins", "16", NULL, "16", CHANGES, "another histogram"},
    {"affine", "--sampling-proportion", "0.5", NULL, "0.5", CHANGES, "sparse samples"},
    {"affine", "--level-iters", "3,2", NULL, "[3,2]", CHANGES, "fewer evaluations"},
    {"affine", "--sigmas", "2,0", NULL, "[2,0]", CHANGES, "more smoothing"},
    {"affine", "--factors", "3,1", NULL, "[3,1]", CHANGES, "another coarse grid"},
    {"affine", "--static-mask", "@mask.nii", NULL, "\"@mask.nii\"", CHANGES, "half the samples"},
    {"affine", "--moving-mask", "@mask.nii", NULL, "\"@mask.nii\"", CHANGES, "half the samples"},
    {"affine", "--restarts", "3", "--level-iters 200,100", "3", CHANGES,
     "L-BFGS-B stalls on this pair with evaluations left; restarts go further"},
    {"affine", "--mode", "fast", NULL, "\"fast\"", CHANGES, "another algorithm (and chain)"},
    {"affine", "--seed", "7", "--mode fast", "7", CHANGES, "other random samples"},
    {"affine", "--fast-samples", "500", "--mode fast", "500", CHANGES, "fewer samples per iteration"},
    {"affine", "--fast-iterations", "20", "--mode fast", "20", CHANGES, "fewer iterations"},
    {"affine", "--threads", "1", NULL, "1", SAME, "bitwise the same for any thread count",
     "run.threads"},
    {"affine", "--backend", "reference", NULL, "\"reference\"", SAME, "reference == parallel bitwise"},
    {"affine", "--wait-policy", "active", NULL, "\"active\"", SPINS,
     "threads spin instead of sleeping; the bits are the same", "run.wait_policy"},
    {"affine", "--quiet", NULL, NULL, "true", QUIET, "progress off"},
    {"affine", "--help", NULL, NULL, NULL, HELP, "usage"},
    /* omreg syn */
    {"syn", "--out-warped", "@out/w.nii", NULL, "\"@out/w.nii\"", OUTPUT, "writes the warped image"},
    {"syn", "--out-inverse-warped", "@out/iw.nii", NULL, "\"@out/iw.nii\"", OUTPUT, "writes the inverse"},
    {"syn", "--out-field", "@out/g.nii", NULL, "\"@out/g.nii\"", OUTPUT, "writes the fields"},
    {"syn", "--out-qc", "@out/q.png", NULL, "\"@out/q.png\"", OUTPUT, "draws the QC picture"},
    {"syn", "--out-itk-warp", "@out/k.nii", NULL, "\"@out/k.nii\"", OUTPUT, "writes the ITK field"},
    {"syn", "--out-itk-affine", "@out/i.txt", "--prealign @start3.txt", "\"@out/i.txt\"", OUTPUT,
     "writes the prealign as an ITK transform"},
    {"syn", "--out-elastix", "@out/e.txt", "--out-itk-warp @out/k.nii", "\"@out/e.txt\"", OUTPUT,
     "writes the elastix parameters naming the ITK field"},
    {"syn", "--out-json", "@out/r2.json", NULL, "\"@out/r2.json\"", OUTPUT, "writes the record"},
    {"syn", "--prealign", "@start3.txt", NULL, "\"@start3.txt\"", CHANGES, "another start"},
    {"syn", "--level-iters", "2,2", NULL, "[2,2]", CHANGES, "fewer iterations"},
    {"syn", "--step-length", "0.5", NULL, "0.5", CHANGES, "longer steps"},
    {"syn", "--ss-sigma-factor", "0.5", NULL, "0.5", CHANGES, "more scale-space smoothing"},
    {"syn", "--opt-tol", "1e9", "--level-iters 14", "1000000000", CHANGES,
     "stops as soon as the energy window is full (before 14 iterations)"},
    {"syn", "--inv-iter", "1", NULL, "1", CHANGES, "a rougher inverse field"},
    {"syn", "--inv-tol", "0.5", NULL, "0.5", CHANGES, "a rougher inverse field"},
    {"syn", "--metric", "ssd", NULL, "\"ssd\"", CHANGES, "another metric"},
    {"syn", "--cc-radius", "2", NULL, "2", CHANGES, "smaller windows"},
    {"syn", "--sigma-diff", "1", NULL, "1", CHANGES, "less step smoothing"},
    {"syn", "--ssd-smooth", "2", "--metric ssd", "2", CHANGES, "less smoothing"},
    {"syn", "--em-smooth", "3", "--metric em", "3", CHANGES, "more regularisation"},
    {"syn", "--inner-iter", "2", "--metric em", "2", CHANGES, "fewer V-cycle sweeps"},
    {"syn", "--em-q-levels", "16", "--metric em", "16", CHANGES, "coarser quantisation"},
    {"syn", "--em-no-double-gradient", NULL, "--metric em", "true", CHANGES, "one gradient"},
    {"syn", "--step-type", "gauss_newton", "--metric ssd", "\"gauss_newton\"", CHANGES,
     "V-cycle instead of demons"},
    {"syn", "--gs-order", "red-black", "--metric em", "\"red-black\"", CHANGES,
     "another Gauss-Seidel order in the V-cycle"},
    {"syn", "--mode", "fast", NULL, "\"fast\"", CHANGES, "box-sum CC windows"},
    {"syn", "--threads", "1", NULL, "1", SAME, "bitwise the same for any thread count",
     "run.threads"},
    {"syn", "--backend", "reference", NULL, "\"reference\"", SAME, "reference == parallel bitwise"},
    {"syn", "--wait-policy", "active", NULL, "\"active\"", SPINS,
     "threads spin instead of sleeping; the bits are the same", "run.wait_policy"},
    {"syn", "--quiet", NULL, NULL, "true", QUIET, "progress off"},
    {"syn", "--help", NULL, NULL, NULL, HELP, "usage"},
    /* omreg apply (no record: the effect is checked on the output) */
    {"apply", "--reference", "@small.nii", NULL, NULL, CHANGES, "another grid"},
    {"apply", "--affine", "@start3.txt", NULL, NULL, CHANGES, "a shift"},
    {"apply", "--field", "@field.nii", NULL, NULL, CHANGES, "a deformation"},
    {"apply", "--inverse", NULL, "--affine @start3.txt", NULL, CHANGES, "the opposite shift"},
    {"apply", "--interp", "nearest", "--affine @start3.txt", NULL, CHANGES,
     "nearest neighbour at fractional positions"},
    {"apply", "--out", "@out/o2.nii", NULL, NULL, OUTPUT, "writes there"},
    {"apply", "--threads", "1", NULL, NULL, SAME, "bitwise the same for any thread count"},
    {"apply", "--backend", "reference", NULL, NULL, SAME, "reference == parallel bitwise"},
    {"apply", "--wait-policy", "active", NULL, NULL, SPINS, "threads spin; the same bytes"},
    {"apply", "--quiet", NULL, NULL, NULL, SAME, "apply prints nothing either way"},
    {"apply", "--help", NULL, NULL, NULL, HELP, "usage"},
    /* omreg affine-error */
    {"affine-error", "--reference", "@small.nii", NULL, NULL, CHANGES, "other points"},
    {"affine-error", "--threshold", "0.5", NULL, NULL, CHANGES, "fewer points"},
    {"affine-error", "--help", NULL, NULL, NULL, HELP, "usage"},
    /* omreg convert */
    {"convert", "--to", "matrix", NULL, NULL, CHANGES, "rows of numbers instead of an ITK file"},
    {"convert", "--reference", "@small.nii", "--to elastix --reference @static.nii", NULL, CHANGES,
     "the elastix file describes another grid"},
    {"convert", "--help", NULL, NULL, NULL, HELP, "usage"},
    /* omreg qc (3D: three panels) */
    {"qc", "--out", "@out/q2.png", NULL, NULL, OUTPUT, "writes there"},
    {"qc", "--style", "checkerboard", NULL, NULL, CHANGES, "squares instead of edges"},
    {"qc", "--window", "5,60", NULL, NULL, CHANGES, "another intensity window"},
    {"qc", "--radiological", NULL, NULL, NULL, CHANGES, "left and right swapped"},
    {"qc", "--threads", "1", NULL, NULL, SAME, "the same bytes for any thread count"},
    {"qc", "--backend", "reference", NULL, NULL, SAME, "reference == parallel bitwise"},
    {"qc", "--wait-policy", "active", NULL, NULL, SPINS, "threads spin; the same bytes"},
    {"qc", "--quiet", NULL, NULL, NULL, SAME, "qc prints its score on stdout either way"},
    {"qc", "--help", NULL, NULL, NULL, HELP, "usage"},
};
#pragma GCC diagnostic pop
/* clang-format on */
enum { NROWS = sizeof rows / sizeof rows[0] };

/* the baseline run of each command (rows add their arguments after it) */
static const char *const base_affine[] = {"affine", "@static.nii", "@moving.nii", "--pipeline",
                                          "com,translation,rigid", "--level-iters", "8,4",
                                          "--sigmas", "1,0", "--factors", "2,1", "--out-affine",
                                          "@out/a.txt", "--out-json", "@out/r.json", NULL};
static const char *const base_syn[] = {"syn",          "@static.nii", "@moving.nii",
                                       "--level-iters", "3,2",        "--out-field",
                                       "@out/f.nii",   "--out-json",  "@out/r.json",
                                       NULL};
static const char *const base_apply[] = {"apply", "@moving.nii", "--reference", "@static.nii",
                                         "--out", "@out/o.nii", NULL};
static const char *const base_error[] = {"affine-error", "@rotation.txt", "@start1.txt",
                                         "--reference", "@static.nii", NULL};
static const char *const base_qc[] = {"qc", "@static3.nii", "@warped3.nii", "--out", "@out/q.png",
                                      NULL};
static const char *const base_convert[] = {"convert", "@rotation.txt", "@out/c.txt", "--to", "itk",
                                           NULL};

static const struct {
    const char *command;
    const char *const *args;
} bases[] = {
    {"affine", base_affine},
    {"syn", base_syn},
    {"apply", base_apply},
    {"affine-error", base_error},
    {"convert", base_convert},
    {"qc", base_qc},
};

static const char *const *base_of(const char *command)
{
    for (size_t b = 0; b < sizeof bases / sizeof bases[0]; ++b)
        if (strcmp(bases[b].command, command) == 0)
            return bases[b].args;
    fail_msg("command %s has rows but no baseline run in bases[]", command);
    return NULL;
}

/* `omreg --help` commands without options */
static int has_options(const char *command)
{
    return strcmp(command, "version") != 0 && strcmp(command, "help") != 0;
}

static int has_record(const char *command)
{
    return strcmp(command, "affine") == 0 || strcmp(command, "syn") == 0;
}

static char dir[256];

/* ---- inputs ---------------------------------------------------------- */

/* a textured 2D scene: blobs of several sizes on a ramp, so every setting
 * of the metric and the optimiser sees different values */
static double scene(double i, double j)
{
    double v = 0.002 * (i + 2 * j);
    static const double blobs[][4] = {{20, 24, 40, 1.0}, {40, 18, 18, 0.7},
                                      {30, 42, 60, 0.9}, {12, 40, 10, 0.5}};
    for (int b = 0; b < 4; ++b) {
        double x = i - blobs[b][0], y = j - blobs[b][1];
        v += blobs[b][3] * exp(-(x * x + 1.4 * y * y) / blobs[b][2]);
    }
    return v;
}

static void write_scene(const char *name, const size_t shape[2], double di, double dj,
                        double angle, int mask)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 2, shape, 1, OMREG_F64, NULL), OMREG_OK);
    double *v = omreg_image_data(img);
    const double c = cos(angle), s = sin(angle), ci = shape[0] / 2.0, cj = shape[1] / 2.0;
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j) {
            double x = (double)i - ci, y = (double)j - cj;
            v[i * shape[1] + j] = mask ? (double)(i < shape[0] / 2)
                                       : scene(c * x - s * y + ci + di, s * x + c * y + cj + dj);
        }
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(omreg_nifti_write(p, img), OMREG_OK);
    omreg_image_free(img);
}

/* a 3D volume for omreg qc (its panels, --radiological): the 2D scene
 * stacked along the third axis with a ramp, so left and right differ */
static void write_volume(const char *name, double di)
{
    const size_t shape[3] = {24, 28, 20};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 3, shape, 1, OMREG_F64, NULL), OMREG_OK);
    double *v = omreg_image_data(img);
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j)
            for (size_t k = 0; k < shape[2]; ++k)
                v[(i * shape[1] + j) * shape[2] + k] =
                    scene(2.0 * (double)i + di, 2.0 * (double)j) * (1.0 + 0.02 * (double)k);
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    assert_int_equal(omreg_nifti_write(p, img), OMREG_OK);
    omreg_image_free(img);
}

static void write_text(const char *name, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* ---- running omreg --------------------------------------------------- */

typedef struct outcome {
    int status;        /* exit code, or -1 if not exited */
    char *out, *err;   /* stdout, stderr */
    char *record;      /* the --out-json file (NULL without one) */
    char result[8192]; /* what CHANGES / SAME compare */
} outcome;

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

static void outcome_free(outcome *o)
{
    free(o->out);
    free(o->err);
    free(o->record);
    memset(o, 0, sizeof *o);
}

static void clear_outputs(void)
{
    char p[512];
    snprintf(p, sizeof p, "%s/out", dir);
    DIR *d = opendir(p);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.') {
            char f[800];
            snprintf(f, sizeof f, "%s/%s", p, e->d_name);
            unlink(f);
        }
    closedir(d);
}

static int outputs_left(void)
{
    char p[512];
    snprintf(p, sizeof p, "%s/out", dir);
    DIR *d = opendir(p);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

enum { MAX_ARGS = 64 };

/* argv: "@x" -> dir/x; env: extra NAME=VALUE entries, or -NAME to remove
 * NAME (NULL-terminated) */
static void run(const char *const *args, const char *const *env, outcome *o)
{
    static char store[MAX_ARGS][512];
    char *argv[MAX_ARGS + 1];
    int n = 0;
    argv[n++] = (char *)OMREG_CLI_PATH;
    for (; args[n - 1] != NULL; ++n) {
        assert_true(n < MAX_ARGS);
        const char *a = args[n - 1];
        if (a[0] == '@')
            snprintf(store[n], sizeof store[n], "%s/%s", dir, a + 1);
        else
            snprintf(store[n], sizeof store[n], "%s", a);
        argv[n] = store[n];
    }
    argv[n] = NULL;
    char **envp = environ;
    char *merged[256];
    if (env != NULL) {
        int k = 0;
        for (int m = 0; env[m]; ++m)
            if (env[m][0] != '-')
                merged[k++] = (char *)env[m];
        for (char **e = environ; *e && k < 255; ++e) {
            int overridden = 0;
            for (int m = 0; env[m]; ++m) {
                const char *name = env[m] + (env[m][0] == '-');
                const size_t len = strcspn(name, "=");
                overridden |= strncmp(*e, name, len) == 0 && (*e)[len] == '=';
            }
            if (!overridden)
                merged[k++] = *e;
        }
        merged[k] = NULL;
        envp = merged;
    }
    char outp[512], errp[512];
    snprintf(outp, sizeof outp, "%s/stdout", dir);
    snprintf(errp, sizeof errp, "%s/stderr", dir);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 1, outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, 2, errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid;
    assert_int_equal(posix_spawn(&pid, argv[0], &fa, NULL, argv, envp), 0);
    posix_spawn_file_actions_destroy(&fa);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    memset(o, 0, sizeof *o);
    o->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o->out = slurp(outp);
    o->err = slurp(errp);
    /* the record: the last --out-json of the command line */
    for (int a = 1; a + 1 < n; ++a)
        if (strcmp(argv[a], "--out-json") == 0) {
            free(o->record);
            o->record = slurp(argv[a + 1]);
        }
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* o->result: what must change or stay (see the header) */
static void take_result(const char *command, outcome *o)
{
    if (has_record(command)) {
        assert_non_null(o->record);
        if (!json_valid(o->record))
            fail_msg("%s: the record is not valid JSON:\n%s", command, o->record);
        size_t len;
        const char *r = json_find(o->record, "result", &len);
        assert_non_null(r);
        assert_true(json_compact(r, len, o->result, sizeof o->result));
        /* the outputs' digests (not their names: OUTPUT rows rename one) */
        const char *outs = json_find(o->record, "outputs", &len);
        assert_non_null(outs);
        for (const char *p = outs; (p = strstr(p, "\"sha256\": \"")) && p < outs + len; p += 11) {
            strncat(o->result, " ", sizeof o->result - strlen(o->result) - 1);
            strncat(o->result, p + 11, 64);
        }
    } else {
        /* stdout, then the digest of each output file in name order */
        snprintf(o->result, sizeof o->result, "%s", o->out);
        char p[512];
        snprintf(p, sizeof p, "%s/out", dir);
        struct dirent **files;
        int n = scandir(p, &files, NULL, by_name);
        assert_true(n >= 0);
        for (int k = 0; k < n; ++k) {
            char f[800], sha[65];
            snprintf(f, sizeof f, "%s/%s", p, files[k]->d_name);
            if (files[k]->d_name[0] != '.' && omreg_sha256_file(f, sha) == OMREG_OK) {
                strncat(o->result, " ", sizeof o->result - strlen(o->result) - 1);
                strncat(o->result, sha, sizeof o->result - strlen(o->result) - 1);
            }
            free(files[k]);
        }
        free(files);
    }
}

/* base + shared (split at spaces) + extra..., NULL-terminated, in store */
static void build_args(const char *command, const char *shared, const char *opt,
                       const char *value, const char **args, char *store, size_t n)
{
    int k = 0;
    for (const char *const *b = base_of(command); *b; ++b)
        args[k++] = *b;
    if (shared) {
        snprintf(store, n, "%s", shared);
        for (char *save, *t = strtok_r(store, " ", &save); t; t = strtok_r(NULL, " ", &save))
            args[k++] = t;
    }
    if (opt)
        args[k++] = opt;
    if (value)
        args[k++] = value;
    args[k] = NULL;
    assert_true(k < MAX_ARGS);
}

static void run_checked(const char *command, const char *const *args, const char *const *env,
                        outcome *o)
{
    clear_outputs();
    run(args, env, o);
    if (o->status != 0)
        fail_msg("omreg %s exited %d: %s", command, o->status, o->err ? o->err : "");
    take_result(command, o);
}

/* ---- the table ------------------------------------------------------- */

/* the stored text of a value with "@x" written as the path the command saw */
static void expected_json(const char *want, char *out, size_t n)
{
    const char *at = strchr(want, '@');
    if (at == NULL)
        snprintf(out, n, "%s", want);
    else
        snprintf(out, n, "%.*s%s/%s", (int)(at - want), want, dir, at + 1);
}

static void check_row(const row *r, const outcome *base)
{
    const char *args[MAX_ARGS];
    char store[256];
    build_args(r->command, r->shared, r->option, r->value, args, store, sizeof store);
    outcome o;
    clear_outputs();
    /* SPINS: the runtime starts without a policy of the user's and says
     * which one it runs with */
    static const char *const spins_env[] = {"-OMP_WAIT_POLICY", "-GOMP_SPINCOUNT",
                                            "OMP_DISPLAY_ENV=verbose", NULL};
    run(args, r->effect == SPINS ? spins_env : NULL, &o);
    if (o.status != 0)
        fail_msg("%s %s: exit %d: %s", r->command, r->option, o.status, o.err);
    if (r->effect == HELP) {
        char usage[64];
        snprintf(usage, sizeof usage, "usage: omreg %s", r->command);
        if (strncmp(o.out, usage, strlen(usage)) != 0 || outputs_left() != 0)
            fail_msg("%s --help: no usage on stdout, or files written", r->command);
        outcome_free(&o);
        return;
    }
    take_result(r->command, &o);
    if (r->json) {
        char path[96], got[4096], want[1024];
        if (r->key && strchr(r->key, '.')) /* a whole path outside "options" */
            snprintf(path, sizeof path, "%s", r->key);
        else
            snprintf(path, sizeof path, "options.%s", r->key ? r->key : r->option + 2);
        size_t len;
        const char *v = json_find(o.record, path, &len);
        if (v == NULL)
            fail_msg("%s %s: no %s in the record", r->command, r->option, path);
        assert_true(json_compact(v, len, got, sizeof got));
        expected_json(r->json, want, sizeof want);
        if (strcmp(got, want) != 0)
            fail_msg("%s %s %s: the record says %s = %s, not %s", r->command, r->option,
                     r->value ? r->value : "", path, got, want);
    }
    const int same = strcmp(o.result, base->result) == 0;
    switch (r->effect) {
    case CHANGES:
        if (same)
            fail_msg("%s %s %s: the result did not change (%s)", r->command, r->option,
                     r->value ? r->value : "", r->why);
        break;
    case SPINS: {
        const char *wait = omp_display_wait(o.err);
        if (wait == NULL || strcmp(wait, "active") != 0)
            fail_msg("%s %s %s: the OpenMP runtime reports the wait policy %s, not active:\n%s",
                     r->command, r->option, r->value, wait ? wait : "(nothing)", o.err);
    }
        /* fall through - and the result is the same */
    case SAME:
        if (!same)
            fail_msg("%s %s %s: the result changed (%s):\n%s\nvs\n%s", r->command, r->option,
                     r->value ? r->value : "", r->why, o.result, base->result);
        break;
    case QUIET:
        if (!same || base->err[0] == '\0' || o.err[0] != '\0')
            fail_msg("%s --quiet: baseline stderr %zu bytes, quiet %zu bytes, same result %d",
                     r->command, strlen(base->err), strlen(o.err), same);
        break;
    case OUTPUT: {
        char p[512], sha[65];
        snprintf(p, sizeof p, "%s/%s", dir, r->value + 1);
        if (omreg_sha256_file(p, sha) != OMREG_OK)
            fail_msg("%s %s %s: no such file after the run", r->command, r->option, r->value);
        if (r->json && strcmp(r->option, "--out-json") != 0) {
            char entry[700];
            snprintf(entry, sizeof entry, "\"path\": \"%s\",\n      \"sha256\": \"%s\"", p, sha);
            if (strstr(o.record, entry) == NULL)
                fail_msg("%s %s: the record does not list %s with its digest %s", r->command,
                         r->option, p, sha);
        }
        /* the registration itself is unchanged (the digests may gain one) */
        const size_t k = strcspn(base->result, " ");
        if (strncmp(o.result, base->result, k) != 0 || (o.result[k] != ' ' && o.result[k]))
            fail_msg("%s %s: the registration changed", r->command, r->option);
        break;
    }
    case HELP: break;
    }
    outcome_free(&o);
}

static void every_row_has_its_effect(void **state)
{
    (void)state;
    for (size_t c = 0; c < sizeof bases / sizeof bases[0]; ++c) {
        const char *const command = bases[c].command;
        /* baselines, one per distinct `shared` of the command's rows */
        const char *shared_seen[NROWS];
        outcome bases[NROWS];
        int nbases = 0;
        for (int i = 0; i < NROWS; ++i) {
            const row *r = &rows[i];
            if (strcmp(r->command, command) != 0)
                continue;
            int b = 0;
            while (b < nbases && !((shared_seen[b] == NULL && r->shared == NULL) ||
                                   (shared_seen[b] && r->shared &&
                                    strcmp(shared_seen[b], r->shared) == 0)))
                ++b;
            if (b == nbases) {
                const char *args[MAX_ARGS];
                char store[256];
                build_args(r->command, r->shared, NULL, NULL, args, store, sizeof store);
                run_checked(r->command, args, NULL, &bases[b]);
                shared_seen[nbases++] = r->shared;
            }
            print_message("%-13s %-24s %-14s %s\n", r->command, r->option,
                          r->value ? r->value : "", r->why);
            check_row(r, &bases[b]);
        }
        for (int b = 0; b < nbases; ++b)
            outcome_free(&bases[b]);
    }
}

/* Options of a --help text: the --x tokens of the usage line, and of the
 * option lines (indented lines starting with --x: the first token, and
 * those after ", " as in "--threads N, --backend NAME"). Prose mentions of
 * other commands' options ("'omreg syn --out-field'") are not options. */
static int help_options(const char *help, char names[][40], int max)
{
    int n = 0;
    const char *line = help;
    while (*line) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        const int usage = strncmp(line, "usage:", 6) == 0;
        const char *p = line;
        while (p < line + len && *p == ' ')
            ++p;
        const int option_line = p > line && strncmp(p, "--", 2) == 0;
        for (const char *q = line; q + 2 < line + len; ++q) {
            if (strncmp(q, "--", 2) != 0 || (q > line && q[-1] != ' ' && q[-1] != '['))
                continue;
            int take = usage || (option_line && (q == p || (q >= line + 2 && q[-2] == ',')));
            if (!take)
                continue;
            size_t k = 2;
            while ((q[k] >= 'a' && q[k] <= 'z') || (q[k] >= '0' && q[k] <= '9') || q[k] == '-')
                ++k;
            assert_true(n < max && k < 40);
            snprintf(names[n++], 40, "%.*s", (int)k, q);
        }
        line += len + (eol != NULL);
    }
    return n;
}

/* the commands `omreg --help` lists (the lines after "Commands:") */
static int help_commands(char names[][40], int max)
{
    const char *args[] = {"--help", NULL};
    outcome o;
    run(args, NULL, &o);
    assert_int_equal(o.status, 0);
    const char *p = strstr(o.out, "Commands:\n");
    assert_non_null(p);
    int n = 0;
    for (p = strchr(p, '\n') + 1; strncmp(p, "  ", 2) == 0; p = strchr(p, '\n') + 1) {
        assert_true(n < max);
        sscanf(p, "%39s", names[n++]);
    }
    outcome_free(&o);
    return n;
}

static void table_matches_help(void **state)
{
    (void)state;
    char commands[32][40];
    const int ncommands = help_commands(commands, 32);
    assert_true(ncommands >= 4);
    for (int i = 0; i < NROWS; ++i) {
        int listed = 0;
        for (int c = 0; c < ncommands; ++c)
            listed |= strcmp(rows[i].command, commands[c]) == 0;
        if (!listed)
            fail_msg("row %s %s: omreg --help lists no command %s", rows[i].command,
                     rows[i].option, rows[i].command);
        (void)base_of(rows[i].command); /* every_row_has_its_effect runs it */
    }
    for (int c = 0; c < ncommands; ++c) {
        if (!has_options(commands[c]))
            continue;
        const char *args[] = {commands[c], "--help", NULL};
        outcome o;
        run(args, NULL, &o);
        assert_int_equal(o.status, 0);
        char names[128][40];
        int n = help_options(o.out, names, 128);
        assert_true(n >= 2); /* at least --reference/--help or --out-*: the parser works */
        for (int k = 0; k < n; ++k) {
            int found = 0;
            for (int i = 0; i < NROWS; ++i)
                found |= strcmp(rows[i].command, commands[c]) == 0 &&
                         strcmp(rows[i].option, names[k]) == 0;
            if (!found)
                fail_msg("omreg %s --help lists %s, which has no row in the table of %s",
                         commands[c], names[k], __FILE__);
        }
        for (int i = 0; i < NROWS; ++i) {
            if (strcmp(rows[i].command, commands[c]) != 0)
                continue;
            int found = 0;
            for (int k = 0; k < n; ++k)
                found |= strcmp(rows[i].option, names[k]) == 0;
            if (!found)
                fail_msg("row %s %s: omreg %s --help does not list it", commands[c],
                         rows[i].option, commands[c]);
        }
        print_message("omreg %s: %d options in --help, each with a row\n", commands[c], n);
        outcome_free(&o);
    }
}

/* ---- the record ------------------------------------------------------ */

/* the record up to its "run" object, which must come last */
static size_t before_run(const char *record)
{
    const char *run_key = strstr(record, "\n  \"run\": {");
    assert_non_null(run_key);
    size_t len;
    const char *v = json_find(record, "run", &len);
    assert_non_null(v);
    assert_string_equal(v + len, "\n}\n");
    return (size_t)(run_key - record);
}

static void record_same_for_any_thread_count(void **state)
{
    (void)state;
    for (int c = 0; c < 2; ++c) {
        const char *command = c ? "syn" : "affine";
        const char *const *args = base_of(command);
        static const char *const one[] = {"OMP_NUM_THREADS=1", NULL};
        static const char *const three[] = {"OMP_NUM_THREADS=3", "OMP_SCHEDULE=static,1", NULL};
        outcome a, b;
        run_checked(command, args, one, &a);
        run_checked(command, args, three, &b);
        size_t na = before_run(a.record), nb = before_run(b.record);
        if (na != nb || memcmp(a.record, b.record, na) != 0)
            fail_msg("%s: the records at 1 and 3 threads differ outside \"run\":\n%s\n%s",
                     command, a.record, b.record);
        /* the same when the count comes from --threads instead */
        const char *targs[MAX_ARGS];
        char store[256];
        build_args(command, NULL, "--threads", "3", targs, store, sizeof store);
        outcome flag;
        run_checked(command, targs, one, &flag);
        const size_t nf = before_run(flag.record);
        if (nf != na || memcmp(a.record, flag.record, na) != 0)
            fail_msg("%s: the records at 1 thread and at --threads 3 differ outside \"run\":"
                     "\n%s\n%s",
                     command, a.record, flag.record);
        outcome_free(&flag);
        size_t len;
        /* the version is the one `omreg --version` prints */
        const char *version_args[] = {"--version", NULL};
        outcome v;
        run(version_args, NULL, &v);
        const char *rv = json_find(a.record, "version", &len);
        assert_non_null(rv);
        char printed[96];
        snprintf(printed, sizeof printed, "omreg %.*s\n", (int)len - 2, rv + 1);
        assert_int_equal(v.status, 0);
        assert_string_equal(v.out, printed);
        outcome_free(&v);
        const char *t = json_find(b.record, "run.threads", &len);
        assert_non_null(t);
        assert_int_equal(strtol(t, NULL, 10), 3); /* and "run" does say which */
        /* what the record must hold besides the options */
        static const char *const paths[] = {"version", "git_revision", "build.isa", "mode",
                                            "backend", "inputs.static.sha256",
                                            "inputs.moving.sha256", "levels", "result",
                                            "run.timings_seconds.total"};
        for (size_t k = 0; k < sizeof paths / sizeof paths[0]; ++k)
            if (json_find(a.record, paths[k], &len) == NULL)
                fail_msg("%s: the record has no %s", command, paths[k]);
        /* the digests are sha256sum's */
        char cmd[600], want[65];
        snprintf(cmd, sizeof cmd, "sha256sum %s/static.nii", dir);
        FILE *p = popen(cmd, "r");
        assert_non_null(p);
        assert_int_equal(fscanf(p, "%64s", want), 1);
        pclose(p);
        const char *got = json_find(a.record, "inputs.static.sha256", &len);
        assert_int_equal(len, 66);
        assert_memory_equal(got + 1, want, 64);
        outcome_free(&a);
        outcome_free(&b);
    }
}

static void record_escapes_names(void **state)
{
    (void)state;
    /* a file name with a quote, a backslash, a tab, a newline and a ^A */
    const char *name = "out/a\"b\\c\td\ne\001f.txt";
    const char *args[] = {"affine", "@static.nii", "@moving.nii", "--transform", "translation",
                          "--level-iters", "2", "--sigmas", "0", "--factors", "1",
                          "--out-json", "@out/r.json", "--out-affine", NULL, "--quiet", NULL};
    char at[64];
    snprintf(at, sizeof at, "@%s", name);
    args[14] = at;
    outcome o;
    run_checked("affine", args, NULL, &o);
    size_t len;
    const char *v = json_find(o.record, "options.out-affine", &len);
    assert_non_null(v);
    char want[600];
    snprintf(want, sizeof want, "\"%s/out/a\\\"b\\\\c\\td\\ne\\u0001f.txt\"", dir);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(v, want, len);
    outcome_free(&o);
}

/* ---- fixture --------------------------------------------------------- */

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/omreg_option_effects_XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    char p[512];
    snprintf(p, sizeof p, "%s/out", dir);
    if (mkdir(p, 0755) != 0)
        return -1;
    const size_t shape[2] = {56, 60}, small[2] = {40, 44};
    write_scene("static.nii", shape, 0, 0, 0, 0);
    write_scene("moving.nii", shape, 1.5, -2.25, 0.06, 0);
    write_scene("small.nii", small, 3, 3, 0, 0);
    write_scene("mask.nii", shape, 0, 0, 0, 1);
    write_volume("static3.nii", 0);
    write_volume("warped3.nii", 2.5);
    write_text("start1.txt", "1 0 0\n0 1 0\n0 0 1\n");
    write_text("start3.txt", "1 0 1.3\n0 1 -0.7\n0 0 1\n");
    /* 3 degrees about the origin: the error grows with the distance */
    write_text("rotation.txt", "0.99862953475457383 -0.052335956242943835 0\n"
                               "0.052335956242943835 0.99862953475457383 0\n0 0 1\n");
    /* a deformation for apply --field: syn's own field file */
    const char *syn_args[] = {"syn", "@static.nii", "@moving.nii", "--level-iters", "2",
                              "--out-field", "@field.nii", "--quiet", NULL};
    outcome o;
    run(syn_args, NULL, &o);
    int ok = o.status == 0;
    outcome_free(&o);
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(table_matches_help),
        cmocka_unit_test(every_row_has_its_effect),
        cmocka_unit_test(record_same_for_any_thread_count),
        cmocka_unit_test(record_escapes_names),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
