/* Parallel local cross-correlation kernels (DIPY crosscorr.pyx,
 * kernels_crosscorr.h). Where the loop order differs from the reference and
 * why the bits do not:
 * - 2D sliding windows: DIPY's columns are independent (each starts from a
 *   zeroed ring), so columns are shared out with one ring buffer per thread;
 *   each column runs the reference's sequence (cc_column_2d).
 * - 3D sliding windows: DIPY's sweep is one dependence chain per window sum
 *   over the whole volume, not only along s: a row's first radius cells
 *   read the stale sums the previous row left at the wrapped columns, and a
 *   slab's first radius rows those the previous slab's last rows left;
 *   exact arithmetic cancels them, floating point does not (replacing them
 *   by clean sums changes most output bits), so no row or slab can start
 *   before its predecessor ends. The five sums never mix, but splitting
 *   them across threads only trades the processor's overlap of five
 *   independent chains for threads (measured slower), and handing the
 *   factors of finished slabs to other threads made the sweep itself
 *   slower (they re-read the slab and compete for memory). So this kernel
 *   is serial: the reference's sequence of operations per sum, with the
 *   interior cells (every bounds test true, no wrap) on a branch-free path
 *   that keeps the left neighbour's sums in registers and computes each
 *   window's factors as soon as its sums are complete.
 * - Brute force: voxels are independent; shared out by grid row.
 * - Steps: shared out by grid row = energy block; each block's partial goes
 *   to scratch[block] and one thread adds them in block order, the
 *   reference's sequence of additions. */
#include "crosscorr_point.h"
#include "kernels_crosscorr.h"

#include <omp.h>

#define FLT double
#define SFX(name) name##_f64
#include "crosscorr_body.h"
#undef FLT
#undef SFX

#define FLT float
#define SFX(name) name##_f32
#include "crosscorr_body.h"
#undef FLT
#undef SFX
