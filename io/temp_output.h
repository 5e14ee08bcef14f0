/* Library outputs are written whole under a fresh temporary name next to
 * their target and then renamed into place, so a reader never sees a
 * partial file and a failed write leaves an existing target untouched. */
#ifndef OMREG_IO_TEMP_OUTPUT_H
#define OMREG_IO_TEMP_OUTPUT_H

#include "omreg/status.h"

/* Create "<path>.omreg-tmp-<pid>-<n>" (O_EXCL: never an existing file) for
 * writing: *tmp is its malloc'd name, *fd the open descriptor. Returns
 * OMREG_ENOMEM or OMREG_EIO; nothing is left behind on failure. */
omreg_status omreg_temp_output_open(const char *path, char **tmp, int *fd);

/* Rename the finished temporary onto path and free the name; on failure the
 * temporary is removed and OMREG_EIO returned. The descriptor must be closed. */
omreg_status omreg_temp_output_commit(const char *path, char *tmp);

/* Remove the temporary and free its name (after a failed write; the
 * descriptor must be closed). */
void omreg_temp_output_abort(char *tmp);

#endif
