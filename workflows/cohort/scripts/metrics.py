#!/usr/bin/python3
"""One subject's metrics JSON: time and peak memory of each registration step
(Snakemake's benchmark files), the final metric of each step (omreg's last
progress line: affine's "final MI", SyN's "last energy"; omreg has no
structured output for them), the QC edge-overlap score and, when both label
maps exist, Dice of the warped subject labels against the template labels.

    metrics.py --subject S --affine-log L --syn-log L --affine-benchmark B
               --syn-benchmark B --qc-score F [--labels W --template-labels T]
               --out metrics.json
"""
import argparse
import csv
import json
import re

import atomic_write
import dice

FLOAT = r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf)"


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


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subject", required=True)
    for name in ("affine-log", "syn-log", "affine-benchmark", "syn-benchmark",
                 "qc-score", "out"):
        ap.add_argument("--" + name, required=True)
    ap.add_argument("--labels")
    ap.add_argument("--template-labels")
    args = ap.parse_args()

    affine = benchmark(args.affine_benchmark)
    syn = benchmark(args.syn_benchmark)
    out = {
        "subject": args.subject,
        "status": "ok",
        "seconds": {"affine": affine["seconds"], "syn": syn["seconds"],
                    # benchmark files give 4 decimals; keep the sum's
                    "total": round(affine["seconds"] + syn["seconds"], 4)},
        "peak_rss_mb": {"affine": affine["peak_rss_mb"], "syn": syn["peak_rss_mb"]},
        "affine_final_mi": last_match(args.affine_log, r"final MI " + FLOAT),
        "syn_final_energy": last_match(args.syn_log, r"last energy " + FLOAT),
        # omreg qc's stdout: one line 'edge_overlap S'
        "qc_edge_overlap": last_match(args.qc_score, r"^edge_overlap " + FLOAT),
    }
    if args.labels and args.template_labels:
        out["dice"] = dice.summary(args.labels, args.template_labels)
    atomic_write.text(args.out, json.dumps(out, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
