#!/usr/bin/env bash
# ThreadSanitizer stage: clang -fsanitize=thread against LLVM libomp with the
# Archer OMPT tool (the `tsan` preset; TOOLING.md: the only setup that works).
#  1. builds the tsan preset (also builds the racy canary, OMREG_TSAN_CANARY);
#  2. checks every binary it will run links LLVM libomp and not libgomp, and
#     is instrumented;
#  3. runs the canary test (ctest label tsan_canary): it passes only if Archer
#     loaded and TSan reported the planted race in tsan/racy_canary.c;
#  4. runs every distinct test program labelled equality or determinism (not
#     slow) at OMP_NUM_THREADS x OMP_SCHEDULE = {2,4,8} x {static,1 dynamic,1};
#     each run must exit 0, print Archer's "detected" line (a binary that
#     loads no tool fails) and print no ThreadSanitizer report.
# Knobs (environment): OMREG_TSAN_THREADS, OMREG_TSAN_SCHEDULES (';'-separated),
# OMREG_TSAN_LABELS, OMREG_TSAN_EXCLUDE (ctest label regexes), OMREG_BUILD_ROOT,
# OMREG_JOBS.
set -euo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/../ci/lib.sh"

THREADS=${OMREG_TSAN_THREADS:-"2 4 8"}
IFS=';' read -r -a SCHEDULES <<<"${OMREG_TSAN_SCHEDULES:-static,1;dynamic,1}"
LABELS=${OMREG_TSAN_LABELS:-^(equality|determinism)$}
EXCLUDE=${OMREG_TSAN_EXCLUDE:-^slow$}
BUILD=$OMREG_BUILD_ROOT/tsan
WORK=$BUILD/tsan-runs
ARCHER_BANNER="Archer detected OpenMP application with TSan"

omreg_build tsan

ARCHER=$(sed -n 's/^OMREG_ARCHER_LIBRARY:[A-Z]*=//p' "$BUILD/CMakeCache.txt")
[ -f "$ARCHER" ] || omreg_die "libarcher.so not found (OMREG_ARCHER_LIBRARY='$ARCHER'): install libomp-dev"
TSAN_OPTS="ignore_noninstrumented_modules=1 halt_on_error=1 exitcode=66"
if [ -s "$OMREG_SOURCE_DIR/tsan/suppressions.txt" ]; then
    TSAN_OPTS="$TSAN_OPTS suppressions=$OMREG_SOURCE_DIR/tsan/suppressions.txt"
fi

# (the personality is inherited, so wrapping ctest covers the canary too)
omreg_tsan_wrap

rm -rf "$WORK"
mkdir -p "$WORK"

# --- what will run -----------------------------------------------------------
omreg_list_tests "$BUILD" "$LABELS" "$EXCLUDE" "$WORK/tests.txt"
omreg_load_programs "$WORK/tests.txt" "$BUILD"
[ "${#ENTRIES[@]}" -gt 0 ] || omreg_die "no test labelled '$LABELS' in $BUILD"

check_binary() {
    local bin=$1
    [ -x "$bin" ] || omreg_die "$bin is not an executable"
    omreg_check_runtime "$bin" libomp
    # (no `nm | grep -q`: with pipefail, grep's early exit fails the pipe)
    [ "$(nm "$bin" 2>/dev/null | grep -c '__tsan_init')" -gt 0 ] ||
        omreg_die "$bin is not built with -fsanitize=thread"
}
check_binary "$BUILD/tests/tsan_racy_canary"
for entry in "${ENTRIES[@]}"; do
    omreg_parse_entry "$entry"
    check_binary "${E_CMD[0]}"
done
omreg_log "TSan: ${#ENTRIES[@]} test programs ($LABELS, not $EXCLUDE), all linked against $(ldd "$BUILD/tests/tsan_racy_canary" | awk '/libomp\.so/ {print $3}'), no libgomp"

# --- 1. the canary must be caught -------------------------------------------
omreg_log "TSan: canary (a deliberately racy histogram) must be reported"
if ! "${WRAP[@]}" ctest --test-dir "$BUILD" -L "^tsan_canary$" --no-tests=error -V >"$WORK/canary.log" 2>&1; then
    tail -n 80 "$WORK/canary.log"
    omreg_die "the TSan canary was NOT caught: the race detector is not working (see above)"
fi
nraces=$(grep -c 'WARNING: ThreadSanitizer: data race' "$WORK/canary.log" || true)
omreg_log "TSan: canary caught ($nraces data race report(s) in tsan/racy_canary.c, Archer loaded)"

# --- 2. the real tests must be silent ---------------------------------------
run_one() {
    local idx=$1 job=$2 entry threads sched log start rc verdict why=""
    IFS='|' read -r entry threads sched <<<"$job"
    omreg_parse_entry "${ENTRIES[$entry]}"
    log=$WORK/$idx.log
    start=$EPOCHREALTIME
    set +e
    (
        cd "$E_DIR" &&
            env -u OMREG_BACKEND "${E_ENV[@]}" \
                OMP_NUM_THREADS="$threads" OMP_SCHEDULE="$sched" \
                OMP_TOOL_LIBRARIES="$ARCHER" ARCHER_OPTIONS="verbose=1" \
                TSAN_OPTIONS="$TSAN_OPTS" \
                timeout -k 10 "${OMREG_TOOL_TIMEOUT:-1200}" "${WRAP[@]}" "${E_CMD[@]}"
    ) >"$log" 2>&1 </dev/null
    rc=$?
    set -e
    verdict=PASS
    if ! grep -q "$ARCHER_BANNER" "$log"; then
        # without Archer TSan cannot see OpenMP synchronisation: no verdict
        verdict=FAIL why="Archer was not loaded (no '$ARCHER_BANNER'), exit code $rc"
    elif grep -q 'ThreadSanitizer' "$log"; then
        verdict=FAIL why="ThreadSanitizer report ($(grep -c '^WARNING: ThreadSanitizer' "$log" || true) warning(s)), exit code $rc"
    elif [ "$rc" -ne 0 ]; then
        verdict=FAIL why="exit code $rc"
    fi
    echo "$verdict" >"$WORK/$idx.verdict"
    printf '%s %-40s T=%-2s %-10s %6ss %s\n' "$verdict" "$E_NAME" "$threads" "$sched" \
        "$(omreg_elapsed "$start")" "$why"
    if [ "$verdict" = FAIL ]; then
        printf -- '--- %s (T=%s, %s): last lines of %s\n' "$E_NAME" "$threads" "$sched" "$log"
        tail -n 60 "$log"
        printf -- '---\n'
    fi
}

JOBS=()
for ((e = 0; e < ${#ENTRIES[@]}; ++e)); do
    for t in $THREADS; do
        for s in "${SCHEDULES[@]}"; do
            JOBS+=("$e|$t|$s")
        done
    done
done
omreg_log "TSan: ${#JOBS[@]} runs (threads: $THREADS; schedules: ${SCHEDULES[*]}), $OMREG_JOBS at a time"
omreg_pool run_one "${JOBS[@]}"

npass=$(cat "$WORK"/*.verdict 2>/dev/null | grep -c PASS || true)
nfail=$((${#JOBS[@]} - npass))
echo "tsan: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ] || omreg_die "TSan: $nfail run(s) failed; logs in $WORK"
