/* Reference local cross-correlation kernels (DIPY crosscorr.pyx): the five
 * windowed factors by DIPY's sliding windows and by brute force, and the CC
 * forward/backward steps with their energy (kernels_crosscorr.h). Plain
 * loops in DIPY's order; the step energy is summed per grid row, rows in
 * order (the canonical order). */
#include "crosscorr_point.h"
#include "kernels_crosscorr.h"

#define FLT double
#define SFX(name) name##_f64
#include "crosscorr_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "crosscorr_body.h"
#undef FLT
#undef SFX
