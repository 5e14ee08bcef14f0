/* Synthetic test images (phantom.h). */
#include "phantom.h"

#include <math.h>

#include "image_internal.h"
#include "omreg_test.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"
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


void omreg_test_affine_pair(const omreg_backend *b, int dim, double *g2w,
                            omreg_image **s, omreg_image **m)
{
    static const size_t shape3[3] = {22, 20, 18}, shape2[2] = {56, 52};
    const size_t *shape = dim == 3 ? shape3 : shape2;
    omreg_mat_identity(dim + 1, g2w);
    for (int k = 0; k < dim; ++k) {
        g2w[k * (dim + 1) + k] = 1.0 + 0.1 * k;
        g2w[k * (dim + 1) + dim] = -0.5 * (double)shape[k];
    }
    g2w[1] = 0.05; /* a little obliquity */
    *s = omreg_test_blobs(dim, shape, g2w, 7);
    double truth[16], inv[16];
    omreg_mat_identity(dim + 1, truth);
    truth[0] = truth[dim + 2] = cos(0.07);
    truth[1] = -sin(0.07);
    truth[dim + 1] = sin(0.07);
    truth[dim] = 1.5;
    assert_int_equal(omreg_mat_inverse(dim + 1, truth, inv), OMREG_OK);
    assert_int_equal(omreg_affine_map_transform(b, inv, 0, *s, shape, g2w, 0, m), OMREG_OK);
}
