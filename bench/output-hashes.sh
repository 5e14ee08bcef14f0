#!/usr/bin/env bash
# SHA-256 of omreg's outputs, for the bitwise promise of a refactoring
# (issue 13: "every output is unchanged"): record them before, again after,
# and diff the two files.
#
#   bash bench/output-hashes.sh BUILD_DIR OUT.txt [--threads N]
#
# BUILD_DIR is a built tree (e.g. build/default: BUILD_DIR/omreg and
# BUILD_DIR/tests/test_golden_*); --threads N (default 2) is passed to every
# omreg run and as OMP_NUM_THREADS to the golden tests. Needs mricron-data,
# /usr/bin/python3 with numpy, nibabel and DIPY (ci/install-deps.sh).
#
# Groups of OUT.txt (one `sha256  name` line per output, sorted by name):
#   demo/    bench/demo.sh's registration: the moving image `omreg apply`
#            makes from ch2 through the known affine, `omreg affine` of ch2
#            and that image (the matrix, the warped image) and the stdout of
#            `omreg affine-error` against the known affine
#   syn3d/   bench/run's syn3d case (fixtures/e2e_syn_case.py build_case(dir,
#            1)): `omreg syn --metric cc --cc-radius 4 --level-iters 10,10,5`,
#            its field (--out-field) and warped image (--out-warped)
#   input/   the syn3d inputs, as written by numpy/nibabel (not omreg's
#            outputs: they tell an input drift, e.g. a new numpy, from a
#            change in omreg)
#   golden/  every array the golden tests (tests/test_golden_*.c) compare
#            with their fixtures, dumped through OMREG_OUTPUT_DUMP_DIR
#            (tests/support/omreg_test.h, omreg_test_dump), named
#            <program>--<what>--<k>.bin
# omreg's .nii.gz files are hashed as written (its gzip header has mtime 0)
# and decompressed (NAME|gunzip), so a change in compression alone shows as
# such; nibabel's inputs only decompressed (their gzip header holds a time).
#
# Took 4.7 minutes at 2 threads and 5.5 at 1 on this 2-core machine with
# other jobs running (load average ~5); most of it is the 1 mm demo
# registration, building the SyN case in numpy and the SyN run. Runs at
# --threads 1 and --threads 2 gave identical files (3769 lines; build/default,
# gcc 12, at b1161fd plus the dump hook).
set -euo pipefail

usage() { echo "usage: $0 BUILD_DIR OUT.txt [--threads N]" >&2; exit 2; }
[ $# -ge 2 ] || usage
build=$(cd "$1" && pwd)
out=$2
shift 2
threads=2
while [ $# -gt 0 ]; do
    case $1 in
    --threads) [ $# -ge 2 ] || usage; threads=$2; shift ;;
    *) usage ;;
    esac
    shift
done
root=$(cd "$(dirname "$0")/.." && pwd)
omreg=$build/omreg
ch2=/usr/share/mricron/templates/ch2.nii.gz
py=/usr/bin/python3
[ -x "$omreg" ] || { echo "$0: $omreg not found (build first)" >&2; exit 1; }
[ -r "$ch2" ] || { echo "$0: $ch2 not found: install mricron-data" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
list=$work/hashes.txt
: >"$list"
export OMP_SCHEDULE=${OMP_SCHEDULE:-static}
# results are the same under any wait policy; passive keeps 2 threads from
# spinning against each other on a busy machine (../shared TOOLING.md)
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}

# hash FILE NAME: the file's bytes as NAME; a .gz file also decompressed
hash() {
    printf '%s  %s\n' "$(sha256sum <"$1" | cut -d' ' -f1)" "$2" >>"$list"
    case $1 in
    *.gz) printf '%s  %s\n' "$(gunzip -c "$1" | sha256sum | cut -d' ' -f1)" "$2|gunzip" >>"$list" ;;
    esac
}
# quiet COMMAND...: runs it with its output in a log, shown if it fails
quiet() {
    "$@" >"$work/run.log" 2>&1 || {
        cat "$work/run.log" >&2
        echo "$0: failed: $*" >&2
        exit 1
    }
}
hash_gunzip() {
    printf '%s  %s\n' "$(gunzip -c "$1" | sha256sum | cut -d' ' -f1)" "$2|gunzip" >>"$list"
}

echo "== demo: bench/demo.sh's registration at $threads thread(s)"
d=$work/demo
mkdir "$d"
# the known affine of bench/demo.sh (kept identical: compare with it)
cat >"$d/truth.txt" <<'MATRIX'
1.0256276249418093 -0.1037142476232366 0.095203725507872233 10
0.14894658000943176 0.96343046203911054 -0.066119014452959146 -8
-0.086619231465751415 0.054023510206686061 1.013578258733479 6
0 0 0 1
MATRIX
quiet "$omreg" apply "$ch2" --reference "$ch2" --affine "$d/truth.txt" --inverse \
    --out "$d/moving.nii.gz" --threads "$threads"
quiet "$omreg" affine "$ch2" "$d/moving.nii.gz" --threads "$threads" \
    --out-affine "$d/recovered.txt" --out-warped "$d/warped.nii.gz"
"$omreg" affine-error "$d/recovered.txt" "$d/truth.txt" --reference "$ch2" --threshold 40 \
    >"$d/affine-error.txt"
hash "$d/moving.nii.gz" demo/apply-moving.nii.gz
hash "$d/recovered.txt" demo/affine-recovered.txt
hash "$d/warped.nii.gz" demo/affine-warped.nii.gz
hash "$d/affine-error.txt" demo/affine-error.txt

echo "== syn3d: building the 1 mm case (fixtures/e2e_syn_case.py)"
s=$work/syn3d
mkdir "$s"
"$py" - "$root/fixtures" "$s/case" <<'PY'
import sys
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, sys.argv[1])
import e2e_syn_case
if not e2e_syn_case.have_data():
    sys.exit('syn3d: %s or %s not found: install mricron-data'
             % (e2e_syn_case.CH2BET, e2e_syn_case.AAL))
e2e_syn_case.build_case(sys.argv[2], 1)
PY
hash_gunzip "$s/case/static.nii.gz" input/syn3d-static.nii.gz
hash_gunzip "$s/case/moving.nii.gz" input/syn3d-moving.nii.gz
echo "== syn3d: omreg syn at $threads thread(s)"
quiet "$omreg" syn "$s/case/static.nii.gz" "$s/case/moving.nii.gz" --metric cc --cc-radius 4 \
    --level-iters 10,10,5 --threads "$threads" \
    --out-field "$s/field.nii.gz" --out-warped "$s/warped.nii.gz"
hash "$s/field.nii.gz" syn3d/syn-field.nii.gz
hash "$s/warped.nii.gz" syn3d/syn-warped.nii.gz

echo "== golden: tests/test_golden_* of $build at $threads thread(s)"
g=$work/golden
mkdir "$g"
shopt -s nullglob
programs=("$build"/tests/test_golden_*)
[ ${#programs[@]} -gt 0 ] || { echo "$0: no test_golden_* in $build/tests" >&2; exit 1; }
for p in "${programs[@]}"; do
    [ -x "$p" ] || continue
    OMP_NUM_THREADS=$threads OMREG_OUTPUT_DUMP_DIR=$g quiet "$p"
done
for f in "$g"/*.bin; do
    hash "$f" "golden/$(basename "$f")"
done

LC_ALL=C sort -k2,2 "$list" >"$out"
awk '{ split($2, a, "/"); n[a[1]]++ } END { for (k in n) printf "%s %d\n", k, n[k] }' "$out" |
    sort | sed 's/^/   /'
echo "== $(wc -l <"$out") hashes in $out"
