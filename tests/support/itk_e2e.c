/* Data and comparisons shared by the ITK-client e2e tests (itk_e2e.h):
 * ch2 and AAL at 2 mm moved by a known affine, and the voxel comparisons
 * of a tool's resampling with `omreg apply`'s. */
#define _POSIX_C_SOURCE 200809L
#include "itk_e2e.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli_harness.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"
#include "omreg_test.h"

#define CH2 "/usr/share/mricron/templates/ch2.nii.gz"
#define AAL "/usr/share/mricron/templates/aal.nii.gz"

itk_e2e_data itk_e2e = {.shape = {91, 109, 91}};

int itk_e2e_tool_present(const char *name)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", name);
    return system(cmd) == 0;
}

void itk_e2e_write_matrix(const char *path, const double *m)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < 16; ++i)
        fprintf(f, "%.17g%c", m[i], i % 4 == 3 ? '\n' : ' ');
    fclose(f);
}

void itk_e2e_read_matrix(const char *path, double *m)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    for (int i = 0; i < 16; ++i)
        assert_int_equal(fscanf(f, "%lf", &m[i]), 1);
    fclose(f);
}

/* STATIC = ch2 on a 2 mm grid, MOVING(y) = ch2(T^-1 y) on the same grid,
 * LABELS = AAL moved the same way (nearest). */
int itk_e2e_setup(void **state)
{
    if (cli_setup(state) != 0)
        return -1;
    const omreg_backend *b = omreg_test_backend();
    itk_e2e_data *d = &itk_e2e;
    omreg_mat_identity(4, d->grid);
    for (int a = 0; a < 3; ++a)
        d->grid[a * 4 + a] = 2.0;
    d->grid[3] = -90.0;
    d->grid[7] = -125.0;
    d->grid[11] = -71.0;
    /* T = Rz(6 deg) Rx(4 deg) Ry(-3 deg) times mild shear and scaling, then
     * a shift: rotations about every axis, so that the order of an Euler
     * transform's rotations and the sign of each LPS flip matter */
    const double deg = acos(-1.0) / 180.0, ax = 4 * deg, ay = -3 * deg, az = 6 * deg;
    const double rx[9] = {1, 0, 0, 0, cos(ax), -sin(ax), 0, sin(ax), cos(ax)};
    const double ry[9] = {cos(ay), 0, sin(ay), 0, 1, 0, -sin(ay), 0, cos(ay)};
    const double rz[9] = {cos(az), -sin(az), 0, sin(az), cos(az), 0, 0, 0, 1};
    const double shear[9] = {1, 0.02, 0, 0, 1, 0, 0, 0.01, 1.03};
    double r[9], lin[9];
    omreg_mat_mul(3, rx, ry, r);
    omreg_mat_mul(3, rz, r, r);
    omreg_mat_mul(3, r, shear, lin);
    omreg_mat_identity(4, d->T);
    for (int i = 0; i < 3; ++i)
        for (int k = 0; k < 3; ++k)
            d->T[i * 4 + k] = lin[i * 3 + k];
    d->T[3] = 4.0;
    d->T[7] = -3.0;
    d->T[11] = 2.0;
    double Tinv[16];
    if (omreg_mat_inverse(4, d->T, Tinv) != OMREG_OK)
        return -1;
    omreg_image *ch2 = NULL, *aal = NULL, *s = NULL, *m = NULL, *l = NULL;
    int ok = omreg_nifti_read(CH2, OMREG_F64, &ch2) == OMREG_OK &&
             omreg_nifti_read(AAL, OMREG_F64, &aal) == OMREG_OK &&
             omreg_affine_map_transform(b, NULL, 0, ch2, d->shape, d->grid, 0, &s) == OMREG_OK &&
             omreg_affine_map_transform(b, Tinv, 0, ch2, d->shape, d->grid, 0, &m) == OMREG_OK &&
             omreg_affine_map_transform(b, Tinv, 0, aal, d->shape, d->grid, 1, &l) == OMREG_OK;
    snprintf(d->S, sizeof d->S, "%s", cli_tmp("static.nii.gz"));
    snprintf(d->M, sizeof d->M, "%s", cli_tmp("moving.nii.gz"));
    snprintf(d->L, sizeof d->L, "%s", cli_tmp("labels.nii.gz"));
    snprintf(d->Tpath, sizeof d->Tpath, "%s", cli_tmp("T.txt"));
    ok = ok && omreg_nifti_write(d->S, s) == OMREG_OK && omreg_nifti_write(d->M, m) == OMREG_OK &&
         omreg_nifti_write(d->L, l) == OMREG_OK;
    omreg_image_free(ch2);
    omreg_image_free(aal);
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(l);
    if (ok)
        itk_e2e_write_matrix(d->Tpath, d->T);
    return ok ? 0 : -1;
}

omreg_image *itk_e2e_read_on_static_grid(const char *path)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_nifti_read(path, OMREG_F64, &img), OMREG_OK);
    assert_int_equal(omreg_image_ndim(img), 3);
    for (int d = 0; d < 3; ++d)
        assert_int_equal(omreg_image_shape(img)[d], itk_e2e.shape[d]);
    assert_true(omreg_test_close_f64("output grid", omreg_image_grid2world(img), itk_e2e.grid,
                                     16, 0.0, ITK_E2E_HEADER_ATOL));
    return img;
}

/* Is the MOVING voxel coordinate of static voxel (i, j, k) mapped by
 * A (x + v) inside [0, n - 1] on every axis? (v may be NULL: zero) */
static int maps_inside(const double *A, const float *v, size_t i, size_t j, size_t k)
{
    const double *g = itk_e2e.grid; /* STATIC's and MOVING's */
    double x[3] = {g[0] * (double)i + g[3], g[5] * (double)j + g[7], g[10] * (double)k + g[11]};
    if (v)
        for (int c = 0; c < 3; ++c)
            x[c] += v[c];
    for (int r = 0; r < 3; ++r) {
        double y = A[r * 4 + 3];
        for (int c = 0; c < 3; ++c)
            y += A[r * 4 + c] * x[c];
        const double idx = (y - g[r * 4 + 3]) / g[r * 4 + r];
        if (!(idx >= 0.0 && idx <= (double)(itk_e2e.shape[r] - 1)))
            return 0;
    }
    return 1;
}

void itk_e2e_compare_intensities(const char *what, const char *tool_path, const char *om_path,
                                 const double *A, const float *field)
{
    omreg_image *tx = itk_e2e_read_on_static_grid(tool_path), *om = NULL;
    assert_int_equal(omreg_nifti_read(om_path, OMREG_F64, &om), OMREG_OK);
    const double *a = omreg_image_cdata(tx), *b = omreg_image_cdata(om);
    const size_t n = omreg_image_voxels(om), *sh = itk_e2e.shape;
    double range = 0.0;
    for (size_t e = 0; e < n; ++e)
        range = fmax(range, fabs(b[e]));
    const double tol = ITK_E2E_INTENSITY_TOL_OF_RANGE * range;
    size_t inside = 0, boundary_diff = 0, e = 0;
    double worst = 0.0;
    for (size_t i = 0; i < sh[0]; ++i)
        for (size_t j = 0; j < sh[1]; ++j)
            for (size_t k = 0; k < sh[2]; ++k, ++e) {
                const double d = fabs(a[e] - b[e]);
                if (maps_inside(A, field ? field + 3 * e : NULL, i, j, k)) {
                    ++inside;
                    if (!(d <= tol))
                        fail_msg("%s: voxel (%zu, %zu, %zu) ITK tool %.9g omreg %.9g "
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
    assert_true(range > 50.0); /* brain, not background */
    assert_true(inside > n / 2);
    assert_true((double)boundary_diff <= ITK_E2E_BOUNDARY_FRACTION_MAX * (double)n);
    omreg_image_free(tx);
    omreg_image_free(om);
}

float *itk_e2e_applied_field(const char *map, float vmax[3])
{
    int nd;
    size_t shape[7];
    void *raw = NULL;
    double a4[16];
    assert_int_equal(omreg_nifti_read_array(map, OMREG_F32, &nd, shape, &raw, a4), OMREG_OK);
    assert_true(nd == 5 && shape[3] == 3 && shape[4] == 2); /* DIPY's (X, Y, Z, 3, 2) */
    const size_t n = shape[0] * shape[1] * shape[2];
    float *v = omreg_test_alloc(3 * n, sizeof(float));
    vmax[0] = vmax[1] = vmax[2] = 0.0f;
    for (size_t e = 0; e < 3 * n; ++e) {
        v[e] = ((float *)raw)[2 * e + 1];
        vmax[e % 3] = fmaxf(vmax[e % 3], fabsf(v[e]));
    }
    free(raw);
    return v;
}

void itk_e2e_compare_labels(const char *what, const char *tool_path, const char *om_path)
{
    omreg_image *tx = itk_e2e_read_on_static_grid(tool_path), *ol = NULL;
    assert_int_equal(omreg_nifti_read(om_path, OMREG_F64, &ol), OMREG_OK);
    const double *a = omreg_image_cdata(tx), *b = omreg_image_cdata(ol);
    const size_t n = omreg_image_voxels(ol);
    size_t differ = 0, labelled = 0;
    for (size_t e = 0; e < n; ++e) {
        differ += a[e] != b[e];
        labelled += b[e] != 0.0;
    }
    print_message("%s: %zu of %zu voxels differ (%.4f%%), %zu labelled\n", what, differ, n,
                  100.0 * differ / n, labelled);
    assert_true(labelled > n / 10); /* a real label map, not an empty one */
    assert_true((double)differ <= ITK_E2E_LABEL_MISMATCH_FRACTION_MAX * (double)n);
    omreg_image_free(tx);
    omreg_image_free(ol);
}
