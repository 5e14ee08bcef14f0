#!/usr/bin/env bash
# The README's demo: install what is needed, build, and register a real pair
# with a known answer. Colin27 (ch2.nii.gz, Debian mricron-data, 1 mm) is
# resampled through a known affine (10 degrees about a tilted axis, a 10 mm
# shift, mild scaling and shear); `omreg affine` then recovers that affine
# with DIPY's default chain (centre of mass -> translation -> rigid ->
# affine), and the error of the recovered matrix is measured over the brain.
#
#   bash bench/demo.sh [--no-install] [--threads N] [--backend parallel|reference]
#                      [--qc FILE.png]
# --qc also draws the registration's QC picture (omreg affine --out-qc; the
# path is relative to the repository root): README's docs/qc-demo.png.
set -euo pipefail
cd "$(dirname "$0")/.."

install=1
args=()
while [ $# -gt 0 ]; do
    case $1 in
    --no-install) install=0 ;;
    --threads | --backend) args+=("$1" "$2"); shift ;;
    --qc) args+=(--out-qc "$2"); shift ;;
    *) echo "demo.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

if [ "$install" = 1 ]; then
    if [ "$(id -u)" -eq 0 ]; then bash ci/install-deps.sh; else sudo bash ci/install-deps.sh; fi
fi
cmake --preset default >/dev/null
cmake --build --preset default --target omreg_cli >/dev/null
omreg=build/default/omreg
ch2=/usr/share/mricron/templates/ch2.nii.gz
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# the known answer: moving(T x) = static(x), T in world (mm) coordinates
cat >"$work/truth.txt" <<'MATRIX'
1.0256276249418093 -0.1037142476232366 0.095203725507872233 10
0.14894658000943176 0.96343046203911054 -0.066119014452959146 -8
-0.086619231465751415 0.054023510206686061 1.013578258733479 6
0 0 0 1
MATRIX
echo "== making the moving image: ch2 through the known affine"
"$omreg" apply "$ch2" --reference "$ch2" --affine "$work/truth.txt" --inverse \
    --out "$work/moving.nii.gz"

echo "== omreg affine ch2.nii.gz moving.nii.gz ${args[*]:-}"
start=$(date +%s.%N)
"$omreg" affine "$ch2" "$work/moving.nii.gz" --out-affine "$work/recovered.txt" "${args[@]}" \
    >/dev/null
end=$(date +%s.%N)

echo "== recovered affine (static world -> moving world)"
cat "$work/recovered.txt"
echo "== known affine"
cat "$work/truth.txt"
echo "== error of the recovered affine over brain voxels (intensity > 40), mm"
"$omreg" affine-error "$work/recovered.txt" "$work/truth.txt" --reference "$ch2" --threshold 40
awk -v a="$start" -v b="$end" 'BEGIN { printf "== registration time: %.1f s\n", b - a }' 
