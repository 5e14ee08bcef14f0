/* Transform files of the ITK world (io/: omreg/transform_file.h,
 * omreg/itk_field.h): RAS <-> LPS, ITK text transforms and elastix
 * parameter files parsed from hand-written files whose expected matrices
 * are worked out by hand in the comments, written and read back (round
 * trip), format detection, malformed and unsupported files, and the ITK
 * displacement field layout written and re-read through the NIfTI reader.
 * NaN policy: inputs are finite; any NaN fails the comparisons. */
#define _POSIX_C_SOURCE 200809L
#include "omreg_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "omreg/image.h"
#include "omreg/itk_field.h"
#include "omreg/nifti.h"
#include "omreg/transform_file.h"

/* Round trips rebuild the offset from t + c - A c after t = offset - c +
 * A c, with |c| ~ 100 mm and |A| ~ 1: a few ulps of 100 (1.4e-14 each);
 * the issue requires 1e-12, far above rounding, far below any real error. */
#define ROUND_TRIP_ATOL 1e-12

/* Worked example. ITK/elastix (LPS): A = [[0,-1,0],[1,0,0],[0,0,1]],
 * t = (1, 2, 3), centre c = (10, 20, 30). A c = (-20, 10, 30), offset =
 * t + c - A c = (31, 12, 3). RAS = F M F with f = (-1, -1, 1, 1): entry
 * (r, k) times f_r f_k, so (0,1) stays -1, (1,0) stays 1, the offset
 * becomes (-31, -12, 3). Check on a point: RAS (1,0,0) = LPS (-1,0,0) ->
 * (0 + 0 + 31, -1 + 12, 3) = LPS (31, 11, 3) = RAS (-31, -11, 3), and the
 * RAS matrix gives (-31, 1 - 12, 3). */
static const double worked_ras[16] = {0, -1, 0, -31, 1, 0, 0, -12, 0, 0, 1, 3, 0, 0, 0, 1};

static const char itk_worked[] = "#Insight Transform File V1.0\n"
                                 "#Transform 0\n"
                                 "Transform: AffineTransform_double_3_3\n"
                                 "Parameters: 0 -1 0 1 0 0 0 0 1 1 2 3\n"
                                 "FixedParameters: 10 20 30\n";

static const char elastix_worked[] =
    "// a comment first, as elastix's own files have them\n"
    "(Transform \"AffineTransform\")\n"
    "(NumberOfParameters 12)\n"
    "(TransformParameters 0.000000 -1.000000 0 1 0 0 0 0 1 1 2 3)\n"
    "(InitialTransformParametersFileName \"NoInitialTransform\")\n"
    "(HowToCombineTransforms \"Compose\")\n"
    "(FixedImageDimension 3)\n"
    "(CenterOfRotationPoint 10.0000000000 20 30)\n";

static void random_affine(int dim, uint64_t seed, double *a)
{
    const int n1 = dim + 1;
    double r[12];
    omreg_test_fill_uniform_f64(r, 12, seed, -1.0, 1.0);
    for (int i = 0; i < n1 * n1; ++i)
        a[i] = 0.0;
    for (int i = 0; i < dim; ++i) {
        for (int k = 0; k < dim; ++k)
            a[i * n1 + k] = (i == k ? 1.0 : 0.0) + 0.2 * r[i * dim + k];
        a[i * n1 + dim] = 40.0 * r[9 + (i % 3)] + 3.0 * i;
    }
    a[n1 * n1 - 1] = 1.0;
}

static void ras_lps_flips_x_and_y(void **state)
{
    (void)state;
    double m[16], out[16], back[16];
    random_affine(3, 1, m);
    omreg_affine_ras_lps(3, m, out);
    for (int r = 0; r < 4; ++r)
        for (int k = 0; k < 4; ++k) {
            const double fr = r < 2 ? -1 : 1, fk = k < 2 ? -1 : 1;
            assert_true(out[r * 4 + k] == fr * fk * m[r * 4 + k]);
        }
    omreg_affine_ras_lps(3, out, back);
    assert_true(omreg_test_same_f64("F F M F F", back, m, 16));
    /* 2D: both axes flip, so the 2x2 block is unchanged, the offset negated */
    double m2[9], o2[9];
    random_affine(2, 2, m2);
    omreg_affine_ras_lps(2, m2, o2);
    assert_true(o2[0] == m2[0] && o2[1] == m2[1] && o2[3] == m2[3] && o2[4] == m2[4]);
    assert_true(o2[2] == -m2[2] && o2[5] == -m2[5] && o2[8] == 1.0);
}

static void itk_worked_example(void **state)
{
    (void)state;
    double a[16];
    assert_int_equal(omreg_itk_affine_parse(itk_worked, 3, a), OMREG_OK);
    assert_true(omreg_test_same_f64("ITK worked example", a, worked_ras, 16));
    /* ANTs names the same transform MatrixOffsetTransformBase / float */
    char alt[sizeof itk_worked + 64];
    snprintf(alt, sizeof alt, "%s",
             "#Insight Transform File V1.0\n#Transform 0\n"
             "Transform: MatrixOffsetTransformBase_float_3_3\n"
             "Parameters: 0 -1 0 1 0 0 0 0 1 1 2 3\nFixedParameters: 10 20 30\n");
    assert_int_equal(omreg_itk_affine_parse(alt, 3, a), OMREG_OK);
    assert_true(omreg_test_same_f64("MatrixOffsetTransformBase", a, worked_ras, 16));
}

static void elastix_worked_example(void **state)
{
    (void)state;
    double a[16];
    assert_int_equal(omreg_elastix_affine_parse(elastix_worked, 3, a), OMREG_OK);
    assert_true(omreg_test_same_f64("elastix worked example", a, worked_ras, 16));
}

/* Files edited on Windows: "\r\n" line ends read the same. */
static char *with_crlf(const char *text)
{
    char *out = omreg_test_alloc(2 * strlen(text) + 1, 1), *o = out;
    for (const char *p = text; *p; ++p) {
        if (*p == '\n')
            *o++ = '\r';
        *o++ = *p;
    }
    *o = '\0';
    return out;
}

static void crlf_line_ends(void **state)
{
    (void)state;
    double a[16];
    char *itk = with_crlf(itk_worked), *elx = with_crlf(elastix_worked);
    assert_int_equal(omreg_transform_format_detect(itk), OMREG_TRANSFORM_ITK);
    assert_int_equal(omreg_transform_format_detect(elx), OMREG_TRANSFORM_ELASTIX);
    assert_int_equal(omreg_itk_affine_parse(itk, 3, a), OMREG_OK);
    assert_true(omreg_test_same_f64("ITK CRLF", a, worked_ras, 16));
    assert_int_equal(omreg_elastix_affine_parse(elx, 3, a), OMREG_OK);
    assert_true(omreg_test_same_f64("elastix CRLF", a, worked_ras, 16));
    free(itk);
    free(elx);
}

/* elastix's other linear transforms, about centre 0 and worked by hand:
 * TranslationTransform t = (1, 2, 3) LPS -> RAS offset (-1, -2, 3).
 * EulerTransform angles (pi/2, pi/2, 0): Rx(90) = [[1,0,0],[0,0,-1],[0,1,0]],
 * Ry(90) = [[0,0,1],[0,1,0],[-1,0,0]]; ITK's default R = Rz Rx Ry = Rx Ry =
 * [[0,0,1],[1,0,0],[0,1,0]], with ComputeZYX R = Ry Rx =
 * [[0,1,0],[0,0,-1],[-1,0,0]]; RAS = entries (r, k) times f_r f_k, f =
 * (-1, -1, 1). Angle pi/2 has cos 6e-17, not 0: compared within 1e-15. */
static void elastix_euler_and_translation(void **state)
{
    (void)state;
    double a[16];
    const double t_ras[16] = {1, 0, 0, -1, 0, 1, 0, -2, 0, 0, 1, 3, 0, 0, 0, 1};
    assert_int_equal(omreg_elastix_affine_parse("(Transform \"TranslationTransform\")\n"
                                                "(TransformParameters 1 2 3)\n",
                                                3, a),
                     OMREG_OK);
    assert_true(omreg_test_same_f64("translation", a, t_ras, 16));
    const double zxy_ras[16] = {0, 0, -1, 0, 1, 0, 0, 0, 0, -1, 0, 0, 0, 0, 0, 1};
    const double zyx_ras[16] = {0, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1};
    char text[512];
    const double h = acos(0.0);
    snprintf(text, sizeof text,
             "(Transform \"EulerTransform\")\n(TransformParameters %.17g %.17g 0 0 0 0)\n"
             "(CenterOfRotationPoint 0 0 0)\n",
             h, h);
    assert_int_equal(omreg_elastix_affine_parse(text, 3, a), OMREG_OK);
    assert_true(omreg_test_close_f64("Euler ZXY", a, zxy_ras, 16, 0.0, 1e-15));
    strcat(text, "(ComputeZYX \"true\")\n");
    assert_int_equal(omreg_elastix_affine_parse(text, 3, a), OMREG_OK);
    assert_true(omreg_test_close_f64("Euler ZYX", a, zyx_ras, 16, 0.0, 1e-15));
    /* 2D: angle pi/2, t = (1, 2), centre (10, 20): A c = (-20, 10), offset =
     * t + c - A c = (31, 12) LPS; RAS: the 2x2 block stays, offset negated */
    const double r2_ras[9] = {0, -1, -31, 1, 0, -12, 0, 0, 1};
    snprintf(text, sizeof text,
             "(Transform \"EulerTransform\")\n(FixedImageDimension 2)\n"
             "(TransformParameters %.17g 1 2)\n(CenterOfRotationPoint 10 20)\n",
             h);
    assert_int_equal(omreg_elastix_affine_parse(text, 2, a), OMREG_OK);
    assert_true(omreg_test_close_f64("Euler 2D", a, r2_ras, 9, 0.0, 1e-13));
}

static void itk_round_trip(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim)
        for (uint64_t seed = 10; seed < 20; ++seed) {
            double a[16], back[16];
            char *text = NULL;
            random_affine(dim, seed, a);
            assert_int_equal(omreg_itk_affine_format(dim, a, &text), OMREG_OK);
            char type[64];
            snprintf(type, sizeof type, "Transform: AffineTransform_double_%d_%d\n", dim, dim);
            assert_non_null(strstr(text, type));
            assert_int_equal(omreg_transform_format_detect(text), OMREG_TRANSFORM_ITK);
            assert_int_equal(omreg_itk_affine_parse(text, dim, back), OMREG_OK);
            /* centre 0 and %.17g: only sign flips, so the bits come back */
            assert_true(omreg_test_same_f64("ITK round trip", back, a, (size_t)((dim + 1) * (dim + 1))));
            free(text);
        }
}

static omreg_elastix_grid test_grid(int dim)
{
    omreg_elastix_grid g;
    memset(&g, 0, sizeof g);
    g.dim = dim;
    const int n1 = dim + 1;
    for (int d = 0; d < dim; ++d) {
        g.shape[d] = (size_t)(20 + 3 * d);
        g.grid2world[d * n1 + d] = 2.0 + d;
        g.grid2world[d * n1 + dim] = -90.0 + 17.0 * d;
    }
    g.grid2world[n1 * n1 - 1] = 1.0;
    return g;
}

static void elastix_round_trip(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim)
        for (uint64_t seed = 30; seed < 40; ++seed) {
            double a[16], back[16];
            char *text = NULL;
            random_affine(dim, seed, a);
            omreg_elastix_grid g = test_grid(dim);
            assert_int_equal(omreg_elastix_affine_format(dim, a, &g, NULL, &text), OMREG_OK);
            assert_int_equal(omreg_transform_format_detect(text), OMREG_TRANSFORM_ELASTIX);
            assert_int_equal(omreg_elastix_affine_parse(text, dim, back), OMREG_OK);
            assert_true(omreg_test_close_f64("elastix round trip", back, a,
                                             (size_t)((dim + 1) * (dim + 1)), 0.0,
                                             ROUND_TRIP_ATOL));
            free(text);
        }
}

/* The fixed grid as elastix states it, LPS. Grid: RAS grid-to-world with
 * columns i -> (0, 2, 0), j -> (-3, 0, 0), k -> (0, 0, 4), origin (-90,
 * -125, -71). LPS = F G: columns (0, -2, 0), (3, 0, 0), (0, 0, 4), origin
 * (90, 125, -71). Spacing = norms (2, 3, 4); direction columns (0, -1, 0),
 * (1, 0, 0), (0, 0, 1), written column by column: 0 -1 0 1 0 0 0 0 1.
 * Centre = F G (shape - 1) / 2 with shape (11, 21, 31): G (5, 10, 15) =
 * (-30 - 90, 10 - 125, 60 - 71) = (-120, -115, -11) -> LPS (120, 115, -11). */
static void elastix_grid_entries(void **state)
{
    (void)state;
    omreg_elastix_grid g;
    memset(&g, 0, sizeof g);
    g.dim = 3;
    g.shape[0] = 11;
    g.shape[1] = 21;
    g.shape[2] = 31;
    const double G[16] = {0, -3, 0, -90, 2, 0, 0, -125, 0, 0, 4, -71, 0, 0, 0, 1};
    memcpy(g.grid2world, G, sizeof G);
    const double eye[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    char *text = NULL;
    assert_int_equal(omreg_elastix_affine_format(3, eye, &g, "init.txt", &text), OMREG_OK);
    assert_non_null(strstr(text, "(Size 11 21 31)\n"));
    assert_non_null(strstr(text, "(Spacing 2 3 4)\n"));
    assert_non_null(strstr(text, "(Origin 90 125 -71)\n"));
    assert_non_null(strstr(text, "(Direction 0 -1 0 1 0 0 0 0 1)\n"));
    assert_non_null(strstr(text, "(CenterOfRotationPoint 120 115 -11)\n"));
    /* identity about any centre: t = 0 */
    assert_non_null(strstr(text, "(TransformParameters 1 0 0 0 1 0 0 0 1 0 0 0)\n"));
    assert_non_null(strstr(text, "(InitialTransformParametersFileName \"init.txt\")\n"));
    /* a file that chains is refused on reading */
    double a[16];
    assert_int_equal(omreg_elastix_affine_parse(text, 3, a), OMREG_EUNSUPPORTED);
    assert_non_null(strstr(omreg_last_error(), "init.txt"));
    free(text);
}

static void elastix_field_file(void **state)
{
    (void)state;
    omreg_elastix_grid g = test_grid(3);
    char *text = NULL, *name = NULL;
    assert_int_equal(omreg_elastix_field_format("/data/warp itk.nii.gz", &g, &text), OMREG_OK);
    assert_non_null(strstr(text, "(Transform \"DeformationFieldTransform\")\n"));
    assert_int_equal(omreg_elastix_field_parse(text, 3, &name), OMREG_OK);
    assert_string_equal(name, "/data/warp itk.nii.gz");
    free(name);
    /* an affine file is not a field file, and vice versa */
    double a[16];
    assert_int_equal(omreg_elastix_affine_parse(text, 3, a), OMREG_EUNSUPPORTED);
    assert_int_equal(omreg_elastix_field_parse(elastix_worked, 3, &name), OMREG_EUNSUPPORTED);
    free(text);
    assert_int_equal(omreg_elastix_field_format("a\"b", &g, &text), OMREG_EINVAL);
    /* grids that name no image: an empty axis, a zero spacing; nothing written */
    const double eye[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    for (int k = 0; k < 2; ++k) {
        omreg_elastix_grid bad = test_grid(3);
        if (k == 0)
            bad.shape[1] = 0;
        else
            bad.grid2world[2] = bad.grid2world[6] = bad.grid2world[10] = 0.0; /* z column */
        const omreg_status want = k == 0 ? OMREG_EINVAL : OMREG_ESINGULAR;
        text = NULL;
        assert_int_equal(omreg_elastix_field_format("w.nii.gz", &bad, &text), want);
        assert_null(text);
        assert_int_equal(omreg_elastix_affine_format(3, eye, &bad, NULL, &text), want);
        assert_null(text);
        if (k == 0)
            assert_non_null(strstr(omreg_last_error(), "axis 1 has size 0"));
    }
}

static void detection(void **state)
{
    (void)state;
    assert_int_equal(omreg_transform_format_detect("\n\n#Insight Transform File V1.0\n"),
                     OMREG_TRANSFORM_ITK);
    assert_int_equal(omreg_transform_format_detect(elastix_worked), OMREG_TRANSFORM_ELASTIX);
    assert_int_equal(omreg_transform_format_detect("1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n"),
                     OMREG_TRANSFORM_MATRIX);
    /* a "(Transform" inside a later non-elastix line does not count */
    assert_int_equal(omreg_transform_format_detect("1 2 3\n(Transform \"AffineTransform\")\n"),
                     OMREG_TRANSFORM_MATRIX);
    /* blank lines may hold spaces, tabs and CRs */
    assert_int_equal(omreg_transform_format_detect(" \t\r\n\t\n#Insight Transform File V1.0\n"),
                     OMREG_TRANSFORM_ITK);
    /* elastix comments and entries alone, the last line unterminated, with
     * no (Transform ...): a matrix file's parser will refuse it */
    assert_int_equal(omreg_transform_format_detect("// elastix?\n(Metric \"AdvancedMI\")"),
                     OMREG_TRANSFORM_MATRIX);
    assert_int_equal(omreg_transform_format_detect(NULL), OMREG_TRANSFORM_MATRIX);
    assert_string_equal(omreg_transform_format_name(OMREG_TRANSFORM_ELASTIX), "elastix");
    assert_string_equal(omreg_transform_format_name(OMREG_TRANSFORM_ITK), "itk");
    assert_string_equal(omreg_transform_format_name(OMREG_TRANSFORM_MATRIX), "matrix");
}

/* Each bad file gets its status and a message naming the problem. */
static void expect_itk(const char *text, int dim, omreg_status want, const char *says)
{
    double a[16];
    assert_int_equal(omreg_itk_affine_parse(text, dim, a), want);
    if (strstr(omreg_last_error(), says) == NULL)
        fail_msg("message '%s' lacks '%s'", omreg_last_error(), says);
}

static void expect_elastix(const char *text, int dim, omreg_status want, const char *says)
{
    double a[16];
    assert_int_equal(omreg_elastix_affine_parse(text, dim, a), want);
    if (strstr(omreg_last_error(), says) == NULL)
        fail_msg("message '%s' lacks '%s'", omreg_last_error(), says);
}

static void malformed_and_unsupported(void **state)
{
    (void)state;
    expect_itk("#Insight Transform File V1.0\n#Transform 0\n"
               "Transform: CompositeTransform_double_3_3\n#Transform 1\n"
               "Transform: AffineTransform_double_3_3\n"
               "Parameters: 1 0 0 0 1 0 0 0 1 0 0 0\nFixedParameters: 0 0 0\n",
               3, OMREG_EUNSUPPORTED, "composite");
    expect_itk(itk_worked, 2, OMREG_EUNSUPPORTED, "3D");
    expect_itk("#Insight Transform File V1.0\nTransform: Euler3DTransform_double_3_3\n"
               "Parameters: 0 0 0 0 0 0\nFixedParameters: 0 0 0\n",
               3, OMREG_EUNSUPPORTED, "Euler3DTransform");
    expect_itk("#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\n"
               "Parameters: 1 0 0 0 1 0 0 0 1 0 0\nFixedParameters: 0 0 0\n",
               3, OMREG_EFORMAT, "12 finite numbers");
    expect_itk("#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\n"
               "Parameters: 1 0 0 0 1 0 0 0 1 0 0 nan\nFixedParameters: 0 0 0\n",
               3, OMREG_EFORMAT, "finite");
    expect_itk("#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\n"
               "Parameters: 1 0 0 0 1 0 0 0 1 0 0 0\n",
               3, OMREG_EFORMAT, "FixedParameters");
    expect_itk("1 0 0 0\n0 1 0 0\n0 0 1 0\n0 0 0 1\n", 3, OMREG_EFORMAT, "not an ITK");
    /* a number glued to a unit is not a number */
    expect_itk("#Insight Transform File V1.0\nTransform: AffineTransform_double_3_3\n"
               "Parameters: 1 0 0 0 1 0 0 0 1 0 0 1.5mm\nFixedParameters: 0 0 0\n",
               3, OMREG_EFORMAT, "12 finite numbers");

    expect_elastix("(Transform \"BSplineTransform\")\n(TransformParameters 0 0 0 0 0 0)\n", 3,
                   OMREG_EUNSUPPORTED, "BSplineTransform");
    expect_elastix("(Transform \"EulerTransform\")\n(TransformParameters 0 0 0 0 0 0)\n", 3,
                   OMREG_EFORMAT, "CenterOfRotationPoint");
    expect_elastix("(Transform \"TranslationTransform\")\n(TransformParameters 1 2)\n", 3,
                   OMREG_EFORMAT, "3 finite numbers");
    expect_elastix("(Transform \"AffineTransform\")\n"
                   "(InitialTransformParametersFileName \"TransformParameters.0.txt\")\n"
                   "(TransformParameters 1 0 0 0 1 0 0 0 1 0 0 0)\n"
                   "(CenterOfRotationPoint 0 0 0)\n",
                   3, OMREG_EUNSUPPORTED, "chains");
    expect_elastix("(Transform \"AffineTransform\")\n(FixedImageDimension 2)\n"
                   "(TransformParameters 1 0 0 1 0 0)\n(CenterOfRotationPoint 0 0)\n",
                   3, OMREG_EUNSUPPORTED, "FixedImageDimension");
    expect_elastix("(Transform \"AffineTransform\")\n"
                   "(TransformParameters 1 0 0 0 1 0 0 0 1 0 0 0)\n",
                   3, OMREG_EFORMAT, "CenterOfRotationPoint");
    expect_elastix("(Transform \"AffineTransform\")\n"
                   "(TransformParameters 1 0 0 0 1 0 0 0 1 0 0 x)\n(CenterOfRotationPoint 0 0 0)\n",
                   3, OMREG_EFORMAT, "12 finite numbers");
}

/* The field leaves as (X, Y, Z, 1, 3), intent vector, x and y negated,
 * affine = grid-to-world; negating again gives the original bits. */
static void itk_field_layout_written(void **state)
{
    (void)state;
    for (int dim = 2; dim <= 3; ++dim) {
        const size_t shape[3] = {5, 4, 3};
        const double g3[9] = {2, 0, -10, 0, 3, 20, 0, 0, 1};
        const double g4[16] = {2, 0, 0, -10, 0, 3, 0, 20, 0, 0, 4, 30, 0, 0, 0, 1};
        omreg_image *f = NULL;
        assert_int_equal(omreg_image_create(&f, dim, shape, dim, OMREG_F32, dim == 3 ? g4 : g3),
                         OMREG_OK);
        const size_t n = omreg_image_voxels(f) * (size_t)dim;
        omreg_test_fill_uniform_f32(omreg_image_data(f), n, 77 + (uint64_t)dim, -5.0, 5.0);
        char path[128];
        snprintf(path, sizeof path, "/tmp/omreg-itkfield-%ld-%d.nii.gz", (long)getpid(), dim);
        assert_int_equal(omreg_itk_field_write(NULL, path, f), OMREG_OK);
        int nd = 0, intent = 0;
        size_t got[7];
        void *raw = NULL;
        double a4[16];
        assert_int_equal(omreg_nifti_read_array(path, OMREG_F32, &nd, got, &raw, a4), OMREG_OK);
        assert_int_equal(omreg_nifti_read_intent(path, &intent), OMREG_OK);
        assert_int_equal(nd, 5);
        assert_int_equal(intent, OMREG_NIFTI_INTENT_VECTOR);
        assert_true(omreg_itk_field_layout(dim, nd, got, intent));
        assert_false(omreg_itk_field_layout(dim, nd, got, 0)); /* DIPY's: no intent */
        assert_false(omreg_itk_field_layout(dim == 3 ? 2 : 3, nd, got, intent));
        assert_int_equal(got[0], 5);
        assert_int_equal(got[1], 4);
        assert_int_equal(got[2], dim == 3 ? 3 : 1);
        assert_int_equal(got[3], 1);
        assert_int_equal(got[4], (size_t)dim);
        double want4[16] = {2, 0, 0, -10, 0, 3, 0, 20, 0, 0, 1, 0, 0, 0, 0, 1};
        if (dim == 3)
            memcpy(want4, g4, sizeof want4);
        assert_true(omreg_test_same_f64("field affine", a4, want4, 16));
        const float *src = omreg_image_cdata(f);
        float *v = raw;
        for (size_t i = 0; i < n; ++i) {
            const int c = (int)(i % (size_t)dim);
            assert_true(v[i] == (c < 2 ? -src[i] : src[i]));
        }
        omreg_field_ras_lps(dim, n / (size_t)dim, v);
        assert_true(omreg_test_same_f32("LPS -> RAS", v, src, n));
        free(raw);
        unlink(path);
        omreg_image_free(f);
    }
}

/* The intent code the NIfTI writer takes and the reader reports. */
static void nifti_intent_codes(void **state)
{
    (void)state;
    const size_t shape[3] = {2, 3, 4};
    const float data[24] = {0};
    const double eye[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    char path[128];
    snprintf(path, sizeof path, "/tmp/omreg-intent-%ld.nii", (long)getpid());
    assert_int_equal(omreg_nifti_write_array_intent(NULL, path, 3, shape, OMREG_F32, data, eye,
                                                    -1),
                     OMREG_EINVAL);
    assert_int_equal(access(path, F_OK), -1);
    int intent = -7;
    assert_int_equal(omreg_nifti_write_array_intent(NULL, path, 3, shape, OMREG_F32, data, eye,
                                                    1006),
                     OMREG_OK);
    assert_int_equal(omreg_nifti_read_intent(path, &intent), OMREG_OK);
    assert_int_equal(intent, 1006);
    assert_int_equal(omreg_nifti_write_array(path, 3, shape, OMREG_F32, data, eye), OMREG_OK);
    assert_int_equal(omreg_nifti_read_intent(path, &intent), OMREG_OK);
    assert_int_equal(intent, 0); /* nibabel's default: no intent */
    unlink(path);
    assert_int_equal(omreg_nifti_read_intent(path, &intent), OMREG_EIO);
}

static void text_file_limits(void **state)
{
    (void)state;
    char path[] = "/tmp/omreg-text-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char bytes[] = {'a', 0, 'b'};
    assert_int_equal(write(fd, bytes, 3), 3);
    close(fd);
    char *text = NULL;
    assert_int_equal(omreg_text_file_read(path, 100, &text), OMREG_EFORMAT);
    assert_null(text);
    assert_int_equal(omreg_text_file_read(path, 2, &text), OMREG_EFORMAT);
    /* the whole text, NUL-terminated, when it fits */
    fd = open(path, O_WRONLY | O_TRUNC);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "1 2\n3 4\n", 8), 8);
    close(fd);
    assert_int_equal(omreg_text_file_read(path, 8, &text), OMREG_OK);
    assert_string_equal(text, "1 2\n3 4\n");
    free(text);
    text = NULL;
    unlink(path);
    assert_int_equal(omreg_text_file_read(path, 100, &text), OMREG_EIO);
    /* a directory opens but cannot be read */
    assert_int_equal(omreg_text_file_read("/tmp", 100, &text), OMREG_EIO);
    assert_non_null(strstr(omreg_last_error(), "/tmp: read error"));
    assert_null(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ras_lps_flips_x_and_y),
        cmocka_unit_test(itk_worked_example),
        cmocka_unit_test(elastix_worked_example),
        cmocka_unit_test(crlf_line_ends),
        cmocka_unit_test(elastix_euler_and_translation),
        cmocka_unit_test(itk_round_trip),
        cmocka_unit_test(elastix_round_trip),
        cmocka_unit_test(elastix_grid_entries),
        cmocka_unit_test(elastix_field_file),
        cmocka_unit_test(detection),
        cmocka_unit_test(malformed_and_unsupported),
        cmocka_unit_test(itk_field_layout_written),
        cmocka_unit_test(nifti_intent_codes),
        cmocka_unit_test(text_file_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
