/* The reference backend table, filled in full from the kernel list
 * (kernels/kernel_list.h): every slot points at an omreg_ref_ kernel. */
#include "backend.h"

static const struct omreg_backend table = {
    .name = "reference",
    .isa = "baseline",
    .default_threads = 1,
#define OMREG_KERNEL(k) .k = omreg_ref_##k,
#include "kernel_list.h"
};

const omreg_backend *omreg_backend_reference(void) { return &table; }
