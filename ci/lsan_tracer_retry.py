#!/usr/bin/python3
"""Which failed ctest tests failed only because LeakSanitizer's tracer crashed.

    lsan_tracer_retry.py JUNIT.xml

LeakSanitizer suspends the process with a ptrace'd "stop the world" tracer at
exit; on a loaded machine that tracer itself sometimes dies ("Tracer caught
signal 11" + "LeakSanitizer has encountered a fatal error"), a known sanitizer
flake (google/sanitizers#1353) that reports no leak. The asan stage reruns such
tests exactly once.

Prints a ctest -R regex of the failed tests and exits 0 only when EVERY failed
test's output carries both halves of that signature; otherwise (any failure
without it, or no failure) exits 1 and the stage fails as it is.
"""
import re
import sys
import xml.etree.ElementTree as ET

SIGNATURE = ("Tracer caught signal", "LeakSanitizer has encountered a fatal error")


def main(path):
    failed = []
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.get("status") != "fail":
            continue
        out = case.findtext("system-out") or ""
        if not all(s in out for s in SIGNATURE):
            print(f"{case.get('name')}: a failure that is not the LSan tracer crash",
                  file=sys.stderr)
            return 1
        failed.append(case.get("name"))
    if not failed:
        return 1
    print("^(" + "|".join(re.escape(n) for n in failed) + ")$")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
