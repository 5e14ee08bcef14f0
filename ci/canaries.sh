#!/usr/bin/env bash
# The canaries stage: every planted bug of ci/canaries.tsv must be caught.
# For each selected canary NAME:
#  1. configures the default preset (gcc Release) with -DOMREG_CANARY=NAME in
#     its own build dir ($OMREG_BUILD_ROOT/canaries/NAME), builds only the
#     programs of the tests its `catch` regex selects, and requires
#     `ctest -R catch` to FAIL (a test failure, not a test that did not run);
#  2. requires `cmake --install` of that build to fail (a canary build refuses
#     to install), and test canary_absent to pass there (it requires nm to
#     find the canary marker in a canary build: the check is not blind);
#  3. when its `tsan` column says yes or only: the same with the tsan preset
#     (clang, ThreadSanitizer, LLVM libomp + Archer), requiring Archer's
#     banner and a "ThreadSanitizer: data race" report while the catch tests
#     run. `only`: TSan alone must catch it; the gcc run of the catch tests is
#     reported but not required to fail (a race corrupts a result only when
#     the threads really interleave, which a loaded machine may not do).
# A canary that survives (or a catch regex that selects no test, or a build
# that fails) fails the stage. Prints the table: canary, class, caught by.
#
# Selection (environment):
#   OMREG_CANARIES=all         every canary (the weekly-style full run)
#   OMREG_CANARIES=a,b         the named canaries
#   unset                      a subset of about OMREG_CANARIES_PER_RUN (default 4)
#                              picked from the commit hash: the canaries are dealt
#                              into groups by row number and HEAD's hash picks the
#                              group, so consecutive commits cover all of them
set -euo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/lib.sh"

TABLE=$OMREG_SOURCE_DIR/ci/canaries.tsv
ROOT=$OMREG_BUILD_ROOT/canaries
PER_RUN=${OMREG_CANARIES_PER_RUN:-4}
ARCHER_BANNER="Archer detected OpenMP application with TSan"

NAMES=() CLASSES=() CATCHES=() TSANS=()
while IFS=$'\t' read -r name class catch tsan _where; do
    [[ -z $name || $name == \#* || $name == name ]] && continue
    [[ $tsan == yes || $tsan == no || $tsan == only ]] ||
        omreg_die "$TABLE: row $name: tsan column must be yes, no or only, not '$tsan'"
    NAMES+=("$name") CLASSES+=("$class") CATCHES+=("$catch") TSANS+=("$tsan")
done <"$TABLE"
N=${#NAMES[@]}
[ "$N" -gt 0 ] || omreg_die "$TABLE has no canary"

SELECTED=()
case ${OMREG_CANARIES:-} in
all) SELECTED=("${!NAMES[@]}") ;;
"")
    # (GITHUB_SHA: a CI container may not trust the checkout's owner for git)
    rev=${GITHUB_SHA:-$(git -C "$OMREG_SOURCE_DIR" rev-parse HEAD 2>/dev/null || echo 0)}
    groups=$(((N + PER_RUN - 1) / PER_RUN))
    g=$((16#${rev:0:7} % groups))
    for ((i = 0; i < N; ++i)); do
        [ $((i % groups)) -eq "$g" ] && SELECTED+=("$i")
    done
    omreg_log "canaries: group $((g + 1)) of $groups (from commit ${rev:0:12}); OMREG_CANARIES=all runs all $N"
    ;;
*)
    IFS=',' read -r -a wanted <<<"$OMREG_CANARIES"
    for w in "${wanted[@]}"; do
        found=
        for ((i = 0; i < N; ++i)); do
            [ "${NAMES[$i]}" = "$w" ] && SELECTED+=("$i") found=1
        done
        [ -n "$found" ] || omreg_die "OMREG_CANARIES: no canary '$w' in $TABLE"
    done
    ;;
esac

# configure PRESET with the canary in DIR, build the programs of the tests
# CATCH selects; prints the selected test names to DIR/catch-tests.txt
build_canary() {
    local name=$1 preset=$2 dir=$3 catch=$4 targets
    (cd "$OMREG_SOURCE_DIR" && cmake --preset "$preset" -B "$dir" -DOMREG_CANARY="$name") \
        >"$dir.configure.log" 2>&1 || {
        tail -n 30 "$dir.configure.log"
        omreg_die "configure of canary $name ($preset) failed"
    }
    ctest --test-dir "$dir" -N -R "$catch" | sed -n 's/^ *Test *#[0-9]*: //p' >"$dir/catch-tests.txt"
    [ -s "$dir/catch-tests.txt" ] || omreg_die "canary $name: catch regex '$catch' selects no test"
    # a test's program is its name up to the first '/' (determinism variants)
    mapfile -t targets < <(sed 's|/.*||' "$dir/catch-tests.txt" | sort -u)
    targets+=(omreg_base) # canary_absent reads its nm
    cmake --build "$dir" -j "$OMREG_JOBS" --target "${targets[@]}" >"$dir.build.log" 2>&1 || {
        tail -n 30 "$dir.build.log"
        omreg_die "build of canary $name ($preset) failed"
    }
}

# the tests ctest reports failed, not counting those that did not run
failed_tests() {
    sed -n '/The following tests FAILED:/,$p' "$1" | grep -E '^[[:space:]]+[0-9]+ - ' |
        grep -v '(Not Run)' | sed -E 's/^[[:space:]]+[0-9]+ - //; s/ \(([^)]*)\)$/ [\1]/' |
        paste -sd ',' - | sed 's/,/, /g' || true
}

CAUGHT=() VERDICT=()
run_canary() {
    local i=$1 name=${NAMES[$1]} catch=${CATCHES[$1]} tsan=${TSANS[$1]}
    local dir=$ROOT/$name by="" verdict=caught log start
    start=$EPOCHREALTIME
    mkdir -p "$ROOT"
    omreg_log "--- canary $name (${CLASSES[$i]}): catch '$catch'$([ "$tsan" != no ] && echo " + TSan ($tsan)")"
    build_canary "$name" default "$dir" "$catch"
    log=$dir.ctest.log
    if ctest --test-dir "$dir" -R "$catch" --no-tests=error --output-on-failure \
        --timeout 600 >"$log" 2>&1; then
        if [ "$tsan" = only ]; then
            by="(gcc: $(paste -sd ' ' "$dir/catch-tests.txt") passed, TSan alone required)"
        else
            verdict=SURVIVED by="(all of $(paste -sd ' ' "$dir/catch-tests.txt") passed)"
        fi
    else
        by=$(failed_tests "$log")
        if [ -z "$by" ]; then
            tail -n 30 "$log"
            verdict=ERROR by="(ctest failed but no test ran and failed: see $log)"
        fi
    fi
    # the canary build carries the marker that test canary_absent looks for
    # with nm (so that check is not blind), and the table matches the tree
    if ! ctest --test-dir "$dir" -R '^canary_absent$' --no-tests=error >"$dir.absent.log" 2>&1; then
        verdict=ERROR by="$by; canary_absent failed in the canary build (see $dir.absent.log)"
    fi
    if cmake --install "$dir" --prefix "$dir.install" >"$dir.install.log" 2>&1; then
        verdict=ERROR by="$by; cmake --install of the canary build succeeded"
    elif ! grep -q 'refusing to install' "$dir.install.log"; then
        verdict=ERROR by="$by; cmake --install failed without the canary refusal"
    fi
    if [ "$tsan" != no ] && [ "$verdict" = caught ]; then
        local tdir=$ROOT/$name-tsan archer races
        build_canary "$name" tsan "$tdir" "$catch"
        archer=$(sed -n 's/^OMREG_ARCHER_LIBRARY:[A-Z]*=//p' "$tdir/CMakeCache.txt")
        [ -f "$archer" ] || omreg_die "libarcher.so not found (OMREG_ARCHER_LIBRARY='$archer')"
        omreg_tsan_wrap
        log=$tdir.ctest.log
        OMP_TOOL_LIBRARIES=$archer ARCHER_OPTIONS=verbose=1 \
            TSAN_OPTIONS="ignore_noninstrumented_modules=1 halt_on_error=1 exitcode=66" \
            "${WRAP[@]}" ctest --test-dir "$tdir" -R "$catch" --no-tests=error -V \
            --timeout 900 >"$log" 2>&1 || true
        races=$(grep -c 'WARNING: ThreadSanitizer: data race' "$log" || true)
        if ! grep -q "$ARCHER_BANNER" "$log"; then
            verdict=ERROR by="$by; TSan: Archer not loaded (see $log)"
        elif [ "$races" -eq 0 ]; then
            verdict=SURVIVED by="$by; TSan: no data race reported"
        else
            by="${by:+$by; }TSan ($races data race report(s))"
        fi
    fi
    CAUGHT[i]=$by
    VERDICT[i]=$verdict
    omreg_log "    $verdict in $(omreg_elapsed "$start") s: $by"
}

omreg_log "canaries: ${#SELECTED[@]} of $N: $(for i in "${SELECTED[@]}"; do printf '%s ' "${NAMES[$i]}"; done)"
for i in "${SELECTED[@]}"; do
    run_canary "$i"
done

nbad=0
printf '\n%-24s %-53s %-8s %s\n' canary class verdict "caught by"
for i in "${SELECTED[@]}"; do
    printf '%-24s %-53s %-8s %s\n' "${NAMES[$i]}" "${CLASSES[$i]}" "${VERDICT[$i]}" "${CAUGHT[$i]}"
    [ "${VERDICT[$i]}" = caught ] || nbad=$((nbad + 1))
done
echo "canaries: $((${#SELECTED[@]} - nbad)) caught, $nbad survived or failed to run"
[ "$nbad" -eq 0 ] || omreg_die "$nbad canary(ies) not caught: the suite misses a planted bug (see above)"
