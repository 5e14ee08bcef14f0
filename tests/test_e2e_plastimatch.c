/* omreg's ITK files read by a real ITK program: Debian's plastimatch 1.9.4
 * (built on ITK 5.2), whose `plastimatch warp --xf FILE` reads ITK text
 * transforms and NIfTI displacement fields through ITK, on Colin27
 * (mricron-data ch2) at 2 mm and the AAL label atlas, moved by a known
 * affine T (tests/support/itk_e2e.h).
 * 1. `omreg affine --out-itk-affine` -> plastimatch resamples MOVING as
 *    `omreg apply --affine` does with the DIPY-format matrix of the same
 *    run: equal within float32 rounding wherever the mapped point lies
 *    inside MOVING's grid, different only in a thin boundary band.
 * 2. The same through `omreg convert --to itk` of the known T.
 * 3. `omreg syn --out-itk-warp` (no prealign: the field alone carries the
 *    motion) -> plastimatch gives `omreg apply --field` within float32
 *    rounding.
 * 4. Nearest neighbour (`--interpolation nn`) on AAL through the ITK file
 *    of T: labels identical to `omreg apply --interp nearest` except at a
 *    tiny fraction of voxels (ties at half voxels).
 * plastimatch 1.9.4 warps every --xf the same way (its log: "plm_warp_itk:
 * xform_to_itk_vf"): the transform evaluated at each STATIC voxel into an
 * ITK displacement field (float32), then resampled by ITK. Its output
 * carries its own header: the grid is checked against STATIC's before any
 * voxel is compared. Exits 77 (ctest: skipped, with the reason on stderr)
 * only when plastimatch is absent.
 * Proved able to fail: negating the LPS y of the ITK translation
 * (io/ras_lps.c) fails 1, 2 and 4 (9.7% of labels differ); leaving the y
 * component of the ITK field unnegated (io/itk_field.c) fails 3.
 * NaN policy: any NaN fails the comparisons. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli_harness.h"
#include "itk_e2e.h"

/* plastimatch warp --input IMAGE --xf XF --fixed STATIC with `interp`
 * (linear | nn); returns <scratch>/TAG.nii.gz, plastimatch's output. */
static const char *plastimatch_warp(const char *image, const char *xf, const char *interp,
                                    const char *tag)
{
    static char out[4][512];
    static int next;
    char *p = out[next++ % 4], name[128], cmd[4096];
    snprintf(name, sizeof name, "%s.nii.gz", tag);
    snprintf(p, 512, "%s", cli_tmp(name));
    snprintf(cmd, sizeof cmd,
             "plastimatch warp --input '%s' --xf '%s' --fixed '%s' --interpolation %s "
             "--output-img '%s' > '%s.log' 2>&1",
             image, xf, itk_e2e.S, interp, p, p);
    const int st = system(cmd);
    if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
        fail_msg("plastimatch warp failed on --xf %s (log: %s.log)", xf, p);
    return p;
}

/* fail unless FILE is an ITK text transform holding one 3D affine */
static void assert_itk_affine_file(const char *path)
{
    size_t n;
    char *text = cli_slurp(path, &n);
    assert_non_null(strstr(text, "#Insight Transform File V1.0"));
    assert_non_null(strstr(text, "Transform: AffineTransform_double_3_3"));
    free(text);
}

/* T as an ITK text transform through `omreg convert --to itk` */
static const char *itk_of_T(void)
{
    static char path[512];
    snprintf(path, sizeof path, "%s", cli_tmp("T_itk.txt"));
    assert_int_equal(cli_run("convert '%s' '%s' --to itk", itk_e2e.Tpath, path), 0);
    assert_itk_affine_file(path);
    return path;
}

/* ---- 1 -------------------------------------------------------------------- */

static void affine_out_itk_through_plastimatch(void **state)
{
    (void)state;
    char A[512], AI[512], om[512];
    snprintf(A, sizeof A, "%s", cli_tmp("A.txt"));
    snprintf(AI, sizeof AI, "%s", cli_tmp("A_itk.txt"));
    snprintf(om, sizeof om, "%s", cli_tmp("om_affine.nii.gz"));
    assert_int_equal(cli_run("affine '%s' '%s' --starting-affine '%s' --transform affine "
                             "--level-iters 5 --sigmas 0 --factors 2 --quiet --out-affine '%s' "
                             "--out-itk-affine '%s' >/dev/null",
                             itk_e2e.S, itk_e2e.M, itk_e2e.Tpath, A, AI),
                     0);
    assert_itk_affine_file(AI);
    double Areg[16];
    itk_e2e_read_matrix(A, Areg);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", itk_e2e.M,
                             itk_e2e.S, A, om),
                     0);
    itk_e2e_compare_intensities("omreg affine --out-itk-affine",
                                plastimatch_warp(itk_e2e.M, AI, "linear", "plm_affine"), om,
                                Areg, NULL);
}

/* ---- 2 -------------------------------------------------------------------- */

static void convert_to_itk_through_plastimatch(void **state)
{
    (void)state;
    char om[512];
    snprintf(om, sizeof om, "%s", cli_tmp("om_T.nii.gz"));
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", itk_e2e.M,
                             itk_e2e.S, itk_e2e.Tpath, om),
                     0);
    itk_e2e_compare_intensities("omreg convert --to itk",
                                plastimatch_warp(itk_e2e.M, itk_of_T(), "linear", "plm_T"), om,
                                itk_e2e.T, NULL);
}

/* ---- 3 -------------------------------------------------------------------- */

static void syn_itk_warp_through_plastimatch(void **state)
{
    (void)state;
    char map[512], W[512], om[512];
    snprintf(map, sizeof map, "%s", cli_tmp("syn_map.nii.gz"));
    snprintf(W, sizeof W, "%s", cli_tmp("syn_itk_warp.nii.gz"));
    snprintf(om, sizeof om, "%s", cli_tmp("om_syn.nii.gz"));
    assert_int_equal(cli_run("syn '%s' '%s' --level-iters 3,2 --quiet --out-field '%s' "
                             "--out-itk-warp '%s'",
                             itk_e2e.S, itk_e2e.M, map, W),
                     0);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --field '%s' --out '%s'", itk_e2e.M,
                             itk_e2e.S, map, om),
                     0);
    /* v = the DIPY map's field (RAS) that `omreg apply --field` warps
     * with, for the inside test; independent of the ITK file's LPS signs */
    const double I[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    float vmax[3];
    float *v = itk_e2e_applied_field(map, vmax);
    print_message("SyN field: max |v| per component %.2f %.2f %.2f mm\n", vmax[0], vmax[1],
                  vmax[2]);
    /* every component moves points: a sign error in any would show */
    assert_true(vmax[0] > 1.0f && vmax[1] > 1.0f && vmax[2] > 1.0f);
    itk_e2e_compare_intensities("omreg syn --out-itk-warp",
                                plastimatch_warp(itk_e2e.M, W, "linear", "plm_syn"), om, I, v);
    free(v);
}

/* ---- 4 -------------------------------------------------------------------- */

static void labels_nearest_through_plastimatch(void **state)
{
    (void)state;
    char om[512];
    snprintf(om, sizeof om, "%s", cli_tmp("om_labels.nii.gz"));
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --interp nearest --out "
                             "'%s'",
                             itk_e2e.L, itk_e2e.S, itk_e2e.Tpath, om),
                     0);
    itk_e2e_compare_labels("labels, nearest",
                           plastimatch_warp(itk_e2e.L, itk_of_T(), "nn", "plm_labels"), om);
}

int main(void)
{
    if (!itk_e2e_tool_present("plastimatch")) {
        fprintf(stderr, "test_e2e_plastimatch: SKIPPED: plastimatch not on PATH (Debian "
                        "package plastimatch; ci/install-deps.sh installs it)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(affine_out_itk_through_plastimatch),
        cmocka_unit_test(convert_to_itk_through_plastimatch),
        cmocka_unit_test(syn_itk_warp_through_plastimatch),
        cmocka_unit_test(labels_nearest_through_plastimatch),
    };
    return cmocka_run_group_tests(tests, itk_e2e_setup, cli_teardown);
}
