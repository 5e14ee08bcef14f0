#!/usr/bin/env bash
# Installs every Debian 12 package that building omreg and running all of
# ci/run-all needs. Run as root (sudo bash ci/install-deps.sh); non-interactive.
set -euo pipefail

PACKAGES=(
    # toolchains and build
    build-essential cmake clang
    # compiler-rt: the TSan, ASan/UBSan and libFuzzer runtimes and the
    # --coverage profile runtime
    libclang-rt-14-dev
    # LLVM's OpenMP runtime + Archer (/usr/lib/llvm-14/lib: libomp.so, libarcher.so)
    libomp-dev
    # llvm-cov-14 (coverage) and llvm-symbolizer (TSan stack traces)
    llvm
    # libraries
    libcmocka-dev libnifti2-dev zlib1g-dev libpng-dev liblbfgsb-dev
    # verification tools
    valgrind libc6-dbg lcov
    # the install stage: consumers through pkg-config, `man -l` (col from
    # bsdextrautils), the .deb installed in a debootstrapped root
    pkgconf man-db bsdextrautils debootstrap
    # real images for the end-to-end tests
    mricron-data insighttoolkit5-examples
    # elastix + transformix (ITK based): the interop e2e test reads and
    # writes their transform files (tests/test_e2e_elastix.c)
    elastix
    # plastimatch 1.9.4 (ITK 5.2): reads omreg's ITK text transforms and ITK
    # displacement fields (`plastimatch warp --xf`, tests/test_e2e_plastimatch.c)
    plastimatch
    # the cohort workflow (workflows/cohort) and its CI stage: Snakemake 7,
    # the Python its scripts use, and a one-node Slurm cluster
    snakemake python3-nibabel python3-numpy python3-scipy python3-yaml
    slurm-wlm munge
    # the Python package (python/, stage python): cffi API mode compiles a C
    # extension (python3-dev), pip + venv install it, pytest runs its tests,
    # DIPY 1.6 gives the DiffeomorphicMap syn_registration returns
    python3-cffi python3-dev python3-pip python3-venv python3-setuptools python3-pytest
    python3-dipy
)

if [ "$(id -u)" -ne 0 ]; then
    echo "ci/install-deps.sh: run as root (sudo bash ci/install-deps.sh)" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive

# a mirror hiccup should not fail a CI run: three tries, 10 s apart
retry() {
    local n
    for n in 1 2 3; do
        "$@" </dev/null && return 0
        [ "$n" -lt 3 ] && echo "ci/install-deps.sh: '$*' failed, retrying in 10 s" >&2 && sleep 10
    done
    return 1
}
retry apt-get update
retry apt-get install -y --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${PACKAGES[@]}"
