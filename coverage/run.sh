#!/usr/bin/env bash
# Coverage stage: the `coverage` preset (clang --coverage -O0; gcc's gcov
# drops lines inside OpenMP regions, TOOLING.md), the test suite (and its
# equality tests again under each ISA but the CPU's best), then
# `llvm-cov-14 gcov` (coverage/llvm-gcov.sh) + lcov with branch data, kept to
# the library's rooms (LIBRARY_ROOMS below), an HTML report in
# <build>/html, and the summary. Fails when line coverage is below OMREG_COVERAGE_MIN_LINES
# (default 98 %: issue 13 keeps the library at the 98 % it had; the floor
# the issue allows is 90 %).
# The determinism matrix entries are skipped by default (OMREG_COVERAGE_CTEST_ARGS,
# default "-LE determinism"): they rerun the same binaries as the plain
# entries, which run at OMP_NUM_THREADS=2.
set -euo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/../ci/lib.sh"

MIN_LINES=${OMREG_COVERAGE_MIN_LINES:-98}
read -r -a CTEST_ARGS <<<"${OMREG_COVERAGE_CTEST_ARGS--LE determinism}"
BUILD=$OMREG_BUILD_ROOT/coverage
GCOV_TOOL=$OMREG_SOURCE_DIR/coverage/llvm-gcov.sh
RC=(--rc lcov_branch_coverage=1)

command -v lcov >/dev/null || omreg_die "lcov is not installed (bash ci/install-deps.sh)"
command -v "${OMREG_LLVM_COV:-llvm-cov-14}" >/dev/null || omreg_die "llvm-cov-14 is not installed (package llvm)"
omreg_build coverage

# stale counters from an earlier run would inflate the numbers
lcov --quiet --zerocounters --directory "$BUILD"
rm -rf "$BUILD/html" "$BUILD"/*.info

# a failing test still leaves its counters: report, then fail at the end
# the library's rooms (ARCHITECTURE.md); cli/ is not the library
LIBRARY_ROOMS=(base/\* kernels/\* reference/\* parallel/\* backend/\* api/\* registration/\* qc/\* io/\*)
tests_ok=1
ctest --test-dir "$BUILD" -j "$OMREG_JOBS" --no-tests=error --output-on-failure "${CTEST_ARGS[@]}" ||
    tests_ok=0
# The suite above ran the CPU's best ISA only; the SIMD variants of the
# other ISAs (kernels/isa_list.h) are library code too, which the `isa`
# stage tests: their equality tests again with OMREG_ISA forced to each ISA
# this CPU has but its best (the command refuses, exit 2, an ISA it lacks).
isas=()
for isa in baseline avx2 avx512; do
    if OMREG_ISA=$isa "$BUILD/omreg" affine --help >/dev/null 2>&1; then
        isas+=("$isa")
    fi
done
# (the last one is the CPU's best, the table the suite ran)
for ((i = 0; i + 1 < ${#isas[@]}; ++i)); do
    omreg_log "coverage: equality tests with OMREG_ISA=${isas[i]}"
    OMREG_ISA=${isas[i]} ctest --test-dir "$BUILD" -j "$OMREG_JOBS" --no-tests=error \
        --output-on-failure -L equality -LE determinism || tests_ok=0
done

# (lcov 1.16 loads geninfo twice: drop its "Subroutine ... redefined" noise)
lcov --quiet "${RC[@]}" --gcov-tool "$GCOV_TOOL" --capture --directory "$BUILD" \
    --base-directory "$OMREG_SOURCE_DIR" --output-file "$BUILD/raw.info" \
    2> >(grep -v '^Subroutine .* redefined at ' >&2)
lcov --quiet "${RC[@]}" --extract "$BUILD/raw.info" \
    "${LIBRARY_ROOMS[@]/#/$OMREG_SOURCE_DIR/}" \
    --output-file "$BUILD/coverage.info"
genhtml --quiet "${RC[@]}" --branch-coverage --legend --title "omreg (the library's rooms)" \
    --prefix "$OMREG_SOURCE_DIR" --output-directory "$BUILD/html" "$BUILD/coverage.info"

# per-file table (lines / functions / branches), then the totals
lcov "${RC[@]}" --list "$BUILD/coverage.info" || true
summary=$(lcov "${RC[@]}" --summary "$BUILD/coverage.info" 2>&1)
printf '%s\n' "$summary"
omreg_log "coverage: HTML report in $BUILD/html/index.html"

# lines......: 93.4% (1234 of 1321 lines)
read -r hit total < <(sed -n 's/^ *lines\.*: *[0-9.]*% (\([0-9]*\) of \([0-9]*\) lines.*/\1 \2/p' <<<"$summary")
if [ -z "${total:-}" ] || [ "$total" -eq 0 ]; then
    omreg_die "could not read the line totals from lcov --summary"
fi
verdict=$(awk -v h="$hit" -v t="$total" -v m="$MIN_LINES" \
    'BEGIN { p = 100 * h / t; printf "%.2f %s", p, (p + 1e-9 >= m) ? "ok" : "low" }')
pct=${verdict% *}
[ "$tests_ok" -eq 1 ] || omreg_die "tests failed in the coverage build (line coverage $pct%)"
if [ "${verdict#* }" != ok ]; then
    omreg_die "line coverage $pct% ($hit of $total lines in ${LIBRARY_ROOMS[*]}) is below the floor of $MIN_LINES%"
fi
omreg_log "coverage: line coverage $pct% ($hit of $total lines) >= $MIN_LINES%"
