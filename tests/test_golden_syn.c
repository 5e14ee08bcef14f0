/* SyN against DIPY 1.6 (fixtures/gen_syn.py): numpy.gradient bit for bit,
 * and whole SymmetricDiffeomorphicRegistration runs (CC, SSD, EM; 2D and
 * 3D) compared on the returned map's forward and backward fields, the
 * energy of every iteration, the iterations per level and (2D) the
 * moving image warped by the map. Each registration runs with the backend
 * under test (omreg_test_backend()) and with the reference table, which
 * must agree bit for bit.
 *
 * Tolerances (see the constants): the CC and demons cases do DIPY's
 * arithmetic except for the order of a few sums (the energies, the mean
 * inversion error that stops the fixed-point inversion), so their fields
 * agree to float32 rounding amplified over the iterations; the
 * Gauss-Newton cases run in both Gauss-Seidel orders (omreg/sumsqdiff.h):
 * DIPY's lexicographic one against DIPY as is (2D), red-black against
 * DIPY with its sweep replaced by a red-black one (gen_syn.py).
 * NaN policy: no NaN is expected anywhere; any NaN fails the tolerance
 * comparisons. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "omreg/diffeomap.h"
#include "omreg/syn.h"

/* ---- numpy.gradient --------------------------------------------------- */

static void check_gradient(const omreg_backend *b, int dim, int f32)
{
    char name[64];
    omreg_npy img, want;
    snprintf(name, sizeof name, "syn/grad%dd_%s_img.npy", dim, f32 ? "f32" : "f64");
    omreg_test_load(name, f32 ? OMREG_NPY_F32 : OMREG_NPY_F64, &img);
    snprintf(name, sizeof name, "syn/grad%dd_%s_out.npy", dim, f32 ? "f32" : "f64");
    omreg_test_load(name, f32 ? OMREG_NPY_F32 : OMREG_NPY_F64, &want);
    assert_int_equal(want.count, img.count * (size_t)dim);
    omreg_image *im = NULL, *g = NULL;
    assert_int_equal(omreg_image_wrap(&im, img.data, dim, img.shape, 1,
                                      f32 ? OMREG_F32 : OMREG_F64, NULL),
                     OMREG_OK);
    assert_int_equal(omreg_numpy_gradient(b, im, &g), OMREG_OK);
    if (f32)
        assert_true(omreg_test_same_f32(name, omreg_image_cdata(g), want.data, want.count));
    else
        assert_true(omreg_test_same_f64(name, omreg_image_cdata(g), want.data, want.count));
    omreg_image_free(g);
    omreg_image_free(im);
    omreg_npy_free(&img);
    omreg_npy_free(&want);
}

static void test_numpy_gradient(void **state)
{
    (void)state;
    const omreg_backend *backends[2] = {omreg_test_backend(), omreg_backend_reference()};
    for (int k = 0; k < 2; ++k)
        for (int dim = 2; dim <= 3; ++dim)
            for (int f32 = 0; f32 <= 1; ++f32)
                check_gradient(backends[k], dim, f32);
}

/* ---- whole registrations ---------------------------------------------- */

typedef struct syn_case {
    const char *name;
    int dim;
    omreg_syn_metric_type metric;
    double p1;     /* CC: sigma_diff; SSD/EM: smooth */
    int p2;        /* CC: radius; SSD/EM: inner_iter */
    omreg_syn_step_type step;
    int q_levels;  /* EM */
    int level_iters[3];
    int prealign;
    double field_atol; /* 0: bitwise; else max |omreg - DIPY| over the fields, mm */
    /* Gauss-Newton cases: the sweep order; lexicographic ones compare with
     * DIPY as is (fixtures <name>_lex_*), red-black ones with DIPY whose
     * sweep gen_syn.py replaces by a red-black one */
    omreg_ssd_order order;
    const char *lex_name; /* the case's name in the fixtures (lexicographic cases) */
} syn_case;

/* The energies are sums over the grid, which omreg adds in its canonical
 * order (per row, rows in order) and DIPY serially: a few ulps of the
 * total (measured: below 4e-14 relative). */
#define ENERGY_RTOL 1e-12
/* The energy derivative: DIPY fits its quadratic through numpy's BLAS dot
 * and LAPACK solve, omreg by plain sums and Gaussian elimination, on
 * energies that already differ in the last bits; the derivative is a
 * difference of O(1) coefficients, so compare it absolutely. */
#define DERIVATIVE_ATOL 1e-12

/* the cases of fixtures/gen_syn.py CASES (Gauss-Newton ones from DIPY with
 * its sweep in red-black order, see there, and from DIPY as is: _lex_);
 * the order is unused by the other cases */
static const syn_case cases[] = {
    {"cc2d", 2, OMREG_SYN_CC, 2.0, 4, OMREG_SYN_STEP_DEMONS, 0, {14, 6, 4}, 0, 0,
     OMREG_SSD_ORDER_LEXICOGRAPHIC, NULL},
    {"ssd2d_demons", 2, OMREG_SYN_SSD, 4.0, 10, OMREG_SYN_STEP_DEMONS, 0, {8, 5, 3}, 0, 0,
     OMREG_SSD_ORDER_LEXICOGRAPHIC, NULL},
    {"ssd2d_gn", 2, OMREG_SYN_SSD, 4.0, 10, OMREG_SYN_STEP_GAUSS_NEWTON, 0, {4, 3, 2}, 0, 0,
     OMREG_SSD_ORDER_RED_BLACK, NULL},
    {"em2d_gn", 2, OMREG_SYN_EM, 1.0, 5, OMREG_SYN_STEP_GAUSS_NEWTON, 256, {4, 3, 2}, 0, 0,
     OMREG_SSD_ORDER_RED_BLACK, NULL},
    {"ssd2d_gn", 2, OMREG_SYN_SSD, 4.0, 10, OMREG_SYN_STEP_GAUSS_NEWTON, 0, {4, 3, 2}, 0, 0,
     OMREG_SSD_ORDER_LEXICOGRAPHIC, "ssd2d_gn_lex"},
    {"em2d_gn", 2, OMREG_SYN_EM, 1.0, 5, OMREG_SYN_STEP_GAUSS_NEWTON, 256, {4, 3, 2}, 0, 0,
     OMREG_SSD_ORDER_LEXICOGRAPHIC, "em2d_gn_lex"},
    {"em2d_demons", 2, OMREG_SYN_EM, 1.0, 5, OMREG_SYN_STEP_DEMONS, 32, {6, 4, 3}, 0,
     0, OMREG_SSD_ORDER_LEXICOGRAPHIC, NULL},
    {"cc2d_prealign", 2, OMREG_SYN_CC, 2.0, 3, OMREG_SYN_STEP_DEMONS, 0, {5, 4, 3}, 1, 0,
     OMREG_SSD_ORDER_LEXICOGRAPHIC, NULL},
    {"cc2d_converge", 2, OMREG_SYN_CC, 2.0, 4, OMREG_SYN_STEP_DEMONS, 0, {30, 0, 2}, 0, 0,
     OMREG_SSD_ORDER_LEXICOGRAPHIC, NULL},
    {"cc3d", 3, OMREG_SYN_CC, 2.0, 1, OMREG_SYN_STEP_DEMONS, 0, {5, 4, 3}, 0, 0,
     OMREG_SSD_ORDER_LEXICOGRAPHIC, NULL},
    {"ssd3d_demons", 3, OMREG_SYN_SSD, 4.0, 10, OMREG_SYN_STEP_DEMONS, 0, {5, 4, 3}, 0, 0,
     OMREG_SSD_ORDER_LEXICOGRAPHIC, NULL},
    {"em3d_gn", 3, OMREG_SYN_EM, 1.0, 5, OMREG_SYN_STEP_GAUSS_NEWTON, 256, {3, 2, 2}, 0, 0,
     OMREG_SSD_ORDER_RED_BLACK, NULL},
};
#define NCASES (sizeof cases / sizeof cases[0])

typedef struct energies {
    double e[64], der[64];
    int n, nder;
} energies;

static int collect(void *ctx, const omreg_syn_progress *p)
{
    energies *e = ctx;
    if (p->event != 0)
        return 0;
    if (e->n < 64)
        e->e[e->n++] = p->energy;
    if (isfinite(p->derivative) && e->nder < 64)
        e->der[e->nder++] = p->derivative;
    return 0;
}

/* fields: bitwise when atol is 0 */
static void compare_field(const char *what, const float *got, const float *want, size_t n,
                          double atol)
{
    if (atol == 0)
        assert_true(omreg_test_same_f32(what, got, want, n));
    else
        assert_true(omreg_test_close_f32(what, got, want, n, 0.0, atol));
}

static omreg_image *load_image(const char *what, int dim, omreg_npy *arr)
{
    char name[96];
    omreg_npy g2w;
    snprintf(name, sizeof name, "syn/syn%dd_%s.npy", dim, what);
    omreg_test_load(name, OMREG_NPY_F32, arr);
    snprintf(name, sizeof name, "syn/syn%dd_%s_g2w.npy", dim, what);
    omreg_test_load(name, OMREG_NPY_F64, &g2w);
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_wrap(&img, arr->data, dim, arr->shape, 1, OMREG_F32, g2w.data),
                     OMREG_OK);
    omreg_npy_free(&g2w);
    return img;
}

static void run_case(const syn_case *c)
{
    omreg_npy sarr, marr, want_fwd, want_bwd, want_energy, want_iters, want_der, prealign;
    omreg_image *stat = load_image("static", c->dim, &sarr);
    omreg_image *mov = load_image("moving", c->dim, &marr);
    char name[96];
#define LOAD_AS(arr, case_name, suffix, type)                                                   \
    do {                                                                                       \
        snprintf(name, sizeof name, "syn/%s_%s.npy", case_name, suffix);                       \
        omreg_test_load(name, type, &arr);                                                     \
    } while (0)
#define LOAD(arr, suffix, type) LOAD_AS(arr, c->name, suffix, type)
    /* gen_syn.py keeps only the fields and energies of DIPY's own order;
     * the iterations per level and the derivatives are the same (no level
     * of these cases converges early; their windows never fill) */
    const char *fields = c->lex_name ? c->lex_name : c->name;
    LOAD_AS(want_fwd, fields, "forward", OMREG_NPY_F32);
    LOAD_AS(want_bwd, fields, "backward", OMREG_NPY_F32);
    LOAD_AS(want_energy, fields, "energy", OMREG_NPY_F64);
    LOAD(want_iters, "iters", OMREG_NPY_I32);
    LOAD(want_der, "derivative", OMREG_NPY_F64);
    memset(&prealign, 0, sizeof prealign);
    if (c->prealign)
        LOAD(prealign, "prealign", OMREG_NPY_F64);

    omreg_syn_options opt = omreg_syn_default_options(c->metric);
    opt.nlevels = 3;
    for (int i = 0; i < 3; ++i)
        opt.level_iters[i] = c->level_iters[i];
    if (c->metric == OMREG_SYN_CC) {
        opt.metric.sigma_diff = c->p1;
        opt.metric.radius = c->p2;
    } else {
        opt.metric.smooth = c->p1;
        opt.metric.inner_iter = c->p2;
        opt.metric.step_type = c->step;
        opt.metric.gs_order = c->order;
        if (c->metric == OMREG_SYN_EM)
            opt.metric.q_levels = c->q_levels;
    }
    const omreg_backend *backends[2] = {omreg_test_backend(), omreg_backend_reference()};
    omreg_diffeomap *map[2] = {NULL, NULL};
    energies e[2];
    omreg_syn_info info[2];
    for (int k = 0; k < 2; ++k) {
        memset(&e[k], 0, sizeof e[k]);
        opt.progress = collect;
        opt.progress_ctx = &e[k];
        omreg_status st = omreg_syn_register(backends[k], stat, mov,
                                             c->prealign ? prealign.data : NULL, &opt, &map[k],
                                             &info[k]);
        if (st != OMREG_OK)
            fail_msg("%s: %s", c->name, omreg_last_error());
    }
    const omreg_image *fwd = omreg_diffeomap_forward(map[0]);
    const omreg_image *bwd = omreg_diffeomap_backward(map[0]);
    const size_t n = omreg_image_voxels(fwd) * (size_t)c->dim;
    assert_int_equal(n, want_fwd.count);
    assert_int_equal(n, want_bwd.count);
    assert_int_equal(omreg_diffeomap_is_inverse(map[0]), 1);

    /* backends agree bit for bit */
    assert_true(omreg_test_same_f32("forward, backend vs reference", omreg_image_cdata(fwd),
                                    omreg_image_cdata(omreg_diffeomap_forward(map[1])), n));
    assert_true(omreg_test_same_f32("backward, backend vs reference", omreg_image_cdata(bwd),
                                    omreg_image_cdata(omreg_diffeomap_backward(map[1])), n));
    assert_int_equal(e[0].n, e[1].n);
    assert_true(omreg_test_same_f64("energies, backend vs reference", e[0].e, e[1].e,
                                    (size_t)e[0].n));

    /* vs DIPY */
    for (int i = 0; i < 3; ++i)
        assert_int_equal(info[0].iterations[i], ((int *)want_iters.data)[i]);
    assert_int_equal((size_t)e[0].n, want_energy.count);
    assert_true(omreg_test_close_f64("energies", e[0].e, want_energy.data, want_energy.count,
                                     ENERGY_RTOL, 0.0));
    assert_int_equal((size_t)e[0].nder, want_der.count);
    assert_true(omreg_test_close_f64("energy derivatives", e[0].der, want_der.data,
                                     want_der.count, 0.0, DERIVATIVE_ATOL));
    compare_field("forward field", omreg_image_cdata(fwd), want_fwd.data, n, c->field_atol);
    compare_field("backward field", omreg_image_cdata(bwd), want_bwd.data, n, c->field_atol);
    if (c->dim == 2 && c->lex_name == NULL) { /* mapping.transform(moving) (not kept for
                                                 the _lex_ runs) */
        omreg_npy want_warped;
        LOAD(want_warped, "warped", OMREG_NPY_F32);
        omreg_image *warped = NULL;
        assert_int_equal(omreg_diffeomap_transform(backends[0], map[0], mov, OMREG_WARP_LINEAR,
                                                   NULL, NULL, NULL, &warped),
                         OMREG_OK);
        assert_int_equal(omreg_image_voxels(warped), want_warped.count);
        /* intensities in [1, 7] with gradients below 10 per mm */
        compare_field("warped moving", omreg_image_cdata(warped), want_warped.data,
                      want_warped.count, c->field_atol * 10);
        omreg_image_free(warped);
        omreg_npy_free(&want_warped);
    }
#undef LOAD
    omreg_diffeomap_free(map[0]);
    omreg_diffeomap_free(map[1]);
    omreg_image_free(stat);
    omreg_image_free(mov);
    omreg_npy_free(&sarr);
    omreg_npy_free(&marr);
    omreg_npy_free(&want_fwd);
    omreg_npy_free(&want_bwd);
    omreg_npy_free(&want_energy);
    omreg_npy_free(&want_iters);
    omreg_npy_free(&want_der);
    omreg_npy_free(&prealign);
}

#define CASE_TEST(i)                                                                           \
    static void test_case_##i(void **state)                                                    \
    {                                                                                          \
        (void)state;                                                                           \
        run_case(&cases[i]);                                                                   \
    }
CASE_TEST(0)
CASE_TEST(1)
CASE_TEST(2)
CASE_TEST(3)
CASE_TEST(4)
CASE_TEST(5)
CASE_TEST(6)
CASE_TEST(7)
CASE_TEST(8)
CASE_TEST(9)
CASE_TEST(10)
CASE_TEST(11)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numpy_gradient),
        cmocka_unit_test(test_case_0), /* cc2d */
        cmocka_unit_test(test_case_1), /* ssd2d_demons */
        cmocka_unit_test(test_case_2), /* ssd2d_gn */
        cmocka_unit_test(test_case_3), /* em2d_gn */
        cmocka_unit_test(test_case_4), /* ssd2d_gn, DIPY's order */
        cmocka_unit_test(test_case_5), /* em2d_gn, DIPY's order */
        cmocka_unit_test(test_case_6), /* em2d_demons */
        cmocka_unit_test(test_case_7), /* cc2d_prealign */
        cmocka_unit_test(test_case_8), /* cc2d_converge */
        cmocka_unit_test(test_case_9), /* cc3d */
        cmocka_unit_test(test_case_10), /* ssd3d_demons */
        cmocka_unit_test(test_case_11), /* em3d_gn */
    };
    _Static_assert(NCASES == 12, "one test per case");
    return cmocka_run_group_tests(tests, NULL, NULL);
}
