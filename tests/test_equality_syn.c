/* Whole SyN registrations, bitwise identical across backends: the driver
 * runs with the reference table once and the parallel table twice, for the
 * CC, SSD and EM metrics in 2D and 3D (demons and Gauss-Newton steps, one
 * case with a prealign); the returned map's forward and backward fields,
 * the energy of every iteration and the iteration counts must be the same
 * bytes. Registered over the thread x schedule matrix, this also proves the
 * whole pipeline (scale spaces, warps, metric steps, smoothing, V-cycles,
 * compositions, inversions) is thread-count and schedule independent.
 * Grids of 5760 voxels: more than one OMREG_REDUCE_BLOCK (4096) and 80
 * (2D) / 360 (3D) grid rows, so the block and row reductions have several
 * partials to combine; 2 levels, 3 iterations, so a run stays far below a
 * second. The kernels of the SyN family (numpy_gradient_*, syn_*) are also
 * compared one by one on larger grids (2D 97x83, 3D 24x26x28: 8041 and
 * 17472 voxels, 2 and 5 reduction blocks).
 * NaN policy: inputs are finite except where a kernel's NaN handling is
 * under test; outputs are compared as bytes. */
#include "equality.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "image_internal.h"
#include "omreg/diffeomap.h"
#include "omreg/matrix.h"
#include "omreg/random.h"
#include "omreg/syn.h"
#include "phantom.h"

/* Gaussian blobs on a positive background from the counter-based
 * generator; `shift` moves every blob by a blob-dependent offset of up to
 * shift voxels (the moving image) */
static omreg_image *blobs(int dim, const size_t *shape, const double *g2w, uint64_t seed,
                          double shift)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, 1, OMREG_F64, g2w), OMREG_OK);
    double *d = img->data;
    const size_t n = omreg_image_voxels(img);
    for (size_t v = 0; v < n; ++v)
        d[v] = 10.0 + omreg_random_uniform(seed + 1, v); /* texture */
    for (int b = 0; b < 8; ++b) {
        double c[3], w = 2.0 + 2.0 * omreg_random_uniform(seed, 100 + (uint64_t)b);
        double a = 50 + 150 * omreg_random_uniform(seed, 200 + (uint64_t)b);
        for (int k = 0; k < dim; ++k)
            c[k] = (0.25 + 0.5 * omreg_random_uniform(seed, 300 + (uint64_t)(3 * b + k))) *
                       (double)shape[k] +
                   shift * (2 * omreg_random_uniform(seed, 400 + (uint64_t)(3 * b + k)) - 1);
        omreg_test_add_blob(img, c, w, a);
    }
    return img;
}

typedef struct trace {
    double e[32], der[32];
    int n;
} trace;

static int collect(void *ctx, const omreg_syn_progress *p)
{
    trace *t = ctx;
    if (p->event == 0 && t->n < 32) {
        t->e[t->n] = p->energy;
        t->der[t->n++] = p->derivative;
    }
    return 0;
}

static omreg_status run(const omreg_backend *b, const omreg_image *s, const omreg_image *m,
                        const double *prealign, omreg_syn_options *o, omreg_diffeomap **map,
                        trace *t, omreg_syn_info *info)
{
    memset(t, 0, sizeof *t);
    o->progress = collect;
    o->progress_ctx = t;
    return omreg_syn_register(b, s, m, prealign, o, map, info);
}

static void run_case_mode(int dim, omreg_syn_metric_type metric, omreg_syn_step_type step,
                          int with_prealign, int mode)
{
    const size_t shape2[2] = {80, 72}, shape3[3] = {20, 18, 16};
    const size_t *shape = dim == 3 ? shape3 : shape2;
    double g2w[16], prealign[16];
    omreg_mat_identity(dim + 1, g2w);
    for (int k = 0; k < dim; ++k) {
        g2w[k * (dim + 1) + k] = 1.0 + 0.1 * k; /* anisotropic: non-dyadic level scalings */
        g2w[k * (dim + 1) + dim] = -0.5 * (double)shape[k];
    }
    omreg_mat_identity(dim + 1, prealign);
    prealign[0] = prealign[dim + 2] = cos(0.02);
    prealign[1] = -sin(0.02);
    prealign[dim + 1] = sin(0.02);
    prealign[dim] = 0.3;
    omreg_image *s = blobs(dim, shape, g2w, 11, 0.0), *m = blobs(dim, shape, g2w, 11, 2.0);

    omreg_syn_options o = omreg_syn_default_options(metric);
    o.nlevels = 2;
    o.level_iters[0] = 2;
    o.level_iters[1] = 1;
    o.metric.step_type = step;
    o.mode = mode;
    if (metric == OMREG_SYN_CC && dim == 3)
        o.metric.radius = 3; /* the coarse 3D grid has 8 voxels along its last axis */
    const double *pre = with_prealign ? prealign : NULL;

    omreg_diffeomap *want = NULL, *got = NULL;
    trace tw, tg;
    omreg_syn_info iw, ig;
    if (run(ref, s, m, pre, &o, &want, &tw, &iw) != OMREG_OK)
        fail_msg("reference run: %s", omreg_last_error());
    const omreg_image *wf = omreg_diffeomap_forward(want), *wb = omreg_diffeomap_backward(want);
    const size_t n = omreg_image_voxels(wf) * (size_t)dim;
    for (int r = 0; r < OMREG_EQ_RUNS; ++r) {
        if (run(par, s, m, pre, &o, &got, &tg, &ig) != OMREG_OK)
            fail_msg("parallel run %d: %s", r, omreg_last_error());
        omreg_eq_same_image("forward field", omreg_diffeomap_forward(got), wf);
        omreg_eq_same_image("backward field", omreg_diffeomap_backward(got), wb);
        assert_int_equal(tg.n, tw.n);
        OMREG_EQ_SAME(f64, "energies", tg.e, tw.e, (size_t)tw.n);
        OMREG_EQ_SAME(f64, "derivatives", tg.der, tw.der, (size_t)tw.n);
        assert_int_equal(ig.total_iterations, iw.total_iterations);
        for (int l = 0; l < o.nlevels; ++l)
            assert_int_equal(ig.iterations[l], iw.iterations[l]);
        omreg_diffeomap_free(got);
        got = NULL;
    }
    /* the registration moved the fields: a no-op would pass trivially */
    double maxabs = 0;
    for (size_t i = 0; i < n; ++i)
        maxabs = fmax(maxabs, fabs(((const float *)omreg_image_cdata(wf))[i]));
    assert_true(maxabs > 0.1);
    assert_int_equal(iw.total_iterations, 3);
    print_message("%dD metric %d step %d%s%s: max |forward| %.4f mm, last energy %.17g, "
                  "hash %016llx\n", dim, (int)metric, (int)step, pre ? " prealign" : "",
                  mode == OMREG_SYN_MODE_FAST ? " fast" : "", maxabs,
                  tw.e[tw.n - 1],
                  (unsigned long long)omreg_test_hash(omreg_image_cdata(wf), n * sizeof(float)));
    omreg_diffeomap_free(want);
    omreg_image_free(s);
    omreg_image_free(m);
}

static void run_case(int dim, omreg_syn_metric_type metric, omreg_syn_step_type step,
                     int with_prealign)
{
    run_case_mode(dim, metric, step, with_prealign, OMREG_SYN_MODE_DIPY);
}

/* fast mode (box-sum CC windows): the same bits at any threads / schedule */
static void cc_2d_fast(void **s)
{
    (void)s;
    run_case_mode(2, OMREG_SYN_CC, OMREG_SYN_STEP_DEMONS, 1, OMREG_SYN_MODE_FAST);
}
static void cc_3d_fast(void **s)
{
    (void)s;
    run_case_mode(3, OMREG_SYN_CC, OMREG_SYN_STEP_DEMONS, 0, OMREG_SYN_MODE_FAST);
}

static void cc_2d(void **s) { (void)s; run_case(2, OMREG_SYN_CC, OMREG_SYN_STEP_DEMONS, 1); }
static void ssd_2d_gauss_newton(void **s)
{
    (void)s;
    run_case(2, OMREG_SYN_SSD, OMREG_SYN_STEP_GAUSS_NEWTON, 0);
}
static void em_2d_demons(void **s) { (void)s; run_case(2, OMREG_SYN_EM, OMREG_SYN_STEP_DEMONS, 0); }
static void cc_3d(void **s) { (void)s; run_case(3, OMREG_SYN_CC, OMREG_SYN_STEP_DEMONS, 0); }
static void ssd_3d_demons(void **s) { (void)s; run_case(3, OMREG_SYN_SSD, OMREG_SYN_STEP_DEMONS, 0); }
static void em_3d_gauss_newton(void **s)
{
    (void)s;
    run_case(3, OMREG_SYN_EM, OMREG_SYN_STEP_GAUSS_NEWTON, 0);
}

/* ---- the SyN kernel family, one kernel at a time ---------------------- */

static const size_t kshape2[2] = {97, 83}, kshape3[3] = {24, 26, 28};

#define GRADIENT_CASE(NAME, FLT, T, DIM, SHAPE, SLOT)                                              \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t n = omreg_eq_voxels(DIM, SHAPE);                                              \
        FLT *img = omreg_test_alloc(n, sizeof(FLT));                                               \
        FLT *want = omreg_test_alloc(n * DIM, sizeof(FLT));                                        \
        FLT *got = omreg_test_alloc(n * DIM, sizeof(FLT));                                         \
        omreg_test_fill_uniform_##T(img, n, 21, -3.0, 5.0);                                        \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT, want, got, n *DIM);                                            \
        omreg_eq_reference(&eq);                                                                   \
        ref->SLOT(omreg_backend_threads(ref, 0), img, SHAPE, want);                                \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->SLOT(omreg_backend_threads(par, 0), img, SHAPE, got);                             \
        }                                                                                          \
        free(img);                                                                                 \
        free(want);                                                                                \
        free(got);                                                                                 \
    }
GRADIENT_CASE(numpy_gradient_2d_f64, double, f64, 2, kshape2, numpy_gradient_2d_f64)
GRADIENT_CASE(numpy_gradient_2d_f32, float, f32, 2, kshape2, numpy_gradient_2d_f32)
GRADIENT_CASE(numpy_gradient_3d_f64, double, f64, 3, kshape3, numpy_gradient_3d_f64)
GRADIENT_CASE(numpy_gradient_3d_f32, float, f32, 3, kshape3, numpy_gradient_3d_f32)

/* every syn_* pointwise kernel, reference once vs parallel twice (the
 * harness), 2D and 3D; the in-place kernels start from a copy of the
 * previous kernel's output (already proven equal) */
static void syn_pointwise_kernels(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim) {
        const size_t *shape = dim == 2 ? kshape2 : kshape3;
        const size_t n = omreg_eq_voxels(dim, shape);
        const size_t nv = n * (size_t)dim, nblocks = omreg_reduce_blocks(n);
        const size_t scratch_bytes = (3 * nblocks + 3) * sizeof(double);
        const double spacing[3] = {1.1, 0.7, 1.3};
        double *x64 = omreg_test_alloc(n, sizeof(double));
        float *a = omreg_test_alloc(nv, sizeof(float)), *b = omreg_test_alloc(nv, sizeof(float));
        float *w = omreg_test_alloc(nv, sizeof(float)), *g = omreg_test_alloc(nv, sizeof(float));
        float *start = omreg_test_alloc(nv, sizeof(float));
        int *la = omreg_test_alloc(n, sizeof(int)), *lb = omreg_test_alloc(n, sizeof(int));
        int *iw = omreg_test_alloc(n, sizeof(int)), *ig = omreg_test_alloc(n, sizeof(int));
        int *istart = omreg_test_alloc(n, sizeof(int));
        double *scratch = omreg_test_alloc(3 * nblocks + 3, sizeof(double));
        float table[64];
        omreg_test_fill_uniform_f64(x64, n, 31, -2.0, 3.0);
        omreg_test_fill_uniform_f32(a, nv, 32, -2.0, 3.0);
        omreg_test_fill_uniform_f32(b, nv, 33, -1.0, 1.0);
        omreg_test_fill_uniform_f32(table, 64, 34, 0.0, 9.0);
        for (size_t v = 0; v < n; ++v) {
            la[v] = (int)(omreg_random_u64(35, v) % 64);
            lb[v] = (int)(omreg_random_u64(36, v) % 3) - 1;
        }
        a[n / 3] = 0.0f; /* an exact zero for the > 0 masks */

        omreg_eq conv = {0};
        omreg_eq_output(&conv, "convert_f64_to_f32", w, g, n);
        omreg_eq_reference(&conv);
        ref->convert_f64_to_f32(omreg_backend_threads(ref, 0), x64, n, w);
        OMREG_EQ_PARALLEL(&conv) {
            par->convert_f64_to_f32(omreg_backend_threads(par, 0), x64, n, g);
        }

        double rw[3], rg[3];
        a[n - 5] = NAN;
        omreg_eq range = {0};
        omreg_eq_output(&range, "syn_range_f32", rw, rg, 3);
        omreg_eq_scratch(&range, scratch, scratch_bytes);
        omreg_eq_reference(&range);
        ref->syn_range_f32(omreg_backend_threads(ref, 0), a, n, scratch, rw);
        OMREG_EQ_PARALLEL(&range) {
            par->syn_range_f32(omreg_backend_threads(par, 0), a, n, scratch, rg);
        }
        assert_true(rw[2] == 1.0);
        a[n - 5] = 0.5f;

        omreg_eq normalize = {0};
        omreg_eq_output(&normalize, "normalize_f32", w, g, n);
        omreg_eq_reference(&normalize);
        ref->normalize_f32(omreg_backend_threads(ref, 0), a, n, -2.0f, 5.0f, w);
        OMREG_EQ_PARALLEL(&normalize) {
            par->normalize_f32(omreg_backend_threads(par, 0), a, n, -2.0f, 5.0f, g);
        }
        omreg_eq subtract = {0};
        omreg_eq_output(&subtract, "syn_subtract_f32", w, g, nv);
        omreg_eq_reference(&subtract);
        ref->syn_subtract_f32(omreg_backend_threads(ref, 0), a, b, nv, w);
        OMREG_EQ_PARALLEL(&subtract) {
            par->syn_subtract_f32(omreg_backend_threads(par, 0), a, b, nv, g);
        }
        omreg_eq add = {0};
        omreg_eq_inout(&add, "add_f32", w, g, a, nv);
        omreg_eq_reference(&add);
        ref->add_f32(omreg_backend_threads(ref, 0), w, b, nv);
        OMREG_EQ_PARALLEL(&add) {
            par->add_f32(omreg_backend_threads(par, 0), g, b, nv);
        }
        omreg_eq gather = {0};
        omreg_eq_output(&gather, "syn_gather_f32", w, g, n);
        omreg_eq_reference(&gather);
        ref->syn_gather_f32(omreg_backend_threads(ref, 0), table, la, n, w);
        OMREG_EQ_PARALLEL(&gather) {
            par->syn_gather_f32(omreg_backend_threads(par, 0), table, la, n, g);
        }

        omreg_eq positive = {0};
        omreg_eq_output(&positive, "syn_positive_mask_f32", iw, ig, n);
        omreg_eq_reference(&positive);
        ref->syn_positive_mask_f32(omreg_backend_threads(ref, 0), a, n, iw);
        OMREG_EQ_PARALLEL(&positive) {
            par->syn_positive_mask_f32(omreg_backend_threads(par, 0), a, n, ig);
        }
        memcpy(istart, iw, n * sizeof(int));
        omreg_eq multiply = {0}; /* in place, as the driver calls it */
        omreg_eq_inout(&multiply, "syn_multiply_i32", iw, ig, istart, n);
        omreg_eq_reference(&multiply);
        ref->syn_multiply_i32(omreg_backend_threads(ref, 0), iw, lb, n, iw);
        OMREG_EQ_PARALLEL(&multiply) {
            par->syn_multiply_i32(omreg_backend_threads(par, 0), ig, lb, n, ig);
        }

        omreg_eq divide = {0};
        omreg_eq_inout(&divide, "syn_divide_spacing_f32", w, g, a, nv);
        omreg_eq_reference(&divide);
        ref->syn_divide_spacing_f32(omreg_backend_threads(ref, 0), w, n, dim, spacing);
        OMREG_EQ_PARALLEL(&divide) {
            par->syn_divide_spacing_f32(omreg_backend_threads(par, 0), g, n, dim, spacing);
        }
        memcpy(start, w, nv * sizeof(float));
        omreg_eq boundary = {0};
        omreg_eq_inout(&boundary, "syn_zero_boundary_f32", w, g, start, nv);
        omreg_eq_reference(&boundary);
        ref->syn_zero_boundary_f32(omreg_backend_threads(ref, 0), w, dim, shape);
        OMREG_EQ_PARALLEL(&boundary) {
            par->syn_zero_boundary_f32(omreg_backend_threads(par, 0), g, dim, shape);
        }
        assert_true(w[0] == 0.0f && w[nv - 1] == 0.0f);

        memcpy(start, w, nv * sizeof(float)); /* the zero-boundary field from here on */
        double mw, mg;
        omreg_eq norm = {0};
        omreg_eq_output(&norm, "syn_max_norm_f32", &mw, &mg, 1);
        omreg_eq_scratch(&norm, scratch, scratch_bytes);
        omreg_eq_reference(&norm);
        ref->syn_max_norm_f32(omreg_backend_threads(ref, 0), start, n, dim, spacing, scratch, &mw);
        OMREG_EQ_PARALLEL(&norm) {
            par->syn_max_norm_f32(omreg_backend_threads(par, 0), start, n, dim, spacing, scratch,
                                  &mg);
        }
        assert_true(mw > 0);
        omreg_eq scale = {0};
        omreg_eq_inout(&scale, "syn_scale_f32", w, g, start, nv);
        omreg_eq_reference(&scale);
        ref->syn_scale_f32(omreg_backend_threads(ref, 0), w, nv, (float)mw);
        OMREG_EQ_PARALLEL(&scale) {
            par->syn_scale_f32(omreg_backend_threads(par, 0), g, nv, (float)mg);
        }
        free(x64);
        free(a);
        free(b);
        free(w);
        free(g);
        free(start);
        free(la);
        free(lb);
        free(iw);
        free(ig);
        free(istart);
        free(scratch);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(numpy_gradient_2d_f64),
        cmocka_unit_test(numpy_gradient_2d_f32),
        cmocka_unit_test(numpy_gradient_3d_f64),
        cmocka_unit_test(numpy_gradient_3d_f32),
        cmocka_unit_test(syn_pointwise_kernels),
        cmocka_unit_test(cc_2d),
        cmocka_unit_test(ssd_2d_gauss_newton),
        cmocka_unit_test(em_2d_demons),
        cmocka_unit_test(cc_3d),
        cmocka_unit_test(cc_2d_fast),
        cmocka_unit_test(cc_3d_fast),
        cmocka_unit_test(ssd_3d_demons),
        cmocka_unit_test(em_3d_gauss_newton),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
