/* One derivative of numpy.gradient (unit spacing, edge_order 1) at index i
 * of a line of n values spaced `stride` elements apart, shared by both
 * backends (kernels_numpy_gradient.h). Type-generic: defines
 * numpy_diff_f64 and numpy_diff_f32. */
#ifndef OMREG_CORE_NUMPY_GRADIENT_POINT_H
#define OMREG_CORE_NUMPY_GRADIENT_POINT_H

#include <stddef.h>

#define OMREG_NUMPY_DIFF(FLT, SFX)                                                             \
    static inline FLT numpy_diff_##SFX(const FLT *f, size_t i, size_t n, size_t stride)       \
    {                                                                                          \
        if (n < 2)                                                                             \
            return 0; /* numpy raises: callers reject such axes */                             \
        if (i == 0)                                                                            \
            return (FLT)(f[stride] - f[0]); /* (f[1] - f[0]) / 1.0 */                          \
        if (i == n - 1)                                                                        \
            return (FLT)(f[0] - f[-(ptrdiff_t)stride]);                                        \
        FLT d = (FLT)(f[stride] - f[-(ptrdiff_t)stride]);                                      \
        return (FLT)(d / (FLT)2);                                                              \
    }
OMREG_NUMPY_DIFF(double, f64)
OMREG_NUMPY_DIFF(float, f32)
#undef OMREG_NUMPY_DIFF

#endif
