/* Properties of the diffeomorphic map on real images (mricron-data's
 * Colin27 ch2bet and the AAL atlas, resampled from 1 mm to a 3 mm grid with
 * omreg_affine_map_transform; every test is skipped when the package is
 * absent). The map: a smooth random displacement field on a 6 mm grid
 * (seeded uniform noise, Gaussian-smoothed with sigma 2 voxels = 12 mm,
 * scaled to a largest displacement of 5 mm), its inverse by DIPY's
 * fixed-point iteration (omreg_invert_vector_field_fixed_point, 20
 * iterations, tolerance 1e-3 as SyN), a disp grid unlike the image grid
 * and a small prealign, so every affine of the map is exercised.
 *   (1) ch2bet (3 mm, smoothed) warped forward then backward is restored
 *       inside the brain within RESTORE_REL of the mean brain intensity,
 *       far better than the forward warp alone, and nearly as well as an
 *       exactly invertible warp (interpolation costs the rest);
 *   (2) nearest warping of AAL creates no label and loses only labels of
 *       at most SMALL_LABEL voxels on the 3 mm grid, and warping back
 *       restores most labelled voxels;
 *   (3) compute_inversion_error's mean and maximum residual are small
 *       compared with the 5 mm field, and large for a wrong backward field.
 * The measured values are printed; bounds are stated with each constant. */
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "omreg/affine.h"
#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"
#include "omreg/smooth.h"
#include "omreg/vector_fields.h"

#define CH2 "/usr/share/mricron/templates/ch2bet.nii.gz"
#define AAL "/usr/share/mricron/templates/aal.nii.gz"

/* (1) ch2bet is resampled to 3 mm and smoothed (sigma 1 voxel) so that
 * trilinear resampling blurs it little; errors are mean |restored -
 * original| over the brain (non-zero ch2bet voxels), relative to the mean
 * brain intensity. Measured: forward warp 7.4%, forward+backward 1.62%
 * (all of it interpolation: the round trip through an exact inverse, a
 * constant 3 mm shift and its negation, costs 1.61%). Bounds: 3% ... */
static const double RESTORE_REL = 0.03;
/* ... at most 0.4 of the forward warp's own error (measured 0.22; a
 * backward field that does not invert the forward one leaves a ratio near
 * or above 1) ... */
static const double RESTORE_VS_WARP = 0.4;
/* ... and at most 1.25 times the exact-inverse baseline (measured 1.006). */
static const double RESTORE_VS_EXACT = 1.25;
/* (2) AAL labels with at most this many voxels on the 3 mm grid may vanish:
 * nearest-neighbour warping samples each output voxel once, and where the
 * field stretches space a structure one or two voxels thick can fall
 * between the samples (measured: none of the 116 vanished; the smallest
 * has 19 voxels). No label can appear: nearest neighbour only copies
 * input values (checked on every output voxel). */
static const size_t SMALL_LABEL = 8;
/* labelled voxels whose label survives warping forward then backward with
 * nearest neighbours: each resampling moves a label boundary by up to half
 * a voxel; measured 0.988. Bound: 0.95. */
static const double LABEL_RESTORE_MIN = 0.95;
/* (3) inversion residual of the fixed-point inverse, in mm. DIPY's 3D
 * iteration stops once the largest residual is below 0.1 voxel (0.6 mm on
 * the 6 mm grid) or the mean below 1e-3 voxel; measured max 0.42 mm, mean
 * 0.0051 mm. Bounds: max 0.6 mm, mean 0.05 mm (1% of the 5 mm field). A
 * zero backward field leaves the forward field itself (measured mean
 * 1.16 mm, max 3.8 mm). */
static const double IE_MEAN_MM = 0.05;
static const double IE_MAX_MM = 0.6;

static struct world {
    int ok;
    const omreg_backend *be;
    size_t shape[3];
    double g3[16];
    omreg_image *ch2, *aal;
    unsigned char *brain;
    omreg_diffeomap *map;
} W;

static const double PREALIGN[16] = {0.998, -0.035, 0.02, 1.5, 0.036, 0.999, -0.01, -2.0,
                                    -0.02, 0.011, 1.0, 0.8, 0, 0, 0, 1};

static omreg_image *downsample(const omreg_image *full, int nearest)
{
    omreg_image *out = NULL;
    assert_int_equal(omreg_affine_map_transform(W.be, NULL, 0, full, W.shape, W.g3, nearest,
                                                &out),
                     OMREG_OK);
    return out;
}

/* The smooth random field on the 6 mm grid (float32, world units). */
static omreg_image *smooth_field(const size_t shape6[3], double amplitude)
{
    omreg_image *noise = NULL, *sm = NULL, *f = NULL;
    assert_int_equal(omreg_image_create(&noise, 3, shape6, 3, OMREG_F64, NULL), OMREG_OK);
    const size_t n = omreg_image_voxels(noise);
    omreg_test_fill_uniform_f64(omreg_image_data(noise), 3 * n, 2024, -1.0, 1.0);
    const double sigmas[3] = {2.0, 2.0, 2.0};
    assert_int_equal(omreg_gaussian_filter(W.be, noise, sigmas, OMREG_SMOOTH_REFLECT, 0.0,
                                           OMREG_SMOOTH_TRUNCATE, &sm),
                     OMREG_OK);
    const double *s = omreg_image_cdata(sm);
    double maxnorm = 0;
    for (size_t v = 0; v < n; ++v)
        maxnorm = fmax(maxnorm, sqrt(s[3 * v] * s[3 * v] + s[3 * v + 1] * s[3 * v + 1] +
                                     s[3 * v + 2] * s[3 * v + 2]));
    assert_true(maxnorm > 0);
    assert_int_equal(omreg_image_create(&f, 3, shape6, 3, OMREG_F32, NULL), OMREG_OK);
    float *o = omreg_image_data(f);
    for (size_t i = 0; i < 3 * n; ++i)
        o[i] = (float)(s[i] * (amplitude / maxnorm));
    omreg_image_free(noise);
    omreg_image_free(sm);
    return f;
}

static int group_setup(void **state)
{
    (void)state;
    memset(&W, 0, sizeof W);
    if (access(CH2, R_OK) != 0 || access(AAL, R_OK) != 0)
        return 0;
    W.be = omreg_test_backend();
    omreg_image *ch2 = NULL, *aal = NULL;
    if (omreg_nifti_read(CH2, OMREG_F32, &ch2) != OMREG_OK ||
        omreg_nifti_read(AAL, OMREG_F32, &aal) != OMREG_OK)
        return -1;
    const size_t *full = omreg_image_shape(ch2);
    double g6[16];
    size_t shape6[3];
    memcpy(W.g3, omreg_image_grid2world(ch2), sizeof W.g3);
    memcpy(g6, W.g3, sizeof g6);
    for (int d = 0; d < 3; ++d) {
        W.shape[d] = (full[d] + 2) / 3;
        shape6[d] = (full[d] + 5) / 6 + 1;
        for (int r = 0; r < 3; ++r) {
            W.g3[r * 4 + d] *= 3.0;
            g6[r * 4 + d] *= 6.0;
        }
    }
    W.ch2 = downsample(ch2, 0);
    /* the brain: non-zero voxels of ch2bet; then smooth the image (sigma 1
     * voxel) so that trilinear resampling of the 3 mm grid blurs it less */
    const size_t nvox = omreg_image_voxels(W.ch2);
    W.brain = omreg_test_alloc(nvox, 1);
    for (size_t v = 0; v < nvox; ++v)
        W.brain[v] = ((const double *)omreg_image_cdata(W.ch2))[v] > 0;
    const double sg[3] = {1.0, 1.0, 1.0};
    assert_int_equal(omreg_gaussian_filter_inplace(W.be, W.ch2, sg, OMREG_SMOOTH_REFLECT, 0.0,
                                                   OMREG_SMOOTH_TRUNCATE),
                     OMREG_OK);
    W.aal = downsample(aal, 1);
    omreg_image_free(ch2);
    omreg_image_free(aal);

    omreg_image *fwd = smooth_field(shape6, 5.0), *bwd = NULL;
    double w2g6[16];
    assert_int_equal(omreg_mat_inverse(4, g6, w2g6), OMREG_OK);
    const double spacing[3] = {6.0, 6.0, 6.0};
    omreg_invert_info info;
    assert_int_equal(omreg_invert_vector_field_fixed_point(W.be, fwd, w2g6, spacing, 20, 1e-3,
                                                           NULL, &bwd, &info),
                     OMREG_OK);
    print_message("field on %zux%zux%zu at 6 mm, max 5 mm; inverse: %d iterations, error "
                  "%.2e voxel\n",
                  shape6[0], shape6[1], shape6[2], info.iterations, info.error);
    assert_int_equal(omreg_diffeomap_create(3, shape6, g6, W.shape, W.g3, W.shape, W.g3,
                                            PREALIGN, &W.map),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_set_forward(W.map, fwd), OMREG_OK);
    assert_int_equal(omreg_diffeomap_set_backward(W.map, bwd), OMREG_OK);
    omreg_image_free(fwd);
    omreg_image_free(bwd);
    W.ok = 1;
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    omreg_image_free(W.ch2);
    omreg_image_free(W.aal);
    free(W.brain);
    omreg_diffeomap_free(W.map);
    return 0;
}

static void need_data(void)
{
    if (!W.ok) {
        print_message("mricron-data not installed: skipped\n");
        skip();
    }
}

/* mean |a - b| over the brain, and the mean of b there. */
static double mean_abs_diff(const omreg_image *a, const omreg_image *b, double *mean_b)
{
    const size_t n = omreg_image_voxels(b);
    const float *x = omreg_image_cdata(a);
    const double *y = omreg_image_cdata(b);
    double s = 0, sb = 0;
    size_t cnt = 0;
    for (size_t v = 0; v < n; ++v)
        if (W.brain[v]) {
            s += fabs((double)x[v] - y[v]);
            sb += y[v];
            ++cnt;
        }
    assert_true(cnt > 1000);
    *mean_b = sb / (double)cnt;
    return s / (double)cnt;
}

/* ch2 warped forward then backward by map (transform, transform_inverse);
 * *warp_err is the forward warp's own difference from ch2. */
static double round_trip(const omreg_diffeomap *map, double *warp_err, double *mean_b)
{
    omreg_image *warped = NULL, *restored = NULL;
    /* ch2 is float64 here: the map converts it to the float32 of its fields */
    assert_int_equal(omreg_diffeomap_transform(W.be, map, W.ch2, OMREG_WARP_LINEAR, NULL, NULL,
                                               NULL, &warped),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_transform_inverse(W.be, map, warped, OMREG_WARP_LINEAR,
                                                       NULL, NULL, NULL, &restored),
                     OMREG_OK);
    *warp_err = mean_abs_diff(warped, W.ch2, mean_b);
    const double e = mean_abs_diff(restored, W.ch2, mean_b);
    omreg_image_free(warped);
    omreg_image_free(restored);
    return e;
}

static void restore_ch2(void **state)
{
    (void)state;
    need_data();
    double mean_b, e_warp, e_tr_warp;
    const double e_rest = round_trip(W.map, &e_warp, &mean_b);
    /* the baseline: a constant 3 mm translation, whose inverse (the negated
     * field) is exact, so its round trip costs interpolation only */
    omreg_diffeomap *tr = NULL;
    assert_int_equal(omreg_diffeomap_shallow_copy(W.map, &tr), OMREG_OK);
    omreg_image *t = NULL;
    const size_t *s6 = omreg_diffeomap_shape(W.map, OMREG_DM_DISP);
    assert_int_equal(omreg_image_create(&t, 3, s6, 3, OMREG_F32, NULL), OMREG_OK);
    float *tv = omreg_image_data(t);
    const float shift[3] = {1.3f, -2.1f, 1.7f};
    for (size_t v = 0; v < omreg_image_voxels(t); ++v)
        for (int c = 0; c < 3; ++c)
            tv[3 * v + c] = shift[c];
    assert_int_equal(omreg_diffeomap_set_forward(tr, t), OMREG_OK);
    for (size_t i = 0; i < 3 * omreg_image_voxels(t); ++i)
        tv[i] = -tv[i];
    assert_int_equal(omreg_diffeomap_set_backward(tr, t), OMREG_OK);
    const double e_base = round_trip(tr, &e_tr_warp, &mean_b);
    print_message("ch2bet 3 mm (smoothed), mean brain intensity %.2f: forward warp differs by "
                  "%.2f%%, forward+backward by %.2f%% (%.2f of the forward warp's; an exact "
                  "inverse of a 3 mm shift: %.2f%%)\n",
                  mean_b, 100 * e_warp / mean_b, 100 * e_rest / mean_b, e_rest / e_warp,
                  100 * e_base / mean_b);
    assert_true(e_rest <= RESTORE_REL * mean_b);
    assert_true(e_rest <= RESTORE_VS_WARP * e_warp);
    assert_true(e_rest <= RESTORE_VS_EXACT * e_base);

    /* the inverse map's forward warp is the same operation as
     * transform_inverse */
    omreg_image *warped = NULL, *a = NULL, *b = NULL;
    omreg_diffeomap *imap = NULL;
    assert_int_equal(omreg_diffeomap_transform(W.be, W.map, W.ch2, OMREG_WARP_LINEAR, NULL,
                                               NULL, NULL, &warped),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_transform_inverse(W.be, W.map, warped, OMREG_WARP_LINEAR,
                                                       NULL, NULL, NULL, &a),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_inverse(W.map, &imap), OMREG_OK);
    assert_int_equal(
        omreg_diffeomap_transform(W.be, imap, warped, OMREG_WARP_LINEAR, NULL, NULL, NULL, &b),
        OMREG_OK);
    assert_true(omreg_test_same_f32("inverse map", omreg_image_cdata(b), omreg_image_cdata(a),
                                    omreg_image_voxels(a)));
    omreg_image_free(warped);
    omreg_image_free(a);
    omreg_image_free(b);
    omreg_image_free(t);
    omreg_diffeomap_free(imap);
    omreg_diffeomap_free(tr);
}

/* count[label] over the image (labels 0..255, integer-valued). */
static void histogram(const omreg_image *img, size_t count[256])
{
    memset(count, 0, 256 * sizeof(size_t));
    const size_t n = omreg_image_voxels(img);
    for (size_t v = 0; v < n; ++v) {
        double x = omreg_image_dtype(img) == OMREG_F64
                       ? ((const double *)omreg_image_cdata(img))[v]
                       : (double)((const float *)omreg_image_cdata(img))[v];
        assert_true(x >= 0 && x < 256 && x == floor(x));
        ++count[(int)x];
    }
}

static void aal_labels(void **state)
{
    (void)state;
    need_data();
    omreg_image *warped = NULL, *back = NULL;
    assert_int_equal(omreg_diffeomap_transform(W.be, W.map, W.aal, OMREG_WARP_NEAREST, NULL,
                                               NULL, NULL, &warped),
                     OMREG_OK);
    size_t before[256], after[256];
    histogram(W.aal, before);
    histogram(warped, after);
    int nlabels = 0, vanished = 0;
    size_t smallest = (size_t)-1;
    for (int l = 1; l < 256; ++l) {
        nlabels += before[l] > 0;
        if (before[l] > 0 && before[l] < smallest)
            smallest = before[l];
        if (after[l] > 0 && before[l] == 0)
            fail_msg("label %d appeared (%zu voxels)", l, after[l]);
        if (before[l] > 0 && after[l] == 0) {
            ++vanished;
            print_message("label %d vanished (%zu voxels at 3 mm)\n", l, before[l]);
            assert_true(before[l] <= SMALL_LABEL);
        }
    }
    assert_true(nlabels > 100);
    /* forward then backward, nearest: most labelled voxels get their label */
    assert_int_equal(omreg_diffeomap_transform_inverse(W.be, W.map, warped, OMREG_WARP_NEAREST,
                                                       NULL, NULL, NULL, &back),
                     OMREG_OK);
    const size_t n = omreg_image_voxels(W.aal);
    const float *a = omreg_image_cdata(W.aal), *b = omreg_image_cdata(back);
    size_t labelled = 0, kept = 0;
    for (size_t v = 0; v < n; ++v)
        if (a[v] > 0) {
            ++labelled;
            kept += a[v] == b[v];
        }
    const double frac = (double)kept / (double)labelled;
    print_message("AAL 3 mm: %d labels (smallest %zu voxels), %d vanished; %zu labelled "
                  "voxels, %.3f keep their label after forward+backward\n",
                  nlabels, smallest, vanished, labelled, frac);
    assert_true(frac >= LABEL_RESTORE_MIN);
    omreg_image_free(warped);
    omreg_image_free(back);
}

static void inversion_error(void **state)
{
    (void)state;
    need_data();
    double st[3];
    omreg_image *res = NULL;
    assert_int_equal(omreg_diffeomap_compute_inversion_error(W.be, W.map, &res, st), OMREG_OK);
    print_message("inversion error: max %.4f mm, mean %.4f mm, std %.4f mm\n", st[0], st[1],
                  st[2]);
    assert_true(st[1] <= IE_MEAN_MM);
    assert_true(st[0] <= IE_MAX_MM);
    omreg_image_free(res);
    /* a backward field that is not the inverse: the residual is the forward
     * field itself, far above the bounds */
    omreg_diffeomap *wrong = NULL;
    assert_int_equal(omreg_diffeomap_shallow_copy(W.map, &wrong), OMREG_OK);
    omreg_image *zero = NULL;
    assert_int_equal(omreg_image_create(&zero, 3, omreg_diffeomap_shape(W.map, OMREG_DM_DISP), 3,
                                        OMREG_F32, NULL),
                     OMREG_OK);
    assert_int_equal(omreg_diffeomap_set_backward(wrong, zero), OMREG_OK);
    assert_int_equal(omreg_diffeomap_compute_inversion_error(W.be, wrong, NULL, st), OMREG_OK);
    print_message("with a zero backward field: max %.4f mm, mean %.4f mm\n", st[0], st[1]);
    assert_true(st[1] > 10 * IE_MEAN_MM);
    omreg_image_free(zero);
    omreg_diffeomap_free(wrong);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(restore_ch2),
        cmocka_unit_test(aal_labels),
        cmocka_unit_test(inversion_error),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
