/* NIfTI I/O (io/nifti_header.c, io/nifti_read.c, io/nifti_write.c).
 *
 * No argument (labels unit, golden): nibabel-made fixtures (fixtures/
 * gen_nifti.py) read back with the data nibabel reports (bitwise) and its
 * img.affine (bitwise for sform and base affines, QFORM_RTOL for qform);
 * the writer reproduces
 * nib.save byte for byte (except the quaternion, see QUATERN_ATOL); round
 * trips; atomic replacement on failure.
 * Argument "robustness": damaged files give the documented status, leave
 * *out untouched, name the file, and print nothing.
 * Argument "e2e": the Colin27 template from mricron-data (skipped when the
 * package is absent).
 *
 * NaN policy: no fixture holds NaN; data are compared as bytes. */
#define _POSIX_C_SOURCE 200809L

#include "omreg_test.h"

#include <dirent.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "nifti1.h"
#include "nifti2.h"
#include "omreg/image.h"
#include "omreg/nifti.h"
#include "alloc.h" /* omreg_testing_fail_alloc_at */

/* Quaternion fields of the written header: nibabel derives them with an
 * eigen-decomposition (mat2quat), nifticlib with its closed form; both give
 * the same unit quaternion to a few float32 ulps. qform_code is 0, so no
 * reader uses them. */
#define QUATERN_ATOL 1e-6

/* qform affines: nibabel computes the quaternion rotation in numpy
 * longdouble (80-bit here), the reader the same operations in double (the
 * same on every platform): the entries differ by at most an ulp. The
 * absolute part covers entries that cancel to ~0. */
#define QFORM_RTOL (2 * DBL_EPSILON)

static char tmpdir[64];

#define N1OFF(field) offsetof(nifti_1_header, field)
#define N2OFF(field) offsetof(nifti_2_header, field)

static const char *tmp_path(const char *name)
{
    static char path[4][512];
    static int slot;
    slot = (slot + 1) % 4;
    snprintf(path[slot], sizeof path[slot], "%s/%s", tmpdir, name);
    return path[slot];
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *buf = omreg_test_alloc((size_t)n + 1, 1);
    if (fread(buf, 1, (size_t)n, f) != (size_t)n)
        fail_msg("short read of %s", path);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void spit(const char *path, const void *bytes, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        fail_msg("cannot create %s", path);
    if (len && fwrite(bytes, 1, len, f) != len)
        fail_msg("short write of %s", path);
    fclose(f);
}

/* Decompress a whole gzip file (fails the test on any zlib error). */
static unsigned char *gunzip_file(const char *path, size_t *len)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        fail_msg("cannot gzopen %s", path);
    size_t cap = 1 << 16, n = 0;
    unsigned char *buf = malloc(cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        int got = gzread(gz, buf + n, (unsigned)(cap - n));
        if (got < 0)
            fail_msg("gzread %s failed", path);
        if (got == 0)
            break;
        n += (size_t)got;
    }
    int zerr;
    gzerror(gz, &zerr);
    assert_int_equal(zerr, Z_OK);
    assert_int_equal(gzclose(gz), Z_OK);
    *len = n;
    return buf;
}

static int setup_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/omreg-nifti-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

/* Remove everything the tests left in tmpdir (files and one level of
 * directories), then tmpdir itself. */
static int teardown_tmpdir(void **state)
{
    (void)state;
    DIR *d = opendir(tmpdir);
    if (!d)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        const char *p = tmp_path(e->d_name);
        if (unlink(p) != 0)
            rmdir(p);
    }
    closedir(d);
    return rmdir(tmpdir);
}

/* Number of entries in dir whose name contains "omreg-tmp". */
static int count_temp_files(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, "omreg-tmp"))
            ++n;
    closedir(d);
    return n;
}

/* ---------------------------------------------------------------------- */
/* Reading nibabel's fixtures                                             */
/* ---------------------------------------------------------------------- */

typedef enum { AFF_SFORM, AFF_QFORM, AFF_BASE } affine_kind;

typedef struct {
    const char *name; /* fixture stem: <name>_data.npy, _f32.npy, _affine.npy */
    const char *file;
    affine_kind kind;
    int ndim;
} read_case;

static const read_case read_cases[] = {
    {"sform_f32", "sform_f32.nii", AFF_SFORM, 3},
    {"sform_f32_gz", "sform_f32_gz.nii.gz", AFF_SFORM, 3},
    {"qform_i16", "qform_i16.nii", AFF_QFORM, 3},
    {"both_f64", "both_f64.nii", AFF_SFORM, 3},
    {"neither_u8", "neither_u8.nii", AFF_BASE, 3},
    {"fix_pixdim", "fix_pixdim.nii", AFF_BASE, 3},
    {"fix_qform", "fix_qform.nii", AFF_QFORM, 3},
    {"scaled_i16", "scaled_i16.nii", AFF_SFORM, 3},
    {"scaled_be_i16", "scaled_be_i16.nii", AFF_SFORM, 3},
    {"scaled_f32", "scaled_f32.nii", AFF_SFORM, 3},
    {"type_int8", "type_int8.nii", AFF_SFORM, 3},
    {"type_uint16", "type_uint16.nii", AFF_SFORM, 3},
    {"type_int32", "type_int32.nii", AFF_SFORM, 3},
    {"type_uint32", "type_uint32.nii", AFF_SFORM, 3},
    {"type_int64", "type_int64.nii", AFF_SFORM, 3},
    {"type_uint64", "type_uint64.nii", AFF_SFORM, 3},
    {"type_f64_be", "type_f64_be.nii", AFF_SFORM, 3},
    {"n2_sform_i16", "n2_sform_i16.nii", AFF_SFORM, 3},
    {"n2_qform_f32", "n2_qform_f32.nii.gz", AFF_QFORM, 3},
    {"image2d", "image2d.nii", AFF_SFORM, 2},
    {"trailing4d", "trailing4d.nii", AFF_SFORM, 3},
    {"slice_z1", "slice_z1.nii", AFF_SFORM, 3},
    {"extension", "extension.nii", AFF_SFORM, 3},
};
#define N_READ_CASES (sizeof read_cases / sizeof read_cases[0])

static const char *nifti_fixture(const char *file)
{
    static char rel[512];
    snprintf(rel, sizeof rel, "nifti/%s", file);
    return omreg_test_fixture_path(rel);
}

static void load_ref(const char *name, const char *suffix, omreg_npy_type type, omreg_npy *out)
{
    char rel[256];
    snprintf(rel, sizeof rel, "nifti/%s_%s.npy", name, suffix);
    omreg_test_load(rel, type, out);
}

/* The (n+1)x(n+1) grid2world the reader promises for nibabel's 4x4 affine:
 * the 4x4 itself in 3D, rows/columns (x, y, translation) in 2D. */
static void expected_grid2world(const double *a4, int ndim, double *g)
{
    if (ndim == 3) {
        memcpy(g, a4, 16 * sizeof *g);
        return;
    }
    const int keep[3] = {0, 1, 3};
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            g[3 * r + c] = a4[4 * keep[r] + keep[c]];
}

static void check_affine(const char *what, const omreg_image *img, const double *a4,
                         affine_kind kind)
{
    int n = omreg_image_ndim(img) + 1;
    double want[16];
    expected_grid2world(a4, omreg_image_ndim(img), want);
    const double *got = omreg_image_grid2world(img);
    if (kind == AFF_QFORM) {
        double scale = 0.0;
        for (int e = 0; e < n * n; ++e)
            scale = fmax(scale, fabs(want[e]));
        assert_true(omreg_test_close_f64(what, got, want, (size_t)(n * n), QFORM_RTOL,
                                         QFORM_RTOL * scale));
    } else {
        assert_true(omreg_test_same_f64(what, got, want, (size_t)(n * n)));
    }
}

/* omreg_nifti_read_array: nibabel's full shape (trailing axes kept), its
 * array in C order (the same values as the image reader) and its 4x4. */
static void read_array_matches(const read_case *c, omreg_dtype dtype, const omreg_npy *data,
                               const omreg_npy *data32, const omreg_npy *aff)
{
    int nd = 0;
    size_t shape[7];
    void *raw = NULL;
    double a4[16];
    omreg_status st = omreg_nifti_read_array(nifti_fixture(c->file), dtype, &nd, shape, &raw, a4);
    if (st != OMREG_OK)
        fail_msg("%s (array): %s: %s", c->file, omreg_status_str(st), omreg_last_error());
    assert_int_equal(nd, data->ndim);
    for (int d = 0; d < 7; ++d)
        assert_int_equal(shape[d], d < nd ? data->shape[d] : 1);
    if (dtype == OMREG_F64)
        assert_true(omreg_test_same_f64(c->name, raw, data->data, data->count));
    else
        assert_true(omreg_test_same_f32(c->name, raw, data32->data, data32->count));
    if (c->kind == AFF_QFORM) {
        double scale = 0.0;
        for (int e = 0; e < 16; ++e)
            scale = fmax(scale, fabs(((const double *)aff->data)[e]));
        assert_true(omreg_test_close_f64("array affine", a4, aff->data, 16, QFORM_RTOL,
                                         QFORM_RTOL * scale));
    } else {
        assert_true(omreg_test_same_f64("array affine", a4, aff->data, 16));
    }
    free(raw);
}

static void read_matches_nibabel(void **state)
{
    const read_case *c = *state;
    omreg_npy data, data32, aff;
    load_ref(c->name, "data", OMREG_NPY_F64, &data);
    load_ref(c->name, "f32", OMREG_NPY_F32, &data32);
    load_ref(c->name, "affine", OMREG_NPY_F64, &aff);
    assert_int_equal(aff.count, 16);

    for (int pass = 0; pass < 2; ++pass) {
        omreg_dtype dtype = pass == 0 ? OMREG_F64 : OMREG_F32;
        omreg_image *img = NULL;
        omreg_status st = omreg_nifti_read(nifti_fixture(c->file), dtype, &img);
        if (st != OMREG_OK)
            fail_msg("%s: %s: %s", c->file, omreg_status_str(st), omreg_last_error());
        assert_int_equal(omreg_image_ndim(img), c->ndim);
        assert_int_equal(omreg_image_ncomp(img), 1);
        assert_int_equal(omreg_image_dtype(img), dtype);
        const size_t *shape = omreg_image_shape(img);
        for (int d = 0; d < c->ndim; ++d)
            assert_int_equal(shape[d], data.shape[d]);
        for (int d = c->ndim; d < data.ndim; ++d) /* dropped trailing axes */
            assert_int_equal(data.shape[d], 1);
        assert_int_equal(omreg_image_voxels(img), data.count);
        if (dtype == OMREG_F64)
            assert_true(omreg_test_same_f64(c->name, omreg_image_cdata(img), data.data,
                                            data.count));
        else
            assert_true(omreg_test_same_f32(c->name, omreg_image_cdata(img), data32.data,
                                            data32.count));
        check_affine(c->name, img, aff.data, c->kind);
        omreg_image_free(img);
        read_array_matches(c, dtype, &data, &data32, &aff);
    }
    omreg_npy_free(&data);
    omreg_npy_free(&data32);
    omreg_npy_free(&aff);
}

/* Independent of nibabel: voxel (i, j, k) is read from file offset
 * vox_offset + 4 * (i + X * (j + Y * k)) into (i * Y + j) * Z + k. */
static void layout_is_transposed(void **state)
{
    (void)state;
    size_t len;
    unsigned char *file = slurp(nifti_fixture("sform_f32.nii"), &len);
    nifti_1_header h;
    memcpy(&h, file, sizeof h);
    assert_int_equal(h.datatype, NIFTI_TYPE_FLOAT32);
    size_t X = (size_t)h.dim[1], Y = (size_t)h.dim[2], Z = (size_t)h.dim[3];
    size_t off = (size_t)h.vox_offset;
    assert_int_equal(len, off + 4 * X * Y * Z);
    omreg_image *img = NULL;
    assert_int_equal(omreg_nifti_read(nifti_fixture("sform_f32.nii"), OMREG_F32, &img), OMREG_OK);
    const float *v = omreg_image_cdata(img);
    for (size_t k = 0; k < Z; ++k)
        for (size_t j = 0; j < Y; ++j)
            for (size_t i = 0; i < X; ++i) {
                float want;
                memcpy(&want, file + off + 4 * (i + X * (j + Y * k)), 4);
                assert_memory_equal(&v[(i * Y + j) * Z + k], &want, 4);
            }
    /* and the sform rows are the header's srow_* */
    const double *g = omreg_image_grid2world(img);
    for (int c = 0; c < 4; ++c) {
        assert_true(g[c] == (double)h.srow_x[c]);
        assert_true(g[4 + c] == (double)h.srow_y[c]);
        assert_true(g[8 + c] == (double)h.srow_z[c]);
    }
    omreg_image_free(img);
    free(file);
}

/* Independent of nibabel: with no sform/qform, diag(-dx, dy, dz) and the
 * array centre at the origin: t = -((n - 1) / 2) * zoom. */
static void base_affine_is_centred(void **state)
{
    (void)state;
    omreg_image *img = NULL;
    assert_int_equal(omreg_nifti_read(nifti_fixture("neither_u8.nii"), OMREG_F64, &img), OMREG_OK);
    const size_t *s = omreg_image_shape(img);
    const double zoom[3] = {-2.0, 3.0, 4.5}; /* pixdim in gen_nifti.py, x flipped */
    double want[16] = {0};
    for (int i = 0; i < 3; ++i) {
        want[5 * i] = zoom[i];
        want[4 * i + 3] = -((double)(s[i] - 1) / 2.0) * zoom[i];
    }
    want[15] = 1.0;
    assert_true(omreg_test_same_f64("base affine", omreg_image_grid2world(img), want, 16));
    omreg_image_free(img);
}

/* Independent of nibabel: the qform rotation part divided by the zooms
 * (pixdim, with qfac = -1 on z) is orthonormal with determinant +1. */
static void qform_is_rotation(void **state)
{
    (void)state;
    omreg_image *img = NULL;
    assert_int_equal(omreg_nifti_read(nifti_fixture("qform_i16.nii"), OMREG_F64, &img), OMREG_OK);
    const double *a = omreg_image_grid2world(img);
    const double zoom[3] = {1.5, 2.25, -0.8f}; /* pixdim[1..3] * (qfac on z) */
    double r[3][3];
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            r[i][j] = a[4 * i + j] / (double)(float)zoom[j];
    for (int p = 0; p < 3; ++p)
        for (int q = 0; q < 3; ++q) {
            double dot = 0.0;
            for (int i = 0; i < 3; ++i)
                dot += r[i][p] * r[i][q];
            assert_true(fabs(dot - (p == q ? 1.0 : 0.0)) < 1e-6); /* float32 quaternion */
        }
    double det = r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) -
                 r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0]) +
                 r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
    assert_true(fabs(det - 1.0) < 1e-6);
    assert_true(a[3] == -91.25);
    omreg_image_free(img);
}

static void read_2d_variants(void **state)
{
    (void)state;
    omreg_npy data, aff;
    load_ref("slice_z1", "data", OMREG_NPY_F64, &data);
    load_ref("slice_z1", "affine", OMREG_NPY_F64, &aff);
    omreg_image *img = NULL;
    assert_int_equal(omreg_nifti_read_2d(nifti_fixture("slice_z1.nii"), OMREG_F64, &img),
                     OMREG_OK);
    assert_int_equal(omreg_image_ndim(img), 2);
    assert_int_equal(omreg_image_shape(img)[0], data.shape[0]);
    assert_int_equal(omreg_image_shape(img)[1], data.shape[1]);
    assert_int_equal(data.shape[2], 1);
    assert_true(omreg_test_same_f64("slice", omreg_image_cdata(img), data.data, data.count));
    double want[9];
    expected_grid2world(aff.data, 2, want);
    assert_true(omreg_test_same_f64("slice affine", omreg_image_grid2world(img), want, 9));
    omreg_image_free(img);
    omreg_npy_free(&data);
    omreg_npy_free(&aff);

    /* a true 2D file reads the same way through both entry points */
    omreg_image *a = NULL, *b = NULL;
    assert_int_equal(omreg_nifti_read(nifti_fixture("image2d.nii"), OMREG_F32, &a), OMREG_OK);
    assert_int_equal(omreg_nifti_read_2d(nifti_fixture("image2d.nii"), OMREG_F32, &b), OMREG_OK);
    assert_int_equal(omreg_image_ndim(b), 2);
    assert_memory_equal(omreg_image_cdata(a), omreg_image_cdata(b),
                        omreg_image_voxels(a) * sizeof(float));
    assert_memory_equal(omreg_image_grid2world(a), omreg_image_grid2world(b), 9 * sizeof(double));
    omreg_image_free(a);
    omreg_image_free(b);

    /* more than one slice is not 2D */
    omreg_image *sentinel = (omreg_image *)&tmpdir, *out = sentinel;
    assert_int_equal(omreg_nifti_read_2d(nifti_fixture("sform_f32.nii"), OMREG_F64, &out),
                     OMREG_ESHAPE);
    assert_ptr_equal(out, sentinel);
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                */
/* ---------------------------------------------------------------------- */

/* Compare a file we wrote with nibabel's: every byte, except the three
 * float32 quaternion fields (within QUATERN_ATOL). */
static void same_as_nibabel(const char *what, const unsigned char *got, size_t got_len,
                            const unsigned char *want, size_t want_len)
{
    assert_int_equal(got_len, want_len);
    const size_t q0 = offsetof(nifti_1_header, quatern_b), q1 = q0 + 12;
    for (size_t b = 0; b < want_len; ++b) {
        if (b >= q0 && b < q1)
            continue;
        if (got[b] != want[b])
            fail_msg("%s: byte %zu differs from nibabel's (0x%02x vs 0x%02x)", what, b, got[b],
                     want[b]);
    }
    for (size_t b = q0; b < q1; b += 4) {
        float g, w;
        memcpy(&g, got + b, 4);
        memcpy(&w, want + b, 4);
        if (!(fabs((double)g - (double)w) <= QUATERN_ATOL))
            fail_msg("%s: quaternion field at %zu: %a vs nibabel %a", what, b, (double)g,
                     (double)w);
    }
}

typedef struct {
    const char *name; /* write_<name>: .nii, _input.npy, _input_affine.npy */
    int kind;         /* 0: image, 1: field, 2: raw array */
} write_case;

static const write_case write_cases[] = {
    {"write_f32", 0}, {"write_f64", 0}, {"write_2d", 0}, {"write_field", 1}, {"write_syn", 2},
};

static omreg_status write_one(const write_case *c, const char *path, omreg_npy *in,
                              omreg_npy *aff)
{
    omreg_dtype dtype = in->type == OMREG_NPY_F64 ? OMREG_F64 : OMREG_F32;
    if (c->kind == 2)
        return omreg_nifti_write_array(path, in->ndim, in->shape, dtype, in->data, aff->data);
    int ndim = c->kind == 1 ? in->ndim - 1 : in->ndim;
    int ncomp = c->kind == 1 ? (int)in->shape[ndim] : 1;
    double g[16];
    if (ndim == 2) {
        omreg_npy g2;
        omreg_test_load("nifti/write_2d_grid2world.npy", OMREG_NPY_F64, &g2);
        memcpy(g, g2.data, 9 * sizeof *g);
        omreg_npy_free(&g2);
    } else {
        memcpy(g, aff->data, 16 * sizeof *g);
    }
    omreg_image *img = NULL;
    omreg_status st = omreg_image_wrap(&img, in->data, ndim, in->shape, ncomp, dtype, g);
    if (st == OMREG_OK)
        st = omreg_nifti_write(path, img);
    omreg_image_free(img);
    return st;
}

static void write_matches_nibabel(void **state)
{
    (void)state;
    for (size_t t = 0; t < sizeof write_cases / sizeof write_cases[0]; ++t) {
        const write_case *c = &write_cases[t];
        char rel[256], name[128];
        omreg_npy in, aff;
        snprintf(rel, sizeof rel, "nifti/%s_input.npy", c->name);
        if (omreg_npy_read(omreg_test_fixture_path(rel), &in) != OMREG_OK)
            fail_msg("fixture %s: %s", rel, omreg_last_error());
        assert_true(in.type == OMREG_NPY_F32 || in.type == OMREG_NPY_F64);
        snprintf(rel, sizeof rel, "nifti/%s_input_affine.npy", c->name);
        omreg_test_load(rel, OMREG_NPY_F64, &aff);
        snprintf(rel, sizeof rel, "%s.nii", c->name);
        size_t want_len, got_len;
        unsigned char *want = slurp(nifti_fixture(rel), &want_len);
        for (int gz = 0; gz < 2; ++gz) {
            snprintf(name, sizeof name, "%s%s", c->name, gz ? ".nii.gz" : ".nii");
            const char *path = tmp_path(name);
            omreg_status st = write_one(c, path, &in, &aff);
            if (st != OMREG_OK)
                fail_msg("%s: %s: %s", name, omreg_status_str(st), omreg_last_error());
            unsigned char *got = gz ? gunzip_file(path, &got_len) : slurp(path, &got_len);
            if (gz) {
                size_t raw_len;
                unsigned char *raw = slurp(path, &raw_len);
                assert_true(raw_len > 2 && raw[0] == 0x1f && raw[1] == 0x8b);
                free(raw);
            }
            same_as_nibabel(name, got, got_len, want, want_len);
            free(got);
            unlink(path);
        }
        free(want);
        omreg_npy_free(&in);
        omreg_npy_free(&aff);
    }
}

/* Write, read back: data bitwise, grid2world = the float32 sform. */
static void round_trip(void **state)
{
    (void)state;
    const size_t shape3[3] = {9, 7, 5}, shape2[2] = {11, 6};
    const double g3[16] = {0.9, 0.1, -0.05, -40.3, -0.12, 1.1, 0.2, 17.77,
                           0.03, -0.2, 2.5, 5.5, 0, 0, 0, 1};
    const double g2[9] = {0.0, -1.3, 12.25, 0.7, 0.01, -3.5, 0, 0, 1};
    const char *suffix[2] = {".nii", ".nii.gz"};
    for (int nd = 2; nd <= 3; ++nd)
        for (int dt = 0; dt < 2; ++dt)
            for (int gz = 0; gz < 2; ++gz) {
                omreg_dtype dtype = dt ? OMREG_F64 : OMREG_F32;
                omreg_image *img = NULL, *back = NULL;
                assert_int_equal(omreg_image_create(&img, nd, nd == 3 ? shape3 : shape2, 1,
                                                    dtype, nd == 3 ? g3 : g2),
                                 OMREG_OK);
                size_t n = omreg_image_voxels(img);
                if (dtype == OMREG_F64)
                    omreg_test_fill_uniform_f64(omreg_image_data(img), n, 77u + (unsigned)nd,
                                                -1e3, 1e3);
                else
                    omreg_test_fill_uniform_f32(omreg_image_data(img), n, 78u + (unsigned)nd,
                                                -1e3, 1e3);
                char name[64];
                snprintf(name, sizeof name, "rt%d_%d%s", nd, dt, suffix[gz]);
                const char *path = tmp_path(name);
                assert_int_equal(omreg_nifti_write(path, img), OMREG_OK);
                assert_int_equal(omreg_nifti_read(path, dtype, &back), OMREG_OK);
                assert_int_equal(omreg_image_ndim(back), nd);
                assert_memory_equal(omreg_image_shape(back), omreg_image_shape(img),
                                    3 * sizeof(size_t));
                assert_memory_equal(omreg_image_cdata(back), omreg_image_cdata(img),
                                    n * omreg_dtype_size(dtype));
                int m = (nd + 1) * (nd + 1);
                double want[16];
                for (int e = 0; e < m; ++e)
                    want[e] = (double)(float)omreg_image_grid2world(img)[e];
                assert_true(omreg_test_same_f64(name, omreg_image_grid2world(back), want,
                                                (size_t)m));
                omreg_image_free(back);
                omreg_image_free(img);
                unlink(path);
            }
    assert_int_equal(count_temp_files(tmpdir), 0);
}

/* Read a patched copy of sform_f32.nii as float64 (image reader). */
static omreg_image *read_patched(const unsigned char *file, size_t len, size_t off,
                                 const void *v, size_t size)
{
    unsigned char *b = omreg_test_alloc(len, 1);
    memcpy(b, file, len);
    memcpy(b + off, v, size);
    spit(tmp_path("patched.nii"), b, len);
    free(b);
    omreg_image *img = NULL;
    omreg_status st = omreg_nifti_read(tmp_path("patched.nii"), OMREG_F64, &img);
    if (st != OMREG_OK)
        fail_msg("patched at %zu: %s (%s)", off, omreg_status_str(st), omreg_last_error());
    return img;
}

/* nibabel's header fixes on load (checked with nibabel 5 on patched copies
 * of sform_f32.nii): a zero or non-finite scl_slope means no scaling,
 * whatever scl_inter holds; a qform_code or sform_code outside 0..5 counts
 * as 0 (here both codes unused: the base affine); a quaternion with
 * b^2 + c^2 + d^2 just over 1 (within 3 float32 eps) has a = 0: b = 1 is
 * the half turn about x, R = diag(1, -1, -1). */
static void header_fixes_like_nibabel(void **state)
{
    (void)state;
    size_t len;
    unsigned char *file = slurp(nifti_fixture("sform_f32.nii"), &len);
    omreg_image *plain = NULL;
    assert_int_equal(omreg_nifti_read(nifti_fixture("sform_f32.nii"), OMREG_F64, &plain),
                     OMREG_OK);
    const size_t nvox = omreg_image_voxels(plain);
    const float scl[3][2] = {{0.0f, 7.0f}, {NAN, NAN}, {INFINITY, 3.0f}};
    for (int k = 0; k < 3; ++k) {
        omreg_image *img = read_patched(file, len, N1OFF(scl_slope), scl[k], sizeof scl[k]);
        assert_true(omreg_test_same_f64("unscaled", omreg_image_cdata(img),
                                        omreg_image_cdata(plain), nvox));
        omreg_image_free(img);
    }

    const int16_t none[2] = {0, 0};
    omreg_image *base = read_patched(file, len, N1OFF(qform_code), none, sizeof none);
    const int16_t codes[3][2] = {{9, 0}, {0, 9}, {-1, 0}};
    for (int k = 0; k < 3; ++k) {
        omreg_image *img = read_patched(file, len, N1OFF(qform_code), codes[k], sizeof codes[k]);
        assert_true(omreg_test_same_f64("base affine", omreg_image_grid2world(img),
                                        omreg_image_grid2world(base), 16));
        omreg_image_free(img);
    }
    omreg_image_free(base);

    nifti_1_header h;
    memcpy(&h, file, sizeof h);
    h.qform_code = 1;
    h.sform_code = 0;
    h.quatern_b = 1.0000001f; /* b^2 - 1 = 2.4e-7 < 3 * 2^-23 */
    h.quatern_c = h.quatern_d = 0.0f;
    h.qoffset_x = 10.0f;
    h.qoffset_y = 20.0f;
    h.qoffset_z = 30.0f;
    omreg_image *img = read_patched(file, len, 0, &h, sizeof h);
    const double qfac = h.pixdim[0] < 0 ? -1.0 : 1.0;
    const double want[16] = {h.pixdim[1], 0, 0, 10, 0, -(double)h.pixdim[2], 0, 20,
                             0, 0, -(double)h.pixdim[3] * qfac, 30, 0, 0, 0, 1};
    check_affine("half turn", img, want, AFF_QFORM);
    omreg_image_free(img);
    omreg_image_free(plain);
    free(file);
}

static void write_rejects_bad_arguments(void **state)
{
    (void)state;
    const size_t shape[3] = {2, 3, 4}, big[3] = {2, 40000, 1}, zero[3] = {2, 0, 4};
    double data[24] = {0}, a[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const char *p = tmp_path("bad.nii");
    assert_int_equal(omreg_nifti_write_array(NULL, 3, shape, OMREG_F64, data, a), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(p, 3, shape, OMREG_F64, NULL, a), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(p, 3, shape, OMREG_F64, data, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(tmp_path("bad.img"), 3, shape, OMREG_F64, data, a),
                     OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(tmp_path("bad.nii.bz2"), 3, shape, OMREG_F64, data,
                                             a),
                     OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(p, 0, shape, OMREG_F64, data, a), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(p, 8, shape, OMREG_F64, data, a), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(p, 3, shape, (omreg_dtype)7, data, a), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(p, 3, zero, OMREG_F64, data, a), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array(p, 3, big, OMREG_F64, data, a), OMREG_EUNSUPPORTED);
    a[5] = NAN;
    assert_int_equal(omreg_nifti_write_array(p, 3, shape, OMREG_F64, data, a), OMREG_ENONFINITE);
    a[5] = 1.0;
    a[14] = 0.5;
    assert_int_equal(omreg_nifti_write_array(p, 3, shape, OMREG_F64, data, a), OMREG_ESINGULAR);
    assert_int_equal(omreg_nifti_write(p, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_write_array("x", 3, shape, OMREG_F64, data, a), OMREG_EINVAL);
    assert_non_null(strstr(omreg_last_error(), "must end in .nii"));
    struct stat st;
    assert_int_equal(stat(p, &st), -1);
    assert_int_equal(count_temp_files(tmpdir), 0);
    /* upper-case extensions are accepted */
    a[14] = 0.0;
    assert_int_equal(omreg_nifti_write_array(tmp_path("UP.NII.GZ"), 3, shape, OMREG_F64, data, a),
                     OMREG_OK);
    size_t len;
    unsigned char *raw = slurp(tmp_path("UP.NII.GZ"), &len);
    assert_true(raw[0] == 0x1f && raw[1] == 0x8b);
    free(raw);
}

static void write_to_missing_directory(void **state)
{
    (void)state;
    const size_t shape[2] = {3, 3};
    const double data[9] = {0}, a[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const char *path = tmp_path("no/such/dir/out.nii");
    assert_int_equal(omreg_nifti_write_array(path, 2, shape, OMREG_F64, data, a), OMREG_EIO);
    assert_non_null(strstr(omreg_last_error(), path));
    struct stat st;
    assert_int_equal(stat(tmp_path("no"), &st), -1);
    assert_int_equal(count_temp_files(tmpdir), 0);
}

/* Write float32 `data` of `shape` to target under RLIMIT_FSIZE = limit
 * bytes: EIO naming the target, no temporary left, and the target holds
 * what it held (`old` bytes when `existing`, else nothing). */
static void write_under_limit(const char *target, rlim_t limit, int existing,
                              const size_t shape[3], const float *data)
{
    static const char old[] = "previous contents";
    static const double a[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    if (existing)
        spit(target, old, sizeof old);
    struct rlimit saved, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    lim = saved;
    lim.rlim_cur = limit;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    omreg_status s = omreg_nifti_write_array(target, 3, shape, OMREG_F32, data, a);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    assert_int_equal(s, OMREG_EIO);
    assert_non_null(strstr(omreg_last_error(), target));
    if (existing) {
        size_t len;
        unsigned char *now = slurp(target, &len);
        assert_int_equal(len, sizeof old);
        assert_memory_equal(now, old, sizeof old);
        free(now);
    } else {
        struct stat st;
        assert_int_equal(stat(target, &st), -1);
    }
    assert_int_equal(count_temp_files(tmpdir), 0);
}

/* A failure after the temporary file exists: the existing target keeps its
 * bytes and the temporary file is removed. Two ways: the target is a
 * directory (rename fails), and RLIMIT_FSIZE cuts the write short. */
static void failed_write_leaves_target(void **state)
{
    (void)state;
    const size_t shape[3] = {40, 40, 40}; /* 256 KB of float32 */
    double a[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    float *data = omreg_test_alloc(40 * 40 * 40, sizeof(float));
    omreg_test_fill_uniform_f32(data, 40 * 40 * 40, 5u, -1.0, 1.0); /* incompressible */

    /* rename onto a directory fails */
    const char *dir = tmp_path("isdir.nii");
    assert_int_equal(mkdir(dir, 0755), 0);
    assert_int_equal(omreg_nifti_write_array(dir, 3, shape, OMREG_F32, data, a), OMREG_EIO);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(count_temp_files(tmpdir), 0);
    rmdir(dir);

    /* the file size limit stops the write half way */
    const char *names[2] = {"limited.nii", "limited.nii.gz"};
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    for (int gz = 0; gz < 2; ++gz) {
        const char *target = tmp_path(names[gz]);
        write_under_limit(target, 64 * 1024, 1, shape, data);
        /* without the limit the same call replaces the file */
        assert_int_equal(omreg_nifti_write_array(target, 3, shape, OMREG_F32, data, a), OMREG_OK);
        omreg_image *img = NULL;
        assert_int_equal(omreg_nifti_read(target, OMREG_F32, &img), OMREG_OK);
        assert_int_equal(omreg_image_voxels(img), 40 * 40 * 40);
        omreg_image_free(img);
        unlink(target);
    }
    /* no byte may be written: the gzip writer fails on its own header */
    for (int gz = 0; gz < 2; ++gz)
        write_under_limit(tmp_path(names[gz]), 0, 0, shape, data);
    /* a .nii.gz whose first full round of chunks (16 x 1 MiB) cannot be
     * flushed: the failure comes before the close, from inside the stream */
    const size_t tall[3] = {64, 64, 1040}; /* 17 MB of float32 zeros */
    float *zeros = omreg_test_alloc(64 * 64 * 1040, sizeof(float));
    write_under_limit(tmp_path("round.nii.gz"), 10, 1, tall, zeros); /* the gzip header only */
    free(zeros);
    signal(SIGXFSZ, old_handler);
    free(data);
}

/* ---------------------------------------------------------------------- */
/* Robustness                                                             */
/* ---------------------------------------------------------------------- */

static int saved_stderr = -1;
static const char *stderr_log;

/* Route fd 2 into a file while the library runs: it must stay empty. */
static void capture_stderr(void)
{
    fflush(stderr);
    static char log[512]; /* not tmp_path's: callers hold paths from it */
    snprintf(log, sizeof log, "%s/stderr.log", tmpdir);
    stderr_log = log;
    int fd = open(stderr_log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    saved_stderr = dup(2);
    dup2(fd, 2);
    close(fd);
}

static size_t release_stderr(void)
{
    fflush(stderr);
    dup2(saved_stderr, 2);
    close(saved_stderr);
    struct stat st;
    assert_int_equal(stat(stderr_log, &st), 0);
    return (size_t)st.st_size;
}

/* The array reader shares the image reader's checks, except its shape
 * rule (any 1 to 7 axes): the same status, outputs untouched, the file
 * named, nothing printed. */
static void expect_read_array(const char *path, omreg_status want)
{
    for (int dt = 0; dt < 2; ++dt) {
        int nd = -7;
        size_t shape[7] = {77};
        void *raw = &nd;
        double a4[16] = {-7.0};
        omreg_clear_error();
        capture_stderr();
        omreg_status st = omreg_nifti_read_array(path, dt ? OMREG_F64 : OMREG_F32, &nd, shape,
                                                 &raw, a4);
        size_t printed = release_stderr();
        if (st != want)
            fail_msg("%s (array): got %s (%s), expected %s", path, omreg_status_str(st),
                     omreg_last_error(), omreg_status_str(want));
        if (printed)
            fail_msg("%s: the library printed %zu bytes to stderr", path, printed);
        if (want == OMREG_OK) {
            assert_ptr_not_equal(raw, &nd);
            free(raw);
            continue;
        }
        assert_true(nd == -7 && shape[0] == 77 && raw == &nd && a4[0] == -7.0);
        if (strstr(omreg_last_error(), path) == NULL)
            fail_msg("message \"%s\" does not name %s", omreg_last_error(), path);
    }
}

/* Read path with both dtypes, as an image and as an array: expect `want`
 * from the image reader, `want_array` from the array reader, *out
 * untouched, message names the file. */
static void expect_read2(const char *path, omreg_status want, omreg_status want_array)
{
    for (int dt = 0; dt < 2; ++dt) {
        omreg_image *sentinel = (omreg_image *)&saved_stderr, *out = sentinel;
        omreg_clear_error();
        capture_stderr();
        omreg_status st = omreg_nifti_read(path, dt ? OMREG_F64 : OMREG_F32, &out);
        size_t printed = release_stderr();
        if (st != want)
            fail_msg("%s: got %s (%s), expected %s", path, omreg_status_str(st),
                     omreg_last_error(), omreg_status_str(want));
        if (printed)
            fail_msg("%s: the library printed %zu bytes to stderr", path, printed);
        if (want == OMREG_OK) {
            assert_ptr_not_equal(out, sentinel);
            omreg_image_free(out);
            continue;
        }
        assert_ptr_equal(out, sentinel);
        if (strstr(omreg_last_error(), path) == NULL)
            fail_msg("message \"%s\" does not name %s", omreg_last_error(), path);
    }
    expect_read_array(path, want_array);
}

/* Both readers refuse alike, but for a shape only images refuse. */
static void expect_read(const char *path, omreg_status want)
{
    expect_read2(path, want, want == OMREG_ESHAPE ? OMREG_OK : want);
}

/* Bytes of a fixture, to damage. */
typedef struct {
    unsigned char *b;
    size_t n;
} blob;

static blob fixture_blob(const char *file)
{
    blob x;
    x.b = slurp(nifti_fixture(file), &x.n);
    return x;
}

static void put(blob *x, size_t off, const void *v, size_t size) { memcpy(x->b + off, v, size); }

/* Write the damaged bytes to a file named after the case and read it. */
static void expect_blob2(const blob *x, size_t len, const char *name, omreg_status want,
                         omreg_status want_array)
{
    const char *p = tmp_path(name);
    spit(p, x->b, len);
    expect_read2(p, want, want_array);
    unlink(p);
}

static void expect_blob(const blob *x, size_t len, const char *name, omreg_status want)
{
    expect_blob2(x, len, name, want, want == OMREG_ESHAPE ? OMREG_OK : want);
}


static void robust_missing_and_empty(void **state)
{
    (void)state;
    expect_read(tmp_path("does-not-exist.nii"), OMREG_EIO);
    expect_read(tmpdir, OMREG_EIO); /* a directory */
    spit(tmp_path("empty.nii"), "", 0);
    expect_read(tmp_path("empty.nii"), OMREG_EFORMAT);
    spit(tmp_path("text.nii"), "hello, world\n", 13);
    expect_read(tmp_path("text.nii"), OMREG_EFORMAT);
    omreg_image *img = NULL;
    assert_int_equal(omreg_nifti_read(NULL, OMREG_F64, &img), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_read(tmp_path("x.nii"), OMREG_F64, NULL), OMREG_EINVAL);
    assert_int_equal(omreg_nifti_read(nifti_fixture("sform_f32.nii"), (omreg_dtype)5, &img),
                     OMREG_EINVAL);
    assert_null(img);
}

static void robust_header_fields(void **state)
{
    (void)state;
    blob x = fixture_blob("sform_f32.nii");
    blob keep = {omreg_test_alloc(x.n, 1), x.n};
    memcpy(keep.b, x.b, x.n);
#define RESET() memcpy(x.b, keep.b, x.n)

    expect_blob(&x, 100, "short_header.nii", OMREG_EFORMAT);
    expect_blob(&x, 348, "header_only.nii", OMREG_EFORMAT);

    int32_t i32 = 349;
    put(&x, 0, &i32, 4);
    expect_blob(&x, x.n, "sizeof_hdr.nii", OMREG_EFORMAT);
    RESET();
    put(&x, N1OFF(magic), "abc", 4);
    expect_blob(&x, x.n, "magic.nii", OMREG_EFORMAT);
    put(&x, N1OFF(magic), "ni1", 4);
    expect_blob(&x, x.n, "pair_magic.nii", OMREG_EUNSUPPORTED);
    RESET();

    const struct {
        int index;
        int16_t value;
        const char *name;
        omreg_status want;
    } dims[] = {
        {0, 0, "dim0_zero.nii", OMREG_EFORMAT},     {0, 8, "dim0_eight.nii", OMREG_EFORMAT},
        {0, -3, "dim0_negative.nii", OMREG_EFORMAT}, {2, 0, "dim2_zero.nii", OMREG_EFORMAT},
        {3, -4, "dim3_negative.nii", OMREG_EFORMAT}, {0, 1, "one_d.nii", OMREG_ESHAPE},
        {3, 8, "dim3_grown.nii", OMREG_EFORMAT}, /* more data than the file holds */
    };
    for (size_t t = 0; t < sizeof dims / sizeof dims[0]; ++t) {
        put(&x, N1OFF(dim) + 2 * (size_t)dims[t].index, &dims[t].value, 2);
        expect_blob(&x, x.n, dims[t].name, dims[t].want);
        RESET();
    }
    /* 32767^3 float32 voxels: a size that fits but is far beyond the file */
    int16_t huge[4] = {3, 32767, 32767, 32767};
    put(&x, N1OFF(dim), huge, sizeof huge);
    expect_blob(&x, x.n, "dims_huge.nii", OMREG_EFORMAT);
    RESET();

    const struct {
        int16_t code;
        const char *name;
        omreg_status want;
    } types[] = {
        {77, "dtype_unknown.nii", OMREG_EFORMAT},
        {0, "dtype_zero.nii", OMREG_EFORMAT},
        {NIFTI_TYPE_COMPLEX64, "dtype_complex.nii", OMREG_EUNSUPPORTED},
        {NIFTI_TYPE_RGB24, "dtype_rgb.nii", OMREG_EUNSUPPORTED},
        {NIFTI_TYPE_FLOAT128, "dtype_f128.nii", OMREG_EUNSUPPORTED},
        {DT_BINARY, "dtype_binary.nii", OMREG_EFORMAT},
    };
    for (size_t t = 0; t < sizeof types / sizeof types[0]; ++t) {
        put(&x, N1OFF(datatype), &types[t].code, 2);
        expect_blob(&x, x.n, types[t].name, types[t].want);
        RESET();
    }

    const float offsets[] = {1e6f, 0.0f, 100.0f, 351.0f, NAN, INFINITY, -352.0f, 1e30f};
    for (size_t t = 0; t < sizeof offsets / sizeof offsets[0]; ++t) {
        char name[64];
        snprintf(name, sizeof name, "vox_offset_%zu.nii", t);
        put(&x, N1OFF(vox_offset), &offsets[t], 4);
        expect_blob(&x, x.n, name, OMREG_EFORMAT);
        RESET();
    }

    float f = 2.0f, inf = INFINITY;
    put(&x, N1OFF(scl_slope), &f, 4);
    put(&x, N1OFF(scl_inter), &inf, 4);
    expect_blob(&x, x.n, "bad_inter.nii", OMREG_EFORMAT);
    RESET();

    /* sform used but singular (no image grid; an array keeps nibabel's
     * affine, zeros included) / non-finite (refused by both) */
    float zeros[12] = {0};
    put(&x, N1OFF(srow_x), zeros, sizeof zeros);
    expect_blob2(&x, x.n, "sform_zero.nii", OMREG_EFORMAT, OMREG_OK);
    RESET();
    float nanf_ = NAN;
    put(&x, N1OFF(srow_y) + 4, &nanf_, 4);
    expect_blob(&x, x.n, "sform_nan.nii", OMREG_EFORMAT);
    RESET();

    /* qform used with b^2 + c^2 + d^2 > 1 */
    int16_t q = 1, s0 = 0;
    float bcd[3] = {0.9f, 0.9f, 0.9f};
    put(&x, N1OFF(qform_code), &q, 2);
    put(&x, N1OFF(sform_code), &s0, 2);
    put(&x, N1OFF(quatern_b), bcd, sizeof bcd);
    expect_blob(&x, x.n, "quaternion.nii", OMREG_EFORMAT);
    RESET();

    /* data cut short */
    expect_blob(&x, x.n - 1, "data_short1.nii", OMREG_EFORMAT);
    expect_blob(&x, 360, "data_short.nii", OMREG_EFORMAT);

    /* the intact copy still reads: the damage above was what failed */
    expect_blob(&x, x.n, "intact.nii", OMREG_OK);
#undef RESET
    free(keep.b);
    free(x.b);
}

static void robust_nifti2(void **state)
{
    (void)state;
    blob x = fixture_blob("n2_sform_i16.nii");
    blob keep = {omreg_test_alloc(x.n, 1), x.n};
    memcpy(keep.b, x.b, x.n);
#define RESET() memcpy(x.b, keep.b, x.n)
    expect_blob(&x, 400, "n2_short_header.nii", OMREG_EFORMAT);
    put(&x, N2OFF(magic), "n+3", 4);
    expect_blob(&x, x.n, "n2_magic.nii", OMREG_EFORMAT);
    put(&x, N2OFF(magic), "ni2", 4);
    expect_blob(&x, x.n, "n2_pair.nii", OMREG_EUNSUPPORTED);
    RESET();
    put(&x, N2OFF(magic) + 4, "\n\n\032\n", 4);
    expect_blob(&x, x.n, "n2_eol.nii", OMREG_EFORMAT);
    RESET();
    /* 2^30 * 2^30 * 2^30 voxels overflow size_t; 2^21 cubed overflows the
     * float64 output buffer */
    int64_t over[4] = {3, INT64_C(1) << 30, INT64_C(1) << 30, INT64_C(1) << 30};
    put(&x, N2OFF(dim), over, sizeof over);
    expect_blob(&x, x.n, "n2_overflow.nii", OMREG_EFORMAT);
    int64_t over8[4] = {3, INT64_C(1) << 21, INT64_C(1) << 21, INT64_C(1) << 21};
    put(&x, N2OFF(dim), over8, sizeof over8);
    expect_blob(&x, x.n, "n2_overflow8.nii", OMREG_EFORMAT);
    int64_t neg = -5;
    RESET();
    put(&x, N2OFF(dim) + 16, &neg, 8);
    expect_blob(&x, x.n, "n2_negative_dim.nii", OMREG_EFORMAT);
    RESET();
    int64_t off = 540;
    put(&x, N2OFF(vox_offset), &off, 8);
    expect_blob(&x, x.n, "n2_offset_low.nii", OMREG_EFORMAT);
    off = INT64_MAX;
    put(&x, N2OFF(vox_offset), &off, 8);
    expect_blob(&x, x.n, "n2_offset_max.nii", OMREG_EFORMAT);
    RESET();
    expect_blob(&x, x.n - 2, "n2_data_short.nii", OMREG_EFORMAT);
    expect_blob(&x, x.n, "n2_intact.nii", OMREG_OK);
#undef RESET
    free(keep.b);
    free(x.b);
}

/* A big-endian file damaged the same way is refused the same way. */
static void robust_big_endian(void **state)
{
    (void)state;
    blob x = fixture_blob("scaled_be_i16.nii");
    unsigned char dim0[2] = {0, 9}; /* big-endian 9 */
    put(&x, N1OFF(dim), dim0, 2);
    expect_blob(&x, x.n, "be_dim0.nii", OMREG_EFORMAT);
    free(x.b);
}

static void robust_gzip(void **state)
{
    (void)state;
    blob x = fixture_blob("sform_f32_gz.nii.gz");
    assert_true(x.b[0] == 0x1f && x.b[1] == 0x8b);
    expect_blob(&x, x.n, "gz_intact.nii.gz", OMREG_OK);
    expect_blob(&x, x.n / 2, "gz_half.nii.gz", OMREG_EFORMAT);
    expect_blob(&x, 40, "gz_in_header.nii.gz", OMREG_EFORMAT);
    expect_blob(&x, x.n - 4, "gz_no_isize.nii.gz", OMREG_EFORMAT);
    expect_blob(&x, x.n - 8, "gz_no_trailer.nii.gz", OMREG_EFORMAT);
    expect_blob(&x, 2, "gz_magic_only.nii.gz", OMREG_EFORMAT);
    x.b[x.n - 6] ^= 0x5a; /* CRC-32 */
    expect_blob(&x, x.n, "gz_crc.nii.gz", OMREG_EFORMAT);
    x.b[x.n - 6] ^= 0x5a;
    x.b[x.n / 2] ^= 0xff; /* deflate data */
    expect_blob(&x, x.n, "gz_flipped.nii.gz", OMREG_EFORMAT);
    free(x.b);

    /* a clean gzip stream that holds less data than the header promises */
    size_t len;
    unsigned char *raw = gunzip_file(nifti_fixture("sform_f32_gz.nii.gz"), &len);
    const char *p = tmp_path("gz_short_data.nii.gz");
    gzFile gz = gzopen(p, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, raw, (unsigned)(len - 8)), (int)(len - 8));
    assert_int_equal(gzclose(gz), Z_OK);
    expect_read(p, OMREG_EFORMAT);

    /* extra bytes after the data inside the stream are fine (nibabel reads
     * past them) but a stream cut short in them is not: the reader must
     * check the stream to its end, not stop after the voxel data */
    const size_t extra = 1024 * 1024; /* well past zlib's read-ahead */
    float *noise = omreg_test_alloc(extra / 4, sizeof(float));
    omreg_test_fill_uniform_f32(noise, extra / 4, 11u, -1.0, 1.0); /* incompressible */
    p = tmp_path("gz_trailing.nii.gz");
    gz = gzopen(p, "wb");
    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, raw, (unsigned)len), (int)len);
    assert_int_equal(gzwrite(gz, noise, (unsigned)extra), (int)extra);
    assert_int_equal(gzclose(gz), Z_OK);
    expect_read(p, OMREG_OK);
    blob t;
    t.b = slurp(p, &t.n);
    assert_true(t.n > extra / 2);
    expect_blob(&t, t.n - extra / 4, "gz_trailing_cut.nii.gz", OMREG_EFORMAT);
    free(t.b);
    free(noise);
    free(raw);
}

/* Each allocation of either reader failing in turn (test hook): ENOMEM,
 * the outputs untouched, until a run needs no more allocations. */
static void robust_allocation(void **state)
{
    (void)state;
    const char *files[] = {"sform_f32.nii", "sform_f32_gz.nii.gz", "fourd.nii"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; ++f)
        for (int array = 0; array < 2; ++array) {
            if (!array && f == 2)
                continue; /* 4D: not an image */
            const char *path = nifti_fixture(files[f]);
            int failures = 0;
            for (long n = 1;; ++n) {
                omreg_image *img = (omreg_image *)&saved_stderr;
                int nd = -7;
                void *raw = &nd;
                size_t shape[7];
                double a4[16];
                long before = omreg_testing_alloc_count();
                omreg_testing_fail_alloc_at(n);
                omreg_status st = array ? omreg_nifti_read_array(path, OMREG_F64, &nd, shape,
                                                                 &raw, a4)
                                        : omreg_nifti_read(path, OMREG_F64, &img);
                long made = omreg_testing_alloc_count() - before;
                omreg_testing_fail_alloc_at(0);
                if (made < n) { /* the hook did not fire: the whole read ran */
                    assert_int_equal(st, OMREG_OK);
                    array ? free(raw) : omreg_image_free(img);
                    break;
                }
                if (st != OMREG_ENOMEM)
                    fail_msg("%s (%s), allocation %ld failing: got %s", files[f],
                             array ? "array" : "image", n, omreg_status_str(st));
                assert_true(img == (omreg_image *)&saved_stderr && raw == &nd && nd == -7);
                ++failures;
            }
            assert_true(failures >= 2); /* the output and the read buffer at least */
        }
    /* the writers: ENOMEM, the target's old bytes kept, no temporary left */
    const size_t shape[3] = {3, 4, 5};
    const double data[60] = {1.5}, a[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
    const char old[] = "previous contents";
    const char *names[2] = {"alloc.nii", "alloc.nii.gz"};
    for (int gz = 0; gz < 2; ++gz) {
        const char *target = tmp_path(names[gz]);
        spit(target, old, sizeof old);
        int failures = 0;
        for (long n = 1;; ++n) {
            long before = omreg_testing_alloc_count();
            omreg_testing_fail_alloc_at(n);
            omreg_status st = omreg_nifti_write_array(target, 3, shape, OMREG_F64, data, a);
            long made = omreg_testing_alloc_count() - before;
            omreg_testing_fail_alloc_at(0);
            if (made < n) {
                assert_int_equal(st, OMREG_OK);
                break;
            }
            if (st != OMREG_ENOMEM)
                fail_msg("%s, allocation %ld failing: got %s", names[gz], n, omreg_status_str(st));
            size_t len;
            unsigned char *now = slurp(target, &len);
            assert_int_equal(len, sizeof old);
            assert_memory_equal(now, old, sizeof old);
            free(now);
            assert_int_equal(count_temp_files(tmpdir), 0);
            ++failures;
        }
        /* the buffer; with gzip also the writer and its two buffers */
        assert_true(failures >= (gz ? 4 : 1));
        unlink(target);
    }
}

static void robust_shapes(void **state)
{
    (void)state;
    expect_read(nifti_fixture("fourd.nii"), OMREG_ESHAPE);
}

/* ---------------------------------------------------------------------- */
/* Real data                                                              */
/* ---------------------------------------------------------------------- */

#define CH2 "/usr/share/mricron/templates/ch2.nii.gz"

static void colin27(void **state)
{
    (void)state;
    struct stat st;
    if (stat(CH2, &st) != 0) {
        skip();
        return;
    }
    omreg_npy shape, aff, idx, val, mom;
    omreg_test_load("nifti/ch2_shape.npy", OMREG_NPY_I64, &shape);
    omreg_test_load("nifti/ch2_affine.npy", OMREG_NPY_F64, &aff);
    omreg_test_load("nifti/ch2_index.npy", OMREG_NPY_I64, &idx);
    omreg_test_load("nifti/ch2_values.npy", OMREG_NPY_F64, &val);
    omreg_test_load("nifti/ch2_moments.npy", OMREG_NPY_F64, &mom);
    const int64_t *s = shape.data;
    assert_int_equal(shape.count, 3);
    assert_true(s[0] == 181 && s[1] == 217 && s[2] == 181);

    for (int dt = 0; dt < 2; ++dt) {
        omreg_image *img = NULL;
        omreg_status st2 = omreg_nifti_read(CH2, dt ? OMREG_F32 : OMREG_F64, &img);
        if (st2 != OMREG_OK)
            fail_msg("%s: %s", omreg_status_str(st2), omreg_last_error());
        assert_int_equal(omreg_image_ndim(img), 3);
        for (int d = 0; d < 3; ++d)
            assert_int_equal(omreg_image_shape(img)[d], (size_t)s[d]);
        assert_true(omreg_test_same_f64("ch2 affine", omreg_image_grid2world(img), aff.data, 16));
        const size_t Y = (size_t)s[1], Z = (size_t)s[2];
        const int64_t *ix = idx.data;
        for (size_t p = 0; p < idx.shape[0]; ++p) {
            size_t at = ((size_t)ix[3 * p] * Y + (size_t)ix[3 * p + 1]) * Z + (size_t)ix[3 * p + 2];
            double v = dt ? (double)((const float *)omreg_image_cdata(img))[at]
                          : ((const double *)omreg_image_cdata(img))[at];
            if (v != ((const double *)val.data)[p])
                fail_msg("ch2 voxel %zu: %a vs nibabel %a", p, v, ((const double *)val.data)[p]);
        }
        /* integer moments, exact in double: sum v, sum v*i, sum v*j, sum v*k */
        double m[4] = {0};
        size_t at = 0;
        for (size_t i = 0; i < (size_t)s[0]; ++i)
            for (size_t j = 0; j < Y; ++j)
                for (size_t k = 0; k < Z; ++k, ++at) {
                    double v = dt ? (double)((const float *)omreg_image_cdata(img))[at]
                                  : ((const double *)omreg_image_cdata(img))[at];
                    m[0] += v;
                    m[1] += v * (double)i;
                    m[2] += v * (double)j;
                    m[3] += v * (double)k;
                }
        assert_true(omreg_test_same_f64("ch2 moments", m, mom.data, 4));
        omreg_image_free(img);
    }
    omreg_npy_free(&shape);
    omreg_npy_free(&aff);
    omreg_npy_free(&idx);
    omreg_npy_free(&val);
    omreg_npy_free(&mom);
}

/* ---------------------------------------------------------------------- */

int main(int argc, char **argv)
{
    const char *group = argc > 1 ? argv[1] : "unit";
    if (strcmp(group, "robustness") == 0) {
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(robust_missing_and_empty), cmocka_unit_test(robust_header_fields),
            cmocka_unit_test(robust_nifti2),            cmocka_unit_test(robust_big_endian),
            cmocka_unit_test(robust_gzip),              cmocka_unit_test(robust_shapes),
            cmocka_unit_test(robust_allocation),
        };
        return cmocka_run_group_tests_name("nifti robustness", tests, setup_tmpdir,
                                           teardown_tmpdir);
    }
    if (strcmp(group, "e2e") == 0) {
        const struct CMUnitTest tests[] = {cmocka_unit_test(colin27)};
        return cmocka_run_group_tests_name("nifti e2e", tests, NULL, NULL);
    }
    if (strcmp(group, "unit") != 0) {
        fprintf(stderr, "usage: %s [unit|robustness|e2e]\n", argv[0]);
        return 2;
    }
    struct CMUnitTest tests[N_READ_CASES + 11];
    size_t n = 0;
    for (size_t c = 0; c < N_READ_CASES; ++c) {
        struct CMUnitTest t = cmocka_unit_test_prestate(read_matches_nibabel,
                                                        (void *)&read_cases[c]);
        t.name = read_cases[c].name;
        tests[n++] = t;
    }
    const struct CMUnitTest rest[] = {
        cmocka_unit_test(layout_is_transposed),
        cmocka_unit_test(base_affine_is_centred),
        cmocka_unit_test(qform_is_rotation),
        cmocka_unit_test(read_2d_variants),
        cmocka_unit_test(header_fixes_like_nibabel),
        cmocka_unit_test(write_matches_nibabel),
        cmocka_unit_test(round_trip),
        cmocka_unit_test(write_rejects_bad_arguments),
        cmocka_unit_test(write_to_missing_directory),
        cmocka_unit_test(failed_write_leaves_target),
    };
    for (size_t r = 0; r < sizeof rest / sizeof rest[0]; ++r)
        tests[n++] = rest[r];
    return _cmocka_run_group_tests("nifti", tests, n, setup_tmpdir, teardown_tmpdir);
}
