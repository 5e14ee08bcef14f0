/* Parallel box-sum CC factors (kernels_cc_box.h). Every slab (3D) or row
 * (2D) of output depends only on the images: slabs / rows are shared out,
 * each thread with its own scratch buffer, and each runs the reference's
 * sequence of operations (cc_box_line.h), so every box sum is added in the
 * reference's order whatever the threads and schedule. */
/* Instantiated here: under #ifndef FLT the file includes itself by name, once with FLT
 * double and SFX _f64, once with float and _f32; the part after #else is the body. */
#ifndef FLT
#include "cc_box_line.h"
#include "kernels.h"

#include <omp.h>

/* the window of output slab / row i on an axis of n voxels */
static inline void par_box_window(ptrdiff_t i, ptrdiff_t rad, ptrdiff_t n, ptrdiff_t *first,
                                  ptrdiff_t *last)
{
    cc_box_window(i, rad, n, first, last);
#ifdef OMREG_CANARY_CC_BOX_DROP_BORDER
    /* planted (ci/canaries.tsv): the high border's windows lose their last
     * slab / row */
    if (*last == n - 1 && *last > *first)
        --*last;
#endif
}

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

void SFX(omreg_par_cc_box_factors_2d)(int nthreads, const FLT *stat, const FLT *mov,
                                      const size_t shape[2], size_t radius, double *scratch,
                                      FLT *factors)
{
    const ptrdiff_t nr = (ptrdiff_t)shape[0], rad = (ptrdiff_t)radius;
    const size_t per_thread = omreg_cc_box_scratch_2d(shape);
#pragma omp parallel num_threads(nthreads)
    {
        double *buf = scratch + (size_t)omp_get_thread_num() * per_thread;
#pragma omp for schedule(runtime)
        for (ptrdiff_t r = 0; r < nr; ++r) {
            ptrdiff_t first, last;
            par_box_window(r, rad, nr, &first, &last);
            SFX(cc_box_row_2d)(stat, mov, shape, rad, r, first, last, buf, factors);
        }
    }
}

void SFX(omreg_par_cc_box_factors_3d)(int nthreads, const FLT *stat, const FLT *mov,
                                      const size_t shape[3], size_t radius, double *scratch,
                                      FLT *factors)
{
    const ptrdiff_t ns = (ptrdiff_t)shape[0], rad = (ptrdiff_t)radius;
    const size_t per_thread = omreg_cc_box_scratch_3d(shape);
#pragma omp parallel num_threads(nthreads)
    {
        double *slab = scratch + (size_t)omp_get_thread_num() * per_thread;
        double *row = slab + 5 * shape[1] * shape[2];
#pragma omp for schedule(runtime)
        for (ptrdiff_t s = 0; s < ns; ++s) {
            ptrdiff_t first, last;
            par_box_window(s, rad, ns, &first, &last);
            SFX(cc_box_slab_3d)(stat, mov, shape, rad, s, first, last, slab, row, factors);
        }
    }
}

#endif /* FLT */
