/* Affine registration pieces against DIPY 1.6 (fixtures/gen_affine.py):
 * the MI metric (histogram range, joint PDF, marginals, PDF gradient, MI
 * and its gradient; dense with masks and sparse on DIPY's own samples),
 * scale spaces, AffineMap.transform and small whole registrations.
 * Runs on omreg_test_backend() and on the reference backend.
 *
 * Why not bitwise: numpy multiplies the 4x4 matrices with BLAS (which may
 * fuse multiply-adds) and inverts them with LAPACK, and our histogram adds
 * samples in canonical blocks where DIPY adds them one by one. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "image_internal.h"
#include "mi_metric.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"
#include "omreg/scalespace.h"
#include "omreg/transform.h"

/* Histogram, PDF gradient, MI: matrix-product rounding (~1e-16) moves
 * sample positions, and summation order differs; both stay far below
 * 1e-10 relative to the largest entry. */
#define HIST_RTOL 1e-9
#define HIST_ATOL_REL 1e-10
/* Grid affines of the scale space: numpy dot vs our product of the same
 * numbers: exact for diagonal scalings except for BLAS FMA rounding. */
#define AFFINE_RTOL 1e-14
/* Smoothed level images (float32): scipy's filter order is reproduced,
 * so agreement is within one float32 rounding of the normalisation. */
#define LEVEL_ATOL 2e-7
/* Resampled images: grid matrix from LAPACK inv vs Gauss-Jordan. */
#define MAP_RTOL 1e-11
/* Whole registrations: L-BFGS-B amplifies last-bit differences in the
 * metric along ~100 line-search steps; both land on the same optimum to
 * this absolute precision in matrix entries (mm for translations). */
#define REG_ATOL 2e-3

static const struct omreg_backend *backends[2];

static int setup(void **state)
{
    (void)state;
    backends[0] = (const struct omreg_backend *)omreg_test_backend();
    backends[1] = (const struct omreg_backend *)omreg_backend_reference();
    return 0;
}

static void load(const char *name, const char *suffix, omreg_npy_type t, omreg_npy *a)
{
    char path[256];
    snprintf(path, sizeof path, "affine/%s_%s.npy", name, suffix);
    omreg_test_load(path, t, a);
}

static omreg_image *image_from(const omreg_npy *a, omreg_dtype dt, const double *g2w)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, a->ndim, a->shape, 1, dt, g2w), OMREG_OK);
    memcpy(img->data, a->data, a->count * a->elem_size);
    return img;
}

static double max_abs(const double *x, size_t n)
{
    double m = 0;
    for (size_t i = 0; i < n; ++i)
        m = fmax(m, fabs(x[i]));
    return m;
}

static void metric_case(const char *name, const char *tname, int sparse, int masks)
{
    omreg_npy st, mv, sg, mg, start, params, geom, joint, smarg, mmarg, jgrad, value, grad, sm,
        mm, samples;
    load(name, "static", OMREG_NPY_F64, &st);
    load(name, "moving", OMREG_NPY_F32, &mv);
    load(name, "sg2w", OMREG_NPY_F64, &sg);
    load(name, "mg2w", OMREG_NPY_F64, &mg);
    load(name, "start", OMREG_NPY_F64, &start);
    load(name, "params", OMREG_NPY_F64, &params);
    load(name, "geometry", OMREG_NPY_F64, &geom);
    load(name, "joint", OMREG_NPY_F64, &joint);
    load(name, "smarginal", OMREG_NPY_F64, &smarg);
    load(name, "mmarginal", OMREG_NPY_F64, &mmarg);
    load(name, "joint_grad", OMREG_NPY_F64, &jgrad);
    load(name, "value", OMREG_NPY_F64, &value);
    load(name, "gradient", OMREG_NPY_F64, &grad);
    int dim = st.ndim;
    omreg_transform_type type;
    assert_int_equal(omreg_transform_from_name(tname, dim, &type), OMREG_OK);
    omreg_image *simg = image_from(&st, OMREG_F64, sg.data);
    omreg_image *mimg = image_from(&mv, OMREG_F32, mg.data);
    omreg_image *mmask = NULL;
    int *smask = NULL;
    if (masks) {
        load(name, "smask", OMREG_NPY_I32, &sm);
        load(name, "mmask", OMREG_NPY_I32, &mm);
        smask = sm.data;
        mmask = NULL;
        assert_int_equal(omreg_image_create(&mmask, dim, mm.shape, 1, OMREG_F64, mg.data), OMREG_OK);
        for (size_t v = 0; v < mm.count; ++v)
            ((double *)mmask->data)[v] = ((int *)mm.data)[v];
    }
    for (int bi = 0; bi < 2; ++bi) {
        mi_metric m;
        assert_int_equal(mi_metric_setup(&m, backends[bi], omreg_backend_threads(backends[bi], 0), type,
                                         32, sparse ? 0.3 : 0.0, 1234, simg, smask, mimg, mmask,
                                         start.data),
                         OMREG_OK);
        if (sparse) {
            load(name, "samples", OMREG_NPY_F64, &samples);
            assert_int_equal(samples.shape[0], m.nsamples);
            mi_metric_set_samples(&m, samples.data, simg);
            omreg_npy_free(&samples);
        }
        const double *gd = geom.data;
        double got_geom[4] = {m.geom.smin, m.geom.sdelta, m.geom.mmin, m.geom.mdelta};
        /* min/max are exact and the formulas identical: bitwise */
        assert_true(omreg_test_same_f64("histogram geometry", got_geom, gd, 4));
        double f, g[12];
        assert_int_equal(mi_metric_evaluate(&m, params.data, &f, g), OMREG_OK);
        size_t nb = 32;
        assert_true(omreg_test_close_f64("joint", m.joint, joint.data, nb * nb, HIST_RTOL,
                                         HIST_ATOL_REL * max_abs(joint.data, nb * nb)));
        assert_true(omreg_test_close_f64("smarginal", m.smarg, smarg.data, nb, HIST_RTOL, 0));
        assert_true(omreg_test_close_f64("mmarginal", m.mmarg, mmarg.data, nb, HIST_RTOL,
                                         HIST_ATOL_REL));
        size_t ng = jgrad.count;
        assert_true(omreg_test_close_f64("joint gradient", m.joint_grad, jgrad.data, ng,
                                         HIST_RTOL, HIST_ATOL_REL * max_abs(jgrad.data, ng)));
        assert_true(omreg_test_close_f64("-MI", &f, value.data, 1, HIST_RTOL, 0));
        assert_true(omreg_test_close_f64("-dMI", g, grad.data, (size_t)m.nparams, HIST_RTOL,
                                         HIST_ATOL_REL * max_abs(grad.data, grad.count)));
        mi_metric_free(&m);
    }
    omreg_image_free(simg);
    omreg_image_free(mimg);
    omreg_image_free(mmask);
    if (masks) {
        omreg_npy_free(&sm);
        omreg_npy_free(&mm);
    }
    omreg_npy *all[] = {&st, &mv, &sg, &mg, &start, &params, &geom, &joint, &smarg, &mmarg,
                        &jgrad, &value, &grad};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
        omreg_npy_free(all[i]);
}

static void mi3d_rigid_dense(void **s) { (void)s; metric_case("mi3d_rigid_dense", "RIGID", 0, 0); }
static void mi3d_affine_masked(void **s) { (void)s; metric_case("mi3d_affine_masked", "AFFINE", 0, 1); }
static void mi3d_translation_sparse(void **s) { (void)s; metric_case("mi3d_translation_sparse", "TRANSLATION", 1, 0); }
static void mi2d_rigid_dense(void **s) { (void)s; metric_case("mi2d_rigid_dense", "RIGID", 0, 1); }
static void mi2d_affine_sparse(void **s) { (void)s; metric_case("mi2d_affine_sparse", "AFFINE", 1, 0); }
static void mi3d_affine_sparse(void **s) { (void)s; metric_case("mi3d_affine_sparse", "AFFINE", 1, 0); }

static void scale_spaces(void **state)
{
    (void)state;
    omreg_npy in, g2w;
    omreg_test_load("affine/ss_input.npy", OMREG_NPY_F64, &in);
    omreg_test_load("affine/ss_g2w.npy", OMREG_NPY_F64, &g2w);
    omreg_image *img = image_from(&in, OMREG_F64, g2w.data);
    const int factors[3] = {4, 2, 1};
    const double sigmas[3] = {3.0, 1.0, 0.0};
    for (int bi = 0; bi < 2; ++bi)
        for (int iso = 0; iso < 2; ++iso) {
            omreg_scale_space *ss = NULL;
            if (iso)
                assert_int_equal(omreg_scale_space_isotropic((const omreg_backend *)backends[bi],
                                                             img, 3, factors, sigmas, &ss),
                                 OMREG_OK);
            else
                assert_int_equal(omreg_scale_space_anisotropic(
                                     (const omreg_backend *)backends[bi], img, 3, 0.2, &ss),
                                 OMREG_OK);
            for (int level = 0; level < 3; ++level) {
                char name[64];
                omreg_npy want_img, want_shape, want_aff, want_sp, want_sig;
#define LOADL(arr, what, t)                                                                   \
    snprintf(name, sizeof name, "affine/ss_%s_%s%d.npy", iso ? "iso" : "ani", what, level);    \
    omreg_test_load(name, t, &arr)
                LOADL(want_img, "image", OMREG_NPY_F32);
                LOADL(want_shape, "shape", OMREG_NPY_I32);
                LOADL(want_aff, "affine", OMREG_NPY_F64);
                LOADL(want_sp, "spacing", OMREG_NPY_F64);
                LOADL(want_sig, "sigmas", OMREG_NPY_F64);
#undef LOADL
                const size_t *shape = omreg_scale_space_domain_shape(ss, level);
                for (int d = 0; d < 3; ++d)
                    assert_int_equal(shape[d], ((int *)want_shape.data)[d]);
                assert_true(omreg_test_close_f64("level affine", omreg_scale_space_affine(ss, level),
                                                 want_aff.data, 16, AFFINE_RTOL, 1e-15));
                assert_true(omreg_test_close_f64("level spacing", omreg_scale_space_spacing(ss, level),
                                                 want_sp.data, 3, AFFINE_RTOL, 0));
                assert_true(omreg_test_close_f64("level sigmas", omreg_scale_space_sigmas(ss, level),
                                                 want_sig.data, 3, AFFINE_RTOL, 1e-15));
                const omreg_image *li = omreg_scale_space_image(ss, level);
                assert_true(omreg_test_close_f32("level image", li->data, want_img.data,
                                                 want_img.count, 0, LEVEL_ATOL));
                omreg_npy *all[] = {&want_img, &want_shape, &want_aff, &want_sp, &want_sig};
                for (int i = 0; i < 5; ++i)
                    omreg_npy_free(all[i]);
            }
            omreg_scale_space_free(ss);
        }
    omreg_image_free(img);
    omreg_npy_free(&in);
    omreg_npy_free(&g2w);
}

static void affine_map(void **state)
{
    (void)state;
    omreg_npy img, ig, sg, aff, lin, nn, inv;
    omreg_test_load("affine/map_image.npy", OMREG_NPY_F64, &img);
    omreg_test_load("affine/map_ig2w.npy", OMREG_NPY_F64, &ig);
    omreg_test_load("affine/map_sg2w.npy", OMREG_NPY_F64, &sg);
    omreg_test_load("affine/map_affine.npy", OMREG_NPY_F64, &aff);
    omreg_test_load("affine/map_linear.npy", OMREG_NPY_F64, &lin);
    omreg_test_load("affine/map_nearest.npy", OMREG_NPY_F64, &nn);
    omreg_test_load("affine/map_inverse.npy", OMREG_NPY_F64, &inv);
    omreg_image *src = image_from(&img, OMREG_F64, ig.data), *src_s = image_from(&img, OMREG_F64, sg.data);
    const size_t shape[3] = {18, 16, 20}, inv_shape[3] = {14, 17, 16};
    for (int bi = 0; bi < 2; ++bi) {
        const omreg_backend *b = (const omreg_backend *)backends[bi];
        omreg_image *out = NULL;
        assert_int_equal(omreg_affine_map_transform(b, aff.data, 0, src, shape, sg.data, 0, &out), OMREG_OK);
        assert_true(omreg_test_close_f64("AffineMap.transform linear", out->data, lin.data, lin.count,
                                         MAP_RTOL, MAP_RTOL * max_abs(lin.data, lin.count)));
        omreg_image_free(out);
        assert_int_equal(omreg_affine_map_transform(b, aff.data, 0, src, shape, sg.data, 1, &out), OMREG_OK);
        assert_true(omreg_test_same_f64("AffineMap.transform nearest", out->data, nn.data, nn.count));
        omreg_image_free(out);
        assert_int_equal(omreg_affine_map_transform(b, aff.data, 1, src_s, inv_shape, ig.data, 0, &out), OMREG_OK);
        assert_true(omreg_test_close_f64("AffineMap.transform_inverse", out->data, inv.data, inv.count,
                                         MAP_RTOL, MAP_RTOL * max_abs(inv.data, inv.count)));
        omreg_image_free(out);
    }
    omreg_image_free(src);
    omreg_image_free(src_s);
    omreg_npy *all[] = {&img, &ig, &sg, &aff, &lin, &nn, &inv};
    for (int i = 0; i < 7; ++i)
        omreg_npy_free(all[i]);
}

static void registration_case(const char *name, const char *tname)
{
    omreg_npy st, mv, g2w, result;
    load(name, "static", OMREG_NPY_F64, &st);
    load(name, "moving", OMREG_NPY_F64, &mv);
    load(name, "g2w", OMREG_NPY_F64, &g2w);
    load(name, "result", OMREG_NPY_F64, &result);
    omreg_image *s = image_from(&st, OMREG_F64, g2w.data), *m = image_from(&mv, OMREG_F64, g2w.data);
    omreg_transform_type type;
    assert_int_equal(omreg_transform_from_name(tname, st.ndim, &type), OMREG_OK);
    omreg_affine_options o = omreg_affine_default_options();
    const int iters[3] = {60, 30, 15};
    const double sigmas[3] = {2.0, 1.0, 0.0};
    for (int i = 0; i < 3; ++i) {
        o.level_iters[i] = iters[i];
        o.sigmas[i] = sigmas[i];
    }
    omreg_affine_result r[2];
    for (int bi = 0; bi < 2; ++bi) {
        assert_int_equal(omreg_affine_register((const omreg_backend *)backends[bi], s, m, NULL,
                                               NULL, type, NULL, NULL, &o, &r[bi]),
                         OMREG_OK);
        size_t n = (size_t)(st.ndim + 1) * (size_t)(st.ndim + 1);
        assert_true(omreg_test_close_f64(name, r[bi].affine, result.data, n, 0, REG_ATOL));
    }
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_npy *all[] = {&st, &mv, &g2w, &result};
    for (int i = 0; i < 4; ++i)
        omreg_npy_free(all[i]);
}

static void reg3d_rigid(void **s) { (void)s; registration_case("reg3d_rigid", "RIGID"); }
static void reg2d_affine(void **s) { (void)s; registration_case("reg2d_affine", "AFFINE"); }
static void reg3d_affine(void **s) { (void)s; registration_case("reg3d_affine", "AFFINE"); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(mi3d_rigid_dense),   cmocka_unit_test(mi3d_affine_masked),
        cmocka_unit_test(mi3d_translation_sparse), cmocka_unit_test(mi2d_rigid_dense),
        cmocka_unit_test(mi2d_affine_sparse), cmocka_unit_test(mi3d_affine_sparse),
        cmocka_unit_test(scale_spaces),
        cmocka_unit_test(affine_map),         cmocka_unit_test(reg3d_rigid),
        cmocka_unit_test(reg2d_affine),       cmocka_unit_test(reg3d_affine),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
