/* Affine registration entry points (omreg/affine.h) on bad intensities,
 * masks and options (issue 7): the exact status, a message, *result
 * untouched; an all-zero mask is ignored as DIPY ignores it (the result is
 * bitwise the unmasked one); allocation failure at every call returns
 * OMREG_ENOMEM and leaks nothing (Valgrind runs this binary); the
 * pipeline's initialisation stages give their hand-computed matrix and an
 * unknown stage is refused.
 *
 * DIPY 1.6 on NaN/Inf voxels (checked with /usr/bin/python3): the
 * (x - min) / (max - min) normalisation turns the image into NaN, with a
 * RuntimeWarning, and AffineRegistration.optimize returns the identity as if
 * it had converged. omreg refuses such images with OMREG_ENONFINITE instead
 * (SyN likewise: tests/test_robustness_syn.c). A constant image (zero
 * intensity range) cannot be normalised: DIPY again returns the identity
 * silently; omreg returns OMREG_ENONFINITE. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "image_internal.h"
#include "omreg/affine.h"
#include "omreg/nifti.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */

static omreg_image *blob(int dim, const size_t *shape, double shift)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, 1, OMREG_F64, NULL), OMREG_OK);
    double *v = img->data;
    const size_t nz = dim == 3 ? shape[2] : 1;
    for (size_t i = 0; i < shape[0]; ++i)
        for (size_t j = 0; j < shape[1]; ++j)
            for (size_t k = 0; k < nz; ++k) {
                double x = (double)i - 6.0 - shift, y = (double)j - 7.0, z = (double)k - 5.5;
                v[(i * shape[1] + j) * nz + k] = exp(-(x * x + 1.3 * y * y + 0.7 * z * z) / 14.0);
            }
    return img;
}

static omreg_image *filled(int dim, const size_t *shape, double value)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, 1, OMREG_F64, NULL), OMREG_OK);
    for (size_t v = 0; v < omreg_image_voxels(img); ++v)
        ((double *)img->data)[v] = value;
    return img;
}

static omreg_affine_options quick(void)
{
    omreg_affine_options o = omreg_affine_default_options();
    o.nlevels = 1;
    o.level_iters[0] = 5;
    o.sigmas[0] = 0.0;
    o.factors[0] = 1;
    return o;
}

static omreg_status run(const omreg_image *s, const omreg_image *m, const omreg_image *smask,
                        const omreg_image *mmask, const omreg_affine_options *o,
                        const double *start, omreg_affine_result *res)
{
    return omreg_affine_register(omreg_backend_reference(), s, m, smask, mmask,
                                 OMREG_TRANSFORM_TRANSLATION, NULL, start, o, res);
}

static void expect(omreg_status want, const omreg_image *s, const omreg_image *m,
                   const omreg_image *smask, const omreg_image *mmask,
                   const omreg_affine_options *o, const double *start, int line)
{
    omreg_affine_result res, before;
    memset(&res, 0x5A, sizeof res);
    before = res;
    omreg_clear_error();
    omreg_status st = run(s, m, smask, mmask, o, start, &res);
    if (st != want)
        fail_msg("line %d: status %s, want %s (%s)", line, omreg_status_str(st),
                 omreg_status_str(want), omreg_last_error());
    assert_true(omreg_last_error()[0] != '\0');
    assert_memory_equal(&res, &before, sizeof res);
    /* the pipeline entry point reports the same */
    omreg_affine_pipeline_step step = {OMREG_STAGE_TRANSFORM, OMREG_TRANSFORM_TRANSLATION};
    omreg_clear_error();
    st = omreg_affine_pipeline(omreg_backend_parallel(), s, m, smask, mmask, &step, 1, start, o,
                               &res);
    if (st != want)
        fail_msg("line %d (pipeline): status %s, want %s (%s)", line, omreg_status_str(st),
                 omreg_status_str(want), omreg_last_error());
    assert_memory_equal(&res, &before, sizeof res);
}
#define EXPECT(want, s, m, sm, mm, o, start) expect(want, s, m, sm, mm, o, start, __LINE__)

static const size_t S3[3] = {14, 15, 12};

static void non_finite_and_constant_images(void **state)
{
    (void)state;
    omreg_affine_options o = quick();
    omreg_image *s = blob(3, S3, 0.0), *m = blob(3, S3, 1.0);
    omreg_image *nan = blob(3, S3, 0.0), *inf = blob(3, S3, 1.0), *ninf = blob(3, S3, 1.0);
    ((double *)nan->data)[100] = NAN;
    ((double *)inf->data)[7] = INFINITY;
    ((double *)ninf->data)[omreg_image_voxels(ninf) - 1] = -INFINITY;
    EXPECT(OMREG_ENONFINITE, nan, m, NULL, NULL, &o, NULL);
    EXPECT(OMREG_ENONFINITE, s, inf, NULL, NULL, &o, NULL);
    EXPECT(OMREG_ENONFINITE, s, ninf, NULL, NULL, &o, NULL);
    omreg_image *flat = filled(3, S3, 2.5), *zero = filled(3, S3, 0.0);
    EXPECT(OMREG_ENONFINITE, flat, m, NULL, NULL, &o, NULL); /* zero-range histogram */
    EXPECT(OMREG_ENONFINITE, s, zero, NULL, NULL, &o, NULL);
    /* constant inside the mask (the blob's tail is ~0 but the mask picks
     * one voxel): min == max where the image is used */
    omreg_image *one_voxel = filled(3, S3, 0.0);
    ((double *)one_voxel->data)[500] = 1.0;
    EXPECT(OMREG_ENONFINITE, s, m, one_voxel, NULL, &o, NULL);
    /* non-finite starting affine */
    double start[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, NAN, 0, 0, 0, 1};
    EXPECT(OMREG_ENONFINITE, s, m, NULL, NULL, &o, start);
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(nan);
    omreg_image_free(inf);
    omreg_image_free(ninf);
    omreg_image_free(flat);
    omreg_image_free(zero);
    omreg_image_free(one_voxel);
}

static void shapes_and_options(void **state)
{
    (void)state;
    omreg_affine_options o = quick();
    const size_t s2[2] = {14, 15}, other[3] = {14, 15, 11};
    omreg_image *s = blob(3, S3, 0.0), *m = blob(3, S3, 1.0), *i2 = blob(2, s2, 0.0);
    omreg_image *mask_other = filled(3, other, 1.0), *mask2 = filled(2, s2, 1.0);
    EXPECT(OMREG_ESHAPE, s, i2, NULL, NULL, &o, NULL); /* 2D vs 3D */
    EXPECT(OMREG_ESHAPE, i2, s, NULL, NULL, &o, NULL);
    EXPECT(OMREG_ESHAPE, s, m, mask_other, NULL, &o, NULL); /* mask shapes */
    EXPECT(OMREG_ESHAPE, s, m, NULL, mask_other, &o, NULL);
    EXPECT(OMREG_ESHAPE, s, m, mask2, NULL, &o, NULL);
    EXPECT(OMREG_EINVAL, NULL, m, NULL, NULL, &o, NULL);
    EXPECT(OMREG_EINVAL, s, m, NULL, NULL, NULL, NULL);
    /* valid, but one sample per 10^6 voxels leaves none on 2520 voxels */
    omreg_affine_options sparse = quick();
    sparse.sampling_proportion = 1e-6;
    EXPECT(OMREG_EINVAL, s, m, NULL, NULL, &sparse, NULL);
    assert_non_null(strstr(omreg_last_error(), "leaves no sample on a 2520-voxel grid"));
    struct {
        const char *what;
        void (*set)(omreg_affine_options *);
    } bad[] = {
        {"sampling 1.5", NULL}, {"sampling nan", NULL}, {"nlevels 0", NULL},
        {"level_iters -1", NULL}, {"factors 0", NULL},  {"sigmas -1", NULL},
        {"nbins 4", NULL},      {"sigmas inf", NULL},
    };
    for (size_t k = 0; k < sizeof bad / sizeof bad[0]; ++k) {
        omreg_affine_options b = quick();
        switch (k) {
        case 0: b.sampling_proportion = 1.5; break;
        case 1: b.sampling_proportion = NAN; break;
        case 2: b.nlevels = 0; break;
        case 3: b.level_iters[0] = -1; break;
        case 4: b.factors[0] = 0; break;
        case 5: b.sigmas[0] = -1.0; break;
        case 6: b.nbins = 4; break;
        case 7: b.sigmas[0] = INFINITY; break;
        }
        omreg_affine_result res;
        omreg_clear_error();
        if (run(s, m, NULL, NULL, &b, NULL, &res) != OMREG_EINVAL)
            fail_msg("options '%s' accepted", bad[k].what);
        assert_true(omreg_last_error()[0] != '\0');
    }
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(i2);
    omreg_image_free(mask_other);
    omreg_image_free(mask2);
}

/* DIPY: an all-zero mask is ignored (a warning); the result must be the
 * unmasked one, bit for bit. */
static void empty_mask_is_ignored(void **state)
{
    (void)state;
    omreg_affine_options o = quick();
    omreg_image *s = blob(3, S3, 0.0), *m = blob(3, S3, 1.0), *zero = filled(3, S3, 0.0);
    omreg_affine_result plain, masked;
    assert_int_equal(run(s, m, NULL, NULL, &o, NULL, &plain), OMREG_OK);
    assert_int_equal(run(s, m, zero, zero, &o, NULL, &masked), OMREG_OK);
    assert_true(omreg_test_same_f64("affine", masked.affine, plain.affine, 16));
    assert_true(omreg_test_same_f64("mi", &masked.mi, &plain.mi, 1));
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(zero);
}

/* Masks that do not overlap once the starting affine maps static onto
 * moving: no sample enters the joint histogram. The call must fail cleanly
 * or succeed with finite numbers; never NaN, never a crash. */
static void masks_without_overlap(void **state)
{
    (void)state;
    omreg_affine_options o = quick();
    omreg_image *s = blob(3, S3, 0.0), *m = blob(3, S3, 1.0);
    omreg_image *sm = filled(3, S3, 0.0), *mm = filled(3, S3, 0.0);
    double *a = sm->data, *b = mm->data;
    for (size_t v = 0; v < omreg_image_voxels(sm); ++v) {
        const size_t i = v / (S3[1] * S3[2]);
        a[v] = i < 4;  /* static: first 4 x-slices */
        b[v] = i >= 10; /* moving: last 4 */
    }
    omreg_affine_result res;
    memset(&res, 0, sizeof res);
    omreg_clear_error();
    omreg_status st = run(s, m, sm, mm, &o, NULL, &res);
    if (st == OMREG_OK) {
        for (int k = 0; k < 16; ++k)
            assert_true(isfinite(res.affine[k]));
        assert_true(isfinite(res.mi));
    } else {
        assert_true(omreg_last_error()[0] != '\0');
    }
    /* pushed fully out of view by the starting affine */
    double far[16] = {1, 0, 0, 1000, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    omreg_clear_error();
    st = run(s, m, NULL, NULL, &o, far, &res);
    if (st == OMREG_OK) {
        for (int k = 0; k < 16; ++k)
            assert_true(isfinite(res.affine[k]));
        assert_true(isfinite(res.mi));
    } else {
        assert_true(omreg_last_error()[0] != '\0');
    }
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(sm);
    omreg_image_free(mm);
}

/* Allocation failure at every call: OMREG_ENOMEM, nothing written, no leak. */
static void allocation_failures(void **state)
{
    (void)state;
    omreg_affine_options o = quick();
    o.level_iters[0] = 2;
    omreg_image *s = blob(3, S3, 0.0), *m = blob(3, S3, 1.0), *mask = filled(3, S3, 1.0);
    omreg_affine_result ok;
    omreg_testing_fail_alloc_at(0);
    assert_int_equal(run(s, m, mask, mask, &o, NULL, &ok), OMREG_OK);
    int failures = 0;
    for (long n = 1; n < 100000; ++n) {
        omreg_affine_result res, before;
        memset(&res, 0x33, sizeof res);
        before = res;
        omreg_testing_fail_alloc_at(n);
        omreg_status st = run(s, m, mask, mask, &o, NULL, &res);
        omreg_testing_fail_alloc_at(0);
        if (st == OMREG_OK) {
            assert_true(omreg_test_same_f64("affine", res.affine, ok.affine, 16));
            break; /* n is past the last allocation */
        }
        assert_int_equal(st, OMREG_ENOMEM);
        assert_memory_equal(&res, &before, sizeof res);
        ++failures;
    }
    assert_true(failures > 3);
    omreg_image_free(s);
    omreg_image_free(m);
    omreg_image_free(mask);
}

/* Found by fuzz_nifti_read: a few hundred gzip bytes whose header claims
 * 30000^3 voxels made the reader allocate 216 TB before reading any data.
 * Refused as truncated (deflate cannot expand past 1032:1) with no
 * allocation. */
static void tiny_gzip_claiming_huge_dims(void **state)
{
    (void)state;
    const size_t shape[3] = {4, 3, 2};
    omreg_image *img = filled(3, shape, 1.0);
    char plain[64], gzpath[64];
    snprintf(plain, sizeof plain, "/tmp/omreg-robust-%ld.nii", (long)getpid());
    snprintf(gzpath, sizeof gzpath, "/tmp/omreg-robust-%ld.nii.gz", (long)getpid());
    assert_int_equal(omreg_nifti_write(plain, img), OMREG_OK);
    unsigned char buf[1024];
    FILE *f = fopen(plain, "rb");
    assert_non_null(f);
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    unlink(plain);
    assert_true(n > 348);
    for (int d = 1; d <= 3; ++d) { /* dim[d]: int16 at offset 40 + 2 d */
        const short big = 30000;
        memcpy(buf + 40 + 2 * d, &big, 2);
    }
    gzFile gz = gzopen(gzpath, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, buf, (unsigned)n), (int)n);
    assert_int_equal(gzclose(gz), Z_OK);
    omreg_image *out = NULL;
    omreg_clear_error();
    assert_int_equal(omreg_nifti_read(gzpath, OMREG_F64, &out), OMREG_EFORMAT);
    assert_null(out);
    assert_non_null(strstr(omreg_last_error(), "gzip file cannot hold"));
    /* the array reader (omreg apply --field) shares the check */
    int ndim = 0;
    size_t ashape[7];
    void *data = NULL;
    double a4[16];
    omreg_clear_error();
    assert_int_equal(omreg_nifti_read_array(gzpath, OMREG_F32, &ndim, ashape, &data, a4),
                     OMREG_EFORMAT);
    assert_null(data);
    assert_non_null(strstr(omreg_last_error(), "gzip file cannot hold"));
    unlink(gzpath);
    omreg_image_free(img);
}

/* The pipeline's initialisation stages alone: their matrix, worked out
 * by hand (DIPY: the moving centre minus the static one, unit grids with
 * origins (5, -3, 2) and (-1, 4, 0)), and no evaluation; an unknown stage
 * is refused with *result untouched. */
static void pipeline_initialisations(void **state)
{
    (void)state;
    const size_t sm[3] = {10, 12, 9};
    omreg_image *s = blob(3, S3, 0.0), *m = NULL;
    assert_int_equal(omreg_image_create(&m, 3, sm, 1, OMREG_F64, NULL), OMREG_OK);
    const double so[3] = {5, -3, 2}, mo[3] = {-1, 4, 0};
    for (int d = 0; d < 3; ++d) {
        s->grid2world[4 * d + 3] = so[d];
        m->grid2world[4 * d + 3] = mo[d];
    }
    /* centres: origin + shape / 2 */
    const double centres[16] = {1, 0, 0, (-1 + 5.0) - (5 + 7.0),  0, 1, 0, (4 + 6.0) - (-3 + 7.5),
                                0, 0, 1, (0 + 4.5) - (2 + 6.0),    0, 0, 0, 1};
    const double origins[16] = {1, 0, 0, -6, 0, 1, 0, 7, 0, 0, 1, -2, 0, 0, 0, 1};
    const struct {
        omreg_affine_stage stage;
        const double *want;
    } cases[] = {{OMREG_STAGE_GEOMETRIC_CENTERS, centres}, {OMREG_STAGE_ORIGINS, origins}};
    omreg_affine_options o = quick();
    const double start[16] = {2, 0, 0, 1, 0, 2, 0, 1, 0, 0, 2, 1, 0, 0, 0, 1}; /* replaced */
    for (int c = 0; c < 2; ++c) {
        omreg_affine_pipeline_step step = {cases[c].stage, OMREG_TRANSFORM_TRANSLATION};
        omreg_affine_result res;
        memset(&res, 0x5A, sizeof res);
        assert_int_equal(omreg_affine_pipeline(omreg_backend_reference(), s, m, NULL, NULL, &step,
                                               1, start, &o, &res),
                         OMREG_OK);
        assert_true(omreg_test_same_f64("initial affine", res.affine, cases[c].want, 16));
        assert_int_equal(res.evaluations, 0);
    }
    omreg_affine_pipeline_step bad = {(omreg_affine_stage)99, OMREG_TRANSFORM_TRANSLATION};
    omreg_affine_result res, before;
    memset(&res, 0x5A, sizeof res);
    before = res;
    assert_int_equal(omreg_affine_pipeline(omreg_backend_reference(), s, m, NULL, NULL, &bad, 1,
                                           NULL, &o, &res),
                     OMREG_EINVAL);
    assert_non_null(strstr(omreg_last_error(), "unknown stage 99"));
    assert_memory_equal(&res, &before, sizeof res);
    omreg_image_free(s);
    omreg_image_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(non_finite_and_constant_images),
        cmocka_unit_test(shapes_and_options),
        cmocka_unit_test(empty_mask_is_ignored),
        cmocka_unit_test(masks_without_overlap),
        cmocka_unit_test(allocation_failures),
        cmocka_unit_test(tiny_gzip_claiming_huge_dims),
        cmocka_unit_test(pipeline_initialisations),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
