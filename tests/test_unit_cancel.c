/* A progress callback that returns non-zero cancels a registration: the
 * call returns OMREG_ECANCELED with a message, stops at once (no further
 * callback) and leaves its outputs untouched. Each event kind (affine:
 * evaluation, level start, level end; SyN: iteration, level start, level
 * end) is cancelled in turn, for the single registration, the affine
 * pipeline and SyN; a callback that always returns 0 changes nothing. */
#include "omreg_test.h"

#include <string.h>

#include "omreg/affine.h"
#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "omreg/status.h"
#include "omreg/syn.h"
#include "phantom.h"

typedef struct stopper {
    int event; /* cancel at the first report of this event */
    int calls, calls_after;
    int stopped;
} stopper;

static int stop_at(stopper *s, int event)
{
    if (s->stopped)
        s->calls_after++;
    s->calls++;
    if (event == s->event && !s->stopped) {
        s->stopped = 1;
        return 1;
    }
    return 0;
}

static int affine_stop(void *ctx, const omreg_affine_progress *p) { return stop_at(ctx, p->event); }
static int syn_stop(void *ctx, const omreg_syn_progress *p) { return stop_at(ctx, p->event); }

static omreg_image *blobs_2d(uint64_t seed)
{
    const size_t shape[3] = {40, 36, 1};
    return omreg_test_blobs(2, shape, NULL, seed);
}

static void affine_cancel_each_event(void **state)
{
    (void)state;
    omreg_image *s = blobs_2d(11), *m = blobs_2d(11);
    const double start[9] = {1, 0, 1.5, 0, 1, -1.0, 0, 0, 1};
    omreg_affine_options o = omreg_affine_default_options();
    o.level_iters[0] = 20;
    o.level_iters[1] = 10;
    o.level_iters[2] = 5;
    o.progress = affine_stop;
    for (int event = 0; event <= 2; ++event) {
        for (int pipeline = 0; pipeline <= 1; ++pipeline) {
            stopper st = {event, 0, 0, 0};
            o.progress_ctx = &st;
            omreg_affine_result r, before;
            memset(&r, 0x5a, sizeof r);
            memcpy(&before, &r, sizeof r);
            omreg_status rc;
            if (pipeline) {
                omreg_affine_pipeline_step steps[4];
                int n = 0;
                assert_int_equal(omreg_affine_pipeline_parse("com,translation,rigid", steps, 4, &n),
                                 OMREG_OK);
                rc = omreg_affine_pipeline(omreg_test_backend(), s, m, NULL, NULL, steps, n, NULL,
                                           &o, &r);
            } else {
                rc = omreg_affine_register(omreg_test_backend(), s, m, NULL, NULL,
                                           OMREG_TRANSFORM_TRANSLATION, NULL, start, &o, &r);
            }
            print_message("affine%s, cancel at event %d: %s after %d calls: %s\n",
                          pipeline ? " pipeline" : "", event, omreg_status_str(rc), st.calls,
                          omreg_last_error());
            assert_int_equal(rc, OMREG_ECANCELED);
            assert_int_equal(st.stopped, 1);
            assert_int_equal(st.calls_after, 0);
            assert_non_null(strstr(omreg_last_error(), "cancelled"));
            assert_memory_equal(&r, &before, sizeof r);
        }
    }
    /* a callback that never cancels: the same result as none */
    stopper never = {-1, 0, 0, 0};
    o.progress_ctx = &never;
    omreg_affine_result with, without;
    /* the same fill in both: a 2D result leaves the 3D entries untouched */
    memset(&with, 0x5a, sizeof with);
    memset(&without, 0x5a, sizeof without);
    assert_int_equal(omreg_affine_register(omreg_test_backend(), s, m, NULL, NULL,
                                           OMREG_TRANSFORM_TRANSLATION, NULL, start, &o, &with),
                     OMREG_OK);
    o.progress = NULL;
    assert_int_equal(omreg_affine_register(omreg_test_backend(), s, m, NULL, NULL,
                                           OMREG_TRANSFORM_TRANSLATION, NULL, start, &o, &without),
                     OMREG_OK);
    assert_true(never.calls > 0);
    assert_memory_equal(with.affine, without.affine, sizeof with.affine);
    omreg_image_free(s);
    omreg_image_free(m);
}

static void syn_cancel_each_event(void **state)
{
    (void)state;
    omreg_image *s = blobs_2d(21), *m = blobs_2d(21);
    const double c[2] = {20.0, 17.0};
    omreg_test_add_blob(m, c, 3.0, 80.0);
    omreg_syn_options o = omreg_syn_default_options(OMREG_SYN_SSD);
    o.level_iters[0] = 3;
    o.level_iters[1] = 2;
    o.level_iters[2] = 2;
    o.progress = syn_stop;
    for (int event = 0; event <= 2; ++event) {
        stopper st = {event, 0, 0, 0};
        o.progress_ctx = &st;
        omreg_diffeomap *map = (omreg_diffeomap *)&st; /* a sentinel: must stay */
        omreg_syn_info info, before;
        memset(&info, 0x5a, sizeof info);
        memcpy(&before, &info, sizeof info);
        omreg_status rc = omreg_syn_register(omreg_test_backend(), s, m, NULL, &o, &map, &info);
        print_message("SyN, cancel at event %d: %s after %d calls: %s\n", event,
                      omreg_status_str(rc), st.calls, omreg_last_error());
        assert_int_equal(rc, OMREG_ECANCELED);
        assert_int_equal(st.calls_after, 0);
        assert_non_null(strstr(omreg_last_error(), "cancelled"));
        assert_ptr_equal(map, (omreg_diffeomap *)&st);
        assert_memory_equal(&info, &before, sizeof info);
    }
    omreg_image_free(s);
    omreg_image_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(affine_cancel_each_event),
        cmocka_unit_test(syn_cancel_each_event),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
