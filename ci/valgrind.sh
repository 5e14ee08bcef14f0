#!/usr/bin/env bash
# Valgrind memcheck stage (gcc build, libgomp; the `default` preset, built if
# needed): every distinct test program labelled unit, golden or robustness
# (not slow) runs once per OMP_NUM_THREADS in {1, 2} under memcheck and must
# report zero errors and zero definite/indirect/possible leaks (libgomp's
# pool-thread TLS is suppressed: ci/valgrind.supp, plus tests/valgrind.supp
# when present). The determinism matrix registers a program many times; it
# runs once per thread count here.
# Beside them, a sample of the equality programs (parallel vs reference),
# chosen to cost seconds under memcheck: OMREG_VALGRIND_EQUALITY lists
# NAME or NAME=GLOB (GLOB: the cmocka cases to run, through
# OMREG_TEST_FILTER). test_equality_affine's 2D sparse case is the one whose
# printed hash once read uninitialised matrix entries (issue 19).
# Knobs (environment): OMREG_VALGRIND_THREADS, OMREG_VALGRIND_LABELS,
# OMREG_VALGRIND_EXCLUDE, OMREG_VALGRIND_EQUALITY ("" for none),
# OMREG_BUILD_ROOT, OMREG_JOBS.
set -euo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/lib.sh"

THREADS=${OMREG_VALGRIND_THREADS:-"1 2"}
LABELS=${OMREG_VALGRIND_LABELS:-^(unit|golden|robustness)$}
EXCLUDE=${OMREG_VALGRIND_EXCLUDE:-^slow$}
EQUALITY=${OMREG_VALGRIND_EQUALITY-test_equality_affine=sparse_2d_rigid test_equality_parzen test_equality_center_of_mass test_equality_warp}
BUILD=$OMREG_BUILD_ROOT/default
WORK=$BUILD/valgrind-runs

command -v valgrind >/dev/null || omreg_die "valgrind is not installed (bash ci/install-deps.sh)"
omreg_build default

SUPP=(--suppressions="$OMREG_SOURCE_DIR/ci/valgrind.supp")
if [ -f "$OMREG_SOURCE_DIR/tests/valgrind.supp" ]; then
    SUPP+=(--suppressions="$OMREG_SOURCE_DIR/tests/valgrind.supp")
fi
# shellcheck disable=SC2054 # commas are in option values
VALGRIND=(valgrind -q --tool=memcheck --error-exitcode=1 --leak-check=full
    --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible
    --track-origins=yes --gen-suppressions=all "${SUPP[@]}")

rm -rf "$WORK"
mkdir -p "$WORK"
omreg_list_tests "$BUILD" "$LABELS" "$EXCLUDE" "$WORK/tests.txt"
# the equality sample: each named program once, with its case filter
declare -A FILTER=()
if [ -n "$EQUALITY" ]; then
    omreg_list_tests "$BUILD" "^equality$" "$EXCLUDE" "$WORK/equality.txt"
    for item in $EQUALITY; do
        name=${item%%=*} found=
        [[ $item == *=* ]] && FILTER[$name]=${item#*=}
        while IFS= read -r line; do
            omreg_parse_entry "$line"
            if [ "$E_NAME" = "$name" ]; then
                printf '%s\n' "$line" >>"$WORK/tests.txt"
                found=1
            fi
        done <"$WORK/equality.txt"
        [ -n "$found" ] || omreg_die "OMREG_VALGRIND_EQUALITY: no equality test named $name in $BUILD"
    done
fi
omreg_load_programs "$WORK/tests.txt" "$BUILD"
[ "${#ENTRIES[@]}" -gt 0 ] || omreg_die "no test labelled '$LABELS' in $BUILD"

run_one() {
    local idx=$1 job=$2 entry threads log start rc verdict why=""
    IFS='|' read -r entry threads <<<"$job"
    omreg_parse_entry "${ENTRIES[$entry]}"
    log=$WORK/$idx.log
    start=$EPOCHREALTIME
    set +e
    (
        cd "$E_DIR" &&
            env -u OMREG_BACKEND -u OMP_SCHEDULE "${E_ENV[@]}" OMP_NUM_THREADS="$threads" \
                OMREG_TEST_FILTER="${FILTER[$E_NAME]:-}" \
                timeout -k 10 "${OMREG_TOOL_TIMEOUT:-1200}" "${VALGRIND[@]}" "${E_CMD[@]}"
    ) >"$log" 2>&1 </dev/null
    rc=$?
    set -e
    verdict=PASS
    if [ "$rc" -ne 0 ]; then
        verdict=FAIL why="exit code $rc"
    elif grep -q '^==[0-9]*==' "$log"; then
        verdict=FAIL why="valgrind reported something"
    fi
    echo "$verdict" >"$WORK/$idx.verdict"
    printf '%s %-40s T=%-2s %6ss %s\n' "$verdict" "$E_NAME" "$threads" \
        "$(omreg_elapsed "$start")" "$why"
    if [ "$verdict" = FAIL ]; then
        printf -- '--- %s (T=%s): last lines of %s\n' "$E_NAME" "$threads" "$log"
        tail -n 80 "$log"
        printf -- '---\n'
    fi
}

JOBS=()
for ((e = 0; e < ${#ENTRIES[@]}; ++e)); do
    for t in $THREADS; do
        JOBS+=("$e|$t")
    done
done
omreg_log "valgrind: ${#ENTRIES[@]} test programs ($LABELS, not $EXCLUDE) x threads {$THREADS} = ${#JOBS[@]} runs, $OMREG_JOBS at a time"
omreg_pool run_one "${JOBS[@]}"

npass=$(cat "$WORK"/*.verdict 2>/dev/null | grep -c PASS || true)
nfail=$((${#JOBS[@]} - npass))
echo "valgrind: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ] || omreg_die "valgrind: $nfail run(s) failed; logs in $WORK"
