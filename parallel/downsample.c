/* Parallel 2x down-sampling of images and displacement fields (DIPY
 * vector_fields.pyx downsample_{scalar,displacement}_field_{2,3}d).
 * Loop order differs from the reference: the reference (like DIPY) scatters
 * input voxels into a zeroed output in input raster order; here each output
 * cell gathers its own 1..2^d input cells. A cell's sum still starts at 0
 * and adds its inputs in input raster order (slice, then row, then column),
 * which is exactly the order in which the scatter reaches that cell, and the
 * division by the count is the same FLT operation, so the bits are equal.
 * Split by output row (2D) or (slice, row) pair (3D); cells never share
 * memory, so nothing depends on the thread count or schedule. */
#include "kernels_resample_field.h"

#define FLT double
#define SFX(name) name##_f64
#include "downsample_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "downsample_body.h"
#undef FLT
#undef SFX
