/* QC panels: orthogonal slices through the centre voxel, sampled on square
 * world-aligned pixels (RAS+ world) through the backend's affine-transform
 * kernel (DIPY AffineMap.transform, trilinear), so anisotropic and oblique
 * grids keep their proportions. Each panel is a one-slice grid whose
 * grid-to-world maps (0, row, col) to the pixel's world point. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "error.h"
#include "omreg/affine.h"
#include "omreg/matrix.h"
#include "qc_internal.h"

/* Pixel count along the largest world extent: at least this many (small or
 * coarse grids are magnified) and at most the other (huge grids shrunk). */
enum { QC_MIN_SPAN_PX = 192, QC_MAX_SPAN_PX = 1024 };
/* A pixel whose grid coordinate is within this of the grid's first or last
 * voxel centre counts as inside: the panel's first and last pixels sit
 * exactly on the extreme voxel centres, up to rounding in the matrices. */
#define QC_INSIDE_SLACK 1e-6

/* World box of the voxel centres and the world point of the centre voxel. */
typedef struct grid_box {
    double lo[3], hi[3], centre[3];
} grid_box;

static void world_point(int dim, const double *g2w, const double *grid, double *world)
{
    const int n = dim + 1;
    for (int r = 0; r < dim; ++r) {
        double s = g2w[r * n + dim];
        for (int c = 0; c < dim; ++c)
            s += g2w[r * n + c] * grid[c];
        world[r] = s;
    }
}

static grid_box box_of(const omreg_image *img)
{
    const int dim = omreg_image_ndim(img);
    const size_t *shape = omreg_image_shape(img);
    const double *g2w = omreg_image_grid2world(img);
    grid_box b;
    double grid[3] = {0.0, 0.0, 0.0}, w[3];
    for (int d = 0; d < dim; ++d) {
        b.lo[d] = INFINITY;
        b.hi[d] = -INFINITY;
        grid[d] = 0.5 * (double)(shape[d] - 1);
    }
    world_point(dim, g2w, grid, b.centre);
    for (int corner = 0; corner < (1 << dim); ++corner) {
        for (int d = 0; d < dim; ++d)
            grid[d] = (corner >> d) & 1 ? (double)(shape[d] - 1) : 0.0;
        world_point(dim, g2w, grid, w);
        for (int d = 0; d < dim; ++d) {
            b.lo[d] = fmin(b.lo[d], w[d]);
            b.hi[d] = fmax(b.hi[d], w[d]);
        }
    }
    return b;
}

/* The square pixel's side in mm (see QC_MIN_SPAN_PX). */
static omreg_status pixel_size(const omreg_image *img, const grid_box *b, double *pixel)
{
    const int dim = omreg_image_ndim(img);
    double direction[9], spacing[3], extent = 0.0;
    OMREG_FORWARD(omreg_get_direction_and_spacings(dim, omreg_image_grid2world(img), direction,
                                                   spacing));
    double p = spacing[0];
    for (int d = 0; d < dim; ++d) {
        p = fmin(p, spacing[d]);
        extent = fmax(extent, b->hi[d] - b->lo[d]);
    }
    if (extent > 0.0 && extent / p < QC_MIN_SPAN_PX)
        p = extent / QC_MIN_SPAN_PX;
    if (extent / p > QC_MAX_SPAN_PX)
        p = extent / QC_MAX_SPAN_PX;
    *pixel = p;
    return OMREG_OK;
}

/* pixels covering [0, extent] from the first voxel centre to the last */
static size_t span_pixels(double extent, double pixel)
{
    return (size_t)floor(extent / pixel + 1e-6) + 1;
}

/* One panel's pixel grid: world point of pixel (row, col) is
 * origin + row * pixel * down + col * pixel * across. */
typedef struct panel_geometry {
    double origin[3], down[3], across[3], normal[3];
    size_t rows, cols;
} panel_geometry;

/* The panel's (dim+1)^2 grid-to-world: one-slice 3D grids (0, row, col),
 * or 2D grids (row, col). */
static void panel_grid2world(int dim, const panel_geometry *g, double pixel, double *g2w)
{
    const int n = dim + 1;
    omreg_mat_identity(n, g2w);
    const double *cols3[3] = {g->normal, g->down, g->across};
    const double *const *cols = dim == 3 ? cols3 : cols3 + 1;
    for (int r = 0; r < dim; ++r) {
        for (int c = 0; c < dim; ++c)
            g2w[r * n + c] = cols[c][r] * pixel;
        g2w[r * n + dim] = g->origin[r];
    }
}

/* inside[pixel] = 1 where the pixel's grid coordinate in img lies within
 * [0, n - 1] on every axis (the values there come from the image alone). */
static omreg_status mark_inside(const omreg_image *img, const double *panel_g2w,
                                const panel_geometry *g, unsigned char *inside)
{
    const int dim = omreg_image_ndim(img), n = dim + 1;
    const size_t *shape = omreg_image_shape(img);
    double w2g[16], comp[16];
    OMREG_FORWARD(omreg_mat_inverse(n, omreg_image_grid2world(img), w2g));
    omreg_mat_mul(n, w2g, panel_g2w, comp); /* panel grid -> image grid */
    for (size_t r = 0; r < g->rows; ++r)
        for (size_t c = 0; c < g->cols; ++c) {
            const double pg[3] = {0.0, (double)r, (double)c};
            const double *p = dim == 3 ? pg : pg + 1;
            double q[3];
            world_point(dim, comp, p, q);
            unsigned char in = 1;
            for (int d = 0; d < dim; ++d)
                in &= q[d] >= -QC_INSIDE_SLACK && q[d] <= (double)(shape[d] - 1) + QC_INSIDE_SLACK;
            inside[r * g->cols + c] = in;
        }
    return OMREG_OK;
}

static omreg_status sample_panel(const omreg_backend *backend, const omreg_image *const img[2],
                                 const panel_geometry *g, double pixel, qc_panel *out)
{
    const int dim = omreg_image_ndim(img[0]);
    double g2w[16];
    panel_grid2world(dim, g, pixel, g2w);
    const size_t shape3[3] = {1, g->rows, g->cols};
    const size_t *shape = dim == 3 ? shape3 : shape3 + 1;
    size_t npix;
    OMREG_FORWARD(omreg_size_mul(&npix, g->rows, g->cols));
    out->rows = g->rows;
    out->cols = g->cols;
    out->inside = omreg_calloc(npix, 1, "QC panel mask");
    if (out->inside == NULL)
        return omreg_calloc_failure();
    OMREG_FORWARD(mark_inside(img[0], g2w, g, out->inside));
    for (int which = 0; which < 2; ++which) {
        OMREG_FORWARD(omreg_affine_map_transform(backend, NULL, 0, img[which], shape, g2w, 0,
                                                 &out->sampled[which]));
        const double *v = omreg_image_cdata(out->sampled[which]);
        for (size_t i = 0; i < npix; ++i)
            OMREG_RETURN_IF(!isfinite(v[i]), OMREG_ENONFINITE,
                            "QC picture: the %s image has a NaN or infinite voxel next to the "
                            "drawn slices", which ? "warped" : "static");
    }
    return OMREG_OK;
}

static void set3(double *v, double x, double y, double z)
{
    v[0] = x;
    v[1] = y;
    v[2] = z;
}

/* Axial (anterior up), coronal and sagittal (superior up, anterior left);
 * x runs left to right (neurological) or right to left (radiological). */
static int panel_layout(int dim, const grid_box *b, double pixel, int radiological,
                        panel_geometry *g)
{
    memset(g, 0, 3 * sizeof *g);
    if (dim == 2) { /* rows along world axis 0, columns along axis 1 */
        set3(g[0].origin, b->lo[0], b->lo[1], 0.0);
        set3(g[0].down, 1.0, 0.0, 0.0);
        set3(g[0].across, 0.0, 1.0, 0.0);
        g[0].rows = span_pixels(b->hi[0] - b->lo[0], pixel);
        g[0].cols = span_pixels(b->hi[1] - b->lo[1], pixel);
        return 1;
    }
    const double x0 = radiological ? b->hi[0] : b->lo[0], xdir = radiological ? -1.0 : 1.0;
    const size_t nx = span_pixels(b->hi[0] - b->lo[0], pixel),
                 ny = span_pixels(b->hi[1] - b->lo[1], pixel),
                 nz = span_pixels(b->hi[2] - b->lo[2], pixel);
    /* axial: z = centre, rows from anterior (y high) down, columns along x */
    set3(g[0].origin, x0, b->hi[1], b->centre[2]);
    set3(g[0].down, 0.0, -1.0, 0.0);
    set3(g[0].across, xdir, 0.0, 0.0);
    set3(g[0].normal, 0.0, 0.0, 1.0);
    g[0].rows = ny;
    g[0].cols = nx;
    /* coronal: y = centre, rows from superior down, columns along x */
    set3(g[1].origin, x0, b->centre[1], b->hi[2]);
    set3(g[1].down, 0.0, 0.0, -1.0);
    set3(g[1].across, xdir, 0.0, 0.0);
    set3(g[1].normal, 0.0, 1.0, 0.0);
    g[1].rows = nz;
    g[1].cols = nx;
    /* sagittal: x = centre, rows from superior down, columns anterior to posterior */
    set3(g[2].origin, b->centre[0], b->hi[1], b->hi[2]);
    set3(g[2].down, 0.0, 0.0, -1.0);
    set3(g[2].across, 0.0, -1.0, 0.0);
    set3(g[2].normal, 1.0, 0.0, 0.0);
    g[2].rows = nz;
    g[2].cols = ny;
    return 3;
}

omreg_status qc_panels_sample(const omreg_backend *backend, const omreg_image *stat,
                              const omreg_image *warped, int radiological, qc_panels *out)
{
    memset(out, 0, sizeof *out);
    const int dim = omreg_image_ndim(stat);
    const grid_box b = box_of(stat);
    double pixel;
    OMREG_FORWARD(pixel_size(stat, &b, &pixel));
    panel_geometry g[QC_MAX_PANELS];
    const int count = panel_layout(dim, &b, pixel, radiological, g);
    const omreg_image *const img[2] = {stat, warped};
    for (int p = 0; p < count; ++p) {
        out->count = p + 1; /* so that a failure frees what this panel holds */
        omreg_status st = sample_panel(backend, img, &g[p], pixel, &out->panel[p]);
        if (st != OMREG_OK) {
            qc_panels_free(out);
            return st;
        }
    }
    return OMREG_OK;
}

void qc_panels_free(qc_panels *panels)
{
    if (panels == NULL)
        return;
    for (int p = 0; p < panels->count; ++p) {
        omreg_image_free(panels->panel[p].sampled[0]);
        omreg_image_free(panels->panel[p].sampled[1]);
        free(panels->panel[p].inside);
    }
    memset(panels, 0, sizeof *panels);
}
