/* QC pictures (include/omreg/qc.h): checks the pair, samples the panels,
 * windows both images, computes edge strengths and the edge-overlap score,
 * and composes the panels side by side: static in grey with the warped
 * image's edges blended in red, or a checkerboard of the two. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "omreg/qc.h"
#include "qc_internal.h"

/* NIfTI headers store the affine in float32 (sform) or as a quaternion, so
 * a warped file written on the static grid reads back an affine that can
 * differ from the static's in the 7th digit; a different grid differs by a
 * voxel fraction or more. Entries are compared with |a - b| <= tol (1 + |b|). */
#define QC_GRID_RTOL 1e-5
/* Edge strength (unit step = 1) where the red overlay starts and where it
 * is opaque: below 0.08 is the texture of grey and white matter in a
 * windowed brain, above 0.25 the boundaries a reader looks for. */
#define QC_EDGE_FAINT 0.08
#define QC_EDGE_OPAQUE 0.25
/* Black columns between panels, and checkerboard squares per largest side. */
enum { QC_PANEL_GAP = 4, QC_CHECKER_SQUARES = 8 };
static const double QC_EDGE_RGB[3] = {255.0, 32.0, 32.0};

struct omreg_qc_picture {
    size_t width, height;
    unsigned char *rgb;
    int panels;
    double edge_score;
};

omreg_qc_options omreg_qc_default_options(void)
{
    omreg_qc_options o = {OMREG_QC_EDGES, 1.0, 99.0, 0};
    return o;
}

static omreg_status check_pair(const omreg_image *stat, const omreg_image *warped)
{
    OMREG_RETURN_IF(omreg_image_ncomp(stat) != 1 || omreg_image_ncomp(warped) != 1, OMREG_ESHAPE,
                    "QC picture: the images must be scalar, not displacement fields");
    const int dim = omreg_image_ndim(stat), n = dim + 1;
    OMREG_RETURN_IF(omreg_image_ndim(warped) != dim, OMREG_ESHAPE,
                    "the static image is %dD but the warped image is %dD", dim,
                    omreg_image_ndim(warped));
    const size_t *s = omreg_image_shape(stat), *w = omreg_image_shape(warped);
    OMREG_RETURN_IF(s[0] != w[0] || s[1] != w[1] || (dim == 3 && s[2] != w[2]), OMREG_ESHAPE,
                    "the warped image's grid %zux%zux%zu is not the static image's %zux%zux%zu "
                    "(resample it on the static grid, e.g. omreg affine --out-warped)",
                    w[0], w[1], dim == 3 ? w[2] : (size_t)1, s[0], s[1],
                    dim == 3 ? s[2] : (size_t)1);
    const double *a = omreg_image_grid2world(warped), *b = omreg_image_grid2world(stat);
    for (int e = 0; e < n * n; ++e)
        OMREG_RETURN_IF(!(fabs(a[e] - b[e]) <= QC_GRID_RTOL * (1.0 + fabs(b[e]))), OMREG_ESHAPE,
                        "the warped image's grid-to-world affine differs from the static "
                        "image's (entry (%d, %d): %g vs %g): not on the static grid",
                        e / n, e % n, a[e], b[e]);
    return OMREG_OK;
}

static unsigned char to_byte(double v) /* v in [0, 255] */
{
    return (unsigned char)(v + 0.5);
}

/* Per-pixel values of all panels, concatenated in panel order. */
typedef struct qc_maps {
    size_t total, offset[QC_MAX_PANELS];
    double *tone[2], *edge[2]; /* windowed [0, 1]; edge strength */
    unsigned char *inside;
} qc_maps;

static void maps_free(qc_maps *m)
{
    for (int k = 0; k < 2; ++k) {
        free(m->tone[k]);
        free(m->edge[k]);
    }
    free(m->inside);
}

static omreg_status maps_compute(const qc_panels *pa, const omreg_qc_options *o, qc_maps *m)
{
    memset(m, 0, sizeof *m);
    for (int p = 0; p < pa->count; ++p) {
        m->offset[p] = m->total;
        m->total += pa->panel[p].rows * pa->panel[p].cols;
    }
    for (int k = 0; k < 2; ++k) {
        m->tone[k] = omreg_calloc(m->total, sizeof(double), "QC tones");
        if (m->tone[k] == NULL)
            return omreg_calloc_failure();
        m->edge[k] = omreg_calloc(m->total, sizeof(double), "QC edges");
        if (m->edge[k] == NULL)
            return omreg_calloc_failure();
    }
    m->inside = omreg_calloc(m->total, 1, "QC mask");
    if (m->inside == NULL)
        return omreg_calloc_failure();
    for (int k = 0; k < 2; ++k) {
        double window[2];
        OMREG_FORWARD(qc_window_from_percentiles(pa, k, o->low_percentile, o->high_percentile,
                                                 window));
        for (int p = 0; p < pa->count; ++p) {
            const qc_panel *q = &pa->panel[p];
            const size_t npix = q->rows * q->cols;
            const double *v = omreg_image_cdata(q->sampled[k]);
            double *tone = m->tone[k] + m->offset[p];
            for (size_t i = 0; i < npix; ++i)
                tone[i] = q->inside[i] ? qc_window_apply(window, v[i]) : 0.0;
            qc_edge_strength(tone, q->rows, q->cols, m->edge[k] + m->offset[p]);
            memcpy(m->inside + m->offset[p], q->inside, npix);
        }
    }
    return OMREG_OK;
}

/* One pixel's colour: grey of the static tone with the warped edge blended
 * in, or the tone of whichever image owns the checkerboard square. */
static void shade(const qc_maps *m, size_t i, int style, int warped_square, unsigned char *rgb)
{
    if (!m->inside[i]) {
        rgb[0] = rgb[1] = rgb[2] = 0;
        return;
    }
    if (style == OMREG_QC_CHECKERBOARD) {
        rgb[0] = rgb[1] = rgb[2] = to_byte(255.0 * m->tone[warped_square][i]);
        return;
    }
    const double grey = 255.0 * m->tone[0][i];
    double alpha = (m->edge[1][i] - QC_EDGE_FAINT) / (QC_EDGE_OPAQUE - QC_EDGE_FAINT);
    alpha = alpha < 0.0 ? 0.0 : alpha > 1.0 ? 1.0 : alpha;
    for (int c = 0; c < 3; ++c)
        rgb[c] = to_byte(grey + alpha * (QC_EDGE_RGB[c] - grey));
}

static omreg_status compose(const qc_panels *pa, const qc_maps *m, int style,
                            omreg_qc_picture *pic)
{
    size_t width = QC_PANEL_GAP * (size_t)(pa->count - 1), height = 0, side = 0;
    for (int p = 0; p < pa->count; ++p) {
        width += pa->panel[p].cols;
        height = pa->panel[p].rows > height ? pa->panel[p].rows : height;
        side = pa->panel[p].cols > side ? pa->panel[p].cols : side;
    }
    side = height > side ? height : side;
    const size_t square = side / QC_CHECKER_SQUARES > 0 ? side / QC_CHECKER_SQUARES : 1;
    size_t bytes;
    OMREG_FORWARD(omreg_size_mul(&bytes, width, height));
    OMREG_FORWARD(omreg_size_mul(&bytes, bytes, 3));
    pic->rgb = omreg_calloc(bytes, 1, "QC picture");
    if (pic->rgb == NULL)
        return omreg_calloc_failure();
    pic->width = width;
    pic->height = height;
    size_t left = 0;
    for (int p = 0; p < pa->count; ++p) {
        const qc_panel *q = &pa->panel[p];
        const size_t top = (height - q->rows) / 2; /* panels centred vertically */
        for (size_t r = 0; r < q->rows; ++r)
            for (size_t c = 0; c < q->cols; ++c) {
                const int warped_square = (int)((r / square + c / square) % 2);
                shade(m, m->offset[p] + r * q->cols + c, style, warped_square,
                      pic->rgb + ((top + r) * width + left + c) * 3);
            }
        left += q->cols + QC_PANEL_GAP;
    }
    return OMREG_OK;
}

omreg_status omreg_qc_render(const omreg_backend *backend, const omreg_image *stat,
                             const omreg_image *warped, const omreg_qc_options *options,
                             omreg_qc_picture **out)
{
    OMREG_RETURN_IF(backend == NULL || stat == NULL || warped == NULL || options == NULL ||
                        out == NULL,
                    OMREG_EINVAL, "QC picture: NULL argument");
    const omreg_qc_options *o = options;
    OMREG_RETURN_IF(o->style != OMREG_QC_EDGES && o->style != OMREG_QC_CHECKERBOARD,
                    OMREG_EINVAL, "QC picture: unknown style %d", (int)o->style);
    OMREG_RETURN_IF(!(o->low_percentile >= 0.0 && o->low_percentile < o->high_percentile &&
                      o->high_percentile <= 100.0),
                    OMREG_EINVAL, "QC picture: percentiles %g, %g are not 0 <= low < high <= 100",
                    o->low_percentile, o->high_percentile);
    OMREG_FORWARD(check_pair(stat, warped));

    qc_panels panels;
    OMREG_FORWARD(qc_panels_sample(backend, stat, warped, o->radiological != 0, &panels));
    qc_maps maps;
    omreg_qc_picture *pic = NULL;
    omreg_status st = maps_compute(&panels, o, &maps);
    if (st == OMREG_OK) {
        pic = omreg_calloc(1, sizeof *pic, "QC picture");
        if (pic == NULL)
            st = omreg_calloc_failure();
    }
    if (st == OMREG_OK)
        st = compose(&panels, &maps, o->style, pic);
    if (st == OMREG_OK) {
        pic->panels = panels.count;
        pic->edge_score = qc_edge_correlation(maps.edge[0], maps.edge[1], maps.inside,
                                              maps.total);
        *out = pic;
    } else {
        omreg_qc_picture_free(pic);
    }
    maps_free(&maps);
    qc_panels_free(&panels);
    return st;
}

void omreg_qc_picture_free(omreg_qc_picture *picture)
{
    if (picture == NULL)
        return;
    free(picture->rgb);
    free(picture);
}

size_t omreg_qc_picture_width(const omreg_qc_picture *picture) { return picture->width; }
size_t omreg_qc_picture_height(const omreg_qc_picture *picture) { return picture->height; }
const unsigned char *omreg_qc_picture_rgb(const omreg_qc_picture *picture)
{
    return picture->rgb;
}
int omreg_qc_picture_panels(const omreg_qc_picture *picture) { return picture->panels; }
double omreg_qc_picture_edge_score(const omreg_qc_picture *picture)
{
    return picture->edge_score;
}
