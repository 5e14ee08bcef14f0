/* Ordered per-level settings reach their levels (coarsest first, DIPY's
 * convention for level_iters, sigmas and factors): a 3-level run with a
 * distinct value per level, so any swap or reversal shows.
 * - affine: the progress callback reports each level's budget (max_iter)
 *   and the evaluations it spent; a zero budget must spend none;
 * - the isotropic scale space: each level's grid shape, scaling and sigmas;
 * - SyN: the progress callback's max_iter per level and the iterations each
 *   level ran (too few for opt_tol to stop a level early);
 * - the scale spaces refuse a level with an empty axis and fail cleanly
 *   when any allocation fails. */
#include "omreg_test.h"

#include <math.h>
#include <string.h>

#include "omreg/affine.h"
#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "omreg/scalespace.h"
#include "omreg/syn.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */
#include "phantom.h"

#define NLEVELS 3
/* Fewest evaluations L-BFGS-B spends in a level with a budget >= 1: the
 * first evaluation at the starting point. */
#define MIN_EVALS 1

typedef struct level_log {
    int started[NLEVELS], max_iter[NLEVELS], spent[NLEVELS], order[NLEVELS], nstarted;
} level_log;

/* a level starts: its DIPY number and budget, in the order levels run */
static void log_start(level_log *log, int level, int max_iter)
{
    assert_true(level >= 0 && level < NLEVELS && log->nstarted < NLEVELS);
    log->started[level]++;
    log->max_iter[level] = max_iter;
    log->order[log->nstarted++] = level;
}

static int affine_progress(void *ctx, const omreg_affine_progress *p)
{
    level_log *log = ctx;
    if (p->event == 1)
        log_start(log, p->level, p->max_iter);
    else if (p->event == 2)
        log->spent[p->level] = p->evaluation;
    return 0;
}

static omreg_image *blobs_2d(uint64_t seed)
{
    const size_t shape[3] = {48, 40, 1};
    return omreg_test_blobs(2, shape, NULL, seed);
}

/* level_iters[0] is the coarsest level's (DIPY level nlevels-1): budgets
 * 0 (coarsest), 25, 4 (finest); reversed, the coarsest would run. */
static void affine_level_iters_coarsest_first(void **state)
{
    (void)state;
    omreg_image *s = blobs_2d(11), *m = blobs_2d(11);
    omreg_affine_options o = omreg_affine_default_options();
    const int iters[NLEVELS] = {0, 25, 4}, factors[NLEVELS] = {4, 2, 1};
    const double sigmas[NLEVELS] = {2.0, 1.0, 0.0};
    for (int i = 0; i < NLEVELS; ++i) {
        o.level_iters[i] = iters[i];
        o.factors[i] = factors[i];
        o.sigmas[i] = sigmas[i];
    }
    level_log log;
    memset(&log, 0, sizeof log);
    o.progress = affine_progress;
    o.progress_ctx = &log;
    double start[9] = {1, 0, 1.5, 0, 1, -1.0, 0, 0, 1}; /* something to do at every level */
    omreg_affine_result r;
    assert_int_equal(omreg_affine_register(omreg_test_backend(), s, m, NULL, NULL,
                                           OMREG_TRANSFORM_TRANSLATION, NULL, start, &o, &r),
                     OMREG_OK);
    assert_int_equal(log.nstarted, NLEVELS);
    for (int i = 0; i < NLEVELS; ++i) {
        int level = NLEVELS - 1 - i; /* DIPY numbering of the i-th level run */
        assert_int_equal(log.order[i], level);
        assert_int_equal(log.started[level], 1);
        assert_int_equal(log.max_iter[level], iters[i]);
        print_message("level %d: budget %d, %d evaluations\n", level, log.max_iter[level],
                      log.spent[level]);
    }
    /* a zero budget spends nothing, the others spend something (no upper
     * bound: scipy's L-BFGS-B checks maxfun only after an iteration, whose
     * line search may take many evaluations) */
    assert_int_equal(log.spent[2], 0);
    assert_true(log.spent[1] >= MIN_EVALS);
    assert_true(log.spent[0] >= MIN_EVALS);
    assert_int_equal(r.evaluations, log.spent[1] + log.spent[0]);
    omreg_image_free(s);
    omreg_image_free(m);
}

/* factors {5, 3, 1}, sigmas {2.5, 1.25, 0.5} coarsest first: level l (DIPY
 * numbering) shrinks by factors[2 - l] and smooths with sigmas[2 - l]; on
 * a unit isotropic grid every axis shrinks by the factor (astype(int)). */
static void scale_space_settings_coarsest_first(void **state)
{
    (void)state;
    const size_t shape[3] = {61, 47, 1};
    omreg_image *img = omreg_test_blobs(2, shape, NULL, 3);
    const int factors[NLEVELS] = {5, 3, 1};
    const double sigmas[NLEVELS] = {2.5, 1.25, 0.5};
    omreg_scale_space *ss = NULL;
    assert_int_equal(omreg_scale_space_isotropic(omreg_test_backend(), img, NLEVELS, factors,
                                                 sigmas, &ss),
                     OMREG_OK);
    assert_int_equal(omreg_scale_space_levels(ss), NLEVELS);
    for (int level = 0; level < NLEVELS; ++level) {
        int i = NLEVELS - 1 - level;
        const size_t *sh = omreg_scale_space_domain_shape(ss, level);
        const double *sc = omreg_scale_space_scaling(ss, level), *sg = omreg_scale_space_sigmas(ss, level);
        print_message("level %d: %zux%zu, scaling %g, sigma %g\n", level, sh[0], sh[1], sc[0], sg[0]);
        for (int d = 0; d < 2; ++d) {
            assert_int_equal(sh[d], shape[d] / (size_t)factors[i]);
            assert_true(sc[d] == (double)factors[i]);
            assert_true(sg[d] == sigmas[i]);
        }
    }
    omreg_scale_space_free(ss);
    omreg_image_free(img);
}

static int syn_progress(void *ctx, const omreg_syn_progress *p)
{
    level_log *log = ctx;
    if (p->event == 1)
        log_start(log, p->level, p->max_iter);
    else if (p->event == 0)
        log->spent[p->level] = p->iteration; /* iterations run so far */
    return 0;
}

/* SyN level_iters {4, 1, 2} coarsest first: too few iterations for the
 * energy-derivative window to fill, so every level runs its budget. */
/* A level with an empty axis is refused (ESHAPE, *out untouched): the
 * isotropic space's floor(6 / 8) and the anisotropic one's
 * floor(6 / 2^4 + 0.5) on the short axis (floor(6 / 2^3 + 0.5) = 1 fits). Then every allocation of both
 * builds failing in turn: ENOMEM, *out untouched, until one needs no more. */
static void scale_space_refusals(void **state)
{
    (void)state;
    const size_t shape[3] = {20, 6, 10};
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, 3, shape, 1, OMREG_F64, NULL), OMREG_OK);
    omreg_test_fill_uniform_f64(omreg_image_data(img), omreg_image_voxels(img), 3u, 0.0, 1.0);
    const int factors[2] = {8, 1};
    const double sigmas[2] = {1.0, 0.0};
    omreg_scale_space *sentinel = (omreg_scale_space *)&img, *ss = sentinel;
    assert_int_equal(omreg_scale_space_isotropic(omreg_test_backend(), img, 2, factors, sigmas, &ss),
                     OMREG_ESHAPE);
    assert_non_null(strstr(omreg_last_error(), "level 1 has an empty axis 1"));
    assert_ptr_equal(ss, sentinel);
    assert_int_equal(omreg_scale_space_anisotropic(omreg_test_backend(), img, 5, 0.2, &ss),
                     OMREG_ESHAPE);
    assert_non_null(strstr(omreg_last_error(), "level 4 has an empty axis 1"));
    assert_ptr_equal(ss, sentinel);
    /* one level fewer fits */
    assert_int_equal(omreg_scale_space_anisotropic(omreg_test_backend(), img, 4, 0.2, &ss),
                     OMREG_OK);
    assert_int_equal(omreg_scale_space_domain_shape(ss, 3)[1], 1);
    omreg_scale_space_free(ss);

    const int ok_factors[2] = {2, 1};
    for (int aniso = 0; aniso < 2; ++aniso) {
        int failures = 0;
        for (long n = 1;; ++n) {
            ss = sentinel;
            long before = omreg_testing_alloc_count();
            omreg_testing_fail_alloc_at(n);
            omreg_status st =
                aniso ? omreg_scale_space_anisotropic(omreg_test_backend(), img, 2, 0.2, &ss)
                      : omreg_scale_space_isotropic(omreg_test_backend(), img, 2, ok_factors,
                                                    sigmas, &ss);
            long made = omreg_testing_alloc_count() - before;
            omreg_testing_fail_alloc_at(0);
            if (made < n) {
                assert_int_equal(st, OMREG_OK);
                assert_int_equal(omreg_scale_space_levels(ss), 2);
                omreg_scale_space_free(ss);
                break;
            }
            if (st != OMREG_ENOMEM)
                fail_msg("%s, allocation %ld failing: %s", aniso ? "anisotropic" : "isotropic",
                         n, omreg_status_str(st));
            assert_ptr_equal(ss, sentinel);
            ++failures;
        }
        assert_true(failures >= 3); /* the space and each level's image */
    }
    omreg_image_free(img);
}

static void syn_level_iters_coarsest_first(void **state)
{
    (void)state;
    const size_t shape[3] = {40, 36, 1};
    omreg_image *s = omreg_test_blobs(2, shape, NULL, 21);
    omreg_image *m = omreg_test_blobs(2, shape, NULL, 21);
    const double c[2] = {20.0, 17.0};
    omreg_test_add_blob(m, c, 3.0, 80.0); /* a difference for SyN to chase */
    omreg_syn_options o = omreg_syn_default_options(OMREG_SYN_SSD);
    const int iters[NLEVELS] = {4, 1, 2};
    for (int i = 0; i < NLEVELS; ++i)
        o.level_iters[i] = iters[i];
    level_log log;
    memset(&log, 0, sizeof log);
    o.progress = syn_progress;
    o.progress_ctx = &log;
    omreg_diffeomap *map = NULL;
    omreg_syn_info info;
    assert_int_equal(omreg_syn_register(omreg_test_backend(), s, m, NULL, &o, &map, &info),
                     OMREG_OK);
    assert_int_equal(log.nstarted, NLEVELS);
    for (int i = 0; i < NLEVELS; ++i) {
        int level = NLEVELS - 1 - i;
        print_message("level %d: budget %d, %d iterations\n", level, log.max_iter[level],
                      log.spent[level]);
        assert_int_equal(log.order[i], level);
        assert_int_equal(log.max_iter[level], iters[i]);
        assert_int_equal(log.spent[level], iters[i]);
        assert_int_equal(info.iterations[i], iters[i]);
    }
    omreg_diffeomap_free(map);
    omreg_image_free(s);
    omreg_image_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(affine_level_iters_coarsest_first),
        cmocka_unit_test(scale_space_settings_coarsest_first),
        cmocka_unit_test(scale_space_refusals),
        cmocka_unit_test(syn_level_iters_coarsest_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
