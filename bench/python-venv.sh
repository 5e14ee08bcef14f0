#!/usr/bin/env bash
# The Python package for bench/run --patched: the gcc build installed into
# build/bench-python/prefix and README's `pip install --no-build-isolation
# ./python` into the venv build/bench-python/venv (ci/python-env.sh, the
# same install the python and dipy stages check). Prints the venv's python.
#
#   bash bench/python-venv.sh        # then: bench/run CASE --patched
set -euo pipefail
# shellcheck source=ci/python-env.sh
. "$(dirname "$0")/../ci/python-env.sh"
omreg_python_env bench "$OMREG_SOURCE_DIR/build/bench-python" >&2
echo "$py"
