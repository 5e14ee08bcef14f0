/* The public entry points (omreg_interpolate, omreg_gradient,
 * omreg_sparse_gradient, omreg_transform_affine, omreg_image_moments)
 * produce exactly the bytes of the backend slot they should dispatch to,
 * called directly with the same inputs, for both backends, 2D/3D and
 * float64/float32. The slot each case expects is named explicitly here
 * (not derived by the code under test). Plus one analytic check that the
 * gradient entry point reads the image through the inverse of its
 * grid2world with DIPY's spacings: the gradient of a world-linear image is
 * its coefficient vector.
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "omreg_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "omreg/gradient.h"
#include "omreg/image.h"
#include "omreg/interpolate.h"
#include "omreg/matrix.h"
#include "omreg/random.h"
#include "omreg/resample.h"
#include "omreg/stats.h"

/* Bilinear/trilinear interpolation and central differences reproduce a
 * linear function exactly in exact arithmetic; rounding of O(100) values
 * divided by an O(1) spacing leaves ~1e-13. A wrong world2grid or spacing
 * is off by O(1). */
#define LINEAR_GRAD_TOL 1e-9

#define NPTS 600
static const size_t shape2[2] = {23, 17};
static const size_t shape3[3] = {9, 13, 11};
static const size_t out2[2] = {19, 21};
static const size_t out3[3] = {8, 10, 12};
/* oblique, anisotropic grid-to-world affines */
static const double g2w2[9] = {1.2, 0.3, -2.0, -0.2, 0.9, 1.0, 0, 0, 1};
static const double g2w3[16] = {0.9, 0.2, -0.1, -3.0, -0.15, 1.1, 0.05, 2.0,
                                0.1, -0.05, 1.3, 1.5, 0, 0, 0, 1};
static const double outg2w2[9] = {1.0, 0.25, -1.0, -0.1, 1.1, 0.5, 0, 0, 1};
static const double outg2w3[16] = {1.0, 0.1, 0.0, -2.0, 0.0, 0.95, 0.1, 1.0,
                                   -0.1, 0.0, 1.2, 0.5, 0, 0, 0, 1};
/* grid affines for resampling: rotation-like, part of the output outside */
static const double ga2[9] = {0.95, 0.3, -1.0, -0.3, 0.95, 2.5, 0, 0, 1};
static const double ga3[16] = {0.95, 0.3, 0.0, -1.0, -0.3, 0.95, 0.1, 2.5,
                               0.0, -0.1, 1.05, -0.5, 0, 0, 0, 1};

static const struct omreg_backend *backends[2];

static int setup(void **state)
{
    (void)state;
    backends[0] = omreg_backend_reference();
    backends[1] = omreg_backend_parallel();
    return 0;
}

static const size_t *img_shape(int ndim) { return ndim == 2 ? shape2 : shape3; }
static const size_t *out_shape(int ndim) { return ndim == 2 ? out2 : out3; }
static const double *g2w(int ndim) { return ndim == 2 ? g2w2 : g2w3; }
static const double *out_g2w(int ndim) { return ndim == 2 ? outg2w2 : outg2w3; }
static size_t esize(omreg_dtype dt) { return dt == OMREG_F64 ? sizeof(double) : sizeof(float); }

/* A random image (values in [-5, 40)) with the oblique grid2world. */
static omreg_image *random_image(int ndim, int ncomp, omreg_dtype dt, uint64_t seed)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, ndim, img_shape(ndim), ncomp, dt, g2w(ndim)),
                     OMREG_OK);
    size_t n = omreg_image_voxels(img) * (size_t)ncomp;
    if (dt == OMREG_F64)
        omreg_test_fill_uniform_f64(omreg_image_data(img), n, seed, -5.0, 40.0);
    else
        omreg_test_fill_uniform_f32(omreg_image_data(img), n, seed, -5.0, 40.0);
    return img;
}

/* n x ndim grid coordinates in [-2, shape + 1]: inside, border and outside */
static double *random_locs(int ndim, size_t n, uint64_t seed)
{
    double *locs = omreg_test_alloc(n * (size_t)ndim, sizeof(double));
    for (size_t p = 0; p < n; ++p)
        for (int d = 0; d < ndim; ++d) {
            double u = omreg_random_uniform(seed, p * (size_t)ndim + (size_t)d);
            locs[p * (size_t)ndim + (size_t)d] = -2.0 + u * ((double)img_shape(ndim)[d] + 3.0);
        }
    return locs;
}

static void assert_same_bytes(const char *what, const void *got, const void *want, size_t bytes)
{
    if (memcmp(got, want, bytes) != 0) {
        const unsigned char *g = got, *w = want;
        size_t i = 0;
        while (g[i] == w[i])
            ++i;
        fail_msg("%s: entry point differs from its slot at byte %zu of %zu", what, i, bytes);
    }
}

/* inside flags must hold both values, or the comparison proves little */
static void assert_mixed_flags(const int *inside, size_t n)
{
    size_t in = 0;
    for (size_t i = 0; i < n; ++i) {
        assert_true(inside[i] == 0 || inside[i] == 1);
        in += (size_t)inside[i];
    }
    assert_true(in > 0 && in < n);
}

#define SLOT_AT(b, off, type) (*(type *const *)(const void *)((const char *)(b) + (off)))

/* ---- interpolation -------------------------------------------------------- */

static const struct {
    int ndim;
    omreg_dtype dt;
    int field, nearest;
    size_t off;
    const char *name;
} interp_cases[] = {
#define C(ndim, dt, field, nearest, slot)                                                        \
    {ndim, dt, field, nearest, offsetof(struct omreg_backend, slot), #slot}
    C(2, OMREG_F64, 0, 0, interpolate_scalar_2d_f64),
    C(2, OMREG_F32, 0, 0, interpolate_scalar_2d_f32),
    C(3, OMREG_F64, 0, 0, interpolate_scalar_3d_f64),
    C(3, OMREG_F32, 0, 0, interpolate_scalar_3d_f32),
    C(2, OMREG_F64, 1, 0, interpolate_vector_2d_f64),
    C(2, OMREG_F32, 1, 0, interpolate_vector_2d_f32),
    C(3, OMREG_F64, 1, 0, interpolate_vector_3d_f64),
    C(3, OMREG_F32, 1, 0, interpolate_vector_3d_f32),
    C(2, OMREG_F64, 0, 1, interpolate_scalar_nn_2d_f64),
    C(2, OMREG_F32, 0, 1, interpolate_scalar_nn_2d_f32),
    C(3, OMREG_F64, 0, 1, interpolate_scalar_nn_3d_f64),
    C(3, OMREG_F32, 0, 1, interpolate_scalar_nn_3d_f32),
#undef C
};

static void interpolate_matches_slot(void **state)
{
    (void)state;
    for (int bi = 0; bi < 2; ++bi)
        for (size_t c = 0; c < sizeof interp_cases / sizeof interp_cases[0]; ++c) {
            const struct omreg_backend *b = backends[bi];
            const int ndim = interp_cases[c].ndim, field = interp_cases[c].field;
            const omreg_dtype dt = interp_cases[c].dt;
            omreg_image *img = random_image(ndim, field ? ndim : 1, dt, 100 + c);
            double *locs = random_locs(ndim, NPTS, 200 + c);
            size_t nout = NPTS * (size_t)(field ? ndim : 1), bytes = nout * esize(dt);
            void *o_api = omreg_test_alloc(nout, esize(dt));
            void *o_slot = omreg_test_alloc(nout, esize(dt));
            int *i_api = omreg_test_alloc(NPTS, sizeof(int));
            int *i_slot = omreg_test_alloc(NPTS, sizeof(int));
            memset(o_api, 0xA5, bytes);
            memset(i_api, 0xA5, NPTS * sizeof(int));
            assert_int_equal(omreg_interpolate(b, img, locs, NPTS, interp_cases[c].nearest,
                                               o_api, i_api),
                             OMREG_OK);
            if (dt == OMREG_F64)
                SLOT_AT(b, interp_cases[c].off, omreg_interpolate_scalar_3d_f64_fn)
                (omreg_backend_threads(b, 0), omreg_image_cdata(img), omreg_image_shape(img), locs,
                 NPTS, o_slot, i_slot);
            else
                SLOT_AT(b, interp_cases[c].off, omreg_interpolate_scalar_3d_f32_fn)
                (omreg_backend_threads(b, 0), omreg_image_cdata(img), omreg_image_shape(img), locs,
                 NPTS, o_slot, i_slot);
            assert_same_bytes(interp_cases[c].name, o_api, o_slot, bytes);
            assert_same_bytes(interp_cases[c].name, i_api, i_slot, NPTS * sizeof(int));
            assert_mixed_flags(i_api, NPTS);
            omreg_image_free(img);
            free(locs);
            free(o_api);
            free(o_slot);
            free(i_api);
            free(i_slot);
        }
}

/* ---- gradients -------------------------------------------------------------- */

static const struct {
    int ndim;
    omreg_dtype dt;
    size_t dense, sparse;
    const char *name;
} grad_cases[] = {
#define C(ndim, dt, sfx)                                                                         \
    {ndim, dt, offsetof(struct omreg_backend, gradient_##sfx),                                 \
     offsetof(struct omreg_backend, sparse_gradient_##sfx), "gradient_" #sfx}
    C(2, OMREG_F64, 2d_f64),
    C(2, OMREG_F32, 2d_f32),
    C(3, OMREG_F64, 3d_f64),
    C(3, OMREG_F32, 3d_f32),
#undef C
};

static void gradient_matches_slot(void **state)
{
    (void)state;
    for (int bi = 0; bi < 2; ++bi)
        for (size_t c = 0; c < sizeof grad_cases / sizeof grad_cases[0]; ++c) {
            const struct omreg_backend *b = backends[bi];
            const int ndim = grad_cases[c].ndim;
            const omreg_dtype dt = grad_cases[c].dt;
            omreg_image *img = random_image(ndim, 1, dt, 300 + c);
            /* what DIPY's callers pass: inv(grid2world) and the column norms */
            double w2g[16], spacing[3], direction[9];
            assert_int_equal(omreg_mat_inverse(ndim + 1, g2w(ndim), w2g), OMREG_OK);
            assert_int_equal(omreg_get_direction_and_spacings(ndim, g2w(ndim), direction, spacing),
                             OMREG_OK);

            /* dense */
            omreg_image *field = NULL, *field2 = NULL;
            int *inside = NULL;
            assert_int_equal(omreg_gradient(b, img, out_shape(ndim), out_g2w(ndim), &field,
                                            &inside),
                             OMREG_OK);
            assert_int_equal(omreg_image_ndim(field), ndim);
            assert_int_equal(omreg_image_ncomp(field), ndim);
            assert_int_equal(omreg_image_dtype(field), dt);
            assert_true(omreg_image_owns_data(field));
            for (int d = 0; d < ndim; ++d)
                assert_int_equal(omreg_image_shape(field)[d], out_shape(ndim)[d]);
            assert_memory_equal(omreg_image_grid2world(field), out_g2w(ndim),
                                sizeof(double) * (size_t)((ndim + 1) * (ndim + 1)));
            size_t nvox = omreg_image_voxels(field), bytes = nvox * (size_t)ndim * esize(dt);
            void *g_slot = omreg_test_alloc(nvox * (size_t)ndim, esize(dt));
            int *i_slot = omreg_test_alloc(nvox, sizeof(int));
            if (dt == OMREG_F64)
                SLOT_AT(b, grad_cases[c].dense, omreg_gradient_3d_f64_fn)
                (omreg_backend_threads(b, 0), omreg_image_cdata(img), omreg_image_shape(img), w2g,
                 spacing, out_shape(ndim), out_g2w(ndim), g_slot, i_slot);
            else
                SLOT_AT(b, grad_cases[c].dense, omreg_gradient_3d_f32_fn)
                (omreg_backend_threads(b, 0), omreg_image_cdata(img), omreg_image_shape(img), w2g,
                 spacing, out_shape(ndim), out_g2w(ndim), g_slot, i_slot);
            assert_same_bytes(grad_cases[c].name, omreg_image_cdata(field), g_slot, bytes);
            assert_same_bytes(grad_cases[c].name, inside, i_slot, nvox * sizeof(int));
            assert_mixed_flags(inside, nvox);
            /* inside is optional */
            assert_int_equal(omreg_gradient(b, img, out_shape(ndim), out_g2w(ndim), &field2,
                                            NULL),
                             OMREG_OK);
            assert_same_bytes(grad_cases[c].name, omreg_image_cdata(field2), g_slot, bytes);
            omreg_image_free(field);
            omreg_image_free(field2);
            free(inside);
            free(g_slot);
            free(i_slot);

            /* sparse: world points of random grid positions */
            double *locs = random_locs(ndim, NPTS, 400 + c);
            double *world = omreg_test_alloc(NPTS * (size_t)ndim, sizeof(double));
            const double *A = g2w(ndim);
            for (size_t p = 0; p < NPTS; ++p)
                for (int r = 0; r < ndim; ++r) {
                    double s = A[r * (ndim + 1) + ndim];
                    for (int k = 0; k < ndim; ++k)
                        s += A[r * (ndim + 1) + k] * locs[p * (size_t)ndim + (size_t)k];
                    world[p * (size_t)ndim + (size_t)r] = s;
                }
            size_t sbytes = NPTS * (size_t)ndim * esize(dt);
            void *s_api = omreg_test_alloc(NPTS * (size_t)ndim, esize(dt));
            void *s_slot = omreg_test_alloc(NPTS * (size_t)ndim, esize(dt));
            int *si_api = omreg_test_alloc(NPTS, sizeof(int));
            int *si_slot = omreg_test_alloc(NPTS, sizeof(int));
            memset(s_api, 0x5A, sbytes);
            assert_int_equal(omreg_sparse_gradient(b, img, world, NPTS, s_api, si_api), OMREG_OK);
            if (dt == OMREG_F64)
                SLOT_AT(b, grad_cases[c].sparse, omreg_sparse_gradient_3d_f64_fn)
                (omreg_backend_threads(b, 0), omreg_image_cdata(img), omreg_image_shape(img), w2g,
                 spacing, world, NPTS, s_slot, si_slot);
            else
                SLOT_AT(b, grad_cases[c].sparse, omreg_sparse_gradient_3d_f32_fn)
                (omreg_backend_threads(b, 0), omreg_image_cdata(img), omreg_image_shape(img), w2g,
                 spacing, world, NPTS, s_slot, si_slot);
            assert_same_bytes("sparse gradient", s_api, s_slot, sbytes);
            assert_same_bytes("sparse gradient inside", si_api, si_slot, NPTS * sizeof(int));
            assert_mixed_flags(si_api, NPTS);
            free(locs);
            free(world);
            free(s_api);
            free(s_slot);
            free(si_api);
            free(si_slot);
            omreg_image_free(img);
        }
}

/* I(world x) = c . x + c0 sampled on the oblique grid: the physical
 * gradient is c wherever all lookups are inside. */
static void gradient_of_linear_image(void **state)
{
    (void)state;
    const double c[3] = {0.75, -1.5, 2.25}, c0 = 3.0;
    for (int bi = 0; bi < 2; ++bi)
        for (int ndim = 2; ndim <= 3; ++ndim) {
            omreg_image *img = NULL, *field = NULL;
            assert_int_equal(omreg_image_create(&img, ndim, img_shape(ndim), 1, OMREG_F64,
                                                g2w(ndim)),
                             OMREG_OK);
            double *v = omreg_image_data(img);
            const double *A = g2w(ndim);
            const size_t *s = omreg_image_shape(img);
            for (size_t k = 0; k < s[0]; ++k)
                for (size_t i = 0; i < s[1]; ++i)
                    for (size_t j = 0; j < s[2]; ++j) {
                        double idx[3] = {(double)k, (double)i, (double)j};
                        double val = c0;
                        for (int r = 0; r < ndim; ++r) {
                            double x = A[r * (ndim + 1) + ndim];
                            for (int q = 0; q < ndim; ++q)
                                x += A[r * (ndim + 1) + q] * idx[q];
                            val += c[r] * x;
                        }
                        v[(k * s[1] + i) * s[2] + j] = val;
                    }
            int *inside = NULL;
            /* sample on the image's own grid */
            assert_int_equal(omreg_gradient(backends[bi], img, img_shape(ndim), g2w(ndim), &field,
                                            &inside),
                             OMREG_OK);
            const double *g = omreg_image_cdata(field);
            size_t n = omreg_image_voxels(field), checked = 0;
            for (size_t p = 0; p < n; ++p) {
                if (!inside[p])
                    continue;
                ++checked;
                for (int r = 0; r < ndim; ++r)
                    if (!(fabs(g[p * (size_t)ndim + (size_t)r] - c[r]) <= LINEAR_GRAD_TOL))
                        fail_msg("%s %dD voxel %zu axis %d: gradient %.17g, want %.17g",
                                 omreg_backend_name(backends[bi]), ndim, p, r,
                                 g[p * (size_t)ndim + (size_t)r], c[r]);
            }
            assert_true(checked > n / 3); /* the interior is most of the grid */
            omreg_image_free(field);
            omreg_image_free(img);
            free(inside);
        }
}

/* ---- affine resampling ------------------------------------------------------- */

static const struct {
    int ndim;
    omreg_dtype dt;
    int nearest;
    size_t off;
    const char *name;
} transform_cases[] = {
#define C(ndim, dt, nearest, slot) {ndim, dt, nearest, offsetof(struct omreg_backend, slot), #slot}
    C(2, OMREG_F64, 0, transform_affine_2d_f64),
    C(2, OMREG_F32, 0, transform_affine_2d_f32),
    C(3, OMREG_F64, 0, transform_affine_3d_f64),
    C(3, OMREG_F32, 0, transform_affine_3d_f32),
    C(2, OMREG_F64, 1, transform_affine_nn_2d_f64),
    C(2, OMREG_F32, 1, transform_affine_nn_2d_f32),
    C(3, OMREG_F64, 1, transform_affine_nn_3d_f64),
    C(3, OMREG_F32, 1, transform_affine_nn_3d_f32),
#undef C
};

static void transform_affine_matches_slot(void **state)
{
    (void)state;
    for (int bi = 0; bi < 2; ++bi)
        for (size_t c = 0; c < sizeof transform_cases / sizeof transform_cases[0]; ++c)
            for (int with_affine = 0; with_affine < 2; ++with_affine) {
                const struct omreg_backend *b = backends[bi];
                const int ndim = transform_cases[c].ndim;
                const omreg_dtype dt = transform_cases[c].dt;
                const double *A = with_affine ? (ndim == 2 ? ga2 : ga3) : NULL;
                omreg_image *img = random_image(ndim, 1, dt, 500 + c), *out = NULL;
                assert_int_equal(omreg_transform_affine(b, img, out_shape(ndim), A,
                                                        transform_cases[c].nearest, &out),
                                 OMREG_OK);
                assert_int_equal(omreg_image_ndim(out), ndim);
                assert_int_equal(omreg_image_ncomp(out), 1);
                assert_int_equal(omreg_image_dtype(out), dt);
                assert_true(omreg_image_owns_data(out));
                for (int d = 0; d < ndim; ++d)
                    assert_int_equal(omreg_image_shape(out)[d], out_shape(ndim)[d]);
                double eye[16];
                omreg_mat_identity(ndim + 1, eye);
                assert_memory_equal(omreg_image_grid2world(out), eye,
                                    sizeof(double) * (size_t)((ndim + 1) * (ndim + 1)));
                size_t n = omreg_image_voxels(out);
                void *o_slot = omreg_test_alloc(n, esize(dt));
                if (dt == OMREG_F64)
                    SLOT_AT(b, transform_cases[c].off, omreg_transform_affine_3d_f64_fn)
                    (omreg_backend_threads(b, 0), omreg_image_cdata(img), omreg_image_shape(img),
                     out_shape(ndim), A, o_slot);
                else
                    SLOT_AT(b, transform_cases[c].off, omreg_transform_affine_3d_f32_fn)
                    (omreg_backend_threads(b, 0), omreg_image_cdata(img), omreg_image_shape(img),
                     out_shape(ndim), A, o_slot);
                assert_same_bytes(transform_cases[c].name, omreg_image_cdata(out), o_slot,
                                  n * esize(dt));
                omreg_image_free(out);
                omreg_image_free(img);
                free(o_slot);
            }
}

/* ---- moments ------------------------------------------------------------------ */

static void moments_match_slot(void **state)
{
    (void)state;
    /* 41 x 29 x 23 = 27347 voxels: 7 blocks, the last one partial */
    const size_t big[3] = {41, 29, 23};
    for (int bi = 0; bi < 2; ++bi)
        for (int f64 = 0; f64 < 2; ++f64) {
            const struct omreg_backend *b = backends[bi];
            omreg_image *img = NULL;
            assert_int_equal(omreg_image_create(&img, 3, big, 1, f64 ? OMREG_F64 : OMREG_F32,
                                                NULL),
                             OMREG_OK);
            size_t n = omreg_image_voxels(img);
            if (f64)
                omreg_test_fill_uniform_f64(omreg_image_data(img), n, 600, -3.0, 7.0);
            else
                omreg_test_fill_uniform_f32(omreg_image_data(img), n, 601, -3.0, 7.0);
            double m_api[2] = {-1, -1}, m_slot[2];
            double *scratch = omreg_test_alloc(2 * omreg_reduce_blocks(n), sizeof(double));
            assert_int_equal(omreg_image_moments(b, img, m_api), OMREG_OK);
            if (f64)
                b->image_moments_f64(omreg_backend_threads(b, 0), omreg_image_cdata(img), n,
                                     scratch, m_slot);
            else
                b->image_moments_f32(omreg_backend_threads(b, 0), omreg_image_cdata(img), n,
                                     scratch, m_slot);
            assert_same_bytes("image moments", m_api, m_slot, sizeof m_api);
            free(scratch);
            omreg_image_free(img);
        }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interpolate_matches_slot),
        cmocka_unit_test(gradient_matches_slot),
        cmocka_unit_test(gradient_of_linear_image),
        cmocka_unit_test(transform_affine_matches_slot),
        cmocka_unit_test(moments_match_slot),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
