/* .npy reader/writer: magic "\x93NUMPY", version, header length, a Python
 * dict literal {'descr': '<f8', 'fortran_order': False, 'shape': (...)},
 * then raw C-order little-endian data. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "omreg/npy.h"

static const struct {
    const char *descr;
    omreg_npy_type type;
    size_t size;
} npy_types[] = {
    {"<f8", OMREG_NPY_F64, 8}, {"<f4", OMREG_NPY_F32, 4}, {"<i4", OMREG_NPY_I32, 4},
    {"<i8", OMREG_NPY_I64, 8}, {"|u1", OMREG_NPY_U8, 1},
};
#define N_NPY_TYPES (sizeof npy_types / sizeof npy_types[0])

void omreg_npy_free(omreg_npy *array)
{
    if (array == NULL)
        return;
    free(array->data);
    array->data = NULL;
}

static omreg_status parse_header(const char *path, const char *hdr, omreg_npy *out)
{
    const char *d = strstr(hdr, "'descr':");
    OMREG_RETURN_IF(!d, OMREG_EFORMAT, "%s: npy header has no descr", path);
    d = strchr(d + 8, '\'');
    OMREG_RETURN_IF(!d, OMREG_EFORMAT, "%s: bad descr", path);
    size_t t;
    for (t = 0; t < N_NPY_TYPES; ++t)
        if (strncmp(d + 1, npy_types[t].descr, 3) == 0 && d[4] == '\'')
            break;
    OMREG_RETURN_IF(t == N_NPY_TYPES, OMREG_EFORMAT, "%s: unsupported npy dtype %.5s", path, d);
    out->type = npy_types[t].type;
    out->elem_size = npy_types[t].size;
    OMREG_RETURN_IF(!strstr(hdr, "'fortran_order': False"), OMREG_EFORMAT,
                    "%s: Fortran-ordered npy not supported", path);
    const char *s = strstr(hdr, "'shape':");
    OMREG_RETURN_IF(!s, OMREG_EFORMAT, "%s: npy header has no shape", path);
    s = strchr(s, '(');
    OMREG_RETURN_IF(!s, OMREG_EFORMAT, "%s: bad shape", path);
    ++s;
    out->ndim = 0;
    out->count = 1;
    for (;;) {
        while (*s == ' ' || *s == ',')
            ++s;
        if (*s == ')')
            break;
        char *end;
        unsigned long long v = strtoull(s, &end, 10);
        OMREG_RETURN_IF(end == s || out->ndim == 8, OMREG_EFORMAT, "%s: bad shape entry", path);
        out->shape[out->ndim++] = (size_t)v;
        OMREG_FORWARD(omreg_size_mul(&out->count, out->count, (size_t)v));
        s = end;
    }
    return OMREG_OK;
}

/* Read exactly n bytes: OMREG_EIO on a read error (e.g. a directory),
 * OMREG_EFORMAT when the file ends first (truncated). */
static omreg_status read_exact(FILE *f, void *buf, size_t n, const char *path, const char *what)
{
    if (fread(buf, 1, n, f) == n)
        return OMREG_OK;
    if (ferror(f))
        return omreg_fail(OMREG_EIO, "%s: read error in the npy %s", path, what);
    return omreg_fail(OMREG_EFORMAT, "%s: truncated npy %s", path, what);
}

/* numpy writes headers of a few hundred bytes; a corrupt length must not
 * turn into a huge allocation. */
#define NPY_MAX_HEADER ((size_t)1 << 20)

omreg_status omreg_npy_read(const char *path, omreg_npy *out)
{
    OMREG_RETURN_IF(path == NULL || out == NULL, OMREG_EINVAL, "npy_read: NULL argument");
    memset(out, 0, sizeof *out);
    FILE *f = fopen(path, "rb");
    OMREG_RETURN_IF(f == NULL, OMREG_EIO, "%s: cannot open", path);
    unsigned char pre[12];
    omreg_status st = OMREG_OK;
    void *hmem = NULL, *data = NULL;
    size_t hlen = 0, bytes = 0;
    if ((st = read_exact(f, pre, 10, path, "preamble")) != OMREG_OK)
        goto done;
    if (memcmp(pre, "\x93NUMPY", 6) != 0) {
        st = omreg_fail(OMREG_EFORMAT, "%s: not an npy file", path);
        goto done;
    }
    if (pre[6] == 1) {
        hlen = (size_t)pre[8] | ((size_t)pre[9] << 8);
    } else if (pre[6] == 2 || pre[6] == 3) {
        if ((st = read_exact(f, pre + 10, 2, path, "preamble")) != OMREG_OK)
            goto done;
        hlen = (size_t)pre[8] | ((size_t)pre[9] << 8) | ((size_t)pre[10] << 16) |
               ((size_t)pre[11] << 24);
    } else {
        st = omreg_fail(OMREG_EFORMAT, "%s: npy version %d unsupported", path, pre[6]);
        goto done;
    }
    if (hlen > NPY_MAX_HEADER) {
        st = omreg_fail(OMREG_EFORMAT, "%s: npy header length %zu is implausible", path, hlen);
        goto done;
    }
    if ((hmem = omreg_calloc(hlen + 1, 1, "npy header")) == NULL) {
        st = omreg_calloc_failure();
        goto done;
    }
    if ((st = read_exact(f, hmem, hlen, path, "header")) != OMREG_OK)
        goto done;
    if ((st = parse_header(path, hmem, out)) != OMREG_OK)
        goto done;
    if ((st = omreg_size_mul(&bytes, out->count, out->elem_size)) != OMREG_OK)
        goto done;
    if ((data = omreg_calloc(bytes ? bytes : 1, 1, "npy data")) == NULL) {
        st = omreg_calloc_failure();
        goto done;
    }
    if ((st = read_exact(f, data, bytes, path, "data")) != OMREG_OK)
        goto done;
    out->data = data;
    data = NULL;
done:
    free(hmem);
    free(data);
    fclose(f);
    return st;
}

omreg_status omreg_npy_write(const char *path, omreg_npy_type type, int ndim,
                             const size_t *shape, const void *data)
{
    OMREG_RETURN_IF(path == NULL || (ndim > 0 && (shape == NULL || data == NULL)) || ndim < 0 ||
                        ndim > 8,
                    OMREG_EINVAL, "npy_write: bad arguments");
    size_t t;
    for (t = 0; t < N_NPY_TYPES; ++t)
        if (npy_types[t].type == type)
            break;
    OMREG_RETURN_IF(t == N_NPY_TYPES, OMREG_EINVAL, "npy_write: unknown type %d", (int)type);
    char dict[256], shp[200] = "";
    size_t count = 1, bytes;
    for (int d = 0; d < ndim; ++d) {
        size_t len = strlen(shp);
        snprintf(shp + len, sizeof shp - len, "%zu,%s", shape[d], (d + 1 < ndim) ? " " : "");
        OMREG_FORWARD(omreg_size_mul(&count, count, shape[d]));
    }
    if (ndim > 1) /* (3, 4,) -> (3, 4) */
        shp[strlen(shp) - 1] = '\0';
    OMREG_FORWARD(omreg_size_mul(&bytes, count, npy_types[t].size));
    /* a 0-d array still has one element */
    OMREG_RETURN_IF(data == NULL && bytes > 0, OMREG_EINVAL, "npy_write: data is NULL");
    int n = snprintf(dict, sizeof dict, "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }",
                     npy_types[t].descr, shp);
    /* pad with spaces so preamble + header is a multiple of 64, ending in \n */
    size_t total = 10 + (size_t)n + 1;
    size_t pad = (64 - total % 64) % 64;
    size_t hlen = (size_t)n + pad + 1;
    FILE *f = fopen(path, "wb");
    OMREG_RETURN_IF(f == NULL, OMREG_EIO, "%s: cannot create", path);
    unsigned char pre[10] = {0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (unsigned char)(hlen & 0xff),
                             (unsigned char)(hlen >> 8)};
    int ok = fwrite(pre, 1, 10, f) == 10 && fwrite(dict, 1, (size_t)n, f) == (size_t)n;
    for (size_t i = 0; ok && i < pad; ++i)
        ok = fputc(' ', f) != EOF;
    ok = ok && fputc('\n', f) != EOF && fwrite(data, 1, bytes, f) == bytes;
    ok = (fclose(f) == 0) && ok;
    OMREG_RETURN_IF(!ok, OMREG_EIO, "%s: write failed", path);
    return OMREG_OK;
}
