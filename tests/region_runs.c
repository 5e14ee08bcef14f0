/* The registrations of the region_threads_lib tests (tests/run_context.cmake):
 *
 *     omreg_region_runs CASE --threads N --quiet
 *
 * runs one registration from C on the parallel table with options.threads
 * = N, on small blob phantoms built with the reference table (which opens
 * no OpenMP region). Under the omp_claims shim, with OpenMP's ambient
 * count set to another value than N, every region the run opens must ask
 * for N (tests/scripts/check_region_threads.cmake). Unlike the omreg
 * command, nothing here sets OpenMP's count to N, so a call inside the
 * registration that takes the backend's default count (OpenMP's ambient
 * one) instead of the run's shows up. The cases cover every stage that
 * calls a public entry point from a driver:
 *   affine2d, affine3d: omreg_affine_pipeline "com,...": the centre of mass
 *     stage, then transform stages over two levels (2D dense; 3D sparse,
 *     with static and moving masks; affine3d_fast: the same in fast mode);
 *   syn*: two levels (the maps' expand_fields between them) and the final
 *     warp_endomorphism; cc, ssd (gauss_newton: the V-cycle; demons), em
 *     (the image dynamics' mask warps; gauss_newton and demons steps).
 * Exits 0 when the registration succeeded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "omreg/affine.h"
#include "omreg/diffeomap.h"
#include "omreg/matrix.h"
#include "omreg/syn.h"
#include "phantom.h"

/* blobs and the same blobs moved by a small rotation and shift (the
 * reference table: no OpenMP region outside the registration) */
static int phantom_pair(int dim, omreg_image **s, omreg_image **m)
{
    const size_t shape2[2] = {48, 44}, shape3[3] = {20, 18, 16};
    const size_t *shape = dim == 2 ? shape2 : shape3;
    const int n1 = dim + 1;
    double g2w[16], motion[16];
    omreg_mat_identity(n1, g2w);
    for (int k = 0; k < dim; ++k)
        g2w[k * n1 + dim] = -0.5 * (double)shape[k];
    *s = omreg_test_blobs(dim, shape, g2w, 29);
    omreg_mat_identity(n1, motion);
    motion[0] = motion[n1 + 1] = 0.995;
    motion[1] = -0.0998;
    motion[n1] = 0.0998;
    motion[dim] = 1.4;
    motion[n1 + dim] = -0.8;
    return omreg_affine_map_transform(omreg_backend_reference(), motion, 0, *s, shape, g2w, 0,
                                      m) == OMREG_OK;
}

/* 1 inside the box that leaves `margin` voxels on every side, 0 outside */
static omreg_image *box_mask(const omreg_image *like, size_t margin)
{
    omreg_image *mask = NULL;
    const int dim = omreg_image_ndim(like);
    const size_t *shape = omreg_image_shape(like);
    if (omreg_image_create(&mask, dim, shape, 1, OMREG_F64, omreg_image_grid2world(like)) !=
        OMREG_OK)
        return NULL;
    double *v = omreg_image_data(mask);
    const size_t n = omreg_image_voxels(mask);
    for (size_t i = 0; i < n; ++i) {
        int inside = 1;
        size_t rest = i; /* C order: the last axis varies fastest */
        for (int k = dim - 1; k >= 0; --k) {
            const size_t x = rest % shape[k];
            rest /= shape[k];
            inside = inside && x >= margin && x + margin < shape[k];
        }
        v[i] = inside;
    }
    return mask;
}

static int affine_case(int dim, int mode, int threads)
{
    omreg_image *s = NULL, *m = NULL;
    if (!phantom_pair(dim, &s, &m))
        return 0;
    /* 3D: both masks (their range, the level's nearest-neighbour resampling) */
    omreg_image *smask = dim == 3 ? box_mask(s, 2) : NULL;
    omreg_image *mmask = dim == 3 ? box_mask(m, 1) : NULL;
    if (dim == 3 && (smask == NULL || mmask == NULL))
        return 0;
    omreg_affine_pipeline_step steps[4];
    int nsteps = 0;
    omreg_status st = omreg_affine_pipeline_parse(dim == 2 ? "com,translation,rigid" : "com,affine",
                                                  steps, 4, &nsteps);
    omreg_affine_options o = omreg_affine_default_options();
    o.nlevels = 2;
    o.level_iters[0] = 6;
    o.level_iters[1] = 3;
    o.factors[0] = 2;
    o.factors[1] = 1;
    o.sigmas[0] = 1.0;
    o.sigmas[1] = 0.0;
    o.sampling_proportion = dim == 2 ? 0.0 : 0.5;
    o.threads = threads;
    o.mode = mode;
    o.fast_samples = 600;
    o.fast_iterations = 5;
    omreg_affine_result r;
    if (st == OMREG_OK)
        st = omreg_affine_pipeline(omreg_backend_parallel(), s, m, smask, mmask, steps, nsteps,
                                   NULL, &o, &r);
    omreg_image_free(smask);
    omreg_image_free(mmask);
    omreg_image_free(s);
    omreg_image_free(m);
    if (st == OMREG_OK && r.evaluations < 2) {
        fprintf(stderr, "affine%dd: %d evaluations: the stages did not run\n", dim,
                r.evaluations);
        return 0;
    }
    return st == OMREG_OK;
}

static int syn_case(int dim, omreg_syn_metric_type metric, omreg_syn_step_type step,
                    int threads)
{
    omreg_image *s = NULL, *m = NULL;
    if (!phantom_pair(dim, &s, &m))
        return 0;
    omreg_syn_options o = omreg_syn_default_options(metric);
    o.nlevels = 2; /* expand_fields between the levels */
    o.level_iters[0] = 2;
    o.level_iters[1] = 2;
    o.metric.radius = 2;
    o.metric.q_levels = 16;
    o.metric.step_type = step;
    o.threads = threads;
    omreg_diffeomap *map = NULL;
    omreg_syn_info info;
    omreg_status st = omreg_syn_register(omreg_backend_parallel(), s, m, NULL, &o, &map, &info);
    omreg_diffeomap_free(map);
    omreg_image_free(s);
    omreg_image_free(m);
    if (st == OMREG_OK && (info.iterations[0] < 1 || info.iterations[1] < 1)) {
        fprintf(stderr, "syn: iterations %d, %d: a level did not run\n", info.iterations[0],
                info.iterations[1]);
        return 0;
    }
    return st == OMREG_OK;
}

int main(int argc, char **argv)
{
    if (argc < 4 || strcmp(argv[2], "--threads") != 0) {
        fprintf(stderr, "usage: %s CASE --threads N [--quiet]\n", argv[0]);
        return 2;
    }
    const char *c = argv[1];
    const int t = atoi(argv[3]);
    int ok;
    if (strcmp(c, "affine2d") == 0)
        ok = affine_case(2, OMREG_AFFINE_MODE_DIPY, t);
    else if (strcmp(c, "affine3d") == 0)
        ok = affine_case(3, OMREG_AFFINE_MODE_DIPY, t);
    else if (strcmp(c, "affine3d_fast") == 0)
        ok = affine_case(3, OMREG_AFFINE_MODE_FAST, t);
    else if (strcmp(c, "syn2d_cc") == 0)
        ok = syn_case(2, OMREG_SYN_CC, OMREG_SYN_STEP_DEMONS, t);
    else if (strcmp(c, "syn3d_cc") == 0)
        ok = syn_case(3, OMREG_SYN_CC, OMREG_SYN_STEP_DEMONS, t);
    else if (strcmp(c, "syn2d_ssd") == 0)
        ok = syn_case(2, OMREG_SYN_SSD, OMREG_SYN_STEP_GAUSS_NEWTON, t);
    else if (strcmp(c, "syn3d_ssd") == 0)
        ok = syn_case(3, OMREG_SYN_SSD, OMREG_SYN_STEP_DEMONS, t);
    else if (strcmp(c, "syn2d_em") == 0)
        ok = syn_case(2, OMREG_SYN_EM, OMREG_SYN_STEP_GAUSS_NEWTON, t);
    else if (strcmp(c, "syn3d_em") == 0)
        ok = syn_case(3, OMREG_SYN_EM, OMREG_SYN_STEP_DEMONS, t);
    else {
        fprintf(stderr, "unknown case %s\n", c);
        return 2;
    }
    if (!ok) {
        fprintf(stderr, "%s: %s\n", c, omreg_last_error());
        return 1;
    }
    return 0;
}
