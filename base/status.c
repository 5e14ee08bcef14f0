/* Status names and the thread-local last-error buffer. */
#include <stdarg.h>
#include <stdio.h>

#include "error.h"

static const char *const status_names[OMREG_STATUS_COUNT] = {
    [OMREG_OK] = "OMREG_OK",
    [OMREG_EINVAL] = "OMREG_EINVAL",
    [OMREG_ENOMEM] = "OMREG_ENOMEM",
    [OMREG_EOVERFLOW] = "OMREG_EOVERFLOW",
    [OMREG_ESHAPE] = "OMREG_ESHAPE",
    [OMREG_ESINGULAR] = "OMREG_ESINGULAR",
    [OMREG_ENONFINITE] = "OMREG_ENONFINITE",
    [OMREG_EIO] = "OMREG_EIO",
    [OMREG_EFORMAT] = "OMREG_EFORMAT",
    [OMREG_EUNSUPPORTED] = "OMREG_EUNSUPPORTED",
    [OMREG_ECANCELED] = "OMREG_ECANCELED",
};

static _Thread_local char last_error[512];

const char *omreg_status_str(omreg_status status)
{
    if ((int)status < 0 || status >= OMREG_STATUS_COUNT)
        return "unknown status";
    return status_names[status];
}

const char *omreg_last_error(void) { return last_error; }

void omreg_clear_error(void) { last_error[0] = '\0'; }

omreg_status omreg_fail(omreg_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(last_error, sizeof last_error, fmt, ap);
    va_end(ap);
    return status;
}
