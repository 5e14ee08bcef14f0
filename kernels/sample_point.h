/* One sample of DIPY's sample_domain_regular, shared by both backends. */
#ifndef OMREG_CORE_SAMPLE_POINT_H
#define OMREG_CORE_SAMPLE_POINT_H

#include <stddef.h>
#include <stdint.h>

#include "affine_apply.h"
#include "omreg/random.h"

/* world position of sample i: grid index i*k in C order, jittered */
static inline void sample_regular_point(int dim, const size_t *shape, size_t k,
                                        const double *g2w, uint64_t seed, double sigma, size_t i,
                                        double *out)
{
    size_t flat = i * k;
    double jitter[3];
    for (int d = 0; d < dim; ++d) {
        /* draw i*dim + d: one fresh draw per sample and axis, in sample order */
        size_t draw = i * (size_t)dim + (size_t)d;
#ifdef OMREG_CANARY_SAMPLER_SHARED_DRAWS
        draw = i / 2 * (size_t)dim + (size_t)d; /* planted (ci/canaries.tsv) */
#endif
#ifdef OMREG_CANARY_SAMPLER_STREAM_SLIP
        draw = (i + 1) * (size_t)dim + (size_t)d; /* planted (ci/canaries.tsv) */
#endif
        jitter[d] = omreg_random_normal(seed, draw) * sigma;
    }
    if (dim == 2) {
        double r = (double)(flat / shape[1]) + jitter[0];
        double c = (double)(flat % shape[1]) + jitter[1];
        out[0] = affine_apply_2d(g2w, 0, r, c, 1);
        out[1] = affine_apply_2d(g2w, 1, r, c, 1);
    } else {
        size_t slice = shape[1] * shape[2];
        double s = (double)(flat / slice) + jitter[0];
        double r = (double)(flat % slice / shape[2]) + jitter[1];
        double c = (double)(flat % slice % shape[2]) + jitter[2];
        for (int row = 0; row < 3; ++row)
            out[row] = affine_apply_3d(g2w, row, s, r, c, 1);
    }
}

#endif
