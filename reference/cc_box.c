/* Reference box-sum CC factors (kernels_cc_box.h): slab by slab (3D) or row
 * by row (2D), the axis-0 box sums of the five terms, then those along
 * axis 1 (then axis 2), then the factors; one scratch buffer. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "cc_box_line.h"
#include "kernels.h"

#define FLT double
#define SFX(name) name##_f64
#include "cc_box.c"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "cc_box.c"
#undef FLT
#undef SFX

#else /* FLT: the type-generic body */

void SFX(omreg_ref_cc_box_factors_2d)(int nthreads, const FLT *stat, const FLT *mov,
                                      const size_t shape[2], size_t radius, double *scratch,
                                      FLT *factors)
{
    (void)nthreads;
    const ptrdiff_t nr = (ptrdiff_t)shape[0], rad = (ptrdiff_t)radius;
    for (ptrdiff_t r = 0; r < nr; ++r) {
        ptrdiff_t first, last;
        cc_box_window(r, rad, nr, &first, &last);
        SFX(cc_box_row_2d)(stat, mov, shape, rad, r, first, last, scratch, factors);
    }
}

void SFX(omreg_ref_cc_box_factors_3d)(int nthreads, const FLT *stat, const FLT *mov,
                                      const size_t shape[3], size_t radius, double *scratch,
                                      FLT *factors)
{
    (void)nthreads;
    const ptrdiff_t ns = (ptrdiff_t)shape[0], rad = (ptrdiff_t)radius;
    double *slab = scratch, *row = scratch + 5 * shape[1] * shape[2];
    for (ptrdiff_t s = 0; s < ns; ++s) {
        ptrdiff_t first, last;
        cc_box_window(s, rad, ns, &first, &last);
        SFX(cc_box_slab_3d)(stat, mov, shape, rad, s, first, last, slab, row, factors);
    }
}

#endif /* FLT */
