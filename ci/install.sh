#!/usr/bin/env bash
# Stage `install` of ci/run-all: omreg as a user installs and links it.
#  1. `cmake --install` of the gcc build (preset default) into a temporary
#     prefix, which must hold the command, exactly the public headers,
#     libomreg.a, libomreg.so with its soname links, omreg.pc, the CMake
#     package and one manual page per generated page.
#  2. tests/consumer/register_pair.c, which registers ITK's 2D PD slice pair
#     through the public API, built against that prefix four ways:
#     pkg-config (shared), pkg-config --static (libomreg.a), CMake
#     find_package(omreg) -> omreg::omreg, and plain -lomreg. Each must be
#     linked as it claims (libomreg.so.SOVERSION from the prefix, or not at
#     all) and print byte for byte the matrix `omreg affine` prints.
#  3. cpack -G DEB: its Depends names the package of every library its ELF
#     files are linked with (NEEDED -> dpkg -S), apt resolves it
#     (apt-get --simulate install ./omreg_*.deb), and from `dpkg -x` into a
#     scratch root: `omreg --version`, `man -l` on each page, register_pair
#     built through the unpacked omreg.pc.
#  4. As root: ci/install_deb_chroot.sh, `apt-get install ./omreg_*.deb` in a
#     freshly debootstrapped root, then the command and its pages there.
set -euo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/lib.sh"

build=$OMREG_BUILD_ROOT/default
omreg_build default
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
version=$(cache CMAKE_PROJECT_VERSION)
libdir=$(cache CMAKE_INSTALL_LIBDIR)
soname=$(objdump -p "$build/libomreg.so" | awk '$1 == "SONAME" { print $2 }')
[ -n "$version" ] && [ -n "$libdir" ] && [ -n "$soname" ] ||
    omreg_die "no project version, libdir or soname in $build"

data=/usr/share/doc/insighttoolkit5-examples/examples/Data
pair=("$data/BrainProtonDensitySliceBorder20.png" "$data/BrainProtonDensitySliceShifted13x17y.png")
[ -r "${pair[0]}" ] && [ -r "${pair[1]}" ] || omreg_die "ITK's 2D pair is missing (insighttoolkit5-examples)"
cflags=(-std=c11 -Wall -Wextra -Werror -pedantic)

work=$(mktemp -d "${TMPDIR:-/tmp}/omreg-install.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

# ---- 1. the installed tree
cmake --install "$build" --prefix "$prefix" >"$work/install.log"
for f in bin/omreg "$libdir/libomreg.a" "$libdir/libomreg.so" "$libdir/$soname" \
    "$libdir/pkgconfig/omreg.pc" "$libdir/cmake/omreg/omregConfig.cmake" \
    "$libdir/cmake/omreg/omregConfigVersion.cmake" share/man/man1/omreg.1; do
    [ -e "$prefix/$f" ] || omreg_die "not installed: $f"
done
diff <(cd "$OMREG_SOURCE_DIR/include/omreg" && ls) <(cd "$prefix/include/omreg" && ls) ||
    omreg_die "installed headers are not exactly include/omreg/*.h"
diff <(cd "$build/man/man1" && ls) <(cd "$prefix/share/man/man1" && ls) ||
    omreg_die "installed manual pages differ from the generated ones"
[ "$("$prefix/bin/omreg" --version)" = "omreg $version" ] || omreg_die "installed omreg --version"
omreg_log "installed tree: command, $(ls "$prefix/include/omreg" | wc -l) headers, libomreg.a, $soname, omreg.pc, CMake package, $(ls "$prefix/share/man/man1" | wc -l) pages"

"$prefix/bin/omreg" affine --quiet "${pair[@]}" >"$work/expected.txt"
[ "$(wc -l <"$work/expected.txt")" -eq 3 ] || omreg_die "omreg affine printed no 3x3 matrix"

# check_consumer NAME SHARED|STATIC LIBDIR [ENV...]: the program $work/NAME
# is linked as said (libomreg.so from LIBDIR, or no libomreg.so) and prints
# what omreg affine printed.
check_consumer() {
    local name=$1 how=$2 dir=$3 resolved
    shift 3
    resolved=$(env "$@" ldd "$work/$name" | awk '$1 ~ /^libomreg\.so/ { print $1, $3 }')
    if [ "$how" = SHARED ]; then
        [ "$resolved" = "$soname $(realpath -s "$dir")/$soname" ] ||
            omreg_die "$name: libomreg resolves to '$resolved', not $dir/$soname"
    else
        [ -z "$resolved" ] || omreg_die "$name: linked libomreg.so ($resolved), expected libomreg.a"
    fi
    env "$@" "$work/$name" "${pair[@]}" >"$work/$name.txt" || omreg_die "$name failed"
    cmp "$work/expected.txt" "$work/$name.txt" ||
        omreg_die "$name printed another matrix than omreg affine: $(cat "$work/$name.txt")"
    omreg_log "consumer $name ($how): same matrix as omreg affine"
}

# ---- 2. the consumer, four ways
src=$OMREG_SOURCE_DIR/tests/consumer
export PKG_CONFIG_PATH=$prefix/$libdir/pkgconfig
# shellcheck disable=SC2046 # word splitting of pkg-config's flags is intended
gcc "${cflags[@]}" "$src/register_pair.c" -o "$work/pc_shared" $(pkg-config --cflags --libs omreg)
check_consumer pc_shared SHARED "$prefix/$libdir" LD_LIBRARY_PATH="$prefix/$libdir"
# libomreg.a with its private dependencies (-l:libomreg.a: the archive even
# though libomreg.so sits beside it)
static_libs=$(pkg-config --static --libs omreg | sed 's/-lomreg\b/-l:libomreg.a/')
# shellcheck disable=SC2046,SC2086
gcc "${cflags[@]}" "$src/register_pair.c" -o "$work/pc_static" $(pkg-config --cflags omreg) $static_libs
check_consumer pc_static STATIC "$prefix/$libdir"

cmake -S "$src" -B "$work/cmake" -DCMAKE_PREFIX_PATH="$prefix" -DOMREG_EXPECTED_VERSION="$version" \
    -DCMAKE_C_FLAGS="${cflags[*]}" >"$work/cmake.log" || { cat "$work/cmake.log"; omreg_die "find_package(omreg)"; }
cmake --build "$work/cmake" >>"$work/cmake.log" || { cat "$work/cmake.log"; omreg_die "CMake consumer build"; }
cp "$work/cmake/register_pair" "$work/cmake_shared" # its RPATH names the prefix
check_consumer cmake_shared SHARED "$prefix/$libdir"

gcc "${cflags[@]}" "$src/register_pair.c" -o "$work/plain_shared" -I "$prefix/include" \
    -L "$prefix/$libdir" -lomreg
check_consumer plain_shared SHARED "$prefix/$libdir" LD_LIBRARY_PATH="$prefix/$libdir"

# ---- 3. the Debian package
rm -f "$build"/omreg_*.deb
(cd "$build" && cpack -G DEB >"$work/cpack.log" 2>&1) || { cat "$work/cpack.log"; omreg_die "cpack -G DEB"; }
deb=$(ls "$build"/omreg_"$version"_*.deb)
dpkg-deb --info "$deb" >"$work/deb-info.txt"
[ "$(dpkg-deb --field "$deb" Package)" = omreg ] && [ "$(dpkg-deb --field "$deb" Version)" = "$version" ] ||
    omreg_die "$deb: wrong Package or Version"
depends=$(dpkg-deb --field "$deb" Depends)
omreg_log "$(basename "$deb"): Depends: $depends"
root=$work/root
dpkg -x "$deb" "$root"
arch=$(dpkg --print-architecture)
elves=("$root/usr/bin/omreg" "$root/usr/$libdir/$soname")
for elf in "${elves[@]}"; do
    for needed in $(objdump -p "$elf" | awk '$1 == "NEEDED" { print $2 }'); do
        # the package of this architecture that ships the library
        pkg=$(dpkg -S "*/$needed" 2>/dev/null | awk -F': ' -v a=":$arch" '$1 ~ a"$" { sub(a"$", "", $1); print $1; exit }')
        [ -n "$pkg" ] || omreg_die "no installed package ships $needed (NEEDED by ${elf#"$root"})"
        grep -Eq "(^|, )$pkg( |,|$)" <<<"$depends" ||
            omreg_die "${elf#"$root"} needs $needed from $pkg, which Depends does not name"
    done
done
omreg_log "Depends names the package of every NEEDED library of ${elves[*]#"$root"}"
apt-get install --simulate "$deb" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; omreg_die "apt cannot install $deb"; }
grep -q '^Inst omreg ' "$work/apt.log" || { cat "$work/apt.log"; omreg_die "apt would not install omreg"; }

[ "$("$root/usr/bin/omreg" --version)" = "omreg $version" ] || omreg_die "unpacked omreg --version"
for page in "$root"/usr/share/man/man1/*.1; do
    name=$(basename "$page" .1)
    text=$(man -l "$page" 2>/dev/null | col -bx)
    grep -Eq "^ *$name +- " <<<"$text" || omreg_die "man -l $page shows no NAME line for $name"
done
omreg_log "unpacked .deb: omreg --version, man -l on $(ls "$root/usr/share/man/man1" | wc -l) pages"
export PKG_CONFIG_PATH=$root/usr/$libdir/pkgconfig
# shellcheck disable=SC2046
gcc "${cflags[@]}" "$src/register_pair.c" -o "$work/deb_shared" $(pkg-config --cflags --libs omreg)
check_consumer deb_shared SHARED "$root/usr/$libdir" LD_LIBRARY_PATH="$root/usr/$libdir"

# ---- 4. on a fresh Debian root, as a user would: apt install ./omreg_*.deb
if [ "$(id -u)" -eq 0 ]; then
    bash "$OMREG_SOURCE_DIR/ci/install_deb_chroot.sh" "$deb" "$version" "$work/expected.txt" "${pair[@]}"
else
    omreg_log "not root: the fresh-root apt install (ci/install_deb_chroot.sh) did not run"
fi
omreg_log "install stage: all checks passed"
