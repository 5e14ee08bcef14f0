/* Included first by the vector-field kernel files (reference/ and parallel/
 * compose.c, invert.c, simplify_warp.c, reorient.c), before any function.
 *
 * GCC 12 (Debian 12.2) miscompiles float storage kept in local arrays once
 * it vectorizes it: after SLP turns `float v[2]; v[c] = w * f[c]; ...
 * x[c] = t * v[c] + d[c]` into vector code, it folds the vector pair
 * (double)(float)y into y, silently dropping the rounding to float that C
 * (and DIPY's `floating` arrays) require. -ffp-contract=off does not stop
 * it; -fno-tree-vectorize does. Seen here as 1-ulp float32 differences from
 * DIPY in composition and inversion. Vectorization buys little in these
 * branchy interpolation loops, so it is turned off for these files only;
 * clang is unaffected and never sees the pragma. */
#ifndef OMREG_CORE_VECTOR_FIELDS_FP_GUARD_H
#define OMREG_CORE_VECTOR_FIELDS_FP_GUARD_H

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-tree-vectorize")
#endif

#endif
