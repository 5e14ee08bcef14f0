"""pytest plugin: DIPY's own dipy.align tests on omreg's kernels.

    OMREG_BACKEND=parallel OMREG_THREADS=2 python3 -m pytest \\
        -p omreg.dipy.pytest_plugin --pyargs dipy.align.tests.test_imwarp ...

Loaded with -p, it patches dipy.align (omreg.dipy.patch) before any test
module is imported, so names the tests import from DIPY's modules are
already omreg's. OMREG_BACKEND ('reference' | 'parallel', default
parallel) picks the kernel table; OMREG_THREADS sets OpenMP's thread count
(OMP_NUM_THREADS, read when libgomp starts, so before omreg loads). It
marks the tests of omreg.dipy.xfails as xfail(strict=True) with their
reasons, counts the calls routed to omreg per test module, and fails the
session when an in-scope module (IN_SCOPE) ran without reaching omreg: a
patch that silently does nothing must not pass."""
import collections
import os

import pytest

IN_SCOPE = tuple(f"dipy.align.tests.test_{m}" for m in (
    "vector_fields", "crosscorr", "sumsqdiff", "expectmax", "transforms", "parzenhist",
    "imaffine", "imwarp", "metrics", "scalespace"))

_backend = os.environ.get("OMREG_BACKEND", "parallel")
if _backend not in ("reference", "parallel"):
    raise pytest.UsageError(f"OMREG_BACKEND must be 'reference' or 'parallel', got {_backend!r}")
_threads = os.environ.get("OMREG_THREADS")
if _threads:
    if not _threads.isdigit() or int(_threads) < 1:
        raise pytest.UsageError(f"OMREG_THREADS must be a positive integer, got {_threads!r}")
    os.environ["OMP_NUM_THREADS"] = _threads

import omreg.dipy as _od  # noqa: E402  (after OMP_NUM_THREADS)
from omreg.dipy.xfails import XFAILS  # noqa: E402

_od.patch(backend=_backend)

_routed = collections.Counter()     # test module -> calls routed to omreg
_fallback = collections.Counter()   # test module -> calls handed back to DIPY (GAPS)
_ran = collections.Counter()        # test module -> tests run
_unrouted = []                      # tests that made no omreg call themselves
_outcomes = collections.defaultdict(collections.Counter)


def _modname(item):
    mod = getattr(item, "module", None)
    return mod.__name__ if mod is not None else item.nodeid.split("::")[0]


def pytest_collection_modifyitems(config, items):
    seen = set()
    for item in items:
        key = f"{_modname(item)}::{item.name}"
        reason = XFAILS.get(key)
        if reason is not None:
            seen.add(key)
            item.add_marker(pytest.mark.xfail(strict=True, reason=reason))
    collected = {_modname(i) for i in items}
    stale = [k for k in XFAILS if k not in seen and k.split("::")[0] in collected]
    if stale:
        raise pytest.UsageError("omreg.dipy.xfails names tests that were not collected: "
                                + ", ".join(stale))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not _od.patched():
        raise RuntimeError("omreg.dipy: dipy.align is no longer patched")
    before, fb = sum(_od.CALLS.values()), sum(_od.FALLBACKS.values())
    yield
    name = _modname(item)
    _ran[name] += 1
    routed = sum(_od.CALLS.values()) - before
    _routed[name] += routed
    if not routed:
        _unrouted.append(f"{name}::{item.name}")
    _fallback[name] += sum(_od.FALLBACKS.values()) - fb


def pytest_runtest_logreport(report):
    if report.when == "call" or report.outcome != "passed":
        mod = report.nodeid.split("::")[0]
        key = "xfailed" if hasattr(report, "wasxfail") and report.skipped else report.outcome
        _outcomes[mod][key] += 1


def _silent():
    return [m for m in IN_SCOPE if _ran[m] and not _routed[m]]


def pytest_sessionfinish(session, exitstatus):
    if _silent() and session.exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    tr = terminalreporter
    tr.section(f"omreg.dipy: backend {_backend}, OMP_NUM_THREADS "
               f"{os.environ.get('OMP_NUM_THREADS', '(unset)')}")
    for m in sorted(_ran):
        tr.write_line(f"{m}: {_ran[m]} tests, {_routed[m]} calls routed to omreg, "
                      f"{_fallback[m]} handed back to DIPY (gaps)")
    tr.write_line(f"{sum(_ran.values()) - len(_unrouted)} of {sum(_ran.values())} tests made "
                  f"omreg calls; without any: {', '.join(_unrouted) or 'none'}")
    kernels = sorted(_od.CALLS.items())
    tr.write_line(f"{len(kernels)} omreg kernels reached: "
                  + ", ".join(f"{k.split(':')[1]}={v}" for k, v in kernels))
    if _od.FALLBACKS:
        tr.write_line("handed back to DIPY: " + ", ".join(
            f"{k.split(':')[1]}={v}" for k, v in sorted(_od.FALLBACKS.items())))
    tr.write_line("left to DIPY (README, gap table): "
                  + "; ".join(f"{g[0]} [issue 16 item {g[2]}]" for g in _od.GAPS))
    silent = _silent()
    if silent:
        tr.write_line("FAILED: in-scope test modules ran without reaching omreg: "
                      + ", ".join(silent), red=True)
