/* NIfTI-1 / NIfTI-2 images (.nii, .nii.gz) with the conventions of nibabel,
 * the reader DIPY 1.6 uses (dipy.io.image.load_nifti / save_nifti).
 *
 * Layout: the in-memory array is numpy's C-order array of nibabel's shape
 * (X, Y, Z): element (i, j, k) is at (i*Y + j)*Z + k, the transpose of the
 * file's x-fastest order. grid2world is nibabel's img.affine. */
#ifndef OMREG_NIFTI_H
#define OMREG_NIFTI_H

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Read a single-file NIfTI-1 or NIfTI-2 image (plain or gzip-compressed;
 * compression is detected from the content, not the name) as a scalar image
 * of the given dtype. *out is set only on success; free with
 * omreg_image_free.
 *
 * Shape: nibabel's shape dim[1..dim[0]] with trailing singleton axes past
 * the third dropped, so (X, Y, Z, 1, 1) reads as (X, Y, Z). dim[0] == 2
 * gives a 2D image; a 3D file with Z == 1 stays 3D (X, Y, 1), as nibabel
 * reports it (see omreg_nifti_read_2d). Anything else that is not 2D or 3D
 * is OMREG_ESHAPE.
 *
 * Values: np.asanyarray(img.dataobj) as nibabel computes it. Any real
 * datatype (u)int8/16/32/64, float32/64, either byte order. When scl_slope
 * is non-zero and finite the values are raw*slope + inter in float64
 * (multiply skipped when slope == 1, add skipped when inter == 0, as
 * nibabel does); OMREG_F32 output is that float64 value rounded to float.
 * Without scaling, raw values are cast straight to the output type.
 *
 * grid2world: nibabel's img.affine: the sform if sform_code is a valid
 * non-zero code (1..5), else the qform if qform_code is, else nibabel's
 * base affine from the pixdims (x flipped, origin at the array centre),
 * after nibabel's header fixes (zero pixdim[1..3] -> 1, negative -> abs,
 * qfac not +-1 -> 1, codes outside 0..5 -> 0). The qform follows
 * nibabel's operations in double (nibabel uses numpy longdouble), so it
 * agrees with img.affine to a few ulps and is identical on every
 * platform; sform and base affines are bitwise nibabel's. For 2D
 * images grid2world is the 3x3 in-plane part of that 4x4 affine: rows and
 * columns (x, y, translation).
 *
 * Returns OMREG_EINVAL (NULL argument, bad dtype), OMREG_EIO (missing,
 * unreadable or not a regular file), OMREG_EFORMAT (corrupt or truncated
 * header, bad sizeof_hdr or magic, bad dims or vox_offset, dimensions that
 * overflow, unknown datatype, invalid intercept or quaternion, a
 * non-finite or singular affine, truncated data, a corrupt or cut-short
 * gzip stream), OMREG_EUNSUPPORTED (pair .hdr/.img headers, complex, RGB,
 * float128 or binary data), OMREG_ESHAPE, OMREG_ENOMEM. Never prints. */
omreg_status omreg_nifti_read(const char *path, omreg_dtype dtype, omreg_image **out);

/** Like omreg_nifti_read, but also reads a 3D file whose third axis has
 * size 1 (e.g. a slice saved as (X, Y, 1)) as a 2D (X, Y) image with the
 * in-plane 3x3 grid2world; any other 3D file is OMREG_ESHAPE. */
omreg_status omreg_nifti_read_2d(const char *path, omreg_dtype dtype, omreg_image **out);

/** Write a C-order array of shape shape[0..ndim-1] (numpy shape, first axis
 * fastest in the file; 1 <= ndim <= 7, every axis 1..32767) as NIfTI-1,
 * gzip-compressed when path ends in ".nii.gz", plain when it ends in ".nii"
 * (case-insensitive). The header is what nib.save(nib.Nifti1Image(array,
 * affine4x4)) writes, as DIPY's save_nifti does: float32 or float64 data,
 * sform = affine with sform_code 2 (aligned), qform_code 0 (unknown) with
 * the quaternion fields filled, pixdim[1..3] = column norms of the affine,
 * no intent, slope 1 / intercept 0, gzip level 1. affine4x4 is row-major,
 * finite, with last row (0, 0, 0, 1). The file is written under a
 * temporary name in the same directory and renamed into place, so on any
 * failure an existing file at path is left untouched and no temporary file
 * remains. Returns OMREG_EINVAL (NULL argument, bad extension, bad
 * dtype/ndim, zero axis), OMREG_EUNSUPPORTED (axis > 32767),
 * OMREG_ENONFINITE, OMREG_ESINGULAR (last row not 0 0 0 1),
 * OMREG_EOVERFLOW, OMREG_ENOMEM, OMREG_EIO. */
omreg_status omreg_nifti_write_array(const char *path, int ndim, const size_t *shape,
                                     omreg_dtype dtype, const void *data,
                                     const double *affine4x4);

/** Write an image or displacement field with omreg_nifti_write_array:
 * a scalar image as shape (X, Y[, Z]); a field as (X, Y, Z, 3) in 3D and
 * (X, Y, 2) in 2D, exactly how nibabel saves DIPY's numpy field arrays (no
 * vector intent, so a 2D field reads back as a 3D (X, Y, 2) volume). A 2D
 * image's 3x3 grid2world is embedded in 4x4 with z unchanged. Same
 * statuses as omreg_nifti_write_array. */
omreg_status omreg_nifti_write(const char *path, const omreg_image *img);

/** omreg_nifti_write_array and omreg_nifti_write with the gzip compression
 * done by a backend: the stream is cut into fixed 1 MiB chunks deflated
 * independently (one gzip member; any gzip reader reads it), so the
 * parallel backend compresses them on its OpenMP team and the bytes are
 * the same for any backend, thread count or schedule. backend NULL: on the
 * calling thread, as the functions above do. */
omreg_status omreg_nifti_write_array_with(const omreg_backend *backend, const char *path,
                                          int ndim, const size_t *shape, omreg_dtype dtype,
                                          const void *data, const double *affine4x4);
omreg_status omreg_nifti_write_with(const omreg_backend *backend, const char *path,
                                    const omreg_image *img);

/** omreg_nifti_write_array_with with the header's intent_code set (e.g.
 * 1007, NIFTI_INTENT_VECTOR, which ITK writes for vector images such as
 * displacement fields); intent_code 0 is omreg_nifti_write_array_with.
 * OMREG_EINVAL for a code outside 0..32767; otherwise the same statuses. */
omreg_status omreg_nifti_write_array_intent(const omreg_backend *backend, const char *path,
                                            int ndim, const size_t *shape, omreg_dtype dtype,
                                            const void *data, const double *affine4x4,
                                            int intent_code);

/** The header's intent_code (NIfTI-1 or -2, either byte order, plain or
 * gzip) after the header checks of omreg_nifti_read; statuses as there. */
omreg_status omreg_nifti_read_intent(const char *path, int *intent_code);

/** Read a NIfTI file of any dimensionality (1..7) as the C-order numpy
 * array nibabel gives (np.asanyarray(img.dataobj)): *ndim = dim[0], shape
 * = dim[1..dim[0]] with no axis dropped (entries past *ndim set to 1), so
 * DIPY's displacement fields read as (X, Y, Z, 3), a dipy_align_syn map as
 * (X, Y, Z, 3, 2) and a 2D one as (X, Y, 2, 2). Values and affine4x4
 * (nibabel's img.affine, row-major 4x4, finite but possibly singular: a
 * world-to-grid is as valid as a grid-to-world here) follow
 * omreg_nifti_read. On success *data is a new buffer of the product of the
 * shape elements of dtype, owned by the caller (free()); on failure no
 * output is touched. Returns OMREG_EINVAL (NULL argument, bad dtype) and
 * the statuses of omreg_nifti_read except OMREG_ESHAPE, plus OMREG_EFORMAT
 * for a non-finite affine. */
omreg_status omreg_nifti_read_array(const char *path, omreg_dtype dtype, int *ndim,
                                    size_t shape[7], void **data, double affine4x4[16]);

#ifdef __cplusplus
}
#endif
#endif
