"""The high-level API: dipy.align.affine_registration / syn_registration
with DIPY's parameters, run by libomreg (omreg._lib, cffi API mode; every
library call releases the GIL). Python converts arrays and options only."""
import contextlib
import contextvars
import os
import threading

import numpy as np

from ._lib import ffi, lib


class Cancelled(Exception):
    """The progress callback returned a true value: the registration stopped
    and returned nothing."""


# ---- settings: omreg.config(...) ------------------------------------------

_BACKENDS = ("parallel", "reference")
_settings = contextvars.ContextVar("omreg_settings", default=(0, "parallel"))


@contextlib.contextmanager
def config(threads=None, backend=None):
    """Run the registrations inside the `with` block with `threads` threads
    (0: the library's default, i.e. OpenMP's count when the run starts) and
    the `backend` kernel table ('parallel' or 'reference'). None keeps the
    enclosing setting. The count goes to each registration's `threads`
    option, not to OpenMP's global state; the result is the same bits for
    any count and either backend. Settings are per thread / asyncio task
    (contextvars) and nest."""
    cur_threads, cur_backend = _settings.get()
    if threads is not None:
        if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 0:
            raise ValueError(f"config: threads must be an integer >= 0 (0: the default), "
                             f"got {threads!r}")
        cur_threads = int(threads)
    if backend is not None:
        if backend not in _BACKENDS:
            raise ValueError(f"config: backend must be one of {_BACKENDS}, got {backend!r}")
        cur_backend = backend
    token = _settings.set((cur_threads, cur_backend))
    try:
        yield
    finally:
        _settings.reset(token)


def _backend():
    threads, name = _settings.get()
    return threads, lib.omreg_backend_by_name(name.encode())


# ---- errors ----------------------------------------------------------------

def _raise(status, what):
    msg = ffi.string(lib.omreg_last_error()).decode("utf-8", "replace")
    name = ffi.string(lib.omreg_status_str(status)).decode()
    text = f"{what}: {msg} ({name})" if msg else f"{what}: {name}"
    if status == lib.OMREG_ENOMEM:
        raise MemoryError(text)
    if status == lib.OMREG_EIO:
        raise OSError(text)
    if status == lib.OMREG_ECANCELED:
        raise Cancelled(text)
    raise ValueError(text)


def _check(status, what):
    if status != lib.OMREG_OK:
        _raise(status, what)


# ---- progress and cancellation --------------------------------------------
# The library calls back on the calling thread between evaluations /
# iterations; cffi takes the GIL for the callback, so a pending SIGINT
# raises KeyboardInterrupt there. Any exception (or a true return value of
# the user's callback) makes the callback return 1: the library stops with
# OMREG_ECANCELED, frees what it allocated and writes no result, and the
# exception is raised again once the call has returned.

_current = threading.local()


class _Run:
    def __init__(self, progress):
        if progress is not None and not callable(progress):
            raise TypeError(f"progress must be callable or None, got {progress!r}")
        self.progress = progress
        self.exc = None
        self.handle = ffi.new_handle(self)

    def __enter__(self):
        self.outer = getattr(_current, "run", None)
        _current.run = self
        return self

    def __exit__(self, *exc):
        _current.run = self.outer
        return False

    def report(self, info):
        if self.progress is None:
            return 0
        return 1 if self.progress(info) else 0

    def finish(self, status, what):
        if self.exc is not None:
            exc, self.exc = self.exc, None
            raise exc
        _check(status, what)


def _onerror(exc_type, exc_value, tb):
    # an exception raised before the callback's own handler could catch it
    # (e.g. KeyboardInterrupt at the function's entry)
    run = getattr(_current, "run", None)
    if run is not None and run.exc is None:
        run.exc = exc_value
    return 1


_AFFINE_EVENTS = ("evaluation", "level_start", "level_end")
_SYN_EVENTS = ("iteration", "level_start", "level_end")


@ffi.def_extern(onerror=_onerror)
def _omreg_affine_progress(ctx, p):
    run = ffi.from_handle(ctx)
    try:
        return run.report({
            "event": _AFFINE_EVENTS[p.event],
            "stage": ffi.string(p.stage).decode() if p.stage != ffi.NULL else None,
            "level": p.level, "max_iter": p.max_iter, "evaluation": p.evaluation,
            "iterations": p.iterations, "mi": p.mi,
            "stop_reason": (ffi.string(p.stop_reason).decode()
                            if p.stop_reason != ffi.NULL else None)})
    except BaseException as e:  # noqa: B036 -- KeyboardInterrupt must cancel too
        run.exc = e
        return 1


@ffi.def_extern(onerror=_onerror)
def _omreg_syn_progress(ctx, p):
    run = ffi.from_handle(ctx)
    try:
        return run.report({
            "event": _SYN_EVENTS[p.event], "level": p.level, "max_iter": p.max_iter,
            "iteration": p.iteration, "energy": p.energy, "derivative": p.derivative})
    except BaseException as e:  # noqa: B036
        run.exc = e
        return 1


# ---- arrays and images -----------------------------------------------------

def _read_input(data, affine, name):
    """DIPY's read_img_arr_or_path: an array (its affine required), a
    nibabel image or a path nibabel reads; an explicit affine wins."""
    img_affine = None
    if isinstance(data, (str, os.PathLike)):
        import nibabel
        data = nibabel.load(os.fspath(data))
    if hasattr(data, "get_fdata") and hasattr(data, "affine"):
        img_affine = np.asarray(data.affine, dtype=np.float64)
        data = data.get_fdata()
        if data.ndim == 2 and img_affine.shape == (4, 4):
            img_affine = img_affine[np.ix_([0, 1, 3], [0, 1, 3])]  # the z = 0 plane
    arr = _as_array(data, name)
    if affine is None:
        affine = img_affine
    if affine is None:
        raise ValueError(f"{name}: an array needs its affine ({name}_affine), "
                         "as in dipy.align")
    return arr, _as_affine(affine, arr.ndim, f"{name}_affine")


def _as_array(data, name, shape=None):
    """A C-contiguous float64 copy (or the array itself when it already is
    one): any real dtype, 2D or 3D, no empty axis; non-contiguous and
    read-only arrays are read as they are."""
    a = np.asarray(data)
    if a.dtype.kind not in "biuf":
        raise TypeError(f"{name}: dtype {a.dtype} is not a real number type "
                        "(bool, integer or floating point)")
    if a.ndim not in (2, 3):
        raise ValueError(f"{name}: expected a 2D or 3D array, got {a.ndim}D "
                         f"(shape {a.shape})")
    if 0 in a.shape:
        raise ValueError(f"{name}: empty axis (shape {a.shape})")
    if shape is not None and a.shape != tuple(shape):
        raise ValueError(f"{name}: shape {a.shape} differs from the image's {tuple(shape)}")
    return np.ascontiguousarray(a, dtype=np.float64)


def _as_affine(m, dim, name):
    a = np.asarray(m)
    if a.dtype.kind not in "iuf" or a.shape != (dim + 1, dim + 1):
        raise ValueError(f"{name}: expected a {dim + 1}x{dim + 1} real matrix for {dim}D "
                         f"images, got shape {a.shape} dtype {a.dtype}")
    return np.ascontiguousarray(a, dtype=np.float64)


class _Images:
    """omreg_image views of numpy arrays (kept alive here), freed on exit."""

    def __init__(self):
        self.keep, self.images = [], []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        for img in self.images:
            lib.omreg_image_free(img)
        self.images = []
        return False

    def wrap(self, arr, grid2world, what):
        out = ffi.new("omreg_image **")
        shape = ffi.new("size_t[3]", list(arr.shape) + [1] * (3 - arr.ndim))
        g = ffi.new("double[]", grid2world.ravel().tolist())
        _check(lib.omreg_image_wrap(out, ffi.from_buffer(arr), arr.ndim, shape, 1,
                                    lib.OMREG_F64, g), what)
        self.keep.append(arr)
        self.images.append(out[0])
        return out[0]

    def own(self, img):
        self.images.append(img)
        return img


def _to_numpy(img):
    ndim, ncomp = lib.omreg_image_ndim(img), lib.omreg_image_ncomp(img)
    shp = lib.omreg_image_shape(img)
    shape = tuple(int(shp[i]) for i in range(ndim)) + ((ncomp,) if ncomp > 1 else ())
    dtype = np.float64 if lib.omreg_image_dtype(img) == lib.OMREG_F64 else np.float32
    nbytes = int(lib.omreg_image_voxels(img)) * ncomp * np.dtype(dtype).itemsize
    buf = ffi.buffer(lib.omreg_image_cdata(img), nbytes)
    return np.frombuffer(buf, dtype=dtype).reshape(shape).copy()


def _matrix(ptr, dim):
    if ptr == ffi.NULL:
        return None
    n1 = dim + 1
    return np.array([ptr[i] for i in range(n1 * n1)], dtype=np.float64).reshape(n1, n1)


def _levels(values, name, maxlen):
    seq = list(values)
    if not 1 <= len(seq) <= maxlen:
        raise ValueError(f"{name}: 1 to {maxlen} levels, got {len(seq)}")
    return seq


# ---- affine ----------------------------------------------------------------

_PIPELINE = {"center_of_mass": "com", "translation": "translation", "rigid": "rigid",
             "rigid_isoscaling": "rigidisoscaling", "rigid_scaling": "rigidscaling",
             "affine": "affine"}
_MI_KWARGS = ("nbins", "sampling_proportion")


def affine_registration(moving, static, moving_affine=None, static_affine=None,
                        pipeline=None, starting_affine=None, metric='MI', level_iters=None,
                        sigmas=None, factors=None, ret_metric=False, moving_mask=None,
                        static_mask=None, *, progress=None, mode='dipy', seed=0,
                        fast_samples=None, fast_iterations=None, **metric_kwargs):
    """dipy.align.affine_registration on libomreg: the same parameters and
    defaults (pipeline ["center_of_mass", "translation", "rigid",
    "affine"], level_iters [10000, 1000, 100], sigmas [3, 1, 0], factors
    [4, 2, 1], metric 'MI' with nbins=32, sampling_proportion=None), the
    same return value: (resampled, affine), or (resampled, affine, xopt,
    fopt) with ret_metric. `progress` (keyword only): called with a dict
    at every metric evaluation and at each level's start and end; a true
    return value cancels (omreg.Cancelled). Ctrl-C cancels too
    (KeyboardInterrupt). Settings: omreg.config(). Beyond DIPY (keyword
    only): mode='fast' runs omreg's fast mode (stochastic Mattes MI and
    Adam; default pipeline ["center_of_mass", "affine"], nbins 64; level_iters are
    then unused), seeded by `seed` (same seed, same bits at any thread
    count), with fast_samples points per iteration (2048) and
    fast_iterations per level (256); mode='dipy' (default) is DIPY's."""
    if mode not in ('dipy', 'fast'):
        raise ValueError(f"mode must be 'dipy' or 'fast', got {mode!r}")
    if pipeline is None and mode == 'fast':
        pipeline = ["center_of_mass", "affine"]
    pipeline = list(pipeline or ["center_of_mass", "translation", "rigid", "affine"])
    level_iters = level_iters or [10000, 1000, 100]
    sigmas = sigmas or [3, 1, 0.0]
    factors = factors or [4, 2, 1]
    if metric != 'MI':
        raise ValueError(f"metric: only 'MI' (mutual information) exists, got {metric!r}")
    unknown = sorted(set(metric_kwargs) - set(_MI_KWARGS))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {unknown}: the MI metric takes "
                        f"{list(_MI_KWARGS)}")
    names = []
    for i, step in enumerate(pipeline):
        if not isinstance(step, str) or step not in _PIPELINE:
            raise ValueError(f"pipeline[{i}] must be one of {list(_PIPELINE)}, got {step!r}")
        names.append(_PIPELINE[step])
    if pipeline == ["center_of_mass"] and ret_metric:
        raise ValueError("center of mass registration cannot return any quality metric.")

    static, static_affine = _read_input(static, static_affine, "static")
    moving, moving_affine = _read_input(moving, moving_affine, "moving")
    if static.ndim != moving.ndim:
        raise ValueError(f"static is {static.ndim}D but moving is {moving.ndim}D")
    dim, n1 = static.ndim, static.ndim + 1
    start = None
    if starting_affine is not None:
        start = _as_affine(starting_affine, dim, "starting_affine")
    smask = None if static_mask is None else _as_array(static_mask, "static_mask", static.shape)
    mmask = None if moving_mask is None else _as_array(moving_mask, "moving_mask", moving.shape)

    threads, backend = _backend()
    o = ffi.new("omreg_affine_options *", lib.omreg_affine_default_options())
    level_iters = _levels(level_iters, "level_iters", lib.OMREG_AFFINE_MAX_LEVELS)
    sigmas = _levels(sigmas, "sigmas", lib.OMREG_AFFINE_MAX_LEVELS)
    factors = _levels(factors, "factors", lib.OMREG_AFFINE_MAX_LEVELS)
    if not len(level_iters) == len(sigmas) == len(factors):
        raise ValueError(f"level_iters, sigmas and factors need one entry per level: "
                         f"{len(level_iters)}, {len(sigmas)}, {len(factors)}")
    o.nlevels = len(level_iters)
    o.mode = lib.OMREG_AFFINE_MODE_FAST if mode == 'fast' else lib.OMREG_AFFINE_MODE_DIPY
    o.seed = int(seed)
    o.fast_samples = int(fast_samples or 0)
    o.fast_iterations = int(fast_iterations or 0)
    for i, (it, sg, fa) in enumerate(zip(level_iters, sigmas, factors)):
        if int(fa) != fa:
            raise ValueError(f"factors[{i}]: an integer shrink factor, got {fa!r}")
        o.level_iters[i], o.sigmas[i], o.factors[i] = int(it), float(sg), int(fa)
    if "nbins" in metric_kwargs:
        o.nbins = int(metric_kwargs["nbins"])
    elif mode == 'fast':
        o.nbins = 64  # fast mode's default, as `omreg affine --mode fast`
    sp = metric_kwargs.get("sampling_proportion")
    o.sampling_proportion = 0.0 if sp is None else float(sp)
    if sp is not None and not 0.0 < float(sp) <= 1.0:
        raise ValueError(f"sampling_proportion must be None or in (0, 1], got {sp!r}")
    o.threads = threads

    steps = ffi.new("omreg_affine_pipeline_step[16]")
    nsteps = ffi.new("int *")
    _check(lib.omreg_affine_pipeline_parse(",".join(names).encode(), steps, 16, nsteps),
           "pipeline")
    res = ffi.new("omreg_affine_result *")
    out = ffi.new("omreg_image **")
    with _Images() as imgs, _Run(progress) as run:
        s = imgs.wrap(static, static_affine, "static")
        m = imgs.wrap(moving, moving_affine, "moving")
        sm = ffi.NULL if smask is None else imgs.wrap(smask, static_affine, "static_mask")
        mm = ffi.NULL if mmask is None else imgs.wrap(mmask, moving_affine, "moving_mask")
        o.progress = lib._omreg_affine_progress
        o.progress_ctx = run.handle
        startp = ffi.NULL if start is None else ffi.new("double[]", start.ravel().tolist())
        lib.omreg_clear_error()
        st = lib.omreg_affine_pipeline(backend, s, m, sm, mm, steps, nsteps[0], startp, o, res)
        run.finish(st, "affine registration")
        shape = ffi.new("size_t[3]", list(static.shape) + [1] * (3 - dim))
        g = ffi.new("double[]", static_affine.ravel().tolist())
        _check(lib.omreg_affine_map_transform(backend, res.affine, 0, m, shape, g, 0, out),
               "resampling moving")
        resampled = _to_numpy(imgs.own(out[0]))
    affine = np.array([res.affine[i] for i in range(n1 * n1)]).reshape(n1, n1)
    if ret_metric:
        xopt = np.array([res.params[i] for i in range(res.nparams)])
        return resampled, affine, xopt, -res.mi
    return resampled, affine


# ---- SyN -------------------------------------------------------------------

_SYN_KWARGS = {"CC": ("sigma_diff", "radius"),
               "SSD": ("smooth", "inner_iter", "step_type", "gs_order"),
               "EM": ("smooth", "inner_iter", "q_levels", "double_gradient", "step_type",
                      "gs_order")}


class DiffeomorphicMapArrays:
    """What syn_registration returns when DIPY is not importable: the
    attributes of DIPY's DiffeomorphicMap, as plain arrays."""

    def __init__(self, **fields):
        self.__dict__.update(fields)

    def __repr__(self):
        return (f"DiffeomorphicMapArrays(dim={self.dim}, disp_shape={self.disp_shape}, "
                f"is_inverse={self.is_inverse})")


def _dipy_map_class():
    try:
        from dipy.align.imwarp import DiffeomorphicMap
    except ImportError:
        return None
    return DiffeomorphicMap


def _mapping(dmap, dim):
    def shape(which):
        p = lib.omreg_diffeomap_shape(dmap, which)
        return tuple(int(p[i]) for i in range(dim))

    fields = dict(
        dim=dim,
        disp_shape=shape(lib.OMREG_DM_DISP),
        disp_grid2world=_matrix(lib.omreg_diffeomap_matrix_get(dmap, lib.OMREG_DM_DISP_GRID2WORLD), dim),
        domain_shape=shape(lib.OMREG_DM_DOMAIN),
        domain_grid2world=_matrix(lib.omreg_diffeomap_matrix_get(dmap, lib.OMREG_DM_DOMAIN_GRID2WORLD), dim),
        codomain_shape=shape(lib.OMREG_DM_CODOMAIN),
        codomain_grid2world=_matrix(lib.omreg_diffeomap_matrix_get(dmap, lib.OMREG_DM_CODOMAIN_GRID2WORLD), dim),
        prealign=_matrix(lib.omreg_diffeomap_matrix_get(dmap, lib.OMREG_DM_PREALIGN), dim))
    forward = _to_numpy(lib.omreg_diffeomap_forward(dmap))
    backward = _to_numpy(lib.omreg_diffeomap_backward(dmap))
    is_inverse = bool(lib.omreg_diffeomap_is_inverse(dmap))
    cls = _dipy_map_class()
    if cls is None:
        return DiffeomorphicMapArrays(forward=forward, backward=backward, is_inverse=is_inverse,
                                      **fields)
    m = cls(dim, fields["disp_shape"], fields["disp_grid2world"], fields["domain_shape"],
            fields["domain_grid2world"], fields["codomain_shape"],
            fields["codomain_grid2world"], fields["prealign"])
    m.forward, m.backward, m.is_inverse = forward, backward, is_inverse
    return m


def syn_registration(moving, static, moving_affine=None, static_affine=None,
                     step_length=0.25, metric='CC', dim=3, level_iters=None, prealign=None,
                     *, progress=None, mode='dipy', **metric_kwargs):
    """dipy.align.syn_registration on libomreg: the same parameters and
    defaults (metric 'CC', level_iters [10, 10, 5], the metric's own
    defaults for metric_kwargs), the same return value (warped_moving,
    mapping), mapping being DIPY's DiffeomorphicMap when DIPY is importable
    (else omreg.DiffeomorphicMapArrays with the same attributes).
    `progress` (keyword only): called with a dict after every iteration
    and at each level's start and end; a true return value cancels
    (omreg.Cancelled). Ctrl-C cancels too (KeyboardInterrupt). Settings:
    omreg.config(). `mode` (keyword only): 'dipy' (default) is DIPY's
    arithmetic; 'fast' is omreg's fast mode (CC window sums by parallel box
    sums: same windows, not DIPY's bits), as `omreg syn --mode fast`."""
    if mode not in ('dipy', 'fast'):
        raise ValueError(f"mode must be 'dipy' or 'fast', got {mode!r}")
    level_iters = _levels(level_iters or [10, 10, 5], "level_iters", lib.OMREG_SYN_MAX_LEVELS)
    if not isinstance(metric, str) or metric.upper() not in _SYN_KWARGS:
        raise ValueError(f"metric must be one of {list(_SYN_KWARGS)}, got {metric!r}")
    metric = metric.upper()
    unknown = sorted(set(metric_kwargs) - set(_SYN_KWARGS[metric]))
    if unknown:
        raise TypeError(f"unexpected keyword argument(s) {unknown}: the {metric} metric "
                        f"takes {list(_SYN_KWARGS[metric])}")
    static, static_affine = _read_input(static, static_affine, "static")
    moving, moving_affine = _read_input(moving, moving_affine, "moving")
    if static.ndim != moving.ndim:
        raise ValueError(f"static is {static.ndim}D but moving is {moving.ndim}D")
    if dim != static.ndim:
        raise ValueError(f"dim={dim} but the images are {static.ndim}D")
    pre = None if prealign is None else _as_affine(prealign, dim, "prealign")

    mtype = ffi.new("omreg_syn_metric_type *")
    _check(lib.omreg_syn_metric_from_name(metric.lower().encode(), mtype), "metric")
    threads, backend = _backend()
    o = ffi.new("omreg_syn_options *", lib.omreg_syn_default_options(mtype[0]))
    for key, value in metric_kwargs.items():
        if key == "step_type":
            stype = ffi.new("omreg_syn_step_type *")
            _check(lib.omreg_syn_step_type_from_name(str(value).encode(), stype), "step_type")
            o.metric.step_type = stype[0]
        elif key == "gs_order":  # omreg's: 'lexicographic' (DIPY's, default) or 'red-black'
            order = ffi.new("omreg_ssd_order *")
            _check(lib.omreg_ssd_order_from_name(str(value).encode(), order), "gs_order")
            o.metric.gs_order = order[0]
        elif key == "double_gradient":
            o.metric.double_gradient = 1 if value else 0
        elif key in ("radius", "inner_iter", "q_levels"):
            if int(value) != value:
                raise ValueError(f"{key} must be an integer, got {value!r}")
            setattr(o.metric, key, int(value))
        else:
            setattr(o.metric, key, float(value))
    o.nlevels = len(level_iters)
    for i, it in enumerate(level_iters):
        o.level_iters[i] = int(it)
    o.step_length = float(step_length)
    o.threads = threads
    o.mode = lib.OMREG_SYN_MODE_FAST if mode == 'fast' else lib.OMREG_SYN_MODE_DIPY

    out = ffi.new("omreg_diffeomap **")
    warped = ffi.new("omreg_image **")
    with _Images() as imgs, _Run(progress) as run:
        s = imgs.wrap(static, static_affine, "static")
        m = imgs.wrap(moving, moving_affine, "moving")
        o.progress = lib._omreg_syn_progress
        o.progress_ctx = run.handle
        prep = ffi.NULL if pre is None else ffi.new("double[]", pre.ravel().tolist())
        lib.omreg_clear_error()
        st = lib.omreg_syn_register(backend, s, m, prep, o, out, ffi.NULL)
        run.finish(st, "SyN registration")
        dmap = out[0]
        try:
            _check(lib.omreg_diffeomap_transform(backend, dmap, m, lib.OMREG_WARP_LINEAR,
                                                 ffi.NULL, ffi.NULL, ffi.NULL, warped),
                   "warping moving")
            warped_moving = _to_numpy(imgs.own(warped[0]))
            mapping = _mapping(dmap, dim)
        finally:
            lib.omreg_diffeomap_free(dmap)
    return warped_moving, mapping
