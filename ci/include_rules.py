#!/usr/bin/python3
"""The rules of the rooms (ARCHITECTURE.md), checked on the text.

    include_rules.py [SOURCE_DIR]

Every `#include "name"` in a room's .c/.h must be the room's own file, a file
of a room it may include (ALLOWED below), a public header (omreg/...), or one
of EXTERNAL. CMake enforces the same table by giving each room's target only
those include directories; this check also covers headers no target compiles
on its own, and names the offending line. It also checks that no room of the
library holds more than a quarter of the library's C lines. Exits 1 listing
every violation.
"""
import os
import re
import sys

# room -> the rooms it may include (besides itself and include/omreg/).
ALLOWED = {
    "base": [],
    "kernels": [],
    "reference": ["kernels", "base"],
    "parallel": ["kernels", "base"],
    "backend": ["kernels", "base"],
    "api": ["backend", "kernels", "base"],
    "registration/affine": ["api", "backend", "kernels", "base"],
    "registration/syn": ["api", "backend", "kernels", "base"],
    "qc": ["api", "backend", "kernels", "base"],
    "io": ["base"],
    "cli": ["base"],
}
# Deliberate exceptions, each with its reason. io/ has none: it includes only
# base/ (the deflate chunk spec it shares with the deflate kernels is
# base/deflate_chunk.h), and never the backend table.
EXCEPTIONS = {
    # the NIfTI writers that take a backend pick its deflate kernel and hand
    # it to io/'s writer, so that io/ never sees the backend table
    ("api", "nifti_write.h"),
}
EXTERNAL = {"nifti2_io.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def main(root):
    files = {}
    for room in ALLOWED:
        d = os.path.join(root, room)
        if not os.path.isdir(d):
            print(f"include_rules: room {room}/ is missing", file=sys.stderr)
            return 1
        files[room] = {f for f in os.listdir(d) if f.endswith((".c", ".h"))}
    bad = 0
    checked = 0
    for room, names in sorted(files.items()):
        for name in sorted(names):
            text = open(os.path.join(root, room, name), encoding="utf-8").read()
            for m in INCLUDE.finditer(text):
                inc = m.group(1)
                checked += 1
                if inc.startswith("omreg/") or inc in EXTERNAL or inc in names:
                    continue
                if any(inc in files[r] for r in ALLOWED[room]):
                    continue
                if (room, inc) in EXCEPTIONS:
                    continue
                owner = [r for r in files if inc in files[r]] or ["no room"]
                line = text.count("\n", 0, m.start()) + 1
                print(f"{room}/{name}:{line}: includes {inc} ({', '.join(owner)}), "
                      f"not allowed in {room}/ (may include: {', '.join(ALLOWED[room]) or 'nothing'})")
                bad += 1
    lines = {r: sum(open(os.path.join(root, r, n), encoding="utf-8").read().count("\n")
                    for n in files[r]) for r in files if r != "cli"}
    total = sum(lines.values())
    for r, n in sorted(lines.items()):
        if 4 * n > total:
            print(f"{r}/ holds {n} of the library's {total} C lines, more than a quarter")
            bad += 1
    biggest = max(lines, key=lines.get)
    print(f"include_rules: largest room {biggest}/ with {lines[biggest]} of {total} lines "
          f"({100 * lines[biggest] / total:.1f}%)")
    print(f"include_rules: {checked} includes in {sum(map(len, files.values()))} files, "
          f"{bad} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")))
