/* Reference kernels of the SSD metric and its multigrid solver (DIPY 1.6
 * sumsqdiff.pyx; kernels_sumsqdiff.h): energy, demons step, red-black
 * Gauss-Seidel sweep, residual and field addition, as plain serial loops
 * with the canonical row-block reductions; plus the raster-order
 * (lexicographic) sweep that is DIPY's own, kept for the golden test. */
#include "kernels_sumsqdiff.h"
#include "sumsqdiff_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "sumsqdiff_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "sumsqdiff_body.h"
#undef FLT
#undef SFX
