#!/usr/bin/env bash
# Every public header compiles on its own (included alone, twice, in a C11
# and in a C++11 translation unit, -Wall -Wextra -Werror -pedantic), and the
# C++ view of every declared function links against libomreg.so, which only
# works inside extern "C" guards. Canaries first: a header that is not
# self-contained and one without guards must each fail.
#   check_public_headers.sh GCC GXX INCLUDE_DIR LIBDIR
set -euo pipefail
cc=$1 cxx=$2 include=$3 libdir=$4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
flags=(-Wall -Wextra -Werror -pedantic -fsyntax-only)

# alone DIR NAME: NAME (a header of DIR/omreg) compiles alone in C and C++
alone() {
    # (twice: the include guard; the typedef: no empty unit for -pedantic)
    printf '#include <omreg/%s>\n#include <omreg/%s>\ntypedef int header_check;\n' "$2" "$2" >"$tmp/one.c"
    "$cc" -std=c11 "${flags[@]}" -I "$1" "$tmp/one.c" &&
        "$cxx" -x c++ -std=c++11 "${flags[@]}" -I "$1" "$tmp/one.c"
}
# links_from_cxx DIR: a C++ program taking the address of every function
# DIR/omreg declares links against libomreg.so (C linkage, all defined)
links_from_cxx() {
    local names
    names=$(bash "$here/public_functions.sh" "$cc" "$1")
    {
        for h in "$1"/omreg/*.h; do printf '#include <omreg/%s>\n' "${h##*/}"; done
        echo 'typedef void (*any_function)(void);'
        echo 'static const any_function table[] = {'
        # shellcheck disable=SC2086 # one name per word
        printf '    reinterpret_cast<any_function>(&%s),\n' $names
        echo '};'
        echo 'int main() { return table[0] == 0; }'
    } >"$tmp/all.cpp"
    "$cxx" -std=c++11 -Wall -Wextra -Werror -pedantic -I "$1" "$tmp/all.cpp" \
        -L "$libdir" -lomreg -o "$tmp/all"
}

# canaries: size_t without <stddef.h>; a C function declared without guards
mkdir -p "$tmp/canary/omreg"
printf '#ifndef C_H\n#define C_H\nsize_t omreg_canary(void);\n#endif\n' >"$tmp/canary/omreg/c.h"
if alone "$tmp/canary" c.h 2>/dev/null; then
    echo "FAIL: a header that is not self-contained compiled"
    exit 1
fi
printf '#ifndef C_H\n#define C_H\nconst char *omreg_last_error(void);\n#endif\n' >"$tmp/canary/omreg/c.h"
if links_from_cxx "$tmp/canary" 2>/dev/null; then
    echo "FAIL: a header without extern \"C\" guards linked from C++"
    exit 1
fi
echo "self-check: the canaries (not self-contained, no extern \"C\") fail"

n=0
for h in "$include"/omreg/*.h; do
    alone "$include" "${h##*/}" || { echo "FAIL: omreg/${h##*/} does not compile alone"; exit 1; }
    n=$((n + 1))
done
links_from_cxx "$include" || { echo "FAIL: the public functions do not link from C++"; exit 1; }
echo "PASS: $n headers compile alone in C11 and C++11; every declared function links from C++"
