/* Golden test of the initial alignments against DIPY 1.6 imaffine.py
 * (fixtures/gen_transforms.py, init_*): transform_centers_of_mass,
 * transform_geometric_centers and transform_origins, 2D and 3D, oblique
 * anisotropic grid-to-world affines, images of different shapes.
 * - geometric centres and origins: BITWISE (same products and sums in the
 *   same order as numpy's dot through reference BLAS dgemv);
 * - centres of mass: within COM_REL_TOL (below), because scipy sums with
 *   numpy's pairwise summation and omreg in its canonical block order.
 * The centre of mass runs with omreg_test_backend() and with the reference
 * table, and both must give the same bytes. NaN policy: fixtures are
 * finite; outputs are pre-filled with NaN. */
#include "omreg_test.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "omreg/image.h"
#include "omreg/transform.h"

/* Relative error bound of a centre of mass sum(I v)/sum(I) of n positive
 * voxels summed in two different orders: each order's recursive/pairwise
 * sum is within (n + 1) u of the exact value (u = eps/2; one more rounding
 * for each product I * v), and the quotient adds the two relative errors
 * plus one rounding. Using eps instead of u gives a factor 2 of margin. */
#define COM_REL_TOL(n) (2.0 * ((double)(n) + 2.0) * DBL_EPSILON)

struct pair {
    omreg_npy static_data, moving_data, static_g2w, moving_g2w;
    omreg_image *static_img, *moving;
};

static void load(int dim, const char *what, omreg_npy *out)
{
    char rel[128];
    snprintf(rel, sizeof rel, "transforms/init_%dd_%s.npy", dim, what);
    omreg_test_load(rel, OMREG_NPY_F64, out);
}

static void open_pair(int dim, struct pair *p)
{
    load(dim, "static", &p->static_data);
    load(dim, "moving", &p->moving_data);
    load(dim, "static_g2w", &p->static_g2w);
    load(dim, "moving_g2w", &p->moving_g2w);
    assert_int_equal(p->static_data.ndim, dim);
    assert_int_equal(p->moving_data.ndim, dim);
    assert_int_equal(omreg_image_wrap(&p->static_img, p->static_data.data, dim,
                                      p->static_data.shape, 1, OMREG_F64, p->static_g2w.data),
                     OMREG_OK);
    assert_int_equal(omreg_image_wrap(&p->moving, p->moving_data.data, dim,
                                      p->moving_data.shape, 1, OMREG_F64, p->moving_g2w.data),
                     OMREG_OK);
}

static void close_pair(struct pair *p)
{
    omreg_image_free(p->static_img);
    omreg_image_free(p->moving);
    omreg_npy_free(&p->static_data);
    omreg_npy_free(&p->moving_data);
    omreg_npy_free(&p->static_g2w);
    omreg_npy_free(&p->moving_g2w);
}

static void exact_case(int dim, const char *which)
{
    struct pair p;
    open_pair(dim, &p);
    omreg_npy want;
    load(dim, which, &want);
    const size_t n = (size_t)(dim + 1) * (size_t)(dim + 1);
    assert_int_equal(want.count, n);
    double got[16];
    memset(got, 0xFF, sizeof got);
    if (strcmp(which, "geometric") == 0)
        assert_int_equal(omreg_transform_geometric_centers(p.static_img, p.moving, got),
                         OMREG_OK);
    else
        assert_int_equal(omreg_transform_origins(p.static_img, p.moving, got), OMREG_OK);
    char what[64];
    snprintf(what, sizeof what, "%dD %s affine", dim, which);
    assert_true(omreg_test_same_f64(what, got, want.data, n));
    omreg_npy_free(&want);
    close_pair(&p);
}

static void geometric_centers_2d(void **state)
{
    (void)state;
    exact_case(2, "geometric");
}
static void geometric_centers_3d(void **state)
{
    (void)state;
    exact_case(3, "geometric");
}
static void origins_2d(void **state)
{
    (void)state;
    exact_case(2, "origins");
}
static void origins_3d(void **state)
{
    (void)state;
    exact_case(3, "origins");
}

/* The kernel's grid centre of mass (sums through the backend, then the
 * division transform_centers_of_mass does). */
static void kernel_center(const struct omreg_backend *b, int dim, const omreg_npy *img,
                          double *center)
{
    double *scratch = omreg_test_alloc(img->shape[0] * (size_t)(dim + 1), sizeof(double));
    double sums[4];
    if (dim == 2)
        b->center_of_mass_2d_f64(omreg_backend_threads(b, 0), img->data, img->shape, scratch, sums);
    else
        b->center_of_mass_3d_f64(omreg_backend_threads(b, 0), img->data, img->shape, scratch, sums);
    free(scratch);
    for (int k = 0; k < dim; ++k)
        center[k] = sums[1 + k] / sums[0];
}

static void centers_of_mass(int dim)
{
    struct pair p;
    open_pair(dim, &p);
    omreg_npy want, want_cs, want_cm;
    load(dim, "com", &want);
    load(dim, "static_com", &want_cs);
    load(dim, "moving_com", &want_cm);
    const size_t n = (size_t)(dim + 1) * (size_t)(dim + 1);
    const double tol_s = COM_REL_TOL(p.static_data.count);
    const double tol_m = COM_REL_TOL(p.moving_data.count);

    const struct omreg_backend *tables[2] = {omreg_test_backend(), omreg_backend_reference()};
    double got[2][16];
    for (int t = 0; t < 2; ++t) {
        /* the grid centres against scipy.ndimage.center_of_mass */
        double cs[3], cm[3];
        kernel_center(tables[t], dim, &p.static_data, cs);
        kernel_center(tables[t], dim, &p.moving_data, cm);
        assert_true(omreg_test_close_f64("static centre of mass", cs, want_cs.data,
                                         (size_t)dim, tol_s, 0.0));
        assert_true(omreg_test_close_f64("moving centre of mass", cm, want_cm.data,
                                         (size_t)dim, tol_m, 0.0));

        memset(got[t], 0xFF, sizeof got[t]);
        assert_int_equal(
            omreg_transform_centers_of_mass(tables[t], p.static_img, p.moving, got[t]),
            OMREG_OK);
        /* translation t_r = (A_m (cm, 1))_r - (A_s (cs, 1))_r: the centre error
         * propagates through |A_rj| |c_j|; the dgemv sums and the subtraction
         * are done in DIPY's order and add at most a few ulps of the terms. */
        const double *as = p.static_g2w.data, *am = p.moving_g2w.data;
        const double *wcs = want_cs.data, *wcm = want_cm.data;
        const double *w = want.data;
        char label[96];
        snprintf(label, sizeof label, "%dD centres-of-mass affine (%s)", dim,
                 omreg_backend_name(tables[t]));
        omreg_test_dump(label, got[t], n * sizeof(double));
        for (int r = 0; r <= dim; ++r)
            for (int c = 0; c <= dim; ++c) {
                const int i = r * (dim + 1) + c;
                double atol = 0.0;
                if (r < dim && c == dim) {
                    double mag_s = fabs(as[i]), mag_m = fabs(am[i]);
                    for (int j = 0; j < dim; ++j) {
                        mag_s += fabs(as[r * (dim + 1) + j] * wcs[j]);
                        mag_m += fabs(am[r * (dim + 1) + j] * wcm[j]);
                    }
                    atol = tol_s * mag_s + tol_m * mag_m;
                }
                if (!(fabs(got[t][i] - w[i]) <= atol))
                    fail_msg("%dD centres-of-mass affine [%d][%d] (%s): got %a want %a, "
                             "|diff| %g > %g",
                             dim, r, c, omreg_backend_name(tables[t]), got[t][i], w[i],
                             fabs(got[t][i] - w[i]), atol);
            }
    }
    /* either backend: the same bytes (canonical reduction order) */
    assert_true(omreg_test_same_f64("centres-of-mass affine, backend vs reference", got[0],
                                    got[1], n));
    omreg_npy_free(&want);
    omreg_npy_free(&want_cs);
    omreg_npy_free(&want_cm);
    close_pair(&p);
}

static void centers_of_mass_2d(void **state)
{
    (void)state;
    centers_of_mass(2);
}
static void centers_of_mass_3d(void **state)
{
    (void)state;
    centers_of_mass(3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(geometric_centers_2d), cmocka_unit_test(geometric_centers_3d),
        cmocka_unit_test(origins_2d),           cmocka_unit_test(origins_3d),
        cmocka_unit_test(centers_of_mass_2d),   cmocka_unit_test(centers_of_mass_3d),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
