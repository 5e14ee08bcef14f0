#!/usr/bin/env bash
# Installs a .deb as on a fresh Debian machine and runs it: debootstrap
# (minbase, this machine's release, from the mirror its apt uses) into a
# scratch root, then in a chroot `apt-get install ./omreg_*.deb man-db`,
# `omreg --version`, `man omreg-CMD` for every page the package ships, and
# `omreg affine` on an image pair, whose matrix must equal EXPECTED.
# Needs root and debootstrap; costs about 70 s here (most of it debootstrap).
#   install_deb_chroot.sh DEB VERSION EXPECTED STATIC MOVING
set -euo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/lib.sh"
deb=$1 version=$2 expected=$3 static=$4 moving=$5

# shellcheck source=/dev/null
release=$(. /etc/os-release && echo "$VERSION_CODENAME")
# shellcheck disable=SC2016 # $(REPO_URI) is apt's format, not the shell's
mirror=$(apt-get indextargets --format '$(REPO_URI) $(RELEASE)' 'Identifier: Packages' |
    awk -v r="$release" '$2 == r { print $1; exit }')
[ -n "$release" ] && [ -n "$mirror" ] || omreg_die "no apt source for release '$release' on this machine"

root=$(mktemp -d "${TMPDIR:-/tmp}/omreg-deb-root.XXXXXX")
trap 'rm -rf --one-file-system "$root"' EXIT
log=$root.log
# three tries, 10 s apart: a mirror hiccup should not fail the stage
tries() {
    local n
    for n in 1 2 3; do
        "$@" </dev/null >>"$log" 2>&1 && return 0
        [ "$n" -lt 3 ] && omreg_log "'$*' failed, retrying in 10 s" && sleep 10
    done
    tail -n 20 "$log"
    return 1
}
start=$EPOCHREALTIME
tries debootstrap --variant=minbase "$release" "$root" "$mirror" || omreg_die "debootstrap $release failed"
omreg_log "debootstrap --variant=minbase $release: $(omreg_elapsed "$start") s"

cp "$deb" "$static" "$moving" "$root/tmp/"
in_root() { DEBIAN_FRONTEND=noninteractive LC_ALL=C.UTF-8 chroot "$root" "$@"; }
tries in_root apt-get update || omreg_die "apt-get update in the scratch root failed"
tries in_root apt-get install -y --no-install-recommends "/tmp/$(basename "$deb")" man-db ||
    omreg_die "apt-get install ./$(basename "$deb") failed on a fresh $release"
rm -f "$log"

[ "$(in_root omreg --version)" = "omreg $version" ] || omreg_die "installed omreg --version"
pages=$(in_root dpkg -L omreg | sed -n 's|^/usr/share/man/man1/\(.*\)\.1$|\1|p')
[ -n "$pages" ] || omreg_die "the package ships no manual page"
for page in $pages; do
    text=$(in_root man "$page" 2>&1 | col -bx)
    grep -Eq "^ *$page +- " <<<"$text" || omreg_die "man $page in the scratch root: $text"
done
in_root omreg affine --quiet "/tmp/$(basename "$static")" "/tmp/$(basename "$moving")" >"$root/affine.txt"
cmp "$expected" "$root/affine.txt" || omreg_die "omreg affine from the .deb printed another matrix"
omreg_log "fresh $release root: apt installed $(basename "$deb") with its Depends; omreg --version," \
    "man on $(wc -w <<<"$pages") pages, omreg affine gives the same matrix ($(omreg_elapsed "$start") s)"
