/* Every kernel family's slot types, and the declarations of both
 * definitions of every slot (omreg_ref_k and omreg_par_k), expanded from
 * the kernel list (kernel_list.h). reference/, parallel/ and backend/
 * include this header, so a definition whose type differs from its slot's
 * does not compile. Every slot takes the run's thread count first (int
 * nthreads >= 1, kernel_list.h); no kernel reads OpenMP's ambient count. */
#ifndef OMREG_KERNELS_H
#define OMREG_KERNELS_H

#include "kernels_cc_box.h"
#include "kernels_center_of_mass.h"
#include "kernels_crosscorr.h"
#include "kernels_expectmax.h"
#include "kernels_fast_mi.h"
#include "kernels_field_generators.h"
#include "kernels_gradient.h"
#include "kernels_interpolate.h"
#include "kernels_numpy_gradient.h"
#include "kernels_parzen.h"
#include "kernels_pointwise.h"
#include "kernels_reduce.h"
#include "kernels_resample_field.h"
#include "kernels_smooth.h"
#include "kernels_sumsqdiff.h"
#include "kernels_syn_pointwise.h"
#include "kernels_transform.h"
#include "kernels_vector_fields.h"
#include "kernels_warp.h"

#define OMREG_KERNEL(k) omreg_##k##_fn omreg_ref_##k, omreg_par_##k;
#include "kernel_list.h"

/* the SIMD variants of the parallel definitions (isa_list.h) */
#define OMREG_ISA_VARIANT(k, isa) omreg_##k##_fn omreg_par_##k##_##isa;
#include "isa_list.h"

/* Not a kernel: the parallel backend's default thread count,
 * omp_get_max_threads() (OpenMP is linked into parallel/ only). Read once
 * when a run starts, through omreg_backend_threads() (backend/backend.h),
 * into the run's context (api/api_run.h), never by a kernel. */
int omreg_par_max_threads(void);

#endif
