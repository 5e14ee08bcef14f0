/* Reference numpy.gradient (unit spacing, edge_order 1) of 2D and 3D
 * images into a field, as DIPY 1.6's SyN metrics use it
 * (kernels_numpy_gradient.h): voxels in C order, axes in order. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "kernels.h"
#include "numpy_gradient_point.h"

#define FLT double
#define SFX(name) name##_f64
#include "numpy_gradient.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "numpy_gradient.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_ref_numpy_gradient_2d)(int nthreads, const FLT *img, const size_t shape[2], FLT *out)
{
    (void)nthreads;
    const size_t nr = shape[0], nc = shape[1];
    for (size_t i = 0; i < nr; ++i)
        for (size_t j = 0; j < nc; ++j) {
            const size_t v = i * nc + j;
            out[2 * v] = SFX(numpy_diff)(img + v, i, nr, nc);
            out[2 * v + 1] = SFX(numpy_diff)(img + v, j, nc, 1);
        }
}

void SFX(omreg_ref_numpy_gradient_3d)(int nthreads, const FLT *img, const size_t shape[3], FLT *out)
{
    (void)nthreads;
    const size_t ns = shape[0], nr = shape[1], nc = shape[2];
    for (size_t k = 0; k < ns; ++k)
        for (size_t i = 0; i < nr; ++i)
            for (size_t j = 0; j < nc; ++j) {
                const size_t v = (k * nr + i) * nc + j;
                out[3 * v] = SFX(numpy_diff)(img + v, k, ns, nr * nc);
                out[3 * v + 1] = SFX(numpy_diff)(img + v, i, nr, nc);
                out[3 * v + 2] = SFX(numpy_diff)(img + v, j, nc, 1);
            }
}

#endif /* FLT */
