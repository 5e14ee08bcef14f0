#!/usr/bin/env bash
# Stage `dipy` of ci/run-all: DIPY 1.6's own dipy.align tests (Debian's
# python3-dipy, written by DIPY's authors) run on omreg's kernels through
# omreg.dipy.pytest_plugin, once with OMREG_BACKEND=reference and once with
# OMREG_BACKEND=parallel at OMREG_THREADS=2.
#  1. the package installed as README says (ci/python-env.sh, shared with
#     stage python);
#  2. per backend, pytest --pyargs over the in-scope modules: every test
#     passes or is a strict xfail of omreg/dipy/xfails.py (an XPASS fails),
#     the plugin fails the run when a module never reached omreg, and the
#     junit report must hold exactly DIPY_TESTS tests with no skip other
#     than those xfails (a test DIPY skips, e.g. for a missing data file,
#     fails the stage instead of passing unseen).
set -euo pipefail
# shellcheck source=ci/python-env.sh
. "$(dirname "$0")/python-env.sh"

DIPY_TESTS=88
MODULES=(vector_fields crosscorr sumsqdiff expectmax transforms parzenhist imaffine imwarp
    metrics scalespace)

omreg_python_env dipy
cd "$work"
args=()
for m in "${MODULES[@]}"; do args+=("dipy.align.tests.test_$m"); done

run_backend() {
    local backend=$1 threads=$2 xml=$OMREG_BUILD_ROOT/default/pytest-dipy-$1.xml
    echo "== dipy.align tests on omreg: backend $backend, $threads thread(s)"
    # OMP_WAIT_POLICY=passive: see ci/python.sh
    OMREG_BACKEND=$backend OMREG_THREADS=$threads OMP_WAIT_POLICY=passive \
        PYTHONDONTWRITEBYTECODE=1 "$py" -m pytest -p no:cacheprovider -p omreg.dipy.pytest_plugin \
        -q -rsxX --durations=5 --junitxml="$xml" --pyargs "${args[@]}" || return 1
    "$py" - "$xml" "$DIPY_TESTS" <<'PY'
import sys
import xml.etree.ElementTree as ET
from omreg.dipy.xfails import XFAILS
suite = ET.parse(sys.argv[1]).getroot()
suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
tests, skipped = int(suite.get("tests")), int(suite.get("skipped"))
if tests != int(sys.argv[2]):
    sys.exit(f"dipy: {tests} tests ran, expected {sys.argv[2]}")
if skipped != len(XFAILS):
    sys.exit(f"dipy: {skipped} skipped or xfailed, expected exactly the {len(XFAILS)} xfails")
print(f"dipy: {tests} tests: {tests - skipped} passed on omreg's kernels, {skipped} strict xfails")
PY
}

# the two runs side by side (OMREG_JOBS, 2 by default): most of a DIPY test's
# time is its Python driver and numpy on one core, so the pair takes little
# more than the slower run; each run's log is printed whole when it ends
pids=()
for spec in "reference 1" "parallel 2"; do
    read -r backend threads <<<"$spec"
    if [ "$OMREG_JOBS" -ge 2 ]; then
        run_backend "$backend" "$threads" >"$work/dipy-$backend.log" 2>&1 &
        pids+=("$!:$backend")
    else
        run_backend "$backend" "$threads" || omreg_die "DIPY's tests failed with the $backend backend"
    fi
done
failed=()
for p in "${pids[@]}"; do
    wait "${p%%:*}" || failed+=("${p#*:}")
    cat "$work/dipy-${p#*:}.log"
done
[ ${#failed[@]} -eq 0 ] || omreg_die "DIPY's tests failed with the ${failed[*]} backend(s)"
