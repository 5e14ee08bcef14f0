/* omreg's transforms checked by a real ITK client: Debian's elastix and
 * transformix 5.0.1 (ITK 5 based), on Colin27 (mricron-data ch2) at 2 mm
 * and the AAL label atlas, moved by a known affine T.
 * 1. `omreg affine --out-elastix` -> transformix resamples MOVING as
 *    `omreg apply --affine` does: equal within float32 rounding wherever
 *    the mapped point lies inside MOVING's grid, different only in a thin
 *    boundary band (where ITK and DIPY treat the last half voxel apart).
 * 2. The same file with nearest neighbour (B-spline order 0) on AAL: labels
 *    identical except at a tiny fraction of voxels (ties at half voxels).
 * 3. elastix's own TransformParameters.0.txt (AffineTransform and the rigid
 *    EulerTransform), read by `omreg apply --affine`, gives transformix's
 *    result, and the affine omreg reads from it is close to T (the
 *    direction and the RAS/LPS flip are right).
 * 4. `omreg syn --prealign P --out-itk-warp --out-elastix` -> transformix
 *    (the chained AffineTransform + DeformationFieldTransform) gives `omreg
 *    apply --affine P --field` within float32 rounding; and transformix's
 *    own deformationField.nii (`-def all`: the chain as one ITK field,
 *    written by ITK) read by `omreg apply --field` gives the same.
 * 5. 2D (NIfTI, dim 2): a slice of STATIC moved by a known 2D affine;
 *    `omreg convert --to elastix` and `omreg syn --out-elastix` (prealign
 *    chained to a 2D ITK field (X, Y, 1, 1, 2)) resample in transformix as
 *    in `omreg apply` over the whole slice (its border is background).
 * transformix's result.nii carries its own header: its grid is checked
 * against STATIC's before any voxel is compared. Exits 77 (ctest: skipped,
 * with the reason on stderr) only when elastix or transformix is absent.
 * NaN policy: any NaN fails the comparisons. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli_harness.h"
#include "itk_e2e.h"
#include "omreg/affine.h"
#include "omreg/image.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"

/* elastix's own affine vs the known T, mm over the brain's box: elastix
 * stops near, not at, T (seen 0.06 mm at the box corners' scale). */
#define ELASTIX_RECOVERY_MM 1.0

/* transformix -tp PARAMS -in IMAGE into <scratch>/DIR; returns result.nii */
static const char *transformix(const char *params, const char *image, const char *dir)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "mkdir -p '%s' && transformix -tp '%s' -in '%s' -out '%s' > '%s/log' 2>&1",
             cli_tmp(dir), params, image, cli_tmp(dir), cli_tmp(dir));
    int st = system(cmd);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("transformix failed on %s (log: %s/log)", params, cli_tmp(dir));
    static char out[4][512];
    static int next;
    char *p = out[next++ % 4];
    snprintf(p, 512, "%s/result.nii", cli_tmp(dir));
    return p;
}

/* ---- 1 + 2 ---------------------------------------------------------------- */

static void omreg_affine_through_transformix(void **state)
{
    (void)state;
    char A[512], E[512], om[512], omL[512];
    snprintf(A, sizeof A, "%s", cli_tmp("A.txt"));
    snprintf(E, sizeof E, "%s", cli_tmp("A_elastix.txt"));
    snprintf(om, sizeof om, "%s", cli_tmp("om.nii.gz"));
    snprintf(omL, sizeof omL, "%s", cli_tmp("om_labels.nii.gz"));
    assert_int_equal(cli_run("affine '%s' '%s' --starting-affine '%s' --transform affine "
                             "--level-iters 5 --sigmas 0 --factors 2 --quiet --out-affine '%s' "
                             "--out-elastix '%s' >/dev/null",
                             itk_e2e.S, itk_e2e.M, itk_e2e.Tpath, A, E),
                     0);
    double Areg[16];
    itk_e2e_read_matrix(A, Areg);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", itk_e2e.M,
                             itk_e2e.S, A, om),
                     0);
    itk_e2e_compare_intensities("affine, linear", transformix(E, itk_e2e.M, "tx_affine"), om,
                                Areg, NULL);

    /* nearest neighbour: the same file with B-spline order 0 */
    char EN[512], cmd[2048];
    snprintf(EN, sizeof EN, "%s", cli_tmp("A_elastix_nn.txt"));
    snprintf(cmd, sizeof cmd,
             "sed 's/(FinalBSplineInterpolationOrder 1)/(FinalBSplineInterpolationOrder 0)/' "
             "'%s' > '%s'",
             E, EN);
    assert_int_equal(system(cmd), 0);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --interp nearest --out "
                             "'%s'",
                             itk_e2e.L, itk_e2e.S, A, omL),
                     0);
    itk_e2e_compare_labels("labels", transformix(EN, itk_e2e.L, "tx_labels"), omL);
}

/* ---- 3 -------------------------------------------------------------------- */

/* elastix registers STATIC and MOVING with the small affine map, its
 * Transform set to `transform`; omreg apply reads TransformParameters.0.txt.
 * Returns the matrix omreg read (RAS). */
static void elastix_into_omreg(const char *transform, const char *dir, double *Ael)
{
    char cmd[4096], params[512], P[512], om[512];
    snprintf(params, sizeof params, "%s/%s.txt", cli_tmp(""), dir);
    snprintf(cmd, sizeof cmd,
             "sed 's/(Transform \"AffineTransform\")/(Transform \"%s\")/' '%s' > '%s' && "
             "mkdir -p '%s' && elastix -f '%s' -m '%s' -p '%s' -out '%s' > '%s/log' 2>&1",
             transform, omreg_test_fixture_path("elastix_affine_small.txt"), params,
             cli_tmp(dir), itk_e2e.S, itk_e2e.M, params, cli_tmp(dir), cli_tmp(dir));
    if (system(cmd) != 0)
        fail_msg("elastix (%s) failed: see %s/log", transform, cli_tmp(dir));
    snprintf(P, sizeof P, "%s/TransformParameters.0.txt", cli_tmp(dir));
    size_t n;
    char *text = cli_slurp(P, &n), want[128];
    snprintf(want, sizeof want, "(Transform \"%s\")", transform);
    assert_non_null(strstr(text, want));
    free(text);
    snprintf(om, sizeof om, "%s/omreg.nii.gz", cli_tmp(dir));
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", itk_e2e.M,
                             itk_e2e.S, P, om),
                     0);
    char A[512], txdir[128];
    snprintf(A, sizeof A, "%s/A.txt", cli_tmp(dir));
    assert_int_equal(cli_run("convert '%s' '%s' --to matrix", P, A), 0);
    itk_e2e_read_matrix(A, Ael);
    snprintf(txdir, sizeof txdir, "%s_tx", dir);
    itk_e2e_compare_intensities(transform, transformix(P, itk_e2e.M, txdir), om, Ael, NULL);
}

static void elastix_affine_into_omreg(void **state)
{
    (void)state;
    double Ael[16];
    elastix_into_omreg("AffineTransform", "elastix_affine", Ael);
    /* close to T at the corners of the brain's box (+-70, +-100, +-70 mm) */
    double worst = 0.0;
    for (int corner = 0; corner < 8; ++corner) {
        const double x[3] = {corner & 1 ? 70.0 : -70.0, corner & 2 ? 100.0 : -100.0,
                             corner & 4 ? 70.0 : -70.0};
        double d2 = 0.0;
        for (int r = 0; r < 3; ++r) {
            double y = Ael[r * 4 + 3] - itk_e2e.T[r * 4 + 3];
            for (int c = 0; c < 3; ++c)
                y += (Ael[r * 4 + c] - itk_e2e.T[r * 4 + c]) * x[c];
            d2 += y * y;
        }
        worst = fmax(worst, sqrt(d2));
    }
    print_message("elastix's affine vs T: %.3f mm at worst over the box corners\n", worst);
    assert_true(worst <= ELASTIX_RECOVERY_MM);
}

/* EulerTransform (rigid): the rotation about all three axes must be read
 * in ITK's order (Rz Rx Ry) to match transformix. */
static void elastix_euler_into_omreg(void **state)
{
    (void)state;
    double R[16];
    elastix_into_omreg("EulerTransform", "elastix_euler", R);
    /* rotations about x and y really are there (entries coupling z) */
    print_message("Euler: R[0][2] %.4f R[1][2] %.4f\n", R[2], R[6]);
    assert_true(fabs(R[2]) > 0.02 && fabs(R[6]) > 0.02);
}

/* ---- 4 -------------------------------------------------------------------- */

/* The files of one `omreg syn` run with the ITK outputs, and `omreg apply`
 * of its map (what transformix must reproduce). */
typedef struct syn_run {
    char map[512], itk_warp[512], elastix[512], applied[512];
} syn_run;

static void run_syn(const char *tag, const char *s, const char *m, const char *prealign,
                    const char *iters, syn_run *r)
{
    char name[64];
    snprintf(name, sizeof name, "%s_map.nii.gz", tag);
    snprintf(r->map, sizeof r->map, "%s", cli_tmp(name));
    snprintf(name, sizeof name, "%s_itk_warp.nii.gz", tag);
    snprintf(r->itk_warp, sizeof r->itk_warp, "%s", cli_tmp(name));
    snprintf(name, sizeof name, "%s_elastix.txt", tag);
    snprintf(r->elastix, sizeof r->elastix, "%s", cli_tmp(name));
    snprintf(name, sizeof name, "%s_applied.nii.gz", tag);
    snprintf(r->applied, sizeof r->applied, "%s", cli_tmp(name));
    assert_int_equal(cli_run("syn '%s' '%s' --prealign '%s' --level-iters %s --quiet "
                             "--out-field '%s' --out-itk-warp '%s' --out-elastix '%s'",
                             s, m, prealign, iters, r->map, r->itk_warp, r->elastix),
                     0);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --field '%s' --out '%s'",
                             m, s, prealign, r->map, r->applied),
                     0);
}

static void syn_through_transformix(void **state)
{
    (void)state;
    /* the prealign is T's translation only: SyN takes the rest */
    double P[16];
    omreg_mat_identity(4, P);
    P[3] = itk_e2e.T[3];
    P[7] = itk_e2e.T[7];
    P[11] = itk_e2e.T[11];
    char Pp[512];
    snprintf(Pp, sizeof Pp, "%s", cli_tmp("P.txt"));
    itk_e2e_write_matrix(Pp, P);
    syn_run r;
    run_syn("syn3d", itk_e2e.S, itk_e2e.M, Pp, "3,2", &r);
    const char *F = r.map, *E = r.elastix, *om = r.applied;
    /* v = the map's [..., 1], for the inside test */
    float vmax3[3];
    float *v = itk_e2e_applied_field(F, vmax3);
    const float vmax = fmaxf(vmax3[0], fmaxf(vmax3[1], vmax3[2]));
    print_message("SyN field: max |v| component %.2f mm\n", vmax);
    assert_true(vmax > 1.0f); /* the field carries the rotation: a sign error would show */
    itk_e2e_compare_intensities("SyN, affine + field", transformix(E, itk_e2e.M, "tx_syn"), om,
                                P, v);
    free(v);

    /* the other way: transformix writes the whole chain as one ITK
     * displacement field (its own NIfTI writer); omreg apply reads it and
     * must give its own result everywhere (the same sampling, through the
     * float32 field) */
    char cmd[2048], def[512], omdef[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && transformix -def all -tp '%s' -out '%s' > "
             "'%s/log' 2>&1",
             cli_tmp("tx_def"), E, cli_tmp("tx_def"), cli_tmp("tx_def"));
    assert_int_equal(system(cmd), 0);
    snprintf(def, sizeof def, "%s/deformationField.nii", cli_tmp("tx_def"));
    snprintf(omdef, sizeof omdef, "%s", cli_tmp("om_def.nii.gz"));
    assert_int_equal(cli_run("apply '%s' --reference '%s' --field '%s' --out '%s'", itk_e2e.M,
                             itk_e2e.S, def, omdef),
                     0);
    omreg_image *a = NULL, *b = NULL;
    assert_int_equal(omreg_nifti_read(omdef, OMREG_F64, &a), OMREG_OK);
    assert_int_equal(omreg_nifti_read(om, OMREG_F64, &b), OMREG_OK);
    const double *x = omreg_image_cdata(a), *y = omreg_image_cdata(b);
    const size_t n = omreg_image_voxels(b);
    assert_int_equal(omreg_image_voxels(a), n);
    double range = 0.0, worst = 0.0;
    for (size_t e = 0; e < n; ++e) {
        range = fmax(range, fabs(y[e]));
        worst = fmax(worst, fabs(x[e] - y[e]));
    }
    print_message("transformix's deformationField.nii through omreg apply: max |diff| %.3g "
                  "over all voxels (range %.1f)\n",
                  worst, range);
    assert_true(worst <= ITK_E2E_INTENSITY_TOL_OF_RANGE * range);
    omreg_image_free(a);
    omreg_image_free(b);
}

/* ---- 5 -------------------------------------------------------------------- */

/* Every voxel of two 2D results within the intensity tolerance. */
static void compare_2d(const char *what, const char *tx_path, const char *om_path)
{
    omreg_image *tx = NULL, *om = NULL;
    assert_int_equal(omreg_nifti_read_2d(tx_path, OMREG_F64, &tx), OMREG_OK);
    assert_int_equal(omreg_nifti_read_2d(om_path, OMREG_F64, &om), OMREG_OK);
    const size_t n = omreg_image_voxels(om);
    assert_int_equal(omreg_image_voxels(tx), n);
    assert_true(omreg_test_close_f64("2D result.nii grid", omreg_image_grid2world(tx),
                                     omreg_image_grid2world(om), 9, 0.0, ITK_E2E_HEADER_ATOL));
    const double *a = omreg_image_cdata(tx), *b = omreg_image_cdata(om);
    double range = 0.0, worst = 0.0;
    for (size_t e = 0; e < n; ++e) {
        range = fmax(range, fabs(b[e]));
        worst = fmax(worst, fabs(a[e] - b[e]));
    }
    print_message("%s: max |diff| %.3g over all %zu voxels (range %.1f)\n", what, worst, n,
                  range);
    assert_true(range > 50.0); /* brain, not background */
    assert_true(worst <= ITK_E2E_INTENSITY_TOL_OF_RANGE * range);
    omreg_image_free(tx);
    omreg_image_free(om);
}

static void two_d_through_transformix(void **state)
{
    (void)state;
    /* slice k = 45 of STATIC, 2 mm in-plane; its border is background */
    omreg_image *s3 = NULL, *s2 = NULL;
    assert_int_equal(omreg_nifti_read(itk_e2e.S, OMREG_F64, &s3), OMREG_OK);
    const size_t sh[2] = {itk_e2e.shape[0], itk_e2e.shape[1]};
    const double g2[9] = {2, 0, -90, 0, 2, -125, 0, 0, 1};
    assert_int_equal(omreg_image_create(&s2, 2, sh, 1, OMREG_F64, g2), OMREG_OK);
    const double *src = omreg_image_cdata(s3);
    double *dst = omreg_image_data(s2);
    for (size_t i = 0; i < sh[0]; ++i)
        for (size_t j = 0; j < sh[1]; ++j)
            dst[i * sh[1] + j] = src[(i * itk_e2e.shape[1] + j) * itk_e2e.shape[2] + 45];
    char S2[512], M2[512], A2[512], E2[512];
    snprintf(S2, sizeof S2, "%s", cli_tmp("s2d.nii.gz"));
    assert_int_equal(omreg_nifti_write(S2, s2), OMREG_OK);
    omreg_image_free(s3);
    omreg_image_free(s2);
    /* a 2D affine: 7 degrees, (5, -4) mm; MOVING = the slice through it */
    const double th = 7.0 * acos(-1.0) / 180.0;
    snprintf(A2, sizeof A2, "%s", cli_tmp("A2.txt"));
    FILE *f = fopen(A2, "w");
    fprintf(f, "%.17g %.17g 5\n%.17g %.17g -4\n0 0 1\n", cos(th), -sin(th), sin(th), cos(th));
    fclose(f);
    snprintf(M2, sizeof M2, "%s", cli_tmp("m2d.nii.gz"));
    snprintf(E2, sizeof E2, "%s", cli_tmp("A2_elastix.txt"));
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", S2, S2, A2,
                             M2),
                     0);
    assert_int_equal(cli_run("convert '%s' '%s' --to elastix --reference '%s'", A2, E2, S2), 0);
    compare_2d("2D affine", transformix(E2, S2, "tx_2d"), M2);

    /* 2D SyN of STATIC slice and MOVING, prealigned by the shift only */
    char P2[512];
    snprintf(P2, sizeof P2, "%s", cli_tmp("P2.txt"));
    f = fopen(P2, "w");
    fputs("1 0 5\n0 1 -4\n0 0 1\n", f);
    fclose(f);
    syn_run r;
    run_syn("syn2d", S2, M2, P2, "10,5", &r);
    /* the ITK field carries the rotation the prealign left out */
    int nd;
    size_t wsh[7];
    void *raw = NULL;
    double a4[16];
    assert_int_equal(omreg_nifti_read_array(r.itk_warp, OMREG_F32, &nd, wsh, &raw, a4), OMREG_OK);
    float vmax = 0.0f;
    for (size_t e = 0; e < wsh[0] * wsh[1] * 2; ++e)
        vmax = fmaxf(vmax, fabsf(((float *)raw)[e]));
    free(raw);
    print_message("2D SyN field: max |v| component %.2f mm\n", vmax);
    assert_true(vmax > 1.0f);
    compare_2d("2D SyN, affine + field", transformix(r.elastix, M2, "tx_syn2d"), r.applied);
}

int main(void)
{
    if (!itk_e2e_tool_present("elastix") || !itk_e2e_tool_present("transformix")) {
        fprintf(stderr, "test_e2e_elastix: SKIPPED: elastix/transformix not on PATH (Debian "
                        "package elastix; ci/install-deps.sh installs it)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_affine_through_transformix),
        cmocka_unit_test(elastix_affine_into_omreg),
        cmocka_unit_test(elastix_euler_into_omreg),
        cmocka_unit_test(syn_through_transformix),
        cmocka_unit_test(two_d_through_transformix),
    };
    return cmocka_run_group_tests(tests, itk_e2e_setup, cli_teardown);
}
