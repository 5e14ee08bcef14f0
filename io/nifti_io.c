/* NIfTI-1/-2 reader and writer with nibabel's semantics (DIPY 1.6 loads and
 * saves images through nibabel: dipy.io.image.load_nifti / save_nifti).
 * nifticlib supplies the header layouts, byte swapping, the datatype table
 * and the matrix-to-quaternion conversion. File I/O uses zlib's gz* calls
 * directly: they read plain and gzip files alike and, unlike znzlib, report
 * gzip errors and never print. Nothing here prints or touches nifticlib's
 * global state, so the entry points are thread-safe. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "nifti2_io.h"

#include "alloc.h"
#include "backend.h"
#include "error.h"
#include "gzip_writer.h"
#include "image_internal.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"
#include "temp_output.h"

enum {
    N1_HDR = 348,              /* sizeof(nifti_1_header) */
    N2_HDR = 540,              /* sizeof(nifti_2_header) */
    IO_CHUNK = 1 << 20,        /* bytes per read/convert/write step */
    MAX_RW = 1 << 30           /* gzread/gzwrite take an unsigned int */
};

/* ---------------------------------------------------------------------- */
/* Header                                                                  */
/* ---------------------------------------------------------------------- */

/* The fields the reader needs, widened to NIfTI-2 types (every NIfTI-1
 * value converts exactly). */
struct header {
    int version; /* 1 or 2 */
    bool swapped;
    int64_t dim[8];
    double pixdim[8];
    int datatype;
    double vox_offset_raw; /* NIfTI-1 stores a float */
    int64_t vox_offset;
    double scl_slope, scl_inter;
    int qform_code, sform_code;
    int intent_code;
    double quatern[3], qoffset[3];
    double srow[3][4];
    double quaternion_threshold; /* nibabel: -3 eps of the header's float type */
};

typedef struct {
    int code;
    size_t size;
} dtype_info;

/* Real scalar datatypes the reader converts. */
static const dtype_info readable_types[] = {
    {NIFTI_TYPE_UINT8, 1},  {NIFTI_TYPE_INT8, 1},    {NIFTI_TYPE_INT16, 2},
    {NIFTI_TYPE_UINT16, 2}, {NIFTI_TYPE_INT32, 4},   {NIFTI_TYPE_UINT32, 4},
    {NIFTI_TYPE_INT64, 8},  {NIFTI_TYPE_UINT64, 8},  {NIFTI_TYPE_FLOAT32, 4},
    {NIFTI_TYPE_FLOAT64, 8},
};

static const dtype_info *find_readable(int code)
{
    for (size_t t = 0; t < sizeof readable_types / sizeof readable_types[0]; ++t)
        if (readable_types[t].code == code)
            return &readable_types[t];
    return NULL;
}

static bool has_prefix(const char *s, const char *p, size_t n) { return memcmp(s, p, n) == 0; }

static void n1_to_header(const nifti_1_header *h, struct header *out)
{
    for (int d = 0; d < 8; ++d) {
        out->dim[d] = h->dim[d];
        out->pixdim[d] = h->pixdim[d];
    }
    out->datatype = h->datatype;
    out->vox_offset_raw = h->vox_offset;
    out->scl_slope = h->scl_slope;
    out->scl_inter = h->scl_inter;
    out->qform_code = h->qform_code;
    out->sform_code = h->sform_code;
    out->intent_code = h->intent_code;
    out->quatern[0] = h->quatern_b;
    out->quatern[1] = h->quatern_c;
    out->quatern[2] = h->quatern_d;
    out->qoffset[0] = h->qoffset_x;
    out->qoffset[1] = h->qoffset_y;
    out->qoffset[2] = h->qoffset_z;
    for (int c = 0; c < 4; ++c) {
        out->srow[0][c] = h->srow_x[c];
        out->srow[1][c] = h->srow_y[c];
        out->srow[2][c] = h->srow_z[c];
    }
    /* -np.finfo(np.float32).eps * 3, exact in float */
    out->quaternion_threshold = -3.0f * FLT_EPSILON;
}

static void n2_to_header(const nifti_2_header *h, struct header *out)
{
    for (int d = 0; d < 8; ++d) {
        out->dim[d] = h->dim[d];
        out->pixdim[d] = h->pixdim[d];
    }
    out->datatype = h->datatype;
    out->vox_offset = h->vox_offset;
    out->scl_slope = h->scl_slope;
    out->scl_inter = h->scl_inter;
    out->qform_code = h->qform_code;
    out->sform_code = h->sform_code;
    out->intent_code = h->intent_code;
    out->quatern[0] = h->quatern_b;
    out->quatern[1] = h->quatern_c;
    out->quatern[2] = h->quatern_d;
    out->qoffset[0] = h->qoffset_x;
    out->qoffset[1] = h->qoffset_y;
    out->qoffset[2] = h->qoffset_z;
    for (int c = 0; c < 4; ++c) {
        out->srow[0][c] = h->srow_x[c];
        out->srow[1][c] = h->srow_y[c];
        out->srow[2][c] = h->srow_z[c];
    }
    out->quaternion_threshold = -3.0 * DBL_EPSILON;
}

/* Read up to n bytes; returns how many arrived (a short count means end of
 * file or an error: ask gzerror). */
static size_t gz_read_full(gzFile gz, void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < (size_t)MAX_RW ? n - done : (size_t)MAX_RW;
        int got = gzread(gz, (char *)buf + done, (unsigned)want);
        if (got <= 0)
            break;
        done += (size_t)got;
    }
    return done;
}

/* A short read of `what`: an I/O error, a corrupt or cut-short gzip stream,
 * or plain end of file. */
static omreg_status short_read(const char *path, gzFile gz, const char *what, size_t got,
                               size_t want)
{
    int zerr = Z_OK;
    const char *msg = gzerror(gz, &zerr);
    if (zerr == Z_ERRNO)
        return omreg_fail(OMREG_EIO, "%s: read error in %s: %s", path, what, msg);
    if (zerr == Z_MEM_ERROR)
        return omreg_fail(OMREG_ENOMEM, "%s: out of memory decompressing %s", path, what);
    if (zerr != Z_OK)
        return omreg_fail(OMREG_EFORMAT, "%s: corrupt or cut-short gzip stream in %s (%s)",
                          path, what, msg);
    return omreg_fail(OMREG_EFORMAT, "%s: truncated %s (%zu of %zu bytes)", path, what, got,
                      want);
}

/* Read, byte-swap and validate the header. */
static omreg_status read_header(const char *path, gzFile gz, struct header *h)
{
    union {
        nifti_1_header n1;
        nifti_2_header n2;
        unsigned char bytes[N2_HDR];
    } raw;
    memset(h, 0, sizeof *h);
    size_t got = gz_read_full(gz, raw.bytes, N1_HDR);
    if (got == 0 && gzeof(gz))
        return omreg_fail(OMREG_EFORMAT, "%s: empty file", path);
    if (got < N1_HDR)
        return short_read(path, gz, "NIfTI header", got, N1_HDR);

    int32_t sizeof_hdr, swapped_size;
    memcpy(&sizeof_hdr, raw.bytes, 4);
    swapped_size = sizeof_hdr;
    nifti_swap_4bytes(1, &swapped_size);
    if (sizeof_hdr == N1_HDR || swapped_size == N1_HDR) {
        h->version = 1;
        h->swapped = sizeof_hdr != N1_HDR;
    } else if (sizeof_hdr == N2_HDR || swapped_size == N2_HDR) {
        h->version = 2;
        h->swapped = sizeof_hdr != N2_HDR;
    } else {
        return omreg_fail(OMREG_EFORMAT, "%s: bad sizeof_hdr %ld (not a NIfTI-1 or NIfTI-2 file)",
                          path, (long)sizeof_hdr);
    }

    if (h->version == 1) {
        if (h->swapped)
            nifti_swap_as_nifti1(&raw.n1);
        const char *m = raw.n1.magic;
        if (has_prefix(m, "ni1\0", 4))
            return omreg_fail(OMREG_EUNSUPPORTED,
                              "%s: NIfTI-1 pair header (.hdr/.img) is not supported", path);
        if (!has_prefix(m, "n+1\0", 4))
            return omreg_fail(OMREG_EFORMAT, "%s: bad NIfTI-1 magic (expected \"n+1\")", path);
        n1_to_header(&raw.n1, h);
    } else {
        got = gz_read_full(gz, raw.bytes + N1_HDR, N2_HDR - N1_HDR);
        if (got < N2_HDR - N1_HDR)
            return short_read(path, gz, "NIfTI-2 header", N1_HDR + got, N2_HDR);
        if (h->swapped)
            nifti_swap_as_nifti2(&raw.n2);
        const char *m = raw.n2.magic;
        if (has_prefix(m, "ni2\0", 4))
            return omreg_fail(OMREG_EUNSUPPORTED,
                              "%s: NIfTI-2 pair header (.hdr/.img) is not supported", path);
        if (!has_prefix(m, "n+2\0", 4))
            return omreg_fail(OMREG_EFORMAT, "%s: bad NIfTI-2 magic (expected \"n+2\")", path);
        /* nibabel: the EOL check bytes are 13 10 26 10, or all zero */
        if (!has_prefix(m + 4, "\r\n\032\n", 4) && !has_prefix(m + 4, "\0\0\0\0", 4))
            return omreg_fail(OMREG_EFORMAT,
                              "%s: NIfTI-2 EOL check bytes damaged (text-mode transfer?)", path);
        n2_to_header(&raw.n2, h);
    }

    /* dims */
    int64_t ndim = h->dim[0];
    if (ndim < 1 || ndim > 7)
        return omreg_fail(OMREG_EFORMAT, "%s: bad dim[0] = %lld (must be 1..7)", path,
                          (long long)ndim);
    for (int d = 1; d <= ndim; ++d)
        if (h->dim[d] < 1)
            return omreg_fail(OMREG_EFORMAT, "%s: bad dim[%d] = %lld (must be positive)", path, d,
                              (long long)h->dim[d]);

    /* datatype */
    if (!find_readable(h->datatype)) {
        if (h->datatype != DT_UNKNOWN && nifti_datatype_is_valid(h->datatype, 1))
            return omreg_fail(OMREG_EUNSUPPORTED, "%s: datatype %d (%s) is not supported", path,
                              h->datatype, nifti_datatype_string(h->datatype));
        return omreg_fail(OMREG_EFORMAT, "%s: unknown datatype %d", path, h->datatype);
    }

    /* vox_offset: nibabel takes int(vox_offset) and refuses offsets inside
     * the header; 0 would make it read the header as data, so refuse it too */
    int64_t min_offset = h->version == 1 ? N1_HDR + 4 : N2_HDR + 4;
    if (h->version == 1) {
        double v = h->vox_offset_raw;
        if (!(v >= (double)min_offset) || !(v < 0x1p62))
            return omreg_fail(OMREG_EFORMAT, "%s: bad vox_offset %g (must be >= %lld)", path, v,
                              (long long)min_offset);
        h->vox_offset = (int64_t)v;
    } else if (h->vox_offset < min_offset) {
        return omreg_fail(OMREG_EFORMAT, "%s: bad vox_offset %lld (must be >= %lld)", path,
                          (long long)h->vox_offset, (long long)min_offset);
    }

    /* scaling: nibabel's get_slope_inter */
    if (h->scl_slope == 0.0 || !isfinite(h->scl_slope)) {
        h->scl_slope = 1.0;
        h->scl_inter = 0.0;
    } else if (!isfinite(h->scl_inter)) {
        return omreg_fail(OMREG_EFORMAT, "%s: scl_slope %g is valid but scl_inter %g is not", path,
                          h->scl_slope, h->scl_inter);
    }

    /* nibabel's header fixes on load (Nifti1Header._chk_pixdims, _chk_qfac,
     * _chk_xform_code) */
    for (int d = 1; d <= 3; ++d) {
        if (h->pixdim[d] == 0.0)
            h->pixdim[d] = 1.0;
        else if (h->pixdim[d] < 0.0)
            h->pixdim[d] = -h->pixdim[d];
    }
    if (h->pixdim[0] != 1.0 && h->pixdim[0] != -1.0)
        h->pixdim[0] = 1.0;
    if (h->qform_code < 0 || h->qform_code > 5)
        h->qform_code = 0;
    if (h->sform_code < 0 || h->sform_code > 5)
        h->sform_code = 0;
    return OMREG_OK;
}

/* ---------------------------------------------------------------------- */
/* nibabel's img.affine                                                    */
/* ---------------------------------------------------------------------- */

/* Nifti1Header.get_qform: fillpositive + quat2mat, then
 * np.dot(R, diag(vox)) with vox[2] *= qfac, in nibabel's order of
 * operations. nibabel works in numpy longdouble; this uses double, so the
 * result is the same on every platform and within a few ulps of nibabel's
 * (long double differs between platforms, and valgrind emulates it with
 * double precision). */
static omreg_status qform_affine(const char *path, const struct header *h, double a[16])
{
    double x = h->quatern[0], y = h->quatern[1], z = h->quatern[2];
    double norm2 = 0.0;
    norm2 += x * x;
    norm2 += y * y;
    norm2 += z * z;
    double w2 = 1.0 - norm2, w;
    if (w2 < 0.0) {
        if (w2 < h->quaternion_threshold)
            return omreg_fail(OMREG_EFORMAT,
                              "%s: invalid qform quaternion (b^2 + c^2 + d^2 = %g > 1)", path,
                              norm2);
        w = 0.0;
    } else {
        w = sqrt(w2);
    }
    double r[3][3];
    double nq = w * w + x * x + y * y + z * z;
    if (nq < DBL_EPSILON) {
        for (int i = 0; i < 3; ++i)
            for (int j = 0; j < 3; ++j)
                r[i][j] = i == j ? 1.0 : 0.0;
    } else {
        double s = 2.0 / nq;
        double X = x * s, Y = y * s, Z = z * s;
        double wX = w * X, wY = w * Y, wZ = w * Z;
        double xX = x * X, xY = x * Y, xZ = x * Z;
        double yY = y * Y, yZ = y * Z, zZ = z * Z;
        r[0][0] = 1.0 - (yY + zZ);
        r[0][1] = xY - wZ;
        r[0][2] = xZ + wY;
        r[1][0] = xY + wZ;
        r[1][1] = 1.0 - (xX + zZ);
        r[1][2] = yZ - wX;
        r[2][0] = xZ - wY;
        r[2][1] = yZ + wX;
        r[2][2] = 1.0 - (xX + yY);
    }
    const double vox[3] = {h->pixdim[1], h->pixdim[2], h->pixdim[3] * h->pixdim[0]};
    for (int i = 0; i < 3; ++i) {
        for (int j = 0; j < 3; ++j)
            a[4 * i + j] = r[i][j] * vox[j]; /* diag(vox): one non-zero term */
        a[4 * i + 3] = h->qoffset[i];
    }
    a[12] = a[13] = a[14] = 0.0;
    a[15] = 1.0;
    return OMREG_OK;
}

static void sform_affine(const struct header *h, double a[16])
{
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j)
            a[4 * i + j] = h->srow[i][j];
    a[12] = a[13] = a[14] = 0.0;
    a[15] = 1.0;
}

/* nibabel's shape_zoom_affine(dim[1..ndim], pixdim[1..ndim], x_flip=True):
 * diagonal zooms with x negated, translation -((shape - 1) / 2) * zoom. */
static void base_affine(const struct header *h, double a[16])
{
    int ndim = (int)h->dim[0];
    memset(a, 0, 16 * sizeof *a);
    for (int i = 0; i < 3; ++i) {
        double zoom = 1.0, origin = 0.0;
        if (i < ndim) {
            zoom = h->pixdim[i + 1];
            /* 3+ axes: integer shape - 1, then / 2.0; fewer: float shape */
            origin = ndim >= 3 ? (double)(h->dim[i + 1] - 1) / 2.0
                               : ((double)h->dim[i + 1] - 1.0) / 2.0;
        }
        if (i == 0)
            zoom = -zoom;
        a[4 * i + i] = zoom;
        a[4 * i + 3] = -origin * zoom;
    }
    a[15] = 1.0;
}

/* nibabel's get_best_affine (codes already fixed to 0..5); names the source. */
static omreg_status best_affine(const char *path, const struct header *h, double a[16],
                                const char **source)
{
    if (h->sform_code != 0) {
        *source = "sform";
        sform_affine(h, a);
        return OMREG_OK;
    }
    if (h->qform_code != 0) {
        *source = "qform";
        return qform_affine(path, h, a);
    }
    *source = "pixdim (no sform or qform)";
    base_affine(h, a);
    return OMREG_OK;
}

/* ---------------------------------------------------------------------- */
/* Reading the data                                                        */
/* ---------------------------------------------------------------------- */

/* The transpose as a 3-axis problem: file element i + X*(m + M*s) goes to
 * output element (i*M + m)*S + s. A 3D (X, Y, Z) image has M = Y, S = Z;
 * a 2D image, or a 3D one with Z == 1, has M = 1, S = Y. The data are read
 * in slabs of up to SLAB_LAYERS consecutive s, so each output run of
 * `layers` consecutive s is written at once (one cache line) instead of
 * one scattered element per read. */
enum { SLAB_LAYERS = 16 };

struct transpose {
    size_t nx, nm, ns; /* X, M, S */
    size_t s0, layers; /* the slab in hand: s0 .. s0 + layers - 1 */
};

struct convert {
    double slope, inter;
    bool scaled;
    double *out64; /* exactly one of out64 / out32 is set */
    float *out32;
};

/* Correctly rounded 64-bit integer -> float, independent of how the
 * compiler or an emulator (valgrind: through double) converts: keep 53
 * bits with a sticky bit ("round to odd"), which a single rounding to
 * float's 24 bits then rounds exactly like a direct conversion would. */
static float u64_to_float(uint64_t u)
{
    int shift = 0;
    while ((u >> shift) >= (UINT64_C(1) << 53))
        ++shift;
    uint64_t kept = u >> shift;
    if (shift > 0 && (u & ((UINT64_C(1) << shift) - 1)) != 0)
        kept |= 1;
    return ldexpf((float)(double)kept, shift);
}

static float i64_to_float(int64_t v)
{
    uint64_t mag = v < 0 ? UINT64_C(0) - (uint64_t)v : (uint64_t)v;
    float f = u64_to_float(mag);
    return v < 0 ? -f : f;
}

/* Direct cast to float, with the 64-bit integers routed through the above. */
static float to_float_plain(double x) { return (float)x; }

#define TO_FLOAT(CTYPE, x)                                                                    \
    _Generic((CTYPE)0, int64_t: i64_to_float, uint64_t: u64_to_float, default: to_float_plain)(x)

/* raw -> output. Unscaled: a direct cast (numpy's astype). Scaled: float64
 * raw * slope + inter, each step skipped when it is the identity, as
 * nibabel's apply_read_scaling does. */
#define CONVERT_SLAB(CTYPE)                                                                   \
    do {                                                                                      \
        const size_t layer_bytes = t->nx * t->nm * sizeof(CTYPE);                             \
        for (size_t m = 0; m < t->nm; ++m)                                                    \
            for (size_t i = 0; i < t->nx; ++i) {                                              \
                const unsigned char *src = slab + (m * t->nx + i) * sizeof(CTYPE);            \
                size_t at = (i * t->nm + m) * t->ns + t->s0;                                  \
                for (size_t l = 0; l < t->layers; ++l, src += layer_bytes, ++at) {            \
                    CTYPE raw;                                                                \
                    memcpy(&raw, src, sizeof raw);                                            \
                    if (!cv->scaled) {                                                        \
                        if (cv->out64)                                                        \
                            cv->out64[at] = (double)raw;                                      \
                        else                                                                  \
                            cv->out32[at] = TO_FLOAT(CTYPE, raw);                             \
                    } else {                                                                  \
                        double v = (double)raw;                                               \
                        if (cv->slope != 1.0)                                                 \
                            v = v * cv->slope;                                                \
                        if (cv->inter != 0.0)                                                 \
                            v = v + cv->inter;                                                \
                        if (cv->out64)                                                        \
                            cv->out64[at] = v;                                                \
                        else                                                                  \
                            cv->out32[at] = (float)v;                                         \
                    }                                                                         \
                }                                                                             \
            }                                                                                 \
    } while (0)

static void convert_slab(int datatype, const unsigned char *slab, const struct transpose *t,
                         const struct convert *cv)
{
    switch (datatype) {
    case NIFTI_TYPE_UINT8: CONVERT_SLAB(uint8_t); break;
    case NIFTI_TYPE_INT8: CONVERT_SLAB(int8_t); break;
    case NIFTI_TYPE_INT16: CONVERT_SLAB(int16_t); break;
    case NIFTI_TYPE_UINT16: CONVERT_SLAB(uint16_t); break;
    case NIFTI_TYPE_INT32: CONVERT_SLAB(int32_t); break;
    case NIFTI_TYPE_UINT32: CONVERT_SLAB(uint32_t); break;
    case NIFTI_TYPE_INT64: CONVERT_SLAB(int64_t); break;
    case NIFTI_TYPE_UINT64: CONVERT_SLAB(uint64_t); break;
    case NIFTI_TYPE_FLOAT32: CONVERT_SLAB(float); break;
    case NIFTI_TYPE_FLOAT64: CONVERT_SLAB(double); break;
    default: break; /* unreachable: validated by find_readable */
    }
}

/* The array shape the caller gets: nibabel's shape with trailing singleton
 * axes past the third dropped; want_2d also drops a singleton third axis. */
static omreg_status pick_shape(const char *path, const struct header *h, bool want_2d,
                               int *ndim, size_t shape[3])
{
    int n = (int)h->dim[0];
    while (n > 3 && h->dim[n] == 1)
        --n;
    if (n > 3)
        return omreg_fail(OMREG_ESHAPE,
                          "%s: %d-D image (dim[4] = %lld); only 2D and 3D scalar images are read",
                          path, n, (long long)h->dim[4]);
    if (n == 1)
        return omreg_fail(OMREG_ESHAPE, "%s: 1-D image; only 2D and 3D images are read", path);
    if (want_2d && n == 3) {
        if (h->dim[3] != 1)
            return omreg_fail(OMREG_ESHAPE,
                              "%s: 3D image with %lld slices; a 2D image needs one slice", path,
                              (long long)h->dim[3]);
        n = 2;
    }
    *ndim = n;
    for (int d = 0; d < 3; ++d)
        shape[d] = d < n ? (size_t)h->dim[d + 1] : 1;
    return OMREG_OK;
}

/* Voxel count and data bytes, or EFORMAT when the dims cannot be real. */
static omreg_status data_size(const char *path, const struct header *h, size_t elem,
                              size_t *nvox, size_t *nbytes)
{
    size_t n = 1;
    bool over = false;
    for (int d = 1; d <= h->dim[0] && !over; ++d) {
        uint64_t v64 = (uint64_t)h->dim[d]; /* positive: validated */
        size_t v = (size_t)v64;
        if (v != v64 || n > SIZE_MAX / v)
            over = true;
        else
            n *= v;
    }
    /* the output buffer holds n doubles; the file needs vox_offset + n * elem */
    if (over || n > SIZE_MAX / sizeof(double))
        return omreg_fail(OMREG_EFORMAT, "%s: dimensions overflow (bad dim[] values)", path);
    if (n * elem > (size_t)INT64_MAX - (size_t)h->vox_offset)
        return omreg_fail(OMREG_EFORMAT, "%s: vox_offset %lld is beyond any file", path,
                          (long long)h->vox_offset);
    *nvox = n;
    *nbytes = n * elem;
    return OMREG_OK;
}

/* Opens path for reading (plain or gzip) after checking it is a regular
 * file; *st receives its size for the data-size checks. */
static omreg_status open_for_read(const char *path, struct stat *st, gzFile *out)
{
    OMREG_RETURN_IF(stat(path, st) != 0, OMREG_EIO, "%s: cannot open: %s", path,
                    strerror(errno));
    OMREG_RETURN_IF(!S_ISREG(st->st_mode), OMREG_EIO, "%s: not a regular file", path);
    errno = 0;
    gzFile gz = gzopen(path, "rb");
    OMREG_RETURN_IF(gz == NULL, errno ? OMREG_EIO : OMREG_ENOMEM, "%s: cannot open: %s", path,
                    errno ? strerror(errno) : "out of memory");
    gzbuffer(gz, 1u << 17);
    *out = gz;
    return OMREG_OK;
}

/* The file can hold vox_offset + nbytes: checked before allocating. A gzip
 * file cannot inflate past deflate's ratio limit (1032:1), so a tiny file
 * whose dims claim terabytes is refused; a plain file must hold it all. */
static omreg_status check_data_fits(const char *path, gzFile gz, const struct stat *st,
                                    const struct header *h, size_t nbytes)
{
    uint64_t need = (uint64_t)h->vox_offset + nbytes, have = (uint64_t)st->st_size;
    if (!gzdirect(gz) && need / 1032u > have + 1024u)
        return omreg_fail(OMREG_EFORMAT,
                          "%s: truncated data: a %lld-byte gzip file cannot hold the %lld "
                          "bytes the header needs",
                          path, (long long)have, (long long)need);
    if (gzdirect(gz) && have < need) {
        if ((uint64_t)h->vox_offset >= have)
            return omreg_fail(OMREG_EFORMAT,
                              "%s: vox_offset %lld is beyond the end of the file (%lld bytes)",
                              path, (long long)h->vox_offset, (long long)have);
        return omreg_fail(OMREG_EFORMAT,
                          "%s: truncated data: the file has %lld bytes, the header needs %lld",
                          path, (long long)have, (long long)need);
    }
    return OMREG_OK;
}

/* Ends a read: on success a gzip stream must end cleanly (drained through
 * buf, its trailer checked); the file is closed either way. */
static omreg_status finish_read(const char *path, gzFile gz, void *buf, size_t buf_bytes,
                                omreg_status status)
{
    if (status == OMREG_OK && !gzdirect(gz)) {
        while (gz_read_full(gz, buf, buf_bytes) == buf_bytes) {
        }
        int zerr = Z_OK;
        const char *msg = gzerror(gz, &zerr);
        if (zerr != Z_OK)
            status = omreg_fail(zerr == Z_ERRNO ? OMREG_EIO : OMREG_EFORMAT,
                                "%s: corrupt or cut-short gzip stream after the data (%s)", path,
                                msg);
    }
    int rc = gzclose(gz);
    if (status == OMREG_OK && rc != Z_OK)
        status = omreg_fail(rc == Z_ERRNO ? OMREG_EIO : OMREG_EFORMAT,
                            "%s: gzip stream ended badly (zlib status %d)", path, rc);
    return status;
}

static omreg_status read_impl(const char *path, omreg_dtype dtype, bool want_2d,
                              omreg_image **out)
{
    OMREG_RETURN_IF(path == NULL || out == NULL, OMREG_EINVAL, "nifti_read: NULL argument");
    OMREG_RETURN_IF(dtype != OMREG_F32 && dtype != OMREG_F64, OMREG_EINVAL,
                    "nifti_read: unknown dtype %d", (int)dtype);
    struct stat st;
    gzFile gz = NULL;
    omreg_status opened = open_for_read(path, &st, &gz);
    if (opened != OMREG_OK)
        return opened;

    omreg_status status = OMREG_OK;
    omreg_image *img = NULL;
    unsigned char *chunk = NULL;
    struct header h;
    const dtype_info *dt = NULL;
    size_t nvox = 0, nbytes = 0, shape[3], chunk_bytes = 0;
    int ndim = 0;
    double a4[16], g[16];
    const char *source = "";

    status = read_header(path, gz, &h);
    if (status != OMREG_OK)
        goto done;
    dt = find_readable(h.datatype);
    if ((status = data_size(path, &h, dt->size, &nvox, &nbytes)) != OMREG_OK ||
        (status = pick_shape(path, &h, want_2d, &ndim, shape)) != OMREG_OK ||
        (status = best_affine(path, &h, a4, &source)) != OMREG_OK)
        goto done;

    if (ndim == 3) {
        memcpy(g, a4, sizeof a4);
    } else { /* in-plane part: rows and columns x, y, translation */
        const int keep[3] = {0, 1, 3};
        for (int r = 0; r < 3; ++r)
            for (int c = 0; c < 3; ++c)
                g[3 * r + c] = a4[4 * keep[r] + keep[c]];
    }

    if ((status = check_data_fits(path, gz, &st, &h, nbytes)) != OMREG_OK)
        goto done;

    status = omreg_image_create(&img, ndim, shape, 1, dtype, g);
    if (status == OMREG_ENONFINITE || status == OMREG_ESINGULAR) {
        char why[256];
        snprintf(why, sizeof why, "%s", omreg_last_error());
        status = omreg_fail(OMREG_EFORMAT, "%s: unusable affine from the %s: %s", path, source,
                            why);
    }
    if (status != OMREG_OK)
        goto done;

    struct transpose t = {shape[0], shape[1], shape[2], 0, 0};
    if (ndim == 2 || shape[2] == 1) {
        t.nm = 1;
        t.ns = shape[1];
    }
    size_t layer_bytes = t.nx * t.nm * dt->size; /* <= nbytes: no overflow */
    size_t slab_layers = t.ns < SLAB_LAYERS ? t.ns : SLAB_LAYERS;
    if ((status = omreg_size_mul(&chunk_bytes, layer_bytes, slab_layers)) != OMREG_OK)
        goto done;
    if ((chunk = omreg_calloc(chunk_bytes, 1, "NIfTI read buffer")) == NULL) {
        status = omreg_calloc_failure();
        goto done;
    }
    if (gzseek(gz, (z_off_t)h.vox_offset, SEEK_SET) != (z_off_t)h.vox_offset) {
        status = short_read(path, gz, "data (seeking to vox_offset)", 0, nbytes);
        goto done;
    }
    struct convert cv = {h.scl_slope, h.scl_inter, h.scl_slope != 1.0 || h.scl_inter != 0.0,
                         dtype == OMREG_F64 ? (double *)img->data : NULL,
                         dtype == OMREG_F32 ? (float *)img->data : NULL};
    for (t.s0 = 0; t.s0 < t.ns; t.s0 += t.layers) {
        t.layers = t.ns - t.s0 < slab_layers ? t.ns - t.s0 : slab_layers;
        size_t want = t.layers * layer_bytes;
        size_t got = gz_read_full(gz, chunk, want);
        if (got < want) {
            status = short_read(path, gz, "data", t.s0 * layer_bytes + got, nbytes);
            goto done;
        }
        if (h.swapped && dt->size > 1)
            nifti_swap_Nbytes((int64_t)(want / dt->size), (int)dt->size, chunk);
        convert_slab(h.datatype, chunk, &t, &cv);
    }
done:
    status = finish_read(path, gz, chunk, chunk_bytes, status);
    free(chunk);
    if (status != OMREG_OK) {
        omreg_image_free(img);
        return status;
    }
    *out = img;
    return OMREG_OK;
}

omreg_status omreg_nifti_read(const char *path, omreg_dtype dtype, omreg_image **out)
{
    return read_impl(path, dtype, false, out);
}

omreg_status omreg_nifti_read_2d(const char *path, omreg_dtype dtype, omreg_image **out)
{
    return read_impl(path, dtype, true, out);
}

/* ---------------------------------------------------------------------- */
/* Writing                                                                 */
/* ---------------------------------------------------------------------- */

static bool ends_with_ci(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    if (n < m)
        return false;
    for (size_t i = 0; i < m; ++i) {
        char c = s[n - m + i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != suffix[i])
            return false;
    }
    return true;
}

/* What nib.save(nib.Nifti1Image(array, affine)) puts in the header: sform
 * (code 2 aligned) = affine; qform code 0 with quaternion, offsets and qfac
 * filled (nibabel's set_qform(affine, code='unknown')); pixdim[1..3] = the
 * affine's column norms ((a0^2 + a1^2) + a2^2, numpy's order); other
 * pixdims 1; slope 1, intercept 0. */
static void build_header(nifti_1_header *h, int ndim, const size_t *shape, omreg_dtype dtype,
                         const double *a, int intent_code)
{
    memset(h, 0, sizeof *h);
    h->sizeof_hdr = N1_HDR;
    h->dim[0] = (short)ndim;
    for (int d = 1; d < 8; ++d)
        h->dim[d] = d <= ndim ? (short)shape[d - 1] : 1;
    h->datatype = dtype == OMREG_F64 ? NIFTI_TYPE_FLOAT64 : NIFTI_TYPE_FLOAT32;
    h->bitpix = dtype == OMREG_F64 ? 64 : 32;

    nifti_dmat44 m;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            m.m[i][j] = a[4 * i + j];
    double qb, qc, qd, qx, qy, qz, dx, dy, dz, qfac;
    nifti_dmat44_to_quatern(m, &qb, &qc, &qd, &qx, &qy, &qz, &dx, &dy, &dz, &qfac);
    h->pixdim[0] = (float)qfac;
    for (int j = 0; j < 3; ++j) {
        double s = a[j] * a[j] + a[4 + j] * a[4 + j];
        s = s + a[8 + j] * a[8 + j];
        h->pixdim[j + 1] = (float)sqrt(s);
    }
    for (int d = 4; d < 8; ++d)
        h->pixdim[d] = 1.0f;
    h->vox_offset = (float)(N1_HDR + 4);
    h->scl_slope = 1.0f;
    h->scl_inter = 0.0f;
    h->qform_code = NIFTI_XFORM_UNKNOWN;
    h->sform_code = NIFTI_XFORM_ALIGNED_ANAT;
    h->quatern_b = (float)qb;
    h->quatern_c = (float)qc;
    h->quatern_d = (float)qd;
    h->qoffset_x = (float)a[3];
    h->qoffset_y = (float)a[7];
    h->qoffset_z = (float)a[11];
    for (int c = 0; c < 4; ++c) {
        h->srow_x[c] = (float)a[c];
        h->srow_y[c] = (float)a[4 + c];
        h->srow_z[c] = (float)a[8 + c];
    }
    h->intent_code = (short)intent_code;
    memcpy(h->magic, "n+1\0", 4);
}

/* An open temporary file: a raw descriptor, or a gzip stream over it. */
struct sink {
    const char *path; /* the target, for messages */
    int fd;
    omreg_gz_writer *gz;
};

static omreg_status sink_write(struct sink *s, const void *buf, size_t n)
{
    if (s->gz)
        return omreg_gz_writer_write(s->gz, buf, n);
    return omreg_fd_write_all(s->fd, s->path, buf, n);
}

/* Close the sink; reports the failures of the final flush. */
static omreg_status sink_close(struct sink *s)
{
    if (s->gz) {
        omreg_status st = omreg_gz_writer_close(s->gz);
        s->gz = NULL;
        s->fd = -1;
        return st;
    }
    if (s->fd >= 0) {
        int rc = close(s->fd);
        s->fd = -1;
        OMREG_RETURN_IF(rc != 0, OMREG_EIO, "%s: write failed on close: %s", s->path,
                        strerror(errno));
    }
    return OMREG_OK;
}

/* Copy one element of size 4 or 8 (constant sizes let the compiler inline). */
static inline void copy_elem(unsigned char *dst, const unsigned char *src, size_t esize)
{
    if (esize == 4)
        memcpy(dst, src, 4);
    else
        memcpy(dst, src, 8);
}

/* Stream a C-order array in NIfTI order (first axis fastest). */
static omreg_status write_data(struct sink *s, int ndim, const size_t *shape, size_t esize,
                               const unsigned char *data, unsigned char *buf, size_t buf_bytes)
{
    size_t cstride[7], idx[7] = {0}, rows = 1;
    cstride[ndim - 1] = 1;
    for (int d = ndim - 2; d >= 0; --d)
        cstride[d] = cstride[d + 1] * shape[d + 1];
    for (int d = 1; d < ndim; ++d)
        rows *= shape[d];
    size_t fill = 0, base = 0; /* base: C offset of (0, idx[1], ..., idx[ndim-1]) */
    for (size_t row = 0; row < rows; ++row) {
        for (size_t i0 = 0; i0 < shape[0]; ++i0) {
            copy_elem(buf + fill, data + (base + i0 * cstride[0]) * esize, esize);
            fill += esize;
            if (fill == buf_bytes) {
                OMREG_FORWARD(sink_write(s, buf, fill));
                fill = 0;
            }
        }
        for (int d = 1; d < ndim; ++d) {
            base += cstride[d];
            if (++idx[d] < shape[d])
                break;
            base -= idx[d] * cstride[d];
            idx[d] = 0;
        }
    }
    if (fill > 0)
        OMREG_FORWARD(sink_write(s, buf, fill));
    return OMREG_OK;
}

omreg_status omreg_nifti_write_array(const char *path, int ndim, const size_t *shape,
                                     omreg_dtype dtype, const void *data, const double *affine4x4)
{
    return omreg_nifti_write_array_with(NULL, path, ndim, shape, dtype, data, affine4x4);
}

omreg_status omreg_nifti_write_array_with(const omreg_backend *backend, const char *path,
                                          int ndim, const size_t *shape, omreg_dtype dtype,
                                          const void *data, const double *affine4x4)
{
    return omreg_nifti_write_array_intent(backend, path, ndim, shape, dtype, data, affine4x4,
                                          0);
}

omreg_status omreg_nifti_write_array_intent(const omreg_backend *backend, const char *path,
                                            int ndim, const size_t *shape, omreg_dtype dtype,
                                            const void *data, const double *affine4x4,
                                            int intent_code)
{
    OMREG_RETURN_IF(intent_code < 0 || intent_code > 32767, OMREG_EINVAL,
                    "nifti_write: intent code %d out of range", intent_code);
    OMREG_RETURN_IF(path == NULL || shape == NULL || data == NULL || affine4x4 == NULL,
                    OMREG_EINVAL, "nifti_write: NULL argument");
    bool gz = ends_with_ci(path, ".nii.gz");
    OMREG_RETURN_IF(!gz && !ends_with_ci(path, ".nii"), OMREG_EINVAL,
                    "%s: NIfTI output name must end in .nii or .nii.gz", path);
    OMREG_RETURN_IF(ndim < 1 || ndim > 7, OMREG_EINVAL, "%s: ndim %d is not 1..7", path, ndim);
    OMREG_RETURN_IF(dtype != OMREG_F32 && dtype != OMREG_F64, OMREG_EINVAL,
                    "%s: unknown dtype %d", path, (int)dtype);
    size_t esize = omreg_dtype_size(dtype), bytes = esize;
    for (int d = 0; d < ndim; ++d) {
        OMREG_RETURN_IF(shape[d] == 0, OMREG_EINVAL, "%s: axis %d has size 0", path, d);
        OMREG_RETURN_IF(shape[d] > 32767, OMREG_EUNSUPPORTED,
                        "%s: axis %d has size %zu, more than NIfTI-1 allows (32767)", path, d,
                        shape[d]);
        OMREG_FORWARD(omreg_size_mul(&bytes, bytes, shape[d]));
    }
    for (int e = 0; e < 16; ++e)
        OMREG_RETURN_IF(!isfinite(affine4x4[e]), OMREG_ENONFINITE,
                        "%s: affine entry %d is not finite", path, e);
    OMREG_RETURN_IF(affine4x4[12] != 0.0 || affine4x4[13] != 0.0 || affine4x4[14] != 0.0 ||
                        affine4x4[15] != 1.0,
                    OMREG_ESINGULAR, "%s: affine's last row is not (0, 0, 0, 1)", path);

    nifti_1_header hdr;
    build_header(&hdr, ndim, shape, dtype, affine4x4, intent_code);

    unsigned char *buf = NULL;
    size_t buf_bytes = IO_CHUNK;
    buf = omreg_calloc(buf_bytes, 1, "NIfTI write buffer");
    if (buf == NULL)
        return omreg_calloc_failure();
    char *tmp = NULL;
    int fd = -1;
    omreg_status status = omreg_temp_output_open(path, &tmp, &fd);
    if (status != OMREG_OK) {
        free(buf);
        return status;
    }

    struct sink s = {path, fd, NULL};
    if (gz && (status = omreg_gz_writer_open(&s.gz, fd, path, 1, /* nibabel's default level */
                                             backend ? backend->deflate_chunks : NULL)) !=
                  OMREG_OK)
        goto fail;
    static const unsigned char no_extension[4] = {0, 0, 0, 0};
    if ((status = sink_write(&s, &hdr, N1_HDR)) != OMREG_OK ||
        (status = sink_write(&s, no_extension, 4)) != OMREG_OK ||
        (status = write_data(&s, ndim, shape, esize, data, buf, buf_bytes)) != OMREG_OK ||
        (status = sink_close(&s)) != OMREG_OK)
        goto fail;
    free(buf);
    return omreg_temp_output_commit(path, tmp);

fail:
    if (s.gz)
        omreg_gz_writer_abort(s.gz); /* closes fd */
    else if (s.fd >= 0)
        close(s.fd);
    omreg_temp_output_abort(tmp);
    free(buf);
    return status;
}

omreg_status omreg_nifti_write(const char *path, const omreg_image *img)
{
    return omreg_nifti_write_with(NULL, path, img);
}

omreg_status omreg_nifti_write_with(const omreg_backend *backend, const char *path,
                                    const omreg_image *img)
{
    OMREG_RETURN_IF(img == NULL, OMREG_EINVAL, "nifti_write: image is NULL");
    size_t shape[4];
    int n = img->ndim;
    for (int d = 0; d < n; ++d)
        shape[d] = img->shape[d];
    if (img->ncomp > 1)
        shape[n++] = (size_t)img->ncomp;
    double a[16];
    omreg_mat_embed_4x4(img->ndim, img->grid2world, a); /* 2D: z maps to itself */
    return omreg_nifti_write_array_with(backend, path, n, shape, img->dtype, img->data, a);
}

/* ---------------------------------------------------------------------- */
/* Reading any array (displacement fields, DIPY's (X, Y, Z, 3, 2) maps)    */
/* ---------------------------------------------------------------------- */

/* The C-order position of the file's elements, walked in file order (first
 * axis fastest): an odometer over nibabel's shape. */
struct scatter {
    int ndim;
    size_t shape[7], cstride[7], idx[7];
    size_t at;
};

static inline void scatter_next(struct scatter *s)
{
    for (int d = 0; d < s->ndim; ++d) {
        s->at += s->cstride[d];
        if (++s->idx[d] < s->shape[d])
            return;
        s->at -= s->idx[d] * s->cstride[d];
        s->idx[d] = 0;
    }
}

/* raw -> output, as CONVERT_SLAB (same casts, same scaling steps) */
#define CONVERT_RUN(CTYPE)                                                                    \
    do {                                                                                      \
        for (size_t k = 0; k < count; ++k, scatter_next(s)) {                                 \
            CTYPE raw;                                                                        \
            memcpy(&raw, run + k * sizeof(CTYPE), sizeof raw);                                \
            if (!cv->scaled) {                                                                \
                if (cv->out64)                                                                \
                    cv->out64[s->at] = (double)raw;                                           \
                else                                                                          \
                    cv->out32[s->at] = TO_FLOAT(CTYPE, raw);                                  \
            } else {                                                                          \
                double v = (double)raw;                                                       \
                if (cv->slope != 1.0)                                                         \
                    v = v * cv->slope;                                                        \
                if (cv->inter != 0.0)                                                         \
                    v = v + cv->inter;                                                        \
                if (cv->out64)                                                                \
                    cv->out64[s->at] = v;                                                     \
                else                                                                          \
                    cv->out32[s->at] = (float)v;                                              \
            }                                                                                 \
        }                                                                                     \
    } while (0)

static void convert_run(int datatype, const unsigned char *run, size_t count, struct scatter *s,
                        const struct convert *cv)
{
    switch (datatype) {
    case NIFTI_TYPE_UINT8: CONVERT_RUN(uint8_t); break;
    case NIFTI_TYPE_INT8: CONVERT_RUN(int8_t); break;
    case NIFTI_TYPE_INT16: CONVERT_RUN(int16_t); break;
    case NIFTI_TYPE_UINT16: CONVERT_RUN(uint16_t); break;
    case NIFTI_TYPE_INT32: CONVERT_RUN(int32_t); break;
    case NIFTI_TYPE_UINT32: CONVERT_RUN(uint32_t); break;
    case NIFTI_TYPE_INT64: CONVERT_RUN(int64_t); break;
    case NIFTI_TYPE_UINT64: CONVERT_RUN(uint64_t); break;
    case NIFTI_TYPE_FLOAT32: CONVERT_RUN(float); break;
    case NIFTI_TYPE_FLOAT64: CONVERT_RUN(double); break;
    default: break; /* unreachable: validated by find_readable */
    }
}

omreg_status omreg_nifti_read_array(const char *path, omreg_dtype dtype, int *ndim,
                                    size_t shape[7], void **data, double affine4x4[16])
{
    OMREG_RETURN_IF(path == NULL || ndim == NULL || shape == NULL || data == NULL ||
                        affine4x4 == NULL,
                    OMREG_EINVAL, "nifti_read_array: NULL argument");
    OMREG_RETURN_IF(dtype != OMREG_F32 && dtype != OMREG_F64, OMREG_EINVAL,
                    "nifti_read_array: unknown dtype %d", (int)dtype);
    struct stat st;
    gzFile gz = NULL;
    omreg_status opened = open_for_read(path, &st, &gz);
    if (opened != OMREG_OK)
        return opened;

    omreg_status status = OMREG_OK;
    unsigned char *chunk = NULL;
    void *values = NULL;
    struct header h;
    const dtype_info *dt = NULL;
    size_t nvox = 0, nbytes = 0, per_chunk = 0, chunk_bytes = 0;
    double a4[16];
    const char *source = "";
    struct scatter sc;
    memset(&sc, 0, sizeof sc);

    if ((status = read_header(path, gz, &h)) != OMREG_OK)
        goto done;
    dt = find_readable(h.datatype);
    if ((status = data_size(path, &h, dt->size, &nvox, &nbytes)) != OMREG_OK ||
        (status = best_affine(path, &h, a4, &source)) != OMREG_OK)
        goto done;
    for (int e = 0; e < 16; ++e)
        if (!isfinite(a4[e])) {
            status = omreg_fail(OMREG_EFORMAT, "%s: the affine from the %s is not finite", path,
                                source);
            goto done;
        }
    if ((status = check_data_fits(path, gz, &st, &h, nbytes)) != OMREG_OK)
        goto done;

    sc.ndim = (int)h.dim[0];
    for (int d = 0; d < sc.ndim; ++d)
        sc.shape[d] = (size_t)h.dim[d + 1];
    sc.cstride[sc.ndim - 1] = 1;
    for (int d = sc.ndim - 2; d >= 0; --d)
        sc.cstride[d] = sc.cstride[d + 1] * sc.shape[d + 1]; /* <= nvox: no overflow */
    if ((values = omreg_calloc(nvox, omreg_dtype_size(dtype), "NIfTI array")) == NULL) {
        status = omreg_calloc_failure();
        goto done;
    }
    per_chunk = IO_CHUNK / dt->size;
    chunk_bytes = per_chunk * dt->size;
    if ((chunk = omreg_calloc(chunk_bytes, 1, "NIfTI read buffer")) == NULL) {
        status = omreg_calloc_failure();
        goto done;
    }
    if (gzseek(gz, (z_off_t)h.vox_offset, SEEK_SET) != (z_off_t)h.vox_offset) {
        status = short_read(path, gz, "data (seeking to vox_offset)", 0, nbytes);
        goto done;
    }
    struct convert cv = {h.scl_slope, h.scl_inter, h.scl_slope != 1.0 || h.scl_inter != 0.0,
                         dtype == OMREG_F64 ? (double *)values : NULL,
                         dtype == OMREG_F32 ? (float *)values : NULL};
    for (size_t done_vox = 0; done_vox < nvox;) {
        size_t count = nvox - done_vox < per_chunk ? nvox - done_vox : per_chunk;
        size_t want = count * dt->size;
        size_t got = gz_read_full(gz, chunk, want);
        if (got < want) {
            status = short_read(path, gz, "data", done_vox * dt->size + got, nbytes);
            goto done;
        }
        if (h.swapped && dt->size > 1)
            nifti_swap_Nbytes((int64_t)count, (int)dt->size, chunk);
        convert_run(h.datatype, chunk, count, &sc, &cv);
        done_vox += count;
    }
done:
    status = finish_read(path, gz, chunk, chunk_bytes, status);
    free(chunk);
    if (status != OMREG_OK) {
        free(values);
        return status;
    }
    *ndim = sc.ndim;
    for (int d = 0; d < 7; ++d)
        shape[d] = d < sc.ndim ? sc.shape[d] : 1;
    memcpy(affine4x4, a4, sizeof a4);
    *data = values;
    return OMREG_OK;
}

omreg_status omreg_nifti_read_intent(const char *path, int *intent_code)
{
    OMREG_RETURN_IF(path == NULL || intent_code == NULL, OMREG_EINVAL,
                    "nifti_read_intent: NULL argument");
    struct stat st;
    gzFile gz = NULL;
    OMREG_FORWARD(open_for_read(path, &st, &gz));
    struct header h;
    omreg_status status = read_header(path, gz, &h);
    gzclose(gz);
    if (status == OMREG_OK)
        *intent_code = h.intent_code;
    return status;
}
