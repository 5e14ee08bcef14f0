#!/usr/bin/python3
"""The rules of the rooms (ARCHITECTURE.md), checked on the text.

    include_rules.py [SOURCE_DIR]

Every `#include "name"` in a room's .c/.h must be the room's own file, a file
of a room it may include (ALLOWED below), a public header (omreg/...), or one
of EXTERNAL; a .c file may include only itself (the per-type instantiation
of reference/ and parallel/). CMake enforces the same table by giving each
room's target only those include directories; this check also covers headers
no target compiles on its own, and names the offending line. It also checks that no room of the
library holds more than a quarter of the library's C lines, and that no
reference/ or parallel/ .c file is a bare instantiation stub (nothing but
comments, preprocessor lines and blank lines: a family's loops belong in its
.c, the variants instantiated there). Exits 1 listing every violation.
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
    # io's OpenMP deflate kernel: its contract is io/deflate_chunk.h
    "io/parallel": ["io", "base"],
    "cli": ["base"],
}
# Deliberate exceptions (room, header), each with its reason. None today:
# io/ owns the gzip writer's deflate kernels and its NIfTI writers that take
# a backend know it through the public omreg/backend.h, so no numerics room
# includes io/ and io/ includes only base/.
EXCEPTIONS = set()
EXTERNAL = {"nifti2_io.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# the rooms whose .c files must hold code, not only #define + #include
NO_STUBS = ("reference", "parallel")
# a comment (replaced by its newlines) or a literal (kept, so "/*" in a string is no comment)
COMMENT_OR_LITERAL = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'', re.S)


def is_bare_stub(text):
    """True when text has no line of C outside comments and preprocessor lines."""
    code = COMMENT_OR_LITERAL.sub(
        lambda m: "\n" * m.group(0).count("\n") if m.group(0)[0] == "/" else m.group(0), text)
    directive = False  # inside a preprocessor line continued with a backslash
    for line in code.split("\n"):
        s = line.strip()
        if directive or s.startswith("#"):
            directive = s.endswith("\\")
        elif s:
            return False
    return True


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
                if inc.endswith(".c") and inc != name:
                    # a family's .c includes itself by name, once per type; any
                    # other .c in an #include is a wrong name (a copy or rename)
                    line = text.count("\n", 0, m.start()) + 1
                    print(f"{room}/{name}:{line}: includes {inc}: a .c may include only itself")
                    bad += 1
                    continue
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
    for room in NO_STUBS:
        for name in sorted(n for n in files[room] if n.endswith(".c")):
            if is_bare_stub(open(os.path.join(root, room, name), encoding="utf-8").read()):
                print(f"{room}/{name}: bare instantiation stub (only comments, preprocessor lines "
                      f"and blank lines); put the family's body in this file")
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
