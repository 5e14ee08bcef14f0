/* What io/nifti_header.c, io/nifti_read.c and io/nifti_write.c share: the
 * header as the reader holds it, the readable datatypes, and the header
 * functions both directions call. Internal to io/. */
#ifndef OMREG_IO_NIFTI_INTERNAL_H
#define OMREG_IO_NIFTI_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zlib.h>

#include "nifti2_io.h"

#include "omreg/image.h"
#include "omreg/status.h"

enum {
    N1_HDR = 348,              /* sizeof(nifti_1_header) */
    N2_HDR = 540,              /* sizeof(nifti_2_header) */
    IO_CHUNK = 1 << 20,        /* bytes per read/convert/write step */
    MAX_RW = 1 << 30           /* gzread/gzwrite take an unsigned int */
};

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

/* The datatype's entry among the real scalar types the reader converts, or
 * NULL. */
const dtype_info *omreg_nii_find_readable(int code);

/* Read up to n bytes; returns how many arrived (a short count means end of
 * file or an error: ask gzerror). */
size_t omreg_nii_gz_read_full(gzFile gz, void *buf, size_t n);

/* A short read of `what`: an I/O error, a corrupt or cut-short gzip stream,
 * or plain end of file. */
omreg_status omreg_nii_short_read(const char *path, gzFile gz, const char *what, size_t got,
                                  size_t want);

/* Read, byte-swap and validate the header. */
omreg_status omreg_nii_read_header(const char *path, gzFile gz, struct header *h);

/* nibabel's get_best_affine (codes already fixed to 0..5); names the source. */
omreg_status omreg_nii_best_affine(const char *path, const struct header *h, double a[16],
                                   const char **source);

/* What nib.save(nib.Nifti1Image(array, affine)) puts in the header: sform
 * (code 2 aligned) = affine; qform code 0 with quaternion, offsets and qfac
 * filled (nibabel's set_qform(affine, code='unknown')); pixdim[1..3] = the
 * affine's column norms ((a0^2 + a1^2) + a2^2, numpy's order); other
 * pixdims 1; slope 1, intercept 0. */
void omreg_nii_build_header(nifti_1_header *h, int ndim, const size_t *shape, omreg_dtype dtype,
                            const double *a, int intent_code);

#endif
