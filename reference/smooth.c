/* Reference Gaussian smoothing pass (scipy.ndimage.correlate1d with
 * gaussian_filter1d's symmetric weights, as DIPY 1.6 calls gaussian_filter):
 * for every line along `axis`, copy it to a double buffer, extend it with
 * scipy's boundary rule, and store out[i] = x[i]*w[0] + sum_{k=r..1}
 * (x[i-k] + x[i+k])*w[k], rounded to the element type. */
#include "kernels_smooth.h"
#include "smooth_line.h"

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
