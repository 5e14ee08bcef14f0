/* Counter-based random numbers: every draw is a pure function of
 * (seed, index), so parallel code gets the same values in any thread order
 * (DESIGN.md, contract item 4). Values differ from numpy's streams. */
#ifndef OMREG_RANDOM_H
#define OMREG_RANDOM_H

#include "omreg/export.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** 64 random bits for (seed, index): splitmix64's finaliser applied to
 * index * golden-ratio constant + mix(seed). */
OMREG_API uint64_t omreg_random_u64(uint64_t seed, uint64_t index);

/** Uniform double in [0, 1) with 53 random bits. */
OMREG_API double omreg_random_uniform(uint64_t seed, uint64_t index);

/** Standard normal draw (Box-Muller on the uniforms of 2*index and
 * 2*index+1; uses libm log/cos). */
OMREG_API double omreg_random_normal(uint64_t seed, uint64_t index);

#ifdef __cplusplus
}
#endif
#endif
