/* The NIfTI writer's transposition, in slabs: C order (last axis fastest)
 * to the file's order (first axis fastest) is the reversal of the axes.
 * A slab is `layers` consecutive values of one axis k at fixed values of
 * the axes after it, over all of axes 0..k-1: a contiguous run of the file.
 * Slab element `in + nin * l` (in: the position over axes 0..k-1 in file
 * order, l < layers) is C element `off + cbase(in) + l * cstride[k]`; for
 * each in, the `layers` reads are cstride[k] apart, so an axis k near C's
 * fast end reads whole cache lines. The rows of a slab (fixed axes 1..k-1,
 * axis 0 running) are cut into tiles of consecutive x, each written by
 * one call (io's serial / OpenMP pair, io/nifti_slab_reference.c and
 * io/parallel/nifti_slab.c, share the tiles out); the bytes are a copy,
 * the same for any team or schedule. */
#ifndef OMREG_IO_NIFTI_SLAB_H
#define OMREG_IO_NIFTI_SLAB_H

#include <stddef.h>
#include <string.h>

typedef struct omreg_nii_slab {
    size_t esize; /* 4 or 8 */
    int ndim, k;  /* k: the layer axis */
    size_t nx;    /* row length: shape[0] when k >= 1, else 1 */
    size_t nrows; /* rows per layer: product of shape[1..k-1] (1 when k <= 1) */
    size_t nin;   /* elements per layer: nx * nrows */
    size_t shape[7], cstride[7];
} omreg_nii_slab;

/* Copies `layers` layers of the slab starting at C element `off` (the
 * slab's first layer at in = 0) from src into out (layers * nin elements).
 * nthreads (>= 1): the parallel kernel's team size; the reference ignores
 * it. */
typedef void omreg_nii_slab_fn(int nthreads, const omreg_nii_slab *g, const unsigned char *src,
                               size_t off, size_t layers, unsigned char *out);

omreg_nii_slab_fn omreg_ref_nii_slab;
omreg_nii_slab_fn omreg_par_nii_slab;

/* x per tile: one cache line of output per (row, layer) */
enum { OMREG_NII_SLAB_TILE = 16 };

static inline size_t omreg_nii_slab_tiles(const omreg_nii_slab *g)
{
    return (g->nx + OMREG_NII_SLAB_TILE - 1) / OMREG_NII_SLAB_TILE;
}

/* Tile t of the slab with a constant element size (inlined per size): x in
 * [t TILE, (t + 1) TILE) of every row and layer. Rows inner: for fixed x
 * the reads walk C memory forwards. */
static inline void omreg_nii_slab_tile_sized(const omreg_nii_slab *g, const unsigned char *src,
                                             size_t off, size_t layers, unsigned char *out,
                                             size_t t, size_t esize)
{
    /* locals: the stores (char type) may alias *g, so nothing is reread */
    const size_t xs = (g->k >= 1 ? g->cstride[0] : 0) * esize, ls = g->cstride[g->k] * esize;
    const size_t nx = g->nx, nrows = g->nrows, os = g->nin * esize;
    const size_t x0 = t * OMREG_NII_SLAB_TILE;
    const size_t x1 = nx - x0 < OMREG_NII_SLAB_TILE ? nx : x0 + OMREG_NII_SLAB_TILE;
    for (size_t r = 0; r < nrows; ++r) {
        size_t base = off, rem = r; /* C offset of (0, row r's axes 1..k-1) */
        for (int d = 1; d < g->k; ++d) {
            base += (rem % g->shape[d]) * g->cstride[d];
            rem /= g->shape[d];
        }
        const unsigned char *s = src + base * esize + x0 * xs;
        unsigned char *o = out + (r * nx + x0) * esize;
        for (size_t x = x0; x < x1; ++x, s += xs, o += esize)
            for (size_t l = 0; l < layers; ++l)
                memcpy(o + l * os, s + l * ls, esize);
    }
}

/* Tile t (< omreg_nii_slab_tiles(g)) of the slab at C element off. */
static inline void omreg_nii_slab_tile(const omreg_nii_slab *g, const unsigned char *src,
                                       size_t off, size_t layers, unsigned char *out, size_t t)
{
    if (g->esize == 4)
        omreg_nii_slab_tile_sized(g, src, off, layers, out, t, 4);
    else
        omreg_nii_slab_tile_sized(g, src, off, layers, out, t, 8);
}

#endif
