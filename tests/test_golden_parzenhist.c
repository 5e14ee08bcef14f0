/* The public Parzen / MI API (omreg/parzenhist.h) and the gradients with a
 * given world-to-grid matrix (omreg_gradient_w2g, omreg_sparse_gradient_w2g)
 * against DIPY 1.6 (fixtures/gen_parzenhist.py): setup's geometry from the
 * masked ranges, update_pdfs_dense (2D masked, 3D masked and unmasked),
 * update_pdfs_sparse, update_gradient_dense (float64 and float32 image
 * gradients) and _sparse at non-identity parameters of several transform
 * families, compute_parzen_mi, cubic_spline(_derivative),
 * sample_domain_regular (sigma 0), gradient and sparse_gradient. Runs on
 * omreg_test_backend() and on the reference backend; then the argument
 * checks and their statuses.
 *
 * Bitwise: every case has fewer samples than OMREG_PARZEN_BLOCK, so the
 * canonical block order is DIPY's one-by-one order; the Jacobians and the
 * gradient kernels follow DIPY's expressions. NaN policy: inputs finite,
 * bytes compared. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/backend.h"
#include "omreg/gradient.h"
#include "omreg/image.h"
#include "omreg/parzenhist.h"
#include "omreg/transform.h"

#define NBINS_DENSE 32
#define NBINS_SPARSE 24

static const omreg_backend *backends[2];

static int setup(void **state)
{
    (void)state;
    backends[0] = omreg_test_backend();
    backends[1] = omreg_backend_reference();
    return 0;
}

static void load(const char *name, const char *suffix, omreg_npy_type t, omreg_npy *a)
{
    char path[256];
    snprintf(path, sizeof path, "parzenhist/%s_%s.npy", name, suffix);
    omreg_test_load(path, t, a);
}

static omreg_image *wrap(const omreg_npy *a, int ndim, int ncomp, omreg_dtype dt)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_wrap(&img, a->data, ndim, a->shape, ncomp, dt, NULL), OMREG_OK);
    return img;
}

/* setup from DIPY's masked ranges gives DIPY's geometry, bit for bit */
static omreg_parzen_geometry geometry_of(const char *name, int nbins)
{
    omreg_npy ranges, want;
    load(name, "ranges", OMREG_NPY_F64, &ranges);
    load(name, "geometry", OMREG_NPY_F64, &want);
    const double *r = ranges.data;
    omreg_parzen_geometry g;
    assert_int_equal(omreg_parzen_setup(nbins, r[0], r[1], r[2], r[3], &g), OMREG_OK);
    assert_int_equal(g.nbins, nbins);
    assert_int_equal(g.padding, OMREG_PARZEN_PADDING);
    double got[4] = {g.smin, g.sdelta, g.mmin, g.mdelta};
    assert_true(omreg_test_same_f64("geometry", got, want.data, 4));
    omreg_npy_free(&ranges);
    omreg_npy_free(&want);
    if (nbins == NBINS_DENSE) { /* bin_normalize_static, bin_index */
        omreg_npy x, norm, idx;
        load(name, "binx", OMREG_NPY_F64, &x);
        load(name, "binnorm", OMREG_NPY_F64, &norm);
        load(name, "binidx", OMREG_NPY_I64, &idx);
        for (size_t i = 0; i < x.count; ++i) {
            double v = omreg_parzen_bin_normalize(((const double *)x.data)[i], g.smin, g.sdelta);
            assert_true(omreg_test_same_f64("bin_normalize", &v, (const double *)norm.data + i, 1));
            assert_int_equal(omreg_parzen_bin_index(v, nbins, g.padding),
                             ((const int64_t *)idx.data)[i]);
        }
        omreg_npy_free(&x);
        omreg_npy_free(&norm);
        omreg_npy_free(&idx);
    }
    return g;
}

static omreg_transform_type type_of(const char *name, int dim)
{
    omreg_transform_type t;
    assert_int_equal(omreg_transform_from_name(name, dim, &t), OMREG_OK);
    return t;
}

/* MI value and gradient of DIPY's own histograms, then of ours */
static void check_mi(const char *name, const double *joint, const double *jgrad,
                     const double *smarg, const double *mmarg, int nbins, int nparams)
{
    omreg_npy mi, mig;
    load(name, "mi", OMREG_NPY_F64, &mi);
    load(name, "mi_grad", OMREG_NPY_F64, &mig);
    assert_int_equal((int)mig.count, nparams);
    double value = -1, grad[OMREG_TRANSFORM_MAX_PARAMS];
    assert_int_equal(omreg_parzen_mi(joint, (size_t)nbins, (size_t)nbins, jgrad, nparams, smarg,
                                     mmarg, grad, &value),
                     OMREG_OK);
    assert_true(omreg_test_same_f64("mi", &value, mi.data, 1));
    assert_true(omreg_test_same_f64("mi gradient", grad, mig.data, (size_t)nparams));
    /* DIPY's None gradient: the value alone */
    double alone = -1;
    assert_int_equal(omreg_parzen_mi(joint, (size_t)nbins, (size_t)nbins, NULL, 0, smarg, mmarg,
                                     NULL, &alone),
                     OMREG_OK);
    assert_true(omreg_test_same_f64("mi without gradient", &alone, mi.data, 1));
    omreg_npy_free(&mi);
    omreg_npy_free(&mig);
}

static void dense_case(const char *name, const char *tname, int masks, omreg_npy_type gtype)
{
    omreg_npy st, mv, sm, mm, theta, g2w, mgrad, joint, smarg, mmarg, jgrad;
    omreg_parzen_geometry g = geometry_of(name, NBINS_DENSE);
    load(name, "static", OMREG_NPY_F64, &st);
    load(name, "moving", OMREG_NPY_F64, &mv);
    load(name, "theta", OMREG_NPY_F64, &theta);
    load(name, "g2w", OMREG_NPY_F64, &g2w);
    load(name, "mgrad", gtype, &mgrad);
    load(name, "joint", OMREG_NPY_F64, &joint);
    load(name, "smarginal", OMREG_NPY_F64, &smarg);
    load(name, "mmarginal", OMREG_NPY_F64, &mmarg);
    load(name, "joint_grad", OMREG_NPY_F64, &jgrad);
    const int *smask = NULL, *mmask = NULL;
    if (masks) {
        load(name, "smask", OMREG_NPY_I32, &sm);
        load(name, "mmask", OMREG_NPY_I32, &mm);
        smask = sm.data;
        mmask = mm.data;
    }
    int dim = st.ndim, nparams = (int)theta.count;
    omreg_transform_type type = type_of(tname, dim);
    omreg_image *s = wrap(&st, dim, 1, OMREG_F64), *m = wrap(&mv, dim, 1, OMREG_F64);
    omreg_image *gr = wrap(&mgrad, dim, dim, gtype == OMREG_NPY_F32 ? OMREG_F32 : OMREG_F64);
    size_t nb = NBINS_DENSE, njg = nb * nb * (size_t)nparams;
    double *j = omreg_test_alloc(nb * nb, sizeof(double)), sg[NBINS_DENSE], mg[NBINS_DENSE];
    double *jg = omreg_test_alloc(njg, sizeof(double));
    for (int bi = 0; bi < 2; ++bi) {
        assert_int_equal(omreg_parzen_joint_dense(backends[bi], &g, s, m, smask, mmask, j, sg, mg),
                         OMREG_OK);
        assert_true(omreg_test_same_f64("joint", j, joint.data, nb * nb));
        assert_true(omreg_test_same_f64("smarginal", sg, smarg.data, nb));
        assert_true(omreg_test_same_f64("mmarginal", mg, mmarg.data, nb));
        assert_int_equal(omreg_parzen_gradient_dense(backends[bi], &g, type, theta.data, s, m,
                                                     g2w.data, gr, smask, mmask, jg),
                         OMREG_OK);
        assert_true(omreg_test_same_f64("joint gradient", jg, jgrad.data, njg));
        check_mi(name, j, jg, sg, mg, NBINS_DENSE, nparams);
    }
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(gr);
    free(j);
    free(jg);
    omreg_npy *all[] = {&st, &mv, &theta, &g2w, &mgrad, &joint, &smarg, &mmarg, &jgrad};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
        omreg_npy_free(all[i]);
    if (masks) {
        omreg_npy_free(&sm);
        omreg_npy_free(&mm);
    }
}

static void dense2d(void **state) { (void)state; dense_case("dense2d", "RIGID", 1, OMREG_NPY_F64); }
static void dense3d(void **state) { (void)state; dense_case("dense3d", "AFFINE", 1, OMREG_NPY_F32); }
static void dense3d_nomask(void **state)
{
    (void)state;
    dense_case("dense3dnomask", "RIGIDISOSCALING", 0, OMREG_NPY_F64);
}

static void sparse_case(const char *name, const char *tname, int dim)
{
    omreg_npy sv, mv, theta, pts, mgrad, joint, smarg, mmarg, jgrad;
    omreg_parzen_geometry g = geometry_of(name, NBINS_SPARSE);
    load(name, "sval", OMREG_NPY_F64, &sv);
    load(name, "mval", OMREG_NPY_F64, &mv);
    load(name, "theta", OMREG_NPY_F64, &theta);
    load(name, "points", OMREG_NPY_F64, &pts);
    load(name, "mgrad", OMREG_NPY_F64, &mgrad);
    load(name, "joint", OMREG_NPY_F64, &joint);
    load(name, "smarginal", OMREG_NPY_F64, &smarg);
    load(name, "mmarginal", OMREG_NPY_F64, &mmarg);
    load(name, "joint_grad", OMREG_NPY_F64, &jgrad);
    int nparams = (int)theta.count;
    omreg_transform_type type = type_of(tname, dim);
    size_t n = sv.count, nb = NBINS_SPARSE, njg = nb * nb * (size_t)nparams;
    double j[NBINS_SPARSE * NBINS_SPARSE], sg[NBINS_SPARSE], mg[NBINS_SPARSE];
    double *jg = omreg_test_alloc(njg, sizeof(double));
    for (int bi = 0; bi < 2; ++bi) {
        assert_int_equal(omreg_parzen_joint_sparse(backends[bi], &g, sv.data, mv.data, n, j, sg,
                                                   mg),
                         OMREG_OK);
        assert_true(omreg_test_same_f64("joint", j, joint.data, nb * nb));
        assert_true(omreg_test_same_f64("smarginal", sg, smarg.data, nb));
        assert_true(omreg_test_same_f64("mmarginal", mg, mmarg.data, nb));
        assert_int_equal(omreg_parzen_gradient_sparse(backends[bi], &g, type, dim, theta.data,
                                                      sv.data, mv.data, pts.data, mgrad.data, n,
                                                      jg),
                         OMREG_OK);
        assert_true(omreg_test_same_f64("joint gradient", jg, jgrad.data, njg));
        check_mi(name, j, jg, sg, mg, NBINS_SPARSE, nparams);
    }
    free(jg);
    omreg_npy *all[] = {&sv, &mv, &theta, &pts, &mgrad, &joint, &smarg, &mmarg, &jgrad};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
        omreg_npy_free(all[i]);
}

static void sparse2d(void **state) { (void)state; sparse_case("sparse2d", "RIGIDSCALING", 2); }
static void sparse3d(void **state) { (void)state; sparse_case("sparse3d", "RIGID", 3); }

static void spline(void **state)
{
    (void)state;
    omreg_npy x, v, d;
    omreg_test_load("parzenhist/spline_x.npy", OMREG_NPY_F64, &x);
    omreg_test_load("parzenhist/spline_value.npy", OMREG_NPY_F64, &v);
    omreg_test_load("parzenhist/spline_derivative.npy", OMREG_NPY_F64, &d);
    double *out = omreg_test_alloc(x.count, sizeof(double));
    for (int bi = 0; bi < 2; ++bi) {
        assert_int_equal(omreg_parzen_cubic_spline(backends[bi], x.data, x.count, 0, out),
                         OMREG_OK);
        assert_true(omreg_test_same_f64("cubic_spline", out, v.data, x.count));
        assert_int_equal(omreg_parzen_cubic_spline(backends[bi], x.data, x.count, 1, out),
                         OMREG_OK);
        assert_true(omreg_test_same_f64("cubic_spline_derivative", out, d.data, x.count));
    }
    free(out);
    omreg_npy_free(&x);
    omreg_npy_free(&v);
    omreg_npy_free(&d);
}

static void sample_case(const char *name)
{
    omreg_npy g2w, shape, k, want;
    load(name, "g2w", OMREG_NPY_F64, &g2w);
    load(name, "shape", OMREG_NPY_I64, &shape);
    load(name, "k", OMREG_NPY_I64, &k);
    load(name, "samples", OMREG_NPY_F64, &want);
    int dim = (int)shape.count;
    size_t sh[3];
    for (int d = 0; d < dim; ++d)
        sh[d] = (size_t)((const int64_t *)shape.data)[d];
    for (int bi = 0; bi < 2; ++bi) {
        double *pts = NULL;
        size_t m = 0;
        assert_int_equal(omreg_sample_domain_regular(backends[bi], dim, sh,
                                                     (size_t)((const int64_t *)k.data)[0],
                                                     g2w.data, 0.0, 1234, &pts, &m),
                         OMREG_OK);
        assert_int_equal(m, want.shape[0]);
        assert_true(omreg_test_same_f64("samples", pts, want.data, want.count));
        free(pts);
    }
    omreg_npy_free(&g2w);
    omreg_npy_free(&shape);
    omreg_npy_free(&k);
    omreg_npy_free(&want);
}

static void sample2d(void **state) { (void)state; sample_case("sample2d"); }
static void sample3d(void **state) { (void)state; sample_case("sample3d"); }

static void gradient_case(const char *name, omreg_npy_type t)
{
    omreg_npy img, w2g, spacing, oshape, og2w, dense, dinside, pts, sparse, sinside;
    load(name, "img", t, &img);
    load(name, "w2g", OMREG_NPY_F64, &w2g);
    load(name, "spacing", OMREG_NPY_F64, &spacing);
    load(name, "out_shape", OMREG_NPY_I64, &oshape);
    load(name, "out_g2w", OMREG_NPY_F64, &og2w);
    load(name, "dense", t, &dense);
    load(name, "dense_inside", OMREG_NPY_I32, &dinside);
    load(name, "points", OMREG_NPY_F64, &pts);
    load(name, "sparse", t, &sparse);
    load(name, "sparse_inside", OMREG_NPY_I32, &sinside);
    int dim = img.ndim;
    omreg_image *im = wrap(&img, dim, 1, t == OMREG_NPY_F32 ? OMREG_F32 : OMREG_F64);
    size_t os[3];
    for (int d = 0; d < dim; ++d)
        os[d] = (size_t)((const int64_t *)oshape.data)[d];
    void *out = omreg_test_alloc(dense.count, dense.elem_size);
    int *inside = omreg_test_alloc(dinside.count, sizeof(int));
    void *sout = omreg_test_alloc(sparse.count, sparse.elem_size);
    int *sin = omreg_test_alloc(sinside.count, sizeof(int));
    size_t n = pts.shape[0];
    for (int bi = 0; bi < 2; ++bi) {
        assert_int_equal(omreg_gradient_w2g(backends[bi], im, w2g.data, spacing.data, os,
                                            og2w.data, out, inside),
                         OMREG_OK);
        assert_int_equal(omreg_sparse_gradient_w2g(backends[bi], im, w2g.data, spacing.data,
                                                   pts.data, n, sout, sin),
                         OMREG_OK);
        if (t == OMREG_NPY_F32) {
            assert_true(omreg_test_same_f32("gradient", out, dense.data, dense.count));
            assert_true(omreg_test_same_f32("sparse gradient", sout, sparse.data, sparse.count));
        } else {
            assert_true(omreg_test_same_f64("gradient", out, dense.data, dense.count));
            assert_true(omreg_test_same_f64("sparse gradient", sout, sparse.data, sparse.count));
        }
        assert_true(omreg_test_same_i32("gradient inside", inside, dinside.data, dinside.count));
        assert_true(omreg_test_same_i32("sparse inside", sin, sinside.data, sinside.count));
    }
    omreg_image_free(im);
    free(out);
    free(inside);
    free(sout);
    free(sin);
    omreg_npy *all[] = {&img, &w2g, &spacing, &oshape, &og2w, &dense, &dinside, &pts, &sparse,
                        &sinside};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; ++i)
        omreg_npy_free(all[i]);
}

static void gradient2d(void **state) { (void)state; gradient_case("grad2d", OMREG_NPY_F32); }
static void gradient3d(void **state) { (void)state; gradient_case("grad3d", OMREG_NPY_F64); }

/* Each documented status, with outputs left untouched on failure. */
static void statuses(void **state)
{
    (void)state;
    const omreg_backend *b = backends[0];
    omreg_parzen_geometry g, keep;
    memset(&keep, 0x5a, sizeof keep);
    g = keep;
    assert_int_equal(omreg_parzen_setup(4, 0, 1, 0, 1, &g), OMREG_EINVAL);
    assert_int_equal(omreg_parzen_setup(32, 2, 1, 0, 1, &g), OMREG_EINVAL);
    assert_int_equal(omreg_parzen_setup(32, 0, NAN, 0, 1, &g), OMREG_ENONFINITE);
    assert_int_equal(omreg_parzen_setup(32, 0, 1, 0, 1, NULL), OMREG_EINVAL);
    assert_memory_equal(&g, &keep, sizeof g);
    /* constant images: delta 0, every intensity in the first inner bin */
    assert_int_equal(omreg_parzen_setup(8, 3, 3, 5, 5, &g), OMREG_OK);
    assert_true(g.sdelta == 0 && g.smin == -2 && g.mdelta == 0 && g.mmin == -2);

    assert_int_equal(omreg_parzen_bin_index(NAN, 8, 2), 2);
    assert_int_equal(omreg_parzen_bin_index(1e300, 8, 2), 5);
    assert_int_equal(omreg_parzen_bin_index(-1e300, 8, 2), 2);
    assert_true(omreg_parzen_bin_normalize(5, -2, 0) == 0);
    assert_int_equal(omreg_parzen_setup(8, 0, 1, 0, 1, &g), OMREG_OK);
    double s2[6] = {0, 0.2, 0.4, 0.6, 0.8, 1}, s3[8] = {0};
    size_t sh2[2] = {2, 3}, sh2b[2] = {3, 2}, sh3[3] = {2, 2, 2};
    omreg_image *a = NULL, *c = NULL, *d = NULL, *f32 = NULL, *field = NULL;
    assert_int_equal(omreg_image_wrap(&a, s2, 2, sh2, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_wrap(&c, s2, 2, sh2b, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_wrap(&d, s3, 3, sh3, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&f32, 2, sh2, 1, OMREG_F32, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&field, 2, sh2b, 2, OMREG_F64, NULL), OMREG_OK);
    double joint[64], sm[8], mm[8], jg[64 * 3], mark[64 * 3];
    memset(mark, 0x77, sizeof mark);
    memcpy(joint, mark, sizeof joint);
    memcpy(jg, mark, sizeof jg);
    assert_int_equal(omreg_parzen_joint_dense(b, &g, a, c, NULL, NULL, joint, sm, mm), OMREG_ESHAPE);
    assert_int_equal(omreg_parzen_joint_dense(b, &g, a, d, NULL, NULL, joint, sm, mm), OMREG_ESHAPE);
    assert_int_equal(omreg_parzen_joint_dense(b, &g, a, f32, NULL, NULL, joint, sm, mm), OMREG_ESHAPE);
    assert_int_equal(omreg_parzen_joint_dense(b, &g, a, a, NULL, NULL, NULL, sm, mm), OMREG_EINVAL);
    assert_int_equal(omreg_parzen_joint_dense(NULL, &g, a, a, NULL, NULL, joint, sm, mm), OMREG_EINVAL);
    omreg_parzen_geometry bad = g;
    bad.padding = 1;
    assert_int_equal(omreg_parzen_joint_dense(b, &bad, a, a, NULL, NULL, joint, sm, mm), OMREG_EINVAL);
    bad = g;
    bad.mdelta = INFINITY;
    assert_int_equal(omreg_parzen_joint_sparse(b, &bad, s2, s2, 6, joint, sm, mm), OMREG_ENONFINITE);
    assert_int_equal(omreg_parzen_joint_sparse(b, &g, NULL, s2, 6, joint, sm, mm), OMREG_EINVAL);
    assert_memory_equal(joint, mark, sizeof joint);
    /* no sample: zero outputs */
    assert_int_equal(omreg_parzen_joint_sparse(b, &g, NULL, NULL, 0, joint, sm, mm), OMREG_OK);
    for (int i = 0; i < 64; ++i)
        assert_true(joint[i] == 0);

    double theta[3] = {0.1, 1, 2}, g2w[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    omreg_transform_type rigid = type_of("RIGID", 2);
    assert_int_equal(omreg_parzen_gradient_dense(b, &g, rigid, theta, a, a, g2w, field, NULL, NULL,
                                                 jg),
                     OMREG_ESHAPE); /* a field of another shape */
    assert_int_equal(omreg_parzen_gradient_dense(b, &g, rigid, theta, a, a, g2w, a, NULL, NULL,
                                                 jg),
                     OMREG_ESHAPE); /* not a field */
    assert_int_equal(omreg_parzen_gradient_dense(b, &g, OMREG_TRANSFORM_TYPE_COUNT, theta, a, a,
                                                 g2w, a, NULL, NULL, jg),
                     OMREG_EINVAL);
    assert_int_equal(omreg_parzen_gradient_dense(b, &g, rigid, NULL, a, a, g2w, a, NULL, NULL, jg),
                     OMREG_EINVAL);
    assert_int_equal(omreg_parzen_gradient_sparse(b, &g, rigid, 4, theta, s2, s2, s2, s2, 3, jg),
                     OMREG_EINVAL);
    assert_int_equal(omreg_parzen_gradient_sparse(b, &g, rigid, 2, theta, s2, s2, NULL, s2, 3, jg),
                     OMREG_EINVAL);
    assert_int_equal(omreg_parzen_gradient_sparse(b, &g, rigid, 2, theta, s2, s2, s2, s2,
                                                  SIZE_MAX / 4, jg),
                     OMREG_EOVERFLOW);
    assert_memory_equal(jg, mark, sizeof jg);

    double mi = 7, mig[3] = {7, 7, 7};
    assert_int_equal(omreg_parzen_mi(joint, 8, 8, NULL, 3, sm, mm, mig, &mi), OMREG_EINVAL);
    assert_int_equal(omreg_parzen_mi(joint, 8, 8, jg, -1, sm, mm, mig, &mi), OMREG_EINVAL);
    assert_int_equal(omreg_parzen_mi(NULL, 8, 8, jg, 3, sm, mm, mig, &mi), OMREG_EINVAL);
    assert_true(mi == 7 && mig[0] == 7);

    assert_int_equal(omreg_parzen_cubic_spline(b, NULL, 3, 0, mig), OMREG_EINVAL);
    assert_int_equal(omreg_parzen_cubic_spline(b, NULL, 0, 0, NULL), OMREG_OK);

    double *pts = (double *)mark;
    size_t m = 99;
    size_t zero[2] = {0, 4};
    double nan_g2w[9] = {1, 0, 0, 0, NAN, 0, 0, 0, 1}, singular[9] = {0};
    assert_int_equal(omreg_sample_domain_regular(b, 2, sh2, 0, g2w, 0, 1, &pts, &m), OMREG_EINVAL);
    assert_int_equal(omreg_sample_domain_regular(b, 4, sh2, 1, g2w, 0, 1, &pts, &m), OMREG_EINVAL);
    assert_int_equal(omreg_sample_domain_regular(b, 2, zero, 1, g2w, 0, 1, &pts, &m), OMREG_ESHAPE);
    assert_int_equal(omreg_sample_domain_regular(b, 2, sh2, 1, nan_g2w, 0, 1, &pts, &m),
                     OMREG_ENONFINITE);
    assert_int_equal(omreg_sample_domain_regular(b, 2, sh2, 1, g2w, NAN, 1, &pts, &m), OMREG_EINVAL);
    assert_true(pts == (double *)mark && m == 99);
    /* DIPY samples through a singular grid2world; k above the voxels: none */
    assert_int_equal(omreg_sample_domain_regular(b, 2, sh2, 2, singular, 0, 1, &pts, &m), OMREG_OK);
    assert_true(m == 3 && pts[0] == 0 && pts[5] == 0);
    free(pts);
    assert_int_equal(omreg_sample_domain_regular(b, 2, sh2, 7, g2w, 0, 1, &pts, &m), OMREG_OK);
    assert_true(m == 0 && pts == NULL);

    /* gradients with a given geometry: a singular world2grid is DIPY's
     * business (finite is enough); a NaN is not */
    double sp[2] = {1, 1};
    float out[12];
    int inside[6];
    memset(inside, 0x33, sizeof inside);
    assert_int_equal(omreg_gradient_w2g(b, f32, nan_g2w, sp, sh2, g2w, out, inside),
                     OMREG_ENONFINITE);
    assert_int_equal(omreg_gradient_w2g(b, f32, g2w, sp, sh2, nan_g2w, out, inside),
                     OMREG_ENONFINITE);
    assert_int_equal(omreg_gradient_w2g(b, f32, g2w, NULL, sh2, g2w, out, inside), OMREG_EINVAL);
    assert_int_equal(omreg_gradient_w2g(b, field, g2w, sp, sh2, g2w, out, inside), OMREG_ESHAPE);
    assert_int_equal(omreg_gradient_w2g(b, f32, g2w, sp, zero, g2w, out, inside), OMREG_ESHAPE);
    assert_int_equal(omreg_sparse_gradient_w2g(b, f32, nan_g2w, sp, s2, 3, out, inside),
                     OMREG_ENONFINITE);
    assert_int_equal(omreg_sparse_gradient_w2g(b, f32, g2w, sp, NULL, 3, out, inside),
                     OMREG_EINVAL);
    assert_int_equal(inside[0], 0x33333333);
    assert_int_equal(omreg_gradient_w2g(b, f32, singular, sp, sh2, singular, out, inside),
                     OMREG_OK);
    omreg_image_free(a);
    omreg_image_free(c);
    omreg_image_free(d);
    omreg_image_free(f32);
    omreg_image_free(field);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(spline),         cmocka_unit_test(dense2d),
        cmocka_unit_test(dense3d),        cmocka_unit_test(dense3d_nomask),
        cmocka_unit_test(sparse2d),       cmocka_unit_test(sparse3d),
        cmocka_unit_test(sample2d),       cmocka_unit_test(sample3d),
        cmocka_unit_test(gradient2d),     cmocka_unit_test(gradient3d),
        cmocka_unit_test(statuses),
    };
    omreg_test_apply_filter();
    return cmocka_run_group_tests(tests, setup, NULL);
}
