/* NIfTI headers with nibabel's semantics: reading, byte-swapping and
 * validating a NIfTI-1/-2 header with nibabel's fixes on load, nibabel's
 * img.affine from it, and the NIfTI-1 header nib.save writes. nifticlib
 * supplies the header layouts, byte swapping, the datatype table and the
 * matrix-to-quaternion conversion. Nothing here prints or touches
 * nifticlib's global state. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#include <zlib.h>

#include "nifti2_io.h"

#include "error.h"
#include "nifti_internal.h"

/* ---------------------------------------------------------------------- */
/* Header                                                                  */
/* ---------------------------------------------------------------------- */

/* Real scalar datatypes the reader converts. */
static const dtype_info readable_types[] = {
    {NIFTI_TYPE_UINT8, 1},  {NIFTI_TYPE_INT8, 1},    {NIFTI_TYPE_INT16, 2},
    {NIFTI_TYPE_UINT16, 2}, {NIFTI_TYPE_INT32, 4},   {NIFTI_TYPE_UINT32, 4},
    {NIFTI_TYPE_INT64, 8},  {NIFTI_TYPE_UINT64, 8},  {NIFTI_TYPE_FLOAT32, 4},
    {NIFTI_TYPE_FLOAT64, 8},
};

const dtype_info *omreg_nii_find_readable(int code)
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
size_t omreg_nii_gz_read_full(gzFile gz, void *buf, size_t n)
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
omreg_status omreg_nii_short_read(const char *path, gzFile gz, const char *what, size_t got,
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
omreg_status omreg_nii_read_header(const char *path, gzFile gz, struct header *h)
{
    union {
        nifti_1_header n1;
        nifti_2_header n2;
        unsigned char bytes[N2_HDR];
    } raw;
    memset(h, 0, sizeof *h);
    size_t got = omreg_nii_gz_read_full(gz, raw.bytes, N1_HDR);
    if (got == 0 && gzeof(gz))
        return omreg_fail(OMREG_EFORMAT, "%s: empty file", path);
    if (got < N1_HDR)
        return omreg_nii_short_read(path, gz, "NIfTI header", got, N1_HDR);

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
        got = omreg_nii_gz_read_full(gz, raw.bytes + N1_HDR, N2_HDR - N1_HDR);
        if (got < N2_HDR - N1_HDR)
            return omreg_nii_short_read(path, gz, "NIfTI-2 header", N1_HDR + got, N2_HDR);
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
    if (!omreg_nii_find_readable(h->datatype)) {
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
    /* quat2mat's Nq: 1 (w from fillpositive) or b^2 + c^2 + d^2 > 1 (w = 0),
     * never below its eps, so its identity branch has no counterpart here */
    double nq = w * w + x * x + y * y + z * z;
    double s = 2.0 / nq;
    double X = x * s, Y = y * s, Z = z * s;
    double wX = w * X, wY = w * Y, wZ = w * Z;
    double xX = x * X, xY = x * Y, xZ = x * Z;
    double yY = y * Y, yZ = y * Z, zZ = z * Z;
    const double r[3][3] = {{1.0 - (yY + zZ), xY - wZ, xZ + wY},
                            {xY + wZ, 1.0 - (xX + zZ), yZ - wX},
                            {xZ - wY, yZ + wX, 1.0 - (xX + yY)}};
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
omreg_status omreg_nii_best_affine(const char *path, const struct header *h, double a[16],
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

/* What nib.save(nib.Nifti1Image(array, affine)) puts in the header: sform
 * (code 2 aligned) = affine; qform code 0 with quaternion, offsets and qfac
 * filled (nibabel's set_qform(affine, code='unknown')); pixdim[1..3] = the
 * affine's column norms ((a0^2 + a1^2) + a2^2, numpy's order); other
 * pixdims 1; slope 1, intercept 0. */
void omreg_nii_build_header(nifti_1_header *h, int ndim, const size_t *shape, omreg_dtype dtype,
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
