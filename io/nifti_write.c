/* NIfTI-1 writer with nibabel's semantics (DIPY 1.6 saves images through
 * nibabel: dipy.io.image.save_nifti): the header nib.save writes
 * (io/nifti_header.c), the data in NIfTI order, plain or through the
 * chunked gzip writer, into a temporary file renamed into place. Nothing
 * here prints or touches nifticlib's global state. The entry points that
 * take a backend (omreg_nifti_write_with, ..._array_with, ..._array_intent)
 * are api/nifti_write_api.c: they pick the backend's deflate kernel and
 * call the functions of io/nifti_write.h. */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "nifti2_io.h"

#include "alloc.h"
#include "error.h"
#include "gzip_writer.h"
#include "image_internal.h"
#include "nifti_internal.h"
#include "nifti_write.h"
#include "omreg/matrix.h"
#include "omreg/nifti.h"
#include "temp_output.h"

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
    return omreg_nifti_write_array_deflate((omreg_deflater){NULL, 1}, path, ndim, shape, dtype,
                                           data, affine4x4, 0);
}

omreg_status omreg_nifti_write_array_deflate(omreg_deflater deflate, const char *path, int ndim,
                                             const size_t *shape, omreg_dtype dtype,
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
    omreg_nii_build_header(&hdr, ndim, shape, dtype, affine4x4, intent_code);

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
                                             deflate)) != OMREG_OK)
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
    return omreg_nifti_write_image_deflate((omreg_deflater){NULL, 1}, path, img);
}

omreg_status omreg_nifti_write_image_deflate(omreg_deflater deflate, const char *path,
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
    return omreg_nifti_write_array_deflate(deflate, path, n, shape, img->dtype, img->data, a,
                                           0);
}
