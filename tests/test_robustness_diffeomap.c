/* Bad input to the diffeomorphic map (include/omreg/diffeomap.h): every
 * documented status with a message, outputs and the map untouched on
 * failure, allocation failures injected at every allocation of every
 * method (omreg_testing_fail_alloc_at) with nothing leaked (valgrind runs
 * this binary), the ownership rules (fields shared by inverse and shallow
 * copies outlive the map they came from), and DIPY's None semantics kept
 * apart from the identity (the 'identity' tag, the out-of-bounds read DIPY
 * would do with every index affine None, which omreg refuses).
 * NaN policy: NaN and Inf appear only as the rejected inputs. */
#include "omreg_test.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */
#include "omreg/warp.h"

#define SENT_IMG ((omreg_image *)(uintptr_t)0x1234)
#define SENT_MAP ((omreg_diffeomap *)(uintptr_t)0x5678)

static const omreg_backend *be;

static const size_t S3[3] = {5, 6, 4}, D3[3] = {6, 5, 5}, C3[3] = {4, 6, 5};
static const double G3[16] = {1.9, 0.2, -0.1, -3.0, -0.15, 2.1, 0.12, 2.0,
                              0.1, -0.08, 2.05, -1.0, 0, 0, 0, 1};
static const double P3[16] = {0.99, -0.05, 0.03, 1.2, 0.04, 1.01, -0.06, -0.8,
                              -0.02, 0.07, 0.98, 0.6, 0, 0, 0, 1};

static int setup(void **state)
{
    (void)state;
    be = omreg_test_backend();
    return 0;
}

#define EXPECT(status, call)                                                                   \
    do {                                                                                       \
        omreg_clear_error();                                                                   \
        assert_int_equal((call), (status));                                                    \
        assert_true(omreg_last_error()[0] != '\0');                                            \
    } while (0)

static omreg_diffeomap *map3(omreg_dtype dt)
{
    omreg_diffeomap *m = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, G3, D3, P3, C3, G3, P3, &m), OMREG_OK);
    assert_int_equal(omreg_diffeomap_allocate(m, dt), OMREG_OK);
    /* non-zero fields: a constant displacement */
    for (int k = 0; k < 2; ++k) {
        omreg_image *f = NULL;
        assert_int_equal(omreg_image_create(&f, 3, S3, 3, dt, NULL), OMREG_OK);
        size_t n = omreg_image_voxels(f) * 3;
        if (dt == OMREG_F64)
            omreg_test_fill_uniform_f64(omreg_image_data(f), n, 7 + (uint64_t)k, -2, 2);
        else
            omreg_test_fill_uniform_f32(omreg_image_data(f), n, 7 + (uint64_t)k, -2, 2);
        assert_int_equal(k == 0 ? omreg_diffeomap_set_forward(m, f)
                                : omreg_diffeomap_set_backward(m, f),
                         OMREG_OK);
        omreg_image_free(f);
    }
    return m;
}

static omreg_image *scalar(int dim, const size_t *shape, omreg_dtype dt)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, 1, dt, NULL), OMREG_OK);
    if (dt == OMREG_F64)
        omreg_test_fill_uniform_f64(omreg_image_data(img), omreg_image_voxels(img), 3, 0, 9);
    else
        omreg_test_fill_uniform_f32(omreg_image_data(img), omreg_image_voxels(img), 3, 0, 9);
    return img;
}

static void create_bad_input(void **state)
{
    (void)state;
    omreg_diffeomap *m = SENT_MAP;
    double nan_m[16], sing[16], lastrow[16];
    memcpy(nan_m, G3, sizeof nan_m);
    nan_m[5] = NAN;
    memcpy(sing, G3, sizeof sing);
    for (int c = 0; c < 4; ++c)
        sing[4 + c] = 2 * sing[c]; /* row 1 = 2 row 0 */
    memcpy(lastrow, G3, sizeof lastrow);
    lastrow[12] = 0.5;
    const size_t zero[3] = {5, 0, 4}, big[3] = {5, (size_t)INT_MAX + 1, 4};
    const size_t huge[3] = {INT_MAX, INT_MAX, INT_MAX};

    EXPECT(OMREG_EINVAL, omreg_diffeomap_create(3, S3, NULL, NULL, NULL, NULL, NULL, NULL, NULL));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_create(3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, &m));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_create(1, S3, NULL, NULL, NULL, NULL, NULL, NULL, &m));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_create(4, S3, NULL, NULL, NULL, NULL, NULL, NULL, &m));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_create(3, zero, NULL, NULL, NULL, NULL, NULL, NULL, &m));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_create(3, S3, NULL, zero, NULL, NULL, NULL, NULL, &m));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_create(3, S3, NULL, NULL, NULL, zero, NULL, NULL, &m));
    EXPECT(OMREG_EOVERFLOW, omreg_diffeomap_create(3, big, NULL, NULL, NULL, NULL, NULL, NULL, &m));
    EXPECT(OMREG_EOVERFLOW,
           omreg_diffeomap_create(3, huge, NULL, NULL, NULL, NULL, NULL, NULL, &m));
    const double *bad[3] = {nan_m, sing, lastrow};
    const omreg_status want[3] = {OMREG_ENONFINITE, OMREG_ESINGULAR, OMREG_ESINGULAR};
    for (int k = 0; k < 3; ++k) {
        EXPECT(want[k], omreg_diffeomap_create(3, S3, bad[k], NULL, NULL, NULL, NULL, NULL, &m));
        EXPECT(want[k], omreg_diffeomap_create(3, S3, NULL, NULL, bad[k], NULL, NULL, NULL, &m));
        EXPECT(want[k], omreg_diffeomap_create(3, S3, NULL, NULL, NULL, NULL, bad[k], NULL, &m));
        EXPECT(want[k], omreg_diffeomap_create(3, S3, NULL, NULL, NULL, NULL, NULL, bad[k], &m));
    }
    assert_ptr_equal(m, SENT_MAP);

    /* defaults: domain <- disp, codomain <- domain; the identity tag is None */
    assert_int_equal(omreg_diffeomap_create(2, S3, OMREG_DIFFEOMAP_IDENTITY, NULL, NULL, NULL,
                                            NULL, NULL, &m),
                     OMREG_OK);
    assert_memory_equal(omreg_diffeomap_shape(m, OMREG_DM_DOMAIN), S3, 2 * sizeof(size_t));
    assert_memory_equal(omreg_diffeomap_shape(m, OMREG_DM_CODOMAIN), S3, 2 * sizeof(size_t));
    assert_null(omreg_diffeomap_matrix_get(m, OMREG_DM_DISP_GRID2WORLD));
    assert_null(omreg_diffeomap_forward(m));
    assert_null(omreg_diffeomap_get_backward_field(m));
    assert_null(omreg_diffeomap_shape(m, OMREG_DM_GRID_COUNT));
    assert_null(omreg_diffeomap_matrix_get(m, OMREG_DM_MATRIX_COUNT));
    omreg_diffeomap_free(m);
    m = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, NULL, NULL, NULL, C3, NULL, NULL, &m),
                     OMREG_OK);
    assert_memory_equal(omreg_diffeomap_shape(m, OMREG_DM_DOMAIN), S3, 3 * sizeof(size_t));
    assert_memory_equal(omreg_diffeomap_shape(m, OMREG_DM_CODOMAIN), C3, 3 * sizeof(size_t));
    omreg_diffeomap_free(m);

    /* NULL accessors */
    assert_int_equal(omreg_diffeomap_dim(NULL), 0);
    assert_int_equal(omreg_diffeomap_is_inverse(NULL), 0);
    assert_null(omreg_diffeomap_shape(NULL, OMREG_DM_DISP));
    assert_null(omreg_diffeomap_matrix_get(NULL, OMREG_DM_PREALIGN));
    assert_null(omreg_diffeomap_forward(NULL));
    assert_null(omreg_diffeomap_backward(NULL));
    assert_null(omreg_diffeomap_get_forward_field(NULL));
    assert_null(omreg_diffeomap_get_backward_field(NULL));
    omreg_diffeomap_free(NULL);

    /* allocation failure */
    m = SENT_MAP;
    omreg_testing_fail_alloc_at(1);
    EXPECT(OMREG_ENOMEM, omreg_diffeomap_create(3, S3, G3, D3, G3, C3, G3, P3, &m));
    omreg_testing_fail_alloc_at(0);
    assert_ptr_equal(m, SENT_MAP);
}

static void fields_bad_input(void **state)
{
    (void)state;
    omreg_diffeomap *m = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, G3, NULL, NULL, NULL, NULL, NULL, &m),
                     OMREG_OK);
    EXPECT(OMREG_EINVAL, omreg_diffeomap_allocate(NULL, OMREG_F32));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_allocate(m, (omreg_dtype)7));
    omreg_image *f2 = NULL, *fs = NULL, *fsc = NULL, *ok = NULL;
    const size_t s2[2] = {5, 6}, other[3] = {5, 6, 5};
    assert_int_equal(omreg_image_create(&f2, 2, s2, 2, OMREG_F32, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&fs, 3, other, 3, OMREG_F32, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&fsc, 3, S3, 1, OMREG_F32, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&ok, 3, S3, 3, OMREG_F64, NULL), OMREG_OK);
    EXPECT(OMREG_EINVAL, omreg_diffeomap_set_forward(NULL, ok));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_set_forward(m, f2));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_set_backward(m, fs));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_set_backward(m, fsc));
    assert_null(omreg_diffeomap_forward(m));
    /* set copies; NULL unsets */
    assert_int_equal(omreg_diffeomap_set_forward(m, ok), OMREG_OK);
    assert_ptr_not_equal(omreg_diffeomap_forward(m), ok);
    assert_int_equal(omreg_image_dtype(omreg_diffeomap_forward(m)), OMREG_F64);
    assert_int_equal(omreg_diffeomap_set_forward(m, NULL), OMREG_OK);
    assert_null(omreg_diffeomap_forward(m));
    /* allocate: zero fields on the disp grid with its grid2world */
    assert_int_equal(omreg_diffeomap_allocate(m, OMREG_F32), OMREG_OK);
    const omreg_image *f = omreg_diffeomap_forward(m);
    assert_int_equal(omreg_image_dtype(f), OMREG_F32);
    assert_memory_equal(omreg_image_grid2world(f), G3, sizeof G3);
    for (size_t i = 0; i < omreg_image_voxels(f) * 3; ++i)
        assert_true(((const float *)omreg_image_cdata(f))[i] == 0.0f);
    /* allocation failures leave the fields as they were */
    for (long k = 1; k <= 3; ++k) {
        const omreg_image *before = omreg_diffeomap_forward(m);
        omreg_testing_fail_alloc_at(k);
        EXPECT(OMREG_ENOMEM, omreg_diffeomap_allocate(m, OMREG_F64));
        omreg_testing_fail_alloc_at(k);
        EXPECT(OMREG_ENOMEM, omreg_diffeomap_set_backward(m, ok));
        omreg_testing_fail_alloc_at(0);
        assert_ptr_equal(omreg_diffeomap_forward(m), before);
        assert_int_equal(omreg_image_dtype(omreg_diffeomap_backward(m)), OMREG_F32);
    }
    omreg_image_free(f2);
    omreg_image_free(fs);
    omreg_image_free(fsc);
    omreg_image_free(ok);
    omreg_diffeomap_free(m);
}

static void transform_bad_input(void **state)
{
    (void)state;
    omreg_diffeomap *m = map3(OMREG_F32), *empty = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, G3, D3, G3, C3, G3, P3, &empty), OMREG_OK);
    omreg_image *img = scalar(3, C3, OMREG_F32), *img2 = NULL, *fld = NULL, *out = SENT_IMG;
    const size_t s2[2] = {4, 6}, zero[3] = {3, 0, 3};
    assert_int_equal(omreg_image_create(&img2, 2, s2, 1, OMREG_F32, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&fld, 3, C3, 3, OMREG_F32, NULL), OMREG_OK);
    double nan_m[16], sing[16];
    memcpy(nan_m, G3, sizeof nan_m);
    nan_m[0] = INFINITY;
    memset(sing, 0, sizeof sing);
    sing[15] = 1;
    const omreg_warp_interp L = OMREG_WARP_LINEAR;
    for (int inv = 0; inv < 2; ++inv) {
#define T(...)                                                                                 \
    (inv ? omreg_diffeomap_transform_inverse(__VA_ARGS__) : omreg_diffeomap_transform(__VA_ARGS__))
        EXPECT(OMREG_EINVAL, T(NULL, m, img, L, NULL, NULL, NULL, &out));
        EXPECT(OMREG_EINVAL, T(be, NULL, img, L, NULL, NULL, NULL, &out));
        EXPECT(OMREG_EINVAL, T(be, m, NULL, L, NULL, NULL, NULL, &out));
        EXPECT(OMREG_EINVAL, T(be, m, img, L, NULL, NULL, NULL, NULL));
        EXPECT(OMREG_EINVAL, T(be, m, img, (omreg_warp_interp)5, NULL, NULL, NULL, &out));
        EXPECT(OMREG_EINVAL, T(be, empty, img, L, NULL, NULL, NULL, &out));
        EXPECT(OMREG_ESHAPE, T(be, m, img2, L, NULL, NULL, NULL, &out));
        EXPECT(OMREG_ESHAPE, T(be, m, fld, L, NULL, NULL, NULL, &out));
        EXPECT(OMREG_ESHAPE, T(be, m, img, L, NULL, zero, NULL, &out));
        EXPECT(OMREG_ENONFINITE, T(be, m, img, L, nan_m, NULL, NULL, &out));
        EXPECT(OMREG_ENONFINITE, T(be, m, img, L, NULL, NULL, nan_m, &out));
        EXPECT(OMREG_ESINGULAR, T(be, m, img, L, sing, NULL, NULL, &out));
        EXPECT(OMREG_ESINGULAR, T(be, m, img, L, NULL, NULL, sing, &out));
        /* every allocation (image conversion, output) can fail; nothing leaks */
        omreg_image *img64 = scalar(3, C3, OMREG_F64);
        long k = 1;
        for (;; ++k) {
            omreg_testing_fail_alloc_at(k);
            omreg_status st = T(be, m, img64, L, NULL, NULL, NULL, &out);
            omreg_testing_fail_alloc_at(0);
            if (st == OMREG_OK)
                break;
            assert_int_equal(st, OMREG_ENOMEM);
            assert_ptr_equal(out, SENT_IMG);
        }
        assert_true(k >= 3); /* the f32 copy, the output image and its header */
        assert_int_equal(omreg_image_dtype(out), OMREG_F32);
        omreg_image_free(out);
        out = SENT_IMG;
        omreg_image_free(img64);
#undef T
    }
    assert_ptr_equal(out, SENT_IMG);

    /* every index affine None and 'identity' S: DIPY reads the field at the
     * output voxels, past its end when out_shape is larger; omreg refuses */
    omreg_diffeomap *none = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, NULL, NULL, NULL, NULL, NULL, NULL, &none),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_allocate(none, OMREG_F32), OMREG_OK);
    const size_t larger[3] = {6, 6, 4};
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_transform(be, none, img, L, NULL, larger, NULL, &out));
    assert_ptr_equal(out, SENT_IMG);
    /* with 'identity' but a disp affine, the field is interpolated: fine */
    assert_int_equal(omreg_diffeomap_transform(be, m, img, L, OMREG_DIFFEOMAP_IDENTITY, larger,
                                               OMREG_DIFFEOMAP_IDENTITY, &out),
                     OMREG_OK);
    /* its grid2world is the identity (S = None) */
    const double eye[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    assert_memory_equal(omreg_image_grid2world(out), eye, sizeof eye);
    omreg_image_free(out);
    /* the identity tag outside this header is rejected as non-finite */
    omreg_image *w = SENT_IMG;
    EXPECT(OMREG_ENONFINITE,
           omreg_warp(be, img, omreg_diffeomap_forward(m), OMREG_DIFFEOMAP_IDENTITY, NULL, NULL,
                      NULL, L, &w));
    assert_ptr_equal(w, SENT_IMG);

    omreg_diffeomap_free(none);
    omreg_diffeomap_free(m);
    omreg_diffeomap_free(empty);
    omreg_image_free(img);
    omreg_image_free(img2);
    omreg_image_free(fld);
}

static void points_bad_input(void **state)
{
    (void)state;
    omreg_diffeomap *m = map3(OMREG_F32), *empty = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, G3, NULL, NULL, NULL, NULL, NULL, &empty),
                     OMREG_OK);
    double pts[12] = {1, 2, 3, 0.5, 1.5, 2.5, -1, 0, 4, 2, 2, 2}, out[12], buf[13];
    double nan_m[16];
    memcpy(nan_m, G3, sizeof nan_m);
    nan_m[3] = NAN;
    for (int inv = 0; inv < 2; ++inv) {
#define P(...)                                                                                 \
    (inv ? omreg_diffeomap_transform_points_inverse(__VA_ARGS__)                               \
         : omreg_diffeomap_transform_points(__VA_ARGS__))
        memset(out, 0x5A, sizeof out);
        EXPECT(OMREG_EINVAL, P(NULL, m, pts, 4, NULL, NULL, out));
        EXPECT(OMREG_EINVAL, P(be, NULL, pts, 4, NULL, NULL, out));
        EXPECT(OMREG_EINVAL, P(be, empty, pts, 4, NULL, NULL, out));
        EXPECT(OMREG_EINVAL, P(be, m, NULL, 4, NULL, NULL, out));
        EXPECT(OMREG_EINVAL, P(be, m, pts, 4, NULL, NULL, NULL));
        EXPECT(OMREG_ENONFINITE, P(be, m, pts, 4, nan_m, NULL, out));
        EXPECT(OMREG_ENONFINITE, P(be, m, pts, 4, NULL, nan_m, out));
        memcpy(buf, pts, sizeof pts);
        EXPECT(OMREG_EINVAL, P(be, m, buf, 4, NULL, NULL, buf + 1)); /* partial overlap */
        for (size_t i = 0; i < sizeof out; ++i)
            assert_int_equal(((unsigned char *)out)[i], 0x5A);
        assert_int_equal(P(be, m, NULL, 0, NULL, NULL, NULL), OMREG_OK); /* n = 0 */
        /* the identity tag means None here */
        double a[12], b[12];
        assert_int_equal(P(be, m, pts, 4, NULL, NULL, a), OMREG_OK);
        assert_int_equal(P(be, m, pts, 4, OMREG_DIFFEOMAP_IDENTITY, OMREG_DIFFEOMAP_IDENTITY, b),
                         OMREG_OK);
        assert_memory_equal(a, b, sizeof a);
#undef P
    }
    omreg_diffeomap_free(m);
    omreg_diffeomap_free(empty);
}

/* Every allocation of `call` fails in turn with ENOMEM and *out untouched,
 * until it succeeds. */
#define EVERY_ALLOC(call, outp, sentinel)                                                      \
    do {                                                                                       \
        long k_ = 1;                                                                           \
        for (;; ++k_) {                                                                        \
            omreg_testing_fail_alloc_at(k_);                                                   \
            omreg_status st_ = (call);                                                         \
            omreg_testing_fail_alloc_at(0);                                                    \
            if (st_ == OMREG_OK)                                                               \
                break;                                                                         \
            assert_int_equal(st_, OMREG_ENOMEM);                                               \
            assert_ptr_equal(outp, sentinel);                                                  \
        }                                                                                      \
        assert_true(k_ > 1);                                                                   \
    } while (0)

static void methods_bad_input(void **state)
{
    (void)state;
    omreg_diffeomap *m = map3(OMREG_F32), *empty = NULL, *out = SENT_MAP, *m2 = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, G3, D3, G3, C3, G3, P3, &empty), OMREG_OK);
    assert_int_equal(omreg_diffeomap_create(2, S3, NULL, NULL, NULL, NULL, NULL, NULL, &m2),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_allocate(m2, OMREG_F32), OMREG_OK);

    /* inverse / shallow copy */
    EXPECT(OMREG_EINVAL, omreg_diffeomap_inverse(NULL, &out));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_inverse(m, NULL));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_shallow_copy(NULL, &out));
    EVERY_ALLOC(omreg_diffeomap_inverse(m, &out), out, SENT_MAP);
    omreg_diffeomap_free(out);
    out = SENT_MAP;
    EVERY_ALLOC(omreg_diffeomap_shallow_copy(m, &out), out, SENT_MAP);
    omreg_diffeomap_free(out);
    out = SENT_MAP;

    /* inversion error */
    double stats[3] = {-1, -2, -3};
    omreg_image *res = SENT_IMG;
    EXPECT(OMREG_EINVAL, omreg_diffeomap_compute_inversion_error(NULL, m, &res, stats));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_compute_inversion_error(be, NULL, &res, stats));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_compute_inversion_error(be, empty, &res, stats));
    EVERY_ALLOC(omreg_diffeomap_compute_inversion_error(be, m, &res, stats), res, SENT_IMG);
    omreg_image_free(res);
    res = SENT_IMG;
    /* fields of different dtypes */
    omreg_diffeomap *mixed = map3(OMREG_F32);
    omreg_image *f64 = NULL;
    assert_int_equal(omreg_image_create(&f64, 3, S3, 3, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_diffeomap_set_backward(mixed, f64), OMREG_OK);
    stats[0] = -1;
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_compute_inversion_error(be, mixed, &res, stats));
    assert_ptr_equal(res, SENT_IMG);
    assert_true(stats[0] == -1);

    /* warp_endomorphism */
    EXPECT(OMREG_EINVAL, omreg_diffeomap_warp_endomorphism(NULL, m, m, &out));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_warp_endomorphism(be, NULL, m, &out));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_warp_endomorphism(be, m, NULL, &out));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_warp_endomorphism(be, m, m, NULL));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_warp_endomorphism(be, m, empty, &out));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_warp_endomorphism(be, empty, m, &out));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_warp_endomorphism(be, m, m2, &out));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_warp_endomorphism(be, m, mixed, &out));
    assert_ptr_equal(out, SENT_MAP);
    EVERY_ALLOC(omreg_diffeomap_warp_endomorphism(be, m, m, &out), out, SENT_MAP);
    omreg_diffeomap_free(out);
    out = SENT_MAP;

    /* get_simplified_transform */
    EXPECT(OMREG_EINVAL, omreg_diffeomap_get_simplified_transform(NULL, m, &out));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_get_simplified_transform(be, NULL, &out));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_get_simplified_transform(be, m, NULL));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_get_simplified_transform(be, empty, &out));
    /* all None and domain_shape != disp_shape: DIPY would read past the field */
    omreg_diffeomap *nd = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, NULL, D3, NULL, NULL, NULL, NULL, &nd),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_allocate(nd, OMREG_F32), OMREG_OK);
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_get_simplified_transform(be, nd, &out));
    assert_ptr_equal(out, SENT_MAP);
    EVERY_ALLOC(omreg_diffeomap_get_simplified_transform(be, m, &out), out, SENT_MAP);
    omreg_diffeomap_free(out);
    out = SENT_MAP;

    omreg_diffeomap_free(nd);
    omreg_image_free(f64);
    omreg_diffeomap_free(mixed);
    omreg_diffeomap_free(m);
    omreg_diffeomap_free(m2);
    omreg_diffeomap_free(empty);
}

static void expand_bad_input(void **state)
{
    (void)state;
    omreg_diffeomap *m = map3(OMREG_F32), *empty = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, G3, NULL, NULL, NULL, NULL, NULL, &empty),
                     OMREG_OK);
    const double f[3] = {0.5, 0.5, 0.5}, fnan[3] = {0.5, NAN, 0.5}, fzero[3] = {0.5, 0, 0.5};
    const size_t ns[3] = {9, 11, 7}, nz[3] = {9, 0, 7};
    const omreg_image *fwd = omreg_diffeomap_forward(m), *bwd = omreg_diffeomap_backward(m);
    EXPECT(OMREG_EINVAL, omreg_diffeomap_expand_fields(NULL, m, f, ns));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_expand_fields(be, NULL, f, ns));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_expand_fields(be, m, NULL, ns));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_expand_fields(be, m, f, NULL));
    EXPECT(OMREG_EINVAL, omreg_diffeomap_expand_fields(be, empty, f, ns));
    EXPECT(OMREG_ENONFINITE, omreg_diffeomap_expand_fields(be, m, fnan, ns));
    EXPECT(OMREG_ESINGULAR, omreg_diffeomap_expand_fields(be, m, fzero, ns));
    EXPECT(OMREG_ESHAPE, omreg_diffeomap_expand_fields(be, m, f, nz));
    /* allocation failures at every step leave the map as it was */
    long k = 1;
    for (;; ++k) {
        omreg_testing_fail_alloc_at(k);
        omreg_status st = omreg_diffeomap_expand_fields(be, m, f, ns);
        omreg_testing_fail_alloc_at(0);
        if (st == OMREG_OK)
            break;
        assert_int_equal(st, OMREG_ENOMEM);
        assert_ptr_equal(omreg_diffeomap_forward(m), fwd);
        assert_ptr_equal(omreg_diffeomap_backward(m), bwd);
        assert_memory_equal(omreg_diffeomap_shape(m, OMREG_DM_DISP), S3, sizeof S3);
        assert_memory_equal(omreg_diffeomap_matrix_get(m, OMREG_DM_DISP_GRID2WORLD), G3,
                            sizeof G3);
    }
    assert_true(k > 4);
    assert_memory_equal(omreg_diffeomap_shape(m, OMREG_DM_DISP), ns, sizeof ns);
    assert_memory_equal(omreg_image_shape(omreg_diffeomap_forward(m)), ns, sizeof ns);
    /* disp None: the new grid2world is diag(factors, 1), as DIPY's mult_aff */
    omreg_diffeomap *n = NULL;
    assert_int_equal(omreg_diffeomap_create(3, S3, NULL, NULL, NULL, NULL, NULL, NULL, &n),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_allocate(n, OMREG_F64), OMREG_OK);
    assert_int_equal(omreg_diffeomap_expand_fields(be, n, f, ns), OMREG_OK);
    const double diag[16] = {0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 0.5, 0, 0, 0, 0, 1};
    const double idiag[16] = {2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1};
    assert_memory_equal(omreg_diffeomap_matrix_get(n, OMREG_DM_DISP_GRID2WORLD), diag,
                        sizeof diag);
    assert_memory_equal(omreg_diffeomap_matrix_get(n, OMREG_DM_DISP_WORLD2GRID), idiag,
                        sizeof idiag);
    omreg_diffeomap_free(n);
    omreg_diffeomap_free(m);
    omreg_diffeomap_free(empty);
}

/* Fields shared by inverse and copies outlive the map they came from;
 * replacing a field on one map leaves the others alone. */
static void shared_fields(void **state)
{
    (void)state;
    omreg_diffeomap *m = map3(OMREG_F32), *inv = NULL, *copy = NULL, *inv2 = NULL;
    assert_int_equal(omreg_diffeomap_inverse(m, &inv), OMREG_OK);
    assert_int_equal(omreg_diffeomap_shallow_copy(inv, &copy), OMREG_OK);
    assert_int_equal(omreg_diffeomap_inverse(inv, &inv2), OMREG_OK);
    const omreg_image *f = omreg_diffeomap_forward(m), *b = omreg_diffeomap_backward(m);
    assert_ptr_equal(omreg_diffeomap_forward(inv), f);
    assert_ptr_equal(omreg_diffeomap_get_forward_field(inv), b);
    assert_ptr_equal(omreg_diffeomap_get_backward_field(inv), f);
    assert_true(omreg_diffeomap_is_inverse(copy));
    assert_false(omreg_diffeomap_is_inverse(inv2));
    omreg_image *ref_out = NULL, *out = NULL, *img = scalar(3, D3, OMREG_F32);
    assert_int_equal(omreg_diffeomap_transform_inverse(be, m, img, OMREG_WARP_LINEAR, NULL,
                                                       NULL, NULL, &ref_out),
                     OMREG_OK);
    omreg_diffeomap_free(m); /* the others keep the fields alive */
    assert_int_equal(
        omreg_diffeomap_transform(be, copy, img, OMREG_WARP_LINEAR, NULL, NULL, NULL, &out),
        OMREG_OK);
    assert_true(omreg_test_same_f32("shared after free", omreg_image_cdata(out),
                                    omreg_image_cdata(ref_out), omreg_image_voxels(out)));
    omreg_image_free(out);
    assert_int_equal(omreg_diffeomap_allocate(inv, OMREG_F32), OMREG_OK);
    assert_ptr_equal(omreg_diffeomap_forward(copy), f);
    assert_ptr_not_equal(omreg_diffeomap_forward(inv), f);
    omreg_diffeomap_free(inv);
    omreg_diffeomap_free(copy);
    assert_ptr_equal(omreg_diffeomap_forward(inv2), f);
    omreg_diffeomap_free(inv2);
    omreg_image_free(ref_out);
    omreg_image_free(img);
}

/* DIPY converts the image to the fields' dtype (np.asarray(image,
 * dtype=floating)): a float32 image on float64 fields warps exactly like
 * its float64 copy, a float64 image on float32 fields like its rounded
 * float32 copy. */
static void dtype_conversion(void **state)
{
    (void)state;
    for (int k = 0; k < 2; ++k) {
        const omreg_dtype fdt = k ? OMREG_F64 : OMREG_F32, idt = k ? OMREG_F32 : OMREG_F64;
        omreg_diffeomap *m = map3(fdt);
        omreg_image *img = scalar(3, C3, idt), *copy = NULL, *a = NULL, *b = NULL;
        assert_int_equal(omreg_image_create(&copy, 3, C3, 1, fdt, NULL), OMREG_OK);
        const size_t n = omreg_image_voxels(img);
        for (size_t v = 0; v < n; ++v) {
            if (fdt == OMREG_F64)
                ((double *)omreg_image_data(copy))[v] = ((const float *)omreg_image_cdata(img))[v];
            else
                ((float *)omreg_image_data(copy))[v] =
                    (float)((const double *)omreg_image_cdata(img))[v];
        }
        for (int nn = 0; nn < 2; ++nn) {
            const omreg_warp_interp in = nn ? OMREG_WARP_NEAREST : OMREG_WARP_LINEAR;
            assert_int_equal(omreg_diffeomap_transform(be, m, img, in, NULL, NULL, NULL, &a),
                             OMREG_OK);
            assert_int_equal(omreg_diffeomap_transform(be, m, copy, in, NULL, NULL, NULL, &b),
                             OMREG_OK);
            assert_int_equal(omreg_image_dtype(a), fdt);
            assert_memory_equal(omreg_image_cdata(a), omreg_image_cdata(b),
                                omreg_image_voxels(a) * omreg_dtype_size(fdt));
            omreg_image_free(a);
            omreg_image_free(b);
        }
        omreg_image_free(img);
        omreg_image_free(copy);
        omreg_diffeomap_free(m);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_bad_input),    cmocka_unit_test(fields_bad_input),
        cmocka_unit_test(transform_bad_input), cmocka_unit_test(points_bad_input),
        cmocka_unit_test(methods_bad_input),   cmocka_unit_test(expand_bad_input),
        cmocka_unit_test(shared_fields),       cmocka_unit_test(dtype_conversion),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
