/* Per-kernel micro-benchmarks: nanoseconds per voxel of the hot voxel
 * loops, the serial reference kernel against the OpenMP kernel at chosen
 * thread counts, called straight through the backend tables (no
 * validation, no allocation inside the timed calls).
 *
 *   omreg_bench_kernels [--kernels LIST|all] [--shape SxRxC | --size N]
 *                       [--threads 1,2] [--repeats R] [--min-time SEC]
 *                       [--sigma S] [--radius R] [--json FILE] [--list]
 *
 * For every kernel, each repeat runs the variants in turn (ref, par@T1,
 * par@T2, ...; interleaved so a change in machine load hits all of them),
 * each variant calling the kernel back to back until --min-time seconds
 * have passed; the time per call is the median over the repeats. Every
 * variant's output is then recomputed once from the same input and
 * compared byte for byte with the reference's ("bits" column): the
 * benchmark also checks the determinism contract on large inputs. Kernels
 * ending in _f32 are SyN's (float32 images and fields, as DIPY's SyN runs).
 * As the omreg command, the program uses schedule static when OMP_SCHEDULE
 * is unset. See bench/README.md. */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend.h"
#include "omreg/parzenhist.h"
#include "transform_point.h"

#define MAX_VARIANTS 16
#define MAX_REPEATS 1000
#define NBINS 32
#define EM_LEVELS 256

/* ---- inputs -------------------------------------------------------------- */

typedef struct bench {
    size_t shape[3], n;
    int max_threads;
    double sigma;
    size_t radius;
    /* inputs, built once */
    double *img, *img2;      /* two smooth phantoms (static, moving) */
    double *field, *field2;  /* smooth displacement fields, n x 3 */
    double *grad;            /* gradient of img2, n x 3 */
    double *factors;         /* CC factors of (img, img2), n x 5 */
    double *p0;              /* inversion start: 0 */
    omreg_parzen_geometry geom;
    /* outputs and work space */
    double *out;             /* largest output of any kernel */
    size_t out_bytes;        /* bytes of `out` the current kernel writes */
    int *inside;
    double *scratch;
    double *work;            /* invert: p (n x 3) */
    double *work2;           /* invert: q (n x 3) */
    double aux[8];           /* scalars the kernel returns (stats, energy) */
    /* float32 copies for SyN's kernels */
    float *imgf, *img2f, *fieldf, *field2f, *gradf, *factorsf, *deltaf, *sigmasqf;
    float *workf, *work2f;   /* invert / Gauss-Seidel state */
    int *labels, *ihist;     /* EM quantisation: classes, per-block histograms */
} bench;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fprintf(stderr, "omreg_bench_kernels: out of memory (%zu x %zu bytes)\n", n, size);
        exit(1);
    }
    return p;
}

/* A smooth phantom with a little texture: a few Gaussian blobs over a
 * ramp, in [0, ~250], plus a deterministic hash ripple. */
static void phantom(const size_t shape[3], double phase, double *out)
{
    const double c[4][3] = {{0.5, 0.5, 0.5}, {0.3, 0.6, 0.4}, {0.7, 0.35, 0.6}, {0.45, 0.7, 0.7}};
    const double w[4] = {150, 80, 60, 40}, s[4] = {0.25, 0.1, 0.12, 0.08};
    for (size_t k = 0; k < shape[0]; ++k)
        for (size_t i = 0; i < shape[1]; ++i)
            for (size_t j = 0; j < shape[2]; ++j) {
                double x[3] = {(double)k / (double)shape[0], (double)i / (double)shape[1],
                               (double)j / (double)shape[2]};
                double v = 20.0 * x[0] + 5.0 * sin(12.0 * x[1] + phase);
                for (int b = 0; b < 4; ++b) {
                    double d2 = 0;
                    for (int a = 0; a < 3; ++a)
                        d2 += (x[a] - c[b][a] - 0.02 * phase) * (x[a] - c[b][a] - 0.02 * phase);
                    v += w[b] * exp(-d2 / (2 * s[b] * s[b]));
                }
                uint64_t h = ((k * 73856093u) ^ (i * 19349663u) ^ (j * 83492791u)) % 1000u;
                out[(k * shape[1] + i) * shape[2] + j] = v + 0.002 * (double)h;
            }
}

/* A smooth displacement field of amplitude `amp` voxels. */
static void smooth_field(const size_t shape[3], double amp, double phase, double *out)
{
    for (size_t k = 0; k < shape[0]; ++k)
        for (size_t i = 0; i < shape[1]; ++i)
            for (size_t j = 0; j < shape[2]; ++j) {
                double x = 6.283185307179586 * (double)k / (double)shape[0];
                double y = 6.283185307179586 * (double)i / (double)shape[1];
                double z = 6.283185307179586 * (double)j / (double)shape[2];
                double *d = out + 3 * ((k * shape[1] + i) * shape[2] + j);
                d[0] = amp * sin(y + phase) * cos(z);
                d[1] = amp * sin(z + 2 * phase) * cos(x);
                d[2] = amp * sin(x + 3 * phase) * cos(y);
            }
}

static const double identity4[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
static const double unit_spacing[3] = {1, 1, 1};

static void value_range(const double *v, size_t n, double *lo, double *hi)
{
    *lo = *hi = v[0];
    for (size_t i = 1; i < n; ++i) {
        *lo = v[i] < *lo ? v[i] : *lo;
        *hi = v[i] > *hi ? v[i] : *hi;
    }
}

static void bench_init(bench *b)
{
    const size_t n = b->n;
    b->img = xcalloc(n, sizeof(double));
    b->img2 = xcalloc(n, sizeof(double));
    b->field = xcalloc(3 * n, sizeof(double));
    b->field2 = xcalloc(3 * n, sizeof(double));
    b->grad = xcalloc(3 * n, sizeof(double));
    b->factors = xcalloc(5 * n, sizeof(double));
    b->p0 = xcalloc(3 * n, sizeof(double));
    b->out = xcalloc(5 * n, sizeof(double));
    b->inside = xcalloc(n, sizeof(int));
    b->work = xcalloc(3 * n, sizeof(double));
    b->work2 = xcalloc(3 * n, sizeof(double));
    phantom(b->shape, 0.0, b->img);
    phantom(b->shape, 1.0, b->img2);
    smooth_field(b->shape, 2.0, 0.3, b->field);
    smooth_field(b->shape, 1.5, 1.1, b->field2);
    const struct omreg_backend *ref = omreg_backend_reference();
    ref->gradient_3d_f64(omreg_backend_threads(ref, 0), b->img2, b->shape, identity4, unit_spacing,
                         b->shape, identity4, b->grad, b->inside);
    double *cc_scratch = xcalloc(omreg_cc_scratch_3d(b->shape), sizeof(double));
    ref->precompute_cc_factors_3d_f64(omreg_backend_threads(ref, 0), b->img, b->img2, b->shape,
                                      b->radius, cc_scratch, b->factors);
    free(cc_scratch);
    double slo, shi, mlo, mhi;
    value_range(b->img, n, &slo, &shi);
    value_range(b->img2, n, &mlo, &mhi);
    if (omreg_parzen_setup(NBINS, slo, shi, mlo, mhi, &b->geom) != OMREG_OK) {
        fprintf(stderr, "bench: %s\n", omreg_last_error());
        exit(1);
    }
    /* scratch: the largest any kernel below asks for at max_threads */
    size_t nb = (size_t)b->max_threads + 1, rows = b->shape[0] * b->shape[1];
    size_t need = omreg_parzen_partials(b->max_threads) * omreg_parzen_gradient_partial(NBINS, 12);
    size_t len = b->shape[0] > b->shape[1] ? b->shape[0] : b->shape[1];
    len = len > b->shape[2] ? len : b->shape[2];
    size_t smooth_radius = (size_t)(4.0 * b->sigma + 0.5);
    size_t s = nb * omreg_gaussian_line_buffer(len, smooth_radius);
    need = need > s ? need : s;
    s = OMREG_COMPOSE_SCRATCH_PER_ROW * rows;
    need = need > s ? need : s;
    need = need > omreg_cc_scratch_3d(b->shape) ? need : omreg_cc_scratch_3d(b->shape);
    s = omreg_cc_box_scratch_3d(b->shape) * (size_t)b->max_threads;
    need = need > s ? need : s;
    need = need > rows ? need : rows;
    need = need > 2 * omreg_reduce_blocks(n) ? need : 2 * omreg_reduce_blocks(n);
    b->scratch = xcalloc(need, sizeof(double));

    /* float32 copies (SyN) */
    b->imgf = xcalloc(n, sizeof(float));
    b->img2f = xcalloc(n, sizeof(float));
    b->deltaf = xcalloc(n, sizeof(float));
    b->sigmasqf = xcalloc(n, sizeof(float));
    b->fieldf = xcalloc(3 * n, sizeof(float));
    b->field2f = xcalloc(3 * n, sizeof(float));
    b->gradf = xcalloc(3 * n, sizeof(float));
    b->factorsf = xcalloc(5 * n, sizeof(float));
    b->workf = xcalloc(3 * n, sizeof(float));
    b->work2f = xcalloc(3 * n, sizeof(float));
    b->labels = xcalloc(n, sizeof(int));
    b->ihist = xcalloc(omreg_reduce_blocks(n) * EM_LEVELS, sizeof(int));
    for (size_t i = 0; i < n; ++i) {
        b->imgf[i] = (float)b->img[i];
        b->img2f[i] = (float)b->img2[i];
        b->deltaf[i] = (float)(b->img[i] - b->img2[i]);
        b->sigmasqf[i] = (float)(1.0 + 0.01 * b->img[i]); /* EM class variances, > 0 */
    }
    for (size_t i = 0; i < 3 * n; ++i) {
        b->fieldf[i] = (float)b->field[i];
        b->field2f[i] = (float)b->field2[i];
        b->gradf[i] = (float)b->grad[i];
    }
    for (size_t i = 0; i < 5 * n; ++i)
        b->factorsf[i] = (float)b->factors[i];
}

/* ---- the kernels ----------------------------------------------------------- */

typedef struct kernel {
    const char *name, *what;
    /* one call; out (b->out_bytes bytes) is the output compared */
    void (*run)(bench *b, const struct omreg_backend *be);
    /* restore any state the kernel updates in place (not timed) */
    void (*reset)(bench *b);
    /* compulsory memory traffic per voxel: every input array read once and
     * every output array written once (scratch, re-reads and write-allocate
     * not counted, as in the triad below) */
    double bytes;
} kernel;

static void k_gradient(bench *b, const struct omreg_backend *be)
{
    be->gradient_3d_f64(omreg_backend_threads(be, 0), b->img, b->shape, identity4, unit_spacing,
                        b->shape, identity4, b->out, b->inside);
    b->out_bytes = 3 * b->n * sizeof(double);
}

static void k_transform(bench *b, const struct omreg_backend *be)
{
    /* 5 degrees about axis 0 through the grid centre, and a shift */
    const double a = 0.0872664626, c = cos(a), s = sin(a);
    const double ci = 0.5 * (double)b->shape[1], cj = 0.5 * (double)b->shape[2];
    const double aff[16] = {1, 0, 0, 1.5,
                            0, c, -s, ci - c * ci + s * cj + 0.7,
                            0, s, c, cj - s * ci - c * cj - 1.2,
                            0, 0, 0, 1};
    be->transform_affine_3d_f64(omreg_backend_threads(be, 0), b->img, b->shape, b->shape, aff,
                                b->out);
    b->out_bytes = b->n * sizeof(double);
}

static void k_parzen_joint(bench *b, const struct omreg_backend *be)
{
    double *joint = b->out, *sm = joint + NBINS * NBINS, *mm = sm + NBINS;
    be->parzen_joint(omreg_backend_threads(be, 0), b->img, b->img2, NULL, NULL, b->n, &b->geom,
                     OMREG_PARZEN_NORM_BY_WEIGHT, b->scratch, joint, sm, mm);
    b->out_bytes = (NBINS * NBINS + 2 * NBINS) * sizeof(double);
}

static const double affine_params[12] = {1.01, 0.02, -0.01, 0.5, 0.01, 0.99, 0.03, -0.3,
                                         -0.02, 0.01, 1.02, 0.2};

static int affine_jacobian(const void *ctx, const double *x, double *J)
{
    (void)ctx;
    return omreg_transform_jacobian_unchecked(OMREG_TRANSFORM_AFFINE, 3, affine_params, x, J);
}

static void k_parzen_gradient(bench *b, const struct omreg_backend *be)
{
    be->parzen_gradient_dense_3d(omreg_backend_threads(be, 0), b->shape, identity4, b->img, b->img2,
                                 b->grad, NULL, NULL, &b->geom, 12, affine_jacobian, NULL,
                                 b->scratch, b->out);
    b->out_bytes = NBINS * NBINS * 12 * sizeof(double);
}

static void k_smooth(bench *b, const struct omreg_backend *be)
{
    /* the three axis passes of gaussian_filter(img, sigma), scipy's
     * weights, mode reflect: out = filter(img) */
    size_t radius = (size_t)(4.0 * b->sigma + 0.5);
    double w[4096], tmp[8193];
    if (radius > 4095) {
        fprintf(stderr, "omreg_bench_kernels: --sigma too large\n");
        exit(2);
    }
    omreg_gaussian_weights(b->sigma, radius, w, tmp);
    const int nthreads = omreg_backend_threads(be, 0);
    for (int axis = 0; axis < 3; ++axis)
        be->gaussian_filter1d_f64(nthreads, axis == 0 ? b->img : b->out, b->out, 3, b->shape, 1,
                                  axis, w, radius, OMREG_SMOOTH_REFLECT, 0.0, b->scratch);
    b->out_bytes = b->n * sizeof(double);
}

static void k_warp(bench *b, const struct omreg_backend *be)
{
    be->warp_linear_3d_f64(omreg_backend_threads(be, 0), b->img, b->shape, b->field, b->shape, NULL,
                           NULL, NULL, b->shape, b->out);
    b->out_bytes = b->n * sizeof(double);
}

static void k_compose(bench *b, const struct omreg_backend *be)
{
    be->compose_vector_fields_3d_f64(omreg_backend_threads(be, 0), b->field, b->shape, b->field2,
                                     b->shape, NULL, NULL, 1.0, b->out, b->scratch, b->aux);
    /* the stats land in out's tail so they are compared too */
    memcpy(b->out + 3 * b->n, b->aux, 3 * sizeof(double));
    b->out_bytes = (3 * b->n + 3) * sizeof(double);
}

static void k_invert_reset(bench *b) { memset(b->work, 0, 3 * b->n * sizeof(double)); }

static void k_invert(bench *b, const struct omreg_backend *be)
{
    /* one fixed-point iteration of invert_vector_field_fixed_point_3d:
     * q = p o d with the error sums, then the step on p (p = b->work) */
    double r[2];
    be->invert_vector_field_residual_3d_f64(omreg_backend_threads(be, 0), b->field, b->shape, NULL,
                                            unit_spacing, b->work, b->work2, b->scratch, r);
    be->invert_vector_field_step_3d_f64(omreg_backend_threads(be, 0), b->shape, unit_spacing, 0.5,
                                        0.5 * r[1], b->work2, b->work);
    memcpy(b->out, b->work, 3 * b->n * sizeof(double));
    memcpy(b->out + 3 * b->n, r, sizeof r);
    b->out_bytes = (3 * b->n + 2) * sizeof(double);
}

static void k_cc_factors(bench *b, const struct omreg_backend *be)
{
    be->precompute_cc_factors_3d_f64(omreg_backend_threads(be, 0), b->img, b->img2, b->shape,
                                     b->radius, b->scratch, b->out);
    b->out_bytes = 5 * b->n * sizeof(double);
}

static void k_cc_step(bench *b, const struct omreg_backend *be)
{
    be->compute_cc_forward_step_3d_f64(omreg_backend_threads(be, 0), b->grad, b->factors, b->shape,
                                       b->radius, b->scratch, b->out, b->aux);
    memcpy(b->out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = (3 * b->n + 1) * sizeof(double);
}

static void k_cc_backward_step(bench *b, const struct omreg_backend *be)
{
    be->compute_cc_backward_step_3d_f64(omreg_backend_threads(be, 0), b->grad, b->factors, b->shape,
                                        b->radius, b->scratch, b->out, b->aux);
    memcpy(b->out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = (3 * b->n + 1) * sizeof(double);
}

/* ---- SyN's float32 kernels ---- */

static void k_smooth_f32(bench *b, const struct omreg_backend *be)
{
    /* syn_smooth_field's work on one component: the three axis passes */
    size_t radius = (size_t)(4.0 * b->sigma + 0.5);
    double w[4096], tmp[8193];
    if (radius > 4095) {
        fprintf(stderr, "omreg_bench_kernels: --sigma too large\n");
        exit(2);
    }
    omreg_gaussian_weights(b->sigma, radius, w, tmp);
    float *out = (float *)b->out;
    const int nthreads = omreg_backend_threads(be, 0);
    for (int axis = 0; axis < 3; ++axis)
        be->gaussian_filter1d_f32(nthreads, axis == 0 ? b->imgf : out, out, 3, b->shape, 1, axis, w,
                                  radius, OMREG_SMOOTH_REFLECT, 0.0, b->scratch);
    b->out_bytes = b->n * sizeof(float);
}

static void k_warp_f32(bench *b, const struct omreg_backend *be)
{
    be->warp_linear_3d_f32(omreg_backend_threads(be, 0), b->imgf, b->shape, b->fieldf, b->shape,
                           NULL, NULL, NULL, b->shape, (float *)b->out);
    b->out_bytes = b->n * sizeof(float);
}

static void k_compose_f32(bench *b, const struct omreg_backend *be)
{
    float *out = (float *)b->out;
    be->compose_vector_fields_3d_f32(omreg_backend_threads(be, 0), b->fieldf, b->shape, b->field2f,
                                     b->shape, NULL, NULL, 0.25, out, b->scratch, b->aux);
    memcpy(out + 3 * b->n, b->aux, 3 * sizeof(double));
    b->out_bytes = 3 * b->n * sizeof(float) + 3 * sizeof(double);
}

static void k_invert_reset_f32(bench *b) { memset(b->workf, 0, 3 * b->n * sizeof(float)); }

static void k_invert_f32(bench *b, const struct omreg_backend *be)
{
    double r[2];
    be->invert_vector_field_residual_3d_f32(omreg_backend_threads(be, 0), b->fieldf, b->shape, NULL,
                                            unit_spacing, b->workf, b->work2f, b->scratch, r);
    be->invert_vector_field_step_3d_f32(omreg_backend_threads(be, 0), b->shape, unit_spacing, 0.5,
                                        0.5 * r[1], b->work2f, b->workf);
    float *out = (float *)b->out;
    memcpy(out, b->workf, 3 * b->n * sizeof(float));
    memcpy(out + 3 * b->n, r, sizeof r);
    b->out_bytes = 3 * b->n * sizeof(float) + sizeof r;
}

static void k_cc_factors_f32(bench *b, const struct omreg_backend *be)
{
    be->precompute_cc_factors_3d_f32(omreg_backend_threads(be, 0), b->imgf, b->img2f, b->shape,
                                     b->radius, b->scratch, (float *)b->out);
    b->out_bytes = 5 * b->n * sizeof(float);
}

static void k_cc_box_factors_f32(bench *b, const struct omreg_backend *be)
{
    be->cc_box_factors_3d_f32(omreg_backend_threads(be, 0), b->imgf, b->img2f, b->shape,
                              b->radius, b->scratch, (float *)b->out);
    b->out_bytes = 5 * b->n * sizeof(float);
}

static void k_cc_forward_f32(bench *b, const struct omreg_backend *be)
{
    float *out = (float *)b->out;
    be->compute_cc_forward_step_3d_f32(omreg_backend_threads(be, 0), b->gradf, b->factorsf,
                                       b->shape, b->radius, b->scratch, out, b->aux);
    memcpy(out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = 3 * b->n * sizeof(float) + sizeof(double);
}

static void k_cc_backward_f32(bench *b, const struct omreg_backend *be)
{
    float *out = (float *)b->out;
    be->compute_cc_backward_step_3d_f32(omreg_backend_threads(be, 0), b->gradf, b->factorsf,
                                        b->shape, b->radius, b->scratch, out, b->aux);
    memcpy(out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = 3 * b->n * sizeof(float) + sizeof(double);
}

static void k_ssd_demons_f32(bench *b, const struct omreg_backend *be)
{
    float *out = (float *)b->out;
    be->compute_ssd_demons_step_3d_f32(omreg_backend_threads(be, 0), b->deltaf, b->gradf, b->shape,
                                       1.0, out, b->scratch, b->aux);
    memcpy(out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = 3 * b->n * sizeof(float) + sizeof(double);
}

/* one red-black Gauss-Seidel sweep of the V-cycle, from disp = 0 */
static void k_ssd_gauss_seidel_f32(bench *b, const struct omreg_backend *be)
{
    be->iterate_residual_displacement_field_ssd_3d_f32(omreg_backend_threads(be, 0), b->deltaf,
                                                       NULL, b->gradf, NULL, b->shape, 4.0,
                                                       b->workf, b->scratch, b->aux);
    float *out = (float *)b->out;
    memcpy(out, b->workf, 3 * b->n * sizeof(float));
    memcpy(out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = 3 * b->n * sizeof(float) + sizeof(double);
}

/* one lexicographic (DIPY's order) sweep: wavefronts of tiles in parallel */
static void k_ssd_gauss_seidel_lex_f32(bench *b, const struct omreg_backend *be)
{
    be->iterate_residual_displacement_field_ssd_lex_3d_f32(omreg_backend_threads(be, 0), b->deltaf,
                                                           NULL, b->gradf, NULL, b->shape, 4.0,
                                                           b->workf, b->scratch, b->aux);
    float *out = (float *)b->out;
    memcpy(out, b->workf, 3 * b->n * sizeof(float));
    memcpy(out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = 3 * b->n * sizeof(float) + sizeof(double);
}

/* the V-cycle's residual of the system at disp = field */
static void k_ssd_residual_f32(bench *b, const struct omreg_backend *be)
{
    float *out = (float *)b->out;
    be->compute_residual_displacement_field_ssd_3d_f32(omreg_backend_threads(be, 0), b->deltaf,
                                                       NULL, b->gradf, NULL, b->shape, 4.0,
                                                       b->fieldf, out, b->scratch, b->aux);
    memcpy(out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = 3 * b->n * sizeof(float) + sizeof(double);
}

static void k_em_demons_f32(bench *b, const struct omreg_backend *be)
{
    float *out = (float *)b->out;
    be->compute_em_demons_step_3d_f32(omreg_backend_threads(be, 0), b->deltaf, b->sigmasqf,
                                      b->gradf, b->shape, 1.0, out, b->scratch, b->aux);
    memcpy(out + 3 * b->n, b->aux, sizeof(double));
    b->out_bytes = 3 * b->n * sizeof(float) + sizeof(double);
}

static void k_em_quantize_f32(bench *b, const struct omreg_backend *be)
{
    /* classes, then levels and histogram, compared together */
    int *cls = (int *)b->out, *hist = cls + b->n;
    float *levels = (float *)(hist + EM_LEVELS);
    double range[2];
    be->quantize_positive_3d_f32(omreg_backend_threads(be, 0), b->imgf, b->shape, EM_LEVELS, cls,
                                 levels, hist, b->scratch, b->ihist, range);
    memcpy(levels + EM_LEVELS, range, sizeof range);
    b->out_bytes = b->n * sizeof(int) + EM_LEVELS * (sizeof(int) + sizeof(float)) + sizeof range;
}

static const kernel kernels[] = {
    {"gradient_3d_f64", "dense image gradient (affine MI, every evaluation)", k_gradient, NULL,
     8 + 24 + 4},
    {"transform_affine_3d_f64", "trilinear resampling through an affine", k_transform, NULL, 8 + 8},
    {"parzen_joint", "Parzen joint histogram, 32 bins", k_parzen_joint, NULL, 8 + 8},
    {"parzen_gradient_dense_3d", "joint-histogram gradient, 12 affine parameters",
     k_parzen_gradient, NULL, 8 + 8 + 24},
    {"gaussian_filter", "3 axis passes of gaussian_filter (--sigma)", k_smooth, NULL, 3 * (8 + 8)},
    {"warp_3d", "trilinear warp through a displacement field", k_warp, NULL, 8 + 24 + 8},
    {"compose_vector_fields_3d", "field composition with stats", k_compose, NULL, 24 + 24 + 24},
    {"invert_iteration_3d", "one fixed-point inversion iteration (residual + step)", k_invert,
     k_invert_reset, (24 + 24 + 24) + (24 + 24 + 24)},
    {"cc_factors_3d", "CC window factors, sliding window (--radius)", k_cc_factors, NULL,
     8 + 8 + 40},
    {"cc_forward_step_3d", "CC forward step with energy", k_cc_step, NULL, 24 + 40 + 24},
    {"cc_backward_step_3d", "CC backward step with energy", k_cc_backward_step, NULL, 24 + 40 + 24},
    {"gaussian_filter_f32", "SyN: 3 axis passes of gaussian_filter, float32", k_smooth_f32,
     NULL, 3 * (4 + 4)},
    {"warp_3d_f32", "SyN: trilinear warp through a field, float32", k_warp_f32, NULL, 4 + 12 + 4},
    {"compose_vector_fields_3d_f32", "SyN: field composition with stats, float32", k_compose_f32,
     NULL, 12 + 12 + 12},
    {"invert_iteration_3d_f32", "SyN: one fixed-point inversion iteration, float32",
     k_invert_f32, k_invert_reset_f32, (12 + 12 + 12) + (12 + 12 + 12)},
    {"cc_factors_3d_f32", "SyN: CC window factors, sliding window, float32", k_cc_factors_f32,
     NULL, 4 + 4 + 20},
    {"cc_box_factors_3d_f32", "SyN fast mode: CC window factors, box sums, float32",
     k_cc_box_factors_f32, NULL, 4 + 4 + 20},
    {"cc_forward_step_3d_f32", "SyN: CC forward step, float32", k_cc_forward_f32, NULL,
     12 + 20 + 12},
    {"cc_backward_step_3d_f32", "SyN: CC backward step, float32", k_cc_backward_f32, NULL,
     12 + 20 + 12},
    {"ssd_demons_step_3d_f32", "SyN: SSD demons step with energy, float32", k_ssd_demons_f32,
     NULL, 4 + 12 + 12},
    {"ssd_gauss_seidel_3d_f32", "SyN: SSD V-cycle red-black Gauss-Seidel sweep, float32",
     k_ssd_gauss_seidel_f32, k_invert_reset_f32, 4 + 12 + 12 + 12},
    {"ssd_gauss_seidel_lex_3d_f32", "SyN: SSD V-cycle lexicographic (DIPY's) Gauss-Seidel sweep, "
     "float32", k_ssd_gauss_seidel_lex_f32, k_invert_reset_f32, 4 + 12 + 12 + 12},
    {"ssd_residual_3d_f32", "SyN: SSD V-cycle residual with its norm, float32",
     k_ssd_residual_f32, NULL, 4 + 12 + 12 + 12},
    {"em_demons_step_3d_f32", "SyN: EM demons step with energy, float32", k_em_demons_f32, NULL,
     4 + 4 + 12 + 12},
    {"em_quantize_3d_f32", "SyN: EM quantize_positive, 256 levels, float32", k_em_quantize_f32,
     NULL, 4 + 4},
};
#define NKERNELS (sizeof kernels / sizeof kernels[0])

/* ---- timing ----------------------------------------------------------------- */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The machine's memory bandwidth at `threads` threads: GB/s of the STREAM
 * triad c = a + s b over n doubles per array (3 x 8 bytes per element, no
 * write-allocate counted), best of 5. The yardstick for each kernel's
 * compulsory traffic. */
static double triad_gbs(size_t n, int threads)
{
    double *a = xcalloc(n, sizeof(double)), *bb = xcalloc(n, sizeof(double));
    double *c = xcalloc(n, sizeof(double)), best = 0;
    omp_set_num_threads(threads);
#pragma omp parallel for schedule(runtime)
    for (size_t i = 0; i < n; ++i) /* first touch by the threads that use them */
        a[i] = 1.0, bb[i] = 2.0, c[i] = 0.0;
    for (int r = 0; r < 5; ++r) {
        double t0 = now();
#pragma omp parallel for schedule(runtime)
        for (size_t i = 0; i < n; ++i)
            c[i] = a[i] + 1.5 * bb[i];
        double gbs = 3.0 * 8.0 * (double)n / (now() - t0) / 1e9;
        best = gbs > best ? gbs : best;
    }
    if (c[n / 2] != 4.0) /* keep the loop */
        fprintf(stderr, "omreg_bench_kernels: triad check failed\n");
    free(a), free(bb), free(c);
    return best;
}

typedef struct variant {
    const struct omreg_backend *be;
    int threads; /* 0: reference */
    char label[16];
} variant;

static void select_variant(const variant *v)
{
    omp_set_num_threads(v->threads > 0 ? v->threads : 1);
}

/* seconds per call: calls back to back until min_time has passed */
static double time_calls(bench *b, const kernel *k, const variant *v, double min_time)
{
    select_variant(v);
    int calls = 0;
    double t0 = now(), t;
    do {
        k->run(b, v->be);
        ++calls;
        t = now();
    } while (t - t0 < min_time);
    return (t - t0) / calls;
}

static int parse_list(const char *s, int *out, int max)
{
    int n = 0;
    while (*s && n < max) {
        char *end;
        long v = strtol(s, &end, 10);
        if (end == s || v < 1 || v > 4096)
            return -1;
        out[n++] = (int)v;
        s = *end == ',' ? end + 1 : end;
        if (*end && *end != ',')
            return -1;
    }
    return n;
}

static void usage(FILE *f)
{
    fprintf(f,
            "usage: omreg_bench_kernels [--kernels LIST|all] [--shape SxRxC | --size N]\n"
            "                           [--threads 1,2] [--repeats R] [--min-time SEC]\n"
            "                           [--sigma S] [--radius R] [--json FILE] [--list]\n"
            "Nanoseconds per voxel of each kernel: reference and parallel at each thread\n"
            "count (median of R repeats, variants interleaved), speed-up over the\n"
            "reference, parallel efficiency from the first to the last thread count, and\n"
            "whether every variant's output has the reference's bits.\n"
            "Defaults: all kernels, 128^3, threads 1,2, 5 repeats, 0.2 s, sigma 1,\n"
            "radius 4 (DIPY's CCMetric).\n");
}

int main(int argc, char **argv)
{
    bench b;
    memset(&b, 0, sizeof b);
    b.shape[0] = b.shape[1] = b.shape[2] = 128;
    b.sigma = 1.0;
    b.radius = 4;
    int threads[MAX_VARIANTS] = {1, 2}, nthreads = 2, repeats = 5;
    double min_time = 0.2;
    const char *klist = "all", *json = NULL;
    for (int a = 1; a < argc; a += 2) { /* every option takes one value */
        const char *o = argv[a], *v = a + 1 < argc ? argv[a + 1] : NULL;
        if (!strcmp(o, "--help") || !strcmp(o, "-h")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(o, "--list")) {
            for (size_t i = 0; i < NKERNELS; ++i)
                printf("%-26s %s\n", kernels[i].name, kernels[i].what);
            return 0;
        } else if (!v) {
            fprintf(stderr, "omreg_bench_kernels: %s needs a value\n", o);
            return 2;
        } else if (!strcmp(o, "--kernels")) {
            klist = v;
        } else if (!strcmp(o, "--size")) {
            long s = atol(v);
            if (s < 8 || s > 2048)
                return fprintf(stderr, "omreg_bench_kernels: --size in 8..2048\n"), 2;
            b.shape[0] = b.shape[1] = b.shape[2] = (size_t)s;
        } else if (!strcmp(o, "--shape")) {
            unsigned long s0, s1, s2;
            if (sscanf(v, "%lux%lux%lu", &s0, &s1, &s2) != 3 || s0 < 8 || s1 < 8 || s2 < 8 ||
                s0 > 4096 || s1 > 4096 || s2 > 4096)
                return fprintf(stderr, "omreg_bench_kernels: --shape SxRxC, each 8..4096\n"), 2;
            b.shape[0] = s0, b.shape[1] = s1, b.shape[2] = s2;
        } else if (!strcmp(o, "--threads")) {
            if ((nthreads = parse_list(v, threads, MAX_VARIANTS - 1)) < 1)
                return fprintf(stderr, "omreg_bench_kernels: --threads 1,2,...\n"), 2;
        } else if (!strcmp(o, "--repeats")) {
            repeats = atoi(v);
            if (repeats < 1 || repeats > MAX_REPEATS)
                return fprintf(stderr, "omreg_bench_kernels: --repeats 1..%d\n", MAX_REPEATS), 2;
        } else if (!strcmp(o, "--min-time")) {
            min_time = atof(v);
        } else if (!strcmp(o, "--sigma")) {
            b.sigma = atof(v);
            if (!(b.sigma > 0 && b.sigma <= 500))
                return fprintf(stderr, "omreg_bench_kernels: --sigma in (0, 500]\n"), 2;
        } else if (!strcmp(o, "--radius")) {
            b.radius = (size_t)atol(v);
            if (b.radius < 1 || b.radius > 64)
                return fprintf(stderr, "omreg_bench_kernels: --radius in 1..64\n"), 2;
        } else if (!strcmp(o, "--json")) {
            json = v;
        } else {
            fprintf(stderr, "omreg_bench_kernels: unknown option %s\n", o);
            usage(stderr);
            return 2;
        }
    }
    int selected[NKERNELS] = {0}, any = 0;
    if (!strcmp(klist, "all")) {
        for (size_t i = 0; i < NKERNELS; ++i)
            selected[i] = 1;
        any = 1;
    } else {
        char *copy = strdup(klist), *save = NULL;
        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
            size_t i = 0;
            while (i < NKERNELS && strcmp(kernels[i].name, t))
                ++i;
            if (i == NKERNELS) {
                fprintf(stderr, "omreg_bench_kernels: unknown kernel %s (see --list)\n", t);
                return 2;
            }
            selected[i] = any = 1;
        }
        free(copy);
    }
    if (!any)
        return fprintf(stderr, "omreg_bench_kernels: no kernel selected\n"), 2;

    variant vars[MAX_VARIANTS];
    int nvars = 0;
    vars[nvars].be = omreg_backend_reference();
    vars[nvars].threads = 0;
    snprintf(vars[nvars++].label, sizeof vars[0].label, "ref");
    b.max_threads = 1;
    for (int t = 0; t < nthreads; ++t) {
        vars[nvars].be = omreg_backend_parallel();
        vars[nvars].threads = threads[t];
        snprintf(vars[nvars++].label, sizeof vars[0].label, "par@%d", threads[t]);
        b.max_threads = threads[t] > b.max_threads ? threads[t] : b.max_threads;
    }
    b.n = b.shape[0] * b.shape[1] * b.shape[2];
    const char *sched = getenv("OMP_SCHEDULE");
    if (sched == NULL || sched[0] == '\0') /* the omreg command's default (cli/cli_openmp.c) */
        omp_set_schedule(omp_sched_static, 0);
    omp_sched_t kind;
    int chunk;
    omp_get_schedule(&kind, &chunk);
    static const char *const kinds[] = {"?", "static", "dynamic", "guided", "auto"};
    unsigned k = (unsigned)kind & 0x7fffffffu; /* without the monotonic flag */
    printf("omreg_bench_kernels: grid %zux%zux%zu (%zu voxels), %d repeats x >= %.2f s, "
           "schedule(runtime) = %s,%d (OMP_SCHEDULE %s), %d processors\n",
           b.shape[0], b.shape[1], b.shape[2], b.n, repeats, min_time, k < 5 ? kinds[k] : "?",
           chunk, sched ? sched : "unset: static as the omreg command", omp_get_num_procs());
    bench_init(&b);
    /* bandwidth at each parallel thread count, over arrays past any cache */
    double triad[MAX_VARIANTS] = {0};
    const size_t triad_n = b.n > ((size_t)16 << 20) ? b.n : ((size_t)16 << 20);
    printf("triad bandwidth (STREAM, best of 5):");
    for (int v = 1; v < nvars; ++v) {
        triad[v] = triad_gbs(triad_n, vars[v].threads);
        printf(" %.1f GB/s at %d thread%s%s", triad[v], vars[v].threads,
               vars[v].threads > 1 ? "s" : "", v + 1 < nvars ? "," : "\n");
    }

    double *ref_out = xcalloc(5 * b.n + 8, sizeof(double));
    FILE *jf = NULL;
    if (json && !(jf = fopen(json, "w"))) {
        fprintf(stderr, "omreg_bench_kernels: cannot write %s\n", json);
        return 1;
    }
    if (jf)
    {
        fprintf(jf, "{\"shape\": [%zu, %zu, %zu], \"repeats\": %d, \"min_time\": %g, "
                    "\"omp_schedule\": \"%s\", \"triad_gbs\": {",
                b.shape[0], b.shape[1], b.shape[2], repeats, min_time, sched ? sched : "");
        for (int v = 1; v < nvars; ++v)
            fprintf(jf, "%s\"%d\": %.4g", v > 1 ? ", " : "", vars[v].threads, triad[v]);
        fprintf(jf, "}, \"kernels\": [");
    }
    printf("%-26s", "kernel (ns/voxel)");
    for (int v = 0; v < nvars; ++v)
        printf(" %9s", vars[v].label);
    for (int v = 1; v < nvars; ++v)
        printf(" %8s", "x ref");
    if (nthreads > 1)
        printf(" %6s", "eff");
    printf(" %5s %6s %6s\n", "bits", "GB/s", "%bw");

    int first = 1, all_same = 1;
    for (size_t ki = 0; ki < NKERNELS; ++ki) {
        if (!selected[ki])
            continue;
        const kernel *k = &kernels[ki];
        static double samples[MAX_VARIANTS][MAX_REPEATS];
        for (int v = 0; v < nvars; ++v) { /* warm-up: page in outputs, start the team */
            if (k->reset)
                k->reset(&b);
            select_variant(&vars[v]);
            k->run(&b, vars[v].be);
        }
        for (int r = 0; r < repeats; ++r)
            for (int v = 0; v < nvars; ++v)
                samples[v][r] = time_calls(&b, k, &vars[v], min_time);
        double med[MAX_VARIANTS];
        for (int v = 0; v < nvars; ++v)
            med[v] = median(samples[v], repeats);
        /* bits: one call per variant from the same state */
        int same[MAX_VARIANTS];
        for (int v = 0; v < nvars; ++v) {
            if (k->reset)
                k->reset(&b);
            select_variant(&vars[v]);
            k->run(&b, vars[v].be);
            if (v == 0)
                memcpy(ref_out, b.out, b.out_bytes);
            same[v] = memcmp(ref_out, b.out, b.out_bytes) == 0;
            all_same &= same[v];
        }
        int same_all = 1;
        for (int v = 0; v < nvars; ++v)
            same_all &= same[v];
        printf("%-26s", k->name);
        for (int v = 0; v < nvars; ++v)
            printf(" %9.2f", med[v] / (double)b.n * 1e9);
        for (int v = 1; v < nvars; ++v)
            printf(" %8.2f", med[0] / med[v]);
        double eff = 0;
        if (nthreads > 1) {
            /* efficiency from the first to the last thread count */
            int t0 = vars[1].threads, t1 = vars[nvars - 1].threads;
            eff = (med[1] * t0) / (med[nvars - 1] * t1);
            printf(" %6.2f", eff);
        }
        /* compulsory traffic at the last variant against the triad there */
        const double gbs = k->bytes * (double)b.n / med[nvars - 1] / 1e9;
        printf(" %5s %6.1f %5.0f%%\n", same_all ? "same" : "DIFF", gbs,
               100.0 * gbs / triad[nvars - 1]);
        fflush(stdout);
        if (jf) {
            fprintf(jf, "%s\n {\"name\": \"%s\", \"voxels\": %zu, \"same_bits\": %s, "
                        "\"bytes_per_voxel\": %g, \"gbs_last\": %.4g, \"variants\": [",
                    first ? "" : ",", k->name, b.n, same_all ? "true" : "false", k->bytes, gbs);
            for (int v = 0; v < nvars; ++v) {
                fprintf(jf, "%s{\"label\": \"%s\", \"threads\": %d, \"median_s\": %.9g, "
                            "\"ns_per_voxel\": %.6g, \"samples_s\": [",
                        v ? ", " : "", vars[v].label, vars[v].threads, med[v],
                        med[v] / (double)b.n * 1e9);
                for (int r = 0; r < repeats; ++r)
                    fprintf(jf, "%s%.9g", r ? ", " : "", samples[v][r]);
                fprintf(jf, "]}");
            }
            fprintf(jf, "]");
            if (nthreads > 1)
                fprintf(jf, ", \"efficiency\": %.6g", eff);
            fprintf(jf, "}");
        }
        first = 0;
    }
    if (jf) {
        fprintf(jf, "\n]}\n");
        fclose(jf);
    }
    if (nthreads > 1)
        printf("eff = t(par@%d) * %d / (t(par@%d) * %d): 1.00 is perfect scaling\n",
               vars[1].threads, vars[1].threads, vars[nvars - 1].threads,
               vars[nvars - 1].threads);
    printf("GB/s: compulsory bytes per voxel (inputs read once, outputs written once) over "
           "the par@%d time;\n%%bw: that against the triad at the same thread count. Far "
           "below 100%%: bound by arithmetic or latency, not by bandwidth\n",
           vars[nvars - 1].threads);
    free(ref_out);
    return all_same ? 0 : 3;
}
