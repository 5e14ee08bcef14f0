/* Parallel EM-metric kernels (DIPY 1.6 expectmax.pyx; kernels_expectmax.h).
 * Loop order vs the reference: threads take whole blocks of
 * OMREG_REDUCE_BLOCK voxels; every block's partials (range, class counts,
 * class sums, squared deviations, energy) go to the block's own row of the
 * caller's scratch, computed by the same shared routines
 * (expectmax_point.h) as the reference's. The totals are then formed per
 * class (classes in parallel, each class adding its block partials in block
 * order from 0) or, for the energy and the range, by one thread in block
 * order: exactly the reference's sequence of operations per output, so the
 * bits do not depend on threads or schedule. Min, max and counts are exact,
 * so their block merge equals the reference's single serial pass. Per-voxel
 * outputs (classes, steps) are written once by the thread owning the block. */
#include "expectmax_point.h"
#include "kernels_expectmax.h"

#define FLT double
#define SFX(name) name##_f64
#include "expectmax_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "expectmax_body.h"
#undef FLT
#undef SFX
