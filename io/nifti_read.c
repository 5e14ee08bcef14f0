/* NIfTI-1/-2 reader with nibabel's semantics (DIPY 1.6 loads images through
 * nibabel: dipy.io.image.load_nifti). File I/O uses zlib's gz* calls
 * directly: they read plain and gzip files alike and, unlike znzlib, report
 * gzip errors and never print. Nothing here prints or touches nifticlib's
 * global state, so the entry points are thread-safe. The header and the
 * affine: io/nifti_header.c. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "nifti2_io.h"

#include "alloc.h"
#include "error.h"
#include "image_internal.h"
#include "nifti_internal.h"
#include "omreg/nifti.h"

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
        while (omreg_nii_gz_read_full(gz, buf, buf_bytes) == buf_bytes) {
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

    status = omreg_nii_read_header(path, gz, &h);
    if (status != OMREG_OK)
        goto done;
    dt = omreg_nii_find_readable(h.datatype);
    if ((status = data_size(path, &h, dt->size, &nvox, &nbytes)) != OMREG_OK ||
        (status = pick_shape(path, &h, want_2d, &ndim, shape)) != OMREG_OK ||
        (status = omreg_nii_best_affine(path, &h, a4, &source)) != OMREG_OK)
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
        status = omreg_nii_short_read(path, gz, "data (seeking to vox_offset)", 0, nbytes);
        goto done;
    }
    struct convert cv = {h.scl_slope, h.scl_inter, h.scl_slope != 1.0 || h.scl_inter != 0.0,
                         dtype == OMREG_F64 ? (double *)img->data : NULL,
                         dtype == OMREG_F32 ? (float *)img->data : NULL};
    for (t.s0 = 0; t.s0 < t.ns; t.s0 += t.layers) {
        t.layers = t.ns - t.s0 < slab_layers ? t.ns - t.s0 : slab_layers;
        size_t want = t.layers * layer_bytes;
        size_t got = omreg_nii_gz_read_full(gz, chunk, want);
        if (got < want) {
            status = omreg_nii_short_read(path, gz, "data", t.s0 * layer_bytes + got, nbytes);
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

    if ((status = omreg_nii_read_header(path, gz, &h)) != OMREG_OK)
        goto done;
    dt = omreg_nii_find_readable(h.datatype);
    if ((status = data_size(path, &h, dt->size, &nvox, &nbytes)) != OMREG_OK ||
        (status = omreg_nii_best_affine(path, &h, a4, &source)) != OMREG_OK)
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
        status = omreg_nii_short_read(path, gz, "data (seeking to vox_offset)", 0, nbytes);
        goto done;
    }
    struct convert cv = {h.scl_slope, h.scl_inter, h.scl_slope != 1.0 || h.scl_inter != 0.0,
                         dtype == OMREG_F64 ? (double *)values : NULL,
                         dtype == OMREG_F32 ? (float *)values : NULL};
    for (size_t done_vox = 0; done_vox < nvox;) {
        size_t count = nvox - done_vox < per_chunk ? nvox - done_vox : per_chunk;
        size_t want = count * dt->size;
        size_t got = omreg_nii_gz_read_full(gz, chunk, want);
        if (got < want) {
            status = omreg_nii_short_read(path, gz, "data", done_vox * dt->size + got, nbytes);
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
    omreg_status status = omreg_nii_read_header(path, gz, &h);
    gzclose(gz);
    if (status == OMREG_OK)
        *intent_code = h.intent_code;
    return status;
}
