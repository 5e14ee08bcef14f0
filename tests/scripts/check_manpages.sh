#!/usr/bin/env bash
# The manual pages say what --help says: for `omreg --help` and every command
# it lists with a usage text of its own, MANDIR has the page (omreg.1,
# omreg-CMD.1) and no other, and `man -l` renders its SYNOPSIS and
# DESCRIPTION as that --help text, line for line (in the C and the UTF-8
# locale). A tampered page must fail first.
#   check_manpages.sh OMREG MANDIR
set -euo pipefail
omreg=$1 mandir=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# rendered PAGE LOCALE: the page's text back into --help form: "usage: " and
# the SYNOPSIS line, a blank line, then DESCRIPTION, 7-space indent removed
rendered() {
    LC_ALL=$2 MANWIDTH=300 man -l "$1" 2>/dev/null | col -bx | awk '
        /^SYNOPSIS$/ { s = 1; next }
        /^DESCRIPTION$/ { s = 0; d = 1; print ""; next }
        /^SEE ALSO$/ { exit }
        s && NF { sub(/^       /, ""); print "usage: " $0 }
        d { sub(/^       /, ""); sub(/[ \t]+$/, ""); print }' |
        sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' # drop trailing blank lines
}
# same PAGE HELPFILE: the page renders as the help text in both locales
same() {
    local loc
    for loc in C C.UTF-8; do
        rendered "$1" "$loc" >"$tmp/page.txt"
        diff -u "$2" "$tmp/page.txt" >"$tmp/diff.txt" || {
            cat "$tmp/diff.txt"
            return 1
        }
    done
}

"$omreg" --help >"$tmp/help.txt"
expected=(omreg.1)
cp "$tmp/help.txt" "$tmp/omreg.1.help"
for name in $(awk '/^Commands:$/ { on = 1; next } on && /^$/ { exit } on { print $1 }' "$tmp/help.txt"); do
    "$omreg" "$name" --help >"$tmp/omreg-$name.1.help" 2>/dev/null || continue
    [[ $(head -n 1 "$tmp/omreg-$name.1.help") == "usage: omreg $name"* ]] || continue
    expected+=("omreg-$name.1")
done
[ ${#expected[@]} -gt 1 ] || { echo "FAIL: no command pages expected from '$omreg --help'"; exit 1; }

# canary: one word added to the first command's description must be seen
awk '{ print } /^\.SH DESCRIPTION$/ { d = 1 } d && /^\.nf$/ { getline; print $0 " CANARY"; d = 0 }' \
    "$mandir/${expected[1]}" >"$tmp/tampered.1"
if same "$tmp/tampered.1" "$tmp/${expected[1]}.help" >/dev/null; then
    echo "FAIL: a tampered page compared equal"
    exit 1
fi

have=$(cd "$mandir" && ls -- *.1 | sort)
want=$(printf '%s\n' "${expected[@]}" | sort)
[ "$have" = "$want" ] || { printf 'FAIL: pages in %s:\n%s\nexpected:\n%s\n' "$mandir" "$have" "$want"; exit 1; }
for page in "${expected[@]}"; do
    same "$mandir/$page" "$tmp/$page.help" || { echo "FAIL: $page differs from its --help (above)"; exit 1; }
done
echo "PASS: ${#expected[@]} pages (${expected[*]}) render as their --help text"
