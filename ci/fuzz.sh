#!/usr/bin/env bash
# libFuzzer stage (issue 7): builds the `fuzz` preset (clang,
# -fsanitize=fuzzer,address,undefined, no recovery) and runs every target of
# fuzz/ on a copy of its seed corpus (tests/fuzz_corpus/<target>/) for
# OMREG_FUZZ_SECONDS (default 60) each, one after the other (each target is
# one process: 2 at a time would halve the executions of both). Fails on any
# crash, leak, timeout, OOM or sanitizer report; the reproducer (crash-*,
# leak-*, timeout-*, oom-*) and the log stay in $OMREG_BUILD_ROOT/fuzz/fuzz-runs.
set -euo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/lib.sh"

SECONDS_EACH=${OMREG_FUZZ_SECONDS:-60}
BUILD=$OMREG_BUILD_ROOT/fuzz
WORK=$BUILD/fuzz-runs
TARGETS=(fuzz_nifti_read fuzz_cli_options fuzz_transform_file)

omreg_build fuzz
rm -rf "$WORK"
mkdir -p "$WORK"
failed=0
for t in "${TARGETS[@]}"; do
    bin=$BUILD/fuzz/$t
    [ -x "$bin" ] || omreg_die "$bin was not built"
    seeds=$OMREG_SOURCE_DIR/tests/fuzz_corpus/$t
    [ -d "$seeds" ] || omreg_die "no seed corpus $seeds"
    mkdir -p "$WORK/$t/corpus"
    start=$EPOCHREALTIME
    set +e
    (cd "$WORK/$t" &&
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
            TMPDIR="$WORK/$t" timeout -k 10 $((SECONDS_EACH + 120)) "$bin" \
            -max_total_time="$SECONDS_EACH" -rss_limit_mb=2048 -timeout=10 \
            -max_len=8192 -print_final_stats=1 corpus "$seeds") >"$WORK/$t.log" 2>&1
    rc=$?
    set -e
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$WORK/$t.log")
    if [ "$rc" -ne 0 ] || grep -qE '^(==[0-9]+==ERROR|SUMMARY: )|runtime error:' "$WORK/$t.log"; then
        printf 'FAIL %-20s exit %d after %ss; last lines of %s:\n' "$t" "$rc" \
            "$(omreg_elapsed "$start")" "$WORK/$t.log"
        tail -n 60 "$WORK/$t.log"
        failed=$((failed + 1))
    else
        printf 'PASS %-20s %ss, %s runs, clean\n' "$t" "$(omreg_elapsed "$start")" "${runs:-?}"
    fi
done
[ "$failed" -eq 0 ] || omreg_die "fuzz: $failed target(s) failed; logs and reproducers in $WORK"
