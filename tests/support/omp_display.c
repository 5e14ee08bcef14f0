/* OMP_DISPLAY_ENV output (omp_display.h). libgomp prints
 * "  OMP_WAIT_POLICY = 'ACTIVE'" and, verbose, "  GOMP_SPINCOUNT = '0'";
 * libomp prints "  [host] OMP_WAIT_POLICY='ACTIVE'" and
 * "  [host] KMP_BLOCKTIME='0'". An unset OMP_WAIT_POLICY shows as PASSIVE
 * in both, which is why passive is read from the spin count / block time. */
#include "omp_display.h"

#include <stddef.h>
#include <string.h>

static const char begin[] = "OPENMP DISPLAY ENVIRONMENT BEGIN";
static const char end[] = "OPENMP DISPLAY ENVIRONMENT END";

int omp_display_blocks(const char *text)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, begin)) != NULL; p += sizeof begin - 1)
        ++n;
    return n;
}

int omp_display_reexec_blocks(const char *text)
{
    /* libomp names its settings KMP_*; libgomp prints none of those */
    return strstr(text, "KMP_") != NULL ? 1 : 2;
}

const char *omp_display_last(const char *text)
{
    const char *last = NULL;
    for (const char *p = text; (p = strstr(p, begin)) != NULL; p += sizeof begin - 1)
        last = p;
    return last;
}

/* needle inside [block, block_end) */
static int within(const char *block, const char *block_end, const char *needle)
{
    const char *p = strstr(block, needle);
    return p != NULL && p < block_end;
}

const char *omp_display_wait(const char *text)
{
    const char *block = omp_display_last(text);
    if (block == NULL)
        return NULL;
    const char *stop = strstr(block, end);
    if (stop == NULL)
        stop = block + strlen(block);
    if (within(block, stop, "OMP_WAIT_POLICY = 'ACTIVE'") ||
        within(block, stop, "OMP_WAIT_POLICY='ACTIVE'"))
        return "active";
    if (within(block, stop, "GOMP_SPINCOUNT = '0'") || within(block, stop, "KMP_BLOCKTIME='0'"))
        return "passive";
    return "default";
}
