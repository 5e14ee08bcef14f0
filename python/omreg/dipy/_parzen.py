"""Replacements of DIPY 1.6's parzenhist (ParzenJointHistogram's methods,
compute_parzen_mi, cubic_spline(_derivative), sample_domain_regular) and of
vector_fields.gradient / sparse_gradient, on libomreg's public API
(omreg/parzenhist.h, omreg_gradient_w2g / omreg_sparse_gradient_w2g). The
module functions are listed in _kernels.replacements(); the class methods
in methods(). Same conventions as _kernels: DIPY's checks and exception
types, results copied into numpy arrays, calls counted."""
import numpy as np

from .._lib import ffi, lib
from ._kernels import (FALLBACKS, ORIGINAL, TRANSFORM_KEYS, _FLOAT, _Img, _backend, _carray,
                       _check, _counted, _f64, _ints, _shape, _valid)


# ---- dipy.align.vector_fields: gradient, sparse_gradient ------------------------

def _given_affine(M, dim, message):
    """DIPY's is_valid_affine check of a matrix gradient takes as given (None
    passes DIPY's check and then fails on .dtype, as here); the first dim
    rows and dim + 1 columns (all DIPY reads) in a (dim+1)^2 array."""
    if M is not None and not _valid(M, dim):
        raise ValueError(message)
    a = np.asarray(M.astype(np.float64) if M.dtype != np.float64 else M)
    full = np.eye(dim + 1)
    full[:dim, :] = a[:dim, :dim + 1]
    return full


def _spacing(img_spacing, dim):
    if len(img_spacing) < dim:
        raise ValueError("Invalid spacings")
    sp = np.asarray(img_spacing)
    sp = sp.astype(np.float64) if sp.dtype != np.float64 else sp
    return np.ascontiguousarray(sp[:dim])


def gradient(img, img_world2grid, img_spacing, out_shape, out_grid2world):
    dim = len(img.shape)
    W = _given_affine(img_world2grid, dim, "Invalid image affine transform")
    G = _given_affine(out_grid2world, dim, "Invalid sampling grid affine transform")
    sp = _spacing(img_spacing, dim)
    a = np.asarray(img)
    if a.dtype not in _FLOAT:
        raise TypeError("No matching signature found")
    shape = tuple(int(v) for v in out_shape)
    out = np.empty(shape + (dim,), dtype=a.dtype.type)
    inside = np.empty(shape, dtype=np.int32)
    if dim not in (2, 3):
        raise ValueError('Undefined gradient for image dimension %d' % (dim,))
    if len(shape) != dim:
        raise ValueError(f"Buffer has wrong number of dimensions (expected {dim + 1}, "
                         f"got {len(shape) + 1})")
    if out.size == 0:
        return out, inside
    _check(lib.omreg_gradient_w2g(_backend(), _Img(a, dim, False).ptr,
                                  ffi.from_buffer("double[]", W), ffi.from_buffer("double[]", sp),
                                  _shape(shape, dim), ffi.from_buffer("double[]", G),
                                  ffi.from_buffer(out), ffi.from_buffer("int[]", inside)),
           "gradient")
    return out, inside


def sparse_gradient(img, img_world2grid, img_spacing, sample_points):
    dim = len(img.shape)
    W = _given_affine(img_world2grid, dim, "Invalid affine transform matrix")
    sp = _spacing(img_spacing, dim)
    a = np.asarray(img)
    pts = np.asarray(sample_points)
    if a.dtype not in _FLOAT or dim not in (2, 3):
        raise TypeError("No matching signature found")
    if pts.ndim != 2:
        raise ValueError(f"Buffer has wrong number of dimensions (expected 2, got {pts.ndim})")
    if pts.dtype != np.float64:
        raise ValueError(f"Buffer dtype mismatch, expected 'double' but got {pts.dtype}")
    if pts.shape[1] < dim:      # DIPY reads dim columns past the end
        raise ValueError(f"sample_points has {pts.shape[1]} columns, the image {dim} axes")
    n = pts.shape[0]
    out = np.empty((n, dim), dtype=a.dtype.type)
    inside = np.empty((n,), dtype=np.int32)
    p = np.ascontiguousarray(pts[:, :dim])
    _check(lib.omreg_sparse_gradient_w2g(_backend(), _Img(a, dim, False).ptr,
                                         ffi.from_buffer("double[]", W),
                                         ffi.from_buffer("double[]", sp),
                                         ffi.from_buffer("double[]", p), n, ffi.from_buffer(out),
                                         ffi.from_buffer("int[]", inside)),
           "sparse_gradient")
    return out, inside


# ---- dipy.align.parzenhist -------------------------------------------------------
# Module functions go through replacements(); ParzenJointHistogram is a
# Python class whose methods call Cython cdef functions, so its methods are
# replaced on the class (methods()). Its setup stays numpy's masked min/max
# (DIPY's Python) and hands the arithmetic to omreg_parzen_setup.

_PH = "dipy.align.parzenhist:ParzenJointHistogram"


def _mask(m, shape, name):
    """An int[:, :] / int[:, :, :] mask (None: no mask) as int32 C order."""
    if m is None:
        return None, ffi.NULL
    a = _ints(m, len(shape), name)
    if a.shape != tuple(shape):     # DIPY reads out of bounds
        raise ValueError(f"{name} has shape {a.shape}, the images {tuple(shape)}")
    return a, ffi.from_buffer("int[]", a)


def _geometry(self):
    """The histogram's geometry from its attributes (DIPY's setup wrote
    them); None when omreg cannot use it (a constant image gives DIPY a
    zero delta and a NaN min, which DIPY's kernels serve)."""
    g = ffi.new("omreg_parzen_geometry *")
    g.nbins, g.padding = int(self.nbins), int(self.padding)
    vals = (float(self.smin), float(self.sdelta), float(self.mmin), float(self.mdelta))
    if (g.padding != lib.OMREG_PARZEN_PADDING or g.nbins <= 2 * g.padding
            or not all(np.isfinite(vals)) or vals[1] == 0 or vals[3] == 0):
        return None
    g.smin, g.sdelta, g.mmin, g.mdelta = vals
    return g


def _fallback(name, self, *args):
    FALLBACKS[f"{_PH}.{name}"] += 1
    return ORIGINAL[f"{_PH}.{name}"](self, *args)


def _store(arr, attr, self, shape):
    """The result into self.<attr> in place (DIPY writes into the arrays
    setup made; callers may hold them), or a new array if it has none."""
    cur = getattr(self, attr, None)
    if isinstance(cur, np.ndarray) and cur.shape == shape and cur.dtype == np.float64:
        cur[...] = arr
    else:
        setattr(self, attr, arr)


def ph_setup(self, static, moving, smask=None, mmask=None):
    if smask is None:
        smask = np.ones_like(static)
    if mmask is None:
        mmask = np.ones_like(moving)
    svals, mvals = static[smask != 0], moving[mmask != 0]
    lo_s, hi_s, lo_m, hi_m = np.min(svals), np.max(svals), np.min(mvals), np.max(mvals)
    bounds = (float(lo_s), float(hi_s), float(lo_m), float(hi_m))
    if (int(self.nbins) <= 2 * int(self.padding) or not all(np.isfinite(bounds))
            or hi_s == lo_s or hi_m == lo_m or int(self.padding) != lib.OMREG_PARZEN_PADDING):
        return _fallback("setup", self, static, moving, smask, mmask)
    g = ffi.new("omreg_parzen_geometry *")
    _check(lib.omreg_parzen_setup(int(self.nbins), *bounds, g), "ParzenJointHistogram.setup")
    self.smax, self.mmax = hi_s, hi_m
    self.sdelta, self.mdelta = np.float64(g.sdelta), np.float64(g.mdelta)
    self.smin, self.mmin = np.float64(g.smin), np.float64(g.mmin)
    self.joint_grad = None
    self.metric_grad = None
    self.metric_val = 0
    self.joint = np.zeros(shape=(self.nbins, self.nbins))
    self.smarginal = np.zeros(shape=(self.nbins,), dtype=np.float64)
    self.mmarginal = np.zeros(shape=(self.nbins,), dtype=np.float64)
    self.setup_called = True


def _bin_geometry(min_, delta):
    return np.isfinite(min_) and np.isfinite(delta) and delta != 0


def ph_bin_normalize_static(self, x):
    if not _bin_geometry(self.smin, self.sdelta):
        return _fallback("bin_normalize_static", self, x)
    return lib.omreg_parzen_bin_normalize(float(x), float(self.smin), float(self.sdelta))


def ph_bin_normalize_moving(self, x):
    if not _bin_geometry(self.mmin, self.mdelta):
        return _fallback("bin_normalize_moving", self, x)
    return lib.omreg_parzen_bin_normalize(float(x), float(self.mmin), float(self.mdelta))


def ph_bin_index(self, xnorm):
    return lib.omreg_parzen_bin_index(float(xnorm), int(self.nbins), int(self.padding))


def _pdfs(self, call):
    nb = int(self.nbins)
    j, sm, mm = np.empty((nb, nb)), np.empty(nb), np.empty(nb)
    _check(call(ffi.from_buffer("double[]", j), ffi.from_buffer("double[]", sm),
                ffi.from_buffer("double[]", mm)), "ParzenJointHistogram.update_pdfs")
    _store(j, "joint", self, (nb, nb))
    _store(sm, "smarginal", self, (nb,))
    _store(mm, "mmarginal", self, (nb,))


def _dim_check(static, moving):
    if static.shape != moving.shape:
        raise ValueError("Images must have the same shape")
    dim = len(static.shape)
    if dim not in [2, 3]:
        raise ValueError('Only dimensions 2 and 3 are supported. ' + str(dim) + ' received')
    return dim


def ph_update_pdfs_dense(self, static, moving, smask=None, mmask=None):
    dim = _dim_check(static, moving)
    if not self.setup_called:
        self.setup(static, moving, smask=None, mmask=None)
    g = _geometry(self)
    if g is None:
        return _fallback("update_pdfs_dense", self, static, moving, smask, mmask)
    s, m = _f64(static, dim, "static"), _f64(moving, dim, "moving")
    sk, sp = _mask(smask, s.shape, "smask")
    mk, mp = _mask(mmask, s.shape, "mmask")
    si, mi = _Img(s, dim, False), _Img(m, dim, False)
    _pdfs(self, lambda j, sm, mm: lib.omreg_parzen_joint_dense(_backend(), g, si.ptr, mi.ptr,
                                                               sp, mp, j, sm, mm))


def ph_update_pdfs_sparse(self, sval, mval):
    if not self.setup_called:
        self.setup(sval, mval)
    g = _geometry(self)
    if g is None:
        return _fallback("update_pdfs_sparse", self, sval, mval)
    s, m = _f64(sval, 1, "sval"), _f64(mval, 1, "mval")
    if m.shape[0] < s.shape[0]:     # DIPY reads past mval's end
        raise ValueError("mval has fewer samples than sval")
    _pdfs(self, lambda j, sm, mm: lib.omreg_parzen_joint_sparse(
        _backend(), g, ffi.from_buffer("double[]", s), ffi.from_buffer("double[]", m),
        s.shape[0], j, sm, mm))


def _transform_key(transform):
    for klass in type(transform).__mro__:
        key = TRANSFORM_KEYS.get(klass)
        if key is not None:
            return key
    return None


def _joint_grad(self, n):
    nb = int(self.nbins)
    if (self.joint_grad is None) or (self.joint_grad.shape[2] != n):
        self.joint_grad = np.zeros((nb, nb, n))
    return np.empty((nb, nb, n))


def _ttype(name, dim):
    t = ffi.new("omreg_transform_type *")
    _check(lib.omreg_transform_from_name(name.encode(), dim, t), "omreg_transform_from_name")
    return t[0]


def _theta_for(theta, key, dim):
    """theta as DIPY's double[:]; None (DIPY serves it) when the transform
    is not one of DIPY's or the parameter count is not the transform's."""
    t = _f64(theta, 1, "theta")
    if key is None or key[1] != dim:
        return None, None
    n = ffi.new("int *")
    _check(lib.omreg_transform_nparams(_ttype(*key), dim, n), "omreg_transform_nparams")
    return (t, _ttype(*key)) if len(t) == n[0] else (None, None)


def ph_update_gradient_dense(self, theta, transform, static, moving, grid2world, mgradient,
                             smask=None, mmask=None):
    dim = _dim_check(static, moving)
    if mgradient.shape != moving.shape + (dim,):
        raise ValueError('Invalid gradient field dimensions.')
    if not self.setup_called:
        self.setup(static, moving, smask, mmask)
    n = theta.shape[0]
    out = _joint_grad(self, n)
    if mgradient.dtype not in _FLOAT:
        raise ValueError('Grad. field dtype must be floating point')
    t, ttype = _theta_for(theta, _transform_key(transform), dim)
    g = _geometry(self)
    if t is None or g is None:
        return _fallback("update_gradient_dense", self, theta, transform, static, moving,
                         grid2world, mgradient, smask, mmask)
    s, m = _f64(static, dim, "static"), _f64(moving, dim, "moving")
    G = _f64(grid2world, 2, "grid2world")
    if G.shape[0] < dim or G.shape[1] < dim + 1:    # DIPY reads out of bounds
        raise ValueError("grid2world must have at least dim rows and dim + 1 columns")
    full = np.eye(dim + 1)
    full[:dim, :] = G[:dim, :dim + 1]
    sk, sp = _mask(smask, s.shape, "smask")
    mk, mp = _mask(mmask, s.shape, "mmask")
    _check(lib.omreg_parzen_gradient_dense(
        _backend(), g, ttype, ffi.from_buffer("double[]", t), _Img(s, dim, False).ptr,
        _Img(m, dim, False).ptr, ffi.from_buffer("double[]", full),
        _Img(mgradient, dim, True).ptr, sp, mp, ffi.from_buffer("double[]", out)),
        "ParzenJointHistogram.update_gradient_dense")
    self.joint_grad[...] = out


def ph_update_gradient_sparse(self, theta, transform, sval, mval, sample_points, mgradient):
    dim = sample_points.shape[1]
    if mgradient.shape[1] != dim:
        raise ValueError('Dimensions of gradients and points are different')
    nsamples = sval.shape[0]
    if ((mgradient.shape[0] != nsamples) or (mval.shape[0] != nsamples)
            or sample_points.shape[0] != nsamples):
        raise ValueError('Number of points and gradients are different.')
    if mgradient.dtype not in [np.float32, np.float64]:
        raise ValueError('Gradients dtype must be floating point')
    n = theta.shape[0]
    out = _joint_grad(self, n)
    if dim not in (2, 3):
        raise ValueError('Only dimensions 2 and 3 are supported. ' + str(dim) + ' received')
    t, ttype = _theta_for(theta, _transform_key(transform), dim)
    g = _geometry(self)
    if t is None or g is None:
        return _fallback("update_gradient_sparse", self, theta, transform, sval, mval,
                         sample_points, mgradient)
    s, m = _f64(sval, 1, "sval"), _f64(mval, 1, "mval")
    p = _f64(sample_points, 2, "sample_points")
    grad = np.ascontiguousarray(mgradient, dtype=np.float64)   # float32 widens exactly
    _check(lib.omreg_parzen_gradient_sparse(
        _backend(), g, ttype, dim, ffi.from_buffer("double[]", t), ffi.from_buffer("double[]", s),
        ffi.from_buffer("double[]", m), ffi.from_buffer("double[]", p),
        ffi.from_buffer("double[]", grad), nsamples, ffi.from_buffer("double[]", out)),
        "ParzenJointHistogram.update_gradient_sparse")
    self.joint_grad[...] = out


def methods():
    """[(class path, method, replacement)] of ParzenJointHistogram."""
    t = [("setup", ph_setup), ("bin_normalize_static", ph_bin_normalize_static),
         ("bin_normalize_moving", ph_bin_normalize_moving), ("bin_index", ph_bin_index),
         ("update_pdfs_dense", ph_update_pdfs_dense),
         ("update_pdfs_sparse", ph_update_pdfs_sparse),
         ("update_gradient_dense", ph_update_gradient_dense),
         ("update_gradient_sparse", ph_update_gradient_sparse)]
    return [(_PH, n, _counted(f"{_PH}.{n}")(f)) for n, f in t]


def compute_parzen_mi(joint, joint_gradient, smarginal, mmarginal, mi_gradient):
    j = _f64(joint, 2, "joint")
    nrows, ncols = j.shape
    jg, n = ffi.NULL, 0
    if joint_gradient is not None:
        jga = _f64(joint_gradient, 3, "joint_gradient")
        if jga.shape[:2] != j.shape:     # DIPY reads out of bounds
            raise ValueError("joint_gradient does not match joint's shape")
        n = jga.shape[2]
        jg = ffi.from_buffer("double[]", jga)
    sm, mm = _f64(smarginal, 1, "smarginal"), _f64(mmarginal, 1, "mmarginal")
    if sm.shape[0] < nrows or mm.shape[0] < ncols:
        raise ValueError("a marginal is shorter than the joint's side")
    grad = None
    if mi_gradient is not None:
        grad = np.asarray(mi_gradient)
        if grad.ndim != 1 or grad.dtype != np.float64:
            _f64(grad, 1, "mi_gradient")
        if grad.shape[0] < n:
            raise ValueError("mi_gradient is shorter than the number of parameters")
    tmp = np.empty(n)
    mi = ffi.new("double *")
    _check(lib.omreg_parzen_mi(ffi.from_buffer("double[]", j), nrows, ncols, jg, n,
                               ffi.from_buffer("double[]", sm), ffi.from_buffer("double[]", mm),
                               ffi.from_buffer("double[]", tmp) if grad is not None else ffi.NULL,
                               mi), "compute_parzen_mi")
    if grad is not None:    # DIPY zeroes the whole buffer, then fills n entries
        grad[:] = 0
        grad[:n] = tmp
    return mi[0]


def spline(derivative):
    def spline(x):
        a = _f64(x, 1, "x")
        out = np.zeros(a.shape[0], dtype=np.float64)
        _check(lib.omreg_parzen_cubic_spline(_backend(), ffi.from_buffer("double[]", a),
                                             a.shape[0], derivative,
                                             ffi.from_buffer("double[]", out)),
               "cubic_spline_derivative" if derivative else "cubic_spline")
        return out
    return spline


def sample_domain_regular(k, shape, grid2world, sigma=0.25, seed=1234):
    """DIPY's sample_domain_regular on omreg's sampler. The jitter comes
    from omreg's counter-based stream (same law, other values than numpy's
    for sigma > 0); numpy's global stream is seeded and advanced exactly as
    DIPY's call leaves it, so a script's later draws do not change."""
    sh = _ints(shape, 1, "shape")
    G = _f64(grid2world, 2, "grid2world")
    dim = len(sh)
    if not _valid(G, dim):
        raise ValueError("Invalid grid-to-space matrix")
    k, sigma, seed = int(k), float(sigma), int(seed)
    if dim not in (2, 3) or k <= 0:
        raise ValueError(f"sample_domain_regular: dim {dim} and k {k} (needs 2 or 3, k > 0)")
    m = int(np.prod(sh, dtype=np.int64)) // k
    np.random.seed(seed)
    np.random.randn(m, dim)
    full = np.eye(dim + 1)
    full[:dim, :] = G[:dim, :dim + 1]
    pts, count = ffi.new("double **"), ffi.new("size_t *")
    _check(lib.omreg_sample_domain_regular(_backend(), dim, _shape(sh, dim), k,
                                           ffi.from_buffer("double[]", full), sigma,
                                           seed & 0xFFFFFFFFFFFFFFFF, pts, count),
           "sample_domain_regular")
    if count[0] == 0:
        return np.zeros((0, dim))
    return _carray(pts[0], count[0] * dim, np.float64).reshape(count[0], dim)
