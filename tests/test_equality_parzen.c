/* Parallel vs reference, bitwise, for the Parzen joint histogram and its
 * parameter gradient (dense 2D/3D with masks, sparse 2D/3D). Inputs span
 * several OMREG_PARZEN_BLOCK blocks with intensities of mixed magnitude, so
 * a race or a partial added out of block order changes the bits. Shared
 * harness (tests/support/equality.h): reference once, parallel twice into
 * poisoned outputs and scratch. NaN policy: inputs finite; bytes compared. */
#include "equality.h"

#include <stdlib.h>
#include <string.h>

#include "omreg/random.h"

/* Affine Jacobian in dim D: J[r][r*(D+1) + c] = x_c, J[r][r*(D+1) + D] = 1
 * (DIPY AffineTransform{2,3}D); never constant. */
static int affine_jacobian(const void *ctx, const double *x, double *J)
{
    int dim = *(const int *)ctx, np = dim * (dim + 1);
    memset(J, 0, sizeof(double) * (size_t)(dim * np));
    for (int r = 0; r < dim; ++r) {
        for (int c = 0; c < dim; ++c)
            J[r * np + r * (dim + 1) + c] = x[c];
        J[r * np + r * (dim + 1) + dim] = 1.0;
    }
    return 0;
}

/* Translation Jacobian: identity, constant. */
static int translation_jacobian(const void *ctx, const double *x, double *J)
{
    int dim = *(const int *)ctx;
    (void)x;
    memset(J, 0, sizeof(double) * (size_t)(dim * dim));
    for (int r = 0; r < dim; ++r)
        J[r * dim + r] = 1.0;
    return 1;
}

static omreg_parzen_geometry geometry(int nbins, double smin, double smax, double mmin,
                                      double mmax)
{
    /* ParzenJointHistogram.setup: delta = range / (nbins - 2*padding),
     * min = min / delta - padding */
    omreg_parzen_geometry g = {nbins, 2, 0, 0, 0, 0};
    g.sdelta = (smax - smin) / (nbins - 2 * g.padding);
    g.mdelta = (mmax - mmin) / (nbins - 2 * g.padding);
    g.smin = smin / g.sdelta - g.padding;
    g.mmin = mmin / g.mdelta - g.padding;
    return g;
}

static void fill_pair(double *s, double *m, size_t n, uint64_t seed)
{
    /* correlated intensities with a heavy tail */
    for (size_t v = 0; v < n; ++v) {
        double u = omreg_random_uniform(seed, v), w = omreg_random_uniform(seed + 1, v);
        s[v] = 1000.0 * u * u;
        m[v] = 0.5 * s[v] + 300.0 * w;
    }
}

static void check_joint(const double *s, const double *m, const int *smask, const int *mmask,
                        size_t n, omreg_parzen_norm norm, int nbins)
{
    omreg_parzen_geometry g = geometry(nbins, 0.0, 1000.0, 0.0, 800.0);
    size_t nb = (size_t)nbins, len = omreg_parzen_joint_partial(nbins);
    const int nt = omreg_backend_threads(par, 0); /* the count the scratch is sized for */
    const size_t partials = omreg_parzen_partials(nt);
    double *scratch = omreg_test_alloc(len * partials, sizeof(double));
    double *jr = omreg_test_alloc(nb * nb, sizeof(double)), *jp = omreg_test_alloc(nb * nb, sizeof(double));
    double sr[256], mr[256], sp[256], mp[256];
    omreg_eq eq = {0};
    omreg_eq_output(&eq, "joint", jr, jp, nb * nb);
    omreg_eq_output(&eq, "smarginal", sr, sp, nb);
    omreg_eq_output(&eq, "mmarginal", mr, mp, nb);
    omreg_eq_scratch(&eq, scratch, sizeof(double) * len * partials);
    omreg_eq_reference(&eq);
    ref->parzen_joint(1, s, m, smask, mmask, n, &g, norm, scratch, jr, sr, mr);
    double sum = 0;
    for (size_t i = 0; i < nb * nb; ++i)
        sum += jr[i];
    assert_true(sum > 0.99 && sum < 1.01); /* a PDF: the histogram is not empty */
    OMREG_EQ_PARALLEL(&eq) {
        par->parzen_joint(nt, s, m, smask, mmask, n, &g, norm, scratch, jp, sp, mp);
    }
    free(scratch);
    free(jr);
    free(jp);
}

static void joint_dense_with_masks(void **state)
{
    (void)state;
    /* more than two rounds of the parallel kernel, the last one short */
    const size_t n = (2 * OMREG_PARZEN_ROUND + 3) * OMREG_PARZEN_BLOCK + 777;
    double *s = omreg_test_alloc(n, sizeof(double)), *m = omreg_test_alloc(n, sizeof(double));
    int *smask = omreg_test_alloc(n, sizeof(int)), *mmask = omreg_test_alloc(n, sizeof(int));
    fill_pair(s, m, n, 5);
    for (size_t v = 0; v < n; ++v) {
        smask[v] = omreg_random_uniform(7, v) < 0.8;
        mmask[v] = omreg_random_uniform(8, v) < 0.9;
    }
    check_joint(s, m, NULL, NULL, n, OMREG_PARZEN_NORM_BY_WEIGHT, 32);
    check_joint(s, m, smask, mmask, n, OMREG_PARZEN_NORM_BY_WEIGHT, 32);
    check_joint(s, m, smask, NULL, n, OMREG_PARZEN_NORM_BY_COUNT, 17);
    free(s);
    free(m);
    free(smask);
    free(mmask);
}

static const size_t shape[3] = {37, 45, 47};
static const size_t shape2[2] = {301, 287};
static const double g2w3[16] = {0.9, 0.1,  0,   -40, -0.1, 1.1, 0.05, -50,
                                0,   0.02, 1.2, -30, 0,    0,   0,    1};
static const double g2w2[9] = {0.9, 0.1, -40, -0.1, 1.1, -50, 0, 0, 1};

/* one backend's gradient of the case check_gradient sets up */
static void run_gradient(const struct omreg_backend *b, int dim, int sparse, const double *pts,
                         size_t n, const double *s, const double *m, const double *mg,
                         const int *smask, const omreg_parzen_geometry *g, int nparams,
                         omreg_jacobian_cb *jac, double *scratch, int bt, double *out)
{
    if (sparse)
        b->parzen_gradient_sparse(bt, dim, pts, n, s, m, mg, g, nparams, jac, &dim, scratch, out);
    else if (dim == 3)
        b->parzen_gradient_dense_3d(bt, shape, g2w3, s, m, mg, smask, NULL, g, nparams, jac, &dim,
                                    scratch, out);
    else
        b->parzen_gradient_dense_2d(bt, shape2, g2w2, s, m, mg, smask, NULL, g, nparams, jac, &dim,
                                    scratch, out);
}

/* nsparse: the sparse variant's sample count (0: the dense grid's) */
static void check_gradient(int dim, int sparse, int nparams, omreg_jacobian_cb *jac,
                           size_t nsparse)
{
    size_t n = dim == 3 ? shape[0] * shape[1] * shape[2] : shape2[0] * shape2[1];
    if (sparse && nsparse)
        n = nsparse;
    double *s = omreg_test_alloc(n, sizeof(double)), *m = omreg_test_alloc(n, sizeof(double));
    double *mg = omreg_test_alloc(n * (size_t)dim, sizeof(double));
    double *pts = omreg_test_alloc(n * (size_t)dim, sizeof(double));
    int *smask = omreg_test_alloc(n, sizeof(int));
    fill_pair(s, m, n, 9);
    omreg_test_fill_uniform_f64(mg, n * (size_t)dim, 10, -50.0, 50.0);
    omreg_test_fill_uniform_f64(pts, n * (size_t)dim, 11, -90.0, 90.0);
    for (size_t v = 0; v < n; ++v)
        smask[v] = omreg_random_uniform(12, v) < 0.85;
    omreg_parzen_geometry g = geometry(32, 0.0, 1000.0, 0.0, 800.0);
    size_t len = omreg_parzen_gradient_partial(32, nparams);
    size_t out_len = 32 * 32 * (size_t)nparams;
    const int nt = omreg_backend_threads(par, 0); /* the count the scratch is sized for */
    const size_t partials = omreg_parzen_partials(nt);
    double *scratch = omreg_test_alloc(len * partials, sizeof(double));
    double *gr = omreg_test_alloc(out_len, sizeof(double)), *gp = omreg_test_alloc(out_len, sizeof(double));
    omreg_eq eq = {0};
    omreg_eq_output(&eq, "joint gradient", gr, gp, out_len);
    omreg_eq_scratch(&eq, scratch, sizeof(double) * len * partials);
    omreg_eq_reference(&eq);
    run_gradient(ref, dim, sparse, pts, n, s, m, mg, smask, &g, nparams, jac, scratch, 1, gr);
    OMREG_EQ_PARALLEL(&eq) {
        run_gradient(par, dim, sparse, pts, n, s, m, mg, smask, &g, nparams, jac, scratch, nt, gp);
    }
    double mag = 0;
    for (size_t i = 0; i < out_len; ++i)
        mag += gr[i] < 0 ? -gr[i] : gr[i];
    assert_true(mag > 0); /* the gradient is not trivially zero */
    free(s);
    free(m);
    free(mg);
    free(pts);
    free(smask);
    free(scratch);
    free(gr);
    free(gp);
}

static void gradient_dense_3d_affine(void **state) { (void)state; check_gradient(3, 0, 12, affine_jacobian, 0); }
static void gradient_dense_2d_affine(void **state) { (void)state; check_gradient(2, 0, 6, affine_jacobian, 0); }
static void gradient_dense_3d_translation(void **state) { (void)state; check_gradient(3, 0, 3, translation_jacobian, 0); }
static void gradient_sparse_3d_affine(void **state) { (void)state; check_gradient(3, 1, 12, affine_jacobian, 0); }
static void gradient_sparse_2d_translation(void **state) { (void)state; check_gradient(2, 1, 2, translation_jacobian, 0); }
/* more than two rounds of the parallel kernel, the last one short */
static void gradient_sparse_3d_rounds(void **state)
{
    (void)state;
    check_gradient(3, 1, 3, translation_jacobian,
                   (2 * OMREG_PARZEN_ROUND + 1) * OMREG_PARZEN_BLOCK + 4321);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(joint_dense_with_masks),
        cmocka_unit_test(gradient_dense_3d_affine),
        cmocka_unit_test(gradient_dense_2d_affine),
        cmocka_unit_test(gradient_dense_3d_translation),
        cmocka_unit_test(gradient_sparse_3d_affine),
        cmocka_unit_test(gradient_sparse_2d_translation),
        cmocka_unit_test(gradient_sparse_3d_rounds),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
