/* Known-answer accuracy: affine endpoint error over a masked grid. */
#include <math.h>

#include "affine_apply.h"
#include "error.h"
#include "image_internal.h"
#include "omreg/evaluate.h"
#include "omreg/matrix.h"

omreg_status omreg_affine_error(const double *est, const double *truth, const omreg_image *ref,
                                double threshold, double *mean, double *max)
{
    OMREG_RETURN_IF(est == NULL || truth == NULL || ref == NULL || mean == NULL || max == NULL,
                    OMREG_EINVAL, "affine error: NULL argument");
    int dim = ref->ndim, n1 = dim + 1;
    OMREG_RETURN_IF(!omreg_mat_is_finite(n1, est) || !omreg_mat_is_finite(n1, truth),
                    OMREG_ENONFINITE, "affine error: non-finite matrix");
    double sum = 0.0, worst = 0.0;
    size_t count = 0, n = ref->shape[0] * ref->shape[1] * ref->shape[2];
    for (size_t v = 0; v < n; ++v) {
        double val = ref->dtype == OMREG_F64 ? ((const double *)ref->data)[v * (size_t)ref->ncomp]
                                             : ((const float *)ref->data)[v * (size_t)ref->ncomp];
        if (!(val > threshold))
            continue;
        double idx[3] = {(double)(v / (ref->shape[1] * ref->shape[2])),
                         (double)(v / ref->shape[2] % ref->shape[1]), (double)(v % ref->shape[2])};
        if (dim == 2) {
            idx[0] = (double)(v / ref->shape[1]);
            idx[1] = (double)(v % ref->shape[1]);
        }
        double x[3], d2 = 0.0;
        for (int r = 0; r < dim; ++r)
            x[r] = dim == 2 ? affine_apply_2d(ref->grid2world, r, idx[0], idx[1], 1)
                            : affine_apply_3d(ref->grid2world, r, idx[0], idx[1], idx[2], 1);
        for (int r = 0; r < dim; ++r) {
            double a = dim == 2 ? affine_apply_2d(est, r, x[0], x[1], 1)
                                : affine_apply_3d(est, r, x[0], x[1], x[2], 1);
            double b = dim == 2 ? affine_apply_2d(truth, r, x[0], x[1], 1)
                                : affine_apply_3d(truth, r, x[0], x[1], x[2], 1);
            d2 += (a - b) * (a - b);
        }
        double d = sqrt(d2);
        sum += d;
        worst = fmax(worst, d);
        ++count;
    }
    OMREG_RETURN_IF(count == 0, OMREG_ESHAPE, "affine error: no voxel above %g", threshold);
    *mean = sum / (double)count;
    *max = worst;
    return OMREG_OK;
}
