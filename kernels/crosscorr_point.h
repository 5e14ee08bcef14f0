/* Per-voxel arithmetic of DIPY crosscorr.pyx shared by both backends: the
 * low-end wrap of the 3D sweep, the five window terms, the factors from the
 * window sums and the CC step at one voxel. */
#ifndef OMREG_CORE_CROSSCORR_POINT_H
#define OMREG_CORE_CROSSCORR_POINT_H

#include <stddef.h>

/* Window sums, in DIPY's order (SI, SI2, SJ, SJ2, SIJ; 2D adds CNT). */
enum { CC_SI = 0, CC_SI2 = 1, CC_SJ = 2, CC_SJ2 = 3, CC_SIJ = 4, CC_CNT = 5 };

/* x mod m in [0, m) for m > 0. DIPY's _wrap adds m once to a negative x,
 * which is the same for -m <= x < 0, the only range it is defined on. */
static inline ptrdiff_t cc_wrap(ptrdiff_t x, ptrdiff_t m)
{
    const ptrdiff_t y = x % m;
    return y < 0 ? y + m : y;
}

/* Term k of the 3D window sums from one voxel (DIPY _update_factors: both
 * values are read into double first, so squares and products are exact
 * in double for float32 images). */
static inline double cc_term(int k, double sval, double mval)
{
    switch (k) {
    case CC_SI:
        return sval;
    case CC_SI2:
        return sval * sval;
    case CC_SJ:
        return mval;
    case CC_SJ2:
        return mval * mval;
    default:
        return sval * mval;
    }
}

#define FLT double
#define SFX(name) name##_f64
#include "crosscorr_point_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "crosscorr_point_body.h"
#undef FLT
#undef SFX

#endif
