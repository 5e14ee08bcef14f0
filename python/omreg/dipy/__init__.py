"""DIPY drop-in: run dipy.align's Python drivers on omreg's kernels.

    import omreg.dipy
    omreg.dipy.patch()      # dipy.align's compiled kernels -> libomreg
    ...                     # AffineRegistration, SymmetricDiffeomorphicRegistration, metrics
    omreg.dipy.unpatch()

patch() replaces the compiled functions of dipy.align.vector_fields,
crosscorr, sumsqdiff, expectmax, parzenhist and dipy.core.interpolation by
the wrappers of omreg.dipy._kernels, in those modules and wherever another
loaded dipy module imported the same function by name (dipy.align.imaffine
imports interpolate_scalar_{2,3}d, sample_domain_regular and
compute_parzen_mi), and the methods of parzenhist.ParzenJointHistogram on
the class (their Cython bodies cannot be redirected). DIPY's Python drivers stay DIPY's. The backend
is omreg.config's (or patch(backend=...)); the parallel kernels use OpenMP's
thread count (OMP_NUM_THREADS). GAPS lists what stays DIPY's and why.
"""
import importlib
import sys

from . import _kernels, _parzen
from ._kernels import CALLS, FALLBACKS

# DIPY functions omreg's public C API cannot serve yet: (function, why, issue 16 item)
GAPS = (
    ("dipy.align.vector_fields: warp_{2,3}d_nn, transform_{2,3}d_affine_nn; "
     "dipy.core.interpolation: interpolate_scalar_nn_{2,3}d (int16 and complex images only)",
     "int32 / int64 images run on omreg viewed as float32 / float64 (the nearest lookups move "
     "bits); no float type of int16's width, and complex is not an image type", "4d"),
    ("dipy.align.parzenhist: ParzenJointHistogram with a constant image (or nbins <= 4), "
     "or with a Transform that is none of DIPY's 14 classes",
     "DIPY's setup divides by a zero range (NaN geometry) where omreg_parzen_setup defines "
     "one; an unknown Transform has no omreg type: DIPY's methods serve them", "-"),
    ("dipy.align.vector_fields: is_valid_affine; dipy.core.interpolation: interp_rbf, "
     "trilinear_interp, map_coordinates_trilinear_iso, nearestneighbor_interpolate, "
     "trilinear_interpolate4d, Interpolator classes",
     "not registration kernels (no omreg counterpart, out of scope)", "-"),
)

_patched = []     # (module or dict, attribute or key, original)


def patched():
    """True while patch() is in effect."""
    return bool(_patched)


def patch(backend=None):
    """Route dipy.align's compiled kernels to omreg (idempotent).
    backend: None (omreg.config's setting at each call), 'reference' or
    'parallel'."""
    if backend not in (None, "reference", "parallel"):
        raise ValueError(f"patch: backend must be 'reference' or 'parallel', got {backend!r}")
    _kernels.BACKEND[0] = backend
    if _patched:
        return
    table = _kernels.replacements()
    by_original = {}
    for modname, name, repl in table:
        mod = importlib.import_module(modname)
        orig = getattr(mod, name)
        _kernels.ORIGINAL[f"{modname}:{name}"] = orig
        by_original[id(orig)] = (orig, repl)
    # every loaded dipy module holding one of the originals by any name
    for modname, mod in list(sys.modules.items()):
        if not (modname == "dipy" or modname.startswith("dipy.")) or mod is None:
            continue
        for attr, val in list(vars(mod).items()):
            hit = by_original.get(id(val))
            if hit is not None and hit[0] is val:
                _patched.append((mod, attr, val))
                setattr(mod, attr, hit[1])
    # methods of DIPY's Python classes whose bodies call Cython cdef kernels
    # (ParzenJointHistogram): replaced on the class, so every instance,
    # imaffine's included, takes them
    for path, name, repl in _parzen.methods():
        modname, clsname = path.split(":")
        cls = getattr(importlib.import_module(modname), clsname)
        orig = cls.__dict__[name]
        _kernels.ORIGINAL[f"{path}.{name}"] = orig
        _patched.append((cls, name, orig))
        setattr(cls, name, repl)
    # the transform objects every DIPY module shares through the dict
    from dipy.align import transforms
    for key, obj in list(transforms.regtransforms.items()):
        cls = _kernels.transform_class(type(obj), key[0], key[1])
        _patched.append((transforms.regtransforms, key, obj))
        transforms.regtransforms[key] = cls()


def unpatch():
    """Restore DIPY's kernels everywhere patch() replaced them."""
    while _patched:
        mod, attr, orig = _patched.pop()
        if isinstance(mod, dict):
            mod[attr] = orig
        else:
            setattr(mod, attr, orig)
    _kernels.BACKEND[0] = None


__all__ = ["CALLS", "FALLBACKS", "GAPS", "patch", "patched", "unpatch"]
