#!/usr/bin/env python3
"""Make the expected outputs of the cookiecutter conformance suite with cookiecutter itself.

    python3 scripts/cookiecutter_conformance.py [CASE...]

Each case is a folder of tests/cookiecutter/ holding `template/` (a cookiecutter template) and,
optionally, `set.json` (answers other than the defaults). This script installs cookiecutter
from PyPI (the version pinned below) into .tools/, renders every case (or those named) with
no prompts and hooks off, and replaces the case's `expected/` with the project cookiecutter
wrote. The Rust test (tests/cli/cookiecutter.rs) renders the same templates with dayone and
compares byte for byte; it needs no Python. Run this again after changing a case, and commit
the expected outputs with it.

Cases whose output depends on the clock or on chance print only its shape (a length), so
that one run of cookiecutter stays the answer.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cookiecutter"
COOKIECUTTER = "cookiecutter==2.7.1"
VENV = ROOT / ".tools" / "cookiecutter-venv"

RENDER = """
import json, sys
from cookiecutter.main import cookiecutter
template, output, answers = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
print(cookiecutter(template, no_input=True, output_dir=output, accept_hooks=False,
                   extra_context=answers, overwrite_if_exists=False))
"""


def python() -> Path:
    """The venv's Python, with cookiecutter installed from PyPI on first use."""
    bin_dir = VENV / ("Scripts" if sys.platform == "win32" else "bin")
    if not (bin_dir / "cookiecutter").exists() and not (bin_dir / "cookiecutter.exe").exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "--quiet", COOKIECUTTER], check=True)
    return bin_dir / "python"


def render(py: Path, case: Path) -> None:
    answers_file = case / "set.json"
    answers = answers_file.read_text() if answers_file.exists() else "{}"
    json.loads(answers)
    with tempfile.TemporaryDirectory(prefix="cc-expected-") as tmp:
        # cookiecutter keeps replay files in the user's home; keep them out of it.
        env = {"HOME": tmp, "PATH": "/usr/bin:/bin"}
        out = subprocess.run([str(py), "-c", RENDER, str(case / "template"), str(Path(tmp) / "out"), answers],
                             capture_output=True, text=True, env=env)
        if out.returncode != 0:
            sys.exit(f"{case.name}: cookiecutter failed:\n{out.stderr}")
        project = Path(out.stdout.strip().splitlines()[-1])
        expected = case / "expected"
        if expected.exists():
            shutil.rmtree(expected)
        shutil.copytree(project, expected, symlinks=True)
    files = sum(1 for p in expected.rglob("*") if p.is_file())
    print(f"{case.name}: {files} files")


def main() -> int:
    names = sys.argv[1:]
    cases = [CASES / n for n in names] if names else sorted(p for p in CASES.iterdir() if (p / "template").is_dir())
    missing = [c.name for c in cases if not (c / "template").is_dir()]
    if missing:
        sys.exit(f"no such case: {', '.join(missing)} (cases are the folders of {CASES} with a template/)")
    py = python()
    for case in cases:
        render(py, case)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
