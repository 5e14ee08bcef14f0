/* Fast mode (beyond DIPY), parallel vs reference, bitwise: the sampling
 * kernel (2D, 3D, with a static mask and points mapped partly outside the
 * moving grid), the joint PDF and the MI gradient over several
 * OMREG_FAST_MI_BLOCK blocks (a race, a partial added out of block order
 * or a dropped mask changes the bits), and whole fast-mode registrations
 * (2D, 3D masked) through both tables. Registered over the thread x
 * schedule matrix, so the same seed gives the same bits at every thread
 * count and schedule. NaN policy: inputs finite; bytes compared. */
#include "equality.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fast_mi_point.h"
#include "image_internal.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"
#include "omreg/random.h"
#include "phantom.h"
#include "transform_point.h"

typedef struct jac_ctx {
    int dim;
    double params[12];
} jac_ctx;

static int affine_jacobian(const void *ctx, const double *x, double *J)
{
    const jac_ctx *c = ctx;
    return omreg_transform_jacobian_unchecked(OMREG_TRANSFORM_AFFINE, c->dim, c->params, x, J);
}

/* one sampling case: n samples over blocks, 30% of the voxels masked out,
 * the moving grid shifted so some points map outside it */
static void sampling_case(int dim)
{
    const size_t shape3[3] = {23, 19, 21}, shape2[2] = {61, 57};
    const size_t *shape = dim == 3 ? shape3 : shape2;
    const size_t n = 5 * OMREG_FAST_MI_BLOCK + 77;
    double g2w[16];
    omreg_mat_identity(dim + 1, g2w);
    omreg_image *s = omreg_test_blobs(dim, shape, g2w, 11);
    omreg_image *m = omreg_test_blobs(dim, shape, g2w, 12);
    size_t nv = omreg_image_voxels(s), np = (size_t)(dim * (dim + 1));
    float *mf = omreg_test_alloc(nv, sizeof(float)), *mg = omreg_test_alloc(nv * (size_t)dim, sizeof(float));
    int *mask = omreg_test_alloc(nv, sizeof(int));
    for (size_t v = 0; v < nv; ++v) {
        mf[v] = (float)((double *)m->data)[v];
        mask[v] = omreg_random_uniform(21, v) < 0.7;
    }
    if (dim == 3)
        ref->numpy_gradient_3d_f32(1, mf, shape, mg);
    else
        ref->numpy_gradient_2d_f32(1, mf, shape, mg);
    jac_ctx jc = {dim, {0}};
    omreg_transform_identity_unchecked(OMREG_TRANSFORM_AFFINE, dim, jc.params);
    omreg_fast_mi_job job;
    memset(&job, 0, sizeof job);
    job.static_img = s->data;
    job.smask = mask;
    memcpy(job.sshape, shape, sizeof(size_t) * (size_t)dim);
    job.moving = mf;
    job.mgrad = mg;
    memcpy(job.mshape, shape, sizeof(size_t) * (size_t)dim);
    int n1 = dim + 1;
    omreg_mat_identity(n1, job.static_to_moving);
    job.static_to_moving[0] = 1.05;
    job.static_to_moving[1] = 0.1;
    job.static_to_moving[dim] = 3.3; /* shifted: some points fall outside */
    omreg_mat_identity(n1, job.static_to_prealigned);
    for (int k = 0; k < dim; ++k)
        job.static_to_prealigned[k * n1 + dim] = -0.5 * (double)shape[k];
    omreg_mat_identity(n1, job.moving_w2g);
    job.moving_w2g[0] = 0.9;
    job.key = omreg_fast_mi_key(7, 1, 3);
    job.nparams = (int)np;
    job.jacobian = affine_jacobian;
    job.jac_ctx = &jc;

    double *sr = omreg_test_alloc(n, sizeof(double)), *sp = omreg_test_alloc(n, sizeof(double));
    double *mr = omreg_test_alloc(n, sizeof(double)), *mp = omreg_test_alloc(n, sizeof(double));
    double *pr = omreg_test_alloc(n * np, sizeof(double)), *pp = omreg_test_alloc(n * np, sizeof(double));
    int *vr = omreg_test_alloc(n, sizeof(int)), *vp = omreg_test_alloc(n, sizeof(int));
    const int nt = omreg_backend_threads(par, 0);
    omreg_eq eq = {0};
    omreg_eq_output(&eq, "sval", sr, sp, n);
    omreg_eq_output(&eq, "mval", mr, mp, n);
    omreg_eq_output(&eq, "prod", pr, pp, n * np);
    omreg_eq_output(&eq, "valid", vr, vp, n);
    omreg_eq_reference(&eq);
    if (dim == 3)
        ref->fast_mi_samples_3d(1, &job, n, sr, mr, pr, vr);
    else
        ref->fast_mi_samples_2d(1, &job, n, sr, mr, pr, vr);
    OMREG_EQ_PARALLEL(&eq) {
        if (dim == 3)
            par->fast_mi_samples_3d(nt, &job, n, sp, mp, pp, vp);
        else
            par->fast_mi_samples_2d(nt, &job, n, sp, mp, pp, vp);
    }
    /* the case exercises both outcomes: valid samples and dropped ones */
    size_t nvalid = 0;
    for (size_t i = 0; i < n; ++i)
        nvalid += vr[i] != 0;
    print_message("%dD: %zu of %zu samples valid\n", dim, nvalid, n);
    assert_true(nvalid > n / 4 && nvalid < n - n / 20);
    /* a sample lands only where the mask allows */
    for (size_t i = 0; i < n; ++i)
        if (vr[i]) {
            double p[3];
            assert_true(fast_mi_draw(&job, dim, i, p));
            size_t v = 0;
            for (int d = 0; d < dim; ++d)
                v = v * shape[d] + (size_t)floor(p[d] + 0.5);
            assert_true(mask[v] != 0); /* the jittered point rounds to its voxel */
        }

    /* joint PDF and MI gradient over the reference's samples */
    omreg_parzen_geometry g = {32, 2, 0, 0, 0, 0};
    g.sdelta = 200.0 / 28;
    g.mdelta = 200.0 / 28;
    g.smin = g.mmin = -2.0;
    size_t nb = 32, len = omreg_parzen_joint_partial(32);
    size_t sl = omreg_fast_mi_scratch(n, len);
    double *scratch = omreg_test_alloc(sl, sizeof(double));
    double *jr = omreg_test_alloc(nb * nb, sizeof(double)), *jp = omreg_test_alloc(nb * nb, sizeof(double));
    double smr[32], smp[32], mmr[32], mmp[32], cr, cp;
    omreg_eq eq2 = {0};
    omreg_eq_output(&eq2, "joint", jr, jp, nb * nb);
    omreg_eq_output(&eq2, "smarginal", smr, smp, nb);
    omreg_eq_output(&eq2, "mmarginal", mmr, mmp, nb);
    omreg_eq_output(&eq2, "count", &cr, &cp, 1);
    omreg_eq_scratch(&eq2, scratch, sizeof(double) * sl);
    omreg_eq_reference(&eq2);
    ref->fast_mi_joint(1, sr, mr, vr, n, &g, scratch, jr, smr, mmr, &cr);
    assert_true(cr == (double)nvalid);
    OMREG_EQ_PARALLEL(&eq2) {
        par->fast_mi_joint(nt, sr, mr, vr, n, &g, scratch, jp, smp, mmp, &cp);
    }
    double *factor = omreg_test_alloc(nb * nb, sizeof(double));
    omreg_fast_mi_factor(jr, mmr, 32, factor);
    double gr[12], gp[12];
    omreg_eq eq3 = {0};
    omreg_eq_output(&eq3, "MI gradient", gr, gp, np);
    omreg_eq_scratch(&eq3, scratch, sizeof(double) * sl);
    omreg_eq_reference(&eq3);
    ref->fast_mi_gradient(1, sr, mr, vr, pr, n, &g, (int)np, factor, cr, scratch, gr);
    OMREG_EQ_PARALLEL(&eq3) {
        par->fast_mi_gradient(nt, sr, mr, vr, pr, n, &g, (int)np, factor, cr, scratch, gp);
    }
    double gnorm = 0;
    for (size_t k = 0; k < np; ++k)
        gnorm += fabs(gr[k]);
    assert_true(gnorm > 0); /* a gradient of zeros would compare trivially */
    free(scratch);
    free(jr);
    free(jp);
    free(factor);
    free(sr);
    free(sp);
    free(mr);
    free(mp);
    free(pr);
    free(pp);
    free(vr);
    free(vp);
    free(mf);
    free(mg);
    free(mask);
    omreg_image_free(s);
    omreg_image_free(m);
}

static void samples_3d(void **st) { (void)st; sampling_case(3); }
static void samples_2d(void **st) { (void)st; sampling_case(2); }

/* a whole fast-mode registration through both tables */
static void registration_case(int dim, int masked)
{
    double g2w[16];
    omreg_image *s = NULL, *m = NULL, *mask = NULL;
    omreg_test_affine_pair(ref, dim, g2w, &s, &m);
    const size_t *shape = omreg_image_shape(s);
    if (masked) {
        assert_int_equal(omreg_image_create(&mask, dim, shape, 1, OMREG_F64, g2w), OMREG_OK);
        for (size_t v = 0; v < omreg_image_voxels(mask); ++v)
            ((double *)mask->data)[v] = omreg_random_uniform(9, v) < 0.9;
    }
    omreg_affine_options o = omreg_affine_default_options();
    o.mode = OMREG_AFFINE_MODE_FAST;
    o.seed = 3;
    o.fast_samples = 700; /* three blocks, the last one partial */
    o.fast_iterations = 40;
    omreg_affine_result want, got, other;
    const int n = (dim + 1) * (dim + 1);
    omreg_eq_poison(&want, sizeof want, 0x33);
    assert_int_equal(omreg_affine_register(ref, s, m, mask, NULL, OMREG_TRANSFORM_AFFINE, NULL,
                                           NULL, &o, &want),
                     OMREG_OK);
    for (int run = 0; run < OMREG_EQ_RUNS; ++run) {
        omreg_eq_poison(&got, sizeof got, run % 2 ? 0x5A : 0xA5);
        assert_int_equal(omreg_affine_register(par, s, m, mask, NULL, OMREG_TRANSFORM_AFFINE,
                                               NULL, NULL, &o, &got),
                         OMREG_OK);
        OMREG_EQ_SAME(f64, "final affine", got.affine, want.affine, (size_t)n);
        OMREG_EQ_SAME(f64, "final MI", &got.mi, &want.mi, 1);
        assert_int_equal(got.evaluations, want.evaluations);
    }
    print_message("%dD fast: %d iterations, MI %.17g, hash %016llx\n", dim, want.evaluations,
                  want.mi,
                  (unsigned long long)omreg_test_hash(want.affine, sizeof(double) * (size_t)n));
    assert_int_equal(want.evaluations, 3 * 40);
    assert_true(fabs(want.affine[dim]) > 0.3); /* it moved toward the 1.5 shift */
    /* the seed is used: another seed draws other samples, other bits */
    o.seed = 4;
    assert_int_equal(omreg_affine_register(par, s, m, mask, NULL, OMREG_TRANSFORM_AFFINE, NULL,
                                           NULL, &o, &other),
                     OMREG_OK);
    assert_true(memcmp(other.affine, want.affine, sizeof(double) * (size_t)n) != 0);
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(mask);
}

static void registration_3d_masked(void **st) { (void)st; registration_case(3, 1); }
static void registration_2d(void **st) { (void)st; registration_case(2, 0); }

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(samples_3d),
        cmocka_unit_test(samples_2d),
        cmocka_unit_test(registration_3d_masked),
        cmocka_unit_test(registration_2d),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
