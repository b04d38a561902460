#!/usr/bin/env python3
"""Checks the repository's Markdown docs (no build, standard library only; see docs/testing.md):

  - every relative link [text](path), [text](path#anchor) and [text](#anchor) in a *.md file
    names an existing file or directory, and its anchor a heading of the file it names;
  - the top-level README.md is a front page of at most 250 lines.

    python3 scripts/check-docs.py [ROOT]      exit 0 and "check-docs: ok", or each problem and exit 1

Anchors follow GitHub's rule: the heading's text lower-cased, characters other than letters,
digits, '_', '-' and spaces dropped, spaces turned into '-'; a repeated heading gets -1, -2, ….
Lines inside fenced code blocks are neither headings nor links. External links are not fetched.
"""
import re
import sys
from pathlib import Path

MAX_FRONT_PAGE_LINES = 250
SKIP_DIRS = {".git", "target", "node_modules", ".work"}
FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
# [text](target) or ![alt](target), target without spaces, optional "title"
LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"`[^`]*`")


def prose_lines(text):
    """The lines of a Markdown text outside fenced code blocks, with their numbers."""
    fenced = False
    for number, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            yield number, line


def slug(heading):
    text = INLINE_CODE.sub(lambda m: m.group(0)[1:-1], heading)
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)  # a link in a heading: its text
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors(path, cache={}):
    if path not in cache:
        seen = {}
        out = set()
        for _, line in prose_lines(path.read_text(encoding="utf-8")):
            m = HEADING.match(line)
            if not m:
                continue
            base = slug(m.group(1))
            n = seen.get(base, 0)
            out.add(base if n == 0 else f"{base}-{n}")
            seen[base] = n + 1
        cache[path] = out
    return cache[path]


def markdown_files(root):
    for path in sorted(root.rglob("*.md")):
        if not SKIP_DIRS.intersection(path.relative_to(root).parts):
            yield path


def check(root):
    problems = []
    for md in markdown_files(root):
        where = md.relative_to(root)
        for number, line in prose_lines(md.read_text(encoding="utf-8")):
            for m in LINK.finditer(INLINE_CODE.sub("", line)):
                target = m.group(1)
                if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", target):
                    continue  # http:, https:, mailto:
                path_part, _, anchor = target.partition("#")
                dest = (md.parent / path_part).resolve() if path_part else md
                if path_part and not dest.exists():
                    problems.append(f"{where}:{number}: {target}: no such file")
                    continue
                if anchor:
                    if dest.is_dir() or dest.suffix.lower() != ".md":
                        problems.append(f"{where}:{number}: {target}: an anchor into a file that is not Markdown")
                    elif anchor not in anchors(dest):
                        problems.append(f"{where}:{number}: {target}: no heading '#{anchor}' in "
                                        f"{dest.relative_to(root) if dest.is_relative_to(root) else dest}")
    front = root / "README.md"
    lines = len(front.read_text(encoding="utf-8").splitlines())
    if lines > MAX_FRONT_PAGE_LINES:
        problems.append(f"README.md: {lines} lines, more than the front page's {MAX_FRONT_PAGE_LINES}")
    return problems


if __name__ == "__main__":
    root = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent).resolve()
    problems = check(root)
    for p in problems:
        print(p)
    if problems:
        print(f"check-docs: {len(problems)} problem(s)", file=sys.stderr)
        sys.exit(1)
    print("check-docs: ok")
