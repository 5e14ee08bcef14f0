"""`import omreg` chooses passive OpenMP waits (omreg/_openmp.py) before
libgomp loads: libgomp, started with OMP_DISPLAY_ENV=verbose, prints the
spin count it read (0 for passive, 300000 for its default), so each case
checks what the runtime really uses, in a fresh interpreter without the
OMP_WAIT_POLICY ci/python.sh sets for the other tests."""
import os
import subprocess
import sys

PROBE = ("import os, omreg; print(os.environ.get('OMP_WAIT_POLICY'), "
         "omreg.wait_policy_source)")


def _run(code, **env):
    base = {k: v for k, v in os.environ.items()
            if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
    base.update(env, OMP_DISPLAY_ENV="verbose")
    # from another folder: the installed package, not the source tree
    p = subprocess.run([sys.executable, "-c", code], env=base, cwd="/", check=True,
                       capture_output=True, text=True)
    return p.stdout.split(), p.stderr


def test_default_is_passive():
    out, err = _run(PROBE)
    assert out == ["passive", "omreg"]
    assert "GOMP_SPINCOUNT = '0'" in err, err


def test_users_policy_wins():
    out, err = _run(PROBE, OMP_WAIT_POLICY="active")
    assert out == ["active", "environment"]
    assert "OMP_WAIT_POLICY = 'ACTIVE'" in err, err
    out, err = _run(PROBE, GOMP_SPINCOUNT="12345")
    assert out == ["None", "environment"]
    assert "GOMP_SPINCOUNT = '12345'" in err, err


def test_too_late_when_libgomp_was_loaded():
    out, err = _run("import ctypes; ctypes.CDLL('libgomp.so.1'); " + PROBE)
    assert out == ["None", "too", "late"]
    assert "GOMP_SPINCOUNT = '300000'" in err, err
