#!/usr/bin/python3
"""One subject's metrics JSON: time and peak memory of each registration step
(Snakemake's benchmark files), the final metric of each step and its
provenance (omreg's --out-json records: affine's MI, SyN's last energy, the
version and git revision of omreg, the inputs' digests, per-level
evaluations or iterations), the QC edge-overlap score and, when both label
maps exist, Dice of the warped subject labels against the template labels.

    metrics.py --subject S --affine-record R --syn-record R --affine-benchmark B
               --syn-benchmark B --qc-score F [--labels W --template-labels T]
               --out metrics.json

Nothing from a record's "run" object (threads, timings) is copied: the
metrics outside "seconds" and "peak_rss_mb" stay the same bytes on a rerun.
"""
import argparse
import csv
import json
import os
import re

import atomic_write
import dice

FLOAT = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf)"
RECORD_FORMAT = "omreg provenance 1"


def last_match(path, pattern):
    """The number in the last line of PATH matching PATTERN; fails if none."""
    value = None
    with open(path) as f:
        for line in f:
            m = re.search(pattern, line)
            if m:
                value = float(m.group(1))
    if value is None:
        raise SystemExit(f"metrics.py: no line matching '{pattern}' in {path}")
    return value


def benchmark(path):
    """Wall seconds and peak RSS (MB) from a Snakemake benchmark TSV."""
    with open(path) as f:
        row = next(csv.DictReader(f, delimiter="\t"))
    return {"seconds": float(row["s"]), "peak_rss_mb": float(row["max_rss"])}


def record(path, command):
    """An omreg --out-json record of COMMAND; fails on anything else."""
    with open(path) as f:
        r = json.load(f)
    if r.get("format") != RECORD_FORMAT or r.get("command") != command:
        raise SystemExit(f"metrics.py: {path} is not an '{RECORD_FORMAT}' record of "
                         f"omreg {command} (format {r.get('format')!r}, "
                         f"command {r.get('command')!r})")
    return r


def provenance(path, r, metrics_dir):
    """What metrics.json keeps of a record: where it is, who wrote it, from
    which inputs, and each level's work (no timings)."""
    return {
        "record": os.path.relpath(path, metrics_dir),
        "version": r["version"],
        "git_revision": r["git_revision"],
        "inputs_sha256": {k: v["sha256"] for k, v in r["inputs"].items()},
        "levels": [{k: lvl[k] for k in ("stage", "level", "evaluations",
                                        "iterations", "metric", "stop")}
                   for lvl in r["levels"]],
        "levels_truncated": r["levels_truncated"],
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subject", required=True)
    for name in ("affine-record", "syn-record", "affine-benchmark", "syn-benchmark",
                 "qc-score", "out"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--labels")
    ap.add_argument("--template-labels")
    args = ap.parse_args()

    affine = benchmark(args.affine_benchmark)
    syn = benchmark(args.syn_benchmark)
    affine_record = record(args.affine_record, "affine")
    syn_record = record(args.syn_record, "syn")
    here = os.path.dirname(os.path.abspath(args.out))
    affine_prov = provenance(os.path.abspath(args.affine_record), affine_record, here)
    affine_prov["evaluations"] = affine_record["result"]["evaluations"]
    syn_prov = provenance(os.path.abspath(args.syn_record), syn_record, here)
    syn_prov["iterations"] = syn_record["result"]["iterations"]
    out = {
        "subject": args.subject,
        "status": "ok",
        "seconds": {"affine": affine["seconds"], "syn": syn["seconds"],
                    # benchmark files give 4 decimals; keep the sum's
                    "total": round(affine["seconds"] + syn["seconds"], 4)},
        "peak_rss_mb": {"affine": affine["peak_rss_mb"], "syn": syn["peak_rss_mb"]},
        "affine_final_mi": affine_record["result"]["mi"],
        "syn_final_energy": syn_record["result"]["last_energy"],
        "provenance": {"affine": affine_prov, "syn": syn_prov},
        # omreg qc's stdout: one line 'edge_overlap S'
        "qc_edge_overlap": last_match(args.qc_score, r"^edge_overlap " + FLOAT),
    }
    if args.labels and args.template_labels:
        out["dice"] = dice.summary(args.labels, args.template_labels)
    atomic_write.text(args.out, json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
