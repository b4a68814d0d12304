"""Checks of a generated project that install and run it: the README's install, CI's install step,
ruff, pytest, refused data, the pipeline, the API, the docs site and DVC."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from api_server import post
from verify_kinds import FOREIGN, api_requests
from verify_manifest import starter_tests
from verify_shell import CPU_INDEX, PYPI, STEP_TIMEOUT, CheckError, Project, run, uv_env

EXPECTED_TASKS = ["preprocess-data", "train", "evaluate", "visualize", "test", "lint", "docker-build"]
OPTION_TASKS = {
    "api": ["serve-api"],
    "docs": ["build-docs", "serve-docs"],
    "pip": ["requirements", "dev-requirements"],
    "": [],
}


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


def check_lint(p: Project) -> None:
    """The project's own ruff as CI runs it; without its cache, which would hide a change of what
    counts as first-party (e.g. after a run wrote folders)."""
    p.run([str(p.bin_dir / "ruff"), "check", "--no-cache", "."])
    p.run([str(p.bin_dir / "ruff"), "format", "--check", "--no-cache", "."])


def check_foreign_data(p: Project) -> str:
    """A group's file in data/raw/ that the loader cannot read stops preprocessing; nothing is added to it."""
    project, foreign = p.root, FOREIGN[p.answers["data_kind"]]
    data, raw = project / "data", project / "data" / "raw"
    before = set(data.rglob("*")) if data.exists() else set()
    raw.mkdir(parents=True, exist_ok=True)
    (raw / foreign.name).write_text(foreign.text)
    try:
        proc = subprocess.run(
            [*p.invoke, "preprocess-data"],
            check=False,
            cwd=project,
            env=p.env,
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
            for part in (foreign.name, *foreign.says)
            if part not in " ".join(proc.stdout.split())
        ]
        if [name for name in left if not name.startswith(".")] != [foreign.name]:
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


def check_tests(p: Project, junit: Path) -> str:
    """pytest passes with nothing skipped, every test module in tests/ has a passing test, and the
    modules the project must have (the pipeline's, the API's, each starter's) are among them."""
    p.run([str(p.bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={junit}"])
    counts: dict[str, int] = {}
    bad = []
    for case in ET.parse(junit).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")[-1]
        if case.find("failure") is not None or case.find("error") is not None or case.find("skipped") is not None:
            bad.append(f"{module}::{case.get('name')}")
        else:
            counts[module] = counts.get(module, 0) + 1
    wanted = ["test_data", "test_model", "test_train", "test_evaluate"]
    wanted += ["test_api"] if p.answers["api"] == "true" else []
    wanted += starter_tests(p.answers)
    present = sorted(path.stem for path in (p.root / "tests").rglob("test_*.py"))
    missing = [module for module in sorted(set(wanted) | set(present)) if counts.get(module, 0) == 0]
    if bad or missing:
        raise CheckError(f"tests not passed: {bad}; modules with no passing test: {missing}")
    return ", ".join(f"{module} {counts[module]}" for module in present)


def check_pipeline(p: Project) -> str:
    project, answers = p.root, p.answers
    manager, hydra = answers["dependency_manager"], answers["hydra"] == "true"
    listing = p.run([*p.invoke, "--list"])
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
        output = p.task(task, *(["--args", override] if task == "train" else []))
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


def check_api(p: Project) -> str:
    """The API served under uvicorn (``p.api``; /health answered ok to come up) answers a real
    /predict of this kind of data, and refuses a bad one."""
    good, bad, reason = api_requests(p.root, p.answers["data_kind"])
    status, body = post(f"{p.api}/predict", good)
    probabilities = body.get("probabilities", {})
    if status != 200 or body.get("label") not in probabilities or abs(sum(probabilities.values()) - 1) > 1e-3:
        raise CheckError(f"/predict of {good.what} answered {status} {body}")
    bad_status, bad_body = post(f"{p.api}/predict", bad)
    if bad_status != 400 or reason not in str(bad_body.get("detail", "")):
        raise CheckError(f"/predict of {bad.what} answered {bad_status} {bad_body}")
    return f"predicted {body['label']} for {good.what[:60]}; refused {bad.what}"


def check_docs(p: Project) -> None:
    p.run(
        [str(p.bin_dir / "mkdocs"), "build", "--strict", "--config-file", "docs/mkdocs.yaml"], NO_MKDOCS_2_WARNING="1"
    )
    page = p.root / "docs" / "build" / "api" / "index.html"
    if not page.is_file() or "load_checkpoint" not in page.read_text():
        raise CheckError("the API reference page did not render the package's docstrings")


def check_dvc(p: Project) -> str:
    project, answers, dvc = p.root, p.answers, str(p.bin_dir / "dvc")
    remotes = p.run([dvc, "remote", "list"])
    if answers["dvc"] == "gcs":
        if "gs://" not in remotes:
            raise CheckError(f"dvc remote is not on GCS: {remotes}")
        return "remote " + re.search(r"gs://\S+", remotes).group(0)
    p.run([dvc, "add", "data/raw"])
    p.run([dvc, "push"])
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
