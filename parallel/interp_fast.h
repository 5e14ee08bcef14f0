/* Trilinear lookup for the parallel kernels, with the bits of DIPY's
 * _interpolate_scalar_3d (kernels/interp_point_body.h, the specification).
 * Where the whole 2x2x2 cell lies inside the grid, which is every point but
 * those within one voxel of the border, all eight of the reference's bounds
 * tests hold: this path drops them, takes the floors by truncation (the
 * point is in (-1, n), so floor is the truncation, one less below 0), and
 * adds the eight terms in the reference's order into a local FLT (the
 * reference accumulates in *out, an FLT, rounding after every term as this
 * does). Other points (outside or on the border) go to the reference's
 * lookup. */
#ifndef OMREG_PARALLEL_INTERP_FAST_H
#define OMREG_PARALLEL_INTERP_FAST_H

#include <stddef.h>

#include "interp_point.h"

/* inlined into every caller even six times over (the gradient): a call
 * costs a fifth of the lookup */
#define OMREG_ALWAYS_INLINE __attribute__((always_inline))

#define FLT double
#define SFX(name) name##_f64
#include "interp_fast_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "interp_fast_body.h"
#undef FLT
#undef SFX

#endif
