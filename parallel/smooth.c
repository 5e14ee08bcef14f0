/* Parallel Gaussian smoothing pass (scipy.ndimage.correlate1d with
 * gaussian_filter1d's symmetric weights, as DIPY 1.6 calls gaussian_filter).
 * Lines along the axis are independent; threads take them (schedule
 * (runtime)) and each works in its own buffer from the caller's scratch
 * (at most nbuffers threads). Loop order differs from the reference:
 * along the last axis the ncomp interleaved lines of a grid row are
 * filtered together in their memory order, SMOOTH_BLOCK outputs at a time
 * in registers; along other axes OMREG_SMOOTH_PANEL neighbouring lines are
 * filtered side by side, so every load and store is a contiguous run.
 * Either way each output gets its own double
 * accumulator that receives x*w[0] and then the pair terms k = r..1
 * exactly as in the reference, so the bits are the same for any thread
 * count or schedule. */
#include <omp.h>

#include "kernels_smooth.h"
#include "smooth_line.h"

/* outputs of a last-axis line computed together, in registers */
#define SMOOTH_BLOCK 8

#define FLT double
#define SFX(name) name##_f64
#include "smooth_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "smooth_body.h"
#undef FLT
#undef SFX
