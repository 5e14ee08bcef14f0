#!/usr/bin/env bash
# Stage `python` of ci/run-all: the Python package (python/) as a user
# installs it (ci/python-env.sh), then its own tests.
#  1. `cmake --install` of the gcc build (libgomp) into a temporary prefix;
#  2. a venv (--system-site-packages: Debian's numpy, cffi, nibabel, dipy,
#     pytest) and README's command: `pip install --no-build-isolation
#     ./python` with PKG_CONFIG_PATH at the prefix (cffi API mode, compiled
#     against the installed headers, rpath to the prefix);
#  3. `import omreg` from another folder loads the venv's copy, whose
#     extension resolves libomreg.so from the prefix and libgomp, never a
#     second OpenMP runtime (libomp, libiomp5);
#  4. pytest python/tests: the API against `omreg affine` / `omreg syn` bit
#     for bit, threads and backends, bad inputs, progress, cancellation, Ctrl-C.
set -euo pipefail
# shellcheck source=ci/python-env.sh
. "$(dirname "$0")/python-env.sh"

omreg_python_env python

# OMP_WAIT_POLICY=passive: workers that spin while the caller runs Python
# (the progress callback) or while other jobs hold the cores slow a run
# down many times over on a loaded 2-core machine (TOOLING.md)
cd "$work"
OMREG_CLI=$prefix/bin/omreg OMP_WAIT_POLICY=passive PYTHONDONTWRITEBYTECODE=1 \
    "$py" -m pytest -p no:cacheprovider -q -rs "$OMREG_SOURCE_DIR/python/tests" \
    --junitxml="$OMREG_BUILD_ROOT/default/pytest-python.xml"
