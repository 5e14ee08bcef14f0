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

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "cli_harness.h"
#include "omreg/affine.h"
#include "omreg/image.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"

#define CH2 "/usr/share/mricron/templates/ch2.nii.gz"
#define AAL "/usr/share/mricron/templates/aal.nii.gz"

/* Intensities: transformix interpolates in float32 (its internal pixel
 * type) and omreg in float64 before storing float32; seen 1.3e-5 on a
 * range of 244 (affine) and 9.3e-5 (SyN, float32 field coordinates); 16
 * float32 ulps of the range bound both, a wrong matrix or field moves
 * values by tens. */
#define INTENSITY_TOL_OF_RANGE (16 * FLT_EPSILON)
/* Voxels whose point maps outside MOVING's grid (ITK keeps the last half
 * voxel by extrapolation, DIPY weighs outside neighbours as 0): seen 0.88%
 * of the grid differing there; the test allows 2%. */
#define BOUNDARY_FRACTION_MAX 0.02
/* Nearest neighbour ties (points exactly between two voxels round apart in
 * ITK and DIPY): seen 0.0135% of the grid; allowed 0.1%. */
#define LABEL_MISMATCH_FRACTION_MAX 0.001
/* elastix's own affine vs the known T, mm over the brain's box: elastix
 * stops near, not at, T (seen 0.06 mm at the box corners' scale). */
#define ELASTIX_RECOVERY_MM 1.0
/* transformix's header vs STATIC's affine: float32 in the NIfTI header. */
#define HEADER_ATOL 1e-4

static const size_t shape2[3] = {91, 109, 91};
static double grid2[16];
static double T[16]; /* static world -> moving world */
static char S[512], M[512], L[512], Tpath[512];

static int tool_present(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

static void write_matrix(const char *path, const double *m)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 16; ++i)
        fprintf(f, "%.17g%c", m[i], i % 4 == 3 ? '\n' : ' ');
    fclose(f);
}

static void read_matrix(const char *path, double *m)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    for (int i = 0; i < 16; ++i)
        assert_int_equal(fscanf(f, "%lf", &m[i]), 1);
    fclose(f);
}

/* STATIC = ch2 on a 2 mm grid, MOVING(y) = ch2(T^-1 y) on the same grid,
 * LABELS = AAL moved the same way (nearest). */
static int make_data(void **state)
{
    if (cli_setup(state) != 0)
        return -1;
    const omreg_backend *b = omreg_test_backend();
    omreg_mat_identity(4, grid2);
    for (int d = 0; d < 3; ++d)
        grid2[d * 4 + d] = 2.0;
    grid2[3] = -90.0;
    grid2[7] = -125.0;
    grid2[11] = -71.0;
    /* T = Rz(6 deg) Rx(4 deg) Ry(-3 deg) times mild shear and scaling, then
     * a shift: rotations about every axis, so that the order of an Euler
     * transform's rotations matters in test 3 */
    const double deg = acos(-1.0) / 180.0, ax = 4 * deg, ay = -3 * deg, az = 6 * deg;
    const double rx[9] = {1, 0, 0, 0, cos(ax), -sin(ax), 0, sin(ax), cos(ax)};
    const double ry[9] = {cos(ay), 0, sin(ay), 0, 1, 0, -sin(ay), 0, cos(ay)};
    const double rz[9] = {cos(az), -sin(az), 0, sin(az), cos(az), 0, 0, 0, 1};
    const double shear[9] = {1, 0.02, 0, 0, 1, 0, 0, 0.01, 1.03};
    double r[9], lin[9];
    omreg_mat_mul(3, rx, ry, r);
    omreg_mat_mul(3, rz, r, r);
    omreg_mat_mul(3, r, shear, lin);
    omreg_mat_identity(4, T);
    for (int i = 0; i < 3; ++i)
        for (int k = 0; k < 3; ++k)
            T[i * 4 + k] = lin[i * 3 + k];
    T[3] = 4.0;
    T[7] = -3.0;
    T[11] = 2.0;
    double Tinv[16];
    if (omreg_mat_inverse(4, T, Tinv) != OMREG_OK)
        return -1;
    omreg_image *ch2 = NULL, *aal = NULL, *s = NULL, *m = NULL, *l = NULL;
    int ok = omreg_nifti_read(CH2, OMREG_F64, &ch2) == OMREG_OK &&
             omreg_nifti_read(AAL, OMREG_F64, &aal) == OMREG_OK &&
             omreg_affine_map_transform(b, NULL, 0, ch2, shape2, grid2, 0, &s) == OMREG_OK &&
             omreg_affine_map_transform(b, Tinv, 0, ch2, shape2, grid2, 0, &m) == OMREG_OK &&
             omreg_affine_map_transform(b, Tinv, 0, aal, shape2, grid2, 1, &l) == OMREG_OK;
    snprintf(S, sizeof S, "%s", cli_tmp("static.nii.gz"));
    snprintf(M, sizeof M, "%s", cli_tmp("moving.nii.gz"));
    snprintf(L, sizeof L, "%s", cli_tmp("labels.nii.gz"));
    snprintf(Tpath, sizeof Tpath, "%s", cli_tmp("T.txt"));
    ok = ok && omreg_nifti_write(S, s) == OMREG_OK && omreg_nifti_write(M, m) == OMREG_OK &&
         omreg_nifti_write(L, l) == OMREG_OK;
    omreg_image_free(ch2);
    omreg_image_free(aal);
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(l);
    if (ok)
        write_matrix(Tpath, T);
    return ok ? 0 : -1;
}

/* transformix -tp PARAMS -in IMAGE into <scratch>/DIR; returns result.nii */
static const char *transformix(const char *params, const char *image, const char *dir)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s' && transformix -tp '%s' -in '%s' -out '%s' > '%s/log' 2>&1",
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

/* Read transformix's result and check that its grid is STATIC's. */
static omreg_image *read_on_static_grid(const char *path)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_nifti_read(path, OMREG_F64, &img), OMREG_OK);
    assert_int_equal(omreg_image_ndim(img), 3);
    for (int d = 0; d < 3; ++d)
        assert_int_equal(omreg_image_shape(img)[d], shape2[d]);
    assert_true(omreg_test_close_f64("result.nii grid", omreg_image_grid2world(img), grid2, 16,
                                     0.0, HEADER_ATOL));
    return img;
}

/* Is the MOVING voxel coordinate of static voxel (i, j, k) mapped by
 * A (x + v) inside [0, n - 1] on every axis? (v may be NULL: zero) */
static int maps_inside(const double *A, const float *v, size_t i, size_t j, size_t k)
{
    double x[3] = {grid2[0] * (double)i + grid2[3], grid2[5] * (double)j + grid2[7],
                   grid2[10] * (double)k + grid2[11]};
    if (v)
        for (int c = 0; c < 3; ++c)
            x[c] += v[c];
    for (int r = 0; r < 3; ++r) {
        double y = A[r * 4 + 3];
        for (int c = 0; c < 3; ++c)
            y += A[r * 4 + c] * x[c];
        const double idx = (y - grid2[r * 4 + 3]) / grid2[r * 4 + r]; /* MOVING shares grid2 */
        if (!(idx >= 0.0 && idx <= (double)(shape2[r] - 1)))
            return 0;
    }
    return 1;
}

/* Compare transformix's and omreg's resampling of the same transform. */
static void compare_intensities(const char *what, const char *tx_path, const char *om_path,
                                const double *A, const float *field)
{
    omreg_image *tx = read_on_static_grid(tx_path), *om = NULL;
    assert_int_equal(omreg_nifti_read(om_path, OMREG_F64, &om), OMREG_OK);
    const double *a = omreg_image_cdata(tx), *b = omreg_image_cdata(om);
    const size_t n = omreg_image_voxels(om);
    double range = 0.0;
    for (size_t e = 0; e < n; ++e)
        range = fmax(range, fabs(b[e]));
    const double tol = INTENSITY_TOL_OF_RANGE * range;
    size_t inside = 0, boundary_diff = 0, e = 0;
    double worst = 0.0;
    for (size_t i = 0; i < shape2[0]; ++i)
        for (size_t j = 0; j < shape2[1]; ++j)
            for (size_t k = 0; k < shape2[2]; ++k, ++e) {
                const double d = fabs(a[e] - b[e]);
                if (maps_inside(A, field ? field + 3 * e : NULL, i, j, k)) {
                    ++inside;
                    if (!(d <= tol))
                        fail_msg("%s: voxel (%zu, %zu, %zu) transformix %.9g omreg %.9g "
                                 "(tolerance %.3g)",
                                 what, i, j, k, a[e], b[e], tol);
                    worst = fmax(worst, d);
                } else if (!(d <= tol)) {
                    ++boundary_diff;
                }
            }
    print_message("%s: %zu of %zu voxels map inside MOVING, max |diff| %.3g there (range "
                  "%.1f); %zu boundary voxels (%.3f%%) differ\n",
                  what, inside, n, worst, range, boundary_diff, 100.0 * boundary_diff / n);
    assert_true(inside > n / 2);
    assert_true((double)boundary_diff <= BOUNDARY_FRACTION_MAX * (double)n);
    omreg_image_free(tx);
    omreg_image_free(om);
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
                             S, M, Tpath, A, E),
                     0);
    double Areg[16];
    read_matrix(A, Areg);
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", M, S, A, om),
                     0);
    compare_intensities("affine, linear", transformix(E, M, "tx_affine"), om, Areg, NULL);

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
                             L, S, A, omL),
                     0);
    omreg_image *tx = read_on_static_grid(transformix(EN, L, "tx_labels")), *ol = NULL;
    assert_int_equal(omreg_nifti_read(omL, OMREG_F64, &ol), OMREG_OK);
    const double *a = omreg_image_cdata(tx), *b = omreg_image_cdata(ol);
    const size_t n = omreg_image_voxels(ol);
    size_t differ = 0, labelled = 0;
    for (size_t e = 0; e < n; ++e) {
        differ += a[e] != b[e];
        labelled += b[e] != 0.0;
    }
    print_message("labels: %zu of %zu voxels differ (%.4f%%), %zu labelled\n", differ, n,
                  100.0 * differ / n, labelled);
    assert_true(labelled > n / 10); /* a real label map, not an empty one */
    assert_true((double)differ <= LABEL_MISMATCH_FRACTION_MAX * (double)n);
    omreg_image_free(tx);
    omreg_image_free(ol);
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
             cli_tmp(dir), S, M, params, cli_tmp(dir), cli_tmp(dir));
    if (system(cmd) != 0)
        fail_msg("elastix (%s) failed: see %s/log", transform, cli_tmp(dir));
    snprintf(P, sizeof P, "%s/TransformParameters.0.txt", cli_tmp(dir));
    size_t n;
    char *text = cli_slurp(P, &n), want[128];
    snprintf(want, sizeof want, "(Transform \"%s\")", transform);
    assert_non_null(strstr(text, want));
    free(text);
    snprintf(om, sizeof om, "%s/omreg.nii.gz", cli_tmp(dir));
    assert_int_equal(cli_run("apply '%s' --reference '%s' --affine '%s' --out '%s'", M, S, P, om),
                     0);
    char A[512], txdir[128];
    snprintf(A, sizeof A, "%s/A.txt", cli_tmp(dir));
    assert_int_equal(cli_run("convert '%s' '%s' --to matrix", P, A), 0);
    read_matrix(A, Ael);
    snprintf(txdir, sizeof txdir, "%s_tx", dir);
    compare_intensities(transform, transformix(P, M, txdir), om, Ael, NULL);
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
            double y = Ael[r * 4 + 3] - T[r * 4 + 3];
            for (int c = 0; c < 3; ++c)
                y += (Ael[r * 4 + c] - T[r * 4 + c]) * x[c];
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
    P[3] = T[3];
    P[7] = T[7];
    P[11] = T[11];
    char Pp[512];
    snprintf(Pp, sizeof Pp, "%s", cli_tmp("P.txt"));
    write_matrix(Pp, P);
    syn_run r;
    run_syn("syn3d", S, M, Pp, "3,2", &r);
    const char *F = r.map, *E = r.elastix, *om = r.applied;
    /* v = the map's [..., 1], for the inside test */
    int nd;
    size_t shape[7];
    void *raw = NULL;
    double a4[16];
    assert_int_equal(omreg_nifti_read_array(F, OMREG_F32, &nd, shape, &raw, a4), OMREG_OK);
    const size_t n = shape[0] * shape[1] * shape[2];
    float *v = omreg_test_alloc(3 * n, sizeof(float));
    float vmax = 0.0f;
    for (size_t e = 0; e < 3 * n; ++e) {
        v[e] = ((float *)raw)[2 * e + 1];
        vmax = fmaxf(vmax, fabsf(v[e]));
    }
    print_message("SyN field: max |v| component %.2f mm\n", vmax);
    assert_true(vmax > 1.0f); /* the field carries the rotation: a sign error would show */
    compare_intensities("SyN, affine + field", transformix(E, M, "tx_syn"), om, P, v);
    free(raw);
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
    assert_int_equal(cli_run("apply '%s' --reference '%s' --field '%s' --out '%s'", M, S, def,
                             omdef),
                     0);
    omreg_image *a = NULL, *b = NULL;
    assert_int_equal(omreg_nifti_read(omdef, OMREG_F64, &a), OMREG_OK);
    assert_int_equal(omreg_nifti_read(om, OMREG_F64, &b), OMREG_OK);
    const double *x = omreg_image_cdata(a), *y = omreg_image_cdata(b);
    double range = 0.0, worst = 0.0;
    for (size_t e = 0; e < n; ++e) {
        range = fmax(range, fabs(y[e]));
        worst = fmax(worst, fabs(x[e] - y[e]));
    }
    print_message("transformix's deformationField.nii through omreg apply: max |diff| %.3g "
                  "over all voxels (range %.1f)\n",
                  worst, range);
    assert_true(worst <= INTENSITY_TOL_OF_RANGE * range);
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
                                     omreg_image_grid2world(om), 9, 0.0, HEADER_ATOL));
    const double *a = omreg_image_cdata(tx), *b = omreg_image_cdata(om);
    double range = 0.0, worst = 0.0;
    for (size_t e = 0; e < n; ++e) {
        range = fmax(range, fabs(b[e]));
        worst = fmax(worst, fabs(a[e] - b[e]));
    }
    print_message("%s: max |diff| %.3g over all %zu voxels (range %.1f)\n", what, worst, n,
                  range);
    assert_true(range > 50.0); /* brain, not background */
    assert_true(worst <= INTENSITY_TOL_OF_RANGE * range);
    omreg_image_free(tx);
    omreg_image_free(om);
}

static void two_d_through_transformix(void **state)
{
    (void)state;
    /* slice k = 45 of STATIC, 2 mm in-plane; its border is background */
    omreg_image *s3 = NULL, *s2 = NULL;
    assert_int_equal(omreg_nifti_read(S, OMREG_F64, &s3), OMREG_OK);
    const size_t sh[2] = {shape2[0], shape2[1]};
    const double g2[9] = {2, 0, -90, 0, 2, -125, 0, 0, 1};
    assert_int_equal(omreg_image_create(&s2, 2, sh, 1, OMREG_F64, g2), OMREG_OK);
    const double *src = omreg_image_cdata(s3);
    double *dst = omreg_image_data(s2);
    for (size_t i = 0; i < sh[0]; ++i)
        for (size_t j = 0; j < sh[1]; ++j)
            dst[i * sh[1] + j] = src[(i * shape2[1] + j) * shape2[2] + 45];
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
    if (!tool_present("elastix") || !tool_present("transformix")) {
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
    return cmocka_run_group_tests(tests, make_data, cli_teardown);
}
