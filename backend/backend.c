/* Backend lookup by name and the name accessor. */
#include <string.h>

#include "backend.h"

const omreg_backend *omreg_backend_by_name(const char *name)
{
    if (name == NULL)
        return NULL;
    if (strcmp(name, "reference") == 0)
        return omreg_backend_reference();
    if (strcmp(name, "parallel") == 0)
        return omreg_backend_parallel();
    return NULL;
}

const char *omreg_backend_name(const omreg_backend *backend) { return backend->name; }
