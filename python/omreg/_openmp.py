"""The OpenMP wait policy of the omreg package (issue 14).

libgomp's default wait spins at barriers before sleeping; beside another
busy process (or while Python runs a progress callback) spinning workers
burn the cores their partners need, and 2 threads ran 2-3x slower than 1.
libgomp reads OMP_WAIT_POLICY once, when it is loaded, so the package sets
OMP_WAIT_POLICY=passive in the environment before its extension (and with
it libgomp) is loaded. That has no effect when libgomp was loaded already
(by another module, e.g. a scikit-learn or PyTorch build using it): the
runtime keeps its policy, and the package then sets nothing. A user's own
OMP_WAIT_POLICY or GOMP_SPINCOUNT is never touched.

`choose()` returns the value of `omreg.wait_policy_source`:
  "omreg"        OMP_WAIT_POLICY=passive was set by this package;
  "environment"  the user's OMP_WAIT_POLICY or GOMP_SPINCOUNT, left alone;
  "too late"     libgomp was loaded before omreg: its policy stands (set
                 OMP_WAIT_POLICY=passive before starting Python to change it).
"""
import os


def _libgomp_loaded():
    """Whether this process has libgomp mapped already (Linux: /proc/self/maps)."""
    try:
        with open("/proc/self/maps") as maps:
            return any("libgomp" in line for line in maps)
    except OSError:
        return False


def choose():
    if "OMP_WAIT_POLICY" in os.environ or "GOMP_SPINCOUNT" in os.environ:
        return "environment"
    if _libgomp_loaded():
        return "too late"
    os.environ["OMP_WAIT_POLICY"] = "passive"
    return "omreg"
