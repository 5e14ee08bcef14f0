#!/usr/bin/python3
"""Checks of the cohort workflow's outputs for the CI stage (run-stage.sh).

  check-cohort.py outputs CONFIG RESULTS --omreg OMREG [--workdir DIR]
      every output of every (good) subject exists; metrics.json holds finite
      numbers; omreg's provenance records (--out-json) are valid JSON, name
      the subject's inputs and outputs with their sha256, and hold the final
      values metrics.json gives; its Dice equals Dice recomputed here another
      way; the warped labels beat the labels moved by the affine alone, which
      beat the unregistered labels; summary.tsv agrees with the metrics files
  check-cohort.py manifest RESULTS SUBJECT... [--with-summary]
      prints a sha256 line per deterministic output of each SUBJECT (and of
      summary.tsv); metrics.json and summary.tsv without their time and
      memory fields, the provenance records' bytes without their "run"
      member (threads, timings); for byte comparison
  check-cohort.py failed RESULTS SUBJECT PATTERN
      SUBJECT is listed as failed in summary.tsv with a message matching
      PATTERN, its log holds that message, and it left no result files
"""
import argparse
import csv
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import tempfile

import nibabel as nib
import numpy as np
import yaml

# Smallest mean Dice over the AAL labels after affine + SyN, at 3 mm with the
# stage's few iterations. The three subjects reach 0.823-0.842 (labels moved
# by the affine alone: 0.53-0.74, unregistered: 0.33-0.43); a field applied
# the wrong way round or to the wrong subject falls far below.
MIN_MEAN_DICE = 0.75
# How much better than the labels moved by the affine alone SyN must be: the
# measured gain is 0.10-0.29; with the field ignored it would be 0.
MIN_SYN_GAIN = 0.05
# How much better than the unregistered labels the affine alone must be
# (measured: 0.18-0.33; an inverted or ignored matrix gives 0 or less).
MIN_AFFINE_GAIN = 0.1

SUBJECT_FILES = ["affine.txt", "warped.nii.gz", "field.nii.gz", "qc.png",
                 "affine.provenance.json", "syn.provenance.json",
                 "qc_score.txt", "metrics.json", "logs/affine.log", "logs/syn.log",
                 "logs/affine.benchmark.tsv", "logs/syn.benchmark.tsv"]
LABEL_FILES = ["labels_on_template.nii.gz"]
# outputs whose bytes depend only on the inputs (omreg is deterministic)
DETERMINISTIC = ["affine.txt", "warped.nii.gz", "field.nii.gz",
                 "labels_on_template.nii.gz", "qc.png", "qc_score.txt"]
# fields that measure the run, not the result
TIMING_KEYS = ("seconds", "peak_rss_mb")
TIMING_COLUMNS = ("seconds_affine", "seconds_syn", "seconds_total", "peak_rss_mb_syn")
# omreg --out-json records: (file, command, result key of the final metric,
# its key in metrics.json, the outputs the record must list)
RECORDS = [("affine.provenance.json", "affine", "mi", "affine_final_mi", ["affine.txt"]),
           ("syn.provenance.json", "syn", "last_energy", "syn_final_energy",
            ["warped.nii.gz", "field.nii.gz"])]
RECORD_FORMAT = "omreg provenance 1"

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def labels_of(path):
    return np.rint(np.asarray(nib.load(path).dataobj)).astype(np.int64)


def dice_by_confusion(a, b):
    """Dice per label of b (not 0) from one confusion matrix: a different
    computation from scripts/dice.py's per-label masks."""
    k = int(max(a.max(), b.max())) + 1
    conf = np.bincount((a.ravel() * k + b.ravel()), minlength=k * k).reshape(k, k)
    inter = np.diag(conf)
    size_a, size_b = conf.sum(1), conf.sum(0)
    present = [l for l in range(1, k) if size_b[l] > 0]
    per = np.array([2.0 * inter[l] / (size_a[l] + size_b[l]) for l in present])
    region = 2.0 * conf[1:, 1:].sum() / (size_a[1:].sum() + size_b[1:].sum())
    return per, region


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def same_file(a, b):
    try:
        return os.path.isfile(a) and os.path.samefile(a, b)
    except OSError:
        return False


def members(text):
    """The top-level members of the JSON object TEXT: (key, start, end) with
    start at the key's opening quote and end after its value."""
    dec = json.JSONDecoder()
    ws = re.compile(r"\s*")
    i = ws.match(text, 0).end()
    if text[i:i + 1] != "{":
        raise ValueError("not a JSON object")
    i = ws.match(text, i + 1).end()
    out = []
    while text[i:i + 1] == '"':
        start = i
        key, i = json.decoder.scanstring(text, i + 1)
        i = ws.match(text, i).end()
        if text[i:i + 1] != ":":
            raise ValueError(f"no ':' after key {key!r}")
        _, i = dec.raw_decode(text, ws.match(text, i + 1).end())
        out.append((key, start, i))
        i = ws.match(text, i).end()
        if text[i:i + 1] == ",":
            i = ws.match(text, i + 1).end()
    return out


def without_run(text):
    """A record's text with its last member, "run" (threads, OMP_SCHEDULE,
    timings), cut out, from the end of the member before it; everything
    else byte for byte. Fails if "run" is not the last member."""
    m = members(text)
    if len(m) < 2 or m[-1][0] != "run":
        raise ValueError(f"the last member is {m[-1][0] if m else None!r}, not 'run'")
    return text[:m[-2][2]] + text[m[-1][2]:]


def check_records(cfg, workdir, folder, subject, m):
    """The subject's omreg records: valid JSON with "run" last, of the right
    command, naming the template, the subject's image (and, for SyN, the
    affine) as inputs and the step's outputs, each with the sha256 of the
    file; metrics.json's final values and provenance equal theirs."""
    entry = cfg["subjects"][subject]
    expected_inputs = {"static": cfg["template"], "moving": entry["image"]}
    for name, command, result_key, metrics_key, outputs in RECORDS:
        path = os.path.join(folder, name)
        try:
            with open(path) as f:
                text = f.read()
            r = json.loads(text)
            without_run(text)
        except (OSError, ValueError) as e:
            fail(f"{subject}: {name} unreadable or not a record: {e}")
            continue
        if r.get("format") != RECORD_FORMAT or r.get("command") != command:
            fail(f"{subject}: {name}: format {r.get('format')!r}, command {r.get('command')!r}")
            continue
        want = dict(expected_inputs)
        if command == "syn":
            want["prealign"] = os.path.join(folder, "affine.txt")
        got = r.get("inputs", {})
        if sorted(got) != sorted(want):
            fail(f"{subject}: {name} inputs {sorted(got)}, expected {sorted(want)}")
        for k, file in want.items():
            rec = got.get(k, {})
            named = os.path.join(workdir, rec.get("path", ""))
            if not same_file(named, file):
                fail(f"{subject}: {name} input {k} is {rec.get('path')!r}, not {file}")
            elif rec.get("sha256") != sha256_of(file):
                fail(f"{subject}: {name} input {k} sha256 {rec.get('sha256')} != sha256 of {file}")
        listed = r.get("outputs", [])
        if len(listed) != len(outputs):
            fail(f"{subject}: {name} lists {len(listed)} outputs, expected {outputs}")
        for rec, out in zip(listed, outputs):
            file = os.path.join(folder, out)
            named = os.path.join(workdir, rec.get("path", ""))
            if not same_file(named, file):
                fail(f"{subject}: {name} output {rec.get('path')!r} is not {file}")
            elif rec.get("sha256") != sha256_of(file):
                fail(f"{subject}: {name} output {out} sha256 {rec.get('sha256')} != the file's")
        final = r.get("result", {}).get(result_key)
        if not isinstance(final, (int, float)) or m.get(metrics_key) != final:
            fail(f"{subject}: metrics.json {metrics_key} = {m.get(metrics_key)!r}, "
                 f"{name} result.{result_key} = {final!r}")
        prov = m.get("provenance", {}).get(command, {})
        levels = [{k: lvl.get(k) for k in ("stage", "level", "evaluations", "iterations",
                                           "metric", "stop")} for lvl in r.get("levels", [])]
        for key, value in (("record", name), ("version", r.get("version")),
                           ("git_revision", r.get("git_revision")), ("levels", levels)):
            if prov.get(key) != value:
                fail(f"{subject}: metrics.json provenance.{command}.{key} = {prov.get(key)!r}, "
                     f"{name} says {value!r}")


def omreg_apply(omreg, image, reference, out, affine=None):
    cmd = [omreg, "apply", image, "--reference", reference, "--interp", "nearest",
           "--out", out, "--threads", "1"]
    if affine:
        cmd += ["--affine", affine]
    subprocess.run(cmd, check=True)


def check_subject(cfg, results, workdir, subject, omreg):
    folder = os.path.join(results, subject)
    entry = cfg["subjects"][subject]
    with_labels = bool(cfg.get("template_labels")) and bool(entry.get("labels"))
    for f in SUBJECT_FILES + (LABEL_FILES if with_labels else []):
        if not os.path.isfile(os.path.join(folder, f)) or os.path.getsize(os.path.join(folder, f)) == 0:
            fail(f"{subject}: {f} missing or empty")
    try:
        with open(os.path.join(folder, "metrics.json")) as f:
            m = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"{subject}: metrics.json unreadable: {e}")
        return
    if m.get("status") != "ok" or m.get("subject") != subject:
        fail(f"{subject}: metrics.json says status {m.get('status')}, subject {m.get('subject')}")
    for key in ("affine_final_mi", "syn_final_energy", "qc_edge_overlap"):
        if not isinstance(m.get(key), (int, float)) or not math.isfinite(m[key]):
            fail(f"{subject}: metrics.json {key} = {m.get(key)!r}, not a finite number")
    for step in ("affine", "syn"):
        if not m.get("seconds", {}).get(step, 0) > 0:
            fail(f"{subject}: metrics.json seconds.{step} = {m.get('seconds')}")
    check_records(cfg, workdir, folder, subject, m)
    if not with_labels:
        if "dice" in m:
            fail(f"{subject}: Dice reported without labels")
        return
    template_labels = labels_of(cfg["template_labels"])
    per, region = dice_by_confusion(labels_of(os.path.join(folder, LABEL_FILES[0])), template_labels)
    d = m.get("dice", {})
    # the same counts divided the same way: equal to the last bit
    for name, mine in (("mean", float(np.mean(per))), ("min", float(np.min(per))),
                       ("labelled_region", float(region)), ("labels", len(per))):
        if d.get(name) != mine:
            fail(f"{subject}: metrics.json dice.{name} = {d.get(name)!r}, recomputed {mine!r}")
    with tempfile.TemporaryDirectory() as tmp:
        unreg = os.path.join(tmp, "unregistered.nii.gz")
        affine_only = os.path.join(tmp, "affine_only.nii.gz")
        omreg_apply(omreg, entry["labels"], cfg["template"], unreg)
        omreg_apply(omreg, entry["labels"], cfg["template"], affine_only,
                    os.path.join(folder, "affine.txt"))
        before = float(np.mean(dice_by_confusion(labels_of(unreg), template_labels)[0]))
        affine = float(np.mean(dice_by_confusion(labels_of(affine_only), template_labels)[0]))
    after = float(np.mean(per))
    print(f"{subject}: mean Dice unregistered {before:.4f}, affine {affine:.4f}, "
          f"affine+SyN {after:.4f} (labelled region {region:.4f})")
    if after < MIN_MEAN_DICE:
        fail(f"{subject}: mean Dice {after:.4f} < {MIN_MEAN_DICE}")
    if after < affine + MIN_SYN_GAIN:
        fail(f"{subject}: SyN Dice {after:.4f} not {MIN_SYN_GAIN} above affine-only {affine:.4f}")
    if affine < before + MIN_AFFINE_GAIN:
        fail(f"{subject}: affine-only Dice {affine:.4f} not {MIN_AFFINE_GAIN} above unregistered {before:.4f}")


def read_summary(results):
    with open(os.path.join(results, "summary.tsv")) as f:
        return list(csv.DictReader(f, delimiter="\t"))


def check_summary(results, subjects):
    rows = read_summary(results)
    if [r["subject"] for r in rows] != list(subjects):
        fail(f"summary.tsv lists {[r['subject'] for r in rows]}, expected {list(subjects)}")
        return
    for r in rows:
        with open(os.path.join(results, r["subject"], "metrics.json")) as f:
            m = json.load(f)
        if r["status"] != "ok":
            fail(f"summary.tsv: {r['subject']} status {r['status']}")
        if float(r["affine_final_mi"]) != m["affine_final_mi"] or \
                float(r["syn_final_energy"]) != m["syn_final_energy"] or \
                ("dice" in m and float(r["dice_mean"]) != m["dice"]["mean"]):
            fail(f"summary.tsv row {r['subject']} disagrees with its metrics.json")


def cmd_outputs(args):
    with open(args.config) as f:
        cfg = yaml.safe_load(f)
    # the records name files as omreg got them: relative to Snakemake's
    # working directory, which holds the results folder unless told otherwise
    workdir = args.workdir or os.path.dirname(os.path.abspath(args.results))
    for s in cfg["subjects"]:
        check_subject(cfg, args.results, workdir, s, args.omreg)
    check_summary(args.results, list(cfg["subjects"]))


def digest(data):
    return hashlib.sha256(data).hexdigest()


def cmd_manifest(args):
    for s in args.subjects:
        for f in DETERMINISTIC:
            path = os.path.join(args.results, s, f)
            if os.path.exists(path):
                with open(path, "rb") as fh:
                    print(digest(fh.read()), f"{s}/{f}")
        with open(os.path.join(args.results, s, "metrics.json")) as fh:
            m = json.load(fh)
        for k in TIMING_KEYS:
            m.pop(k, None)
        print(digest(json.dumps(m, sort_keys=True).encode()), f"{s}/metrics.json (without {', '.join(TIMING_KEYS)})")
        for name, *_ in RECORDS:
            with open(os.path.join(args.results, s, name)) as fh:
                text = without_run(fh.read())
            print(digest(text.encode()), f"{s}/{name} (without run)")
    if args.with_summary:
        rows = read_summary(args.results)
        for r in rows:
            for c in TIMING_COLUMNS:
                r.pop(c, None)
        print(digest(json.dumps(rows, sort_keys=True).encode()), f"summary.tsv (without {', '.join(TIMING_COLUMNS)})")


def cmd_failed(args):
    rows = {r["subject"]: r for r in read_summary(args.results)}
    r = rows.get(args.subject)
    if r is None:
        fail(f"summary.tsv has no row for {args.subject}")
        return
    if r["status"] != "failed" or not re.search(args.pattern, r["message"]):
        fail(f"summary.tsv row for {args.subject}: status {r['status']!r}, "
             f"message {r['message']!r} (expected failed, /{args.pattern}/)")
    log = os.path.join(args.results, args.subject, "logs", "affine.log")
    with open(log) as f:
        if not re.search(args.pattern, f.read()):
            fail(f"{log} lacks /{args.pattern}/")
    leftovers = [os.path.relpath(os.path.join(d, f), args.results)
                 for d, _, files in os.walk(os.path.join(args.results, args.subject))
                 for f in files if "/logs" not in d]
    if leftovers:
        fail(f"{args.subject} failed but left files: {leftovers}")
    print(f"{args.subject}: failed as expected: {r['message']}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="command", required=True)
    p = sub.add_parser("outputs")
    p.add_argument("config")
    p.add_argument("results")
    p.add_argument("--omreg", required=True)
    p.add_argument("--workdir", help="Snakemake's working directory "
                   "(default: the folder holding RESULTS)")
    p.set_defaults(run=cmd_outputs)
    p = sub.add_parser("manifest")
    p.add_argument("results")
    p.add_argument("subjects", nargs="+")
    p.add_argument("--with-summary", action="store_true")
    p.set_defaults(run=cmd_manifest)
    p = sub.add_parser("failed")
    p.add_argument("results")
    p.add_argument("subject")
    p.add_argument("pattern")
    p.set_defaults(run=cmd_failed)
    args = ap.parse_args()
    args.run(args)
    if failures:
        print(f"check-cohort {args.command}: {len(failures)} failure(s)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
