/* Kernel backends. Every driver takes a backend explicitly: the serial
 * reference (the executable specification) or the OpenMP parallel one.
 * Both give bitwise identical results (DESIGN.md, the contract). */
#ifndef OMREG_BACKEND_H
#define OMREG_BACKEND_H

#include "omreg/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct omreg_backend omreg_backend;

/* The largest thread count a registration accepts (options.threads). */
#define OMREG_MAX_THREADS 4096

/** The serial reference table. Static; never freed. */
OMREG_API const omreg_backend *omreg_backend_reference(void);

/** The OpenMP production table. Static; never freed. */
OMREG_API const omreg_backend *omreg_backend_parallel(void);

/** "reference" or "parallel"; NULL for any other name. */
OMREG_API const omreg_backend *omreg_backend_by_name(const char *name);

/** The table's name. */
OMREG_API const char *omreg_backend_name(const omreg_backend *backend);

#ifdef __cplusplus
}
#endif
#endif
