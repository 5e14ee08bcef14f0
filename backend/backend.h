/* The backend table: one function pointer per kernel, slot name = kernel
 * stem (slot x, functions omreg_ref_x and omreg_par_x), the slots expanded
 * from the kernel list (kernels/kernel_list.h). Drivers call kernels only
 * through a table; both tables are static const and filled in full from the
 * same list (backend/backend_reference.c, backend/backend_parallel.c). */
#ifndef OMREG_CORE_BACKEND_H
#define OMREG_CORE_BACKEND_H

#include "kernels.h"
#include "omreg/backend.h"

struct omreg_backend {
    const char *name;
    /* the instruction set its kernels were compiled for: "baseline" (the
     * reference, and the parallel table without SIMD variants), "avx2",
     * "avx512" (kernels/isa_list.h) */
    const char *isa;
    /* the thread count a run takes when none is requested: > 0 that count
     * (1 for the serial reference), 0 OpenMP's current count */
    int default_threads;
    /* one pointer per kernel, in the order of the list */
#define OMREG_KERNEL(k) omreg_##k##_fn *k;
#include "kernel_list.h"
};

/* The thread count of one run (a registration, or one call of a public
 * entry point): `requested` when > 0, else the table's default
 * (default_threads: 1 for the reference; 0, OpenMP's current count, for the
 * parallel table). Read once when the run starts; every per-thread scratch
 * of the run is sized from it and the same count goes to its kernels, so a
 * caller changing OpenMP's count mid-run (a progress callback) changes
 * nothing. */
static inline int omreg_backend_threads(const struct omreg_backend *b, int requested)
{
    if (requested > 0)
        return requested;
    return b->default_threads > 0 ? b->default_threads : omreg_par_max_threads();
}

/* Tests only: make the ISA named (one; NULL: none) look absent from this
 * CPU, so that forcing it shows the error a CPU without it gives. */
void omreg_isa_hide_for_test(const char *name);

#endif
