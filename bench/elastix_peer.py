#!/usr/bin/python3
"""elastix as a peer of omreg in the benchmarks: where the program and its
parameter map are, its command line, and its result as DIPY's matrix.

Used by bench/run (the elastix@N columns), bench/affine_sweep (the elastix
variant) and bench/fast_vs_elastix (through the command line below):

    bench/elastix_peer.py ras TransformParameters.0.txt OUT.txt

elastix's AffineTransform maps a fixed (static) point to a moving point, as
DIPY's matrix does, but in ITK's LPS world and about its centre of rotation
c: y = A (x - c) + t + c. In homogeneous form M_lps = [A | t + c - A c];
DIPY's RAS matrix is M_ras = F M_lps F with F = diag(-1, -1, 1) (3D; the 2D
map flips both in-plane axes: F = diag(-1, -1) plus the homogeneous 1)."""
import os
import re
import shutil
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# elastix's default affine map with the brain-MRI model zoo's start (3D)
MAP = os.path.join(ROOT, '..', 'shared', 'peers', 'elastix', 'affine.txt')


def find():
    """(path of elastix, None) or (None, why it cannot run)."""
    exe = shutil.which('elastix')
    if exe is None:
        return None, 'elastix not found on PATH (Debian: apt install elastix)'
    if not os.path.exists(MAP):
        return None, 'the parameter map %s is missing' % os.path.normpath(MAP)
    return exe, None


def version(exe='elastix'):
    try:
        out = subprocess.run([exe, '--version'], capture_output=True, text=True).stdout
    except OSError:
        return None
    return out.strip().split(':')[-1].strip() or None


def parameter_map(dim, work):
    """The map for a dim-D registration: MAP itself in 3D; in 2D a copy in
    work with only the two image dimensions changed."""
    if dim == 3:
        return MAP
    with open(MAP) as f:
        txt = f.read()
    for key in ('FixedImageDimension', 'MovingImageDimension'):
        txt, n = re.subn(r'\(%s \d\)' % key, '(%s %d)' % (key, dim), txt)
        if n != 1:
            raise ValueError('%s: no single (%s N) line' % (MAP, key))
    path = os.path.join(work, 'elastix_affine_%dd.txt' % dim)
    with open(path, 'w') as f:
        f.write(txt)
    return path


def command(static, moving, out_dir, threads, pmap=MAP, exe='elastix'):
    """elastix on STATIC (fixed) and MOVING; writes out_dir/TransformParameters.0.txt."""
    return [exe, '-f', static, '-m', moving, '-p', pmap, '-out', out_dir,
            '-threads', str(threads)]


def _values(txt, key):
    m = re.search(r'\(%s ([^)]*)\)' % key, txt)
    if m is None:
        raise ValueError('no (%s ...) entry' % key)
    return [v.strip('"') for v in m.group(1).split()]


def to_ras(param_file):
    """elastix's AffineTransform (LPS, fixed -> moving point, about its
    centre of rotation) as DIPY's RAS matrix ((dim + 1) x (dim + 1) numpy)."""
    with open(param_file) as f:
        txt = f.read()
    if _values(txt, 'Transform') != ['AffineTransform']:
        raise ValueError('%s: not an AffineTransform' % param_file)
    if _values(txt, 'InitialTransformParametersFileName') != ['NoInitialTransform']:
        raise ValueError('%s: chained to an initial transform (not converted)' % param_file)
    c = np.array([float(v) for v in _values(txt, 'CenterOfRotationPoint')])
    dim = len(c)
    p = [float(v) for v in _values(txt, 'TransformParameters')]
    if len(p) != dim * dim + dim:
        raise ValueError('%s: %d parameters for a %dD affine' % (param_file, len(p), dim))
    A = np.array(p[:dim * dim]).reshape(dim, dim)
    M = np.eye(dim + 1)
    M[:dim, :dim] = A
    M[:dim, dim] = np.array(p[dim * dim:]) + c - A.dot(c)
    F = np.diag([-1.0, -1.0] + [1.0] * (dim - 1))
    return F.dot(M).dot(F)


def main(argv):
    if len(argv) != 3 or argv[0] != 'ras':
        sys.stderr.write('usage: elastix_peer.py ras TransformParameters.0.txt OUT.txt\n')
        return 2
    np.savetxt(argv[2], to_ras(argv[1]), fmt='%.17g')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
