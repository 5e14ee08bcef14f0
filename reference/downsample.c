/* Reference 2x down-sampling of images and displacement fields (DIPY
 * vector_fields.pyx downsample_{scalar,displacement}_field_{2,3}d): output
 * cell c = x / 2 (integer division per axis, so shape (n + 1) / 2) holds the
 * mean of the input cells that fall in it. As in DIPY, the output starts at
 * 0, input voxels are scattered into it in raster order (FLT additions),
 * then each cell is divided by its count (in FLT). The counts are computed
 * from the shape instead of DIPY's count array: 2 per axis, 1 on the last
 * cell of an odd axis. */
#include "kernels_resample_field.h"

/* number of input cells along an axis of n that fall in output cell c */
static inline size_t half_count(size_t n, size_t c) { return 2 * c + 1 < n ? 2 : 1; }

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
