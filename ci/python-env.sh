#!/usr/bin/env bash
# Sourced by ci/python.sh, ci/dipy.sh and bench/python-venv.sh:
# omreg_python_env TAG [DIR] installs the Python package as a user does and sets
#   work    a temporary folder (removed at exit), or DIR (made anew, kept)
#   prefix  `cmake --install` of the gcc build (libgomp) in $work/prefix
#   py      the python of a venv (--system-site-packages: Debian's numpy,
#           cffi, nibabel, dipy, pytest) holding README's
#           `pip install --no-build-isolation ./python`, compiled against the
#           installed headers with an rpath to the prefix
# and checks that `import omreg` from another folder loads the venv's copy,
# whose extension resolves libomreg.so from the prefix and libgomp, never a
# second OpenMP runtime (libomp, libiomp5).
# shellcheck source=ci/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

omreg_python_env() {
    local tag=$1 keep=${2:-} build=$OMREG_BUILD_ROOT/default libdir ext libs
    omreg_build default
    libdir=$(sed -n 's/^CMAKE_INSTALL_LIBDIR:[A-Z]*=//p' "$build/CMakeCache.txt")
    if [[ -n $keep ]]; then  # a folder that stays (bench/python-venv.sh), made anew
        work=$keep
        rm -rf "$work"
        mkdir -p "$work"
    else
        work=$(mktemp -d "${TMPDIR:-/tmp}/omreg-$tag.XXXXXX")
        # shellcheck disable=SC2064  # $work is expanded now, on purpose
        trap "rm -rf '$work'" EXIT
    fi
    prefix=$work/prefix
    cmake --install "$build" --prefix "$prefix" >"$work/install.log"

    /usr/bin/python3 -m venv --system-site-packages "$work/venv"
    py=$work/venv/bin/python
    # from a copy: nothing of an earlier build (python/build/) is reused
    cp -r "$OMREG_SOURCE_DIR/python" "$work/src"
    rm -rf "$work/src/build"
    PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig "$py" -m pip install --no-index \
        --no-build-isolation --quiet "$work/src" || omreg_die "pip install ./python failed"

    ext=$(cd "$work" && "$py" -c 'import omreg, omreg._lib; print(omreg._lib.__file__)')
    [[ $ext == "$work/venv/"* ]] || omreg_die "import omreg loaded $ext, not the venv's copy"
    libs=$(ldd "$ext")
    grep -q "libomreg.so.* => $(realpath "$prefix/$libdir")/" <<<"$libs" ||
        omreg_die "the extension does not load libomreg from the prefix: $libs"
    grep -q 'libgomp' <<<"$libs" || omreg_die "no libgomp behind the extension: $libs"
    ! grep -Eq 'libomp\.so|libiomp5' <<<"$libs" || omreg_die "a second OpenMP runtime: $libs"
    omreg_log "installed: $ext (libomreg from the prefix, libgomp)"
}
