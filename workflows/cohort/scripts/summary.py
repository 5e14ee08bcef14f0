#!/usr/bin/python3
"""The cohort's summary table (TSV): one row per subject, from its metrics
JSON when every job of the subject succeeded, else marked failed with the
message of the job that failed (the last line of its log: omreg's error).

    summary.py --results DIR --out summary.tsv [--after-failure]
               [--without-labels SUBJECT...] -- SUBJECT...

A subject's outputs are checked in the order its jobs run; Snakemake removes
a job's outputs before it runs and when it fails, so the first one missing
names the job that failed. --after-failure (the workflow's onerror handler)
also dates the table 1970 (one second after the epoch: Snakemake reads an
mtime of 0 as "no time"), so that the next run rebuilds it through the
summary rule instead of taking it for up to date.
"""
import argparse
import json
import os

import atomic_write

# (output that proves the job succeeded, that job's log), in job order
CHAIN = [
    ("affine.txt", "logs/affine.log"),
    ("field.nii.gz", "logs/syn.log"),
    ("warped.nii.gz", "logs/syn.log"),
    ("labels_on_template.nii.gz", "logs/labels.log"),
    ("qc.png", "logs/qc.log"),
    ("metrics.json", None),
]
COLUMNS = ["subject", "status", "seconds_affine", "seconds_syn", "seconds_total",
           "peak_rss_mb_syn", "affine_final_mi", "syn_final_energy",
           "qc_edge_overlap", "dice_mean", "dice_min", "dice_labelled_region",
           "dice_labels", "message"]


def last_line(path):
    try:
        with open(path) as f:
            lines = [line.strip() for line in f if line.strip()]
    except OSError:
        return ""
    return lines[-1] if lines else ""


def failure(folder, has_labels):
    """None when the subject's chain is complete, else the failing job's message."""
    for output, log in CHAIN:
        if output == "labels_on_template.nii.gz" and not has_labels:
            continue
        if not os.path.exists(os.path.join(folder, output)):
            message = last_line(os.path.join(folder, log)) if log else ""
            return message or f"{output} missing (see Snakemake's log)"
    return None


def row(results, subject, has_labels):
    folder = os.path.join(results, subject)
    problem = failure(folder, has_labels)
    if problem is not None:
        return {"subject": subject, "status": "failed", "message": problem}
    with open(os.path.join(folder, "metrics.json")) as f:
        m = json.load(f)
    r = {
        "subject": subject,
        "status": m["status"],
        "seconds_affine": m["seconds"]["affine"],
        "seconds_syn": m["seconds"]["syn"],
        "seconds_total": m["seconds"]["total"],
        "peak_rss_mb_syn": m["peak_rss_mb"]["syn"],
        "affine_final_mi": m["affine_final_mi"],
        "syn_final_energy": m["syn_final_energy"],
        "qc_edge_overlap": m["qc_edge_overlap"],
    }
    if "dice" in m:
        r.update(dice_mean=m["dice"]["mean"], dice_min=m["dice"]["min"],
                 dice_labelled_region=m["dice"]["labelled_region"],
                 dice_labels=m["dice"]["labels"])
    return r


def cell(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value).replace("\t", " ").replace("\n", " ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--results", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--after-failure", action="store_true")
    ap.add_argument("--without-labels", nargs="*", default=[], metavar="SUBJECT",
                    help="subjects that have no labels job")
    ap.add_argument("subjects", nargs="+")
    args = ap.parse_args()

    lines = ["\t".join(COLUMNS)]
    for subject in args.subjects:
        r = row(args.results, subject, subject not in args.without_labels)
        lines.append("\t".join(cell(r.get(c)) for c in COLUMNS))
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    atomic_write.text(args.out, "\n".join(lines) + "\n")
    if args.after_failure:
        os.utime(args.out, (1, 1))


if __name__ == "__main__":
    main()
