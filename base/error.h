/* Internal error helpers: record a formatted message in the thread-local
 * buffer and return a status. Only serial code (entry points, drivers) may
 * fail; kernels never call these. */
#ifndef OMREG_CORE_ERROR_H
#define OMREG_CORE_ERROR_H

#include "omreg/status.h"

#if defined(__GNUC__)
#define OMREG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define OMREG_PRINTF(a, b)
#endif

/* Store the message and return status, so callers can `return omreg_fail(...)`. */
omreg_status omreg_fail(omreg_status status, const char *fmt, ...) OMREG_PRINTF(2, 3);

#define OMREG_RETURN_IF(cond, status, ...)                                     \
    do {                                                                       \
        if (cond)                                                              \
            return omreg_fail((status), __VA_ARGS__);                          \
    } while (0)

#define OMREG_FORWARD(expr)                                                    \
    do {                                                                       \
        omreg_status omreg_forward_status_ = (expr);                           \
        if (omreg_forward_status_ != OMREG_OK)                                 \
            return omreg_forward_status_;                                      \
    } while (0)

#endif
