/* The pieces of a QC picture (include/omreg/qc.h) shared by its files:
 * panels sampled on world-aligned pixels (qc_slices.c), intensity windows
 * (qc_window.c), edge strength and the edge-overlap score (qc_edges.c); the
 * composition and the public entry point are in qc_picture.c. */
#ifndef OMREG_CORE_QC_INTERNAL_H
#define OMREG_CORE_QC_INTERNAL_H

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/image.h"
#include "omreg/status.h"

enum { QC_MAX_PANELS = 3 };

/* One slice of both images on the same square pixels, rows top to bottom. */
typedef struct qc_panel {
    size_t rows, cols;
    omreg_image *sampled[2];   /* [0] static, [1] warped: float64, rows * cols values */
    unsigned char *inside;     /* 1 where the pixel's world point lies within the grid */
} qc_panel;

typedef struct qc_panels {
    int count;
    qc_panel panel[QC_MAX_PANELS];
} qc_panels;

/* Sample stat and warped (same grid) on the panels described in qc.h:
 * three orthogonal slices through the centre voxel in 3D, one in 2D. On
 * failure everything allocated is freed and *out is left empty. */
omreg_status qc_panels_sample(const omreg_backend *backend, const omreg_image *stat,
                              const omreg_image *warped, int radiological, qc_panels *out);
void qc_panels_free(qc_panels *panels);

/* The intensities at the low and high percentiles (numpy's linear
 * definition) of image `which` (0 static, 1 warped) over the inside pixels
 * of every panel: window[0], window[1]. */
omreg_status qc_window_from_percentiles(const qc_panels *panels, int which, double low_pct,
                                        double high_pct, double window[2]);

/* (v - window[0]) / (window[1] - window[0]) clamped to [0, 1]; a window of
 * zero width maps v <= window[0] to 0 and above it to 1. */
double qc_window_apply(const double window[2], double v);

/* Sobel gradient magnitude / 4 of the rows x cols panel `in` (replicated
 * border), so that a unit step gives 1: out[r * cols + c]. */
void qc_edge_strength(const double *in, size_t rows, size_t cols, double *out);

/* Pearson correlation of a and b over the n entries where inside[i] != 0,
 * in index order (two passes: means, then centred sums); 0 when either has
 * zero variance or fewer than two entries count. */
double qc_edge_correlation(const double *a, const double *b, const unsigned char *inside,
                           size_t n);

#endif
