#!/usr/bin/env bash
# Stage `python` of ci/run-all: the Python package (python/) as a user
# installs it, then its own tests.
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
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/lib.sh"

build=$OMREG_BUILD_ROOT/default
omreg_build default
libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
work=$(mktemp -d "${TMPDIR:-/tmp}/omreg-python.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
cmake --install "$build" --prefix "$prefix" >"$work/install.log"

/usr/bin/python3 -m venv --system-site-packages "$work/venv"
py=$work/venv/bin/python
# from a copy: nothing of an earlier build (python/build/) is reused
cp -r "$OMREG_SOURCE_DIR/python" "$work/src"
rm -rf "$work/src/build"
PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig "$py" -m pip install --no-index --no-build-isolation \
    --quiet "$work/src" || omreg_die "pip install ./python failed"

ext=$(cd "$work" && "$py" -c 'import omreg, omreg._lib; print(omreg._lib.__file__)')
[[ $ext == "$work/venv/"* ]] || omreg_die "import omreg loaded $ext, not the venv's copy"
libs=$(ldd "$ext")
grep -q "libomreg.so.* => $(realpath "$prefix/$libdir")/" <<<"$libs" ||
    omreg_die "the extension does not load libomreg from the prefix: $libs"
grep -q 'libgomp' <<<"$libs" || omreg_die "no libgomp behind the extension: $libs"
! grep -Eq 'libomp\.so|libiomp5' <<<"$libs" || omreg_die "a second OpenMP runtime: $libs"
omreg_log "installed: $ext (libomreg from the prefix, libgomp)"

# OMP_WAIT_POLICY=passive: workers that spin while the caller runs Python
# (the progress callback) or while other jobs hold the cores slow a run
# down many times over on a loaded 2-core machine (TOOLING.md)
cd "$work"
OMREG_CLI=$prefix/bin/omreg OMP_WAIT_POLICY=passive PYTHONDONTWRITEBYTECODE=1 \
    "$py" -m pytest -p no:cacheprovider -q -rs "$OMREG_SOURCE_DIR/python/tests" \
    --junitxml="$OMREG_BUILD_ROOT/default/pytest-python.xml"
