#!/usr/bin/env python3
"""Generate the built-in `mlops` template in many option combinations and prove each project works.

Usage: python3 scripts/verify_template.py --dayone PATH/TO/dayone [--combo NAME]... [--static-only]
       python3 scripts/verify_template.py --list | --coverage [--update-readme]

Two tiers:

* The static tier generates every runtime combination (below) and a pairwise-covering set of at
  least 40 more over every choice and yes/no option of the manifest (verify_pairwise.py), and
  checks each without installing anything: each option's and starter's files exist exactly when
  it is on, no template syntax is left, one Python version in .python-version, pyproject.toml,
  the CI workflows and the Docker images, torch from PyTorch's CPU index on Linux, no words of the
  image project in another kind's, the report's framework answer; then actionlint, hadolint,
  `pre-commit validate-config` and ruff once over all of them. Seconds, not minutes.
* The runtime tier installs and runs the few combinations of verify_combos.py, two at a time
  where the machine has the cores, each in its own folder with its own ports, its log printed
  whole when it ends: the README's install command, the project's own ruff before and after the
  pipeline, pytest (every test module passing, nothing skipped), preprocess → train → evaluate →
  visualize through the invoke tasks, the API under uvicorn (a real input of its kind and a bad
  one), every starter's offline parts (verify_starters.py), the docs site, DVC. Checks that
  depend on one option only run once per value (verify_combos.ONCE_PER): the tests workflow's
  install step per dependency manager, data the loader must refuse per kind of data, DVC turned
  on later once.

Torch's CPU index (download.pytorch.org) cannot be reached where only PyPI can, so installs here
point that index at PyPI instead, which serves the same torch releases (with CUDA libraries on
Linux): uv projects get `UV_INDEX=pytorch-cpu=<PyPI>`, which replaces the index of that name in
pyproject.toml for every uv command; pip projects get requirements-torch.txt rewritten to PyPI for
the install and put back afterwards. The configuration itself is checked as written.

Only the standard library is used; the checking tools come from PyPI (local_tools.py). A Python
version with no interpreter on the machine gets the static tier only (reported as skipped).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import local_tools
import verify_combos
import verify_pairwise
from api_server import served_api
from verify_combos import COMBOS, Combo, once_checks
from verify_kinds import check_kind_files
from verify_manifest import starter_on, starters
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
from verify_shell import REPO, CheckError, Project, run, uv_env
from verify_starters import REGISTRY, unregistered
from verify_static import check_files, check_python_version, check_torch_source, lint_all

README = REPO / "README.md"
COVERAGE_START = "<!-- coverage table: python3 scripts/verify_template.py --coverage --update-readme -->\n"
COVERAGE_END = "<!-- end of coverage table -->\n"
PRINT_LOCK = threading.Lock()


@dataclass
class Result:
    name: str
    passed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)

    def step(self, label: str, action, *args) -> bool:
        """Run one check; record whether it passed, how long it took and what it said."""
        begin = time.monotonic()
        try:
            detail = action(*args)
        except CheckError as error:
            self.failed.append(label)
            self.log.append(f"  FAIL {label}: {error}")
            return False
        finally:
            self.timings[label] = time.monotonic() - begin
        self.passed.append(label)
        self.log.append(f"  ok   {label} ({self.timings[label]:.1f}s){': ' + detail if detail else ''}")
        return True


# ---------------------------------------------------------------- generating


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


def generate(dayone: Path, template: str | None, combo: Combo, folder: Path) -> Path:
    """`dayone new` with the combination's first answers, then `dayone add` of its later features
    and a commit; returns the project folder."""
    folder.mkdir(parents=True, exist_ok=True)
    answers = combo.first()
    dest = folder / answers["project_name"]
    if dest.exists():
        shutil.rmtree(dest)
    config_home = folder / ".config"
    config_home.mkdir(exist_ok=True)
    env = dict(os.environ, XDG_CONFIG_HOME=str(config_home), HOME=str(folder))
    env.update(
        GIT_AUTHOR_NAME="Verify",
        GIT_AUTHOR_EMAIL="verify@example.com",
        GIT_COMMITTER_NAME="Verify",
        GIT_COMMITTER_EMAIL="verify@example.com",
    )
    chosen = ["--template", template] if template else []
    args = [str(dayone), "new", str(dest), "--yes", *chosen]
    for key, value in sorted(answers.items()):
        args += ["--set", f"{key}={value}"]
    run(args, cwd=folder, env=env, timeout=120)
    if combo.later:
        features = [f"{key}={value}" for key, value in sorted(combo.later.items())]
        run([str(dayone), "add", *features, "--project", str(dest), "--yes", *chosen], cwd=folder, env=env, timeout=120)
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


# ---------------------------------------------------------------- the static tier


def static_tier(dayone: Path, template: str | None, combos: list[Combo], workdir: Path, tools: Path) -> Result:
    """Generate every combination and check it without an install; the linters run once over all."""
    result = Result("static tier")
    projects: dict[str, Path] = {}
    for combo in combos:
        label = f"{combo.name}: generate"
        made: list[tuple[Path, dict[str, str]]] = []

        def make(combo: Combo = combo, made: list = made) -> str:
            project = generate(dayone, template, combo, workdir / combo.name)
            made.append((project, read_answers(project, combo.requested())))
            return ""

        if not result.step(label, make):
            continue
        project, answers = made[0]
        projects[combo.name] = project
        checks = [
            ("option and starter files", check_files, project, answers),
            ("python version", check_python_version, project, answers["python_version"]),
            (
                "torch from the CPU index on Linux",
                check_torch_source,
                project,
                answers["dependency_manager"],
                answers["framework"],
            ),
            ("words of the kind of data and framework", check_kind_files, project, answers),
        ]
        for name, action, *args in checks:
            result.step(f"{combo.name}: {name}", action, *args)
    begin = time.monotonic()
    complaints = lint_all(projects, tools, workdir)
    result.timings["linters"] = time.monotonic() - begin
    for name in projects:
        if name in complaints:
            result.failed.append(f"{name}: linters")
            result.log.append(f"  FAIL {name}: linters: " + "\n".join(complaints[name]))
        else:
            result.passed.append(f"{name}: linters")
    result.log.insert(
        0,
        f"== static tier: {len(combos)} combinations ({len(projects)} generated), linters over all of them "
        f"in {result.timings['linters']:.1f}s",
    )
    result.log = [line for line in result.log if not line.startswith("  ok   ")] + [
        f"  ok   {len(result.passed)} checks passed"
    ]
    return result


# ---------------------------------------------------------------- the runtime tier


def starter_steps(result: Result, p: Project, needs_api: bool) -> None:
    """Each starter that is on, whose check does (or does not) need the API served; then nothing its
    tasks wrote may show in `git status`."""
    names = [n for n in starters() if starter_on(p.answers, n) and REGISTRY[n].needs_api == needs_api]
    for name in names:
        result.step(f"starter {name}", REGISTRY[name].check, p)
    writes = tuple(path for name in names for path in REGISTRY[name].writes)
    leaked = p.untracked_outputs(writes) if writes else []
    if leaked:
        result.failed.append("starters' outputs ignored by git")
        result.log.append(f"  FAIL git would commit what the starters wrote: {leaked[:5]}")


def runtime_tier(combo: Combo, dayone: Path, template: str | None, workdir: Path, tools: Path) -> Result:
    result = Result(combo.name)
    started = time.monotonic()
    folder = workdir / combo.name
    result.log.append(f"== {combo.name}: " + " ".join(f"{k}={v}" for k, v in sorted(combo.requested().items())))
    generated: list[tuple[Path, dict[str, str]]] = []

    def do_generate() -> str:
        project = generate(dayone, template, combo, folder)
        generated.append((project, read_answers(project, combo.requested())))
        return str(project)

    if not result.step("generate", do_generate):
        return result
    root, answers = generated[0]
    once = once_checks(combo)
    python = find_python(answers["python_version"], tools / "uv")
    if python is None:
        result.log.append(f"  skip runtime checks: no Python {answers['python_version']} interpreter on this machine")
        result.skipped.append(f"runtime checks (no Python {answers['python_version']} interpreter)")
        return result
    manager = answers["dependency_manager"]
    installed: list[Path] = []

    def do_install() -> str:
        bin_dir, size = install(root, manager, python, tools)
        installed.append(bin_dir)
        return f"{manager} with {python}; {size}"

    if not result.step("install (README command)", do_install):
        return result
    p = Project(root, answers, installed[0], tools)
    if "ci-install" in once:
        result.step("tests workflow install, with and without uv.lock", check_ci_install, root, python, tools)
    result.step("ruff check + format", check_lint, p)
    result.step("pytest", check_tests, p, folder / "junit.xml")
    if "foreign-data" in once:
        result.step("data/raw the loader cannot read is refused", check_foreign_data, p)
    if result.step("pipeline (invoke tasks)", check_pipeline, p):
        result.step("ruff check + format after the pipeline", check_lint, p)
        starter_steps(result, p, needs_api=False)
        if answers["api"] == "true":
            try:
                with served_api(root, p.bin_dir, answers["package_name"]) as base:
                    p.api = base
                    result.step("API under uvicorn", check_api, p)
                    starter_steps(result, p, needs_api=True)
            except CheckError as error:
                result.failed.append("API under uvicorn")
                result.log.append(f"  FAIL API under uvicorn: {error}")
            finally:
                p.api = None
        if "dvc-later" in once:
            result.step("dvc init + dvc add data/raw later", check_dvc_later, root, python, tools)
    if answers["docs"] == "true":
        result.step("mkdocs build --strict", check_docs, p)
    if answers["dvc"] != "none":
        result.step("dvc", check_dvc, p)
    result.timings["total"] = time.monotonic() - started
    return result


def emit(result: Result) -> None:
    with PRINT_LOCK:
        print("\n".join(result.log), flush=True)


# ---------------------------------------------------------------- the coverage table


def readme_table() -> str | None:
    text = README.read_text(encoding="utf-8")
    if COVERAGE_START not in text or COVERAGE_END not in text:
        return None
    return text.split(COVERAGE_START, 1)[1].split(COVERAGE_END, 1)[0]


def update_readme() -> None:
    text = README.read_text(encoding="utf-8")
    before, rest = text.split(COVERAGE_START, 1)
    after = rest.split(COVERAGE_END, 1)[1]
    README.write_text(before + COVERAGE_START + verify_combos.coverage_table() + COVERAGE_END + after, encoding="utf-8")


def preflight() -> list[str]:
    """What must hold before anything runs: every starter has a runtime check, the combinations
    cover every value, and the README's coverage table is the one they give."""
    problems = [
        f"starter `{name}` has no runtime check: register one in scripts/verify_starters.py" for name in unregistered()
    ]
    problems += [
        f"no runtime combination covers {gap}: add it to scripts/verify_combos.py" for gap in verify_combos.missing()
    ]
    if readme_table() != verify_combos.coverage_table():
        problems.append(
            "README.md's coverage table is not the one the combinations give: "
            "run `python3 scripts/verify_template.py --coverage --update-readme`"
        )
    return problems


# ---------------------------------------------------------------- driver


def timing_table(results: list[Result]) -> str:
    lines = ["| combination | seconds | the longest steps |", "|---|---|---|"]
    for result in results:
        total = result.timings.get("total", sum(result.timings.values()))
        steps = sorted(((s, label) for label, s in result.timings.items() if label != "total"), reverse=True)[:4]
        shown = ", ".join(f"{label} {s:.0f}" for s, label in steps)
        lines.append(f"| {result.name} | {total:.0f} | {shown} |")
    return "\n".join(lines) + "\n"


def default_jobs() -> int:
    """Two combinations at a time on a machine with two cores and room for two torch installs."""
    cores = os.cpu_count() or 1
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if hasattr(os, "sysconf") else 0
    return 2 if cores >= 2 and memory >= 8 * 2**30 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dayone", type=Path, help="the dayone binary to test")
    parser.add_argument(
        "--combo",
        action="append",
        choices=[c.name for c in COMBOS],
        help="runtime combination(s) to check (default: all)",
    )
    parser.add_argument(
        "--workdir", type=Path, help="where to generate projects (default: a temporary folder, removed at the end)"
    )
    parser.add_argument("--template", help="pass --template to dayone new (default: the embedded template)")
    parser.add_argument("--static-only", action="store_true", help="only the static tier: no installs, seconds")
    parser.add_argument("--list", action="store_true", help="print the runtime combinations and what each covers")
    parser.add_argument("--coverage", action="store_true", help="print the coverage table the README holds")
    parser.add_argument("--update-readme", action="store_true", help="with --coverage: write it into README.md")
    parser.add_argument(
        "--jobs", type=int, default=default_jobs(), help="runtime combinations at a time (default: 2 on 2+ cores)"
    )
    parser.add_argument("--timings", type=Path, help="also write the per-combination timing table to this file")
    args = parser.parse_args()
    if args.list:
        print(verify_combos.listing())
        return 0
    if args.coverage:
        if args.update_readme:
            update_readme()
        print(verify_combos.coverage_table(), end="")
        return 0
    if args.dayone is None:
        parser.error("--dayone is required to generate projects")
    dayone = args.dayone.resolve()
    if not dayone.is_file():
        parser.error(f"--dayone {args.dayone}: no such file; build it with `cargo build`")
    problems = preflight()
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    workdir = (args.workdir or Path(tempfile.mkdtemp(prefix="dayone-verify-"))).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    template = args.template
    if template and Path(template).exists():
        template = str(Path(template).resolve())
    tools = local_tools.install_all()
    print(f"Projects go to {workdir}", flush=True)
    runtime = [c for c in COMBOS if not args.combo or c.name in args.combo]
    pairwise = (
        []
        if args.combo
        else [Combo(f"pairwise-{n:02}", answers) for n, answers in enumerate(verify_pairwise.combinations(), 1)]
    )
    results: list[Result] = []
    try:
        begin = time.monotonic()
        static = static_tier(dayone, template, runtime + pairwise, workdir / "static", tools)
        static.timings["total"] = time.monotonic() - begin
        results.append(static)
        emit(static)
        if not args.static_only:
            with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
                futures = [pool.submit(runtime_tier, c, dayone, template, workdir / "runtime", tools) for c in runtime]
                for future in concurrent.futures.as_completed(futures):
                    results.append(future.result())
                    emit(results[-1])
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)
    table = timing_table(results)
    print("\nSeconds per combination:\n" + table, flush=True)
    if args.timings:
        args.timings.write_text(table, encoding="utf-8")
    passed = sum(len(r.passed) for r in results)
    failed = sum(len(r.failed) for r in results)
    skipped = sum(len(r.skipped) for r in results)
    for result in results:
        for label in result.failed:
            print(f"FAILED {result.name}: {label}")
    print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
