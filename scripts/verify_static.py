"""Checks of a generated project that need no install: which files exist, one Python version,
the workflow, Dockerfile and pre-commit linters, and where torch comes from."""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Callable
from pathlib import Path

from verify_manifest import layer_files, starter_on
from verify_shell import CPU_INDEX, CheckError, run


CLOUD_STARTERS = ("data_workflow", "registry_workflow", "cloud_run", "vertex")


def check_files(project: Path, opt: dict[str, str]) -> None:
    """Each option's and each starter's files exist exactly when it is on; no template syntax is left."""
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
        # The cloud starters' shared guide.
        "docs/cloud.md": any(starter_on(opt, name) for name in CLOUD_STARTERS),
        # Every file of every starter's layer, from the template's own folders and conditions.
        **layer_files(opt),
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


def linters(tools: Path) -> dict[str, Callable[[list[Path]], list[str]]]:
    """The linters of the static tier, each as: projects → the command that lints them all at once.

    Workflows pass actionlint (with shellcheck over their `run:` scripts), Dockerfiles hadolint
    (errors fail), the pre-commit config pre-commit's own validation, and the code ruff's check
    and format check, without ruff's cache (a warm cache could hide what a fresh clone shows).
    """

    def files(projects: list[Path], pattern: str) -> list[str]:
        return sorted(str(path) for project in projects for path in project.glob(pattern))

    return {
        "actionlint": lambda ps: [str(tools / "actionlint"), *files(ps, ".github/workflows/*.yaml")],
        "hadolint": lambda ps: [str(tools / "hadolint"), "--failure-threshold", "error", *files(ps, "dockerfiles/*")],
        "pre-commit validate-config": lambda ps: [
            str(tools / "pre-commit"),
            "validate-config",
            *files(ps, ".pre-commit-config.yaml"),
        ],
        "ruff check": lambda ps: [str(tools / "ruff"), "check", "--no-cache", *map(str, ps)],
        "ruff format --check": lambda ps: [str(tools / "ruff"), "format", "--check", "--no-cache", *map(str, ps)],
    }


def lint_all(projects: dict[str, Path], tools: Path, cwd: Path) -> dict[str, list[str]]:
    """Run every linter once over all the projects; for a linter that fails, run it again on each
    project alone to say which ones. Returns project name → the linters' complaints."""
    env = {**os.environ, "PATH": os.pathsep.join([str(tools), os.environ.get("PATH", "")])}
    complaints: dict[str, list[str]] = {}
    for label, command in linters(tools).items():
        try:
            run(command(list(projects.values())), cwd=cwd, env=env)
        except CheckError:
            for name, project in projects.items():
                try:
                    run(command([project]), cwd=project, env=env)
                except CheckError as error:
                    complaints.setdefault(name, []).append(f"{label}: {error}")
    return complaints


def check_torch_source(project: Path, manager: str, framework: str) -> str:
    """On Linux torch (and torchvision, for timm) comes from PyTorch's CPU index; the README says how to
    switch and what it costs."""
    readme = (project / "README.md").read_text()
    problems = []
    # timm needs torchvision, which must come from the same index as torch.
    from_cpu_index = ["torch", "torchvision"] if framework == "timm" else ["torch"]
    if manager == "uv":
        uv = tomllib.loads((project / "pyproject.toml").read_text()).get("tool", {}).get("uv", {})
        for package in from_cpu_index:
            if uv.get("sources", {}).get(package) != [{"index": "pytorch-cpu", "marker": "sys_platform == 'linux'"}]:
                problems.append(f"[tool.uv.sources] does not take {package} from the pytorch-cpu index on Linux")
        if {"name": "pytorch-cpu", "url": CPU_INDEX, "explicit": True} not in uv.get("index", []):
            problems.append(f"[[tool.uv.index]] has no explicit pytorch-cpu index at {CPU_INDEX}")
        lines = " and the ".join(f"`{package} = ...` line" for package in from_cpu_index)
        switch = f"delete the {lines} under `[tool.uv.sources]`"
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
        # The frontend image installs Streamlit only (requirements-frontend.txt): it has no torch.
        for dockerfile in sorted((project / "dockerfiles").glob("*")):
            if dockerfile.name == "frontend.dockerfile":
                continue
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
