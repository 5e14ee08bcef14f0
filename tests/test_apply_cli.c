/* `omreg apply --field`: the saved SyN map applied to images.
 *
 * 1. Round trip: `omreg syn STATIC MOVING --prealign A --out-field F
 *    --out-warped W --out-inverse-warped IW`, then `omreg apply MOVING
 *    --reference STATIC --affine A --field F` must write W byte for byte
 *    (same map, same calls), `--inverse` IW, and the single-field file
 *    F[..., 1] (written as (X, Y, Z, 3)) W again; a label map warped with
 *    --interp nearest holds only its own labels. 2D and 3D, both backends.
 * 2. Golden vs DIPY (fixtures/gen_e2e_syn.py, section 3): map files written
 *    as dipy_align_syn writes them, warped by DIPY's DiffeomorphicMap built
 *    like the map SyN returns (with a prealign) and by `omreg apply`; and
 *    dipy_apply_transform itself on an image of the STATIC grid.
 * 3. Bad field files: wrong grid, wrong shape, wrong affine, --inverse with a
 *    single field: exit 1, one line, no output file.
 * 4. omreg_nifti_read_array: 5D / 4D round trips through
 *    omreg_nifti_write_array, and the DIPY-written map's shape and affine.
 * NaN policy: no NaN is produced; outputs are compared as bytes or with
 * omreg_test_close_f32 (any NaN fails). */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"
#include "cli_harness.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "omreg/image.h"
#include "omreg/nifti.h"

/* DIPY vs omreg warps through the same map: omreg inverts matrices by
 * Gauss-Jordan and DIPY by LAPACK (np.linalg.inv of the prealign, the
 * grids, inv(inv(A))), so the float32 voxel coordinates can differ in the
 * last bits and the interpolated values by a few float32 ulps of the
 * image's range (seen: <= 0.8e-6 of it); a wrong field, component or
 * prealign direction moves values by a sizeable part of the range. */
#define GOLDEN_RTOL_OF_RANGE (16 * FLT_EPSILON)

static omreg_image *read_f32(const char *path, int dim)
{
    omreg_image *img = NULL;
    omreg_status st = dim == 2 ? omreg_nifti_read_2d(path, OMREG_F32, &img)
                               : omreg_nifti_read(path, OMREG_F32, &img);
    assert_int_equal(st, OMREG_OK);
    return img;
}

static const char *backend_flag(void)
{
    return strcmp(omreg_backend_name(omreg_test_backend()), "reference") == 0 ? "reference"
                                                                                 : "parallel";
}

/* ---- 1. syn then apply ---------------------------------------------------- */

static void syn_then_apply(int dim)
{
    char s[64], m[64], l[64], a[64];
    snprintf(s, sizeof s, "e2e_syn/apply%dd_static.nii.gz", dim);
    snprintf(m, sizeof m, "e2e_syn/apply%dd_moving.nii.gz", dim);
    snprintf(l, sizeof l, "e2e_syn/apply%dd_labels.nii.gz", dim);
    snprintf(a, sizeof a, "e2e_syn/apply%dd_affine.txt", dim);
    const char *S = cli_fixture(s), *M = cli_fixture(m), *L = cli_fixture(l), *A = cli_fixture(a), *be = backend_flag();
    /* a small registration (radius 2 and two levels fit the 16x18x14 grid) */
    assert_int_equal(cli_run("syn '%s' '%s' --prealign '%s' --cc-radius 2 --level-iters 6,4 "
                           "--quiet --backend %s --out-field '%s' --out-warped '%s' "
                           "--out-inverse-warped '%s'",
                           S, M, A, be, cli_tmp("field.nii.gz"), cli_tmp("warped.nii"),
                           cli_tmp("inv_warped.nii")),
                     0);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --backend %s "
                           "--out '%s'",
                           M, S, A, cli_tmp("field.nii.gz"), be, cli_tmp("applied.nii")),
                     0);
    cli_assert_same_file(cli_tmp("applied.nii"), cli_tmp("warped.nii"));
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --inverse "
                           "--backend %s --out '%s'",
                           S, M, A, cli_tmp("field.nii.gz"), be, cli_tmp("inv_applied.nii")),
                     0);
    cli_assert_same_file(cli_tmp("inv_applied.nii"), cli_tmp("inv_warped.nii"));

    /* the transform direction alone, as a plain (shape..., dim) field */
    int nd;
    size_t shape[7];
    void *raw;
    double aff[16];
    assert_int_equal(omreg_nifti_read_array(cli_tmp("field.nii.gz"), OMREG_F32, &nd, shape, &raw,
                                            aff),
                     OMREG_OK);
    assert_int_equal(nd, dim + 2);
    assert_int_equal(shape[dim], (size_t)dim);
    assert_int_equal(shape[dim + 1], 2);
    size_t n = 1;
    for (int d = 0; d <= dim; ++d)
        n *= shape[d];
    float *one = omreg_test_alloc(n, sizeof(float));
    for (size_t e = 0; e < n; ++e)
        one[e] = ((float *)raw)[2 * e + 1];
    assert_int_equal(omreg_nifti_write_array(cli_tmp("one.nii.gz"), dim + 1, shape, OMREG_F32, one,
                                             aff),
                     OMREG_OK);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --backend %s "
                           "--out '%s'",
                           M, S, A, cli_tmp("one.nii.gz"), be, cli_tmp("applied_one.nii")),
                     0);
    cli_assert_same_file(cli_tmp("applied_one.nii"), cli_tmp("warped.nii"));
    /* the same field with a singleton axis before the components
     * ((X, Y, Z, 1, 3), NIfTI's vector layout; (X, Y, 1, 2) in 2D) */
    size_t shape1[7];
    memcpy(shape1, shape, sizeof shape1);
    shape1[dim] = 1;
    shape1[dim + 1] = (size_t)dim;
    assert_int_equal(omreg_nifti_write_array(cli_tmp("one1.nii.gz"), dim + 2, shape1, OMREG_F32, one,
                                             aff),
                     OMREG_OK);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --backend %s "
                           "--out '%s'",
                           M, S, A, cli_tmp("one1.nii.gz"), be, cli_tmp("applied_one1.nii")),
                     0);
    cli_assert_same_file(cli_tmp("applied_one1.nii"), cli_tmp("warped.nii"));
    /* the other component is not the transform direction: the result differs */
    for (size_t e = 0; e < n; ++e)
        one[e] = ((float *)raw)[2 * e];
    assert_int_equal(omreg_nifti_write_array(cli_tmp("other.nii.gz"), dim + 1, shape, OMREG_F32,
                                             one, aff),
                     OMREG_OK);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --out '%s'",
                           M, S, A, cli_tmp("other.nii.gz"), cli_tmp("applied_other.nii")),
                     0);
    {
        size_t n1, n2;
        void *x = cli_slurp(cli_tmp("applied_other.nii"), &n1), *y = cli_slurp(cli_tmp("warped.nii"), &n2);
        assert_true(n1 != n2 || memcmp(x, y, n1) != 0);
        free(x);
        free(y);
    }
    free(one);
    free(raw);

    /* labels with nearest: only the label map's own values come out */
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --interp "
                           "nearest --backend %s --out '%s'",
                           L, S, A, cli_tmp("field.nii.gz"), be, cli_tmp("labels.nii")),
                     0);
    omreg_image *lab = read_f32(L, dim), *out = read_f32(cli_tmp("labels.nii"), dim);
    const float *lv = omreg_image_cdata(lab), *ov = omreg_image_cdata(out);
    char seen[256] = {0};
    for (size_t v = 0; v < omreg_image_voxels(lab); ++v) {
        assert_true(lv[v] >= 0 && lv[v] < 256 && lv[v] == floorf(lv[v]));
        seen[(int)lv[v]] = 1;
    }
    int distinct = 0;
    char got[256] = {0};
    for (size_t v = 0; v < omreg_image_voxels(out); ++v) {
        if (!(ov[v] >= 0 && ov[v] < 256 && ov[v] == floorf(ov[v]) && seen[(int)ov[v]]))
            fail_msg("voxel %zu: %a is not a label of the input", v, (double)ov[v]);
        distinct += !got[(int)ov[v]];
        got[(int)ov[v]] = 1;
    }
    assert_true(distinct >= 3); /* the warp really sampled the labels */
    omreg_image_free(lab);
    omreg_image_free(out);
}

static void test_syn_then_apply_3d(void **state)
{
    (void)state;
    syn_then_apply(3);
}

static void test_syn_then_apply_2d(void **state)
{
    (void)state;
    syn_then_apply(2);
}

/* ---- 2. golden vs DIPY ------------------------------------------------------ */

static void golden(int dim, const char *backend)
{
    char s[64], m[64], l[64], a[64], f[64], want[64];
    snprintf(s, sizeof s, "e2e_syn/apply%dd_static.nii.gz", dim);
    snprintf(m, sizeof m, "e2e_syn/apply%dd_moving.nii.gz", dim);
    snprintf(l, sizeof l, "e2e_syn/apply%dd_labels.nii.gz", dim);
    snprintf(a, sizeof a, "e2e_syn/apply%dd_affine.txt", dim);
    snprintf(f, sizeof f, "e2e_syn/apply%dd_map.nii.gz", dim);
    const char *S = cli_fixture(s), *M = cli_fixture(m), *L = cli_fixture(l), *A = cli_fixture(a), *F = cli_fixture(f);
    static const char *const kinds[3] = {"linear", "nearest", "inverse"};
    for (int k = 0; k < 3; ++k) {
        const char *img = k == 0 ? M : k == 1 ? L : S, *ref = k == 2 ? M : S;
        assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' %s %s "
                               "--backend %s --out '%s'",
                               img, ref, A, F, k == 1 ? "--interp nearest" : "",
                               k == 2 ? "--inverse" : "", backend, cli_tmp("golden.nii")),
                         0);
        snprintf(want, sizeof want, "e2e_syn/apply%dd_dipy_%s.npy", dim, kinds[k]);
        omreg_npy w;
        omreg_test_load(want, OMREG_NPY_F32, &w);
        omreg_image *out = read_f32(cli_tmp("golden.nii"), dim);
        assert_int_equal(omreg_image_voxels(out), w.count);
        for (int d = 0; d < dim; ++d)
            assert_int_equal(omreg_image_shape(out)[d], w.shape[d]);
        const float *wv = w.data;
        if (k == 1) { /* nearest: labels are exact */
            assert_true(omreg_test_same_f32(want, omreg_image_cdata(out), wv, w.count));
        } else {
            double range = 0;
            for (size_t v = 0; v < w.count; ++v)
                range = fmax(range, fabs(wv[v]));
            assert_true(range > 0);
            assert_true(omreg_test_close_f32(want, omreg_image_cdata(out), wv, w.count, 0.0,
                                             GOLDEN_RTOL_OF_RANGE * range));
        }
        omreg_image_free(out);
        omreg_npy_free(&w);
    }
}

/* dipy_apply_transform (ApplyTransformFlow) on the same map file, no
 * prealign, the image on the STATIC grid (the only case that workflow gets
 * right: it swaps the map's domain and codomain). */
static void golden_workflow(const char *backend)
{
    const char *S = cli_fixture("e2e_syn/apply3d_static.nii.gz"), *F = cli_fixture("e2e_syn/apply3d_map.nii.gz");
    assert_int_equal(cli_run("apply '%s' --reference '%s' --field '%s' --backend %s --out '%s'", S,
                           S, F, backend, cli_tmp("flow.nii")),
                     0);
    omreg_npy w;
    omreg_test_load("e2e_syn/apply3d_dipy_workflow.npy", OMREG_NPY_F32, &w);
    omreg_image *out = read_f32(cli_tmp("flow.nii"), 3);
    assert_int_equal(omreg_image_voxels(out), w.count);
    double range = 0;
    for (size_t v = 0; v < w.count; ++v)
        range = fmax(range, fabs(((const float *)w.data)[v]));
    assert_true(omreg_test_close_f32("dipy_apply_transform", omreg_image_cdata(out), w.data,
                                     w.count, 0.0, GOLDEN_RTOL_OF_RANGE * range));
    omreg_image_free(out);
    omreg_npy_free(&w);
}

static void test_golden_3d(void **state)
{
    (void)state;
    golden(3, backend_flag());
    golden(3, "reference");
    golden_workflow(backend_flag());
}

static void test_golden_2d(void **state)
{
    (void)state;
    golden(2, backend_flag());
    golden(2, "reference");
}

/* ---- 3. bad field files --------------------------------------------------- */

static void expect_refusal(const char *what, const char *args, const char *needle)
{
    unlink(cli_tmp("bad.nii"));
    int rc = cli_run("%s --out '%s'", args, cli_tmp("bad.nii"));
    size_t n;
    char *err = cli_slurp(cli_tmp("stderr.txt"), &n);
    if (rc != 1 || strstr(err, needle) == NULL)
        fail_msg("%s: exit %d, stderr '%s' (wanted exit 1 and '%s')", what, rc, err, needle);
    assert_true(strchr(err, '\n') == err + n - 1); /* one line */
    free(err);
    assert_int_equal(access(cli_tmp("bad.nii"), F_OK), -1);
}

static void test_bad_fields(void **state)
{
    (void)state;
    const char *S3 = cli_fixture("e2e_syn/apply3d_static.nii.gz"), *M3 = cli_fixture("e2e_syn/apply3d_moving.nii.gz");
    const char *F3 = cli_fixture("e2e_syn/apply3d_map.nii.gz"), *F2 = cli_fixture("e2e_syn/apply2d_map.nii.gz");
    const char *S2 = cli_fixture("e2e_syn/apply2d_static.nii.gz");
    char args[2048];
    /* the field is on the STATIC grid, not the moving one */
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --field '%s'", S3, M3, F3);
    expect_refusal("wrong grid", args, "is not the STATIC grid");
    /* a 2D map for a 3D image */
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --field '%s'", M3, S3, F2);
    expect_refusal("2D map, 3D image", args, "is not a 3D displacement field");
    /* an image is not a field */
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --field '%s'", M3, S3, S3);
    expect_refusal("image as field", args, "is not a 3D displacement field");
    /* the right shape on another grid (affine shifted by 3 mm) */
    int nd;
    size_t shape[7];
    void *raw;
    double aff[16];
    assert_int_equal(omreg_nifti_read_array(F2, OMREG_F32, &nd, shape, &raw, aff), OMREG_OK);
    aff[3] += 3.0;
    assert_int_equal(omreg_nifti_write_array(cli_tmp("shifted.nii"), nd, shape, OMREG_F32, raw, aff),
                     OMREG_OK);
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --field '%s'",
             cli_fixture("e2e_syn/apply2d_moving.nii.gz"), S2, cli_tmp("shifted.nii"));
    expect_refusal("shifted grid", args, "on another grid");
    /* --inverse needs both fields */
    aff[3] -= 3.0;
    size_t one_shape[3] = {shape[0], shape[1], 2};
    assert_int_equal(omreg_nifti_write_array(cli_tmp("one2d.nii"), 3, one_shape, OMREG_F32, raw, aff),
                     OMREG_OK);
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --field '%s' --inverse", S2,
             cli_fixture("e2e_syn/apply2d_moving.nii.gz"), cli_tmp("one2d.nii"));
    expect_refusal("inverse, one field", args, "needs a map");
    /* a missing file */
    snprintf(args, sizeof args, "apply '%s' --reference '%s' --field '%s'", M3, S3,
             cli_tmp("missing.nii.gz"));
    expect_refusal("missing", args, "cannot open");
    free(raw);
}

/* ---- 4. omreg_nifti_read_array --------------------------------------------- */

static void test_read_array(void **state)
{
    (void)state;
    int nd = 0;
    size_t shape[7];
    void *raw = NULL;
    double aff[16];
    /* the map as nibabel wrote it: (16, 18, 14, 3, 2), the static world-to-grid */
    assert_int_equal(omreg_nifti_read_array(cli_fixture("e2e_syn/apply3d_map.nii.gz"), OMREG_F32, &nd,
                                            shape, &raw, aff),
                     OMREG_OK);
    assert_int_equal(nd, 5);
    const size_t want_shape[7] = {16, 18, 14, 3, 2, 1, 1};
    for (int d = 0; d < 7; ++d)
        assert_int_equal(shape[d], want_shape[d]);
    /* inverse of diag(2, 2, 2) with origin (-15.5, -17, -13) (gen_e2e_syn.py) */
    const double want_aff[16] = {0.5, 0, 0, 7.75, 0, 0.5, 0, 8.5, 0, 0, 0.5, 6.5, 0, 0, 0, 1};
    assert_true(omreg_test_same_f64("map affine", aff, want_aff, 16));
    float maxabs = 0;
    for (size_t e = 0; e < 16 * 18 * 14 * 6; ++e)
        maxabs = fmaxf(maxabs, fabsf(((float *)raw)[e]));
    assert_true(maxabs == 3.0f); /* the generator scales the fields to 3 mm */
    free(raw);

    /* round trips, float32 and float64, 5D and 4D, odd sizes */
    const size_t s5[5] = {5, 4, 3, 3, 2}, s4[4] = {7, 2, 5, 3};
    const double a[16] = {0, -1.5, 0, 10, 2, 0, 0, -3, 0, 0, 1.25, 4, 0, 0, 0, 1};
    for (int dt = 0; dt < 2; ++dt)
        for (int which = 0; which < 2; ++which) {
            const size_t *s = which ? s4 : s5;
            int n = which ? 4 : 5;
            size_t count = 1;
            for (int d = 0; d < n; ++d)
                count *= s[d];
            omreg_dtype t = dt ? OMREG_F64 : OMREG_F32;
            void *src = omreg_test_alloc(count, 8);
            if (dt)
                omreg_test_fill_uniform_f64(src, count, 7 + (uint64_t)which, -5, 5);
            else
                omreg_test_fill_uniform_f32(src, count, 9 + (uint64_t)which, -5, 5);
            const char *p = cli_tmp(which ? "rt.nii" : "rt.nii.gz");
            assert_int_equal(omreg_nifti_write_array(p, n, s, t, src, a), OMREG_OK);
            void *back = NULL;
            assert_int_equal(omreg_nifti_read_array(p, t, &nd, shape, &back, aff), OMREG_OK);
            assert_int_equal(nd, n);
            for (int d = 0; d < n; ++d)
                assert_int_equal(shape[d], s[d]);
            assert_true(omreg_test_same_f64("affine", aff, a, 16));
            if (dt)
                assert_true(omreg_test_same_f64("f64 data", back, src, count));
            else
                assert_true(omreg_test_same_f32("f32 data", back, src, count));
            free(back);
            free(src);
        }
    /* errors leave the outputs alone */
    nd = -7;
    raw = (void *)&nd;
    assert_int_equal(omreg_nifti_read_array(cli_tmp("missing.nii"), OMREG_F32, &nd, shape, &raw, aff),
                     OMREG_EIO);
    assert_int_equal(nd, -7);
    assert_ptr_equal(raw, (void *)&nd);
    assert_int_equal(omreg_nifti_read_array(NULL, OMREG_F32, &nd, shape, &raw, aff), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_read_array(cli_tmp("rt.nii"), (omreg_dtype)5, &nd, shape, &raw, aff),
                     OMREG_EINVAL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_array),
        cmocka_unit_test(test_bad_fields),
        cmocka_unit_test(test_golden_3d),
        cmocka_unit_test(test_golden_2d),
        cmocka_unit_test(test_syn_then_apply_3d),
        cmocka_unit_test(test_syn_then_apply_2d),
    };
    return cmocka_run_group_tests(tests, cli_setup, cli_teardown);
}
