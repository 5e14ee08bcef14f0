/* Parallel vs reference, bitwise, for every method of the diffeomorphic
 * map (include/omreg/diffeomap.h): transform and transform_inverse (linear
 * and nearest, defaults and overrides), both directions of the inverse map,
 * transform_points[_inverse], compute_inversion_error (residual and
 * statistics, whose sums run in the canonical row order), warp_endomorphism,
 * get_simplified_transform and expand_fields; 3D float32 (DIPY's floating)
 * and 2D float64. Each method runs once with the reference table and twice
 * with the parallel one, and both parallel runs must equal the reference
 * bytes; ctest runs this binary over the thread x schedule matrix (MATRIX),
 * so equality with the serial reference also proves thread and schedule
 * independence.
 * Sizes: 3D grids of ~8000 voxels (~400 rows), 2D grids of ~8000 voxels
 * (~90 rows), 3000 points, oblique affines of different shapes and a
 * prealign, random displacements of several voxels so part of every warp
 * and composition falls outside the grids: a race, a skipped voxel or a
 * reordered reduction would change bytes.
 * NaN policy: inputs are finite; outputs are compared as bytes. */
#include "equality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/diffeomap.h"
#include "omreg/image.h"

#define NPTS 3000

/* grid-to-world affines (3D and 2D) */
static const double DISP3[16] = {1.9, 0.2, -0.1, -3.0, -0.15, 2.1, 0.12, 2.0,
                                 0.1, -0.08, 2.05, -1.0, 0, 0, 0, 1};
static const double DOM3[16] = {2.0, -0.1, 0.15, -2.0, 0.12, 1.95, -0.1, 1.0,
                                -0.05, 0.1, 2.1, 0.5, 0, 0, 0, 1};
static const double COD3[16] = {2.1, 0.05, 0.1, -1.0, -0.1, 1.9, 0.2, 3.0,
                                0.15, -0.12, 2.0, -2.0, 0, 0, 0, 1};
static const double PRE3[16] = {0.99, -0.05, 0.03, 1.2, 0.04, 1.01, -0.06, -0.8,
                                -0.02, 0.07, 0.98, 0.6, 0, 0, 0, 1};
static const double OVW3[16] = {0.6, 0.02, -0.01, 1.0, -0.03, 0.55, 0.02, -2.0,
                                0.01, 0.02, 0.62, 0.5, 0, 0, 0, 1};
static const double OVS3[16] = {1.8, -0.1, 0.05, 2.0, 0.1, 2.2, -0.1, -1.0,
                                0.0, 0.1, 1.9, 1.5, 0, 0, 0, 1};
static const double DISP2[9] = {1.1, 0.15, -4.0, -0.1, 0.95, 3.0, 0, 0, 1};
static const double DOM2[9] = {1.05, -0.08, 2.0, 0.1, 1.0, -1.5, 0, 0, 1};
static const double COD2[9] = {0.9, 0.12, -1.0, -0.05, 1.1, 2.5, 0, 0, 1};
static const double PRE2[9] = {0.995, -0.07, 1.1, 0.07, 0.995, -0.9, 0, 0, 1};
static const double OVW2[9] = {0.95, 0.05, 1.0, -0.04, 1.02, -2.0, 0, 0, 1};
static const double OVS2[9] = {1.1, -0.06, 0.5, 0.06, 0.9, 1.0, 0, 0, 1};

struct ctx {
    int dim;
    omreg_dtype dt;
    const double *ovw, *ovs;
    size_t ovshape[3], exshape[3];
    double exfactors[3];
    omreg_diffeomap *m, *inv, *phi;
    omreg_image *img_cod, *img_dom, *lab_cod, *lab_dom;
    double *pts;
};

static omreg_image *random_image(int dim, const size_t *shape, int ncomp, omreg_dtype dt,
                                 uint64_t seed, double lo, double hi, int labels)
{
    omreg_image *img = NULL;
    assert_int_equal(omreg_image_create(&img, dim, shape, ncomp, dt, NULL), OMREG_OK);
    size_t n = omreg_image_voxels(img) * (size_t)ncomp;
    if (dt == OMREG_F64) {
        double *p = omreg_image_data(img);
        omreg_test_fill_uniform_f64(p, n, seed, lo, hi);
        if (labels)
            for (size_t i = 0; i < n; ++i)
                p[i] = (double)(int)p[i];
    } else {
        float *p = omreg_image_data(img);
        omreg_test_fill_uniform_f32(p, n, seed, lo, hi);
        if (labels)
            for (size_t i = 0; i < n; ++i)
                p[i] = (float)(int)p[i];
    }
    return img;
}

static omreg_diffeomap *make_map(int dim, omreg_dtype dt, const size_t sh[3][3],
                                 const double *const aff[4], uint64_t seed)
{
    omreg_diffeomap *m = NULL;
    assert_int_equal(omreg_diffeomap_create(dim, sh[0], aff[0], sh[1], aff[1], sh[2], aff[2],
                                            aff[3], &m),
                     OMREG_OK);
    omreg_image *f = random_image(dim, sh[0], dim, dt, seed, -5.0, 5.0, 0);
    omreg_image *b = random_image(dim, sh[0], dim, dt, seed + 1, -5.0, 5.0, 0);
    assert_int_equal(omreg_diffeomap_set_forward(m, f), OMREG_OK);
    assert_int_equal(omreg_diffeomap_set_backward(m, b), OMREG_OK);
    omreg_image_free(f);
    omreg_image_free(b);
    return m;
}

static void ctx_init(struct ctx *c, int dim, omreg_dtype dt)
{
    memset(c, 0, sizeof *c);
    c->dim = dim;
    c->dt = dt;
    static const size_t sh3[3][3] = {{20, 22, 18}, {21, 19, 20}, {19, 21, 22}};
    static const size_t sh2[3][3] = {{90, 88}, {85, 95}, {92, 86}};
    const size_t(*sh)[3] = dim == 3 ? sh3 : sh2;
    const double *const aff3[4] = {DISP3, DOM3, COD3, PRE3};
    const double *const aff2[4] = {DISP2, DOM2, COD2, PRE2};
    const double *const noprealign3[4] = {DISP3, DOM3, COD3, NULL};
    const double *const noprealign2[4] = {DISP2, DOM2, COD2, NULL};
    c->m = make_map(dim, dt, sh, dim == 3 ? aff3 : aff2, 11);
    c->phi = make_map(dim, dt, sh, dim == 3 ? noprealign3 : noprealign2, 21);
    assert_int_equal(omreg_diffeomap_inverse(c->m, &c->inv), OMREG_OK);
    c->img_cod = random_image(dim, sh[2], 1, dt, 31, -10.0, 200.0, 0);
    c->img_dom = random_image(dim, sh[1], 1, dt, 32, -10.0, 200.0, 0);
    c->lab_cod = random_image(dim, sh[2], 1, dt, 33, 0.0, 40.0, 1);
    c->lab_dom = random_image(dim, sh[1], 1, dt, 34, 0.0, 40.0, 1);
    c->ovw = dim == 3 ? OVW3 : OVW2;
    c->ovs = dim == 3 ? OVS3 : OVS2;
    for (int d = 0; d < dim; ++d) {
        c->ovshape[d] = sh[1][d] + 2;
        c->exshape[d] = 2 * sh[0][d] - 1;
        c->exfactors[d] = (double)(sh[0][d] - 1) / (double)(c->exshape[d] - 1);
    }
    c->pts = omreg_test_alloc(NPTS * (size_t)dim, sizeof(double));
    omreg_test_fill_uniform_f64(c->pts, NPTS * (size_t)dim, 41, -30.0, 60.0);
}

static void ctx_free(struct ctx *c)
{
    omreg_diffeomap_free(c->m);
    omreg_diffeomap_free(c->inv);
    omreg_diffeomap_free(c->phi);
    omreg_image_free(c->img_cod);
    omreg_image_free(c->img_dom);
    omreg_image_free(c->lab_cod);
    omreg_image_free(c->lab_dom);
    free(c->pts);
}

enum op {
    TF_LIN, TF_NN, TI_LIN, TI_NN, TF_OVR, TI_OVR, TF_IDENT, INV_TF, INV_TI,
    PTS_F, PTS_B, INV_PTS, IE, ENDO, ENDO_INV, SIMP, EXPAND, OP_COUNT
};
static const char *const OP_NAMES[OP_COUNT] = {
    "transform linear", "transform nearest", "transform_inverse linear",
    "transform_inverse nearest", "transform overrides", "transform_inverse overrides",
    "transform identity", "inverse().transform", "inverse().transform_inverse",
    "transform_points", "transform_points_inverse", "inverse().transform_points",
    "compute_inversion_error", "warp_endomorphism", "warp_endomorphism(inverse)",
    "get_simplified_transform", "expand_fields"};

/* What an op produced: up to two images and some doubles. */
struct result {
    omreg_image *img[2];
    double *vals;
    size_t nvals;
};

static void result_free(struct result *r)
{
    omreg_image_free(r->img[0]);
    omreg_image_free(r->img[1]);
    free(r->vals);
    memset(r, 0, sizeof *r);
}

/* A copy of a map-owned field (the map is freed before comparison). */
static omreg_image *copy_field(const omreg_image *f)
{
    omreg_image *c = NULL;
    assert_non_null(f);
    assert_int_equal(omreg_image_create(&c, omreg_image_ndim(f), omreg_image_shape(f),
                                        omreg_image_ncomp(f), omreg_image_dtype(f),
                                        omreg_image_grid2world(f)),
                     OMREG_OK);
    memcpy(omreg_image_data(c), omreg_image_cdata(f),
           omreg_image_voxels(f) * (size_t)omreg_image_ncomp(f) *
               omreg_dtype_size(omreg_image_dtype(f)));
    return c;
}

static void take_fields(const omreg_diffeomap *m, struct result *r)
{
    r->img[0] = copy_field(omreg_diffeomap_forward(m));
    r->img[1] = copy_field(omreg_diffeomap_backward(m));
}

static void run(const omreg_backend *be, struct ctx *c, enum op op, struct result *r)
{
    memset(r, 0, sizeof *r);
    const omreg_warp_interp L = OMREG_WARP_LINEAR, N = OMREG_WARP_NEAREST;
    omreg_diffeomap *tmp = NULL;
    omreg_status st = OMREG_OK;
    switch (op) {
    case TF_LIN:
        st = omreg_diffeomap_transform(be, c->m, c->img_cod, L, NULL, NULL, NULL, &r->img[0]);
        break;
    case TF_NN:
        st = omreg_diffeomap_transform(be, c->m, c->lab_cod, N, NULL, NULL, NULL, &r->img[0]);
        break;
    case TI_LIN:
        st = omreg_diffeomap_transform_inverse(be, c->m, c->img_dom, L, NULL, NULL, NULL,
                                               &r->img[0]);
        break;
    case TI_NN:
        st = omreg_diffeomap_transform_inverse(be, c->m, c->lab_dom, N, NULL, NULL, NULL,
                                               &r->img[0]);
        break;
    case TF_OVR:
        st = omreg_diffeomap_transform(be, c->m, c->img_cod, L, c->ovw, c->ovshape, c->ovs,
                                       &r->img[0]);
        break;
    case TI_OVR:
        st = omreg_diffeomap_transform_inverse(be, c->m, c->lab_dom, N, c->ovw, c->ovshape,
                                               c->ovs, &r->img[0]);
        break;
    case TF_IDENT:
        st = omreg_diffeomap_transform(be, c->m, c->img_cod, L, OMREG_DIFFEOMAP_IDENTITY,
                                       c->ovshape, OMREG_DIFFEOMAP_IDENTITY, &r->img[0]);
        break;
    case INV_TF:
        st = omreg_diffeomap_transform(be, c->inv, c->img_dom, L, NULL, NULL, NULL,
                                       &r->img[0]);
        break;
    case INV_TI:
        st = omreg_diffeomap_transform_inverse(be, c->inv, c->lab_cod, N, NULL, NULL, NULL,
                                               &r->img[0]);
        break;
    case PTS_F:
    case PTS_B:
    case INV_PTS:
        r->nvals = NPTS * (size_t)c->dim;
        r->vals = omreg_test_alloc(r->nvals, sizeof(double));
        omreg_eq_poison(r->vals, r->nvals * sizeof(double), be == ref ? 0x33 : 0xA5);
        if (op == PTS_F)
            st = omreg_diffeomap_transform_points(be, c->m, c->pts, NPTS, c->ovs, c->ovw,
                                                  r->vals);
        else if (op == PTS_B)
            st = omreg_diffeomap_transform_points_inverse(be, c->m, c->pts, NPTS, c->ovs,
                                                          c->ovw, r->vals);
        else
            st = omreg_diffeomap_transform_points(be, c->inv, c->pts, NPTS, NULL, NULL,
                                                  r->vals);
        break;
    case IE:
        r->nvals = 3;
        r->vals = omreg_test_alloc(3, sizeof(double));
        omreg_eq_poison(r->vals, r->nvals * sizeof(double), be == ref ? 0x33 : 0xA5);
        st = omreg_diffeomap_compute_inversion_error(be, c->m, &r->img[0], r->vals);
        break;
    case ENDO:
    case ENDO_INV:
        st = omreg_diffeomap_warp_endomorphism(be, op == ENDO ? c->m : c->inv, c->phi, &tmp);
        if (st == OMREG_OK)
            take_fields(tmp, r);
        break;
    case SIMP:
        st = omreg_diffeomap_get_simplified_transform(be, c->m, &tmp);
        if (st == OMREG_OK)
            take_fields(tmp, r);
        break;
    case EXPAND:
        st = omreg_diffeomap_shallow_copy(c->m, &tmp);
        if (st == OMREG_OK)
            st = omreg_diffeomap_expand_fields(be, tmp, c->exfactors, c->exshape);
        if (st == OMREG_OK)
            take_fields(tmp, r);
        break;
    case OP_COUNT:
        break;
    }
    omreg_diffeomap_free(tmp);
    if (st != OMREG_OK)
        fail_msg("%s [%s]: %s", OP_NAMES[op], omreg_backend_name(be), omreg_last_error());
}

static void compare_all(int dim, omreg_dtype dt)
{
    struct ctx c;
    ctx_init(&c, dim, dt);
    uint64_t h = 0;
    for (int op = 0; op < OP_COUNT; ++op) {
        struct result rr, rp;
        char what[160];
        run(ref, &c, (enum op)op, &rr);
        for (int k = 0; k < OMREG_EQ_RUNS; ++k) {
            run(par, &c, (enum op)op, &rp);
            snprintf(what, sizeof what, "%dD %s %s run %d", dim, dt == OMREG_F64 ? "f64" : "f32",
                     OP_NAMES[op], k);
            omreg_eq_same_image(what, rp.img[0], rr.img[0]);
            omreg_eq_same_image(what, rp.img[1], rr.img[1]);
            assert_int_equal(rp.nvals, rr.nvals);
            if (rr.nvals)
                OMREG_EQ_SAME(f64, what, rp.vals, rr.vals, rr.nvals);
            result_free(&rp);
        }
        if (rr.img[0])
            h ^= omreg_test_hash(omreg_image_cdata(rr.img[0]),
                                 omreg_image_voxels(rr.img[0]) *
                                     (size_t)omreg_image_ncomp(rr.img[0]) *
                                     omreg_dtype_size(dt));
        if (rr.nvals)
            h ^= omreg_test_hash(rr.vals, rr.nvals * sizeof(double)) + (uint64_t)op;
        result_free(&rr);
    }
    print_message("diffeomap %dD %s hash %016llx\n", dim, dt == OMREG_F64 ? "f64" : "f32",
                  (unsigned long long)h);
    ctx_free(&c);
}

static void all_methods_3d_f32(void **state)
{
    (void)state;
    compare_all(3, OMREG_F32);
}

static void all_methods_2d_f64(void **state)
{
    (void)state;
    compare_all(2, OMREG_F64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(omreg_test_check_omp_environment),
        cmocka_unit_test(all_methods_3d_f32),
        cmocka_unit_test(all_methods_2d_f64),
    };
    return OMREG_EQ_RUN_TESTS(tests);
}
