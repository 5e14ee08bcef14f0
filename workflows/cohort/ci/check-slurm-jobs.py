#!/usr/bin/python3
"""Checks that the Slurm run of the CI stage really went through Slurm with
each rule's threads and memory: one completed Slurm job per subject for each
of affine, syn, labels and qc, with --cpus-per-task equal to the rule's
threads, and a memory request (the Snakefile's PEAK_RSS_MODEL) no smaller
than the peak RSS Snakemake's benchmark measured for affine and SyN.

    check-slurm-jobs.py SCONTROL_ONELINERS RUN_DIR SUBJECT... -- RULE=THREADS...
"""
import csv
import os
import re
import sys

RULES_ON_SLURM = {"affine", "syn", "labels", "qc"}


def fields(line):
    return dict(kv.split("=", 1) for kv in line.split() if "=" in kv)


def megabytes(value):
    m = re.fullmatch(r"(\d+)([MG])", value)
    if not m:
        raise SystemExit(f"check-slurm-jobs: memory '{value}' not in M or G")
    return int(m.group(1)) * (1024 if m.group(2) == "G" else 1)


def main():
    args = sys.argv[1:]
    if "--" not in args or len(args) < 4:
        raise SystemExit(__doc__)
    cut = args.index("--")
    scontrol, run_dir, subjects = args[0], args[1], args[2:cut]
    threads = {r: int(t) for r, t in (a.split("=") for a in args[cut + 1:])}
    problems = []
    seen = {}
    with open(scontrol) as f:
        jobs = [fields(line) for line in f if line.startswith("JobId=")]
    for job in jobs:
        m = re.fullmatch(r"snakejob_(\w+?)_\d+", job.get("JobName", ""))
        if not m:
            continue
        rule = m.group(1)
        log = os.path.join(run_dir, ".snakemake/slurm_logs", f"rule_{rule}", job["JobId"] + ".log")
        with open(log) as f:
            sm = re.search(r"wildcards: subject=(\S+)", f.read())
        subject = sm.group(1) if sm else "?"
        seen.setdefault(rule, []).append(subject)
        where = f"Slurm job {job['JobId']} ({rule}, {subject})"
        if job.get("JobState") != "COMPLETED" or job.get("ExitCode") != "0:0":
            problems.append(f"{where}: {job.get('JobState')} exit {job.get('ExitCode')}")
        if int(job.get("NumCPUs", 0)) != threads.get(rule):
            problems.append(f"{where}: {job.get('NumCPUs')} CPUs, the rule has {threads.get(rule)} threads")
        asked = megabytes(job.get("MinMemoryNode", "0M"))
        bench = os.path.join(run_dir, "results", subject, "logs", f"{rule}.benchmark.tsv")
        if os.path.exists(bench):
            with open(bench) as f:
                peak = float(next(csv.DictReader(f, delimiter="\t"))["max_rss"])
            if peak > asked:
                problems.append(f"{where}: asked for {asked} MB, peak RSS was {peak} MB")
            print(f"{where}: {job['NumCPUs']} CPUs, {asked} MB asked, peak RSS {peak} MB")
        else:
            print(f"{where}: {job['NumCPUs']} CPUs, {asked} MB asked")
    for rule in RULES_ON_SLURM:
        if sorted(seen.get(rule, [])) != sorted(subjects):
            problems.append(f"rule {rule} ran on Slurm for {sorted(seen.get(rule, []))}, "
                            f"expected {sorted(subjects)}")
    for p in problems:
        print("FAIL: " + p, file=sys.stderr)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
