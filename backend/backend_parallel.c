/* The parallel backend tables, one per instruction set, each filled in full
 * from the kernel list (kernels/kernel_list.h) with the omreg_par_ kernels,
 * then overwritten where kernels/isa_list.h lists a SIMD variant (BLIS's
 * context init): avx2's table takes the avx2 variants, avx512's the avx2
 * and then the avx512 ones. All three are static const; which one
 * omreg_backend_parallel() returns is decided at each call, from
 * omreg_isa_select(), else OMREG_ISA, else the best this CPU runs
 * (__builtin_cpu_supports, which also checks that the OS saves the
 * registers). A forced ISA the CPU lacks is an error, never a fallback: the
 * suite run per ISA would pass trivially. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "error.h"

/* the variant lines of one ISA: .k = omreg_par_k_isa for that ISA's lines */
#define TAKE_avx2_avx2(k) .k = omreg_par_##k##_avx2,
#define TAKE_avx2_avx512(k)
#define TAKE_avx512_avx2(k)
#define TAKE_avx512_avx512(k) .k = omreg_par_##k##_avx512,

/* A later designated initialiser of a slot replaces the earlier one (C11
 * 6.7.9p19): each table is the full list, then its variants. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"

static const struct omreg_backend table_baseline = {
    .name = "parallel",
    .isa = "baseline",
    .default_threads = 0, /* OpenMP's current count */
#define OMREG_KERNEL(k) .k = omreg_par_##k,
#include "kernel_list.h"
};

static const struct omreg_backend table_avx2 = {
    .name = "parallel",
    .isa = "avx2",
    .default_threads = 0,
#define OMREG_KERNEL(k) .k = omreg_par_##k,
#include "kernel_list.h"
#define OMREG_ISA_VARIANT(k, isa) TAKE_avx2_##isa(k)
#include "isa_list.h"
};

static const struct omreg_backend table_avx512 = {
    .name = "parallel",
    .isa = "avx512",
    .default_threads = 0,
#define OMREG_KERNEL(k) .k = omreg_par_##k,
#include "kernel_list.h"
#define OMREG_ISA_VARIANT(k, isa) TAKE_avx2_##isa(k)
#include "isa_list.h"
#define OMREG_ISA_VARIANT(k, isa) TAKE_avx512_##isa(k)
#include "isa_list.h"
};

#pragma GCC diagnostic pop

enum { ISA_BASELINE, ISA_AVX2, ISA_AVX512, ISA_COUNT };

static const struct {
    const char *name;
    const struct omreg_backend *table;
} isas[ISA_COUNT] = {
    [ISA_BASELINE] = {"baseline", &table_baseline},
    [ISA_AVX2] = {"avx2", &table_avx2},
    [ISA_AVX512] = {"avx512", &table_avx512},
};

/* the ISA omreg_isa_select() chose; -1: none (OMREG_ISA, else the best) */
static atomic_int selected = -1;

/* the ISAs tests make this CPU pretend to lack (bit per ISA) */
static atomic_uint hidden;

void omreg_isa_hide_for_test(const char *name)
{
    unsigned bits = 0;
    for (int i = 0; name != NULL && i < ISA_COUNT; ++i)
        if (strcmp(name, isas[i].name) == 0)
            bits = 1u << i;
    atomic_store(&hidden, bits);
}

static int cpu_runs(int isa)
{
    if (atomic_load(&hidden) >> isa & 1)
        return 0;
    switch (isa) {
    case ISA_AVX2:
        return __builtin_cpu_supports("avx2");
    case ISA_AVX512:
        /* the variants use F (8-lane doubles, masks) and VL/DQ/BW forms */
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
    default:
        return 1;
    }
}

static int isa_index(const char *name)
{
    for (int i = 0; i < ISA_COUNT; ++i)
        if (strcmp(name, isas[i].name) == 0)
            return i;
    return -1;
}

/* name -> ISA index the CPU runs; `origin` names the setting in messages */
static omreg_status resolve(const char *name, const char *origin, int *out)
{
    int isa = isa_index(name);
    OMREG_RETURN_IF(isa < 0, OMREG_EINVAL, "%s%s: unknown ISA (baseline, avx2, avx512)", origin,
                    name);
    OMREG_RETURN_IF(!cpu_runs(isa), OMREG_EUNSUPPORTED,
                    "%s%s: this CPU does not support %s (forced ISAs never fall back)", origin,
                    name, isa == ISA_AVX2 ? "AVX2" : "AVX-512 F/VL/DQ/BW");
    *out = isa;
    return OMREG_OK;
}

const omreg_backend *omreg_backend_parallel(void)
{
    int isa = atomic_load(&selected);
    if (isa >= 0)
        return isas[isa].table;
    const char *env = getenv("OMREG_ISA");
    if (env != NULL && *env != '\0' && strcmp(env, "auto") != 0)
        return resolve(env, "OMREG_ISA=", &isa) == OMREG_OK ? isas[isa].table : NULL;
    for (isa = ISA_COUNT - 1; !cpu_runs(isa); --isa)
        ;
    return isas[isa].table;
}

omreg_status omreg_isa_select(const char *name)
{
    if (name == NULL || strcmp(name, "auto") == 0) {
        atomic_store(&selected, -1);
        return OMREG_OK;
    }
    int isa;
    OMREG_FORWARD(resolve(name, "ISA ", &isa));
    atomic_store(&selected, isa);
    return OMREG_OK;
}

int omreg_isa_supported(const char *name)
{
    int isa = name != NULL ? isa_index(name) : -1;
    return isa >= 0 && cpu_runs(isa);
}

const char *omreg_backend_isa(const omreg_backend *backend) { return backend->isa; }
