#!/usr/bin/python3
"""The peer columns of bench/run (issue 15): elastix and omreg's fast mode.

    bench_run_peers.py OMREG SOURCE_DIR

1. bench/elastix_peer.py's conversion of elastix's AffineTransform (LPS,
   about its centre of rotation) to DIPY's RAS matrix agrees with omreg's
   own reader (`omreg convert --to matrix`, which test_e2e_elastix checks
   against transformix) on random 3D and 2D transforms with an off-origin
   centre; a file chained to an initial transform is refused.
2. `bench/run affine2d --no-dipy --no-serial --no-reference --repeats 1`
   has the rows elastix@1/2 and omreg fast@1/2 in its JSON summary, with the
   10-degree rotation found and elastix's translation within 1 px of omreg
   DIPY mode's (a lost LPS flip moves it by twice the ~20 px shift).
3. `--no-elastix --no-fast`: no such rows, the reasons recorded.
4. elastix not on PATH: a message, the elastix rows skipped, exit 0.
Exits 77 (skipped) without elastix or ITK's example images."""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import numpy as np

OMREG, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SRC, 'bench'))
import elastix_peer  # noqa: E402

RUN = os.path.join(SRC, 'bench', 'run')
ITK_PNG = ('/usr/share/doc/insighttoolkit5-examples/examples/Data/'
           'BrainProtonDensitySliceBorder20.png')
failures = []


def check(ok, what):
    print(('ok   ' if ok else 'FAIL ') + what, flush=True)
    if not ok:
        failures.append(what)


def elastix_file(path, A, t, c, initial='NoInitialTransform'):
    dim = len(c)
    with open(path, 'w') as f:
        f.write('(Transform "AffineTransform")\n(NumberOfParameters %d)\n' % (dim * dim + dim))
        f.write('(TransformParameters %s)\n' % ' '.join('%.17g' % v for v in
                                                        list(A.ravel()) + list(t)))
        f.write('(InitialTransformParametersFileName "%s")\n' % initial)
        f.write('(HowToCombineTransforms "Compose")\n')
        f.write('(FixedImageDimension %d)\n(MovingImageDimension %d)\n' % (dim, dim))
        f.write('(Size %s)\n(Index %s)\n' % (' '.join(['40'] * dim), ' '.join(['0'] * dim)))
        f.write('(Spacing %s)\n(Origin %s)\n' % (' '.join(['1.0'] * dim),
                                                 ' '.join(['0.0'] * dim)))
        f.write('(Direction %s)\n' % ' '.join('%g' % v for v in np.eye(dim).ravel()))
        f.write('(UseDirectionCosines "true")\n')
        f.write('(CenterOfRotationPoint %s)\n' % ' '.join('%.17g' % v for v in c))


def conversion(work):
    rs = np.random.RandomState(15)
    for dim in (3, 2):
        for k in range(3):
            A = np.eye(dim) + rs.uniform(-0.2, 0.2, (dim, dim))
            t, c = rs.uniform(-15, 15, dim), rs.uniform(-60, 60, dim)
            tp = os.path.join(work, 'tp%dd%d.txt' % (dim, k))
            elastix_file(tp, A, t, c)
            out = tp + '.matrix'
            r = subprocess.run([OMREG, 'convert', tp, out, '--to', 'matrix'],
                               capture_output=True, text=True)
            if r.returncode:
                check(False, 'omreg convert %s: %s' % (tp, r.stderr.strip()))
                continue
            want = np.loadtxt(out)
            got = elastix_peer.to_ras(tp)
            check(got.shape == want.shape and np.allclose(got, want, rtol=0, atol=1e-9),
                  '%dD case %d: elastix_peer.to_ras == omreg convert --to matrix (max diff %s)'
                  % (dim, k, np.abs(got - want).max() if got.shape == want.shape else 'shape'))
    elastix_file(os.path.join(work, 'chained.txt'), np.eye(3), np.zeros(3), np.zeros(3),
                 initial='init.txt')
    try:
        elastix_peer.to_ras(os.path.join(work, 'chained.txt'))
        check(False, 'a chained elastix file is refused')
    except ValueError:
        check(True, 'a chained elastix file is refused')


def bench_run(work, name, flags, env=None):
    js = os.path.join(work, name + '.json')
    r = subprocess.run([RUN, 'affine2d', '--omreg', OMREG, '--no-dipy', '--no-serial',
                        '--no-reference', '--repeats', '1', '--json', js] + flags,
                       capture_output=True, text=True, env=env)
    check(r.returncode == 0, 'bench/run %s exits 0 (%d)%s' % (
        ' '.join(flags) or '(peers on)', r.returncode,
        '' if r.returncode == 0 else ': ' + r.stderr[-1500:]))
    if r.returncode:
        return None, r.stdout
    with open(js) as f:
        return json.load(f), r.stdout


def main():
    if shutil.which('elastix') is None or not os.path.exists(ITK_PNG):
        sys.stderr.write('skipped: needs elastix on PATH and insighttoolkit5-examples\n')
        return 77
    with tempfile.TemporaryDirectory(prefix='omreg-bench-peers-') as work:
        conversion(work)
        doc, out = bench_run(work, 'peers', [])
        if doc:
            s = doc['summary']
            for lab in ('omreg fast@1', 'omreg fast@2', 'elastix@1', 'elastix@2'):
                check(lab in s, 'row %s in the summary' % lab)
                if lab in s:
                    check(abs(s[lab]['angle_err_deg']) < 0.5,
                          '%s finds the 10 degrees (error %+.4f)' % (lab, s[lab]['angle_err_deg']))
            check(re.search(r'^elastix@2 ', out, re.M) is not None, 'the table prints elastix@2')
            check('against elastix at the same thread count' in out,
                  'the table against elastix is printed')
            runs = {r['variant']: r for r in doc['runs']}
            if 'elastix@1' in runs and 'omreg par@1' in runs:
                te = np.array(runs['elastix@1']['matrix'])[:2, 2]
                to = np.array(runs['omreg par@1']['matrix'])[:2, 2]
                check(np.abs(te - to).max() < 1.0,
                      "elastix's translation %s within 1 px of omreg's %s" % (te, to))
            check(doc['peers']['elastix'].get('run') and doc['peers']['fast'].get('run'),
                  'the JSON records both peers as run')
        doc, out = bench_run(work, 'none', ['--no-elastix', '--no-fast'])
        if doc:
            check(not any(k.startswith(('elastix', 'omreg fast')) for k in doc['summary']),
                  '--no-elastix --no-fast: no peer rows')
            check(doc['peers']['elastix'].get('skipped') == '--no-elastix' and
                  doc['peers']['fast'].get('skipped') == '--no-fast',
                  '--no-elastix --no-fast: the reasons are recorded')
        empty = os.path.join(work, 'empty-path')
        os.mkdir(empty)
        doc, out = bench_run(work, 'nopath', ['--no-fast'], env=dict(os.environ, PATH=empty))
        if doc:
            check('elastix not found on PATH' in out, 'elastix missing: said so')
            check(not any(k.startswith('elastix') for k in doc['summary']),
                  'elastix missing: no elastix rows')
    if failures:
        print('%d check(s) failed' % len(failures))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
