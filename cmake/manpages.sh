#!/usr/bin/env bash
# Writes the manual pages of the omreg command from its own --help text, so
# the two cannot drift (tests/scripts/check_manpages.sh compares them):
#   omreg.1       from `omreg --help`
#   omreg-CMD.1   for every command in the "Commands:" list of `omreg --help`
#                 whose `omreg CMD --help` is a usage text of its own
#                 ("usage: omreg CMD ..."; `version` and `help` have none)
# Usage: manpages.sh OMREG OUTDIR VERSION. OUTDIR holds only these pages.
set -euo pipefail
omreg=$1 out=$2 version=$3

# The text verbatim for no-fill mode: every character roff would interpret
# or typeset (\ - ' ` ~ ^ and a leading .) escaped.
roff_text() {
    sed -e 's/\\/\\e/g' -e 's/-/\\-/g' -e "s/'/\\\\(aq/g" -e 's/`/\\(ga/g' \
        -e 's/~/\\(ti/g' -e 's/\^/\\(ha/g' -e 's/^\./\\\&./'
}

# page NAME SUMMARY HELP SEEALSO: one page from a --help text; its first line
# ("usage: X") is the SYNOPSIS, the rest (after one blank line) DESCRIPTION.
page() {
    local name=$1 summary=$2 help=$3 see_also=$4
    {
        printf '.TH "%s" "1" "" "omreg %s" "omreg manual"\n' \
            "$(tr '[:lower:]' '[:upper:]' <<<"$name" | roff_text)" "$version"
        printf '.SH NAME\n%s \\- %s\n' "$(roff_text <<<"$name")" "$(roff_text <<<"$summary")"
        printf '.SH SYNOPSIS\n.nf\n'
        head -n 1 <<<"$help" | sed 's/^usage: //' | roff_text
        printf '.fi\n.SH DESCRIPTION\n.nf\n'
        tail -n +3 <<<"$help" | roff_text
        printf '.fi\n.SH SEE ALSO\n%s\n' "$see_also"
    } >"$out/$name.1"
}

mkdir -p "$out"
rm -f "$out"/*.1 # no page survives its command

top=$("$omreg" --help)
[ "$(head -n 1 <<<"$top")" = "usage: omreg COMMAND [options]" ] ||
    { echo "manpages.sh: unexpected first line of '$omreg --help'" >&2; exit 1; }
# "  NAME ARGS   summary" lines between "Commands:" and the next blank line
commands=$(awk '/^Commands:$/ { on = 1; next } on && /^$/ { exit } on' <<<"$top")

names=() see_top=""
while IFS= read -r line; do
    name=$(awk '{ print $1 }' <<<"$line")
    help=$("$omreg" "$name" --help) || continue
    [[ $(head -n 1 <<<"$help") == "usage: omreg $name"* ]] || continue
    summary=$(sed -E 's/^  [^ ]+( [^ ]+)* {2,}//' <<<"$line")
    page "omreg-$name" "$summary" "$help" '\fBomreg\fR(1)'
    names+=("$name")
    see_top+="${see_top:+, }\\fBomreg\\-$(roff_text <<<"$name")\\fR(1)"
done <<<"$commands"
[ ${#names[@]} -gt 0 ] || { echo "manpages.sh: no command pages from '$omreg --help'" >&2; exit 1; }

# The top page's summary: its description's first clause ("Image registration
# with DIPY 1.6's algorithms, ..." -> "image registration with ...").
summary=$(sed -n 3p <<<"$top" | sed -E 's/(, |\.( |$)).*//; s/^(.)/\L\1/')
page omreg "$summary" "$top" "$see_top"
