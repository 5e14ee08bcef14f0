# shellcheck shell=bash disable=SC2034
# Shared by the CI stage scripts (ci/run-all, tsan/run.sh, ci/valgrind.sh,
# coverage/run.sh). Source it; it defines:
#   OMREG_SOURCE_DIR  the checkout (this file's parent's parent)
#   OMREG_BUILD_ROOT  where the preset builds go (default <source>/build;
#                     build dir of preset P is $OMREG_BUILD_ROOT/P)
#   OMREG_JOBS        parallel build / test jobs (default 2)
# and helpers to build a preset, list tests by ctest label and run many
# (test, environment) pairs two at a time with one log file each.

OMREG_SOURCE_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OMREG_BUILD_ROOT=$(realpath -m -s "${OMREG_BUILD_ROOT:-$OMREG_SOURCE_DIR/build}")
OMREG_JOBS=${OMREG_JOBS:-2}
export OMREG_SOURCE_DIR OMREG_BUILD_ROOT OMREG_JOBS

omreg_log() { printf '%s\n' "$*"; }
omreg_die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# omreg_build PRESET: configure (cache variables from CMakePresets.json, build
# dir $OMREG_BUILD_ROOT/PRESET) and build; incremental, so a second call on a
# built tree costs a second.
omreg_build() {
    local preset=$1 dir=$OMREG_BUILD_ROOT/$1
    (cd "$OMREG_SOURCE_DIR" && cmake --preset "$preset" -B "$dir") ||
        omreg_die "cmake --preset $preset -B $dir failed"
    cmake --build "$dir" -j "$OMREG_JOBS" || omreg_die "build of preset $preset failed"
}

# omreg_list_tests BUILD LABELS EXCLUDE OUT: distinct test programs whose
# labels match the ctest regex LABELS and not EXCLUDE (see ci/ctest-list.cmake).
omreg_list_tests() {
    cmake -DBUILD="$1" -DLABELS="$2" -DEXCLUDE="$3" -DOUT="$4" \
        -P "$OMREG_SOURCE_DIR/ci/ctest-list.cmake"
}

# omreg_load_programs FILE BUILD: reads FILE (omreg_list_tests) into the array
# ENTRIES, keeping only tests whose command is an ELF program built in BUILD
# (a test that runs cmake -P or a script says nothing about our code under a
# tool, and would only measure cmake); says which it skips.
omreg_load_programs() {
    local file=$1 build=$2 line magic
    ENTRIES=()
    while IFS= read -r line; do
        omreg_parse_entry "$line"
        magic=$(head -c 4 "${E_CMD[0]}" 2>/dev/null | od -An -tx1 | tr -d ' \n')
        if [[ ${E_CMD[0]} == "$build"/* && $magic == 7f454c46 && -x ${E_CMD[0]} ]]; then
            ENTRIES+=("$line")
        else
            omreg_log "skipping test $E_NAME: its command (${E_CMD[0]}) is not a program built in $build"
        fi
    done <"$file"
}

# omreg_parse_entry LINE: sets E_NAME, E_DIR, E_ENV (array), E_CMD (array).
omreg_parse_entry() {
    local IFS=$'\x1f' f n
    read -r -a f <<<"$1"
    E_NAME=${f[0]}
    E_DIR=${f[1]:-.}
    n=${f[2]}
    E_ENV=("${f[@]:3:n}")
    E_CMD=("${f[@]:3+n}")
}

# omreg_pool FUNC JOB...: runs `FUNC INDEX JOB` for every JOB, OMREG_JOBS at a
# time, in the background; FUNC records its own verdict (see the stages).
omreg_pool() {
    local func=$1 i=0 job
    shift
    for job in "$@"; do
        while [ "$(jobs -rp | wc -l)" -ge "$OMREG_JOBS" ]; do
            wait -n || true
        done
        "$func" "$i" "$job" &
        i=$((i + 1))
    done
    wait || true
}

# omreg_elapsed START: seconds since START ($EPOCHREALTIME) with one decimal.
omreg_elapsed() {
    awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'
}

# omreg_check_runtime BINARY WANT: fails unless BINARY's resolved OpenMP
# runtime is WANT (libomp or libgomp) and the other one is absent.
omreg_check_runtime() {
    local bin=$1 want=$2 deps
    deps=$(ldd "$bin" 2>&1) || omreg_die "ldd $bin failed: $deps"
    case $want in
    libomp)
        if grep -q 'libgomp' <<<"$deps"; then
            printf '%s\n' "$deps" >&2
            omreg_die "$bin links libgomp; the TSan build must use LLVM libomp only"
        fi
        grep -q 'libomp\.so' <<<"$deps" || omreg_die "$bin does not link libomp"
        ;;
    libgomp)
        if grep -q 'libomp\.so' <<<"$deps"; then
            printf '%s\n' "$deps" >&2
            omreg_die "$bin links LLVM libomp; expected gcc's libgomp"
        fi
        ;;
    esac
}

# omreg_tsan_wrap: sets the array WRAP to the command prefix TSan binaries
# run under. LLVM 14's TSan cannot map its shadow with 32 bits of mmap
# randomisation (kernels >= 6.5 on some distributions): run without ASLR then.
omreg_tsan_wrap() {
    local rnd
    WRAP=()
    rnd=$(cat /proc/sys/vm/mmap_rnd_bits 2>/dev/null || echo 28)
    if [ "$rnd" -gt 28 ]; then
        if setarch "$(uname -m)" -R true 2>/dev/null; then
            WRAP=(setarch "$(uname -m)" -R)
            omreg_log "vm.mmap_rnd_bits=$rnd: running TSan binaries under setarch -R"
        else
            omreg_die "vm.mmap_rnd_bits=$rnd is too high for LLVM 14 TSan and setarch -R is not permitted; run 'sysctl -w vm.mmap_rnd_bits=28' on the host"
        fi
    fi
}
