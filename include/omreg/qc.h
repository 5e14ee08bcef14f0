/* Quality-control pictures of a registration: orthogonal slices through the
 * centre of a static image, drawn in grey, with the edges of a warped image
 * (or a checkerboard of the two) over them, and the edge-overlap score that
 * says in one number how well the two images' edges coincide. */
#ifndef OMREG_QC_H
#define OMREG_QC_H

#include <stddef.h>

#include "omreg/backend.h"
#include "omreg/export.h"
#include "omreg/image.h"
#include "omreg/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum omreg_qc_style {
    OMREG_QC_EDGES = 0,       /* static in grey, the warped image's edges in red over it */
    OMREG_QC_CHECKERBOARD = 1 /* squares taken alternately from static and warped, grey */
} omreg_qc_style;

typedef struct omreg_qc_options {
    omreg_qc_style style;
    /* Intensity window of each image: its low and high percentiles (numpy's
     * linear definition) over the drawn pixels inside the grid; values below
     * show black, above white. Defaults 1 and 99, so a few extreme voxels
     * do not darken the rest. 0 <= low < high <= 100. */
    double low_percentile, high_percentile;
    /* 3D only: 0 = neurological convention (the patient's right on the
     * picture's right), 1 = radiological (the patient's right on the left). */
    int radiological;
} omreg_qc_options;

/** Defaults: edges, window 1st-99th percentile, neurological convention. */
OMREG_API omreg_qc_options omreg_qc_default_options(void);

/** A finished picture: 8-bit RGB, rows top to bottom, 3 bytes a pixel. */
typedef struct omreg_qc_picture omreg_qc_picture;

/** Draw the picture of `warped` over `stat`. Both scalar images must be on
 * the same grid (same dimensionality, shape and grid-to-world affine up to
 * the float32 rounding of NIfTI headers): warped is the moving image
 * resampled on the static grid.
 *
 * 3D: three panels left to right, axial, coronal and sagittal, through the
 * world point of the centre voxel ((n - 1) / 2 on each axis), sampled on
 * world-aligned square pixels (RAS+ world as NIfTI defines it) so that
 * anisotropic or oblique grids keep their true proportions: axial with
 * anterior up, coronal and sagittal with superior up, sagittal with
 * anterior on the left; left-right per `radiological`. The pixel is the
 * grid's smallest voxel spacing, made finer when the largest extent would
 * span fewer than 192 pixels and coarser when it would span more than
 * 1024. Each image is resampled linearly (DIPY's trilinear interpolation)
 * through the backend's affine-transform kernel. 2D: one panel, the first
 * array axis down and the second across (a PNG as it is normally shown).
 *
 * Edge strength at a pixel: the Sobel gradient magnitude of the windowed
 * image (intensities mapped to [0, 1]), divided by 4 so that a unit step
 * gives 1. The edge-overlap score is the Pearson correlation between the
 * static and the warped edge strengths over the drawn pixels inside the
 * grid (all panels together): 1 when the edges coincide, near 0 when they
 * are unrelated; 0 when either image has no edge at all.
 *
 * The bytes depend only on the inputs and options, not on the backend or
 * the thread count. *out is owned by the caller (omreg_qc_picture_free).
 * Returns OMREG_EINVAL (NULL, bad option), OMREG_ESHAPE (a field, or the
 * grids differ; the message says how), OMREG_ENONFINITE, OMREG_ESINGULAR,
 * OMREG_ENOMEM. */
OMREG_API omreg_status omreg_qc_render(const omreg_backend *backend, const omreg_image *stat,
                             const omreg_image *warped, const omreg_qc_options *options,
                             omreg_qc_picture **out);

/** Free a picture; NULL is a no-op. */
OMREG_API void omreg_qc_picture_free(omreg_qc_picture *picture);

/** The picture's size in pixels (panels side by side, 4 black columns
 * between them, each panel centred vertically). */
OMREG_API size_t omreg_qc_picture_width(const omreg_qc_picture *picture);
OMREG_API size_t omreg_qc_picture_height(const omreg_qc_picture *picture);
/** width * height * 3 bytes, RGB, row-major, top row first; owned by the
 * picture. */
OMREG_API const unsigned char *omreg_qc_picture_rgb(const omreg_qc_picture *picture);
/** Number of panels: 3 for 3D images, 1 for 2D. */
OMREG_API int omreg_qc_picture_panels(const omreg_qc_picture *picture);
/** The edge-overlap score defined above, in [-1, 1]. */
OMREG_API double omreg_qc_picture_edge_score(const omreg_qc_picture *picture);

#ifdef __cplusplus
}
#endif
#endif
