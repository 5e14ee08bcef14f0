/* QC edges: Sobel gradient magnitude of a windowed panel, and the
 * edge-overlap score, the Pearson correlation of two edge-strength maps.
 * Serial loops in index order: the same bits on every backend and thread
 * count. */
#include <math.h>

#include "qc_internal.h"

static size_t clamp_index(long i, size_t n)
{
    return i < 0 ? 0 : (size_t)i >= n ? n - 1 : (size_t)i;
}

void qc_edge_strength(const double *in, size_t rows, size_t cols, double *out)
{
    for (size_t r = 0; r < rows; ++r) {
        const size_t up = clamp_index((long)r - 1, rows), dn = clamp_index((long)r + 1, rows);
        for (size_t c = 0; c < cols; ++c) {
            const size_t lf = clamp_index((long)c - 1, cols), rt = clamp_index((long)c + 1, cols);
            const double *a = in + up * cols, *m = in + r * cols, *b = in + dn * cols;
            /* Sobel: [1 2 1] smoothing across, [-1 0 1] difference along */
            const double gx = (a[rt] + 2.0 * m[rt] + b[rt]) - (a[lf] + 2.0 * m[lf] + b[lf]);
            const double gy = (b[lf] + 2.0 * b[c] + b[rt]) - (a[lf] + 2.0 * a[c] + a[rt]);
            out[r * cols + c] = sqrt(gx * gx + gy * gy) / 4.0;
        }
    }
}

double qc_edge_correlation(const double *a, const double *b, const unsigned char *inside,
                           size_t n)
{
    double sa = 0.0, sb = 0.0;
    size_t count = 0;
    for (size_t i = 0; i < n; ++i)
        if (inside[i]) {
            sa += a[i];
            sb += b[i];
            ++count;
        }
    if (count < 2)
        return 0.0;
    const double ma = sa / (double)count, mb = sb / (double)count;
    double sab = 0.0, saa = 0.0, sbb = 0.0;
    for (size_t i = 0; i < n; ++i)
        if (inside[i]) {
            const double da = a[i] - ma, db = b[i] - mb;
            sab += da * db;
            saa += da * da;
            sbb += db * db;
        }
    if (!(saa > 0.0) || !(sbb > 0.0))
        return 0.0;
    return sab / sqrt(saa * sbb);
}
