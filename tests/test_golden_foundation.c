/* Golden test of the Foundation kernels against DIPY 1.6.0
 * (fixtures/gen_foundation.py): interpolate_{scalar,vector,scalar_nn}_{2,3}d,
 * gradient / sparse_gradient, transform_{2,3}d_affine(_nn), each for float64
 * and float32, plus omreg_get_direction_and_spacings vs DIPY's
 * get_direction_and_spacings and image_moments vs exact sums.
 * The kernels get the very arrays DIPY got (images, grid coordinates,
 * world2grid = numpy's inverse, DIPY's spacings, sampling affines), and run
 * through omreg_test_backend() and the reference table. Everything from DIPY
 * is compared BITWISE, values and inside flags: the ports evaluate DIPY's
 * expressions in DIPY's order, round float32 partial sums where DIPY's
 * `floating` stores do, and the build has -ffp-contract=off (DIPY's x86-64
 * build cannot fuse either). Only image_moments, which DIPY lacks, has a
 * tolerance against the exact sum (MOMENTS_*); its canonical block order is
 * also checked bitwise against a Python evaluation of that order.
 * NaN policy: fixtures are finite; outputs are pre-filled with a NaN bit
 * pattern so an unwritten entry fails the byte comparison. */
#include "omreg_test.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "omreg/image.h"
#include "omreg/interpolate.h"
#include "omreg/matrix.h"
#include "omreg/resample.h"
#include "omreg/warp.h"

/* The two tables every case runs through: the one under test (parallel
 * unless OMREG_BACKEND=reference) and the reference explicitly. */
static const struct omreg_backend *tables[2];

static int setup(void **state)
{
    (void)state;
    tables[0] = omreg_test_backend();
    tables[1] = omreg_backend_reference();
    return 0;
}

/* fixtures/foundation/<printf(fmt, ...)>.npy */
static void load(omreg_npy *out, omreg_npy_type type, const char *fmt, ...)
{
    char name[200], rel[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(name, sizeof name, fmt, ap);
    va_end(ap);
    snprintf(rel, sizeof rel, "foundation/%s.npy", name);
    omreg_test_load(rel, type, out);
}

/* "<slot> <case> <backend>[ inside]": names a comparison in failure output */
static char what[2][200];
static void name_case(const char *slot, const char *shape, const char *aff, int b)
{
    const char *bn = omreg_backend_name(tables[b]);
    snprintf(what[0], sizeof what[0], "%s %s%s%s [%s]", slot, shape, aff ? "_" : "",
             aff ? aff : "", bn);
    snprintf(what[1], sizeof what[1], "%.180s inside", what[0]);
}

/* 0xFF bytes: a NaN in either float type, -1 as an int */
static void poison(void *p, size_t bytes)
{
    memset(p, 0xFF, bytes);
}

static const char *const shape_tags[] = {"odd", "thin"};
#define NSHAPES 2

/* ---- interpolation ------------------------------------------------------
 * fixtures: img<d>d_<shape>_<dt> (scalar, nn) or vec<d>d_<shape>_<dt>
 * (vector), locs<d>d_<shape> (n x d grid coordinates),
 * interp_<kind>_<d>d_<dt>_<shape>_{out,inside}. */

#define INTERP_CASE(NAME, FLT, T, NPYT, DIM, KIND, SRC, NCOMP, SLOT)                               \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        for (int s = 0; s < NSHAPES; ++s) {                                                        \
            omreg_npy img, locs, want, want_in;                                                    \
            load(&img, NPYT, SRC "%dd_%s_" #T, DIM, shape_tags[s]);                                \
            load(&locs, OMREG_NPY_F64, "locs%dd_%s", DIM, shape_tags[s]);                          \
            load(&want, NPYT, "interp_" KIND "_%dd_" #T "_%s_out", DIM, shape_tags[s]);            \
            load(&want_in, OMREG_NPY_I32, "interp_" KIND "_%dd_" #T "_%s_inside", DIM,             \
                 shape_tags[s]);                                                                   \
            assert_int_equal(img.ndim, NCOMP > 1 ? DIM + 1 : DIM);                                 \
            assert_int_equal(locs.ndim, 2);                                                        \
            assert_int_equal(locs.shape[1], DIM);                                                  \
            size_t n = locs.shape[0];                                                              \
            assert_int_equal(want.count, n *NCOMP);                                                \
            assert_int_equal(want_in.count, n);                                                    \
            FLT *out = omreg_test_alloc(n * NCOMP, sizeof(FLT));                                   \
            int *inside = omreg_test_alloc(n, sizeof(int));                                        \
            for (int b = 0; b < 2; ++b) {                                                          \
                poison(out, n *NCOMP * sizeof(FLT));                                               \
                poison(inside, n * sizeof(int));                                                   \
                tables[b]->SLOT(omreg_backend_threads(tables[b], 0), img.data, img.shape,          \
                                locs.data, n, out, inside);                                        \
                name_case(#SLOT, shape_tags[s], NULL, b);                                          \
                assert_true(omreg_test_same_##T(what[0], out, want.data, n *NCOMP));               \
                assert_true(omreg_test_same_i32(what[1], inside, want_in.data, n));                \
            }                                                                                      \
            free(out);                                                                             \
            free(inside);                                                                          \
            omreg_npy_free(&img);                                                                  \
            omreg_npy_free(&locs);                                                                 \
            omreg_npy_free(&want);                                                                 \
            omreg_npy_free(&want_in);                                                              \
        }                                                                                          \
    }

INTERP_CASE(interp_scalar_2d_f64, double, f64, OMREG_NPY_F64, 2, "scalar", "img", 1,
            interpolate_scalar_2d_f64)
INTERP_CASE(interp_scalar_2d_f32, float, f32, OMREG_NPY_F32, 2, "scalar", "img", 1,
            interpolate_scalar_2d_f32)
INTERP_CASE(interp_scalar_3d_f64, double, f64, OMREG_NPY_F64, 3, "scalar", "img", 1,
            interpolate_scalar_3d_f64)
INTERP_CASE(interp_scalar_3d_f32, float, f32, OMREG_NPY_F32, 3, "scalar", "img", 1,
            interpolate_scalar_3d_f32)
INTERP_CASE(interp_vector_2d_f64, double, f64, OMREG_NPY_F64, 2, "vector", "vec", 2,
            interpolate_vector_2d_f64)
INTERP_CASE(interp_vector_2d_f32, float, f32, OMREG_NPY_F32, 2, "vector", "vec", 2,
            interpolate_vector_2d_f32)
INTERP_CASE(interp_vector_3d_f64, double, f64, OMREG_NPY_F64, 3, "vector", "vec", 3,
            interpolate_vector_3d_f64)
INTERP_CASE(interp_vector_3d_f32, float, f32, OMREG_NPY_F32, 3, "vector", "vec", 3,
            interpolate_vector_3d_f32)
INTERP_CASE(interp_nn_2d_f64, double, f64, OMREG_NPY_F64, 2, "nn", "img", 1,
            interpolate_scalar_nn_2d_f64)
INTERP_CASE(interp_nn_2d_f32, float, f32, OMREG_NPY_F32, 2, "nn", "img", 1,
            interpolate_scalar_nn_2d_f32)
INTERP_CASE(interp_nn_3d_f64, double, f64, OMREG_NPY_F64, 3, "nn", "img", 1,
            interpolate_scalar_nn_3d_f64)
INTERP_CASE(interp_nn_3d_f32, float, f32, OMREG_NPY_F32, 3, "nn", "img", 1,
            interpolate_scalar_nn_3d_f32)

/* ---- gradients ----------------------------------------------------------
 * fixtures per <shape>_<affine> (identity, anisotropic diagonal, oblique
 * grid-to-world): grad<d>d_<case>_{w2g,spacing,outg2w} (w2g is numpy's
 * inverse of the grid-to-world, spacing DIPY's get_direction_and_spacings),
 * grad<d>d_<dt>_<case>_{out,inside} (dense, DIPY gradient() on the shifted
 * image grid), sgrad<d>d_<case>_points and sgrad<d>d_<dt>_<case>_{out,inside}
 * (DIPY sparse_gradient() at world points near the borders). The odd-shape
 * cases contain points where DIPY's un-reset dx[p] after a failed lookup
 * changes the result (the generator asserts it), so a port that "fixed" the
 * quirk fails here. */

static const char *const affine_tags[] = {"identity", "aniso", "oblique"};
#define NAFFINES 3

#define GRADIENT_CASE(NAME, FLT, T, NPYT, DIM, SLOT, SPARSE_SLOT)                                  \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        for (int s = 0; s < NSHAPES; ++s)                                                          \
            for (int a = 0; a < NAFFINES; ++a) {                                                   \
                const char *sh = shape_tags[s], *af = affine_tags[a];                              \
                omreg_npy img, w2g, spacing, outg2w, want, want_in, pts, swant, swant_in;          \
                load(&img, NPYT, "img%dd_%s_" #T, DIM, sh);                                        \
                load(&w2g, OMREG_NPY_F64, "grad%dd_%s_%s_w2g", DIM, sh, af);                       \
                load(&spacing, OMREG_NPY_F64, "grad%dd_%s_%s_spacing", DIM, sh, af);               \
                load(&outg2w, OMREG_NPY_F64, "grad%dd_%s_%s_outg2w", DIM, sh, af);                 \
                load(&want, NPYT, "grad%dd_" #T "_%s_%s_out", DIM, sh, af);                        \
                load(&want_in, OMREG_NPY_I32, "grad%dd_" #T "_%s_%s_inside", DIM, sh, af);         \
                load(&pts, OMREG_NPY_F64, "sgrad%dd_%s_%s_points", DIM, sh, af);                   \
                load(&swant, NPYT, "sgrad%dd_" #T "_%s_%s_out", DIM, sh, af);                      \
                load(&swant_in, OMREG_NPY_I32, "sgrad%dd_" #T "_%s_%s_inside", DIM, sh, af);       \
                assert_int_equal(img.ndim, DIM);                                                   \
                assert_int_equal(w2g.count, (DIM + 1) * (DIM + 1));                                \
                assert_int_equal(outg2w.count, (DIM + 1) * (DIM + 1));                             \
                assert_int_equal(spacing.count, DIM);                                              \
                assert_int_equal(want.ndim, DIM + 1);                                              \
                assert_int_equal(want.shape[DIM], DIM);                                            \
                size_t nout = want.count / DIM; /* out_shape = want.shape[0..DIM-1] */             \
                assert_int_equal(want_in.count, nout);                                             \
                assert_int_equal(pts.ndim, 2);                                                     \
                assert_int_equal(pts.shape[1], DIM);                                               \
                size_t npts = pts.shape[0];                                                        \
                assert_int_equal(swant.count, npts *DIM);                                          \
                assert_int_equal(swant_in.count, npts);                                            \
                FLT *out = omreg_test_alloc(nout * DIM, sizeof(FLT));                              \
                int *inside = omreg_test_alloc(nout, sizeof(int));                                 \
                FLT *sout = omreg_test_alloc(npts * DIM, sizeof(FLT));                             \
                int *sinside = omreg_test_alloc(npts, sizeof(int));                                \
                for (int b = 0; b < 2; ++b) {                                                      \
                    name_case(#SLOT, sh, af, b);                                                   \
                    poison(out, nout *DIM * sizeof(FLT));                                          \
                    poison(inside, nout * sizeof(int));                                            \
                    tables[b]->SLOT(omreg_backend_threads(tables[b], 0), img.data, img.shape,      \
                                    w2g.data, spacing.data, want.shape, outg2w.data, out, inside); \
                    assert_true(omreg_test_same_##T(what[0], out, want.data, nout *DIM));          \
                    assert_true(omreg_test_same_i32(what[1], inside, want_in.data, nout));         \
                    name_case(#SPARSE_SLOT, sh, af, b);                                            \
                    poison(sout, npts *DIM * sizeof(FLT));                                         \
                    poison(sinside, npts * sizeof(int));                                           \
                    tables[b]->SPARSE_SLOT(omreg_backend_threads(tables[b], 0), img.data,          \
                                           img.shape, w2g.data, spacing.data, pts.data, npts,      \
                                           sout, sinside);                                         \
                    assert_true(omreg_test_same_##T(what[0], sout, swant.data, npts *DIM));        \
                    assert_true(omreg_test_same_i32(what[1], sinside, swant_in.data, npts));       \
                }                                                                                  \
                free(out);                                                                         \
                free(inside);                                                                      \
                free(sout);                                                                        \
                free(sinside);                                                                     \
                omreg_npy_free(&img);                                                              \
                omreg_npy_free(&w2g);                                                              \
                omreg_npy_free(&spacing);                                                          \
                omreg_npy_free(&outg2w);                                                           \
                omreg_npy_free(&want);                                                             \
                omreg_npy_free(&want_in);                                                          \
                omreg_npy_free(&pts);                                                              \
                omreg_npy_free(&swant);                                                            \
                omreg_npy_free(&swant_in);                                                         \
            }                                                                                      \
    }

GRADIENT_CASE(gradient_2d_f64, double, f64, OMREG_NPY_F64, 2, gradient_2d_f64,
              sparse_gradient_2d_f64)
GRADIENT_CASE(gradient_2d_f32, float, f32, OMREG_NPY_F32, 2, gradient_2d_f32,
              sparse_gradient_2d_f32)
GRADIENT_CASE(gradient_3d_f64, double, f64, OMREG_NPY_F64, 3, gradient_3d_f64,
              sparse_gradient_3d_f64)
GRADIENT_CASE(gradient_3d_f32, float, f32, OMREG_NPY_F32, 3, gradient_3d_f32,
              sparse_gradient_3d_f32)

/* ---- affine resampling --------------------------------------------------
 * fixtures per <shape>_<affine>: transform<d>d_<case>_affine (grid-to-grid,
 * absent for "none" = DIPY's affine=None, passed as NULL; "singular" has
 * two proportional rows and also goes through omreg_transform_affine), and
 * transform_{lin,nn}_<d>d_<dt>_<case>_out whose shape is DIPY's ref_shape
 * (larger than the image on the first and last axes, smaller on the
 * second). */

static const char *const transform_tags[] = {"none", "rot", "half", "singular"};
#define NTRANSFORMS 4
#define SINGULAR_TRANSFORM 3

/* The public entry point on a singular affine (DIPY applies it as any
 * other): the same bytes as DIPY's. */
static void transform_api_case(const omreg_backend *b, const omreg_npy *img, int dim,
                               omreg_dtype dt, const double *aff, int nearest,
                               const omreg_npy *want, const char *what)
{
    omreg_image *in = NULL, *res = NULL;
    assert_int_equal(omreg_image_wrap(&in, img->data, dim, img->shape, 1, dt, NULL), OMREG_OK);
    assert_int_equal(omreg_transform_affine(b, in, want->shape, aff, nearest, &res), OMREG_OK);
    if (dt == OMREG_F64)
        assert_true(omreg_test_same_f64(what, omreg_image_cdata(res), want->data, want->count));
    else
        assert_true(omreg_test_same_f32(what, omreg_image_cdata(res), want->data, want->count));
    omreg_image_free(res);
    omreg_image_free(in);
}

#define TRANSFORM_CASE(NAME, FLT, T, NPYT, DIM, KIND, SLOT)                                        \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        for (int s = 0; s < NSHAPES; ++s)                                                          \
            for (int a = 0; a < NTRANSFORMS; ++a) {                                                \
                const char *sh = shape_tags[s], *af = transform_tags[a];                           \
                omreg_npy img, aff, want;                                                          \
                memset(&aff, 0, sizeof aff);                                                       \
                load(&img, NPYT, "img%dd_%s_" #T, DIM, sh);                                        \
                if (a > 0) {                                                                       \
                    load(&aff, OMREG_NPY_F64, "transform%dd_%s_%s_affine", DIM, sh, af);           \
                    assert_int_equal(aff.count, (DIM + 1) * (DIM + 1));                            \
                }                                                                                  \
                load(&want, NPYT, "transform_" KIND "_%dd_" #T "_%s_%s_out", DIM, sh, af);         \
                assert_int_equal(img.ndim, DIM);                                                   \
                assert_int_equal(want.ndim, DIM);                                                  \
                FLT *out = omreg_test_alloc(want.count, sizeof(FLT));                              \
                for (int b = 0; b < 2; ++b) {                                                      \
                    name_case(#SLOT, sh, af, b);                                                   \
                    poison(out, want.count * sizeof(FLT));                                         \
                    tables[b]->SLOT(omreg_backend_threads(tables[b], 0), img.data, img.shape,      \
                                    want.shape, a > 0 ? (const double *)aff.data : NULL, out);     \
                    assert_true(omreg_test_same_##T(what[0], out, want.data, want.count));         \
                    if (a == SINGULAR_TRANSFORM)                                                   \
                        transform_api_case(tables[b], &img, DIM,                                   \
                                           sizeof(FLT) == 8 ? OMREG_F64 : OMREG_F32, aff.data,     \
                                           KIND[0] == 'n', &want, what[0]);                        \
                }                                                                                  \
                free(out);                                                                         \
                omreg_npy_free(&img);                                                              \
                omreg_npy_free(&aff);                                                              \
                omreg_npy_free(&want);                                                             \
            }                                                                                      \
    }

TRANSFORM_CASE(transform_2d_f64, double, f64, OMREG_NPY_F64, 2, "lin", transform_affine_2d_f64)
TRANSFORM_CASE(transform_2d_f32, float, f32, OMREG_NPY_F32, 2, "lin", transform_affine_2d_f32)
TRANSFORM_CASE(transform_3d_f64, double, f64, OMREG_NPY_F64, 3, "lin", transform_affine_3d_f64)
TRANSFORM_CASE(transform_3d_f32, float, f32, OMREG_NPY_F32, 3, "lin", transform_affine_3d_f32)
TRANSFORM_CASE(transform_nn_2d_f64, double, f64, OMREG_NPY_F64, 2, "nn",
               transform_affine_nn_2d_f64)
TRANSFORM_CASE(transform_nn_2d_f32, float, f32, OMREG_NPY_F32, 2, "nn",
               transform_affine_nn_2d_f32)
TRANSFORM_CASE(transform_nn_3d_f64, double, f64, OMREG_NPY_F64, 3, "nn",
               transform_affine_nn_3d_f64)
TRANSFORM_CASE(transform_nn_3d_f32, float, f32, OMREG_NPY_F32, 3, "nn",
               transform_affine_nn_3d_f32)

/* ---- get_direction_and_spacings -----------------------------------------
 * dirsp<d>d_<case>_{affine,direction,spacings}; "none" has no affine (DIPY's
 * affine=None, omreg's NULL). DIPY's spacings are float32-rounded (nibabel's
 * pixdim), which omreg reproduces, so the comparison is bitwise. */

static void direction_and_spacings(void **state)
{
    (void)state;
    static const char *const cases[] = {"identity", "aniso", "oblique", "shear", "flip", "none"};
    for (int dim = 2; dim <= 3; ++dim)
        for (size_t c = 0; c < sizeof cases / sizeof cases[0]; ++c) {
            int none = strcmp(cases[c], "none") == 0;
            omreg_npy aff, dir, sp;
            memset(&aff, 0, sizeof aff);
            if (!none) {
                load(&aff, OMREG_NPY_F64, "dirsp%dd_%s_affine", dim, cases[c]);
                assert_int_equal(aff.count, (size_t)((dim + 1) * (dim + 1)));
            }
            load(&dir, OMREG_NPY_F64, "dirsp%dd_%s_direction", dim, cases[c]);
            load(&sp, OMREG_NPY_F64, "dirsp%dd_%s_spacings", dim, cases[c]);
            assert_int_equal(dir.count, (size_t)(dim * dim));
            assert_int_equal(sp.count, (size_t)dim);
            double got_dir[9], got_sp[3];
            poison(got_dir, sizeof got_dir);
            poison(got_sp, sizeof got_sp);
            char tag[32];
            snprintf(tag, sizeof tag, "%dd_%s", dim, cases[c]);
            snprintf(what[0], sizeof what[0], "spacings %s", tag);
            snprintf(what[1], sizeof what[1], "direction %s", tag);
            assert_int_equal(omreg_get_direction_and_spacings(
                                 dim, none ? NULL : (const double *)aff.data, got_dir, got_sp),
                             OMREG_OK);
            assert_true(omreg_test_same_f64(what[0], got_sp, sp.data, (size_t)dim));
            assert_true(omreg_test_same_f64(what[1], got_dir, dir.data, (size_t)(dim * dim)));
            omreg_npy_free(&aff);
            omreg_npy_free(&dir);
            omreg_npy_free(&sp);
        }
}

/* ---- canonical moments ---------------------------------------------------
 * moments_<dt>_img (2 full blocks + a partial one), moments_<dt>_exact =
 * (sum x, sum x^2, sum |x|) exactly rounded (Python Fraction / math.fsum),
 * moments_<dt>_canonical = the canonical block order of kernels_reduce.h in
 * Python floats, moments_block = the block size the fixture assumed.
 *
 * Tolerance vs the exact sums: in the canonical order every term passes
 * through at most MOMENTS_CHAIN(n) = (B - 1) + (nblocks - 1) rounded
 * additions, so |computed - exact| <= gamma_k * sum|x_i| (Higham, Accuracy
 * and Stability, eq. 4.4) with k = MOMENTS_CHAIN(n), plus one rounding of
 * each square for float64 input (a float squared is exact in double), plus
 * one for rounding the exact value to double in the fixture. */
#define MOMENTS_UNIT_ROUNDOFF (DBL_EPSILON / 2)
#define MOMENTS_CHAIN(n) ((OMREG_REDUCE_BLOCK - 1) + (omreg_reduce_blocks(n) - 1))

static double moments_bound(size_t k, double abs_sum)
{
    double ku = (double)k * MOMENTS_UNIT_ROUNDOFF;
    return ku / (1 - ku) * abs_sum;
}

#define MOMENTS_CASE(NAME, T, NPYT, SLOT, SQUARE_ROUNDINGS)                                        \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        omreg_npy block, img, exact, canon;                                                        \
        load(&block, OMREG_NPY_I64, "moments_block");                                              \
        load(&img, NPYT, "moments_" #T "_img");                                                    \
        load(&exact, OMREG_NPY_F64, "moments_" #T "_exact");                                       \
        load(&canon, OMREG_NPY_F64, "moments_" #T "_canonical");                                   \
        assert_int_equal(((const long long *)block.data)[0], (long long)OMREG_REDUCE_BLOCK);       \
        size_t n = img.count;                                                                      \
        assert_true(omreg_reduce_blocks(n) >= 3);                                                  \
        const double *ex = exact.data;                                                             \
        double tol_sum = moments_bound(MOMENTS_CHAIN(n) + 1, ex[2]);                               \
        double tol_sq = moments_bound(MOMENTS_CHAIN(n) + 1 + SQUARE_ROUNDINGS, ex[1]);             \
        double *scratch = omreg_test_alloc(2 * omreg_reduce_blocks(n), sizeof(double));            \
        for (int b = 0; b < 2; ++b) {                                                              \
            double got[2];                                                                         \
            poison(got, sizeof got);                                                               \
            tables[b]->SLOT(omreg_backend_threads(tables[b], 0), img.data, n, scratch, got);       \
            print_message("%s %s: sum err %a (tol %a), sq err %a (tol %a)\n", #SLOT,               \
                          omreg_backend_name(tables[b]), fabs(got[0] - ex[0]), tol_sum,            \
                          fabs(got[1] - ex[1]), tol_sq);                                           \
            name_case(#SLOT, "canonical", NULL, b);                                                \
            assert_true(omreg_test_same_f64(what[0], got, canon.data, 2));                         \
            assert_true(fabs(got[0] - ex[0]) <= tol_sum);                                          \
            assert_true(fabs(got[1] - ex[1]) <= tol_sq);                                           \
        }                                                                                          \
        free(scratch);                                                                             \
        omreg_npy_free(&block);                                                                    \
        omreg_npy_free(&img);                                                                      \
        omreg_npy_free(&exact);                                                                    \
        omreg_npy_free(&canon);                                                                    \
    }

MOMENTS_CASE(moments_f64, f64, OMREG_NPY_F64, image_moments_f64, 1)
MOMENTS_CASE(moments_f32, f32, OMREG_NPY_F32, image_moments_f32, 0)

/* ---- integer label maps on the nearest-neighbour entry points ------------
 * DIPY's transform_{2,3}d_affine_nn, warp_{2,3}d_nn and
 * interpolate_scalar_nn_{2,3}d take integer images; omreg's nearest lookups
 * move values without arithmetic (0 outside, whose bits are integer 0), so
 * an int32 / int64 image viewed as float32 / float64 (omreg.dipy's route)
 * must give DIPY's integer output byte for byte, including labels whose
 * float bits are a NaN (-1), a denormal (1) or a signalling NaN
 * (0x7f800001). Fixtures intnn<d>d_<int type>_* (gen_foundation.py). */
static void integer_nn_case(int dim, int wide, int b)
{
    const char *it = wide ? "int64" : "int32";
    const omreg_npy_type nt = wide ? OMREG_NPY_I64 : OMREG_NPY_I32;
    const omreg_dtype dt = wide ? OMREG_F64 : OMREG_F32;
    const omreg_backend *be = tables[b];
    omreg_npy img, field, aff, locs, tr, wp, ip, inside;
    load(&img, nt, "intnn%dd_%s_img", dim, it);
    load(&field, wide ? OMREG_NPY_F64 : OMREG_NPY_F32, "intnn%dd_%s_field", dim, it);
    load(&aff, OMREG_NPY_F64, "intnn%dd_affine", dim);
    load(&locs, OMREG_NPY_F64, "intnn%dd_locs", dim);
    load(&tr, nt, "intnn%dd_%s_transform_out", dim, it);
    load(&wp, nt, "intnn%dd_%s_warp_out", dim, it);
    load(&ip, nt, "intnn%dd_%s_interp_out", dim, it);
    load(&inside, OMREG_NPY_I32, "intnn%dd_%s_interp_inside", dim, it);
    const size_t esize = wide ? 8 : 4;
    omreg_image *im = NULL, *f = NULL, *out = NULL;
    assert_int_equal(omreg_image_wrap(&im, img.data, dim, img.shape, 1, dt, NULL), OMREG_OK);
    assert_int_equal(omreg_image_wrap(&f, field.data, dim, field.shape, dim, dt, NULL), OMREG_OK);
    char w[160];

    assert_int_equal(omreg_transform_affine(be, im, tr.shape, aff.data, 1, &out), OMREG_OK);
    snprintf(w, sizeof w, "transform_affine nearest %dD %s [%s]", dim, it, omreg_backend_name(be));
    if (memcmp(omreg_image_cdata(out), tr.data, tr.count * esize) != 0)
        fail_msg("%s: differs from DIPY's integer output", w);
    omreg_image_free(out);
    out = NULL;

    assert_int_equal(omreg_warp(be, im, f, NULL, NULL, NULL, NULL, OMREG_WARP_NEAREST, &out),
                     OMREG_OK);
    snprintf(w, sizeof w, "warp nearest %dD %s [%s]", dim, it, omreg_backend_name(be));
    if (memcmp(omreg_image_cdata(out), wp.data, wp.count * esize) != 0)
        fail_msg("%s: differs from DIPY's integer output", w);
    omreg_image_free(out);

    const size_t n = locs.shape[0];
    void *vals = omreg_test_alloc(n, esize);
    int *ins = omreg_test_alloc(n, sizeof(int));
    poison(vals, n * esize);
    assert_int_equal(omreg_interpolate(be, im, locs.data, n, 1, vals, ins), OMREG_OK);
    snprintf(w, sizeof w, "interpolate nearest %dD %s [%s]", dim, it, omreg_backend_name(be));
    if (memcmp(vals, ip.data, n * esize) != 0 || memcmp(ins, inside.data, n * sizeof(int)) != 0)
        fail_msg("%s: differs from DIPY's integer output", w);
    free(vals);
    free(ins);
    omreg_image_free(im);
    omreg_image_free(f);
    omreg_npy *all[] = {&img, &field, &aff, &locs, &tr, &wp, &ip, &inside};
    for (size_t q = 0; q < sizeof all / sizeof all[0]; ++q)
        omreg_npy_free(all[q]);
}

static void integer_nn(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim)
        for (int wide = 0; wide < 2; ++wide)
            for (int b = 0; b < 2; ++b)
                integer_nn_case(dim, wide, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(interp_scalar_2d_f64), cmocka_unit_test(interp_scalar_2d_f32),
        cmocka_unit_test(interp_scalar_3d_f64), cmocka_unit_test(interp_scalar_3d_f32),
        cmocka_unit_test(interp_vector_2d_f64), cmocka_unit_test(interp_vector_2d_f32),
        cmocka_unit_test(interp_vector_3d_f64), cmocka_unit_test(interp_vector_3d_f32),
        cmocka_unit_test(interp_nn_2d_f64),     cmocka_unit_test(interp_nn_2d_f32),
        cmocka_unit_test(interp_nn_3d_f64),     cmocka_unit_test(interp_nn_3d_f32),
        cmocka_unit_test(gradient_2d_f64),      cmocka_unit_test(gradient_2d_f32),
        cmocka_unit_test(gradient_3d_f64),      cmocka_unit_test(gradient_3d_f32),
        cmocka_unit_test(transform_2d_f64),     cmocka_unit_test(transform_2d_f32),
        cmocka_unit_test(transform_3d_f64),     cmocka_unit_test(transform_3d_f32),
        cmocka_unit_test(transform_nn_2d_f64),  cmocka_unit_test(transform_nn_2d_f32),
        cmocka_unit_test(transform_nn_3d_f64),  cmocka_unit_test(transform_nn_3d_f32),
        cmocka_unit_test(integer_nn),
        cmocka_unit_test(direction_and_spacings),
        cmocka_unit_test(moments_f64),          cmocka_unit_test(moments_f32),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
