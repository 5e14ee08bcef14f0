#!/usr/bin/python3
"""DIPY 1.6's side of bench/run: the affine pipeline `omreg affine` runs,
with the same options and DIPY's own classes, on the same files.

    /usr/bin/python3 bench/dipy_affine.py STATIC MOVING --out-affine FILE
        [--pipeline com,translation,rigid,affine] [--nbins 32]
        [--level-iters 10000,1000,100] [--sigmas 3,1,0] [--factors 4,2,1]
        [--sampling-proportion P] [--timing FILE] [--omreg-kernels]

Images: NIfTI read with nibabel (get_fdata, float64; a 2D NIfTI's grid is
the in-plane rows and columns of its affine, as omreg reads it) or PNG read
with PIL's convert('L') on an identity grid (as omreg reads PNG). The
matrix is written as omreg writes it (rows of %.17g). --timing writes
{"startup_s", "load_s", "register_s", "run_s"} as JSON: run_s is the time
from after the imports to the written result (loading included), the
counterpart of the time omreg prints when it is done."""
import time

T_START = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402

import numpy as np  # noqa: E402
import dipy  # noqa: E402

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
from dipy_load import load  # noqa: E402
import dipy_patch  # noqa: E402
from dipy.align.imaffine import (AffineRegistration, MutualInformationMetric,  # noqa: E402
                                 transform_centers_of_mass, transform_geometric_centers,
                                 transform_origins)
from dipy.align.transforms import regtransforms  # noqa: E402

T_IMPORTED = time.perf_counter()

INIT = {'com': transform_centers_of_mass, 'centers': transform_geometric_centers,
        'origins': transform_origins}


def ints(text):
    return [int(v) for v in text.split(',')]


def floats(text):
    return [float(v) for v in text.split(',')]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('static')
    ap.add_argument('moving')
    ap.add_argument('--out-affine', required=True)
    ap.add_argument('--pipeline', default='com,translation,rigid,affine')
    ap.add_argument('--nbins', type=int, default=32)
    ap.add_argument('--level-iters', type=ints, default=[10000, 1000, 100])
    ap.add_argument('--sigmas', type=floats, default=[3.0, 1.0, 0.0])
    ap.add_argument('--factors', type=ints, default=[4, 2, 1])
    ap.add_argument('--sampling-proportion', type=float, default=None)
    ap.add_argument('--timing')
    dipy_patch.add_argument(ap)
    a = ap.parse_args()
    patch_s = dipy_patch.patch(a)

    static, sg = load(a.static)
    moving, mg = load(a.moving)
    if static.ndim != moving.ndim:
        sys.exit('dipy_affine: static is %dD, moving %dD' % (static.ndim, moving.ndim))
    dim = static.ndim
    t_loaded = time.perf_counter()

    reg = AffineRegistration(
        metric=MutualInformationMetric(a.nbins, a.sampling_proportion),
        level_iters=a.level_iters, sigmas=a.sigmas, factors=a.factors, verbosity=0)
    current = None
    for i, stage in enumerate(a.pipeline.lower().split(',')):
        if stage in INIT:
            if i != 0:
                sys.exit('dipy_affine: %s may only come first' % stage)
            current = INIT[stage](static, sg, moving, mg).affine
            continue
        key = (stage.upper(), dim)
        if key not in regtransforms:
            sys.exit('dipy_affine: unknown stage %s' % stage)
        current = reg.optimize(static, moving, regtransforms[key], None, sg, mg,
                               starting_affine=current).affine
    if current is None:
        current = np.eye(dim + 1)
    t_done = time.perf_counter()

    tmp = a.out_affine + '.tmp'
    with open(tmp, 'w') as f:
        for row in current:
            f.write(' '.join('%.17g' % v for v in row) + '\n')
    os.replace(tmp, a.out_affine)
    t_end = time.perf_counter()
    if a.timing:
        with open(a.timing, 'w') as f:
            json.dump({'startup_s': T_IMPORTED - T_START, 'load_s': t_loaded - T_IMPORTED,
                       'register_s': t_done - t_loaded, 'run_s': t_end - T_IMPORTED,
                       'dipy_version': dipy.__version__, 'patch_s': patch_s,
                       **dipy_patch.counts(a)}, f)


if __name__ == '__main__':
    main()
