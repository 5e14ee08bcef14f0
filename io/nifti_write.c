/* NIfTI-1 writer with nibabel's semantics (DIPY 1.6 saves images through
 * nibabel: dipy.io.image.save_nifti): the header nib.save writes
 * (io/nifti_header.c), the data in NIfTI order, plain or through the
 * chunked gzip writer, into a temporary file renamed into place. Nothing
 * here prints or touches nifticlib's global state. The entry points that
 * take a backend (omreg_nifti_write_with, ..._array_with, ..._array_intent)
 * are io/nifti_write_with.c: they pick io's transposition and deflate
 * kernels for the backend and call the functions of io/nifti_write.h. */
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

/* bytes per slab at most (io/nifti_slab.h): a layer of 512 x 1024 doubles
 * fits */
enum { SLAB_BYTES = 4 * IO_CHUNK };

/* The slab geometry for a C-order array: the layer axis k is the last one
 * whose layer (axes 0..k-1) fits SLAB_BYTES, so the reads of a slab are as
 * close as the buffer allows; *layers: how many layers a slab holds. */
static void plan_slabs(int ndim, const size_t *shape, size_t esize, omreg_nii_slab *g,
                       size_t *layers)
{
    memset(g, 0, sizeof *g);
    g->esize = esize;
    g->ndim = ndim;
    g->cstride[ndim - 1] = 1;
    for (int d = ndim - 1; d >= 0; --d) {
        g->shape[d] = shape[d];
        if (d < ndim - 1)
            g->cstride[d] = g->cstride[d + 1] * shape[d + 1];
    }
    size_t nin = 1; /* product of shape[0..k-1] */
    g->k = 0;
    while (g->k + 1 < ndim && nin * shape[g->k] <= SLAB_BYTES / esize)
        nin *= shape[g->k++];
    g->nin = nin;
    g->nx = g->k >= 1 ? shape[0] : 1;
    g->nrows = nin / g->nx;
    size_t fit = SLAB_BYTES / esize / nin; /* >= 1 */
    *layers = fit < shape[g->k] ? fit : shape[g->k];
}

/* Stream a C-order array in NIfTI order (first axis fastest): slab after
 * slab, each transposed by the team's kernel into buf (layers layers). */
static omreg_status write_data(struct sink *s, omreg_io_team team, const omreg_nii_slab *g,
                               const unsigned char *data, unsigned char *buf, size_t layers)
{
    const int k = g->k;
    size_t nouter = 1; /* the axes after k */
    for (int d = k + 1; d < g->ndim; ++d)
        nouter *= g->shape[d];
    for (size_t o = 0; o < nouter; ++o) {
        size_t off = 0, rem = o;
        for (int d = k + 1; d < g->ndim; ++d) {
            off += (rem % g->shape[d]) * g->cstride[d];
            rem /= g->shape[d];
        }
        for (size_t k0 = 0; k0 < g->shape[k]; k0 += layers) {
            size_t n = g->shape[k] - k0 < layers ? g->shape[k] - k0 : layers;
            team.slab(team.nthreads, g, data, off + k0 * g->cstride[k], n, buf);
            OMREG_FORWARD(sink_write(s, buf, n * g->nin * g->esize));
        }
    }
    return OMREG_OK;
}

omreg_status omreg_nifti_write_array(const char *path, int ndim, const size_t *shape,
                                     omreg_dtype dtype, const void *data, const double *affine4x4)
{
    return omreg_nifti_write_array_team((omreg_io_team){NULL, omreg_ref_nii_slab, 1}, path, ndim,
                                        shape, dtype, data, affine4x4, 0);
}

omreg_status omreg_nifti_write_array_team(omreg_io_team team, const char *path, int ndim,
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

    omreg_nii_slab g;
    size_t layers = 0;
    plan_slabs(ndim, shape, esize, &g, &layers);
    unsigned char *buf = omreg_calloc(layers * g.nin, esize, "NIfTI write buffer");
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
    const omreg_deflater deflate = {team.deflate, team.nthreads};
    if (gz && (status = omreg_gz_writer_open(&s.gz, fd, path, 1, /* nibabel's default level */
                                             deflate)) != OMREG_OK)
        goto fail;
    static const unsigned char no_extension[4] = {0, 0, 0, 0};
    if ((status = sink_write(&s, &hdr, N1_HDR)) != OMREG_OK ||
        (status = sink_write(&s, no_extension, 4)) != OMREG_OK ||
        (status = write_data(&s, team, &g, data, buf, layers)) != OMREG_OK ||
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
    return omreg_nifti_write_image_team((omreg_io_team){NULL, omreg_ref_nii_slab, 1}, path, img);
}

omreg_status omreg_nifti_write_image_team(omreg_io_team team, const char *path,
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
    return omreg_nifti_write_array_team(team, path, n, shape, img->dtype, img->data, a, 0);
}
