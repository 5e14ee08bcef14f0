"""Replacements of dipy.align's compiled kernels (DIPY 1.6) that call
libomreg's public C API through omreg._lib. Python converts arguments,
checks them as DIPY's Cython does (same exception types) and copies results
into numpy arrays; the loops run in C with the GIL released.

Every replacement counts its calls in CALLS (name -> routed to omreg) and
FALLBACKS (name -> handed back to DIPY's own kernel for a case omreg's API
does not cover; see GAPS in omreg.dipy)."""
import collections

import numpy as np

from .. import _api
from .._lib import ffi, lib

CALLS = collections.Counter()
FALLBACKS = collections.Counter()
ORIGINAL = {}        # "module:name" -> DIPY's function, filled by patch()
BACKEND = [None]     # None: omreg.config's backend; else 'reference' | 'parallel'

_FLOAT = (np.dtype(np.float32), np.dtype(np.float64))


def _backend():
    if BACKEND[0] is not None:
        return lib.omreg_backend_by_name(BACKEND[0].encode())
    return _api._backend()[1]


def _check(status, what):
    if status != lib.OMREG_OK:
        _api._raise(status, what)


def _dipy(key, *args, **kw):
    FALLBACKS[key] += 1
    return ORIGINAL[key](*args, **kw)


# ---- argument conversion (Cython's typed-memoryview rules) -----------------

def _first(arr, nd):
    """The fused `floating` argument that selects DIPY's specialisation: any
    other dtype or rank is Cython's TypeError (no matching signature)."""
    a = np.asarray(arr)
    if a.dtype not in _FLOAT or a.ndim != nd:
        raise TypeError("No matching signature found")
    return a


def _same(arr, nd, dtype, name):
    """A further `floating` argument: it must have the first one's dtype and
    its rank (Cython's ValueError 'Buffer dtype mismatch')."""
    a = np.asarray(arr)
    if a.ndim != nd:
        raise ValueError(f"Buffer has wrong number of dimensions (expected {nd}, got {a.ndim})")
    if a.dtype != dtype:
        raise ValueError(f"Buffer dtype mismatch for {name}: expected {dtype}, got {a.dtype}")
    return a


def _typed(a, nd, dtype, ctype, name):
    """A typed-memoryview argument (double[:, ...], int[:, ...]) of nd axes:
    Cython's ValueError for another rank or dtype; C-contiguous."""
    a = np.asarray(a)
    if a.ndim != nd:
        raise ValueError(f"Buffer has wrong number of dimensions (expected {nd}, got {a.ndim})")
    if a.dtype != dtype:
        raise ValueError(f"Buffer dtype mismatch for {name}, expected '{ctype}' but got {a.dtype}")
    return np.ascontiguousarray(a)


def _f64(a, nd, name):
    return _typed(a, nd, np.float64, "double", name)


# Integer images on the nearest-neighbour kernels: those kernels move values
# bit for bit (no arithmetic on them; outside is 0, whose bits are integer
# 0), so an int32 / int64 image viewed as float32 / float64 comes out as
# DIPY's integer result. Other integer widths (int16) stay DIPY's.
_BITS = {np.dtype(np.int32): np.dtype(np.float32), np.dtype(np.int64): np.dtype(np.float64)}


def _as_bits(a):
    """(a viewed as the float type of its width, its own dtype), or None."""
    a = np.asarray(a)
    ft = _BITS.get(a.dtype)
    if ft is None:
        return None
    return np.ascontiguousarray(a).view(ft), a.dtype


class _Img:
    """An omreg_image borrowing a C-contiguous copy (or the array itself)."""

    def __init__(self, arr, ndim, field):
        self.arr = np.ascontiguousarray(arr)
        self.buf = ffi.from_buffer(self.arr)
        p = ffi.new("omreg_image **")
        shape = ffi.new("size_t[]", [int(s) for s in self.arr.shape[:ndim]])
        dt = lib.OMREG_F64 if self.arr.dtype == np.float64 else lib.OMREG_F32
        _check(lib.omreg_image_wrap(p, self.buf, ndim, shape, ndim if field else 1, dt, ffi.NULL),
               "omreg_image_wrap")
        # the destructor holds the array: `_Img(a, ...).ptr` passed to a call
        # keeps the (possibly copied) data alive for the call's duration
        keep = (self.arr, self.buf)
        self.ptr = ffi.gc(p[0], lambda q, keep=keep: lib.omreg_image_free(q))


def _take(pp):
    """numpy copy of a new image *pp, which is freed."""
    img = ffi.gc(pp[0], lib.omreg_image_free)
    return _api._to_numpy(img)


def _valid(M, dim):
    """DIPY's is_valid_affine (None is valid)."""
    if M is None:
        return True
    M = np.asarray(M)
    if M.shape[0] < dim or M.shape[1] < dim + 1:
        return False
    return bool(np.all(np.isfinite(M)))


def _aff(M, dim, message):
    """A double[:, :] affine argument: None -> NULL; DIPY's checks; the first
    dim rows (the only ones DIPY reads) in a (dim+1)^2 row-major array."""
    if M is None:
        return ffi.NULL
    a = np.asarray(M)
    if a.ndim != 2:
        raise ValueError(f"Buffer has wrong number of dimensions (expected 2, got {a.ndim})")
    if a.dtype != np.float64:
        raise ValueError(f"Buffer dtype mismatch, expected 'double' but got {a.dtype}")
    if not _valid(a, dim):
        raise ValueError(message)
    full = np.eye(dim + 1)
    full[:dim, :] = a[:dim, :dim + 1]
    return ffi.new("double[]", full.ravel().tolist())


def _shape(s, dim):
    return ffi.new("size_t[]", [int(v) for v in np.asarray(s).ravel()[:dim]])


def _dtype_of(a):
    return lib.OMREG_F64 if a.dtype == np.float64 else lib.OMREG_F32


def _counted(name):
    def deco(fn):
        def wrapper(*args, **kw):
            CALLS[name] += 1
            return fn(*args, **kw)
        wrapper.__name__ = fn.__name__
        wrapper.__qualname__ = fn.__qualname__
        wrapper.__doc__ = fn.__doc__
        wrapper.__wrapped_omreg__ = True
        return wrapper
    return deco


# ---- dipy.align.vector_fields -------------------------------------------------

def _make_compose(dim, msg_index):
    def compose(d1, d2, premult_index, premult_disp, time_scaling, comp=None):
        a1 = _first(d1, dim + 1)
        a2 = _same(d2, dim + 1, a1.dtype, "d2")
        if comp is None:
            comp = np.zeros_like(a1)
        c = _same(comp, dim + 1, a1.dtype, "comp")
        A = _aff(premult_index, dim, msg_index)
        B = _aff(premult_disp, dim, ("Invalid displacement pre-multiplication matrix" if dim == 3
                                     else "Invalid displacement multiplication matrix"))
        inplace = c is a1 or (c.__array_interface__["data"][0] == a1.__array_interface__["data"][0]
                              and c.flags.c_contiguous and a1.flags.c_contiguous)
        i1 = _Img(a1, dim, True)
        i2 = _Img(a2, dim, True)
        ic = i1 if inplace else _Img(c, dim, True)
        stats = ffi.new("double[3]")
        _check(lib.omreg_compose_vector_fields(_backend(), i1.ptr, i2.ptr, A, B,
                                               float(time_scaling), ic.ptr, stats),
               f"compose_vector_fields_{dim}d")
        if ic.arr is not c:
            c[...] = ic.arr
        return c, np.array([stats[0], stats[1], stats[2]])
    return compose


def _make_invert(dim):
    def invert(d, d_world2grid, spacing, max_iter, tolerance, start=None):
        a = _first(d, dim + 1)
        W = _aff(d_world2grid, dim, "Invalid world-to-image transform")
        sp = np.asarray(spacing, dtype=np.float64)
        s = None
        if start is not None:
            s = _Img(_same(start, dim + 1, a.dtype, "start"), dim, True)
        out = ffi.new("omreg_image **")
        _check(lib.omreg_invert_vector_field_fixed_point(
            _backend(), _Img(a, dim, True).ptr, W, ffi.new("double[]", sp.tolist()),
            int(max_iter), float(tolerance), s.ptr if s else ffi.NULL, out, ffi.NULL),
            f"invert_vector_field_fixed_point_{dim}d")
        return _take(out)
    return invert


def _make_simplify(dim):
    def simplify(d, affine_idx_in, affine_idx_out, affine_disp, out_shape):
        a = _first(d, dim + 1)
        U = _aff(affine_idx_in, dim, "Invalid inner index multiplication matrix")
        V = _aff(affine_idx_out, dim, "Invalid outer index multiplication matrix")
        W = _aff(affine_disp, dim, "Invalid displacement multiplication matrix")
        out = ffi.new("omreg_image **")
        _check(lib.omreg_simplify_warp_function(_backend(), _Img(a, dim, True).ptr, U, V, W,
                                                _shape(out_shape, dim), out),
               f"simplify_warp_function_{dim}d")
        return _take(out)
    return simplify


def _make_reorient(dim):
    def reorient(d, affine):
        a = _first(d, dim + 1)
        A = _aff(affine, dim, "Invalid affine transform matrix")
        if affine is None:
            return None
        img = _Img(a, dim, True)
        _check(lib.omreg_reorient_vector_field(_backend(), img.ptr, A),
               f"reorient_vector_field_{dim}d")
        if img.arr is not a:
            a[...] = img.arr
        if isinstance(d, np.ndarray) and d is not a:
            d[...] = a
        return None
    return reorient


def _downsample(dim, field):
    def down(f):
        a = _first(f, dim + (1 if field else 0))
        out = ffi.new("omreg_image **")
        _check(lib.omreg_downsample_field(_backend(), _Img(a, dim, field).ptr, out),
               "downsample_field")
        return _take(out)
    return down


def _make_warp_coordinates(dim):
    def warp_coordinates(points, d1, in2world, world2out, field_world2grid):
        a = _first(d1, dim + 1)
        pts = np.array(points, dtype=np.float64)
        if pts.ndim != 2:
            raise ValueError(f"Buffer has wrong number of dimensions (expected 2, got {pts.ndim})")
        pts = np.ascontiguousarray(pts[:, :dim])
        n = pts.shape[0]
        out = np.zeros((n, dim), dtype=np.float64)
        msg = "Invalid affine transform matrix"
        _check(lib.omreg_warp_coordinates(_backend(), _Img(a, dim, True).ptr,
                                          ffi.from_buffer("double[]", pts), n,
                                          _aff(in2world, dim, msg), _aff(world2out, dim, msg),
                                          _aff(field_world2grid, dim, msg),
                                          ffi.from_buffer("double[]", out)),
               f"warp_coordinates_{dim}d")
        return out
    return warp_coordinates


def _make_warp(dim, nearest, key):
    def warp(volume, d1, affine_idx_in=None, affine_idx_out=None, affine_disp=None,
             out_shape=None):
        v = np.asarray(volume)
        itype = None
        if nearest and v.dtype not in _FLOAT:
            bits = _as_bits(v) if v.ndim == dim else None
            if bits is None:   # int16, complex: DIPY's (GAPS)
                return _dipy(key, volume, d1, affine_idx_in, affine_idx_out, affine_disp,
                             out_shape)
            v, itype = bits
        v = _first(v, dim)
        f = np.asarray(d1)
        if f.dtype not in _FLOAT or f.ndim != dim + 1:
            raise TypeError("No matching signature found")
        if f.dtype != v.dtype:
            if nearest:     # DIPY's nn warp takes any field dtype
                f = f.astype(v.dtype)
            else:
                raise ValueError("Buffer dtype mismatch")
        A = _aff(affine_idx_in, dim, "Invalid inner index multiplication matrix")
        B = _aff(affine_idx_out, dim, "Invalid outer index multiplication matrix")
        C = _aff(affine_disp, dim, "Invalid displacement multiplication matrix")
        shape = _shape(out_shape if out_shape is not None else f.shape[:dim], dim)
        out = ffi.new("omreg_image **")
        _check(lib.omreg_warp(_backend(), _Img(v, dim, False).ptr, _Img(f, dim, True).ptr,
                              A, B, C, shape,
                              lib.OMREG_WARP_NEAREST if nearest else lib.OMREG_WARP_LINEAR, out),
               f"warp_{dim}d{'_nn' if nearest else ''}")
        res = _take(out)
        return res if itype is None else res.view(itype)
    return warp


def _make_transform_affine(dim, nearest, key):
    def transform(volume, ref_shape, affine=None):
        v = np.asarray(volume)
        itype = None
        if nearest and v.dtype not in _FLOAT:
            bits = _as_bits(v) if v.ndim == dim else None
            if bits is None:   # int16, complex: DIPY's (GAPS)
                return _dipy(key, volume, ref_shape, affine)
            v, itype = bits
        v = _first(v, dim)
        A = _aff(affine, dim, "Invalid affine transform matrix")
        # a singular matrix is applied as DIPY applies it
        out = ffi.new("omreg_image **")
        st = lib.omreg_transform_affine(_backend(), _Img(v, dim, False).ptr,
                                        _shape(ref_shape, dim), A, int(nearest), out)
        _check(st, f"transform_{dim}d_affine{'_nn' if nearest else ''}")
        res = _take(out)
        return res if itype is None else res.view(itype)
    return transform


def _make_resample(dim):
    def resample(field, factors, out_shape):
        a = _first(field, dim + 1)
        fac = np.asarray(factors, dtype=np.float64).ravel()
        out = ffi.new("omreg_image **")
        _check(lib.omreg_resample_displacement_field(_backend(), _Img(a, dim, True).ptr,
                                                     ffi.new("double[]", fac[:dim].tolist()),
                                                     _shape(out_shape, dim), out),
               f"resample_displacement_field_{dim}d")
        return _take(out)
    return resample


def _make_random(dim):
    def create_random(from_shape, from_grid2world, to_shape, to_grid2world):
        F = _aff(from_grid2world, dim, "Invalid 'from' affine transform matrix")
        T = _aff(to_grid2world, dim, "Invalid 'to' affine transform matrix")
        fs = [int(s) for s in np.asarray(from_shape).ravel()]
        if len(fs) != dim:   # DIPY: tuple(from_shape) + (dim,) into an int[dim+1 axes]
            raise ValueError(f"Buffer has wrong number of dimensions (expected {dim + 1}, "
                             f"got {len(fs) + 1})")
        # the seed comes from numpy's stream, so np.random.seed still decides
        seed = int(np.random.randint(0, 2**31 - 1))
        ints = np.empty(tuple(fs) + (dim,), dtype=np.intc)
        out = ffi.new("omreg_image **")
        _check(lib.omreg_create_random_displacement(_backend(), dim, _shape(fs, dim), F,
                                                    _shape(to_shape, dim), T, seed,
                                                    lib.OMREG_F64, out,
                                                    ffi.from_buffer("int[]", ints)),
               f"create_random_displacement_{dim}d")
        return _take(out), ints
    return create_random


def _make_harmonic(dim):
    def harmonic(*args):
        shape, (b, m) = args[:dim], args[dim:]
        d = ffi.new("omreg_image **")
        inv = ffi.new("omreg_image **")
        _check(lib.omreg_create_harmonic_fields(_backend(), dim, _shape(shape, dim), float(b),
                                                float(m), lib.OMREG_F64, d, inv),
               f"create_harmonic_fields_{dim}d")
        return _take(d), _take(inv)
    return harmonic


def create_circle(nrows, ncols, radius):
    out = ffi.new("omreg_image **")
    _check(lib.omreg_create_circle(_backend(), _shape((nrows, ncols), 2), int(radius),
                                   lib.OMREG_F64, out), "create_circle")
    return _take(out)


def create_sphere(nslices, nrows, ncols, radius):
    out = ffi.new("omreg_image **")
    _check(lib.omreg_create_sphere(_backend(), _shape((nslices, nrows, ncols), 3), int(radius),
                                   lib.OMREG_F64, out), "create_sphere")
    return _take(out)


# ---- dipy.core.interpolation ---------------------------------------------------

def _make_interpolate(dim, field, nearest, key):
    def interpolate(image, locations):
        a = np.asarray(image)
        itype = None
        if nearest and a.dtype not in _FLOAT:
            bits = _as_bits(a) if a.ndim == dim else None
            if bits is None:   # int16, complex: DIPY's (GAPS)
                return _dipy(key, image, locations)
            a, itype = bits
        a = _first(a, dim + (1 if field else 0))
        loc = np.asarray(locations)
        if dim == 3 and not field and not nearest:
            loc = np.asarray(locations, dtype=np.float64)   # untyped in DIPY
        if loc.ndim != 2:
            raise ValueError(f"Buffer has wrong number of dimensions (expected 2, got {loc.ndim})")
        if loc.dtype != np.float64:
            raise ValueError(f"Buffer dtype mismatch, expected 'double' but got {loc.dtype}")
        n = loc.shape[0]
        loc = np.ascontiguousarray(loc[:, :dim])
        out = np.zeros((n, dim) if field else (n,), dtype=a.dtype)
        inside = np.empty((n,), dtype=np.intc)
        ctype = "double[]" if a.dtype == np.float64 else "float[]"
        _check(lib.omreg_interpolate(_backend(), _Img(a, dim, field).ptr,
                                     ffi.from_buffer("double[]", loc), n, int(nearest),
                                     ffi.from_buffer(ctype, out), ffi.from_buffer("int[]", inside)),
               "interpolate")
        if itype is not None:
            out = out.view(itype)
        return out, inside.astype(np.int32, copy=False)
    return interpolate


# ---- dipy.align.crosscorr ------------------------------------------------------

def _make_cc_factors(dim, method):
    def precompute(static, moving, radius, num_threads=None):
        s = _first(static, dim)
        m = _same(moving, dim, s.dtype, "moving")
        if radius < 0:
            raise OverflowError("can't convert negative value to size_t")
        p = ffi.new("void **")
        _check(lib.omreg_cc_precompute_factors(_backend(), _Img(s, dim, False).ptr,
                                               _Img(m, dim, False).ptr, int(radius), method, p),
               f"precompute_cc_factors_{dim}d")
        n = s.size * 5
        try:
            ctype = "double[]" if s.dtype == np.float64 else "float[]"
            buf = ffi.buffer(ffi.cast(ctype.replace("[]", "*"), p[0]), n * s.dtype.itemsize)
            return np.frombuffer(buf, dtype=s.dtype).reshape(s.shape + (5,)).copy()
        finally:
            lib.free(p[0])
    return precompute


def _make_cc_step(dim, forward):
    fn = lib.omreg_cc_forward_step if forward else lib.omreg_cc_backward_step

    def step(grad, factors, radius):
        g = _first(grad, dim + 1)
        f = np.ascontiguousarray(_same(factors, dim + 1, g.dtype, "factors"))
        if f.shape != g.shape[:dim] + (5,):
            raise ValueError("factors do not match the gradient's shape")
        out = ffi.new("omreg_image **")
        energy = ffi.new("double *")
        _check(fn(_backend(), _Img(g, dim, True).ptr, ffi.from_buffer(f), int(radius), out,
                  energy), f"compute_cc_{'forward' if forward else 'backward'}_step_{dim}d")
        return _take(out), energy[0]
    return step


# ---- dipy.align.sumsqdiff ------------------------------------------------------

def solve_2d_symmetric_positive_definite(A, y, det):
    A = np.ascontiguousarray(A, float)
    y = np.ascontiguousarray(y, float)
    out = np.zeros(2, dtype=float)
    _check(lib.omreg_solve_2d_symmetric_positive_definite(
        ffi.from_buffer("double[]", A), ffi.from_buffer("double[]", y), float(det),
        ffi.from_buffer("double[]", out)), "solve_2d_symmetric_positive_definite")
    return out


def solve_3d_symmetric_positive_definite(g, y, tau):
    g = np.ascontiguousarray(g, float)
    y = np.ascontiguousarray(y, float)
    out = np.zeros(3, dtype=float)
    sing = ffi.new("int *")
    _check(lib.omreg_solve_3d_symmetric_positive_definite(
        ffi.from_buffer("double[]", g), ffi.from_buffer("double[]", y), float(tau),
        ffi.from_buffer("double[]", out), sing), "solve_3d_symmetric_positive_definite")
    return out, sing[0]


def _make_ssd_energy(dim):
    def energy(delta_field):
        d = _first(delta_field, dim)
        e = ffi.new("double *")
        _check(lib.omreg_ssd_energy(_backend(), _Img(d, dim, False).ptr, e),
               f"compute_energy_ssd_{dim}d")
        return e[0]
    return energy


def _into(out, dim, dtype, shape):
    """A caller's output field (None: a new zero one) and its omreg image."""
    if out is None:
        out = np.zeros(shape, dtype=dtype)
    o = _same(out, dim + 1, dtype, "out")
    return o, _Img(o, dim, True)


def _back(o, img):
    if img.arr is not o:
        o[...] = img.arr
    return o


def _make_ssd_demons(dim):
    def demons(delta_field, gradient_moving, sigma_sq_x, out):
        d = _first(delta_field, dim)
        g = _same(gradient_moving, dim + 1, d.dtype, "gradient_moving")
        o, oi = _into(out, dim, d.dtype, g.shape)
        e = ffi.new("double *")
        _check(lib.omreg_ssd_demons_step(_backend(), _Img(d, dim, False).ptr,
                                         _Img(g, dim, True).ptr, float(sigma_sq_x), oi.ptr, e),
               f"compute_ssd_demons_step_{dim}d")
        return _back(o, oi), e[0]
    return demons


def _make_ssd_residual(dim):
    def residual(delta_field, sigmasq_field, gradient_field, target, lambda_param, d,
                 residual=None):
        de = _first(delta_field, dim)
        sq = None if sigmasq_field is None else _Img(_same(sigmasq_field, dim, de.dtype,
                                                           "sigmasq_field"), dim, False)
        g = _same(gradient_field, dim + 1, de.dtype, "gradient_field")
        t = None if target is None else _Img(_same(target, dim + 1, de.dtype, "target"), dim,
                                             True)
        dd = _same(d, dim + 1, de.dtype, "d")
        o, oi = _into(residual, dim, de.dtype, dd.shape)
        _check(lib.omreg_ssd_compute_residual_displacement_field(
            _backend(), _Img(de, dim, False).ptr, sq.ptr if sq else ffi.NULL,
            _Img(g, dim, True).ptr, t.ptr if t else ffi.NULL, float(lambda_param),
            _Img(dd, dim, True).ptr, oi.ptr, ffi.NULL),
            f"compute_residual_displacement_field_ssd_{dim}d")
        return _back(o, oi)
    return residual


def _make_ssd_iterate(dim):
    def iterate(delta_field, sigmasq_field, grad, target, lambda_param, displacement_field):
        """One Gauss-Seidel sweep in DIPY's (lexicographic) order, in place;
        returns the largest change."""
        de = _first(delta_field, dim)
        sq = None if sigmasq_field is None else _Img(_same(sigmasq_field, dim, de.dtype,
                                                           "sigmasq_field"), dim, False)
        g = _same(grad, dim + 1, de.dtype, "grad")
        t = None if target is None else _Img(_same(target, dim + 1, de.dtype, "target"), dim,
                                             True)
        u = _same(displacement_field, dim + 1, de.dtype, "displacement_field")
        if not u.flags.writeable:
            raise ValueError("buffer source array is read-only")
        ui = _Img(u, dim, True)
        step = ffi.new("double *")
        _check(lib.omreg_ssd_iterate_residual_displacement_field(
            _backend(), lib.OMREG_SSD_ORDER_LEXICOGRAPHIC, _Img(de, dim, False).ptr,
            sq.ptr if sq else ffi.NULL, _Img(g, dim, True).ptr, t.ptr if t else ffi.NULL,
            float(lambda_param), ui.ptr, step),
            f"iterate_residual_displacement_field_ssd_{dim}d")
        _back(u, ui)
        return step[0]
    return iterate


# ---- dipy.align.expectmax ------------------------------------------------------

def _carray(p, n, dtype):
    try:
        if n == 0:
            return np.zeros(0, dtype=dtype)
        ctype = {np.dtype(np.float64): "double *", np.dtype(np.float32): "float *",
                 np.dtype(np.intc): "int *"}[np.dtype(dtype)]
        buf = ffi.buffer(ffi.cast(ctype, p), n * np.dtype(dtype).itemsize)
        return np.frombuffer(buf, dtype=dtype).copy()
    finally:
        lib.free(p)


def _make_quantize(dim):
    def quantize(v, num_levels):
        a = _first(v, dim)
        if num_levels < 2:
            raise ValueError('Quantization levels must be at least 2')
        if num_levels >= 2**31:
            raise ValueError('Quantization levels must be < 2**31')
        labels, levels, hist = ffi.new("int **"), ffi.new("void **"), ffi.new("int **")
        _check(lib.omreg_quantize_positive(_backend(), _Img(a, dim, False).ptr, int(num_levels),
                                           labels, levels, hist), f"quantize_positive_{dim}d")
        out = _carray(labels[0], a.size, np.intc).reshape(a.shape).astype(np.int32, copy=False)
        return (out, _carray(levels[0], num_levels, a.dtype),
                _carray(hist[0], num_levels, np.intc).astype(np.int32, copy=False))
    return quantize


def _ints(a, dim, name):
    return _typed(a, dim, np.intc, "int", name)


def _make_class_stats(dim):
    def class_stats(mask, v, num_labels, labels):
        a = np.asarray(v)
        if a.dtype not in _FLOAT:
            raise TypeError("No matching signature found")
        mk = _ints(mask, dim, "mask")
        a = _same(a, dim, a.dtype, "v")
        lb = _ints(labels, dim, "labels")
        means, variances = ffi.new("void **"), ffi.new("void **")
        _check(lib.omreg_compute_masked_class_stats(_backend(), ffi.from_buffer("int[]", mk),
                                                    _Img(a, dim, False).ptr, int(num_labels),
                                                    ffi.from_buffer("int[]", lb), means,
                                                    variances),
               f"compute_masked_class_stats_{dim}d")
        return (_carray(means[0], num_labels, a.dtype), _carray(variances[0], num_labels, a.dtype))
    return class_stats


def _make_em_demons(dim):
    def demons(delta_field, sigma_sq_field, gradient_moving, sigma_sq_x, out):
        d = _first(delta_field, dim)
        s = _same(sigma_sq_field, dim, d.dtype, "sigma_sq_field")
        g = _same(gradient_moving, dim + 1, d.dtype, "gradient_moving")
        res = ffi.new("omreg_image **")
        e = ffi.new("double *")
        _check(lib.omreg_compute_em_demons_step(_backend(), _Img(d, dim, False).ptr,
                                                _Img(s, dim, False).ptr, _Img(g, dim, True).ptr,
                                                float(sigma_sq_x), res, e),
               f"compute_em_demons_step_{dim}d")
        step = _take(res)
        if out is None:
            return step, e[0]
        o = _same(out, dim + 1, d.dtype, "out")
        o[...] = step
        return o, e[0]
    return demons


# ---- dipy.align.transforms ------------------------------------------------------

TRANSFORM_KEYS = {}     # DIPY Transform class -> (name, dim), filled by transform_class


def _theta(theta):
    return _f64(theta, 1, "theta")


def transform_class(cls, name, dim):
    """A subclass of DIPY's Transform class `cls` (regtransforms[(name,
    dim)]) whose Python methods param_to_matrix, jacobian and
    get_identity_parameters run omreg's transforms. Instances are still
    DIPY Transforms: Cython code (parzenhist) calling their C-level methods
    gets DIPY's. Non-finite parameters propagate as in DIPY (imaffine relies
    on a NaN matrix)."""
    ttype = ffi.new("omreg_transform_type *")
    _check(lib.omreg_transform_from_name(name.encode(), dim, ttype), "omreg_transform_from_name")
    ttype = ttype[0]
    key = f"dipy.align.transforms:{name}{dim}D"
    TRANSFORM_KEYS[cls] = (name, dim)

    class OmregTransform(cls):
        def param_to_matrix(self, theta):
            t = _theta(theta)
            if len(t) != self.get_number_of_parameters():
                raise ValueError("Invalid number of parameters: %d" % (len(t),))
            # non-finite parameters propagate as in DIPY (imaffine relies on it)
            CALLS[key + ".param_to_matrix"] += 1
            T = np.empty((dim + 1, dim + 1))
            _check(lib.omreg_transform_param_to_matrix(ttype, dim, ffi.from_buffer("double[]", t),
                                                       ffi.from_buffer("double[]", T)),
                   "param_to_matrix")
            return T

        def jacobian(self, theta, x):
            t = _theta(theta)
            xx = _theta(x)
            n = self.get_number_of_parameters()
            if len(t) != n:
                raise ValueError("Invalid number of parameters: %d" % (len(t),))
            if len(xx) < dim:
                FALLBACKS[key + ".jacobian"] += 1
                return cls.jacobian(self, theta, x)
            CALLS[key + ".jacobian"] += 1
            J = np.zeros((dim, n))
            _check(lib.omreg_transform_jacobian(ttype, dim, ffi.from_buffer("double[]", t),
                                                ffi.new("double[]", xx[:dim].tolist()),
                                                ffi.from_buffer("double[]", J), ffi.NULL),
                   "jacobian")
            return J

        def get_identity_parameters(self):
            CALLS[key + ".get_identity_parameters"] += 1
            p = np.zeros(self.get_number_of_parameters())
            _check(lib.omreg_transform_identity_params(ttype, dim, ffi.from_buffer("double[]", p)),
                   "get_identity_parameters")
            return p

    OmregTransform.__name__ = OmregTransform.__qualname__ = cls.__name__
    return OmregTransform



# ---- the table: (module, name) -> replacement ----------------------------------

def replacements():
    """[(module name, attribute, replacement)] for every routed kernel."""
    from . import _parzen
    vf, ip, cc, ssd, em = ("dipy.align.vector_fields", "dipy.core.interpolation",
                           "dipy.align.crosscorr", "dipy.align.sumsqdiff", "dipy.align.expectmax")
    t = []
    for dim in (2, 3):
        t += [
            (vf, f"compose_vector_fields_{dim}d", _make_compose(
                dim, "Invalid index pre-multiplication matrix" if dim == 3
                else "Invalid index multiplication matrix")),
            (vf, f"invert_vector_field_fixed_point_{dim}d", _make_invert(dim)),
            (vf, f"simplify_warp_function_{dim}d", _make_simplify(dim)),
            (vf, f"reorient_vector_field_{dim}d", _make_reorient(dim)),
            (vf, f"downsample_scalar_field_{dim}d", _downsample(dim, False)),
            (vf, f"downsample_displacement_field_{dim}d", _downsample(dim, True)),
            (vf, f"warp_coordinates_{dim}d", _make_warp_coordinates(dim)),
            (vf, f"warp_{dim}d", _make_warp(dim, False, None)),
            (vf, f"warp_{dim}d_nn", _make_warp(dim, True, f"{vf}:warp_{dim}d_nn")),
            (vf, f"transform_{dim}d_affine",
             _make_transform_affine(dim, False, f"{vf}:transform_{dim}d_affine")),
            (vf, f"transform_{dim}d_affine_nn",
             _make_transform_affine(dim, True, f"{vf}:transform_{dim}d_affine_nn")),
            (vf, f"resample_displacement_field_{dim}d", _make_resample(dim)),
            (vf, f"create_random_displacement_{dim}d", _make_random(dim)),
            (vf, f"create_harmonic_fields_{dim}d", _make_harmonic(dim)),
            (ip, f"interpolate_scalar_{dim}d", _make_interpolate(dim, False, False, None)),
            (ip, f"interpolate_vector_{dim}d", _make_interpolate(dim, True, False, None)),
            (ip, f"interpolate_scalar_nn_{dim}d",
             _make_interpolate(dim, False, True, f"{ip}:interpolate_scalar_nn_{dim}d")),
            (cc, f"precompute_cc_factors_{dim}d", _make_cc_factors(dim, lib.OMREG_CC_SLIDING)),
            (cc, f"precompute_cc_factors_{dim}d_test",
             _make_cc_factors(dim, lib.OMREG_CC_BRUTE_FORCE)),
            (cc, f"compute_cc_forward_step_{dim}d", _make_cc_step(dim, True)),
            (cc, f"compute_cc_backward_step_{dim}d", _make_cc_step(dim, False)),
            (ssd, f"compute_energy_ssd_{dim}d", _make_ssd_energy(dim)),
            (ssd, f"compute_ssd_demons_step_{dim}d", _make_ssd_demons(dim)),
            (ssd, f"compute_residual_displacement_field_ssd_{dim}d", _make_ssd_residual(dim)),
            (ssd, f"iterate_residual_displacement_field_ssd_{dim}d", _make_ssd_iterate(dim)),
            (em, f"quantize_positive_{dim}d", _make_quantize(dim)),
            (em, f"compute_masked_class_stats_{dim}d", _make_class_stats(dim)),
            (em, f"compute_em_demons_step_{dim}d", _make_em_demons(dim)),
        ]
    ph = "dipy.align.parzenhist"
    t += [(vf, "gradient", _parzen.gradient), (vf, "sparse_gradient", _parzen.sparse_gradient),
          (ph, "compute_parzen_mi", _parzen.compute_parzen_mi),
          (ph, "cubic_spline", _parzen.spline(0)),
          (ph, "cubic_spline_derivative", _parzen.spline(1)),
          (ph, "sample_domain_regular", _parzen.sample_domain_regular)]
    t += [(vf, "create_circle", create_circle), (vf, "create_sphere", create_sphere),
          (ssd, "solve_2d_symmetric_positive_definite", solve_2d_symmetric_positive_definite),
          (ssd, "solve_3d_symmetric_positive_definite", solve_3d_symmetric_positive_definite)]
    return [(m, n, _counted(f"{m}:{n}")(f)) for m, n, f in t]
