/* The NIfTI writer with its kernels chosen by the caller: what
 * io/nifti_write_with.c calls after picking io's serial or parallel
 * kernels (deflate, transposition) for a backend. */
#ifndef OMREG_IO_NIFTI_WRITE_H
#define OMREG_IO_NIFTI_WRITE_H

#include <stddef.h>

#include "deflate_chunk.h"
#include "nifti_slab.h"
#include "omreg/image.h"
#include "omreg/status.h"

/* io's kernels for one write and the team size both run with: deflate
 * NULL deflates chunk by chunk on the calling thread; the same bytes for
 * any choice. */
typedef struct omreg_io_team {
    omreg_deflate_chunks_fn *deflate;
    omreg_nii_slab_fn *slab; /* never NULL */
    int nthreads;            /* >= 1 */
} omreg_io_team;

/* omreg_nifti_write_array_intent (include/omreg/nifti.h), transposed and
 * deflated by the team's kernels. */
omreg_status omreg_nifti_write_array_team(omreg_io_team team, const char *path, int ndim,
                                             const size_t *shape, omreg_dtype dtype,
                                             const void *data, const double *affine4x4,
                                             int intent_code);

/* omreg_nifti_write_with, likewise. */
omreg_status omreg_nifti_write_image_team(omreg_io_team team, const char *path,
                                             const omreg_image *img);

#endif
