#!/usr/bin/env bash
# Prints, one per line and sorted, the functions the public headers declare:
# every extern function declaration gcc's -aux-info reports from
# INCLUDE_DIR/omreg/*.h when all of them are included (static inline helpers,
# were there any, are not declarations the library exports).
#   public_functions.sh GCC INCLUDE_DIR
set -euo pipefail
cc=$1 include=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for h in "$include"/omreg/*.h; do
    printf '#include "omreg/%s"\n' "${h##*/}"
done >"$tmp/all.c"
"$cc" -std=c11 -fsyntax-only -I "$include" -aux-info "$tmp/aux" "$tmp/all.c"
# lines read "/* INCLUDE_DIR/omreg/x.h:12:NC */ extern TYPE NAME (ARGS);"
grep -F "/* $include/omreg/" "$tmp/aux" | grep -E '^/\* [^ ]+ \*/ extern ' |
    sed -E 's/^.*[ *]([A-Za-z_][A-Za-z0-9_]*) \(.*$/\1/' | sort -u
