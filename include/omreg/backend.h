/* Kernel backends. Every driver takes a backend explicitly: the serial
 * reference (the executable specification) or the OpenMP parallel one.
 * Both give bitwise identical results (DESIGN.md, the contract). */
#ifndef OMREG_BACKEND_H
#define OMREG_BACKEND_H

#include "omreg/export.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct omreg_backend omreg_backend;

/* The largest thread count a registration accepts (options.threads). */
#define OMREG_MAX_THREADS 4096

/** The serial reference table. Static; never freed. */
OMREG_API const omreg_backend *omreg_backend_reference(void);

/** The OpenMP production table for the instruction set in force: the one
 * omreg_isa_select() chose, else the environment variable OMREG_ISA
 * (baseline, avx2, avx512; unset, empty or "auto": no choice), else the best
 * this CPU runs. Every ISA's table gives the same bits. Static; never
 * freed. NULL when OMREG_ISA names an unknown ISA or one this CPU lacks (a
 * forced ISA never falls back), with the reason in omreg_last_error(). */
OMREG_API const omreg_backend *omreg_backend_parallel(void);

/** "reference" or "parallel" (as omreg_backend_parallel(), so NULL also
 * when OMREG_ISA cannot be honoured); NULL for any other name. */
OMREG_API const omreg_backend *omreg_backend_by_name(const char *name);

/** The table's name. */
OMREG_API const char *omreg_backend_name(const omreg_backend *backend);

/** The instruction set of the table's kernels: "baseline" (the reference
 * table, and the parallel one without SIMD), "avx2" or "avx512". Static. */
OMREG_API const char *omreg_backend_isa(const omreg_backend *backend);

/** Choose the parallel table's ISA for the whole process, over OMREG_ISA:
 * "baseline", "avx2", "avx512", or NULL / "auto" to drop the choice. Tables
 * already fetched keep theirs. Returns OMREG_EINVAL for an unknown name,
 * OMREG_EUNSUPPORTED for an ISA this CPU lacks (the choice is then
 * unchanged). */
OMREG_API omreg_status omreg_isa_select(const char *name);

/** 1 when this CPU (and its OS) runs the ISA named, else 0 (unknown names
 * and NULL too). */
OMREG_API int omreg_isa_supported(const char *name);

#ifdef __cplusplus
}
#endif
#endif
