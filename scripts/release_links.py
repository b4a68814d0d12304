#!/usr/bin/env python3
"""Point the package pages at the repository a release is built from.

The README is also the PyPI and crates.io page, where a relative link leads nowhere, and the
package metadata should name the repository. Neither address is written in the checkout: it is
whatever repository the release workflow runs in. So the checkout keeps relative links (which
work in a clone and on the forge), and the release workflow, before it builds anything, runs

    python3 scripts/release_links.py https://github.com/OWNER/REPO vX.Y.Z

which turns every relative link of README.md into `URL/blob/REF/PATH` and sets `repository`
and `documentation` in Cargo.toml and the same two addresses under `[project.urls]` in
pyproject.toml. `--check` (no address) instead says whether every relative link of README.md
leads to a file or folder of the checkout.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)\s]+)\)")


def relative_links(text: str) -> list[str]:
    """Links that are neither absolute addresses nor anchors in the page."""
    return [link for link in LINK.findall(text) if not re.match(r"[a-z]+:|#", link)]


def rewrite(root: Path, url: str, ref: str) -> None:
    url = url.rstrip("/")
    readme = root / "README.md"
    text = readme.read_text(encoding="utf-8")
    readme.write_text(
        LINK.sub(
            lambda m: f"]({url}/blob/{ref}/{m.group(1)})" if m.group(1) in relative_links(m.group(0)) else m.group(0),
            text,
        ),
        encoding="utf-8",
    )
    fields = {"repository": url, "documentation": f"{url}/tree/{ref}/docs"}
    set_fields(root / "Cargo.toml", "[package]", fields)
    set_fields(root / "pyproject.toml", "[project.urls]", {"Repository": url, "Documentation": fields["documentation"]})


def set_fields(path: Path, table: str, fields: dict[str, str]) -> None:
    """Set string keys at the end of a TOML table, replacing ones already there (text kept as written)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if table + "\n" not in lines:
        lines += ["\n", table + "\n"]
    start = lines.index(table + "\n") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("[")), len(lines))
    kept = [line for line in lines[start:end] if line.split("=", 1)[0].strip() not in fields]
    while kept and not kept[-1].strip():
        kept.pop()
    added = [f'{key} = "{value}"\n' for key, value in fields.items()]
    tail = ["\n"] if end < len(lines) else []
    path.write_text("".join(lines[:start] + kept + added + tail + lines[end:]), encoding="utf-8")


def check(root: Path) -> list[str]:
    text = (root / "README.md").read_text(encoding="utf-8")
    return [link for link in relative_links(text) if not (root / link.split("#", 1)[0]).exists()]


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        dead = check(REPO)
        for link in dead:
            print(f"error: README.md links to {link}, which is not in the checkout", file=sys.stderr)
        return 1 if dead else 0
    if len(argv) != 2:
        raise SystemExit("usage: python3 scripts/release_links.py URL REF | --check")
    rewrite(REPO, *argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
