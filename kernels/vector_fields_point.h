/* One voxel of DIPY's displacement-field kernels (vector_fields.pyx
 * _compose_vector_fields_{2,3}d, invert_vector_field_fixed_point_{2,3}d,
 * simplify_warp_function_{2,3}d, reorient_vector_field_{2,3}d), shared by
 * both backends, plus the serial block combiners of the canonical
 * reductions (kernels_vector_fields.h). */
#ifndef OMREG_CORE_VECTOR_FIELDS_POINT_H
#define OMREG_CORE_VECTOR_FIELDS_POINT_H

#include <math.h>
#include <stddef.h>

#include "affine_apply.h"
#include "interp_point.h"
#include "kernels_vector_fields.h"

/* The trilinear field lookup of composition and inversion: DIPY's
 * (interp_point.h) unless the including kernel names one with the same bits
 * (parallel/interp_fast.h) before including this header. */
#ifndef VECTOR_FIELDS_LOOKUP_3D
#define VECTOR_FIELDS_LOOKUP_3D SFX(interp_vector_3d)
#endif

/* Composition statistics from the row partials {sum nn, sum nn^2, max nn,
 * count} in block order, then DIPY's formulas. With no voxel inside,
 * 0 / 0 makes the mean and std NaN exactly as DIPY's `meanNorm /= cnt`. */
static inline void compose_stats_combine(const double *scratch, size_t nrows, double stats[3])
{
    double max_norm = 0, mean_norm = 0, std_norm = 0, cnt = 0;
    for (size_t b = 0; b < nrows; ++b) {
        const double *s = scratch + OMREG_COMPOSE_SCRATCH_PER_ROW * b;
        mean_norm += s[0];
        std_norm += s[1];
        if (max_norm < s[2])
            max_norm = s[2];
        cnt += s[3];
    }
    mean_norm /= cnt;
    stats[0] = sqrt(max_norm);
    stats[1] = sqrt(mean_norm);
    stats[2] = sqrt(std_norm / cnt - mean_norm * mean_norm);
}

/* Inversion residual {sum |q|, max |q|} from the row partials in block
 * order (max is exact, so only the sum depends on the order). */
static inline void invert_residual_combine(const double *scratch, size_t nrows, double out[2])
{
    double error = 0, difmag = 0;
    for (size_t b = 0; b < nrows; ++b) {
        const double *s = scratch + OMREG_INVERT_SCRATCH_PER_ROW * b;
        error += s[0];
        if (difmag < s[1])
            difmag = s[1];
    }
    out[0] = error;
    out[1] = difmag;
}

/* DIPY's step factor: epsilon where |q| <= maxlen, else epsilon*maxlen/|q| */
static inline double invert_step_factor(double norm, double epsilon, double maxlen)
{
    return norm > maxlen ? epsilon * maxlen / norm : epsilon;
}

#define FLT double
#define SFX(name) name##_f64
#include "vector_fields_point_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "vector_fields_point_body.h"
#undef FLT
#undef SFX

#endif
