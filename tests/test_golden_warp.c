/* Golden: the warp family vs DIPY 1.6 (fixtures/gen_warp.py): warp_{2,3}d
 * and warp_{2,3}d_nn under all 8 present/None combinations of affine_idx_in,
 * affine_idx_out and affine_disp (oblique affines, fields and maps reaching
 * outside both domains, odd non-cubic sizes), nearest-neighbour ties at
 * exact x.5 positions, warp_coordinates_{2,3}d under all 8 None
 * combinations, downsampling of odd/even/1-voxel axes with a lone -0.0,
 * resampling with integer, non-integer, >1 and negative factors,
 * the harmonic fields, circle and sphere, and create_random_displacement
 * with DIPY's numpy.random.randint replaced by omreg's counter-based draws.
 * Everything in float64 and float32, through the public entry points, with
 * the backend under test (OMREG_BACKEND) and the reference table.
 *
 * Bitwise everywhere: omreg does DIPY's arithmetic in DIPY's order (double
 * positions, FLT stores where DIPY's `floating` variables store). Two
 * dependencies on the environment the fixtures were made in, both checked
 * or stated: warp_coordinates' in2grid = field_world2grid * in2world is
 * numpy's np.dot, which the generator asserts equals the naive left-to-right
 * product omreg uses (true for the reference BLAS Debian's numpy links); the
 * harmonic fields call libm atan2 and cos, as DIPY's Cython does, so they
 * agree bitwise with the same glibc (Debian 12) and might not elsewhere.
 * Float32 generator outputs are DIPY's float64 arrays cast to float32.
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "omreg_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/image.h"
#include "omreg/warp.h"

static const omreg_dtype dtypes[2] = {OMREG_F64, OMREG_F32};
static const char *const dtype_names[2] = {"f64", "f32"};

/* the backends every case runs with: the one under test, then the reference */
static const omreg_backend *backend_at(int b)
{
    return b == 0 ? omreg_test_backend() : omreg_backend_reference();
}

static omreg_npy load(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static omreg_npy load_typed(omreg_npy_type type, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static omreg_npy vload(omreg_npy_type type, const char *fmt, va_list ap)
{
    char rel[256];
    vsnprintf(rel, sizeof rel, fmt, ap);
    char path[300];
    snprintf(path, sizeof path, "warp/%s.npy", rel);
    omreg_npy a;
    omreg_test_load(path, type, &a);
    return a;
}

/* a float64 fixture */
static omreg_npy load(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    omreg_npy a = vload(OMREG_NPY_F64, fmt, ap);
    va_end(ap);
    return a;
}

static omreg_npy load_typed(omreg_npy_type type, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    omreg_npy a = vload(type, fmt, ap);
    va_end(ap);
    return a;
}

/* count doubles of src as dtype (float32: rounded, as numpy's astype) */
static void *convert(const double *src, size_t count, omreg_dtype dtype)
{
    if (dtype == OMREG_F64) {
        double *d = omreg_test_alloc(count, sizeof(double));
        memcpy(d, src, count * sizeof(double));
        return d;
    }
    float *f = omreg_test_alloc(count, sizeof(float));
    for (size_t i = 0; i < count; ++i)
        f[i] = (float)src[i];
    return f;
}

/* wrap data (count values of dtype) as an image; the shape is the leading
 * ndim axes */
static omreg_image *wrap(void *data, int ndim, const size_t *shape, int ncomp, omreg_dtype dtype)
{
    omreg_image *im = NULL;
    assert_int_equal(omreg_image_wrap(&im, data, ndim, shape, ncomp, dtype, NULL), OMREG_OK);
    return im;
}

static int same(omreg_dtype dtype, const char *what, const void *got, const void *want,
                size_t n)
{
    return dtype == OMREG_F64 ? omreg_test_same_f64(what, got, want, n)
                              : omreg_test_same_f32(what, got, want, n);
}

/* the output image holds exactly `shape` (ndim axes) x ncomp values equal to want */
static void check_image(const omreg_image *got, int ndim, const size_t *shape, int ncomp,
                        omreg_dtype dtype, const void *want, const char *what)
{
    assert_int_equal(omreg_image_ndim(got), ndim);
    assert_int_equal(omreg_image_ncomp(got), ncomp);
    assert_int_equal((int)omreg_image_dtype(got), (int)dtype);
    size_t n = (size_t)ncomp;
    for (int d = 0; d < ndim; ++d) {
        assert_int_equal(omreg_image_shape(got)[d], shape[d]);
        n *= shape[d];
    }
    if (!same(dtype, what, omreg_image_cdata(got), want, n))
        fail_msg("%s differs from DIPY", what);
}

static const double *mat(const omreg_npy *stack, int index, int dim)
{
    return (const double *)stack->data + (size_t)index * (size_t)((dim + 1) * (dim + 1));
}

/* ---- warp_{2,3}d, warp_{2,3}d_nn ----------------------------------------- */

static void warp_dim(int dim)
{
    omreg_npy image = load("warp_%dd_image", dim), field = load("warp_%dd_field", dim);
    omreg_npy aff = load("warp_%dd_affines", dim);
    static const char *const interp_names[2] = {"linear", "nn"};
    for (int t = 0; t < 2; ++t) {
        omreg_dtype dt = dtypes[t];
        void *im_data = convert(image.data, image.count, dt);
        void *fd_data = convert(field.data, field.count, dt);
        omreg_image *im = wrap(im_data, dim, image.shape, 1, dt);
        omreg_image *fd = wrap(fd_data, dim, field.shape, dim, dt);
        for (int interp = 0; interp < 2; ++interp) {
            omreg_npy want = load_typed(dt == OMREG_F64 ? OMREG_NPY_F64 : OMREG_NPY_F32,
                                        "warp_%dd_%s_%s", dim, interp_names[interp],
                                        dtype_names[t]);
            assert_int_equal(want.shape[0], 8);
            const size_t *out_shape = &want.shape[1];
            size_t nout = want.count / 8;
            for (int mask = 0; mask < 8; ++mask) {
                const double *A = mask & 1 ? mat(&aff, 0, dim) : NULL;
                const double *B = mask & 2 ? mat(&aff, 1, dim) : NULL;
                const double *C = mask & 4 ? mat(&aff, 2, dim) : NULL;
                for (int b = 0; b < 2; ++b) {
                    omreg_image *out = NULL;
                    assert_int_equal(omreg_warp(backend_at(b), im, fd, A, B, C, out_shape,
                                                (omreg_warp_interp)interp, &out),
                                     OMREG_OK);
                    char what[128];
                    snprintf(what, sizeof what, "warp %dD %s %s mask %d (%s)", dim,
                             interp_names[interp], dtype_names[t], mask,
                             omreg_backend_name(backend_at(b)));
                    check_image(out, dim, out_shape, 1, dt,
                                (const char *)want.data + (size_t)mask * nout * want.elem_size,
                                what);
                    omreg_image_free(out);
                }
            }
            omreg_npy_free(&want);
        }
        omreg_image_free(im);
        omreg_image_free(fd);
        free(im_data);
        free(fd_data);
    }
    omreg_npy_free(&image);
    omreg_npy_free(&field);
    omreg_npy_free(&aff);
}

static void golden_warp_2d(void **state)
{
    (void)state;
    warp_dim(2);
}

static void golden_warp_3d(void **state)
{
    (void)state;
    warp_dim(3);
}

/* half-integer displacements, no affines, out_shape NULL (the field's) */
static void warp_ties_dim(int dim)
{
    omreg_npy image = load("warp_%dd_image", dim), ties = load("warp_%dd_ties_field", dim);
    static const char *const interp_names[2] = {"linear", "nn"};
    for (int t = 0; t < 2; ++t) {
        omreg_dtype dt = dtypes[t];
        void *im_data = convert(image.data, image.count, dt);
        void *fd_data = convert(ties.data, ties.count, dt);
        omreg_image *im = wrap(im_data, dim, image.shape, 1, dt);
        omreg_image *fd = wrap(fd_data, dim, ties.shape, dim, dt);
        for (int interp = 0; interp < 2; ++interp) {
            omreg_npy want = load_typed(dt == OMREG_F64 ? OMREG_NPY_F64 : OMREG_NPY_F32,
                                        "warp_%dd_ties_%s_%s", dim, interp_names[interp],
                                        dtype_names[t]);
            for (int b = 0; b < 2; ++b) {
                omreg_image *out = NULL;
                assert_int_equal(omreg_warp(backend_at(b), im, fd, NULL, NULL, NULL, NULL,
                                            (omreg_warp_interp)interp, &out),
                                 OMREG_OK);
                char what[128];
                snprintf(what, sizeof what, "warp ties %dD %s %s (%s)", dim,
                         interp_names[interp], dtype_names[t], omreg_backend_name(backend_at(b)));
                check_image(out, dim, want.shape, 1, dt, want.data, what);
                omreg_image_free(out);
            }
            omreg_npy_free(&want);
        }
        omreg_image_free(im);
        omreg_image_free(fd);
        free(im_data);
        free(fd_data);
    }
    omreg_npy_free(&image);
    omreg_npy_free(&ties);
}

static void golden_warp_ties(void **state)
{
    (void)state;
    warp_ties_dim(2);
    warp_ties_dim(3);
}

/* ---- warp_coordinates_{2,3}d ------------------------------------------------ */

static void golden_warp_coordinates(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim) {
        omreg_npy field = load("warp_%dd_field", dim);
        omreg_npy points = load("warpcoords_%dd_points", dim);
        omreg_npy aff = load("warpcoords_%dd_affines", dim);
        size_t n = points.shape[0];
        double *out = omreg_test_alloc(n * (size_t)dim, sizeof(double));
        for (int t = 0; t < 2; ++t) {
            omreg_dtype dt = dtypes[t];
            void *fd_data = convert(field.data, field.count, dt);
            omreg_image *fd = wrap(fd_data, dim, field.shape, dim, dt);
            omreg_npy want = load("warpcoords_%dd_%s", dim, dtype_names[t]);
            for (int mask = 0; mask < 8; ++mask) {
                const double *in2world = mask & 1 ? mat(&aff, 0, dim) : NULL;
                const double *world2out = mask & 2 ? mat(&aff, 1, dim) : NULL;
                const double *fw2g = mask & 4 ? mat(&aff, 2, dim) : NULL;
                for (int b = 0; b < 2; ++b) {
                    memset(out, 0x5A, n * (size_t)dim * sizeof(double));
                    assert_int_equal(omreg_warp_coordinates(backend_at(b), fd, points.data, n,
                                                            in2world, world2out, fw2g, out),
                                     OMREG_OK);
                    char what[128];
                    snprintf(what, sizeof what, "warp_coordinates %dD %s mask %d (%s)", dim,
                             dtype_names[t], mask, omreg_backend_name(backend_at(b)));
                    assert_true(omreg_test_same_f64(
                        what, out, (const double *)want.data + (size_t)mask * n * (size_t)dim,
                        n * (size_t)dim));
                }
            }
            /* in place: out == points */
            double *inplace = omreg_test_alloc(n * (size_t)dim, sizeof(double));
            memcpy(inplace, points.data, n * (size_t)dim * sizeof(double));
            assert_int_equal(omreg_warp_coordinates(omreg_test_backend(), fd, inplace, n,
                                                    mat(&aff, 0, dim), mat(&aff, 1, dim),
                                                    mat(&aff, 2, dim), inplace),
                             OMREG_OK);
            assert_true(omreg_test_same_f64("warp_coordinates in place", inplace,
                                            (const double *)want.data +
                                                (size_t)7 * n * (size_t)dim,
                                            n * (size_t)dim));
            free(inplace);
            omreg_npy_free(&want);
            omreg_image_free(fd);
            free(fd_data);
        }
        free(out);
        omreg_npy_free(&field);
        omreg_npy_free(&points);
        omreg_npy_free(&aff);
    }
}

/* ---- downsample_{scalar,displacement}_field_{2,3}d -------------------------- */

static void golden_downsample(void **state)
{
    (void)state;
    static const char *const kinds[2] = {"scalar", "field"};
    for (int dim = 2; dim <= 3; ++dim)
        for (int c = 0; c < 2; ++c)
            for (int k = 0; k < 2; ++k) {
                omreg_npy in = load("downsample_%dd_case%d_%s", dim, c, kinds[k]);
                int ncomp = k ? dim : 1;
                for (int t = 0; t < 2; ++t) {
                    omreg_dtype dt = dtypes[t];
                    void *data = convert(in.data, in.count, dt);
                    omreg_image *im = wrap(data, dim, in.shape, ncomp, dt);
                    omreg_npy want = load_typed(dt == OMREG_F64 ? OMREG_NPY_F64 : OMREG_NPY_F32,
                                                "downsample_%dd_case%d_%s_out_%s", dim, c,
                                                kinds[k], dtype_names[t]);
                    for (int d = 0; d < dim; ++d) /* DIPY: ceil(n / 2) */
                        assert_int_equal(want.shape[d], (in.shape[d] + 1) / 2);
                    for (int b = 0; b < 2; ++b) {
                        omreg_image *out = NULL;
                        assert_int_equal(omreg_downsample_field(backend_at(b), im, &out),
                                         OMREG_OK);
                        char what[128];
                        snprintf(what, sizeof what, "downsample %dD case %d %s %s (%s)", dim, c,
                                 kinds[k], dtype_names[t], omreg_backend_name(backend_at(b)));
                        check_image(out, dim, want.shape, ncomp, dt, want.data, what);
                        omreg_image_free(out);
                    }
                    omreg_npy_free(&want);
                    omreg_image_free(im);
                    free(data);
                }
                omreg_npy_free(&in);
            }
}

/* ---- resample_displacement_field_{2,3}d ------------------------------------- */

static void golden_resample(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim) {
        omreg_npy field = load("resample_%dd_field", dim);
        omreg_npy factors = load("resample_%dd_factors", dim);
        for (int t = 0; t < 2; ++t) {
            omreg_dtype dt = dtypes[t];
            void *data = convert(field.data, field.count, dt);
            omreg_image *fd = wrap(data, dim, field.shape, dim, dt);
            for (size_t c = 0; c < factors.shape[0]; ++c) {
                omreg_npy want = load_typed(dt == OMREG_F64 ? OMREG_NPY_F64 : OMREG_NPY_F32,
                                            "resample_%dd_case%zu_%s", dim, c, dtype_names[t]);
                const double *f = (const double *)factors.data + c * (size_t)dim;
                for (int b = 0; b < 2; ++b) {
                    omreg_image *out = NULL;
                    assert_int_equal(
                        omreg_resample_displacement_field(backend_at(b), fd, f, want.shape, &out),
                        OMREG_OK);
                    char what[128];
                    snprintf(what, sizeof what, "resample %dD case %zu %s (%s)", dim, c,
                             dtype_names[t], omreg_backend_name(backend_at(b)));
                    check_image(out, dim, want.shape, dim, dt, want.data, what);
                    omreg_image_free(out);
                }
                omreg_npy_free(&want);
            }
            omreg_image_free(fd);
            free(data);
        }
        omreg_npy_free(&field);
        omreg_npy_free(&factors);
    }
}

/* ---- generators ------------------------------------------------------------------ */

static void golden_harmonic(void **state)
{
    (void)state;
    omreg_npy params = load("harmonic_params");
    for (int dim = 2; dim <= 3; ++dim) {
        omreg_npy wd = load("harmonic_%dd_d", dim), wi = load("harmonic_%dd_inv", dim);
        double b_ = ((double *)params.data)[2 * (dim - 2)];
        double m_ = ((double *)params.data)[2 * (dim - 2) + 1];
        for (int t = 0; t < 2; ++t) {
            omreg_dtype dt = dtypes[t];
            void *want_d = convert(wd.data, wd.count, dt), *want_i = convert(wi.data, wi.count, dt);
            for (int b = 0; b < 2; ++b) {
                omreg_image *d = NULL, *inv = NULL;
                assert_int_equal(omreg_create_harmonic_fields(backend_at(b), dim, wd.shape, b_,
                                                              m_, dt, &d, &inv),
                                 OMREG_OK);
                char what[128];
                snprintf(what, sizeof what, "harmonic %dD %s d (%s)", dim, dtype_names[t],
                         omreg_backend_name(backend_at(b)));
                check_image(d, dim, wd.shape, dim, dt, want_d, what);
                snprintf(what, sizeof what, "harmonic %dD %s inv (%s)", dim, dtype_names[t],
                         omreg_backend_name(backend_at(b)));
                check_image(inv, dim, wi.shape, dim, dt, want_i, what);
                omreg_image_free(d);
                omreg_image_free(inv);
            }
            free(want_d);
            free(want_i);
        }
        omreg_npy_free(&wd);
        omreg_npy_free(&wi);
    }
    omreg_npy_free(&params);
}

static void golden_circle_sphere(void **state)
{
    (void)state;
    omreg_npy radii = load_typed(OMREG_NPY_I64, "ball_radii");
    omreg_npy circle = load("circle"), sphere = load("sphere");
    const long long *r = radii.data;
    for (int t = 0; t < 2; ++t) {
        omreg_dtype dt = dtypes[t];
        void *wc = convert(circle.data, circle.count, dt);
        void *ws = convert(sphere.data, sphere.count, dt);
        for (int b = 0; b < 2; ++b) {
            omreg_image *out = NULL;
            assert_int_equal(
                omreg_create_circle(backend_at(b), circle.shape, (ptrdiff_t)r[0], dt, &out),
                OMREG_OK);
            check_image(out, 2, circle.shape, 1, dt, wc, "circle");
            omreg_image_free(out);
            assert_int_equal(
                omreg_create_sphere(backend_at(b), sphere.shape, (ptrdiff_t)r[1], dt, &out),
                OMREG_OK);
            check_image(out, 3, sphere.shape, 1, dt, ws, "sphere");
            omreg_image_free(out);
        }
        free(wc);
        free(ws);
    }
    /* the fixtures are not trivial: both values occur */
    double lo = 1, hi = 0;
    for (size_t i = 0; i < sphere.count; ++i) {
        double v = ((double *)sphere.data)[i];
        lo = v < lo ? v : lo;
        hi = v > hi ? v : hi;
    }
    assert_true(lo == 0.0 && hi == 1.0);
    omreg_npy_free(&radii);
    omreg_npy_free(&circle);
    omreg_npy_free(&sphere);
}

/* DIPY's create_random_displacement run with omreg's draws: the targets
 * (int_field) check the generator and its keying, the displacements check
 * DIPY's formula around them for every None combination. */
static void golden_random_displacement(void **state)
{
    (void)state;
    omreg_npy seed = load_typed(OMREG_NPY_I64, "random_seed");
    for (int dim = 2; dim <= 3; ++dim) {
        omreg_npy aff = load("random_%dd_affines", dim);
        omreg_npy to = load_typed(OMREG_NPY_I64, "random_%dd_to_shape", dim);
        omreg_npy ints = load_typed(OMREG_NPY_I32, "random_%dd_int", dim);
        omreg_npy outs = load("random_%dd_out", dim);
        assert_int_equal(outs.shape[0], 4);
        const size_t *from_shape = &outs.shape[1];
        size_t to_shape[3];
        for (int d = 0; d < dim; ++d)
            to_shape[d] = (size_t)((const long long *)to.data)[d];
        size_t nval = outs.count / 4;
        int *got_ints = omreg_test_alloc(nval, sizeof(int));
        for (int t = 0; t < 2; ++t) {
            omreg_dtype dt = dtypes[t];
            for (int mask = 0; mask < 4; ++mask) {
                const double *F = mask & 1 ? mat(&aff, 0, dim) : NULL;
                const double *T = mask & 2 ? mat(&aff, 1, dim) : NULL;
                void *want = convert((const double *)outs.data + (size_t)mask * nval, nval, dt);
                for (int b = 0; b < 2; ++b) {
                    omreg_image *out = NULL;
                    memset(got_ints, 0xA5, nval * sizeof(int));
                    assert_int_equal(omreg_create_random_displacement(
                                         backend_at(b), dim, from_shape, F, to_shape, T,
                                         (uint64_t)((const long long *)seed.data)[0], dt, &out,
                                         got_ints),
                                     OMREG_OK);
                    char what[128];
                    snprintf(what, sizeof what, "random %dD %s mask %d (%s)", dim,
                             dtype_names[t], mask, omreg_backend_name(backend_at(b)));
                    check_image(out, dim, from_shape, dim, dt, want, what);
                    assert_true(omreg_test_same_i32(what, got_ints, ints.data, nval));
                    omreg_image_free(out);
                }
                free(want);
            }
        }
        free(got_ints);
        omreg_npy_free(&aff);
        omreg_npy_free(&to);
        omreg_npy_free(&ints);
        omreg_npy_free(&outs);
    }
    omreg_npy_free(&seed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(golden_warp_2d),
        cmocka_unit_test(golden_warp_3d),
        cmocka_unit_test(golden_warp_ties),
        cmocka_unit_test(golden_warp_coordinates),
        cmocka_unit_test(golden_downsample),
        cmocka_unit_test(golden_resample),
        cmocka_unit_test(golden_harmonic),
        cmocka_unit_test(golden_circle_sphere),
        cmocka_unit_test(golden_random_displacement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
