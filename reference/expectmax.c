/* Reference EM-metric kernels (DIPY 1.6 expectmax.pyx; kernels_expectmax.h):
 * quantize_positive_{2,3}d, compute_masked_class_stats_{2,3}d and
 * compute_em_demons_step_{2,3}d, serial, voxels in C order. The class sums
 * and the energy follow the canonical block order (blocks of
 * OMREG_REDUCE_BLOCK voxels; serially, adding each block's partials to the
 * totals as soon as the block is done is the same arithmetic as storing
 * them and adding them afterwards). The range (min, max) and the counts are
 * exact in any order, so they are computed in one serial pass as DIPY does. */
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
