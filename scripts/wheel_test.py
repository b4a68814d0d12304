#!/usr/bin/env python3
"""Build dayone's Python wheel and release archive and use them the ways a student without Rust would.

Usage: python3 scripts/wheel_test.py [--wheel FILE] [--archive FILE] [--workdir DIR]

1. `maturin build --profile PROFILE --locked` (maturin from PyPI, see local_tools.py) packs the binary
   cargo built with that profile (release, or ci in scripts/test) into one wheel whose name,
   version and summary are Cargo.toml's and whose description is our README;
2. `pip install` of that wheel into a fresh venv, from the file alone (`--no-index`), puts `dayone`
   on the venv's PATH, and it is the binary cargo just built;
3. from that venv, `dayone --version` and `dayone new demo --yes` make a project;
4. `uvx --from dist/dayone-*.whl dayone new demo --yes` (uv offline, empty cache) does the same;
5. the release archive packed from the wheel (scripts/release_archive.py) unpacks to the same
   binary, executable, and it runs.
Each project is checked as the `new` tests check one: the files, the recorded `.dayone.toml`, a
single commit on `main` holding exactly the files on disk, a clean work tree, and no CRLF line ends
(the template is embedded byte for byte, so a CRLF checkout on Windows would show here).
--wheel and --archive test given files instead (the release workflow's smoke test on each runner).
Needs Python 3.11+ with pip, git, and the Rust toolchain unless --wheel is given; no network once
maturin and uv are installed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
import zipfile
from pathlib import Path

import local_tools
import release_archive

REPO = local_tools.REPO
CARGO = tomllib.loads((REPO / "Cargo.toml").read_text(encoding="utf-8"))["package"]
VERSION = CARGO["version"]
# The built-in template's version, which the first commit's message names.
TEMPLATE_VERSION = tomllib.loads((REPO / "template" / "mlops" / "template.toml").read_text(encoding="utf-8"))[
    "template"
]["version"]
EXE = local_tools.EXE
# Files every default project has; the per-option file rules are verify_template.py's to check.
PROJECT_FILES = [
    ".dayone.toml",
    ".github/workflows/tests.yaml",
    "README.md",
    "pyproject.toml",
    "reports/README.md",
    "src/demo/train.py",
    "tasks.py",
    "tests/test_model.py",
]


class CheckError(Exception):
    """One check failed; the message says which and why."""


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    """Run a command without a terminal; return its stdout then its stderr (where dayone's
    messages go), or raise CheckError with its output."""
    proc = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL
    )
    if proc.returncode != 0:
        raise CheckError(f"`{' '.join(args)}` exited {proc.returncode}:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}")
    return proc.stdout + proc.stderr


def user_env(home: Path, path_first: Path | None = None) -> dict[str, str]:
    """A student's shell: their own HOME and config folder, no git identity, nothing from ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "GIT_", "UV_", "CARGO_"))}
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"), GIT_CONFIG_NOSYSTEM="1", NO_COLOR="1")
    env["GIT_CONFIG_GLOBAL"] = str(home / ".gitconfig")
    if path_first is not None:
        env["PATH"] = os.pathsep.join([str(path_first), env.get("PATH", "")])
    return env


def build_wheel(out: Path, tools: Path, profile: str) -> Path:
    run([str(tools / f"maturin{EXE}"), "build", "--profile", profile, "--locked", "--out", str(out)], cwd=REPO)
    wheels = sorted(out.glob("*.whl"))
    if len(wheels) != 1:
        raise CheckError(f"maturin left {len(wheels)} wheels in {out}, not one")
    return wheels[0]


def check_wheel(wheel: Path) -> str:
    """The wheel's name and metadata are Cargo.toml's, it carries the binary, its page is our README."""
    if not re.fullmatch(rf"dayone-{re.escape(VERSION)}-py3-none-[a-z0-9_.]+\.whl", wheel.name):
        raise CheckError(f"{wheel.name} is not dayone {VERSION} for any Python (py3-none-PLATFORM)")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        metadata = archive.read(f"dayone-{VERSION}.dist-info/METADATA").decode()
    if f"dayone-{VERSION}.data/scripts/dayone{EXE}" not in names:
        raise CheckError(f"the wheel carries no dayone binary: {names}")
    headers, _, description = metadata.partition("\n\n")
    fields = dict(line.split(": ", 1) for line in headers.splitlines() if ": " in line)
    wanted = {"Name": "dayone", "Version": VERSION, "Summary": CARGO["description"], "License": CARGO["license"]}
    wrong = {key: fields.get(key) for key, value in wanted.items() if fields.get(key) != value}
    if wrong:
        raise CheckError(f"METADATA differs from Cargo.toml: {wrong}")
    if description.strip() != (REPO / "README.md").read_text(encoding="utf-8").strip():
        raise CheckError("the wheel's description is not README.md")
    return f"{wheel.name}, {wheel.stat().st_size / 1e6:.1f} MB"


def pip_install(wheel: Path, workdir: Path, built: Path | None) -> Path:
    """A fresh venv with only the wheel in it (no index); return the dayone it put on the venv's PATH."""
    venv = workdir / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=workdir)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    pip = [str(bin_dir / f"python{EXE}"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    run([*pip, "--no-index", str(wheel)], cwd=workdir)
    installed = shutil.which("dayone", path=str(bin_dir))
    if installed is None:
        raise CheckError(f"pip put no dayone on the venv's PATH ({bin_dir})")
    if built is not None and Path(installed).read_bytes() != built.read_bytes():
        raise CheckError(f"{installed} is not the binary cargo built at {built}")
    return Path(installed)


def check_version(dayone: Path, home: Path) -> str:
    output = run([str(dayone), "--version"], cwd=home, env=user_env(home, dayone.parent)).strip()
    if output != f"dayone {VERSION}":
        raise CheckError(f"`dayone --version` printed {output!r}, not 'dayone {VERSION}'")
    return output


def check_project(root: Path, output: str) -> str:
    """What `dayone new demo --yes` must leave: the files, .dayone.toml, one clean commit on main."""
    if "Created demo from template mlops" not in output or "cd demo" not in output:
        raise CheckError(f"`dayone new` did not report the project and its next steps:\n{output}")
    missing = [name for name in PROJECT_FILES if not (root / name).is_file()]
    if missing:
        raise CheckError(f"the project lacks {missing}")
    recorded = tomllib.loads((root / ".dayone.toml").read_text(encoding="utf-8"))
    want = {"version": VERSION, "template": "mlops"}
    if {key: recorded["dayone"].get(key) for key in want} != want or recorded["answers"]["project_name"] != "demo":
        raise CheckError(
            f".dayone.toml records {recorded['dayone']}, project_name {recorded['answers'].get('project_name')!r}"
        )
    files = sorted(path for path in root.rglob("*") if path.is_file() and ".git" not in path.relative_to(root).parts)
    crlf = [path.relative_to(root).as_posix() for path in files if b"\r\n" in path.read_bytes()]
    if crlf:
        raise CheckError(f"CRLF line ends in {crlf}: is the checkout that built dayone converting template/?")
    git = ["git", "-C", str(root)]
    branch = run([*git, "symbolic-ref", "--short", "HEAD"], cwd=root).strip()
    commits = run([*git, "log", "--format=%s"], cwd=root).splitlines()
    if branch != "main" or commits != [f"Create project from template mlops {TEMPLATE_VERSION} (dayone {VERSION})"]:
        raise CheckError(f"git: branch {branch!r}, commits {commits}")
    committed = sorted(run([*git, "ls-tree", "-r", "--name-only", "HEAD"], cwd=root).splitlines())
    on_disk = [path.relative_to(root).as_posix() for path in files]
    if committed != on_disk:
        raise CheckError(f"the commit does not hold the files on disk: {set(committed) ^ set(on_disk)}")
    if status := run([*git, "status", "--porcelain", "--untracked-files=all"], cwd=root):
        raise CheckError(f"the work tree is not clean after the first commit:\n{status}")
    return f"{len(on_disk)} files in one commit on main"


def new_from_venv(dayone: Path, workdir: Path) -> str:
    home = workdir / "pip-user"
    output = run([str(dayone), "new", "demo", "--yes"], cwd=home, env=user_env(home, dayone.parent))
    return check_project(home / "demo", output)


def new_with_uvx(wheel: Path, workdir: Path, tools: Path) -> str:
    home = workdir / "uvx-user"
    env = user_env(home)
    env.update(UV_CACHE_DIR=str(workdir / "uv-cache"), UV_OFFLINE="1", UV_PYTHON_DOWNLOADS="never")
    uvx = tools / f"uvx{EXE}"
    output = run([str(uvx), "--from", str(wheel), "dayone", "new", "demo", "--yes"], cwd=home, env=env)
    return check_project(home / "demo", output)


def target_dir() -> Path:
    """Where cargo builds (CARGO_TARGET_DIR or the workspace's target/)."""
    # `run` gives stdout then stderr: the JSON is stdout's one line.
    metadata = run(["cargo", "metadata", "--format-version", "1", "--no-deps", "--locked"], cwd=REPO)
    return Path(json.loads(metadata.splitlines()[0])["target_directory"])


def host_target() -> str:
    """The Rust target triple of this machine, to name a locally made archive."""
    return re.search(r"^host: (\S+)$", run(["rustc", "-vV"], cwd=REPO), re.M).group(1)


def check_archive(archive: Path, wheel: Path, workdir: Path) -> str:
    """The archive holds README.md and the wheel's binary, executable, in one folder; the binary runs."""
    version, exe, binary = release_archive.binary_of(wheel)
    target = archive.name.removeprefix(f"dayone-{version}-").removesuffix(".zip").removesuffix(".tar.gz")
    if archive.name != release_archive.archive_name(version, target):
        raise CheckError(f"{archive.name} is not named dayone-{version}-TARGET.tar.gz (.zip for Windows)")
    unpacked = workdir / "unpacked"
    if archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as packed:
            names = sorted(packed.namelist())
            packed.extractall(unpacked)
            modes = {info.filename: info.external_attr >> 16 for info in packed.infolist()}
    else:
        with tarfile.open(archive) as packed:
            names = sorted(member.name for member in packed.getmembers() if member.isfile())
            modes = {member.name: member.mode for member in packed.getmembers()}
            packed.extractall(unpacked, filter="data")
    folder = f"dayone-{version}-{target}"
    if names != [f"{folder}/README.md", f"{folder}/{exe}"]:
        raise CheckError(f"the archive holds {names}")
    if not modes[f"{folder}/{exe}"] & stat.S_IXUSR:
        raise CheckError(f"{folder}/{exe} is not executable in the archive")
    dayone = unpacked / folder / exe
    if dayone.read_bytes() != binary:
        raise CheckError("the archive's binary is not the wheel's")
    if os.name != "nt":
        dayone.chmod(modes[f"{folder}/{exe}"])
    return f"{archive.name}, {archive.stat().st_size / 1e6:.1f} MB; " + check_version(dayone, workdir / "archive-user")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--wheel", type=Path, help="test this wheel instead of building one")
    parser.add_argument("--archive", type=Path, help="test this release archive instead of packing one from the wheel")
    parser.add_argument(
        "--workdir", type=Path, help="where to build and install (default: a temporary folder, removed)"
    )
    parser.add_argument(
        "--profile",
        default="release",
        help="the cargo profile whose binary the wheel packs (default: release; scripts/test uses ci)",
    )
    args = parser.parse_args()
    tools = local_tools.install("uv") if args.wheel else local_tools.install_all()
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="dayone-wheel-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    built = None if args.wheel else target_dir() / args.profile / f"dayone{EXE}"
    passed, failed = 0, 0
    state: dict[str, Path] = {}

    def step(label: str, action) -> bool:
        nonlocal passed, failed
        begin = time.monotonic()
        try:
            detail = action()
        except CheckError as error:
            failed += 1
            print(f"  FAIL {label}: {error}", flush=True)
            return False
        passed += 1
        print(f"  ok   {label} ({time.monotonic() - begin:.1f}s): {detail}", flush=True)
        return True

    def build() -> str:
        state["wheel"] = args.wheel.resolve() if args.wheel else build_wheel(workdir / "dist", tools, args.profile)
        return check_wheel(state["wheel"])

    def install() -> str:
        state["dayone"] = pip_install(state["wheel"], workdir, built)
        return str(state["dayone"])

    def archive() -> str:
        made = args.archive or release_archive.make(state["wheel"], host_target(), workdir / "archives")
        return check_archive(made.resolve(), state["wheel"], workdir)

    try:
        if step("wheel" if args.wheel else "maturin build", build):
            if step("pip install (no index)", install):
                step("dayone --version", lambda: check_version(state["dayone"], workdir / "pip-user"))
                step("dayone new demo --yes (pip venv)", lambda: new_from_venv(state["dayone"], workdir))
            step("uvx --from WHEEL dayone new demo --yes", lambda: new_with_uvx(state["wheel"], workdir, tools))
            step("release archive", archive)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    print(f"wheel: {passed} passed, {failed} failed", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
