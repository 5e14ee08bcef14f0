"""omreg: DIPY 1.6's image registration (dipy.align) in C11 + OpenMP.

    import omreg
    resampled, affine = omreg.affine_registration(moving, static, moving_affine, static_affine)
    warped, mapping = omreg.syn_registration(moving, static, moving_affine, static_affine,
                                             prealign=affine)
    with omreg.config(threads=2, backend="reference"):
        ...

The functions take dipy.align's parameters (names, order, defaults) and
return what dipy.align.affine_registration / syn_registration return; the
numerics run in libomreg with the GIL released. The library is built with
gcc and libgomp: do not load a second OpenMP runtime (LLVM's libomp, Intel's
libiomp5) into the same process.

Idle OpenMP threads wait passively (OMP_WAIT_POLICY=passive, set before the
library loads unless the environment has OMP_WAIT_POLICY or GOMP_SPINCOUNT);
`wait_policy_source` says whether that took effect (see omreg._openmp).
"""
from . import _openmp

# before ._api loads the extension, and libgomp with it
wait_policy_source = _openmp.choose()

from ._api import (Cancelled, DiffeomorphicMapArrays, affine_registration, config,
                   syn_registration)

__all__ = ["Cancelled", "DiffeomorphicMapArrays", "affine_registration", "config", "syn_registration",
           "wait_policy_source"]
__version__ = "0.3.0"
