/* Temporary outputs next to their target, renamed into place when complete
 * (see temp_output.h): the NIfTI and PNG writers share this. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "alloc.h"
#include "error.h"
#include "temp_output.h"

static atomic_uint tmp_counter;

omreg_status omreg_temp_output_open(const char *path, char **tmp_out, int *fd_out)
{
    size_t tmp_len = strlen(path) + 64;
    char *tmp = NULL;
    tmp = omreg_calloc(tmp_len, 1, "temporary file name");
    if (tmp == NULL)
        return omreg_calloc_failure();
    /* a fresh name next to the target; O_EXCL never reuses an existing file */
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        snprintf(tmp, tmp_len, "%s.omreg-tmp-%ld-%u", path, (long)getpid(),
                 atomic_fetch_add(&tmp_counter, 1u));
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        omreg_status st = omreg_fail(OMREG_EIO, "%s: cannot create a temporary file next to "
                                     "it: %s", path, strerror(errno));
        free(tmp);
        return st;
    }
    *tmp_out = tmp;
    *fd_out = fd;
    return OMREG_OK;
}

omreg_status omreg_temp_output_commit(const char *path, char *tmp)
{
    if (rename(tmp, path) != 0) {
        omreg_status st = omreg_fail(OMREG_EIO, "%s: cannot move the temporary file into "
                                     "place: %s", path, strerror(errno));
        omreg_temp_output_abort(tmp);
        return st;
    }
    free(tmp);
    return OMREG_OK;
}

void omreg_temp_output_abort(char *tmp)
{
    if (tmp != NULL)
        unlink(tmp);
    free(tmp);
}
