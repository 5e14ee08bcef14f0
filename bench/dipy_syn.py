#!/usr/bin/python3
"""DIPY 1.6's side of bench/run's SyN cases: what `omreg syn --metric cc
--cc-radius R --level-iters L --out-field F` runs, with DIPY's own classes
(SymmetricDiffeomorphicRegistration + CCMetric, DIPY's defaults otherwise:
sigma_diff 2, step_length 0.25, ss_sigma_factor 0.2, opt_tol 1e-5,
inv_iter 20, inv_tol 1e-3, no prealign), on the same files.

    /usr/bin/python3 bench/dipy_syn.py STATIC MOVING --out-field FILE
        [--cc-radius 4] [--level-iters 10,10,5] [--timing FILE] [--omreg-kernels]

Images: NIfTI read with nibabel (get_fdata, float64, as omreg reads them;
the registration casts them to float32 as DIPY does). The field file is
what dipy_align_syn writes: np.array([mapping.forward.T,
mapping.backward.T]).T, shape (X, Y, Z, 3, 2) ((X, Y, 2, 2) in 2D), with
the static world-to-grid as its NIfTI affine. --timing writes
{"startup_s", "load_s", "register_s", "run_s", "dipy_version"} as JSON:
run_s runs from after the imports to the written field (loading
included), the counterpart of the time omreg prints when it is done."""
import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import nibabel as nib  # noqa: E402
import dipy  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from dipy_load import load  # noqa: E402
import dipy_patch  # noqa: E402
from dipy.align.imwarp import SymmetricDiffeomorphicRegistration  # noqa: E402
from dipy.align.metrics import CCMetric  # noqa: E402

T_IMPORTED = time.perf_counter()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('static')
    ap.add_argument('moving')
    ap.add_argument('--out-field', required=True)
    ap.add_argument('--cc-radius', type=int, default=4)
    ap.add_argument('--level-iters', type=lambda t: [int(v) for v in t.split(',')],
                    default=[10, 10, 5])
    ap.add_argument('--timing')
    dipy_patch.add_argument(ap)
    a = ap.parse_args()
    patch_s = dipy_patch.patch(a)

    static, sg = load(a.static)
    moving, mg = load(a.moving)
    dim = static.ndim
    t_loaded = time.perf_counter()
    sdr = SymmetricDiffeomorphicRegistration(CCMetric(dim, radius=a.cc_radius),
                                             level_iters=a.level_iters)
    mapping = sdr.optimize(static, moving, sg, mg)
    t_done = time.perf_counter()

    field = np.array([mapping.forward.T, mapping.backward.T]).T
    if dim == 2:  # a 2D NIfTI affine from the 3x3 grid-to-world
        w2g = np.eye(4)
        inv = np.linalg.inv(sg)
        w2g[np.ix_([0, 1, 3], [0, 1, 3])] = inv
    else:
        w2g = np.linalg.inv(sg)
    tmp = a.out_field + '.tmp.nii.gz'
    nib.save(nib.Nifti1Image(field, w2g), tmp)
    os.replace(tmp, a.out_field)
    t_end = time.perf_counter()
    if a.timing:
        with open(a.timing, 'w') as f:
            json.dump({'startup_s': T_IMPORTED - T_START, 'load_s': t_loaded - T_IMPORTED,
                       'register_s': t_done - t_loaded, 'run_s': t_end - T_IMPORTED,
                       'dipy_version': dipy.__version__, 'patch_s': patch_s,
                       **dipy_patch.counts(a)}, f)


if __name__ == '__main__':
    main()
