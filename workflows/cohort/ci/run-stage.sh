#!/usr/bin/env bash
# CI stage `workflow` (ci/run-all): the cohort workflow end to end on a small
# synthetic cohort (make-cohort.py: ch2 at 3 mm through known affines and
# smooth fields, AAL labels), locally and on a one-node Slurm cluster:
#   1. local run (snakemake --cores 2): every output, omreg's provenance
#      records, Dice (check-cohort.py); canaries (labels warped without the
#      SyN field, another subject's record) must fail the checks
#   2. a second run does nothing
#   3. a forced rerun writes the same bytes (the records outside "run")
#   4. a subject with an unreadable image fails its own jobs with omreg's
#      message, is listed as failed, and the other subjects stay intact
#   5. the same cohort through profiles/slurm on a cluster started here
#      (slurm-cluster.sh), stopped again on exit: the local run's bytes
#   6. snakemake --report: the HTML report holds every QC picture
# Work folder: $OMREG_BUILD_ROOT/workflow (emptied first).
set -euo pipefail
# shellcheck source=ci/lib.sh
. "$(dirname "$0")/../../../ci/lib.sh"

COHORT_DIR=$OMREG_SOURCE_DIR/workflows/cohort
CI_DIR=$COHORT_DIR/ci
WORK=$OMREG_BUILD_ROOT/workflow
PY=/usr/bin/python3
# Snakemake's Slurm executor reads $USER (sacct lookups); CI may not set it
export USER=${USER:-$(id -un)}

omreg_build default
OMREG=$OMREG_BUILD_ROOT/default/omreg

rm -rf "$WORK"
mkdir -p "$WORK"
step() { printf '\n---- workflow: %s (at %d s)\n' "$*" "$SECONDS"; }
check() { "$PY" "$CI_DIR/check-cohort.py" "$@"; }

step "synthetic cohort (make-cohort.py, 3 mm)"
"$PY" "$CI_DIR/make-cohort.py" "$WORK/cohort"
# an unreadable subject: a gzip stream cut short
head -c 100000 "$WORK/cohort/s03.nii.gz" >"$WORK/cohort/s04_truncated.nii.gz"

# write_config FILE [EXTRA_SUBJECT_LINE]
write_config() {
    cat >"$1" <<CONF
template: $WORK/cohort/template.nii.gz
template_labels: $WORK/cohort/template_labels.nii.gz
subjects:
  s01: {image: $WORK/cohort/s01.nii.gz, labels: $WORK/cohort/s01_labels.nii.gz}
  s02: {image: $WORK/cohort/s02.nii.gz, labels: $WORK/cohort/s02_labels.nii.gz}
  s03: {image: $WORK/cohort/s03.nii.gz, labels: $WORK/cohort/s03_labels.nii.gz}
${2:-}
omreg: $OMREG
# few iterations, two levels: seconds per subject at 3 mm
affine_options: "--pipeline com,rigid,affine --level-iters 50,20 --sigmas 3,1 --factors 4,2"
syn_options: "--metric cc --level-iters 10,10,5"
threads: {affine: 2, syn: 2, labels: 1, qc: 1}
CONF
}
write_config "$WORK/cohort.yaml"
write_config "$WORK/cohort-with-bad.yaml" \
    "  s04: {image: $WORK/cohort/s04_truncated.nii.gz, labels: $WORK/cohort/s03_labels.nii.gz}"

snake() { snakemake -s "$COHORT_DIR/Snakefile" "$@"; }
# mtimes_and_hashes DIR: every file below DIR (Snakemake's own .snakemake
# bookkeeping aside) with its modification time and sha256
mtimes_and_hashes() {
    (cd "$1" && find . -path ./.snakemake -prune -o -type f -printf '%p %T@\n' | sort &&
        find . -path ./.snakemake -prune -o -type f -exec sha256sum {} + | sort -k2)
}

LOCAL=$WORK/local
step "1. local run: snakemake --cores 2"
snake -d "$LOCAL" --configfile "$WORK/cohort.yaml" --cores 2 --printshellcmds \
    --show-failed-logs >"$WORK/local-run1.log" 2>&1 ||
    { tail -n 60 "$WORK/local-run1.log"; omreg_die "local run failed ($WORK/local-run1.log)"; }
check outputs "$WORK/cohort.yaml" "$LOCAL/results" --omreg "$OMREG"
# threads: reach omreg --threads
for rule in affine syn; do
    grep -q "^$(printf '%q' "$OMREG") $rule .* --threads 2 " "$WORK/local-run1.log" ||
        omreg_die "no 'omreg $rule ... --threads 2' in the printed shell commands"
done
check manifest "$LOCAL/results" s01 s02 s03 --with-summary >"$WORK/manifest-local.txt"
mtimes_and_hashes "$LOCAL" >"$WORK/state-after-run1.txt"
# canary: the checks must catch a workflow that forgets the SyN field; its
# labels moved by the affine alone, with a metrics.json consistent with them
CANARY=$WORK/canary/results
mkdir -p "$CANARY"
cp -r "$LOCAL/results/." "$CANARY/"
"$OMREG" apply "$WORK/cohort/s01_labels.nii.gz" --reference "$WORK/cohort/template.nii.gz" \
    --affine "$CANARY/s01/affine.txt" --interp nearest --out "$CANARY/s01/labels_on_template.nii.gz"
"$PY" "$COHORT_DIR/scripts/metrics.py" --subject s01 \
    --affine-record "$CANARY/s01/affine.provenance.json" --syn-record "$CANARY/s01/syn.provenance.json" \
    --affine-benchmark "$CANARY/s01/logs/affine.benchmark.tsv" \
    --syn-benchmark "$CANARY/s01/logs/syn.benchmark.tsv" --qc-score "$CANARY/s01/qc_score.txt" \
    --labels "$CANARY/s01/labels_on_template.nii.gz" \
    --template-labels "$WORK/cohort/template_labels.nii.gz" --out "$CANARY/s01/metrics.json"
cp "$CANARY/s01/affine.provenance.json" "$CANARY/s02/affine.provenance.json"
if check outputs "$WORK/cohort.yaml" "$CANARY" --omreg "$OMREG" >"$WORK/canary.log" 2>&1; then
    cat "$WORK/canary.log"
    omreg_die "canary: the checks passed labels warped without the SyN field"
fi
grep -q "FAIL: s01: SyN Dice .* not .* above affine-only" "$WORK/canary.log" ||
    { cat "$WORK/canary.log"; omreg_die "canary: the checks failed, but not on the Dice gain"; }
# and a record of another subject's run (s01's affine record in s02's folder)
grep -q "FAIL: s02: affine.provenance.json input moving is .*s01.nii.gz" "$WORK/canary.log" ||
    { cat "$WORK/canary.log"; omreg_die "canary: the checks passed s01's provenance record as s02's"; }
omreg_log "canaries: labels without the SyN field, s01's record as s02's rejected ($(grep -c '^FAIL' "$WORK/canary.log") failure(s))"

step "2. a second run does nothing"
snake -d "$LOCAL" --configfile "$WORK/cohort.yaml" --cores 2 -n >"$WORK/local-dryrun.log" 2>&1
grep -q "Nothing to be done" "$WORK/local-dryrun.log" ||
    { cat "$WORK/local-dryrun.log"; omreg_die "the dry run after a complete run wants to run jobs"; }
snake -d "$LOCAL" --configfile "$WORK/cohort.yaml" --cores 2 >"$WORK/local-run2.log" 2>&1
mtimes_and_hashes "$LOCAL" >"$WORK/state-after-run2.txt"
diff "$WORK/state-after-run1.txt" "$WORK/state-after-run2.txt" ||
    omreg_die "the second run changed files"

step "3. forced rerun: the same bytes"
snake -d "$LOCAL" --configfile "$WORK/cohort.yaml" --cores 2 --forceall >"$WORK/local-forced.log" 2>&1 ||
    { tail -n 60 "$WORK/local-forced.log"; omreg_die "forced rerun failed"; }
check manifest "$LOCAL/results" s01 s02 s03 --with-summary >"$WORK/manifest-forced.txt"
diff "$WORK/manifest-local.txt" "$WORK/manifest-forced.txt" ||
    omreg_die "the forced rerun wrote different bytes"
omreg_log "forced rerun: $(wc -l <"$WORK/manifest-local.txt") outputs byte-identical"

step "4. a subject with an unreadable image (--keep-going)"
before_good=$(check manifest "$LOCAL/results" s01 s02 s03)
(cd "$LOCAL/results" && find s01 s02 s03 -type f -printf '%p %T@\n' | sort) >"$WORK/good-mtimes.txt"
if snake -d "$LOCAL" --configfile "$WORK/cohort-with-bad.yaml" --cores 2 --keep-going \
    >"$WORK/local-bad.log" 2>&1; then
    omreg_die "the run with an unreadable subject succeeded"
fi
check failed "$LOCAL/results" s04 '^omreg: moving image .*s04_truncated\.nii\.gz: .*corrupt or cut-short gzip'
[ "$(check manifest "$LOCAL/results" s01 s02 s03)" = "$before_good" ] ||
    omreg_die "the failed subject changed the other subjects' results"
(cd "$LOCAL/results" && find s01 s02 s03 -type f -printf '%p %T@\n' | sort) |
    diff "$WORK/good-mtimes.txt" - || omreg_die "the other subjects' files were rewritten"
awk -F'\t' '$1 ~ /^s0[123]$/ && $2 != "ok" { bad = 1 } END { exit bad }' "$LOCAL/results/summary.tsv" ||
    omreg_die "summary.tsv does not list s01-s03 as ok after the failed run"
# without the bad subject, the next run only rebuilds the summary
snake -d "$LOCAL" --configfile "$WORK/cohort.yaml" --cores 2 >"$WORK/local-after-bad.log" 2>&1 ||
    { tail -n 40 "$WORK/local-after-bad.log"; omreg_die "the run after the failed one failed"; }
ran=$(sed -n 's/^\(local\)\{0,1\}rule \([a-z_]*\):$/\2/p' "$WORK/local-after-bad.log" | sort -u | tr '\n' ' ')
[ "$ran" = "all summary " ] || omreg_die "the run after the failed one ran rules '$ran', expected only all and summary"
check manifest "$LOCAL/results" s01 s02 s03 --with-summary | diff "$WORK/manifest-local.txt" - ||
    omreg_die "the rebuilt summary differs from the first run's"

step "5. the same cohort on a one-node Slurm cluster (profiles/slurm)"
CLUSTER=$WORK/slurm-cluster
stop_cluster() { bash "$CI_DIR/slurm-cluster.sh" stop "$CLUSTER"; }
trap stop_cluster EXIT
bash "$CI_DIR/slurm-cluster.sh" start "$CLUSTER"
export SLURM_CONF=$CLUSTER/slurm.conf
SLURM_RUN=$WORK/slurm
# Snakemake polls Slurm every 33 s unless told otherwise (right for a busy
# cluster); this private one can answer every second
snake -d "$SLURM_RUN" --configfile "$WORK/cohort.yaml" --profile "$COHORT_DIR/profiles/slurm" \
    --max-status-checks-per-second 1 >"$WORK/slurm-run.log" 2>&1 ||
    { tail -n 80 "$WORK/slurm-run.log"; omreg_die "the Slurm run failed ($WORK/slurm-run.log)"; }
check outputs "$WORK/cohort.yaml" "$SLURM_RUN/results" --omreg "$OMREG"
check manifest "$SLURM_RUN/results" s01 s02 s03 --with-summary >"$WORK/manifest-slurm.txt"
diff "$WORK/manifest-local.txt" "$WORK/manifest-slurm.txt" ||
    omreg_die "the Slurm run's outputs differ from the local run's"
omreg_log "Slurm run: $(wc -l <"$WORK/manifest-slurm.txt") outputs byte-identical to the local run's"
# the jobs really went through Slurm with the rule's threads and memory
scontrol show job --oneliner >"$WORK/slurm-jobs.txt"
"$PY" "$CI_DIR/check-slurm-jobs.py" "$WORK/slurm-jobs.txt" "$SLURM_RUN" s01 s02 s03 -- \
    affine=2 syn=2 labels=1 qc=1

step "6. Snakemake's HTML report of the local run"
# Debian's Snakemake 7.21 collects the report's items (the rules' report()
# outputs) and then downloads the report's JavaScript (React, Vega, Tailwind)
# and licence texts from the web to inline them. Without a network that
# download fails: then only the collected items are checked, and the stage
# says so.
if snake -d "$LOCAL" --configfile "$WORK/cohort.yaml" --report "$LOCAL/report.html" \
    >"$WORK/report.log" 2>&1; then
    for s in s01 s02 s03; do
        grep -q "results/$s/qc.png" "$LOCAL/report.html" || omreg_die "report.html lacks $s's QC picture"
    done
    grep -q "summary.tsv" "$LOCAL/report.html" || omreg_die "report.html lacks summary.tsv"
    omreg_log "report.html: $(du -k "$LOCAL/report.html" | cut -f1) kB with the three QC pictures and summary.tsv"
elif grep -qE "Failed to establish a new connection|Temporary failure in name resolution|Name or service not known|Failed to download resource needed for report" \
    "$WORK/report.log"; then
    if [ "$(grep -c '^Adding qc.png ' "$WORK/report.log")" -ne 3 ] ||
        ! grep -q '^Adding summary.tsv ' "$WORK/report.log"; then
        cat "$WORK/report.log"
        omreg_die "the report did not collect the three QC pictures and summary.tsv"
    fi
    omreg_log "NOTICE: snakemake --report collected the three QC pictures and summary.tsv, then could not"
    omreg_log "        download its JavaScript and licence texts (no network): report.html not written"
else
    cat "$WORK/report.log"
    omreg_die "snakemake --report failed"
fi
omreg_log "workflow stage: ${SECONDS} s"
