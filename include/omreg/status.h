/* omreg status codes and the thread-local last-error message.
 * Every fallible entry point returns an omreg_status; the detail of the last
 * failure on the calling thread is read with omreg_last_error(). */
#ifndef OMREG_STATUS_H
#define OMREG_STATUS_H

#include "omreg/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum omreg_status {
    OMREG_OK = 0,
    OMREG_EINVAL,       /* invalid argument (NULL, bad option value) */
    OMREG_ENOMEM,       /* allocation failed */
    OMREG_EOVERFLOW,    /* a size computation would overflow */
    OMREG_ESHAPE,       /* shapes or dimensionalities do not match */
    OMREG_ESINGULAR,    /* a matrix is singular or not affine */
    OMREG_ENONFINITE,   /* NaN or Inf where finite values are required */
    OMREG_EIO,          /* a file could not be opened, read or written */
    OMREG_EFORMAT,      /* a file is corrupt or of an unsupported format */
    OMREG_EUNSUPPORTED, /* valid request this build does not support */
    OMREG_ECANCELED,    /* the progress callback asked to stop (returned non-zero) */
    OMREG_STATUS_COUNT
} omreg_status;

/** Short stable name of a status ("OMREG_EINVAL"); "unknown status" when
 * out of range. The string is static. */
OMREG_API const char *omreg_status_str(omreg_status status);

/** The message of the most recent failure on this thread ("" if none).
 * The buffer is thread-local and overwritten by the next failure. */
OMREG_API const char *omreg_last_error(void);

/** Clear this thread's last-error message. */
OMREG_API void omreg_clear_error(void);

#ifdef __cplusplus
}
#endif
#endif
