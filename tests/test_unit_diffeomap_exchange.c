/* The owning setters omreg_diffeomap_exchange_{forward,backward}
 * (include/omreg/diffeomap.h), which the SyN driver uses instead of the
 * copying setters: the map takes the caller's image itself (same pointer,
 * no copy); the old field comes back to the caller when the map was its
 * only owner and stays with the other maps when it was shared; a refused
 * field (shape, components, NULL) leaves the map and the caller's image as
 * they were; an allocation failure (a shared old field needs a new record)
 * leaves both too. No NaN appears. */
#include "omreg_test.h"

#include <stdint.h>
#include <string.h>

#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */

static const size_t S3[3] = {4, 5, 3};
static const double G3[16] = {2, 0, 0, -1, 0, 2, 0, 3, 0, 0, 2, 0.5, 0, 0, 0, 1};

static omreg_diffeomap *new_map(void)
{
    omreg_diffeomap *m = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, G3, S3, G3, S3, G3, NULL, &m), OMREG_OK);
    assert_int_equal(omreg_diffeomap_allocate(m, OMREG_F32), OMREG_OK);
    return m;
}

static omreg_image *new_field(const size_t *shape, int ncomp, float value)
{
    omreg_image *f = NULL;
    assert_int_equal(omreg_image_create(&f, 3, shape, ncomp, OMREG_F32, G3), OMREG_OK);
    float *d = omreg_image_data(f);
    for (size_t i = 0; i < omreg_image_voxels(f) * (size_t)ncomp; ++i)
        d[i] = value + (float)i;
    return f;
}

static void exchange_unshared_returns_old(void **state)
{
    (void)state;
    omreg_diffeomap *m = new_map();
    for (int backward = 0; backward < 2; ++backward) {
        const omreg_image *old = backward ? omreg_diffeomap_backward(m) : omreg_diffeomap_forward(m);
        omreg_image *f = new_field(S3, 3, 1.5f), *mine = f;
        omreg_status st = backward ? omreg_diffeomap_exchange_backward(m, &f)
                                   : omreg_diffeomap_exchange_forward(m, &f);
        assert_int_equal(st, OMREG_OK);
        /* stored without a copy, the old field handed back */
        assert_ptr_equal(backward ? omreg_diffeomap_backward(m) : omreg_diffeomap_forward(m),
                         mine);
        assert_ptr_equal(f, old);
        /* the other slot is untouched */
        assert_ptr_not_equal(backward ? omreg_diffeomap_forward(m) : omreg_diffeomap_backward(m),
                             mine);
        omreg_image_free(f);
    }
    omreg_diffeomap_free(m); /* frees both adopted fields (valgrind checks) */
}

static void exchange_shared_keeps_old_with_others(void **state)
{
    (void)state;
    omreg_diffeomap *m = new_map(), *inv = NULL;
    assert_int_equal(omreg_diffeomap_inverse(m, &inv), OMREG_OK);
    const omreg_image *old = omreg_diffeomap_forward(m);
    omreg_image *f = new_field(S3, 3, -2.0f), *mine = f;
    assert_int_equal(omreg_diffeomap_exchange_forward(m, &f), OMREG_OK);
    assert_null(f); /* shared: not the caller's */
    assert_ptr_equal(omreg_diffeomap_forward(m), mine);
    assert_ptr_equal(omreg_diffeomap_forward(inv), old); /* the inverse keeps the old one */
    omreg_diffeomap_free(m);
    /* the old field outlives m in its inverse, the new one died with m */
    assert_ptr_equal(omreg_diffeomap_forward(inv), old);
    omreg_diffeomap_free(inv);
}

static void exchange_refused_leaves_everything(void **state)
{
    (void)state;
    omreg_diffeomap *m = new_map();
    const omreg_image *old = omreg_diffeomap_forward(m);
    const size_t bad_shape[3] = {4, 5, 4};
    omreg_image *f = new_field(bad_shape, 3, 0.0f), *mine = f;
    assert_int_equal(omreg_diffeomap_exchange_forward(m, &f), OMREG_ESHAPE);
    assert_ptr_equal(f, mine);
    assert_ptr_equal(omreg_diffeomap_forward(m), old);
    omreg_image_free(f);
    f = new_field(S3, 1, 0.0f); /* a scalar image, not a field */
    mine = f;
    assert_int_equal(omreg_diffeomap_exchange_backward(m, &f), OMREG_ESHAPE);
    assert_ptr_equal(f, mine);
    omreg_image_free(f);
    f = NULL;
    assert_int_equal(omreg_diffeomap_exchange_forward(m, &f), OMREG_EINVAL);
    assert_int_equal(omreg_diffeomap_exchange_forward(m, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_diffeomap_exchange_forward(NULL, &f), OMREG_EINVAL);
    assert_ptr_equal(omreg_diffeomap_forward(m), old);
    omreg_diffeomap_free(m);
}

static void exchange_alloc_failure_leaves_everything(void **state)
{
    (void)state;
    omreg_diffeomap *m = new_map(), *inv = NULL;
    assert_int_equal(omreg_diffeomap_inverse(m, &inv), OMREG_OK);
    const omreg_image *old = omreg_diffeomap_backward(m);
    omreg_image *f = new_field(S3, 3, 3.0f), *mine = f;
    omreg_testing_fail_alloc_at(1); /* the shared field's new record */
    omreg_status st = omreg_diffeomap_exchange_backward(m, &f);
    omreg_testing_fail_alloc_at(0);
    assert_int_equal(st, OMREG_ENOMEM);
    assert_ptr_equal(f, mine);
    assert_ptr_equal(omreg_diffeomap_backward(m), old);
    omreg_image_free(f);
    omreg_diffeomap_free(inv);
    omreg_diffeomap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exchange_unshared_returns_old),
        cmocka_unit_test(exchange_shared_keeps_old_with_others),
        cmocka_unit_test(exchange_refused_leaves_everything),
        cmocka_unit_test(exchange_alloc_failure_leaves_everything),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
