/* Parallel kernels of the SSD metric and its multigrid solver (DIPY 1.6
 * sumsqdiff.pyx; kernels_sumsqdiff.h). Every loop is split by grid row
 * (one i in 2D, one (k, i) pair in 3D) with schedule(runtime).
 * Where the order differs from the reference, and why the bits do not:
 * - reductions (energy, demons energy, residual norm, sweep maximum): each
 *   row's partial is computed by one thread in the reference's order and
 *   stored in scratch[row]; one thread then combines the partials in row
 *   order, the reference's exact sequence of additions (the maximum is
 *   exact anyway);
 * - the red-black sweep: each colour is one worksharing loop (an
 *   orphaned `omp for` in a helper), and an explicit barrier between them
 *   orders colour 0 before colour 1 as in the reference; inside a colour
 *   no voxel reads another's output (its neighbours have the other
 *   colour), so the order of rows is immaterial;
 * - pointwise kernels (demons field, residual field, addition) write each
 *   voxel once from inputs no other iteration writes.
 * The sweep, residual and addition run on every grid of the V-cycle, down
 * to a few voxels: below SSD_PARALLEL_MIN_VOXELS they run on one thread
 * (an `if` clause; the bits are the same for any team size), so the
 * 2k sweeps per coarse level do not each pay a fork and a barrier. */
#include "kernels_sumsqdiff.h"
#include "sumsqdiff_point.h"

/* grids (values, for the addition) below this run on one thread */
#define SSD_PARALLEL_MIN_VOXELS ((size_t)4096)

/* elements per task of the flat field addition */
#define ADD_CHUNK ((size_t)4096)

#define FLT double
#define SFX(name) name##_f64
#include "sumsqdiff_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "sumsqdiff_body.h"
#undef FLT
#undef SFX
