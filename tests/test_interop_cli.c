/* The command's ITK-world transforms without any ITK tool (the elastix and
 * transformix checks are tests/test_e2e_elastix.c):
 * 1. `omreg affine --out-itk-affine --out-elastix`: both read back (by
 *    `omreg convert --to matrix`) to --out-affine's matrix within 1e-12;
 *    `omreg apply --affine ITK` writes --affine MATRIX's bytes;
 *    `--starting-affine ITK` runs as from the matrix.
 * 2. `omreg syn --out-itk-warp --out-itk-affine --out-elastix` (2D, 3D):
 *    the ITK field is [..., 1] of --out-field with x and y negated (bits),
 *    5D, intent vector; apply through the ITK files and through the
 *    elastix field file writes --out-warped's bytes; convert ITK -> DIPY
 *    gives [..., 1] back bitwise and DIPY -> ITK the same field.
 * 3. `omreg convert` round trips of affines (matrix -> itk / elastix ->
 *    matrix within 1e-12, 2D and 3D).
 * 4. Refusals: one line, the right exit code, no output file.
 * NaN policy: no NaN is produced; arrays are compared bitwise. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_harness.h"
#include "omreg/itk_field.h"
#include "omreg/nifti.h"

/* DIPY -> ITK/elastix -> DIPY: elastix stores t = offset - c + A c about the
 * grid centre (|c| ~ 10-100 mm), and reading rebuilds the offset: a few ulps
 * of 100; the issue requires 1e-12, far below any real error. */
#define ROUND_TRIP_ATOL 1e-12

static void read_matrix(const char *path, int n, double *m)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        fail_msg("cannot open %s", path);
    for (int i = 0; i < n * n; ++i)
        if (fscanf(f, "%lf", &m[i]) != 1)
            fail_msg("%s: not a %dx%d matrix", path, n, n);
    fclose(f);
}

static const char *fixture(const char *fmt, int dim)
{
    char name[128];
    snprintf(name, sizeof name, fmt, dim);
    return cli_fixture(name);
}

/* convert FILE --to matrix, then compare with want */
static void expect_matrix(const char *file, int n, const double *want)
{
    assert_int_equal(cli_run("convert '%s' '%s' --to matrix", file, cli_tmp("back.txt")), 0);
    double got[16];
    read_matrix(cli_tmp("back.txt"), n, got);
    assert_true(omreg_test_close_f64(file, got, want, (size_t)(n * n), 0.0, ROUND_TRIP_ATOL));
}

/* ---- 1 ------------------------------------------------------------------- */

static void affine_outputs(void **state)
{
    (void)state;
    const char *S = fixture("e2e_syn/apply%dd_static.nii.gz", 3);
    const char *M = fixture("e2e_syn/apply%dd_moving.nii.gz", 3);
    const char *steps = "--pipeline com,translation,rigid --level-iters 20 --sigmas 0 "
                        "--factors 1 --quiet";
    assert_int_equal(cli_run("affine '%s' '%s' %s --out-affine '%s' --out-itk-affine '%s' "
                             "--out-elastix '%s' >/dev/null",
                             S, M, steps, cli_tmp("A.txt"), cli_tmp("A_itk.txt"),
                             cli_tmp("A_elastix.txt")),
                     0);
    double A[16];
    read_matrix(cli_tmp("A.txt"), 4, A);
    expect_matrix(cli_tmp("A_itk.txt"), 4, A);
    expect_matrix(cli_tmp("A_elastix.txt"), 4, A);
    size_t n;
    char *itk = cli_slurp(cli_tmp("A_itk.txt"), &n), *elx = cli_slurp(cli_tmp("A_elastix.txt"), &n);
    assert_non_null(strstr(itk, "Transform: AffineTransform_double_3_3\n"));
    assert_non_null(strstr(elx, "(Transform \"AffineTransform\")\n"));
    assert_non_null(strstr(elx, "(Size 16 18 14)\n")); /* the STATIC grid's shape */
    free(itk);
    free(elx);
    /* the ITK file resamples exactly as the matrix does */
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", M, S,
                             cli_tmp("A.txt"), cli_tmp("by_matrix.nii")),
                     0);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", M, S,
                             cli_tmp("A_itk.txt"), cli_tmp("by_itk.nii")),
                     0);
    cli_assert_same_file(cli_tmp("by_itk.nii"), cli_tmp("by_matrix.nii"));
    /* affine-error reads them too: no distance between a file and itself */
    assert_int_equal(cli_run("affine-error '%s' '%s' --reference '%s' > '%s'",
                             cli_tmp("A_elastix.txt"), cli_tmp("A_itk.txt"), S,
                             cli_tmp("err.txt")),
                     0);
    size_t ne;
    char *err = cli_slurp(cli_tmp("err.txt"), &ne);
    assert_string_equal(err, "mean 0.0000 max 0.0000\n");
    free(err);
    /* and starts a registration exactly as the matrix does */
    assert_int_equal(cli_run("affine '%s' '%s' --transform affine --level-iters 3 --sigmas 0 "
                             "--factors 1 --quiet --starting-affine '%s' > '%s'",
                             S, M, cli_tmp("A.txt"), cli_tmp("from_matrix.txt")),
                     0);
    assert_int_equal(cli_run("affine '%s' '%s' --transform affine --level-iters 3 --sigmas 0 "
                             "--factors 1 --quiet --starting-affine '%s' > '%s'",
                             S, M, cli_tmp("A_itk.txt"), cli_tmp("from_itk.txt")),
                     0);
    cli_assert_same_file(cli_tmp("from_itk.txt"), cli_tmp("from_matrix.txt"));
}

/* ---- 2 ------------------------------------------------------------------- */

static float *read_field(const char *path, int *nd, size_t shape[7], int *intent)
{
    void *raw = NULL;
    double a4[16];
    assert_int_equal(omreg_nifti_read_array(path, OMREG_F32, nd, shape, &raw, a4), OMREG_OK);
    assert_int_equal(omreg_nifti_read_intent(path, intent), OMREG_OK);
    return raw;
}

static void syn_outputs(int dim)
{
    const char *S = fixture("e2e_syn/apply%dd_static.nii.gz", dim);
    const char *M = fixture("e2e_syn/apply%dd_moving.nii.gz", dim);
    const char *A = fixture("e2e_syn/apply%dd_affine.txt", dim);
    assert_int_equal(cli_run("syn '%s' '%s' --prealign '%s' --cc-radius 2 --level-iters 6,4 "
                             "--quiet --out-field '%s' --out-warped '%s' --out-itk-warp '%s' "
                             "--out-itk-affine '%s' --out-elastix '%s'",
                             S, M, A, cli_tmp("map.nii.gz"), cli_tmp("warped.nii"),
                             cli_tmp("itk_warp.nii.gz"), cli_tmp("itk_affine.txt"),
                             cli_tmp("syn_elastix.txt")),
                     0);
    /* the ITK field: [..., 1] of the map, x and y negated, 5D, intent vector */
    int nd, ndm, intent, intent_m;
    size_t shape[7], shape_m[7];
    float *itk = read_field(cli_tmp("itk_warp.nii.gz"), &nd, shape, &intent);
    float *map = read_field(cli_tmp("map.nii.gz"), &ndm, shape_m, &intent_m);
    assert_true(omreg_itk_field_layout(dim, nd, shape, intent));
    assert_int_equal(intent_m, 0); /* DIPY's layout: no intent */
    size_t nvox = 1;
    for (int d = 0; d < dim; ++d) {
        assert_int_equal(shape[d], shape_m[d]);
        nvox *= shape[d];
    }
    float *want = omreg_test_alloc(nvox * (size_t)dim, sizeof(float));
    for (size_t i = 0; i < nvox * (size_t)dim; ++i) {
        const float v = map[2 * i + 1];
        want[i] = (int)(i % (size_t)dim) < 2 ? -v : v;
    }
    assert_true(omreg_test_same_f32("ITK field vs -map[..., 1]", itk, want, nvox * (size_t)dim));
    /* applied through the ITK files: --out-warped's bytes */
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --out '%s'",
                             M, S, cli_tmp("itk_affine.txt"), cli_tmp("itk_warp.nii.gz"),
                             cli_tmp("by_itk.nii")),
                     0);
    cli_assert_same_file(cli_tmp("by_itk.nii"), cli_tmp("warped.nii"));
    /* the elastix chain: the affine file names the field's parameter file */
    size_t n;
    char *elx = cli_slurp(cli_tmp("syn_elastix.txt"), &n);
    char chained[600];
    snprintf(chained, sizeof chained, "(InitialTransformParametersFileName \"%s\")",
             cli_tmp("syn_elastix.warp.txt"));
    assert_non_null(strstr(elx, chained));
    free(elx);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --out '%s'",
                             M, S, A, cli_tmp("syn_elastix.warp.txt"), cli_tmp("by_elx.nii")),
                     0);
    cli_assert_same_file(cli_tmp("by_elx.nii"), cli_tmp("warped.nii"));
    /* convert: ITK -> DIPY gives [..., 1] back; DIPY -> ITK the same field */
    assert_int_equal(cli_run("convert '%s' '%s' --to dipy --reference '%s'",
                             cli_tmp("itk_warp.nii.gz"), cli_tmp("dipy.nii.gz"), S),
                     0);
    int ndd, intent_d;
    size_t shape_d[7];
    float *dipy = read_field(cli_tmp("dipy.nii.gz"), &ndd, shape_d, &intent_d);
    assert_int_equal(ndd, dim + 1);
    for (size_t i = 0; i < nvox * (size_t)dim; ++i)
        want[i] = map[2 * i + 1];
    assert_true(omreg_test_same_f32("ITK -> DIPY", dipy, want, nvox * (size_t)dim));
    assert_int_equal(cli_run("convert '%s' '%s' --to itk --reference '%s'",
                             cli_tmp("map.nii.gz"), cli_tmp("itk2.nii.gz"), S),
                     0);
    cli_assert_same_file(cli_tmp("itk2.nii.gz"), cli_tmp("itk_warp.nii.gz"));
    /* and the elastix field file converts as the field it names */
    assert_int_equal(cli_run("convert '%s' '%s' --to dipy --reference '%s'",
                             cli_tmp("syn_elastix.warp.txt"), cli_tmp("dipy2.nii.gz"), S),
                     0);
    cli_assert_same_file(cli_tmp("dipy2.nii.gz"), cli_tmp("dipy.nii.gz"));
    free(itk);
    free(map);
    free(dipy);
    free(want);
}

static void syn_outputs_3d(void **state)
{
    (void)state;
    syn_outputs(3);
}

static void syn_outputs_2d(void **state)
{
    (void)state;
    syn_outputs(2);
}

/* ---- 3 ------------------------------------------------------------------- */

static void convert_affines(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim) {
        const int n1 = dim + 1;
        double A[16];
        omreg_test_fill_uniform_f64(A, 16, 500 + (uint64_t)dim, -0.2, 0.2);
        FILE *f = fopen(cli_tmp("in.txt"), "w");
        assert_non_null(f);
        for (int r = 0; r < n1; ++r)
            for (int k = 0; k < n1; ++k) {
                double v = r == dim ? (k == dim ? 1.0 : 0.0)
                           : k == dim ? 200.0 * A[r * n1 + k] /* mm */
                                      : (r == k) + A[r * n1 + k];
                A[r * n1 + k] = v;
                fprintf(f, "%.17g%c", v, k + 1 < n1 ? ' ' : '\n');
            }
        fclose(f);
        assert_int_equal(cli_run("convert '%s' '%s' --to itk", cli_tmp("in.txt"),
                                 cli_tmp("itk.txt")),
                         0);
        size_t n;
        char *text = cli_slurp(cli_tmp("itk.txt"), &n), type[64];
        snprintf(type, sizeof type, "AffineTransform_double_%d_%d", dim, dim);
        assert_non_null(strstr(text, type));
        free(text);
        expect_matrix(cli_tmp("itk.txt"), n1, A);
        const char *ref = fixture("e2e_syn/apply%dd_static.nii.gz", dim);
        assert_int_equal(cli_run("convert '%s' '%s' --to elastix --reference '%s'",
                                 cli_tmp("itk.txt"), cli_tmp("elx.txt"), ref),
                         0);
        expect_matrix(cli_tmp("elx.txt"), n1, A);
    }
}

/* ---- 4 ------------------------------------------------------------------- */

static void expect_refusal(int want_rc, const char *needle, const char *out, const char *args)
{
    unlink(out);
    int rc = cli_run("%s", args);
    char *err = cli_stderr();
    if (rc != want_rc || strstr(err, needle) == NULL)
        fail_msg("omreg %s: exit %d, stderr '%s' (wanted exit %d and '%s')", args, rc, err,
                 want_rc, needle);
    assert_true(strchr(err, '\n') == err + strlen(err) - 1); /* one line */
    free(err);
    assert_int_equal(access(out, F_OK), -1);
}

static void refusals(void **state)
{
    (void)state;
    const char *S = fixture("e2e_syn/apply%dd_static.nii.gz", 3);
    const char *M = fixture("e2e_syn/apply%dd_moving.nii.gz", 3);
    const char *A = fixture("e2e_syn/apply%dd_affine.txt", 3);
    char args[4096], out[512], nii[512], chain[512], composite[512];
    /* copies: cli_tmp's buffers rotate */
    snprintf(out, sizeof out, "%s", cli_tmp("out.txt"));
    snprintf(nii, sizeof nii, "%s", cli_tmp("out.nii"));
    snprintf(chain, sizeof chain, "%s", cli_tmp("chain.txt"));
    snprintf(composite, sizeof composite, "%s", cli_tmp("composite.txt"));
    snprintf(args, sizeof args, "convert '%s' '%s'", A, out);
    expect_refusal(2, "--to", out, args);
    snprintf(args, sizeof args, "convert '%s' '%s' --to elastix", A, out);
    expect_refusal(2, "--reference", out, args);
    snprintf(args, sizeof args, "convert '%s' '%s' --to dipy", A, out);
    expect_refusal(2, "an affine", out, args);
    snprintf(args, sizeof args, "convert '%s' '%s' --to itk", S, out);
    expect_refusal(2, "--reference", out, args);
    /* an elastix chain and an ANTs composite file */
    FILE *f = fopen(chain, "w");
    fputs("(Transform \"AffineTransform\")\n(InitialTransformParametersFileName \"t0.txt\")\n"
          "(TransformParameters 1 0 0 0 1 0 0 0 1 0 0 0)\n(CenterOfRotationPoint 0 0 0)\n",
          f);
    fclose(f);
    f = fopen(composite, "w");
    fputs("#Insight Transform File V1.0\n#Transform 0\nTransform: CompositeTransform_double_3_3\n"
          "#Transform 1\nTransform: AffineTransform_double_3_3\n"
          "Parameters: 1 0 0 0 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n",
          f);
    fclose(f);
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --affine '%s' --out '%s'", M, S,
             chain, nii);
    expect_refusal(1, "chains", nii, args);
    snprintf(args, sizeof args, "affine '%s' '%s' --starting-affine '%s' --out-affine '%s'", S, M,
             composite, out);
    expect_refusal(1, "composite", out, args);
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --field '%s' --out '%s'", M, S,
             chain, nii);
    expect_refusal(1, "DeformationFieldTransform", nii, args);
    /* an elastix field file naming a DIPY-layout map (RAS: not what elastix
     * would read) */
    char named[512];
    snprintf(named, sizeof named, "%s", cli_tmp("names_dipy_map.txt"));
    f = fopen(named, "w");
    fprintf(f, "(Transform \"DeformationFieldTransform\")\n(DeformationFieldFileName \"%s\")\n",
            fixture("e2e_syn/apply%dd_map.nii.gz", 3));
    fclose(f);
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --field '%s' --out '%s'", M, S,
             named, nii);
    expect_refusal(1, "is not an ITK displacement field", nii, args);
    snprintf(args, sizeof args, "syn '%s' '%s' --out-elastix '%s'", S, M, out);
    expect_refusal(2, "--out-itk-warp", out, args);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(affine_outputs), cmocka_unit_test(syn_outputs_3d),
        cmocka_unit_test(syn_outputs_2d), cmocka_unit_test(convert_affines),
        cmocka_unit_test(refusals),
    };
    return cmocka_run_group_tests(tests, cli_setup, cli_teardown);
}
