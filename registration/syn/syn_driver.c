/* SymmetricDiffeomorphicRegistration.optimize (DIPY 1.6 imwarp.py): scale
 * spaces of both float32 images, two DiffeomorphicMaps (static -> reference
 * with no prealign, moving -> reference with prealign^-1) on the coarsest
 * static grid, then from the coarsest level to the finest: expand the
 * fields, and iterate (_iterate) while the level's iteration budget lasts
 * and the energy derivative exceeds opt_tol. Each iteration warps both
 * level images to the reference, lets the metric compute a forward and a
 * backward step, zeroes their boundary, scales them to unit maximum norm,
 * composes them (times step_length) into the maps' forward fields, and
 * re-inverts the fields both ways by fixed-point iteration. At the end the
 * two half-way maps are composed: moving_to_ref.warp_endomorphism(
 * static_to_ref.inverse()).inverse(). O(parameters) work here; voxel loops
 * run in the backend, directly or through the unchecked api/ runs
 * (api_run.h) on buffers sized once per level (level_buffers). */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "api_run.h"
#include "diffeomap_internal.h"
#include "error.h"
#include "image_internal.h"
#include "kernels_vector_fields.h"
#include "omreg/matrix.h"
#include "omreg/syn.h"
#include "omreg/vector_fields.h"
#include "syn_internal.h"

omreg_syn_metric_options omreg_syn_metric_default_options(omreg_syn_metric_type type)
{
    omreg_syn_metric_options o;
    memset(&o, 0, sizeof o);
    o.type = type;
    o.sigma_diff = 2.0;
    o.radius = 4;
    o.q_levels = 256;
    o.double_gradient = 1;
    o.gs_order = OMREG_SSD_ORDER_LEXICOGRAPHIC; /* DIPY's */
    if (type == OMREG_SYN_EM) {
        o.smooth = 1.0;
        o.inner_iter = 5;
        o.step_type = OMREG_SYN_STEP_GAUSS_NEWTON;
    } else {
        o.smooth = 4.0;
        o.inner_iter = 10;
        o.step_type = OMREG_SYN_STEP_DEMONS;
    }
    return o;
}

omreg_syn_options omreg_syn_default_options(omreg_syn_metric_type type)
{
    omreg_syn_options o;
    memset(&o, 0, sizeof o);
    o.metric = omreg_syn_metric_default_options(type);
    o.nlevels = 3;
    o.level_iters[0] = 100;
    o.level_iters[1] = 100;
    o.level_iters[2] = 25;
    o.step_length = 0.25;
    o.ss_sigma_factor = 0.2;
    o.opt_tol = 1e-5;
    o.inv_iter = 20;
    o.inv_tol = 1e-3;
    return o;
}

static int same_word(const char *a, const char *b)
{
    for (; *a && *b; ++a, ++b)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    return *a == *b;
}

omreg_status omreg_syn_metric_from_name(const char *name, omreg_syn_metric_type *type)
{
    static const char *const names[OMREG_SYN_METRIC_COUNT] = {"cc", "ssd", "em"};
    OMREG_RETURN_IF(name == NULL || type == NULL, OMREG_EINVAL, "SyN metric: NULL argument");
    for (int i = 0; i < OMREG_SYN_METRIC_COUNT; ++i)
        if (same_word(name, names[i])) {
            *type = (omreg_syn_metric_type)i;
            return OMREG_OK;
        }
    return omreg_fail(OMREG_EINVAL, "unknown SyN metric '%s' (cc, ssd or em)", name);
}

omreg_status omreg_syn_step_type_from_name(const char *name, omreg_syn_step_type *type)
{
    static const char *const names[OMREG_SYN_STEP_TYPE_COUNT] = {"demons", "gauss_newton"};
    OMREG_RETURN_IF(name == NULL || type == NULL, OMREG_EINVAL, "SyN step type: NULL argument");
    for (int i = 0; i < OMREG_SYN_STEP_TYPE_COUNT; ++i)
        if (same_word(name, names[i])) {
            *type = (omreg_syn_step_type)i;
            return OMREG_OK;
        }
    return omreg_fail(OMREG_EINVAL, "unknown step type '%s' (demons or gauss_newton)", name);
}

static omreg_status check_options(const omreg_syn_options *o)
{
    const omreg_syn_metric_options *m = &o->metric;
    OMREG_RETURN_IF((int)m->type < 0 || m->type >= OMREG_SYN_METRIC_COUNT, OMREG_EINVAL,
                    "SyN: unknown metric %d", (int)m->type);
    OMREG_RETURN_IF((int)m->step_type < 0 || m->step_type >= OMREG_SYN_STEP_TYPE_COUNT,
                    OMREG_EINVAL, "SyN: unknown step type %d", (int)m->step_type);
    OMREG_RETURN_IF(o->nlevels < 1 || o->nlevels > OMREG_SYN_MAX_LEVELS, OMREG_EINVAL,
                    "SyN: %d levels (1..%d)", o->nlevels, OMREG_SYN_MAX_LEVELS);
    for (int i = 0; i < o->nlevels; ++i)
        OMREG_RETURN_IF(o->level_iters[i] < 0, OMREG_EINVAL,
                        "SyN: level_iters[%d] = %d is negative", i, o->level_iters[i]);
    OMREG_RETURN_IF(!isfinite(o->step_length) || !(o->step_length > 0), OMREG_EINVAL,
                    "SyN: step length %g is not a finite value > 0", o->step_length);
    OMREG_RETURN_IF(!isfinite(o->ss_sigma_factor) || !(o->ss_sigma_factor >= 0), OMREG_EINVAL,
                    "SyN: ss_sigma_factor %g is not a finite value >= 0", o->ss_sigma_factor);
    OMREG_RETURN_IF(isnan(o->opt_tol), OMREG_EINVAL, "SyN: opt_tol is NaN");
    OMREG_RETURN_IF(o->inv_iter < 0, OMREG_EINVAL, "SyN: inv_iter %d is negative", o->inv_iter);
    OMREG_RETURN_IF(!isfinite(o->inv_tol), OMREG_EINVAL, "SyN: inv_tol %g is not finite",
                    o->inv_tol);
    OMREG_RETURN_IF(o->threads < 0 || o->threads > OMREG_MAX_THREADS, OMREG_EINVAL,
                    "SyN: threads %d outside 0..%d", o->threads, OMREG_MAX_THREADS);
    OMREG_RETURN_IF(o->mode != OMREG_SYN_MODE_DIPY && o->mode != OMREG_SYN_MODE_FAST,
                    OMREG_EINVAL, "SyN: unknown mode %d", o->mode);
    if (m->type == OMREG_SYN_CC) {
        OMREG_RETURN_IF(m->radius < 1 || m->radius > 65535, OMREG_EINVAL,
                        "CC metric: radius %d outside 1..65535", m->radius);
        OMREG_RETURN_IF(!isfinite(m->sigma_diff) || !(m->sigma_diff >= 0), OMREG_EINVAL,
                        "CC metric: sigma_diff %g is not a finite value >= 0", m->sigma_diff);
    } else {
        OMREG_RETURN_IF(!isfinite(m->smooth) || !(m->smooth >= 0), OMREG_EINVAL,
                        "%s metric: smooth %g is not a finite value >= 0",
                        m->type == OMREG_SYN_SSD ? "SSD" : "EM", m->smooth);
        OMREG_RETURN_IF(m->inner_iter < 0, OMREG_EINVAL, "%s metric: inner_iter %d is negative",
                        m->type == OMREG_SYN_SSD ? "SSD" : "EM", m->inner_iter);
        OMREG_RETURN_IF((int)m->gs_order < 0 || m->gs_order >= OMREG_SSD_ORDER_COUNT,
                        OMREG_EINVAL, "%s metric: unknown Gauss-Seidel order %d",
                        m->type == OMREG_SYN_SSD ? "SSD" : "EM", (int)m->gs_order);
    }
    if (m->type == OMREG_SYN_EM)
        OMREG_RETURN_IF(m->q_levels < 2 || m->q_levels > 1 << 24, OMREG_EINVAL,
                        "EM metric: q_levels %d outside 2..16777216", m->q_levels);
    return OMREG_OK;
}

/* the image as float32 (DIPY: image.astype(floating)); *own is the copy to
 * free (NULL when the input already is float32) */
static omreg_status as_float32(const omreg_run_ctx *ctx, const omreg_image *img, omreg_image **own,
                               const omreg_image **f32)
{
    const omreg_backend *b = ctx->backend;
    const int nthreads = ctx->nthreads;
    *own = NULL;
    *f32 = img;
    if (img->dtype == OMREG_F32)
        return OMREG_OK;
    OMREG_FORWARD(omreg_image_create(own, img->ndim, img->shape, 1, OMREG_F32, img->grid2world));
    b->convert_f64_to_f32(nthreads, img->data, omreg_image_voxels(img), (*own)->data);
    *f32 = *own;
    return OMREG_OK;
}

/* _approximate_derivative_direct(range(n), y): the derivative at x0 = n / 2
 * of the least-squares quadratic through (x, y), solving the 3x3 normal
 * equations (x^2, x, 1) by Gaussian elimination with partial pivoting
 * (DIPY: npl.solve, LAPACK's LU; the sums of powers of x are exact). */
static double approximate_derivative(const double *y, int n)
{
    double A[3][4];
    memset(A, 0, sizeof A);
    for (int i = 0; i < n; ++i) {
        const double x = i, row[3] = {x * x, x, 1.0};
        for (int r = 0; r < 3; ++r) {
            for (int c = 0; c < 3; ++c)
                A[r][c] += row[r] * row[c];
            A[r][3] += row[r] * y[i];
        }
    }
    for (int c = 0; c < 3; ++c) {
        int p = c;
        for (int r = c + 1; r < 3; ++r)
            if (fabs(A[r][c]) > fabs(A[p][c]))
                p = r;
        if (p != c)
            for (int k = 0; k < 4; ++k) {
                double t = A[c][k];
                A[c][k] = A[p][k];
                A[p][k] = t;
            }
        for (int r = c + 1; r < 3; ++r) {
            const double f = A[r][c] / A[c][c];
            for (int k = c; k < 4; ++k)
                A[r][k] -= f * A[c][k];
        }
    }
    double beta[3];
    for (int r = 2; r >= 0; --r) {
        double s = A[r][3];
        for (int k = r + 1; k < 3; ++k)
            s -= A[r][k] * beta[k];
        beta[r] = s / A[r][r];
    }
    const double x0 = 0.5 * n;
    return 2.0 * beta[0] * x0 + beta[1];
}

/* _get_energy_derivative: the last OMREG_SYN_ENERGY_WINDOW energies divided
 * by -|their sum| (when the sum is not 0), then the quadratic fit's slope */
static double energy_derivative(const double *energies, int count)
{
    const int w = OMREG_SYN_ENERGY_WINDOW;
    double y[OMREG_SYN_ENERGY_WINDOW], ss = 0.0;
    for (int i = 0; i < w; ++i) {
        y[i] = energies[count - w + i];
        ss += y[i]; /* Python's sum: left to right from 0 */
    }
    if (ss != 0) {
        ss = ss > 0 ? -ss : ss;
        for (int i = 0; i < w; ++i)
            y[i] = y[i] / ss;
    }
    return approximate_derivative(y, w);
}

typedef struct syn_state {
    omreg_run_ctx ctx; /* the registration's backend and thread count */
    const omreg_syn_options *opt;
    int dim, level;
    syn_scale_space *static_ss, *moving_ss;
    omreg_diffeomap *static_to_ref, *moving_to_ref;
    syn_metric *metric;
    double static_direction[16]; /* (dim+1)^2, the direction of both images' scale spaces */
    double *energy_list;         /* the level's energies */
    int energy_count;
    double *norm_scratch;
    size_t norm_scratch_len;
    /* per-level buffers (the level's grid), so that an iteration allocates
     * no field of its own: the composition's output, which then trades
     * places with the map's stored field (omreg_diffeomap_exchange_*), and
     * the fixed-point inversion's residual field and row sums */
    omreg_image *compose_buf;
    double *compose_scratch;
    void *inv_q;
    double *inv_scratch;
    /* both level images warped to the level's reference grid, and the
     * forward and backward steps the metric writes */
    omreg_image *wstatic, *wmoving, *fw, *bw;
} syn_state;

static void level_buffers_free(syn_state *s)
{
    omreg_image_free(s->compose_buf);
    s->compose_buf = NULL;
    free(s->compose_scratch);
    s->compose_scratch = NULL;
    free(s->inv_q);
    s->inv_q = NULL;
    free(s->inv_scratch);
    s->inv_scratch = NULL;
    omreg_image_free(s->wstatic);
    omreg_image_free(s->wmoving);
    omreg_image_free(s->fw);
    omreg_image_free(s->bw);
    s->wstatic = s->wmoving = s->fw = s->bw = NULL;
}

/* the level's buffers for a field of `like`'s shape (called once per level) */
static omreg_status level_buffers(syn_state *s, const omreg_image *like, const syn_level *sl)
{
    level_buffers_free(s);
    const size_t nvox = omreg_image_voxels(like);
    OMREG_FORWARD(omreg_image_create(&s->compose_buf, like->ndim, like->shape, like->ncomp,
                                     like->dtype, like->grid2world));
    OMREG_FORWARD(omreg_image_create(&s->wstatic, sl->image->ndim, sl->shape, 1, OMREG_F32,
                                     sl->affine));
    OMREG_FORWARD(omreg_image_create(&s->wmoving, sl->image->ndim, sl->shape, 1, OMREG_F32,
                                     sl->affine));
    OMREG_FORWARD(omreg_image_create(&s->fw, sl->image->ndim, sl->shape, sl->image->ndim,
                                     OMREG_F32, sl->affine));
    OMREG_FORWARD(omreg_image_create(&s->bw, sl->image->ndim, sl->shape, sl->image->ndim,
                                     OMREG_F32, sl->affine));
    s->compose_scratch = omreg_calloc(omreg_vf_rows(like->ndim, like->shape),
                                      OMREG_COMPOSE_SCRATCH_PER_ROW * sizeof(double),
                                      "composition statistics scratch");
    if (s->compose_scratch == NULL)
        return omreg_calloc_failure();
    s->inv_q = omreg_calloc(nvox * (size_t)like->ncomp, omreg_dtype_size(like->dtype),
                            "inversion residual field");
    if (s->inv_q == NULL)
        return omreg_calloc_failure();
    s->inv_scratch = omreg_calloc(omreg_vf_rows(like->ndim, like->shape),
                                  OMREG_INVERT_SCRATCH_PER_ROW * sizeof(double),
                                  "inversion residual scratch");
    return s->inv_scratch != NULL ? OMREG_OK : omreg_calloc_failure();
}

/* step: zero boundary, unit maximum norm (np.sqrt(np.sum((step / spacing)**2,
 * -1)).max(); step /= nrm in float32 when nrm > 0), then the map's forward
 * field becomes compose(forward, step, None, world2grid, step_length) */
static omreg_status apply_step(syn_state *s, omreg_diffeomap *map, omreg_image *step,
                               const syn_level *l)
{
    const omreg_backend *b = s->ctx.backend;
    const int nthreads = s->ctx.nthreads;
    const size_t nvox = omreg_image_voxels(step);
    b->syn_zero_boundary_f32(nthreads, step->data, s->dim, step->shape);
    double nrm;
    b->syn_max_norm_f32(nthreads, step->data, nvox, s->dim, l->spacing, s->norm_scratch, &nrm);
    if (nrm > 0)
        b->syn_scale_f32(nthreads, step->data, nvox * (size_t)s->dim, (float)nrm);
    const omreg_image *current = omreg_diffeomap_forward(map);
    if (s->compose_buf == NULL) /* the last exchange gave back a shared field */
        OMREG_FORWARD(omreg_image_create(&s->compose_buf, s->dim, current->shape, s->dim,
                                         OMREG_F32, current->grid2world));
    omreg_image *updated = s->compose_buf;
    memcpy(updated->grid2world, current->grid2world, sizeof updated->grid2world);
    omreg_compose_vector_fields_run(&s->ctx, current, step, NULL, l->affine_inv,
                                    s->opt->step_length, updated, s->compose_scratch, NULL);
    /* the composition becomes the stored field; the old one the buffer */
    OMREG_FORWARD(omreg_diffeomap_exchange_forward(map, &updated));
    s->compose_buf = updated;
    return OMREG_OK;
}

/* field_to = invert(field_from) starting from field_to (DIPY
 * invert_vector_field_fixed_point with the level's world2grid and spacing),
 * on the run's context. Every field of both maps is float32 on the level's
 * grid, the grid the inversion's workspace (inv_q, inv_scratch) was sized
 * for. The start becomes the inverse in place; when another map shares it
 * (or it is unset: zeros), a copy does and then replaces it. */
static omreg_status invert_field(syn_state *s, omreg_diffeomap *map, int into_backward,
                                 const syn_level *l)
{
    const omreg_image *from = into_backward ? omreg_diffeomap_forward(map)
                                            : omreg_diffeomap_backward(map);
    const omreg_image *start = into_backward ? omreg_diffeomap_backward(map)
                                             : omreg_diffeomap_forward(map);
    omreg_image *target = omreg_dm_exclusive_field(map, into_backward), *copy = NULL;
    if (target == NULL || target == from) {
        OMREG_FORWARD(omreg_image_create(&copy, from->ndim, from->shape, from->ncomp, from->dtype,
                                         from->grid2world));
        const size_t bytes = omreg_image_voxels(from) * (size_t)from->ncomp *
                             omreg_dtype_size(from->dtype);
        if (start != NULL) /* on from's grid, in from's dtype */
            memcpy(copy->data, start->data, bytes);
        target = copy;
    }
    omreg_invert_fixed_point_run(&s->ctx, from, l->affine_inv, l->spacing, s->opt->inv_iter,
                                 s->opt->inv_tol, target->data, s->inv_q, s->inv_scratch, NULL,
                                 NULL);
    if (copy == NULL)
        return OMREG_OK;
    omreg_status st = into_backward ? omreg_diffeomap_exchange_backward(map, &copy)
                                    : omreg_diffeomap_exchange_forward(map, &copy);
    omreg_image_free(copy);
    return st;
}

/* _iterate: one symmetric iteration at s->level; *der = the energy
 * derivative (+inf until the window is full) */
static omreg_status iterate(syn_state *s, double *der, double *energy)
{
    const syn_level *sl = &s->static_ss->levels[s->level];
    const syn_level *ml = &s->moving_ss->levels[s->level];
    syn_metric *m = s->metric;
    omreg_status st;
#define TRY(expr)                                                                              \
    do {                                                                                       \
        if ((st = (expr)) != OMREG_OK)                                                         \
            goto done;                                                                         \
    } while (0)
    /* both level images warped to the reference grid of this level */
    omreg_dm_transform_inverse_run(&s->ctx, s->static_to_ref, sl->image, OMREG_WARP_LINEAR,
                                   sl->affine, s->wstatic);
    omreg_dm_transform_inverse_run(&s->ctx, s->moving_to_ref, ml->image, OMREG_WARP_LINEAR,
                                   sl->affine, s->wmoving);
    /* DIPY passes moving_to_ref.inverse() (static_to_ref.inverse()); the
     * metric gets the maps themselves and warps through their inverses */
    syn_metric_set_moving(m, s->wmoving, sl->affine, sl->spacing, s->static_direction);
    if (m->ops->use_moving_image_dynamics)
        TRY(m->ops->use_moving_image_dynamics(m, ml->image, s->moving_to_ref));
    syn_metric_set_static(m, s->wstatic, sl->affine, sl->spacing, s->static_direction);
    if (m->ops->use_static_image_dynamics)
        TRY(m->ops->use_static_image_dynamics(m, sl->image, s->static_to_ref));
    TRY(m->ops->initialize_iteration(m));

    TRY(m->ops->compute_forward(m, s->fw));
    TRY(apply_step(s, s->static_to_ref, s->fw, sl));
    const double fw_energy = m->ops->get_energy(m);
    TRY(m->ops->compute_backward(m, s->bw));
    TRY(apply_step(s, s->moving_to_ref, s->bw, sl));
    const double bw_energy = m->ops->get_energy(m);

    *der = INFINITY;
    if (s->energy_count >= OMREG_SYN_ENERGY_WINDOW)
        *der = energy_derivative(s->energy_list, s->energy_count);
    *energy = fw_energy + bw_energy;
    s->energy_list[s->energy_count++] = *energy;

    /* __invert_models: static backward, moving backward, static forward,
     * moving forward, each from the field just computed */
    TRY(invert_field(s, s->static_to_ref, 1, sl));
    TRY(invert_field(s, s->moving_to_ref, 1, sl));
    TRY(invert_field(s, s->static_to_ref, 0, sl));
    TRY(invert_field(s, s->moving_to_ref, 0, sl));
#undef TRY
done:
    m->ops->free_iteration(m);
    m->static_image = m->moving_image = NULL;
    return st;
}

static void state_free(syn_state *s)
{
    syn_metric_free(s->metric);
    omreg_diffeomap_free(s->static_to_ref);
    omreg_diffeomap_free(s->moving_to_ref);
    syn_scale_space_free(s->static_ss);
    syn_scale_space_free(s->moving_ss);
    free(s->energy_list);
    free(s->norm_scratch);
    level_buffers_free(s);
}

static omreg_status check_images(const omreg_image *stat, const omreg_image *mov,
                                 const double *prealign)
{
    OMREG_RETURN_IF(stat->ncomp != 1 || mov->ncomp != 1, OMREG_ESHAPE,
                    "SyN: static and moving must be scalar images, not fields");
    OMREG_RETURN_IF(stat->ndim != mov->ndim, OMREG_ESHAPE,
                    "SyN: the static image is %dD but the moving image is %dD", stat->ndim,
                    mov->ndim);
    if (prealign) {
        const int n1 = stat->ndim + 1;
        double inv[16];
        OMREG_RETURN_IF(!omreg_mat_is_finite(n1, prealign), OMREG_ENONFINITE,
                        "SyN: the prealign matrix has a non-finite entry");
        OMREG_RETURN_IF(!omreg_affine_is_valid(stat->ndim, prealign), OMREG_ESINGULAR,
                        "SyN: the prealign matrix's last row is not (0, ..., 0, 1)");
        OMREG_FORWARD(omreg_mat_inverse(n1, prealign, inv));
    }
    return OMREG_OK;
}

/* every level grid must suit numpy.gradient and the metric (DIPY raises
 * in the middle of the run; omreg refuses before starting) */
static omreg_status check_levels(const syn_scale_space *ss, const omreg_syn_metric_options *m)
{
    const size_t min_axis = syn_metric_min_axis(m);
    for (int l = 0; l < ss->nlevels; ++l)
        for (int d = 0; d < ss->dim; ++d)
            OMREG_RETURN_IF(ss->levels[l].shape[d] < min_axis, OMREG_ESHAPE,
                            "SyN: level %d's grid has %zu voxels along axis %d; the %s metric "
                            "needs at least %zu (use fewer levels%s)", l,
                            ss->levels[l].shape[d], d,
                            m->type == OMREG_SYN_CC ? "CC" : m->type == OMREG_SYN_SSD ? "SSD"
                                                                                         : "EM",
                            min_axis, m->type == OMREG_SYN_CC ? " or a smaller radius" : "");
    return OMREG_OK;
}

static omreg_status cancelled(void)
{
    return omreg_fail(OMREG_ECANCELED, "SyN: cancelled by the progress callback");
}

omreg_status omreg_syn_register(const omreg_backend *b, const omreg_image *static_img,
                                const omreg_image *moving_img, const double *prealign,
                                const omreg_syn_options *opt, omreg_diffeomap **out,
                                omreg_syn_info *info)
{
    OMREG_RETURN_IF(b == NULL || static_img == NULL || moving_img == NULL || opt == NULL ||
                        out == NULL,
                    OMREG_EINVAL, "SyN: NULL argument");
    OMREG_FORWARD(check_options(opt));
    OMREG_FORWARD(check_images(static_img, moving_img, prealign));
    const int dim = static_img->ndim, n1 = dim + 1, L = opt->nlevels;
    /* fixed for the whole run: the progress callback may change OpenMP's */
    syn_state s;
    memset(&s, 0, sizeof s);
    s.ctx = omreg_run_ctx_of(b, opt->threads);
    s.opt = opt;
    s.dim = dim;
    omreg_image *static_own = NULL, *moving_own = NULL;
    const omreg_image *stat = NULL, *mov = NULL;
    omreg_diffeomap *half = NULL, *static_inv = NULL, *result = NULL;
    omreg_syn_info inf;
    memset(&inf, 0, sizeof inf);
    inf.nlevels = L;
    inf.last_energy = NAN;
    inf.last_derivative = INFINITY;
    omreg_status st;
#define TRY(expr)                                                                              \
    do {                                                                                       \
        if ((st = (expr)) != OMREG_OK)                                                         \
            goto done;                                                                         \
    } while (0)
    TRY(as_float32(&s.ctx, static_img, &static_own, &stat));
    TRY(as_float32(&s.ctx, moving_img, &moving_own, &mov));

    /* _init_optimizer: directions and spacings, scale spaces */
    double static_dir[9], static_spacing[3], moving_dir[9], moving_spacing[3];
    TRY(omreg_get_direction_and_spacings(dim, stat->grid2world, static_dir, static_spacing));
    TRY(omreg_get_direction_and_spacings(dim, mov->grid2world, moving_dir, moving_spacing));
    omreg_mat_identity(n1, s.static_direction);
    for (int r = 0; r < dim; ++r)
        for (int c = 0; c < dim; ++c)
            s.static_direction[r * n1 + c] = static_dir[r * dim + c];
    TRY(syn_scale_space_create(&s.ctx, mov, L, moving_spacing, opt->ss_sigma_factor, &s.moving_ss));
    TRY(syn_scale_space_create(&s.ctx, stat, L, static_spacing, opt->ss_sigma_factor,
                               &s.static_ss));
    TRY(check_levels(s.static_ss, &opt->metric));

    /* the maps on the coarsest static grid */
    const syn_level *coarsest = &s.static_ss->levels[L - 1];
    TRY(omreg_diffeomap_create(dim, coarsest->shape, coarsest->affine, stat->shape,
                               stat->grid2world, stat->shape, stat->grid2world, NULL,
                               &s.static_to_ref));
    TRY(omreg_diffeomap_allocate(s.static_to_ref, OMREG_F32));
    double prealign_inv[16];
    if (prealign)
        TRY(omreg_mat_inverse(n1, prealign, prealign_inv));
    TRY(omreg_diffeomap_create(dim, coarsest->shape, coarsest->affine, mov->shape,
                               mov->grid2world, stat->shape, stat->grid2world,
                               prealign ? prealign_inv : NULL, &s.moving_to_ref));
    TRY(omreg_diffeomap_allocate(s.moving_to_ref, OMREG_F32));
    TRY(syn_metric_create(&s.ctx, dim, &opt->metric, &s.metric));
    s.metric->fast = opt->mode == OMREG_SYN_MODE_FAST;

    int max_iter = 0;
    for (int i = 0; i < L; ++i)
        max_iter = opt->level_iters[i] > max_iter ? opt->level_iters[i] : max_iter;
    s.energy_list = omreg_calloc((size_t)max_iter + 1, sizeof(double), "energy list");
    if (s.energy_list == NULL)
        TRY(omreg_calloc_failure());
    s.norm_scratch_len = omreg_reduce_blocks(omreg_image_voxels(stat)) + 1;
    s.norm_scratch = omreg_calloc(s.norm_scratch_len, sizeof(double), "norm scratch");
    if (s.norm_scratch == NULL)
        TRY(omreg_calloc_failure());

    /* _optimize */
    for (int level = L - 1; level >= 0; --level) {
        s.level = level;
        s.metric->levels_below = L - level;
        s.metric->levels_above = level;
        if (level < L - 1) {
            double factors[3];
            for (int d = 0; d < dim; ++d) /* get_expand_factors(level + 1, level) */
                factors[d] = s.static_ss->levels[level].spacing[d] /
                             s.static_ss->levels[level + 1].spacing[d];
            const size_t *new_shape = s.static_ss->levels[level].shape;
#ifdef OMREG_CANARY_EXPAND_DEFAULT_THREADS
            /* planted (ci/canaries.tsv): the public call, on the backend's default count */
            TRY(omreg_diffeomap_expand_fields(b, s.static_to_ref, factors, new_shape));
            TRY(omreg_diffeomap_expand_fields(b, s.moving_to_ref, factors, new_shape));
#else
            TRY(omreg_diffeomap_expand_fields_threads(b, s.ctx.nthreads, s.static_to_ref, factors,
                                                      new_shape));
            TRY(omreg_diffeomap_expand_fields_threads(b, s.ctx.nthreads, s.moving_to_ref, factors,
                                                      new_shape));
#endif
        }
        const int level_max = opt->level_iters[L - 1 - level];
        s.energy_count = 0;
        TRY(level_buffers(&s, omreg_diffeomap_forward(s.static_to_ref),
                          &s.static_ss->levels[level]));
        if (opt->progress) {
            omreg_syn_progress p = {1, level, level_max, 0, NAN, INFINITY};
            if (opt->progress(opt->progress_ctx, &p) != 0)
                TRY(cancelled());
        }
        double derivative = INFINITY;
        int niter = 0;
        while (niter < level_max && opt->opt_tol < derivative) {
            double energy = NAN;
            TRY(iterate(&s, &derivative, &energy));
            ++niter;
            inf.last_energy = energy;
            inf.last_derivative = derivative;
            if (opt->progress) {
                omreg_syn_progress p = {0, level, level_max, niter, energy, derivative};
                if (opt->progress(opt->progress_ctx, &p) != 0)
                    TRY(cancelled());
            }
        }
        inf.iterations[L - 1 - level] = niter;
        inf.total_iterations += niter;
        if (opt->progress) {
            omreg_syn_progress p = {2, level, level_max, niter, inf.last_energy, derivative};
            if (opt->progress(opt->progress_ctx, &p) != 0)
                TRY(cancelled());
        }
    }

    /* the levels' workspaces go before the final composition allocates */
    level_buffers_free(&s);
    syn_metric_free(s.metric);
    s.metric = NULL;
    /* static_to_ref = moving_to_ref.warp_endomorphism(static_to_ref.inverse()).inverse() */
    TRY(omreg_diffeomap_inverse(s.static_to_ref, &static_inv));
    TRY(omreg_diffeomap_warp_endomorphism_threads(b, s.ctx.nthreads, s.moving_to_ref, static_inv,
                                                  &half));
    TRY(omreg_diffeomap_inverse(half, &result));
#undef TRY
done:
    state_free(&s);
    omreg_image_free(static_own);
    omreg_image_free(moving_own);
    omreg_diffeomap_free(static_inv);
    omreg_diffeomap_free(half);
    if (st != OMREG_OK) {
        omreg_diffeomap_free(result);
        return st;
    }
    *out = result;
    if (info)
        *info = inf;
    return OMREG_OK;
}
