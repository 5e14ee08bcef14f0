/* Synthetic test images (phantom.h). */
#include "phantom.h"

#include <math.h>

#include "image_internal.h"
#include "omreg_test.h"
#include "omreg/random.h"

void omreg_test_add_blob(omreg_image *img, const double *centre, double width,
                         double amplitude)
{
    const int dim = img->ndim;
    const size_t *shape = img->shape;
    double *d = img->data;
    const size_t n = omreg_image_voxels(img);
    for (size_t v = 0; v < n; ++v) {
        size_t idx[3];
        if (dim == 3) {
            idx[0] = v / (shape[1] * shape[2]);
            idx[1] = v / shape[2] % shape[1];
            idx[2] = v % shape[2];
        } else {
            idx[0] = v / shape[1];
            idx[1] = v % shape[1];
        }
        double r2 = 0;
        for (int k = 0; k < dim; ++k)
            r2 += ((double)idx[k] - centre[k]) * ((double)idx[k] - centre[k]);
        d[v] += amplitude * exp(-r2 / (2 * width * width));
    }
}

omreg_image *omreg_test_blobs(int dim, const size_t *shape, const double *g2w, uint64_t seed)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, 1, OMREG_F64, g2w), OMREG_OK);
    for (int b = 0; b < 10; ++b) {
        double c[3], w = 1.5 + 2.5 * omreg_random_uniform(seed, 100 + (uint64_t)b);
        double a = 50 + 150 * omreg_random_uniform(seed, 200 + (uint64_t)b);
        for (int k = 0; k < dim; ++k)
            c[k] = (0.2 + 0.6 * omreg_random_uniform(seed, 300 + (uint64_t)(3 * b + k))) *
                   (double)shape[k];
        omreg_test_add_blob(img, c, w, a);
    }
    return img;
}

