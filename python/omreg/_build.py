"""cffi (API mode) build script of omreg._lib: the declarations below are
checked by the C compiler against include/omreg/*.h (the `...` fields and
values are filled in by it), and the extension links libomreg.so.

Where the library is found, first that applies:
  OMREG_PREFIX=P     an install prefix (cmake --install ... --prefix P): P/include, P/lib*
  pkg-config omreg   (PKG_CONFIG_PATH=P/lib/pkgconfig for a prefix, nothing for the .deb)
A library outside the system's directories is recorded as the extension's
rpath, so `import omreg` needs no LD_LIBRARY_PATH.
"""
import glob
import os
import shlex
import subprocess

from cffi import FFI

CDEF = r"""
typedef int... omreg_status;
#define OMREG_OK ...
#define OMREG_EINVAL ...
#define OMREG_ENOMEM ...
#define OMREG_EOVERFLOW ...
#define OMREG_ESHAPE ...
#define OMREG_ESINGULAR ...
#define OMREG_ENONFINITE ...
#define OMREG_EIO ...
#define OMREG_EFORMAT ...
#define OMREG_EUNSUPPORTED ...
#define OMREG_ECANCELED ...
const char *omreg_status_str(omreg_status status);
const char *omreg_last_error(void);
void omreg_clear_error(void);

typedef int... omreg_dtype;
#define OMREG_F32 ...
#define OMREG_F64 ...
typedef struct omreg_image omreg_image;
omreg_status omreg_image_wrap(omreg_image **out, void *data, int ndim, const size_t *shape,
                              int ncomp, omreg_dtype dtype, const double *grid2world);
void omreg_image_free(omreg_image *image);
int omreg_image_ndim(const omreg_image *image);
int omreg_image_ncomp(const omreg_image *image);
omreg_dtype omreg_image_dtype(const omreg_image *image);
const size_t *omreg_image_shape(const omreg_image *image);
size_t omreg_image_voxels(const omreg_image *image);
const void *omreg_image_cdata(const omreg_image *image);
size_t omreg_dtype_size(omreg_dtype dtype);

typedef struct omreg_backend omreg_backend;
const omreg_backend *omreg_backend_by_name(const char *name);

typedef int... omreg_transform_type;
#define OMREG_TRANSFORM_MAX_PARAMS ...

#define OMREG_AFFINE_MAX_LEVELS ...
#define OMREG_AFFINE_MODE_DIPY ...
#define OMREG_AFFINE_MODE_FAST ...
typedef struct omreg_affine_progress {
    int event;
    const char *stage;
    int level;
    int max_iter;
    int evaluation;
    int iterations;
    double mi;
    const char *stop_reason;
    ...;
} omreg_affine_progress;
typedef int (omreg_affine_progress_fn)(void *ctx, const omreg_affine_progress *progress);
typedef struct omreg_affine_options {
    int nbins;
    double sampling_proportion;
    uint64_t sampling_seed;
    int nlevels;
    int level_iters[...];
    double sigmas[...];
    int factors[...];
    double ss_sigma_factor;
    double gtol;
    int restarts;
    int threads;
    omreg_affine_progress_fn *progress;
    void *progress_ctx;
    int mode;
    uint64_t seed;
    int fast_samples;
    int fast_iterations;
    ...;
} omreg_affine_options;
omreg_affine_options omreg_affine_default_options(void);
typedef struct omreg_affine_result {
    double affine[16];
    double params[...];
    int nparams;
    double mi;
    int evaluations;
    ...;
} omreg_affine_result;
typedef struct omreg_affine_pipeline_step { ...; } omreg_affine_pipeline_step;
omreg_status omreg_affine_pipeline_parse(const char *text, omreg_affine_pipeline_step *steps,
                                         int max, int *nsteps);
omreg_status omreg_affine_pipeline(const omreg_backend *backend, const omreg_image *static_img,
                                   const omreg_image *moving_img, const omreg_image *static_mask,
                                   const omreg_image *moving_mask,
                                   const omreg_affine_pipeline_step *steps, int nsteps,
                                   const double *starting_affine,
                                   const omreg_affine_options *options,
                                   omreg_affine_result *result);
omreg_status omreg_affine_map_transform(const omreg_backend *backend, const double *affine,
                                        int inverse, const omreg_image *image,
                                        const size_t *shape, const double *grid2world,
                                        int nearest, omreg_image **out);

typedef int... omreg_syn_metric_type;
#define OMREG_SYN_CC ...
#define OMREG_SYN_SSD ...
#define OMREG_SYN_EM ...
typedef int... omreg_syn_step_type;
typedef int... omreg_ssd_order;
#define OMREG_SSD_ORDER_LEXICOGRAPHIC ...
#define OMREG_SSD_ORDER_RED_BLACK ...
omreg_status omreg_ssd_order_from_name(const char *name, omreg_ssd_order *order);
#define OMREG_SYN_MAX_LEVELS ...
typedef struct omreg_syn_metric_options {
    omreg_syn_metric_type type;
    double sigma_diff;
    int radius;
    double smooth;
    int inner_iter;
    omreg_syn_step_type step_type;
    omreg_ssd_order gs_order;
    int q_levels;
    int double_gradient;
    ...;
} omreg_syn_metric_options;
typedef struct omreg_syn_progress {
    int event;
    int level;
    int max_iter;
    int iteration;
    double energy;
    double derivative;
    ...;
} omreg_syn_progress;
typedef int (omreg_syn_progress_fn)(void *ctx, const omreg_syn_progress *progress);
typedef struct omreg_syn_options {
    omreg_syn_metric_options metric;
    int nlevels;
    int level_iters[...];
    double step_length;
    double ss_sigma_factor;
    double opt_tol;
    int inv_iter;
    double inv_tol;
    int threads;
    omreg_syn_progress_fn *progress;
    void *progress_ctx;
    int mode;
    ...;
} omreg_syn_options;
#define OMREG_SYN_MODE_DIPY ...
#define OMREG_SYN_MODE_FAST ...
typedef struct omreg_syn_info {
    int nlevels;
    int iterations[...];
    int total_iterations;
    double last_energy;
    double last_derivative;
    ...;
} omreg_syn_info;
omreg_syn_options omreg_syn_default_options(omreg_syn_metric_type type);
omreg_status omreg_syn_metric_from_name(const char *name, omreg_syn_metric_type *type);
omreg_status omreg_syn_step_type_from_name(const char *name, omreg_syn_step_type *type);

typedef struct omreg_diffeomap omreg_diffeomap;
typedef int... omreg_diffeomap_matrix;
#define OMREG_DM_DISP_GRID2WORLD ...
#define OMREG_DM_DOMAIN_GRID2WORLD ...
#define OMREG_DM_CODOMAIN_GRID2WORLD ...
#define OMREG_DM_PREALIGN ...
typedef int... omreg_diffeomap_grid;
#define OMREG_DM_DISP ...
#define OMREG_DM_DOMAIN ...
#define OMREG_DM_CODOMAIN ...
typedef int... omreg_warp_interp;
#define OMREG_WARP_LINEAR ...
omreg_status omreg_syn_register(const omreg_backend *backend, const omreg_image *static_img,
                                const omreg_image *moving_img, const double *prealign,
                                const omreg_syn_options *options, omreg_diffeomap **out,
                                omreg_syn_info *info);
void omreg_diffeomap_free(omreg_diffeomap *map);
int omreg_diffeomap_is_inverse(const omreg_diffeomap *map);
const size_t *omreg_diffeomap_shape(const omreg_diffeomap *map, omreg_diffeomap_grid grid);
const double *omreg_diffeomap_matrix_get(const omreg_diffeomap *map,
                                         omreg_diffeomap_matrix which);
const omreg_image *omreg_diffeomap_forward(const omreg_diffeomap *map);
const omreg_image *omreg_diffeomap_backward(const omreg_diffeomap *map);
omreg_status omreg_diffeomap_transform(const omreg_backend *backend, const omreg_diffeomap *map,
                                       const omreg_image *image, omreg_warp_interp interp,
                                       const double *image_world2grid, const size_t *out_shape,
                                       const double *out_grid2world, omreg_image **out);

/* the kernels omreg.dipy routes dipy.align's compiled functions to */
void free(void *ptr);
void *omreg_image_data(omreg_image *image);
const omreg_backend *omreg_backend_reference(void);
const omreg_backend *omreg_backend_parallel(void);
omreg_status omreg_compose_vector_fields(const omreg_backend *backend, const omreg_image *d1,
    const omreg_image *d2, const double *premult_index, const double *premult_disp,
    double time_scaling, omreg_image *comp, double stats[3]);
typedef struct omreg_invert_info { int iterations; double error; } omreg_invert_info;
omreg_status omreg_invert_vector_field_fixed_point(const omreg_backend *backend,
    const omreg_image *d, const double *d_world2grid, const double *spacing, int max_iter,
    double tolerance, const omreg_image *start, omreg_image **out, omreg_invert_info *info);
omreg_status omreg_simplify_warp_function(const omreg_backend *backend, const omreg_image *d,
    const double *affine_idx_in, const double *affine_idx_out, const double *affine_disp,
    const size_t *out_shape, omreg_image **out);
omreg_status omreg_reorient_vector_field(const omreg_backend *backend, omreg_image *d,
    const double *affine);
#define OMREG_WARP_NEAREST ...
omreg_status omreg_warp(const omreg_backend *backend, const omreg_image *image,
    const omreg_image *field, const double *affine_idx_in, const double *affine_idx_out,
    const double *affine_disp, const size_t *out_shape, omreg_warp_interp interp,
    omreg_image **out);
omreg_status omreg_warp_coordinates(const omreg_backend *backend, const omreg_image *field,
    const double *points, size_t n, const double *in2world, const double *world2out,
    const double *field_world2grid, double *out);
omreg_status omreg_downsample_field(const omreg_backend *backend, const omreg_image *in,
    omreg_image **out);
omreg_status omreg_resample_displacement_field(const omreg_backend *backend,
    const omreg_image *field, const double *factors, const size_t *out_shape, omreg_image **out);
omreg_status omreg_create_random_displacement(const omreg_backend *backend, int ndim,
    const size_t *from_shape, const double *from_grid2world, const size_t *to_shape,
    const double *to_grid2world, uint64_t seed, omreg_dtype dtype, omreg_image **out,
    int *int_field);
omreg_status omreg_create_harmonic_fields(const omreg_backend *backend, int ndim,
    const size_t *shape, double b, double m, omreg_dtype dtype, omreg_image **d,
    omreg_image **inv);
omreg_status omreg_create_circle(const omreg_backend *backend, const size_t shape[2],
    ptrdiff_t radius, omreg_dtype dtype, omreg_image **out);
omreg_status omreg_create_sphere(const omreg_backend *backend, const size_t shape[3],
    ptrdiff_t radius, omreg_dtype dtype, omreg_image **out);
omreg_status omreg_transform_affine(const omreg_backend *backend, const omreg_image *img,
    const size_t *out_shape, const double *grid_affine, int nearest, omreg_image **out);
omreg_status omreg_interpolate(const omreg_backend *backend, const omreg_image *img,
    const double *locs, size_t n, int nearest, void *out, int *inside);
typedef int... omreg_cc_method;
#define OMREG_CC_SLIDING ...
#define OMREG_CC_BRUTE_FORCE ...
#define OMREG_CC_BOX_SUMS ...
omreg_status omreg_cc_precompute_factors(const omreg_backend *backend,
    const omreg_image *static_img, const omreg_image *moving_img, size_t radius,
    omreg_cc_method method, void **factors);
omreg_status omreg_cc_forward_step(const omreg_backend *backend, const omreg_image *grad_static,
    const void *factors, size_t radius, omreg_image **out, double *energy);
omreg_status omreg_cc_backward_step(const omreg_backend *backend, const omreg_image *grad_moving,
    const void *factors, size_t radius, omreg_image **out, double *energy);
omreg_status omreg_solve_2d_symmetric_positive_definite(const double A[3], const double y[2],
    double det, double out[2]);
omreg_status omreg_solve_3d_symmetric_positive_definite(const double g[3], const double y[3],
    double tau, double out[3], int *is_singular);
omreg_status omreg_ssd_energy(const omreg_backend *backend, const omreg_image *delta,
    double *energy);
omreg_status omreg_ssd_demons_step(const omreg_backend *backend, const omreg_image *delta,
    const omreg_image *gradient, double sigma_sq_x, omreg_image *out, double *energy);
omreg_status omreg_ssd_iterate_residual_displacement_field(const omreg_backend *backend,
    omreg_ssd_order order, const omreg_image *delta, const omreg_image *sigmasq,
    const omreg_image *gradient, const omreg_image *target, double lambda, omreg_image *disp,
    double *max_step);
omreg_status omreg_ssd_compute_residual_displacement_field(const omreg_backend *backend,
    const omreg_image *delta, const omreg_image *sigmasq, const omreg_image *gradient,
    const omreg_image *target, double lambda, const omreg_image *disp, omreg_image *residual,
    double *sqnorm);
omreg_status omreg_quantize_positive(const omreg_backend *backend, const omreg_image *v,
    int num_levels, int **labels, void **levels, int **hist);
omreg_status omreg_compute_masked_class_stats(const omreg_backend *backend, const int *mask,
    const omreg_image *v, int num_labels, const int *labels, void **means, void **variances);
omreg_status omreg_compute_em_demons_step(const omreg_backend *backend,
    const omreg_image *delta_field, const omreg_image *sigma_sq_field,
    const omreg_image *gradient_moving, double sigma_sq_x, omreg_image **out, double *energy);
omreg_status omreg_transform_param_to_matrix(omreg_transform_type type, int dim,
    const double *params, double *matrix);
omreg_status omreg_transform_jacobian(omreg_transform_type type, int dim, const double *params,
    const double *x, double *jac, int *is_constant);
omreg_status omreg_transform_from_name(const char *name, int dim, omreg_transform_type *type);
omreg_status omreg_transform_nparams(omreg_transform_type type, int dim, int *nparams);
omreg_status omreg_transform_identity_params(omreg_transform_type type, int dim, double *params);

typedef struct omreg_parzen_geometry {
    int nbins;
    int padding;
    double smin, sdelta;
    double mmin, mdelta;
} omreg_parzen_geometry;
#define OMREG_PARZEN_PADDING ...
omreg_status omreg_parzen_setup(int nbins, double smin, double smax, double mmin, double mmax,
    omreg_parzen_geometry *geom);
double omreg_parzen_bin_normalize(double x, double min, double delta);
ptrdiff_t omreg_parzen_bin_index(double normalized, int nbins, int padding);
omreg_status omreg_parzen_joint_dense(const omreg_backend *backend,
    const omreg_parzen_geometry *geom, const omreg_image *static_img,
    const omreg_image *moving_img, const int *smask, const int *mmask, double *joint,
    double *smarginal, double *mmarginal);
omreg_status omreg_parzen_joint_sparse(const omreg_backend *backend,
    const omreg_parzen_geometry *geom, const double *sval, const double *mval, size_t n,
    double *joint, double *smarginal, double *mmarginal);
omreg_status omreg_parzen_gradient_dense(const omreg_backend *backend,
    const omreg_parzen_geometry *geom, omreg_transform_type type, const double *theta,
    const omreg_image *static_img, const omreg_image *moving_img, const double *grid2world,
    const omreg_image *mgradient, const int *smask, const int *mmask, double *joint_grad);
omreg_status omreg_parzen_gradient_sparse(const omreg_backend *backend,
    const omreg_parzen_geometry *geom, omreg_transform_type type, int dim, const double *theta,
    const double *sval, const double *mval, const double *points, const double *mgradient,
    size_t n, double *joint_grad);
omreg_status omreg_parzen_mi(const double *joint, size_t nrows, size_t ncols,
    const double *joint_grad, int nparams, const double *smarginal, const double *mmarginal,
    double *mi_grad, double *mi);
omreg_status omreg_parzen_cubic_spline(const omreg_backend *backend, const double *x, size_t n,
    int derivative, double *out);
omreg_status omreg_sample_domain_regular(const omreg_backend *backend, int dim,
    const size_t *shape, size_t k, const double *grid2world, double sigma, uint64_t seed,
    double **points, size_t *m);
omreg_status omreg_gradient_w2g(const omreg_backend *backend, const omreg_image *img,
    const double *img_world2grid, const double *img_spacing, const size_t *out_shape,
    const double *out_grid2world, void *out, int *inside);
omreg_status omreg_sparse_gradient_w2g(const omreg_backend *backend, const omreg_image *img,
    const double *img_world2grid, const double *img_spacing, const double *points, size_t n,
    void *out, int *inside);

extern "Python" int _omreg_affine_progress(void *, const omreg_affine_progress *);
extern "Python" int _omreg_syn_progress(void *, const omreg_syn_progress *);
"""

SOURCE = r"""
#include <stdlib.h>
#include "omreg/affine.h"
#include "omreg/backend.h"
#include "omreg/crosscorr.h"
#include "omreg/diffeomap.h"
#include "omreg/expectmax.h"
#include "omreg/gradient.h"
#include "omreg/image.h"
#include "omreg/interpolate.h"
#include "omreg/parzenhist.h"
#include "omreg/resample.h"
#include "omreg/status.h"
#include "omreg/sumsqdiff.h"
#include "omreg/syn.h"
#include "omreg/transform.h"
#include "omreg/vector_fields.h"
#include "omreg/warp.h"
"""

SYSTEM_LIBDIRS = ("/usr/lib", "/lib", "/usr/lib64", "/usr/lib/x86_64-linux-gnu",
                  "/lib/x86_64-linux-gnu", "/usr/local/lib")


def locate():
    """(include_dirs, library_dirs) of libomreg, see the module docstring."""
    prefix = os.environ.get("OMREG_PREFIX")
    if prefix:
        inc = os.path.join(prefix, "include")
        libs = [d for d in sorted(glob.glob(os.path.join(prefix, "lib*")) +
                                  glob.glob(os.path.join(prefix, "lib", "*-linux-gnu")))
                if glob.glob(os.path.join(d, "libomreg.so"))]
        if not os.path.isfile(os.path.join(inc, "omreg", "affine.h")) or not libs:
            raise SystemExit(f"omreg: OMREG_PREFIX={prefix} has no include/omreg/affine.h "
                             "or lib*/libomreg.so (run cmake --install BUILD --prefix P first)")
        return [inc], libs[:1]
    try:
        cflags = subprocess.run(["pkg-config", "--cflags", "omreg"], check=True,
                                capture_output=True, text=True).stdout
        libs = subprocess.run(["pkg-config", "--libs-only-L", "omreg"], check=True,
                              capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit("omreg: libomreg not found: set OMREG_PREFIX to the install prefix, "
                         "or PKG_CONFIG_PATH to P/lib/pkgconfig "
                         f"(pkg-config omreg failed: {e})")
    inc = [f[2:] for f in shlex.split(cflags) if f.startswith("-I")]
    lib = [os.path.realpath(f[2:]) for f in shlex.split(libs) if f.startswith("-L")]
    return inc, lib


def make_ffi():
    inc, lib = locate()
    rpath = [d for d in lib if d not in SYSTEM_LIBDIRS]
    ffibuilder = FFI()
    ffibuilder.cdef(CDEF)
    # naming the library's folders in the generated C makes a build against
    # another prefix regenerate and recompile it (not reuse python/build/)
    where = f"/* libomreg from {lib}, headers from {inc} */\n"
    ffibuilder.set_source("omreg._lib", where + SOURCE, libraries=["omreg"], include_dirs=inc,
                          library_dirs=lib, runtime_library_dirs=rpath,
                          extra_compile_args=["-std=c11", "-ffp-contract=off"])
    return ffibuilder


ffibuilder = make_ffi()

if __name__ == "__main__":
    ffibuilder.compile(verbose=True)
