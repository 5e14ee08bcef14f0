/* The parallel backend table, filled in full from the kernel list
 * (kernels/kernel_list.h): every slot points at an omreg_par_ kernel. */
#include "backend.h"

static const struct omreg_backend table = {
    .name = "parallel",
    .default_threads = 0, /* OpenMP's current count */
#define OMREG_KERNEL(k) .k = omreg_par_##k,
#include "kernel_list.h"
};

const omreg_backend *omreg_backend_parallel(void) { return &table; }
