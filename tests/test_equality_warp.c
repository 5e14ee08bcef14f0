/* Parallel vs reference, bitwise, for the warp family kernels: warp linear
 * and nearest and warp_coordinates with all affines present and all NULL
 * (every combination is compared with DIPY, for both backends, by
 * test_golden_warp; few parallel regions keep this binary fast on a loaded
 * machine, where each region can cost a time slice), downsampling (scalar and
 * field, odd and even axes), field resampling (integer and non-integer
 * factors), and the generators (random displacement, harmonic fields,
 * circle, sphere), 2D and 3D, float64 and float32, through the shared
 * harness (tests/support/equality.h: reference once, parallel twice into
 * poisoned outputs, bitwise); ctest runs this binary over the thread x
 * schedule matrix, so equality with the serial reference also proves
 * thread and schedule independence. Inputs span dozens of rows/slices so a shared
 * write or a reordered sum would show.
 * The random displacement is also checked structurally: targets are the
 * counter-based draws keyed by (seed, voxel * dim + c) in [1, n - 2],
 * reproducible, seed-dependent, roughly uniform, and the displacement maps
 * each grid point onto its target in world space.
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "equality.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/random.h"

/* Oblique affines in grid coordinates (rows of a (dim+1)^2 matrix): A maps
 * the output grid into the field grid and partly outside it, B into the
 * image grid, C is a linear map on vectors with a translation column that
 * must be ignored. */
static const double A2[9] = {0.93, 0.21, -1.7, -0.18, 1.04, 2.2, 0, 0, 1};
static const double B2[9] = {1.05, -0.12, 1.3, 0.16, 0.97, -2.4, 0, 0, 1};
static const double C2[9] = {0.88, 0.31, 7.0, -0.27, 1.11, -5.0, 0, 0, 1};
static const double A3[16] = {0.96, 0.1, -0.05, -1.2, -0.12, 1.02, 0.08, 1.7,
                              0.04, -0.09, 0.94, -0.6, 0, 0, 0, 1};
static const double B3[16] = {1.03, -0.07, 0.11, 0.9, 0.06, 0.98, -0.1, -1.5,
                              -0.08, 0.12, 1.06, 0.4, 0, 0, 0, 1};
static const double C3[16] = {0.9, 0.2, -0.1, 6.0, -0.15, 1.1, 0.05, -4.0,
                              0.1, -0.05, 1.2, 3.0, 0, 0, 0, 1};

/* ---- warp ------------------------------------------------------------------------ */

#define WARP_CASE(NAME, FLT, T, DIM, SLOT)                                                         \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const size_t img2[2] = {61, 53}, fld2[2] = {64, 58}, out2[2] = {59, 57};            \
        static const size_t img3[3] = {19, 23, 21}, fld3[3] = {22, 24, 23},                        \
                            out3[3] = {21, 23, 19};                                                \
        const size_t *is = DIM == 2 ? img2 : img3, *fs = DIM == 2 ? fld2 : fld3,                   \
                     *os = DIM == 2 ? out2 : out3;                                                 \
        const double *aff[3] = {DIM == 2 ? A2 : A3, DIM == 2 ? B2 : B3, DIM == 2 ? C2 : C3};       \
        size_t ni = omreg_eq_voxels(DIM, is), nf = omreg_eq_voxels(DIM, fs) * DIM;                 \
        size_t no = omreg_eq_voxels(DIM, os);                                                      \
        FLT *img = omreg_test_alloc(ni, sizeof(FLT));                                              \
        FLT *field = omreg_test_alloc(nf, sizeof(FLT));                                            \
        omreg_test_fill_uniform_##T(img, ni, 101, -5.0, 40.0);                                     \
        omreg_test_fill_uniform_##T(field, nf, 102, -4.0, 4.0);                                    \
        /* some exact half-integer displacements: nearest-neighbour ties */                        \
        for (size_t v = 0; v < nf; v += 7)                                                         \
            field[v] = (FLT)(0.5 * (double)((int)(v % 13) - 6));                                   \
        FLT *o_ref = omreg_test_alloc(no, sizeof(FLT));                                            \
        FLT *o_par = omreg_test_alloc(no, sizeof(FLT));                                            \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT, o_ref, o_par, no);                                             \
        for (int mask = 0; mask < 8; mask += 7) {                                                  \
            const double *A = mask & 1 ? aff[0] : NULL, *B = mask & 2 ? aff[1] : NULL,             \
                         *C = mask & 4 ? aff[2] : NULL;                                            \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), img, is, field, fs, A, B, C, os, o_ref);      \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), img, is, field, fs, A, B, C, os, o_par);  \
            }                                                                                      \
        }                                                                                          \
        free(img);                                                                                 \
        free(field);                                                                               \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
    }

WARP_CASE(warp_linear_2d_f64, double, f64, 2, warp_linear_2d_f64)
WARP_CASE(warp_linear_2d_f32, float, f32, 2, warp_linear_2d_f32)
WARP_CASE(warp_linear_3d_f64, double, f64, 3, warp_linear_3d_f64)
WARP_CASE(warp_linear_3d_f32, float, f32, 3, warp_linear_3d_f32)
WARP_CASE(warp_nn_2d_f64, double, f64, 2, warp_nn_2d_f64)
WARP_CASE(warp_nn_2d_f32, float, f32, 2, warp_nn_2d_f32)
WARP_CASE(warp_nn_3d_f64, double, f64, 3, warp_nn_3d_f64)
WARP_CASE(warp_nn_3d_f32, float, f32, 3, warp_nn_3d_f32)

/* ---- warp_coordinates ---------------------------------------------------------- */

#define NPTS 6000

#define COORDS_CASE(NAME, FLT, T, DIM, SLOT)                                                       \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const size_t fld2[2] = {41, 37}, fld3[3] = {13, 17, 15};                            \
        const size_t *fs = DIM == 2 ? fld2 : fld3;                                                 \
        const double *aff[3] = {DIM == 2 ? B2 : B3, DIM == 2 ? C2 : C3, DIM == 2 ? A2 : A3};       \
        size_t nf = omreg_eq_voxels(DIM, fs) * DIM;                                                \
        FLT *field = omreg_test_alloc(nf, sizeof(FLT));                                            \
        omreg_test_fill_uniform_##T(field, nf, 111, -3.0, 3.0);                                    \
        double *pts = omreg_test_alloc(NPTS * DIM, sizeof(double));                                \
        for (size_t p = 0; p < NPTS; ++p)                                                          \
            for (int d = 0; d < DIM; ++d)                                                          \
                pts[p * DIM + d] =                                                                 \
                    -3.0 + ((double)fs[d] + 6.0) * omreg_random_uniform(112, p * DIM + (size_t)d); \
        double *o_ref = omreg_test_alloc(NPTS * DIM, sizeof(double));                              \
        double *o_par = omreg_test_alloc(NPTS * DIM, sizeof(double));                              \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT, o_ref, o_par, NPTS *DIM);                                      \
        for (int mask = 0; mask < 8; mask += 7) {                                                  \
            const double *in2world = mask & 1 ? aff[0] : NULL;                                     \
            const double *world2out = mask & 2 ? aff[1] : NULL;                                    \
            const double *in2grid = mask & 4 ? aff[2] : NULL;                                      \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), field, fs, in2world, in2grid, world2out, pts, \
                      NPTS, o_ref);                                                                \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), field, fs, in2world, in2grid, world2out,  \
                          pts, NPTS, o_par);                                                       \
            }                                                                                      \
        }                                                                                          \
        free(field);                                                                               \
        free(pts);                                                                                 \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
    }

COORDS_CASE(coords_2d_f64, double, f64, 2, warp_coordinates_2d_f64)
COORDS_CASE(coords_2d_f32, float, f32, 2, warp_coordinates_2d_f32)
COORDS_CASE(coords_3d_f64, double, f64, 3, warp_coordinates_3d_f64)
COORDS_CASE(coords_3d_f32, float, f32, 3, warp_coordinates_3d_f32)

/* ---- downsample ------------------------------------------------------------------ */

/* the parallel kernel gathers per output cell, the reference scatters in
 * input order: mixed magnitudes make any other summation order visible, and
 * a lone -0.0 (all-odd shapes) any sum that does not start from +0.0 */
#define DOWNSAMPLE_CASE(NAME, FLT, T, DIM, NCOMP, SLOT)                                            \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const size_t s2[2][2] = {{77, 64}, {63, 77}};                                       \
        static const size_t s3[2][3] = {{23, 30, 27}, {29, 27, 23}};                               \
        for (int c = 0; c < 2; ++c) {                                                              \
            const size_t *s = DIM == 2 ? s2[c] : s3[c];                                            \
            size_t half[3], n = omreg_eq_voxels(DIM, s) * NCOMP;                                   \
            for (int d = 0; d < DIM; ++d)                                                          \
                half[d] = (s[d] + 1) / 2;                                                          \
            size_t nh = omreg_eq_voxels(DIM, half) * NCOMP;                                        \
            FLT *in = omreg_test_alloc(n, sizeof(FLT));                                            \
            for (size_t v = 0; v < n; ++v) {                                                       \
                double u = omreg_random_uniform(121, v) - 0.5;                                     \
                in[v] = (FLT)(v % 3 == 0 ? 1e7 * u : u);                                           \
            }                                                                                      \
            in[n - NCOMP] = (FLT)-0.0; /* alone in its cell when every axis is odd */              \
            FLT *o_ref = omreg_test_alloc(nh, sizeof(FLT));                                        \
            FLT *o_par = omreg_test_alloc(nh, sizeof(FLT));                                        \
            omreg_eq eq = {0};                                                                     \
            omreg_eq_output(&eq, #SLOT, o_ref, o_par, nh);                                         \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), in, s, o_ref);                                \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), in, s, o_par);                            \
            }                                                                                      \
            free(in);                                                                              \
            free(o_ref);                                                                           \
            free(o_par);                                                                           \
        }                                                                                          \
    }

DOWNSAMPLE_CASE(down_scalar_2d_f64, double, f64, 2, 1, downsample_scalar_field_2d_f64)
DOWNSAMPLE_CASE(down_scalar_2d_f32, float, f32, 2, 1, downsample_scalar_field_2d_f32)
DOWNSAMPLE_CASE(down_scalar_3d_f64, double, f64, 3, 1, downsample_scalar_field_3d_f64)
DOWNSAMPLE_CASE(down_scalar_3d_f32, float, f32, 3, 1, downsample_scalar_field_3d_f32)
DOWNSAMPLE_CASE(down_field_2d_f64, double, f64, 2, 2, downsample_displacement_field_2d_f64)
DOWNSAMPLE_CASE(down_field_2d_f32, float, f32, 2, 2, downsample_displacement_field_2d_f32)
DOWNSAMPLE_CASE(down_field_3d_f64, double, f64, 3, 3, downsample_displacement_field_3d_f64)
DOWNSAMPLE_CASE(down_field_3d_f32, float, f32, 3, 3, downsample_displacement_field_3d_f32)

/* ---- resample -------------------------------------------------------------------- */

#define RESAMPLE_CASE(NAME, FLT, T, DIM, SLOT)                                                     \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const size_t f2[2] = {40, 33}, o2[2] = {79, 65};                                    \
        static const size_t f3[3] = {12, 15, 14}, o3[3] = {23, 29, 27};                            \
        static const double fac[2][3] = {{0.5, 0.5, 0.5}, {0.531, 0.47, 0.55}};                    \
        const size_t *fs = DIM == 2 ? f2 : f3, *os = DIM == 2 ? o2 : o3;                           \
        size_t nf = omreg_eq_voxels(DIM, fs) * DIM, no = omreg_eq_voxels(DIM, os) * DIM;           \
        FLT *field = omreg_test_alloc(nf, sizeof(FLT));                                            \
        omreg_test_fill_uniform_##T(field, nf, 131, -6.0, 6.0);                                    \
        FLT *o_ref = omreg_test_alloc(no, sizeof(FLT));                                            \
        FLT *o_par = omreg_test_alloc(no, sizeof(FLT));                                            \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT, o_ref, o_par, no);                                             \
        for (int c = 0; c < 2; ++c) {                                                              \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), field, fs, fac[c], os, o_ref);                \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), field, fs, fac[c], os, o_par);            \
            }                                                                                      \
        }                                                                                          \
        free(field);                                                                               \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
    }

RESAMPLE_CASE(resample_2d_f64, double, f64, 2, resample_displacement_field_2d_f64)
RESAMPLE_CASE(resample_2d_f32, float, f32, 2, resample_displacement_field_2d_f32)
RESAMPLE_CASE(resample_3d_f64, double, f64, 3, resample_displacement_field_3d_f64)
RESAMPLE_CASE(resample_3d_f32, float, f32, 3, resample_displacement_field_3d_f32)

/* ---- generators ------------------------------------------------------------------ */

static const size_t rfrom2[2] = {97, 83}, rto2[2] = {31, 29};
static const size_t rfrom3[3] = {21, 26, 19}, rto3[3] = {15, 17, 13};
#define RSEED UINT64_C(0x5eed0123456789ab)

#define RANDOM_CASE(NAME, FLT, T, DIM, SLOT)                                                       \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        const size_t *from = DIM == 2 ? rfrom2 : rfrom3, *to = DIM == 2 ? rto2 : rto3;             \
        const double *F = DIM == 2 ? B2 : B3, *Tg = DIM == 2 ? C2 : C3;                            \
        size_t n = omreg_eq_voxels(DIM, from) * DIM;                                               \
        FLT *o_ref = omreg_test_alloc(n, sizeof(FLT)), *o_par = omreg_test_alloc(n, sizeof(FLT));  \
        int *i_ref = omreg_test_alloc(n, sizeof(int)), *i_par = omreg_test_alloc(n, sizeof(int));  \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT, o_ref, o_par, n);                                              \
        omreg_eq_output(&eq, #SLOT " targets", i_ref, i_par, n);                                   \
        for (int mask = 0; mask < 4; mask += 3) {                                                  \
            const double *fa = mask & 1 ? F : NULL, *ta = mask & 2 ? Tg : NULL;                    \
            omreg_eq_reference(&eq);                                                               \
            ref->SLOT(omreg_backend_threads(ref, 0), from, fa, to, ta, RSEED, o_ref, i_ref);       \
            OMREG_EQ_PARALLEL(&eq)                                                                 \
            {                                                                                      \
                par->SLOT(omreg_backend_threads(par, 0), from, fa, to, ta, RSEED, o_par, i_par);   \
            }                                                                                      \
        }                                                                                          \
        print_message(#SLOT " hash %016llx\n",                                                     \
                      (unsigned long long)omreg_test_hash(o_par, n * sizeof(FLT)));                \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
        free(i_ref);                                                                               \
        free(i_par);                                                                               \
    }

RANDOM_CASE(random_2d_f64, double, f64, 2, create_random_displacement_2d_f64)
RANDOM_CASE(random_2d_f32, float, f32, 2, create_random_displacement_2d_f32)
RANDOM_CASE(random_3d_f64, double, f64, 3, create_random_displacement_3d_f64)
RANDOM_CASE(random_3d_f32, float, f32, 3, create_random_displacement_3d_f32)

#define HARMONIC_CASE(NAME, FLT, T, DIM, SLOT)                                                     \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const size_t s2[2] = {101, 87}, s3[3] = {21, 26, 23};                               \
        const size_t *s = DIM == 2 ? s2 : s3;                                                      \
        size_t n = omreg_eq_voxels(DIM, s) * DIM;                                                  \
        FLT *d_ref = omreg_test_alloc(n, sizeof(FLT)), *d_par = omreg_test_alloc(n, sizeof(FLT));  \
        FLT *v_ref = omreg_test_alloc(n, sizeof(FLT)), *v_par = omreg_test_alloc(n, sizeof(FLT));  \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT " d", d_ref, d_par, n);                                         \
        omreg_eq_output(&eq, #SLOT " inv", v_ref, v_par, n);                                       \
        omreg_eq_reference(&eq);                                                                   \
        ref->SLOT(omreg_backend_threads(ref, 0), s, 0.17, 3.0, d_ref, v_ref);                      \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->SLOT(omreg_backend_threads(par, 0), s, 0.17, 3.0, d_par, v_par);                  \
        }                                                                                          \
        free(d_ref);                                                                               \
        free(d_par);                                                                               \
        free(v_ref);                                                                               \
        free(v_par);                                                                               \
    }

HARMONIC_CASE(harmonic_2d_f64, double, f64, 2, create_harmonic_fields_2d_f64)
HARMONIC_CASE(harmonic_2d_f32, float, f32, 2, create_harmonic_fields_2d_f32)
HARMONIC_CASE(harmonic_3d_f64, double, f64, 3, create_harmonic_fields_3d_f64)
HARMONIC_CASE(harmonic_3d_f32, float, f32, 3, create_harmonic_fields_3d_f32)

#define BALL_CASE(NAME, FLT, T, DIM, SLOT)                                                         \
    static void NAME(void **state)                                                                 \
    {                                                                                              \
        (void)state;                                                                               \
        static const size_t s2[2] = {101, 87}, s3[3] = {21, 26, 23};                               \
        const size_t *s = DIM == 2 ? s2 : s3;                                                      \
        size_t n = omreg_eq_voxels(DIM, s);                                                        \
        FLT *o_ref = omreg_test_alloc(n, sizeof(FLT)), *o_par = omreg_test_alloc(n, sizeof(FLT));  \
        omreg_eq eq = {0};                                                                         \
        omreg_eq_output(&eq, #SLOT, o_ref, o_par, n);                                              \
        omreg_eq_reference(&eq);                                                                   \
        ref->SLOT(omreg_backend_threads(ref, 0), s, DIM == 2 ? 30 : 8, o_ref);                     \
        OMREG_EQ_PARALLEL(&eq)                                                                     \
        {                                                                                          \
            par->SLOT(omreg_backend_threads(par, 0), s, DIM == 2 ? 30 : 8, o_par);                 \
        }                                                                                          \
        free(o_ref);                                                                               \
        free(o_par);                                                                               \
    }

BALL_CASE(circle_f64, double, f64, 2, create_circle_f64)
BALL_CASE(circle_f32, float, f32, 2, create_circle_f32)
BALL_CASE(sphere_f64, double, f64, 3, create_sphere_f64)
BALL_CASE(sphere_f32, float, f32, 3, create_sphere_f32)

/* Structure of the random displacement (parallel backend, whatever the
 * thread count the matrix sets): the target of component c of voxel v is
 * 1 + u64(seed, v*dim + c) mod (n_c - 2), so every target is interior
 * (DIPY's randint(1, n - 1)); both extremes occur and each value's count is
 * within 25% of uniform; the same seed reproduces the field, another seed
 * changes most targets; and from_grid2world x + out[x] lands on
 * to_grid2world r (the displacement maps grid points exactly, up to the
 * rounding of the two affine products). */
static void random_structure_dim(int dim)
{
    const size_t *from = dim == 2 ? rfrom2 : rfrom3, *to = dim == 2 ? rto2 : rto3;
    const double *F = dim == 2 ? B2 : B3, *Tg = dim == 2 ? C2 : C3;
    const size_t nvox = omreg_eq_voxels(dim, from), n = nvox * (size_t)dim;
    double *out = omreg_test_alloc(n, sizeof(double)), *again = omreg_test_alloc(n, sizeof(double));
    int *r = omreg_test_alloc(n, sizeof(int)), *r2 = omreg_test_alloc(n, sizeof(int));
    if (dim == 2)
        par->create_random_displacement_2d_f64(omreg_backend_threads(par, 0), from, F, to, Tg,
                                               RSEED, out, r);
    else
        par->create_random_displacement_3d_f64(omreg_backend_threads(par, 0), from, F, to, Tg,
                                               RSEED, out, r);

    size_t *hist = omreg_test_alloc(64, sizeof(size_t));
    for (int c = 0; c < dim; ++c) {
        memset(hist, 0, 64 * sizeof(size_t));
        for (size_t v = 0; v < nvox; ++v) {
            int t = r[v * (size_t)dim + (size_t)c];
            uint64_t u = omreg_random_u64(RSEED, v * (size_t)dim + (size_t)c);
            assert_int_equal(t, (int)(1 + u % (to[c] - 2)));
            assert_true(t >= 1 && (size_t)t <= to[c] - 2);
            hist[t]++;
        }
        assert_true(hist[1] > 0 && hist[to[c] - 2] > 0);
        double expect = (double)nvox / (double)(to[c] - 2);
        for (size_t t = 1; t <= to[c] - 2; ++t)
            if (fabs((double)hist[t] - expect) > 0.25 * expect)
                fail_msg("axis %d value %zu drawn %zu times, expected ~%.0f", c, t, hist[t],
                         expect);
    }
    free(hist);

    /* grid point + displacement == target, in world space */
    for (size_t v = 0; v < nvox; ++v) {
        size_t idx[3], rem = v;
        for (int d = dim - 1; d >= 0; --d) {
            idx[d] = rem % from[d];
            rem /= from[d];
        }
        for (int row = 0; row < dim; ++row) {
            double x = F[row * (dim + 1) + dim], y = Tg[row * (dim + 1) + dim];
            for (int col = 0; col < dim; ++col) {
                x += F[row * (dim + 1) + col] * (double)idx[col];
                y += Tg[row * (dim + 1) + col] * (double)r[v * (size_t)dim + (size_t)col];
            }
            double got = x + out[v * (size_t)dim + (size_t)row];
            if (fabs(got - y) > 1e-12 * (1.0 + fabs(y)))
                fail_msg("voxel %zu axis %d: x + d = %.17g, target %.17g", v, row, got, y);
        }
    }

    /* same seed: same field; another seed: most targets move */
    if (dim == 2)
        par->create_random_displacement_2d_f64(omreg_backend_threads(par, 0), from, F, to, Tg,
                                               RSEED, again, r2);
    else
        par->create_random_displacement_3d_f64(omreg_backend_threads(par, 0), from, F, to, Tg,
                                               RSEED, again, r2);
    OMREG_EQ_SAME(f64, "random same seed", again, out, n);
    OMREG_EQ_SAME(i32, "random same seed targets", r2, r, n);
    if (dim == 2)
        par->create_random_displacement_2d_f64(omreg_backend_threads(par, 0), from, F, to, Tg,
                                               RSEED + 1, again, r2);
    else
        par->create_random_displacement_3d_f64(omreg_backend_threads(par, 0), from, F, to, Tg,
                                               RSEED + 1, again, r2);
    size_t moved = 0;
    for (size_t i = 0; i < n; ++i)
        moved += r2[i] != r[i];
    assert_true(moved > n / 2);
    free(out);
    free(again);
    free(r);
    free(r2);
}

static void random_structure(void **state)
{
    (void)state;
    random_structure_dim(2);
    random_structure_dim(3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(warp_linear_2d_f64), cmocka_unit_test(warp_linear_2d_f32),
        cmocka_unit_test(warp_linear_3d_f64), cmocka_unit_test(warp_linear_3d_f32),
        cmocka_unit_test(warp_nn_2d_f64),     cmocka_unit_test(warp_nn_2d_f32),
        cmocka_unit_test(warp_nn_3d_f64),     cmocka_unit_test(warp_nn_3d_f32),
        cmocka_unit_test(coords_2d_f64),      cmocka_unit_test(coords_2d_f32),
        cmocka_unit_test(coords_3d_f64),      cmocka_unit_test(coords_3d_f32),
        cmocka_unit_test(down_scalar_2d_f64), cmocka_unit_test(down_scalar_2d_f32),
        cmocka_unit_test(down_scalar_3d_f64), cmocka_unit_test(down_scalar_3d_f32),
        cmocka_unit_test(down_field_2d_f64),  cmocka_unit_test(down_field_2d_f32),
        cmocka_unit_test(down_field_3d_f64),  cmocka_unit_test(down_field_3d_f32),
        cmocka_unit_test(resample_2d_f64),    cmocka_unit_test(resample_2d_f32),
        cmocka_unit_test(resample_3d_f64),    cmocka_unit_test(resample_3d_f32),
        cmocka_unit_test(random_2d_f64),      cmocka_unit_test(random_2d_f32),
        cmocka_unit_test(random_3d_f64),      cmocka_unit_test(random_3d_f32),
        cmocka_unit_test(harmonic_2d_f64),    cmocka_unit_test(harmonic_2d_f32),
        cmocka_unit_test(harmonic_3d_f64),    cmocka_unit_test(harmonic_3d_f32),
        cmocka_unit_test(circle_f64),         cmocka_unit_test(circle_f32),
        cmocka_unit_test(sphere_f64),         cmocka_unit_test(sphere_f32),
        cmocka_unit_test(random_structure),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
