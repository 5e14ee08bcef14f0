#!/usr/bin/env bash
# libomreg.so's symbol surface: its soname is SONAME, and the symbols it
# exports (nm -D --defined-only) are exactly the functions include/omreg/*.h
# declare (public_functions.sh): none missing, none extra. First a self-check
# proves the comparison reports a missing and an extra symbol.
#   check_exports.sh GCC INCLUDE_DIR LIBOMREG_SO SONAME
set -euo pipefail
cc=$1 include=$2 lib=$3 soname=$4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

have=$(objdump -p "$lib" | awk '$1 == "SONAME" { print $2 }')
[ "$have" = "$soname" ] || { echo "FAIL: soname of $lib is '$have', expected '$soname'"; exit 1; }

bash "$here/public_functions.sh" "$cc" "$include" >"$tmp/declared"
nm -D --defined-only "$lib" | awk '{ print $NF }' | sort -u >"$tmp/exported"
[ -s "$tmp/declared" ] || { echo "FAIL: no function declared in $include/omreg"; exit 1; }

# compare DECLARED EXPORTED: prints every difference; fails if there is one
compare() {
    comm -23 "$1" "$2" | sed 's/^/missing (declared, not exported: OMREG_API?): /'
    comm -13 "$1" "$2" | sed 's/^/extra (exported, not declared in include\/omreg): /'
    cmp -s "$1" "$2"
}

# self-check: a declared function the library lacks, an export no header declares
{ cat "$tmp/declared"; echo omreg_zz_canary_not_exported; } | sort >"$tmp/canary_missing"
sed 1d "$tmp/declared" >"$tmp/canary_extra"
missing=$(compare "$tmp/canary_missing" "$tmp/exported" || true)
extra=$(compare "$tmp/canary_extra" "$tmp/exported" || true)
if grep -q 'missing.*omreg_zz_canary_not_exported$' <<<"$missing" &&
    grep -q "extra.*: $(head -n 1 "$tmp/declared")$" <<<"$extra"; then
    echo "self-check: a missing and an extra symbol are both reported"
else
    echo "FAIL: the comparison did not report the planted differences"
    exit 1
fi

if compare "$tmp/declared" "$tmp/exported"; then
    echo "PASS: $lib ($soname) exports exactly the $(wc -l <"$tmp/declared") functions of $include/omreg"
else
    echo "FAIL: exported symbols differ from the public headers (above)"
    exit 1
fi
