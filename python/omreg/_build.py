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
#define OMREG_SYN_MAX_LEVELS ...
typedef struct omreg_syn_metric_options {
    omreg_syn_metric_type type;
    double sigma_diff;
    int radius;
    double smooth;
    int inner_iter;
    omreg_syn_step_type step_type;
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
    ...;
} omreg_syn_options;
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

extern "Python" int _omreg_affine_progress(void *, const omreg_affine_progress *);
extern "Python" int _omreg_syn_progress(void *, const omreg_syn_progress *);
"""

SOURCE = r"""
#include "omreg/affine.h"
#include "omreg/backend.h"
#include "omreg/diffeomap.h"
#include "omreg/image.h"
#include "omreg/status.h"
#include "omreg/syn.h"
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
