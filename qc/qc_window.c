/* QC intensity windows: the low and high percentiles of the drawn pixels
 * inside the grid (numpy.percentile's linear interpolation between the two
 * nearest order statistics), so that a few extreme voxels set neither end
 * of the grey scale. */
#include <stdlib.h>

#include "alloc.h"
#include "error.h"
#include "qc_internal.h"

static int compare_doubles(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* numpy: position q / 100 * (n - 1) in the sorted values, linear between */
static double percentile_sorted(const double *sorted, size_t n, double q)
{
    const double pos = q / 100.0 * (double)(n - 1);
    size_t below = (size_t)pos;
    if (below >= n - 1)
        return sorted[n - 1];
    const double frac = pos - (double)below;
    return sorted[below] + frac * (sorted[below + 1] - sorted[below]);
}

omreg_status qc_window_from_percentiles(const qc_panels *panels, int which, double low_pct,
                                        double high_pct, double window[2])
{
    size_t n = 0;
    for (int p = 0; p < panels->count; ++p) {
        const qc_panel *pa = &panels->panel[p];
        for (size_t i = 0; i < pa->rows * pa->cols; ++i)
            n += pa->inside[i];
    }
    if (n == 0) { /* nothing of the grid is drawn: any window draws black */
        window[0] = 0.0;
        window[1] = 1.0;
        return OMREG_OK;
    }
    double *values = omreg_calloc(n, sizeof *values, "QC window values");
    if (values == NULL)
        return omreg_calloc_failure();
    size_t k = 0;
    for (int p = 0; p < panels->count; ++p) {
        const qc_panel *pa = &panels->panel[p];
        const double *v = omreg_image_cdata(pa->sampled[which]);
        for (size_t i = 0; i < pa->rows * pa->cols; ++i)
            if (pa->inside[i])
                values[k++] = v[i];
    }
    qsort(values, n, sizeof *values, compare_doubles);
    window[0] = percentile_sorted(values, n, low_pct);
    window[1] = percentile_sorted(values, n, high_pct);
    free(values);
    return OMREG_OK;
}

double qc_window_apply(const double window[2], double v)
{
    const double width = window[1] - window[0];
    if (!(width > 0.0))
        return v > window[0] ? 1.0 : 0.0;
    const double t = (v - window[0]) / width;
    return t < 0.0 ? 0.0 : t > 1.0 ? 1.0 : t;
}
