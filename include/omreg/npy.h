/* Minimal .npy (NumPy format 1.0/2.0/3.0) reader and writer for the golden
 * fixtures: little-endian float64, float32, int32, int64 and uint8 arrays in
 * C order, up to 8 dimensions. */
#ifndef OMREG_NPY_H
#define OMREG_NPY_H

#include "omreg/export.h"

#include <stddef.h>

#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum omreg_npy_type {
    OMREG_NPY_F64,
    OMREG_NPY_F32,
    OMREG_NPY_I32,
    OMREG_NPY_I64,
    OMREG_NPY_U8
} omreg_npy_type;

typedef struct omreg_npy {
    omreg_npy_type type;
    int ndim;
    size_t shape[8];
    size_t count;      /* product of shape (1 for a 0-d array) */
    size_t elem_size;  /* bytes per element */
    void *data;        /* count * elem_size bytes, owned */
} omreg_npy;

/** Read path into *out (zeroed first). Fortran-ordered, big-endian or other
 * dtypes give OMREG_EFORMAT; missing files OMREG_EIO. Free with
 * omreg_npy_free. */
OMREG_API omreg_status omreg_npy_read(const char *path, omreg_npy *out);

/** Write a C-ordered array (format 1.0). */
OMREG_API omreg_status omreg_npy_write(const char *path, omreg_npy_type type, int ndim,
                                       const size_t *shape, const void *data);

/** Free the data of an array read by omreg_npy_read (the struct itself is
 * the caller's). NULL is a no-op. */
OMREG_API void omreg_npy_free(omreg_npy *array);

#ifdef __cplusplus
}
#endif
#endif
