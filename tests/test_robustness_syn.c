/* Bad input to the SyN entry points (omreg/syn.h): every call fails with
 * the documented status and a message, leaves *out and *info untouched,
 * and leaks nothing (Valgrind runs this binary). */
#include "omreg_test.h"

#include <math.h>
#include <string.h>

#include "alloc.h" /* omreg_testing_fail_alloc_at */
#include "image_internal.h"
#include "omreg/diffeomap.h"
#include "omreg/syn.h"

static omreg_image *ramp(int dim, const size_t *shape, int ncomp, omreg_dtype dtype)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, ncomp, dtype, NULL), OMREG_OK);
    const size_t n = omreg_image_voxels(img) * (size_t)ncomp;
    for (size_t v = 0; v < n; ++v) {
        const double x = 1.0 + (double)(v % 7) + 0.01 * (double)v;
        if (dtype == OMREG_F64)
            ((double *)img->data)[v] = x;
        else
            ((float *)img->data)[v] = (float)x;
    }
    return img;
}

#define SENTINEL ((omreg_diffeomap *)0x1)

static void expect(omreg_status want, const omreg_image *s, const omreg_image *m,
                   const double *prealign, const omreg_syn_options *o)
{
    omreg_diffeomap *map = SENTINEL;
    omreg_syn_info info;
    memset(&info, 0x5A, sizeof info);
    omreg_syn_info before = info;
    omreg_clear_error();
    omreg_status st = omreg_syn_register(omreg_backend_reference(), s, m, prealign, o, &map,
                                         &info);
    if (st != want)
        fail_msg("status %s, want %s (%s)", omreg_status_str(st), omreg_status_str(want),
                 omreg_last_error());
    assert_true(omreg_last_error()[0] != '\0');
    assert_ptr_equal(map, SENTINEL);
    assert_memory_equal(&info, &before, sizeof info);
}

static void null_arguments(void **state)
{
    (void)state;
    const size_t shape[2] = {24, 24};
    omreg_image *s = ramp(2, shape, 1, OMREG_F64);
    omreg_syn_options o = omreg_syn_default_options(OMREG_SYN_SSD);
    omreg_diffeomap *map = NULL;
    assert_int_equal(omreg_syn_register(NULL, s, s, NULL, &o, &map, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_syn_register(omreg_backend_reference(), s, s, NULL, &o, NULL, NULL),
                     OMREG_EINVAL);
    expect(OMREG_EINVAL, NULL, s, NULL, &o);
    expect(OMREG_EINVAL, s, NULL, NULL, &o);
    expect(OMREG_EINVAL, s, s, NULL, NULL);
    assert_null(map);
    omreg_image_free(s);
}

static void bad_images(void **state)
{
    (void)state;
    const size_t shape2[2] = {24, 24}, shape3[3] = {12, 12, 12};
    omreg_image *s = ramp(2, shape2, 1, OMREG_F64), *s3 = ramp(3, shape3, 1, OMREG_F64);
    omreg_image *field = ramp(2, shape2, 2, OMREG_F64), *f32 = ramp(2, shape2, 1, OMREG_F32);
    omreg_syn_options o = omreg_syn_default_options(OMREG_SYN_SSD);
    o.nlevels = 2;
    expect(OMREG_ESHAPE, s, s3, NULL, &o);    /* 2D vs 3D */
    expect(OMREG_ESHAPE, field, s, NULL, &o); /* a field */
    expect(OMREG_ESHAPE, s, field, NULL, &o);

    omreg_image *nan = ramp(2, shape2, 1, OMREG_F64), *inf = ramp(2, shape2, 1, OMREG_F32);
    ((double *)nan->data)[17] = NAN;
    ((float *)inf->data)[3] = INFINITY;
    expect(OMREG_ENONFINITE, nan, s, NULL, &o);
    expect(OMREG_ENONFINITE, s, inf, NULL, &o);
    omreg_image *flat = NULL;
    assert_int_equal(omreg_image_create(&flat, 2, shape2, 1, OMREG_F64, NULL), OMREG_OK);
    expect(OMREG_ENONFINITE, s, flat, NULL, &o); /* constant: cannot be normalised */
    expect(OMREG_ENONFINITE, f32, flat, NULL, &o);

    /* grids too small: CC radius 4 needs 9 voxels per axis at every level */
    omreg_syn_options cc = omreg_syn_default_options(OMREG_SYN_CC);
    cc.nlevels = 3;
    expect(OMREG_ESHAPE, s, s, NULL, &cc); /* 24 -> 12 -> 6 */
    const size_t thin[2] = {24, 1};
    omreg_image *line = ramp(2, thin, 1, OMREG_F64);
    expect(OMREG_ESHAPE, line, line, NULL, &o); /* numpy.gradient needs 2 voxels */
    omreg_image_free(nan);
    omreg_image_free(inf);
    omreg_image_free(flat);
    omreg_image_free(line);
    omreg_image_free(s);
    omreg_image_free(s3);
    omreg_image_free(field);
    omreg_image_free(f32);
}

static void bad_prealign(void **state)
{
    (void)state;
    const size_t shape[2] = {24, 24};
    omreg_image *s = ramp(2, shape, 1, OMREG_F64);
    omreg_syn_options o = omreg_syn_default_options(OMREG_SYN_SSD);
    o.nlevels = 2;
    double p[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    p[4] = NAN;
    expect(OMREG_ENONFINITE, s, s, p, &o);
    p[4] = 0; /* singular */
    expect(OMREG_ESINGULAR, s, s, p, &o);
    p[4] = 1;
    p[6] = 0.5; /* not an affine */
    expect(OMREG_ESINGULAR, s, s, p, &o);
    omreg_image_free(s);
}

static void bad_options(void **state)
{
    (void)state;
    const size_t shape[2] = {24, 24};
    omreg_image *s = ramp(2, shape, 1, OMREG_F64);
    const omreg_syn_options base = omreg_syn_default_options(OMREG_SYN_EM);
    omreg_syn_options o;
#define BAD(field, value)                                                                      \
    do {                                                                                       \
        o = base;                                                                              \
        o.nlevels = 2;                                                                         \
        o.field = value;                                                                       \
        expect(OMREG_EINVAL, s, s, NULL, &o);                                                  \
    } while (0)
    BAD(nlevels, 0);
    BAD(nlevels, OMREG_SYN_MAX_LEVELS + 1);
    BAD(level_iters[1], -1);
    BAD(step_length, 0.0);
    BAD(step_length, INFINITY);
    BAD(ss_sigma_factor, -0.1);
    BAD(opt_tol, NAN);
    BAD(inv_iter, -1);
    BAD(inv_tol, NAN);
    BAD(metric.type, OMREG_SYN_METRIC_COUNT);
    BAD(metric.step_type, OMREG_SYN_STEP_TYPE_COUNT);
    BAD(metric.smooth, -1.0);
    BAD(metric.inner_iter, -1);
    BAD(metric.q_levels, 1);
    o = omreg_syn_default_options(OMREG_SYN_CC);
    o.metric.radius = 0;
    expect(OMREG_EINVAL, s, s, NULL, &o);
    o = omreg_syn_default_options(OMREG_SYN_CC);
    o.metric.sigma_diff = NAN;
    expect(OMREG_EINVAL, s, s, NULL, &o);
#undef BAD
    omreg_syn_metric_type t = OMREG_SYN_SSD;
    omreg_syn_step_type k = OMREG_SYN_STEP_DEMONS;
    assert_int_equal(omreg_syn_metric_from_name("mi", &t), OMREG_EINVAL);
    assert_int_equal(t, OMREG_SYN_SSD);
    assert_int_equal(omreg_syn_metric_from_name("EM", &t), OMREG_OK);
    assert_int_equal(t, OMREG_SYN_EM);
    assert_int_equal(omreg_syn_step_type_from_name("newton", &k), OMREG_EINVAL);
    assert_int_equal(omreg_syn_step_type_from_name("Gauss_Newton", &k), OMREG_OK);
    assert_int_equal(k, OMREG_SYN_STEP_GAUSS_NEWTON);
    omreg_image_free(s);
}

static void numpy_gradient_input(void **state)
{
    (void)state;
    const size_t shape[3] = {4, 1, 5}, ok[2] = {2, 3};
    omreg_image *thin = ramp(3, shape, 1, OMREG_F32), *field = ramp(2, ok, 2, OMREG_F64);
    omreg_image *out = NULL;
    assert_int_equal(omreg_numpy_gradient(omreg_backend_reference(), thin, &out), OMREG_ESHAPE);
    assert_int_equal(omreg_numpy_gradient(omreg_backend_reference(), field, &out), OMREG_ESHAPE);
    assert_int_equal(omreg_numpy_gradient(NULL, field, &out), OMREG_EINVAL);
    assert_int_equal(omreg_numpy_gradient(omreg_backend_reference(), NULL, &out), OMREG_EINVAL);
    assert_null(out);
    /* the smallest valid grid: one-sided differences only */
    omreg_image *two = ramp(2, ok, 1, OMREG_F64);
    assert_int_equal(omreg_numpy_gradient(omreg_backend_parallel(), two, &out), OMREG_OK);
    const double *x = two->data, *g = out->data;
    assert_true(g[0] == x[3] - x[0] && g[1] == x[1] - x[0]);          /* voxel (0, 0) */
    assert_true(g[2 * 4] == x[4] - x[1] && g[2 * 4 + 1] == (x[5] - x[3]) / 2); /* (1, 1) */
    omreg_image_free(out);
    omreg_image_free(two);
    omreg_image_free(thin);
    omreg_image_free(field);
}

/* Each allocation of a small registration failing in turn (test hook):
 * OMREG_ENOMEM, *out and *info untouched, until a run needs no more; that
 * run gives the unhooked run's map, bit for bit (a failed run leaves no
 * state behind). Every metric, and SSD's Gauss-Newton V-cycle, 2D and 3D. */
static void allocation_failures(void **state)
{
    (void)state;
    const size_t s2[2] = {20, 18}, s3[3] = {12, 11, 10};
    const struct {
        omreg_syn_metric_type metric;
        omreg_syn_step_type step;
        int dim;
    } cases[] = {
        {OMREG_SYN_CC, OMREG_SYN_STEP_DEMONS, 2},         {OMREG_SYN_SSD, OMREG_SYN_STEP_DEMONS, 2},
        {OMREG_SYN_SSD, OMREG_SYN_STEP_GAUSS_NEWTON, 2},  {OMREG_SYN_EM, OMREG_SYN_STEP_GAUSS_NEWTON, 2},
        {OMREG_SYN_SSD, OMREG_SYN_STEP_GAUSS_NEWTON, 3},  {OMREG_SYN_CC, OMREG_SYN_STEP_DEMONS, 3},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
        const size_t *shape = cases[c].dim == 2 ? s2 : s3;
        omreg_image *st = ramp(cases[c].dim, shape, 1, OMREG_F64);
        omreg_image *mv = ramp(cases[c].dim, shape, 1, OMREG_F64);
        double *m = mv->data;
        for (size_t v = 0; v < omreg_image_voxels(mv); ++v)
            m[v] += 0.5 * sin(0.3 * (double)v);
        omreg_syn_options o = omreg_syn_default_options(cases[c].metric);
        o.metric.step_type = cases[c].step;
        o.nlevels = 2;
        o.level_iters[0] = 2;
        o.level_iters[1] = 2;
        o.threads = 1;
        o.metric.radius = 2; /* CC's window fits the coarse 3D grid */
        omreg_diffeomap *want = NULL;
        omreg_status r0 = omreg_syn_register(omreg_backend_reference(), st, mv, NULL, &o, &want,
                                             NULL);
        if (r0 != OMREG_OK)
            fail_msg("case %zu: %s (%s)", c, omreg_status_str(r0), omreg_last_error());
        int failures = 0;
        for (long n = 1;; ++n) {
            omreg_diffeomap *map = SENTINEL;
            omreg_syn_info info, before;
            memset(&info, 0x5A, sizeof info);
            before = info;
            long count = omreg_testing_alloc_count();
            omreg_testing_fail_alloc_at(n);
            omreg_status r = omreg_syn_register(omreg_backend_reference(), st, mv, NULL, &o,
                                                &map, &info);
            long made = omreg_testing_alloc_count() - count;
            omreg_testing_fail_alloc_at(0);
            if (made < n) { /* the hook did not fire */
                if (r != OMREG_OK)
                    fail_msg("case %zu, %ld allocations: %s (%s)", c, made, omreg_status_str(r),
                             omreg_last_error());
                const omreg_image *got = omreg_diffeomap_forward(map);
                const omreg_image *ref = omreg_diffeomap_forward(want);
                assert_true(omreg_test_same_f32("forward field", got->data, ref->data,
                                                omreg_image_voxels(ref) * (size_t)ref->ncomp));
                omreg_diffeomap_free(map);
                break;
            }
            if (r != OMREG_ENOMEM)
                fail_msg("case %zu, allocation %ld failing: %s (%s)", c, n, omreg_status_str(r),
                         omreg_last_error());
            assert_ptr_equal(map, SENTINEL);
            assert_memory_equal(&info, &before, sizeof info);
            ++failures;
        }
        assert_true(failures >= 10);
        omreg_diffeomap_free(want);
        omreg_image_free(st);
        omreg_image_free(mv);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(null_arguments), cmocka_unit_test(bad_images),
        cmocka_unit_test(bad_prealign),   cmocka_unit_test(bad_options),
        cmocka_unit_test(numpy_gradient_input), cmocka_unit_test(allocation_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
