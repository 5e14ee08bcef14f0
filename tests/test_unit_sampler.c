/* The sparse sampler (DIPY 1.6 parzenhist.sample_domain_regular; the per
 * point code kernels/sample_point.h that both backends share) tested for what
 * it is, on the reference and the parallel table:
 * - count and cells: m = n / k samples (k = ceil(1 / proportion)), sample i
 *   in grid cell i*k (C order), against DIPY's own sigma-0 samples;
 * - the stream: the first samples for seed 1234 against values computed
 *   independently from the generator's documented formula
 *   (fixtures/gen_sampler.py), bit for bit;
 * - the jitter's distribution: DIPY draws N(0, sigma^2) per axis (sigma
 *   0.25), so mean, variance, a Kolmogorov-Smirnov bound against the normal
 *   CDF, the 3-sigma tail and the hard bound of Box-Muller on 53-bit
 *   uniforms;
 * - independence: correlations between the axes of one sample and between
 *   every axis pair of consecutive samples (lags 1 and 2) near zero.
 * A change to how the jitter is drawn (shared draws, an index off by one or
 * by a stride) breaks at least one of these. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "image_internal.h"
#include "mi_metric.h"
#include "omreg/image.h"
#include "omreg/random.h"

/* DIPY's jitter standard deviation (imaffine calls sample_domain_regular
 * with its default sigma = 0.25) and seed. */
#define SIGMA 0.25
#define SEED 1234
/* Statistical checks: 5 standard deviations of the statistic (false alarm
 * ~6e-7 per check; the draws are fixed, so a pass is a pass forever). */
#define N_SIGMA 5.0
/* Kolmogorov-Smirnov: P(sqrt(n) D_n > x) ~ 2 exp(-2 x^2); x = 2.7 gives a
 * false-alarm probability of 9e-7, matching N_SIGMA. */
#define KS_LAMBDA 2.7
/* Box-Muller with u1 = 1 - U, U a multiple of 2^-53 below 1: u1 >= 2^-53,
 * so |N| <= sqrt(-2 ln 2^-53) = sqrt(106 ln 2) = 8.5717 exactly bounds it. */
#define BOX_MULLER_MAX 8.5717
/* Recovering the jitter as (index + jitter) - index on an identity grid
 * loses at most half an ulp of the largest index (< 512): 2^-44. */
#define RECOVERY_ATOL 0x1p-44

static const struct omreg_backend *backends[2];
static const char *backend_names[2] = {"parallel", "reference"};

static int setup(void **state)
{
    (void)state;
    backends[0] = (const struct omreg_backend *)omreg_backend_parallel();
    backends[1] = (const struct omreg_backend *)omreg_backend_reference();
    return 0;
}

static void identity(int dim, double *g2w)
{
    memset(g2w, 0, sizeof(double) * 16);
    for (int d = 0; d <= dim; ++d)
        g2w[d * (dim + 1) + d] = 1.0;
}

/* the grid of fixtures/sampler/cells_<tag>: grid2world, dim, shape, k */
typedef struct sampler_case {
    omreg_npy g2w;
    int dim;
    size_t shape[3], k, n;
} sampler_case;

static void load_case(const char *tag, sampler_case *c)
{
    char path[128];
    omreg_npy setup_;
    snprintf(path, sizeof path, "sampler/cells_%s_g2w.npy", tag);
    omreg_test_load(path, OMREG_NPY_F64, &c->g2w);
    snprintf(path, sizeof path, "sampler/cells_%s_setup.npy", tag);
    omreg_test_load(path, OMREG_NPY_I64, &setup_);
    const int64_t *su = setup_.data;
    c->dim = (int)setup_.count - 1;
    c->k = (size_t)su[c->dim];
    c->n = 1;
    for (int d = 0; d < c->dim; ++d)
        c->n *= c->shape[d] = (size_t)su[d];
    omreg_npy_free(&setup_);
}

/* ---- count and cells --------------------------------------------------------- */

/* Draw as many samples as fixtures/sampler/<kind>_<tag>.npy holds, with
 * sigma, on both backends; compare bit for bit. Returns the count. */
static size_t same_as_fixture(const char *kind, const char *tag, double sigma, size_t *n)
{
    char path[128];
    omreg_npy want;
    sampler_case c;
    load_case(tag, &c);
    snprintf(path, sizeof path, "sampler/%s_%s.npy", kind, tag);
    omreg_test_load(path, OMREG_NPY_F64, &want);
    size_t m = want.shape[0], nd = m * (size_t)c.dim;
    assert_int_equal(want.shape[1], c.dim);
    for (int bi = 0; bi < 2; ++bi) {
        double *out = omreg_test_alloc(nd, sizeof(double));
        backends[bi]->sample_domain_regular(omreg_backend_threads(backends[bi], 0), c.dim, c.shape,
                                            c.k, c.g2w.data, SEED, sigma, m, out);
        if (!omreg_test_same_f64(backend_names[bi], out, want.data, nd))
            fail_msg("%s %s: the first %zu samples (sigma %g, seed %d) differ", kind, tag, m,
                     sigma, SEED);
        free(out);
    }
    omreg_npy_free(&want);
    omreg_npy_free(&c.g2w);
    *n = c.n / c.k;
    return m;
}

/* DIPY's samples with sigma 0 on an oblique grid: the world position of
 * every cell i*k, bit for bit (same affine row sums), and their count. */
static void cells_match_dipy(void **state)
{
    (void)state;
    size_t m, want;
    m = same_as_fixture("cells", "2d", 0.0, &want);
    assert_int_equal(m, want); /* DIPY: floor(total_voxels / k) */
    m = same_as_fixture("cells", "3d", 0.0, &want);
    assert_int_equal(m, want);
}

/* The metric draws n / ceil(1 / proportion) samples, as DIPY's setup. */
static void count_follows_proportion(void **state)
{
    (void)state;
    const size_t shape[3] = {37, 41, 1};
    omreg_image *s = NULL, *mv = NULL;
    assert_int_equal(omreg_image_create(&s, 2, shape, 1, OMREG_F64, NULL), OMREG_OK);
    assert_int_equal(omreg_image_create(&mv, 2, shape, 1, OMREG_F32, NULL), OMREG_OK);
    omreg_test_fill_uniform_f64(s->data, 37 * 41, 5, 0.0, 1.0);
    omreg_test_fill_uniform_f32(mv->data, 37 * 41, 6, 0.0, 1.0);
    double start[16];
    identity(2, start);
    const double proportions[] = {1.0, 0.5, 0.3, 0.25, 0.1, 0.07};
    const size_t k[] = {1, 2, 4, 4, 10, 15};
    for (size_t p = 0; p < sizeof k / sizeof k[0]; ++p) {
        mi_metric m;
        memset(&m, 0, sizeof m);
        assert_int_equal(mi_metric_setup(&m, backends[0], 1, OMREG_TRANSFORM_RIGID, 32,
                                         proportions[p], SEED, s, NULL, mv, NULL, start),
                         OMREG_OK);
        assert_int_equal(m.nsamples, (size_t)(37 * 41) / k[p]);
        mi_metric_free(&m);
    }
    omreg_image_free(s);
    omreg_image_free(mv);
}

/* ---- the stream -------------------------------------------------------------- */

static void stream_matches_formula(void **state)
{
    (void)state;
    omreg_npy pairs, words;
    omreg_test_load("sampler/u64_pairs.npy", OMREG_NPY_I64, &pairs);
    omreg_test_load("sampler/u64.npy", OMREG_NPY_I64, &words);
    for (size_t p = 0; p < words.count; ++p) {
        const uint64_t *pr = (const uint64_t *)pairs.data + 2 * p;
        uint64_t got = omreg_random_u64(pr[0], pr[1]), want = ((const uint64_t *)words.data)[p];
        if (got != want)
            fail_msg("u64(%llu, %llu) = %016llx, formula %016llx", (unsigned long long)pr[0],
                     (unsigned long long)pr[1], (unsigned long long)got,
                     (unsigned long long)want);
    }
    omreg_npy_free(&pairs);
    omreg_npy_free(&words);
    size_t n;
    same_as_fixture("stream", "2d", SIGMA, &n);
    same_as_fixture("stream", "3d", SIGMA, &n);
}

/* The seed selects the stream; the cells do not depend on it. */
static void seed_changes_jitter_not_cells(void **state)
{
    (void)state;
    const size_t shape[3] = {20, 30, 1}, m = 200, k = 3;
    double g2w[16], a[400], b[400];
    identity(2, g2w);
    backends[0]->sample_domain_regular(omreg_backend_threads(backends[0], 0), 2, shape, k, g2w, 1,
                                       SIGMA, m, a);
    backends[0]->sample_domain_regular(omreg_backend_threads(backends[0], 0), 2, shape, k, g2w, 2,
                                       SIGMA, m, b);
    size_t equal = 0;
    for (size_t i = 0; i < m; ++i)
        for (int d = 0; d < 2; ++d) {
            size_t flat = i * k, idx = d == 0 ? flat / 30 : flat % 30;
            equal += a[2 * i + d] == b[2 * i + d];
            /* both within the hard jitter bound of the same cell */
            assert_true(fabs(a[2 * i + d] - (double)idx) <= SIGMA * BOX_MULLER_MAX);
            assert_true(fabs(b[2 * i + d] - (double)idx) <= SIGMA * BOX_MULLER_MAX);
        }
    assert_int_equal(equal, 0);
}

/* ---- distribution and independence ------------------------------------------- */

/* jitter (m x dim) of a dense draw (k = 1) on an identity grid */
static double *draw_jitter(const struct omreg_backend *b, int dim, const size_t *shape, size_t m)
{
    double g2w[16];
    identity(dim, g2w);
    double *x = omreg_test_alloc(m * (size_t)dim, sizeof(double));
    b->sample_domain_regular(omreg_backend_threads(b, 0), dim, shape, 1, g2w, SEED, SIGMA, m, x);
    for (size_t i = 0; i < m; ++i) {
        size_t idx[3];
        if (dim == 2) {
            idx[0] = i / shape[1];
            idx[1] = i % shape[1];
        } else {
            idx[0] = i / (shape[1] * shape[2]);
            idx[1] = i / shape[2] % shape[1];
            idx[2] = i % shape[2];
        }
        for (int d = 0; d < dim; ++d)
            x[i * (size_t)dim + (size_t)d] -= (double)idx[d];
    }
    return x;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* sup |F_n - Phi| of the n values v (sorted in place) scaled by 1/sigma */
static double ks_normal(double *v, size_t n)
{
    qsort(v, n, sizeof *v, cmp_double);
    double D = 0.0;
    for (size_t i = 0; i < n; ++i) {
        double F = 0.5 * erfc(-v[i] / SIGMA / sqrt(2.0));
        D = fmax(D, fmax(fabs((double)(i + 1) / (double)n - F), fabs(F - (double)i / (double)n)));
    }
    return D;
}

static void check_distribution(const double *x, int dim, size_t m, const char *what)
{
    double *v = omreg_test_alloc(m, sizeof(double));
    const double n = (double)m, s2 = SIGMA * SIGMA, p3 = erfc(3.0 / sqrt(2.0));
    for (int d = 0; d < dim; ++d) {
        double sum = 0.0, sumsq = 0.0, worst = 0.0;
        size_t beyond3 = 0;
        for (size_t i = 0; i < m; ++i) {
            double j = x[i * (size_t)dim + (size_t)d];
            v[i] = j;
            sum += j;
            sumsq += j * j;
            worst = fmax(worst, fabs(j));
            beyond3 += fabs(j) > 3.0 * SIGMA;
        }
        double mean = sum / n, var = sumsq / n - mean * mean, D = ks_normal(v, m);
        print_message("%s axis %d: mean %.2e var/sigma^2 %.5f max|j|/sigma %.3f "
                      "P(>3 sigma) %.5f (%.5f) KS sqrt(n)D %.3f\n",
                      what, d, mean, var / s2, worst / SIGMA, (double)beyond3 / n, p3,
                      sqrt(n) * D);
        /* N(0, s2): mean sd sigma/sqrt(n); sample variance sd s2 sqrt(2/n) */
        assert_true(fabs(mean) <= N_SIGMA * SIGMA / sqrt(n));
        assert_true(fabs(var - s2) <= N_SIGMA * s2 * sqrt(2.0 / n));
        assert_true(worst <= SIGMA * BOX_MULLER_MAX + RECOVERY_ATOL);
        assert_true(fabs((double)beyond3 - n * p3) <= N_SIGMA * sqrt(n * p3 * (1 - p3)));
        assert_true(sqrt(n) * D <= KS_LAMBDA);
    }
    free(v);
}

/* Pearson correlation of x[i*dim + a] and x[(i + lag)*dim + b] over i */
static double correlation(const double *x, int dim, size_t m, size_t lag, int a, int b)
{
    size_t n = m - lag;
    double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
    for (size_t i = 0; i < n; ++i) {
        double u = x[i * (size_t)dim + (size_t)a], w = x[(i + lag) * (size_t)dim + (size_t)b];
        sa += u;
        sb += w;
        saa += u * u;
        sbb += w * w;
        sab += u * w;
    }
    double N = (double)n, cov = sab / N - sa / N * sb / N;
    return cov / sqrt((saa / N - sa / N * sa / N) * (sbb / N - sb / N * sb / N));
}

static void check_independence(const double *x, int dim, size_t m, const char *what)
{
    /* independent normals: r has sd 1/sqrt(n) */
    const double bound = N_SIGMA / sqrt((double)(m - 2));
    for (int a = 0; a < dim; ++a)
        for (int b = 0; b < dim; ++b) {
            if (a < b) {
                double r = correlation(x, dim, m, 0, a, b);
                if (!(fabs(r) <= bound))
                    fail_msg("%s: axes %d and %d of one sample correlate (r = %.4f, bound %.4f)",
                             what, a, b, r, bound);
            }
            for (size_t lag = 1; lag <= 2; ++lag) {
                double r = correlation(x, dim, m, lag, a, b);
                if (!(fabs(r) <= bound))
                    fail_msg("%s: axis %d of sample i and axis %d of sample i+%zu correlate "
                             "(r = %.4f, bound %.4f)", what, a, b, lag, r, bound);
            }
        }
}

static void jitter_statistics_2d(void **state)
{
    (void)state;
    const size_t shape[3] = {300, 300, 1}, m = 300 * 300;
    for (int bi = 0; bi < 2; ++bi) {
        double *x = draw_jitter(backends[bi], 2, shape, m);
        check_distribution(x, 2, m, backend_names[bi]);
        check_independence(x, 2, m, backend_names[bi]);
        free(x);
    }
}

static void jitter_statistics_3d(void **state)
{
    (void)state;
    const size_t shape[3] = {40, 45, 50}, m = 40 * 45 * 50;
    for (int bi = 0; bi < 2; ++bi) {
        double *x = draw_jitter(backends[bi], 3, shape, m);
        check_distribution(x, 3, m, backend_names[bi]);
        check_independence(x, 3, m, backend_names[bi]);
        free(x);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cells_match_dipy),
        cmocka_unit_test(count_follows_proportion),
        cmocka_unit_test(stream_matches_formula),
        cmocka_unit_test(seed_changes_jitter_not_cells),
        cmocka_unit_test(jitter_statistics_2d),
        cmocka_unit_test(jitter_statistics_3d),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
