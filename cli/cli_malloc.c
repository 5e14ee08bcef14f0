/* Heap policy of the omreg command (not of the library). A 1 mm volume's
 * float32 vector field is 85 MB; glibc serves any block above its mmap
 * threshold (at most 32 MB) with a fresh mmap and returns it with munmap,
 * so every temporary the SyN loop allocates is faulted in page by page and
 * zeroed by the kernel again: 1.13M page faults and 9 s of system time for
 * syn3d at 1 mm. Keeping large blocks on the heap and never trimming it
 * lets freed blocks be reused as they are: 344k faults, 3.2 s system time,
 * peak RSS +0.9 % (bench/README.md). GLIBC_TUNABLES set by the user win. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

void cli_malloc_defaults(void);

void cli_malloc_defaults(void)
{
#ifdef __GLIBC__
    const char *tunables = getenv("GLIBC_TUNABLES");
    if (tunables != NULL && strstr(tunables, "glibc.malloc.") != NULL)
        return;
    mallopt(M_MMAP_MAX, 0);             /* large blocks from the heap, reusable */
    mallopt(M_TRIM_THRESHOLD, INT_MAX); /* and the heap is never given back early */
#endif
}
