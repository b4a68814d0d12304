#!/usr/bin/env python3
"""Benchmark dayone: median wall time and peak memory of its main jobs, measured side by side.

    cargo build --release --locked && python3 scripts/bench.py [--runs 30]

Prints one row per job: median and min wall time in ms, and peak RSS in MiB (the largest
over the runs, read from the kernel's rusage of each child). Nothing is asserted: compare
the figures with the targets printed beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_once(cmd: list[str], cwd: Path, env: dict[str, str]) -> float:
    """Wall time in ms of one run, started with posix_spawn to keep launch overhead low."""
    os.chdir(cwd)
    start = time.perf_counter()
    pid = os.posix_spawn(cmd[0], cmd, env, file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
    _, status, _ = os.wait4(pid, 0)
    elapsed = (time.perf_counter() - start) * 1000
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"benchmark command failed ({code}): {' '.join(cmd)}")
    return elapsed


def peak_rss(cmd: list[str], cwd: Path, env: dict[str, str]) -> float | None:
    """Peak RSS in MiB, measured by GNU time. A child forked from Python would inherit this
    interpreter's memory high-water mark, so it has to be launched by a small process."""
    gnu_time = shutil.which("time", path="/usr/bin:/bin")
    if gnu_time is None:
        return None
    with tempfile.NamedTemporaryFile(mode="r") as report:
        os.chdir(cwd)
        proc = os.posix_spawn(gnu_time, [gnu_time, "-f", "%M", "-o", report.name, *cmd], env,
                              file_actions=[(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)])
        os.waitpid(proc, 0)
        return int(report.read().strip().splitlines()[-1]) / 1024


def cookiecutter_setup(dayone: str, work: Path, env: dict[str, str]) -> tuple[list[str], Path]:
    """Install cookiecutter into .tools/bench-venv (from PyPI) and build a cookiecutter template
    holding the same tree dayone's default project has, so both tools do the same job (and
    dayone, given that cookiecutter template, does cookiecutter's job)."""
    venv = ROOT / ".tools" / "bench-venv"
    cookiecutter = venv / "bin" / "cookiecutter"
    if not cookiecutter.exists():
        import subprocess

        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "cookiecutter"], check=True)
    reference = work / "reference"
    reference.mkdir()
    run_once([dayone, "new", "proj", "--yes", "--quiet", "--no-git"], reference, env)
    template = work / "cc-template"
    tree = template / "{{cookiecutter.project_name}}"
    shutil.copytree(reference / "proj", tree)
    # dayone writes .dayone.toml itself (and refuses a template that holds one).
    (tree / ".dayone.toml").unlink()
    # Files holding GitHub or Jinja syntax are copied as they are, which only spares cookiecutter work.
    raw = [str(p.relative_to(tree)) for p in tree.rglob("*") if p.is_file() and "{{" in p.read_text(errors="ignore")]
    files = sum(1 for p in tree.rglob("*") if p.is_file())
    (template / "cookiecutter.json").write_text(json.dumps({"project_name": "proj", "_copy_without_render": raw}))
    print(f"cookiecutter template: the default project's {files} files")
    return [str(cookiecutter), "--no-input", "-f", str(template)], template


def make_big_template(root: Path, files: int) -> Path:
    """A template of `files` small files spread over folders, each with one variable."""
    (root / "project").mkdir(parents=True)
    (root / "template.toml").write_text(
        '[template]\nname = "big"\nversion = "1.0.0"\ndirectory_variable = "name"\n\n'
        '[[variables]]\nname = "name"\nprompt = "Name"\ntype = "string"\ndefault = "big"\n'
    )
    for i in range(files):
        folder = root / "project" / f"pkg{i % 50}"
        folder.mkdir(exist_ok=True)
        (folder / f"module_{i}.py").write_text(f'"""Module {i} of {{{{ name }}}}."""\n\nVALUE = {i}\n')
    return root


def heavy_template_peak(dayone: str, work: Path, env: dict[str, str], megabytes: int = 500) -> None:
    """Peak memory of `dayone new` (with git) from a folder template of `megabytes` MB, mostly
    copied files of 10 MB: printed against the target of 64 MiB plus the largest file."""
    root = work / "heavy"
    (root / "project" / "data").mkdir(parents=True)
    (root / "template.toml").write_text(
        '[template]\nname = "heavy"\nversion = "1.0.0"\ndirectory_variable = "name"\n\n'
        '[[variables]]\nname = "name"\nprompt = "Name"\ntype = "string"\ndefault = "heavy"\n'
    )
    (root / "project" / "README.md").write_text("# {{ name }}\n")
    block = bytes(range(128, 256)) * (10 * 1024 * 1024 // 128)
    for i in range(megabytes // 10):
        (root / "project" / "data" / f"part{i:03d}.bin").write_bytes(block)
    peak = peak_rss([dayone, "new", "heavy-out", "--yes", "--quiet", "--template", str(root)], work, env)
    shutil.rmtree(work / "heavy-out", ignore_errors=True)
    shutil.rmtree(root)
    largest = len(block) / 2**20
    shown = "n/a" if peak is None else f"{peak:.1f} MiB"
    print(f"new from a {megabytes} MB folder template (git on): peak {shown}; target < {64 + largest:.0f} MiB (64 + largest file)")


def make_big_repository(dayone: str, work: Path, env: dict[str, str], files: int) -> Path:
    """The default project plus `files` files the way a large group repository holds them: a
    folder that sorts before every usual one full of Python modules (so a depth-first walk
    meets it before src/ and .github/), figures, run results, and a .gitignore'd cache."""
    run_once([dayone, "new", "bigrepo", "--yes", "--quiet", "--no-git"], work, env)
    repo = work / "bigrepo"
    python, figures = files // 2, files // 4
    results = files - python - figures
    for i in range(python):
        folder = repo / "0_experiments" / f"run{i % 500:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"step_{i}.py").write_text(f'"""Step {i}."""\n\nimport torch\n\n\ndef step_{i}(x: int) -> int:\n    return x + {i}\n')
    for i in range(figures):
        folder = repo / "reports" / "figures" / f"epoch{i % 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"sample_{i}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    for i in range(results):
        folder = repo / "outputs_archive" / f"{i % 200:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"metrics_{i}.json").write_text(f'{{"step": {i}, "loss": 0.5}}\n')
    cache = repo / "cache"
    cache.mkdir()
    for i in range(2000):
        (cache / f"blob_{i}.py").write_text("x = 1\n")
    with (repo / ".gitignore").open("a") as gitignore:
        gitignore.write("cache/\n")
    return repo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--dayone", default=str(ROOT / "target" / "release" / "dayone"))
    parser.add_argument("--cookiecutter", action="store_true",
                        help="also time cookiecutter (installed from PyPI into .tools/) rendering the same tree, "
                        "with and without `git init && git add -A && git commit`, and dayone rendering that "
                        "cookiecutter template")
    parser.add_argument("--dir", help="where to generate projects (default: the system temp dir); on a disk with "
                        "much recent churn, file creation in the kernel can dominate the figures, so compare with a tmpfs "
                        "such as /dev/shm")
    args = parser.parse_args()
    dayone = str(Path(args.dayone).resolve())
    if not Path(dayone).is_file():
        sys.exit(f"{dayone} not found; build it first: cargo build --release --locked")

    with tempfile.TemporaryDirectory(prefix="dayone-bench-", dir=args.dir) as tmp:
        work = Path(tmp)
        home = work / "home"
        home.mkdir()
        (home / ".gitconfig").write_text("[user]\n\tname = Bench\n\temail = bench@example.org\n")
        env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
        heavy_template_peak(dayone, work, env)
        big1k = make_big_template(work / "big1000", 1000)
        big2k = make_big_template(work / "big2000", 2000)
        run_once([dayone, "new", "generated", "--yes", "--quiet"], work, env)
        generated = work / "generated"
        big_repo = make_big_repository(dayone, work, env, 50_000)

        # The first four rows split the default job into its parts: process start (--version),
        # loading the template and rendering it (--dry-run), writing the files, and git.
        jobs = [
            ("dayone --version", lambda i: [dayone, "--version"], "<= 2 ms"),
            ("new --yes --dry-run (render only)", lambda i: [dayone, "new", f"dry{i}", "--yes", "--quiet", "--dry-run"], "-"),
            ("new --yes (built-in, --no-git)", lambda i: [dayone, "new", f"nogit{i}", "--yes", "--quiet", "--no-git"], "<= 3 ms"),
            ("new --yes (built-in, git)", lambda i: [dayone, "new", f"git{i}", "--yes", "--quiet"], "<= 5 ms tmpfs, 10 disk"),
            ("new 1,000-file template", lambda i: [dayone, "new", f"k{i}", "--yes", "--quiet", "--no-git", "--template", str(big1k)], "<= 25 ms"),
            ("new 2,000-file template", lambda i: [dayone, "new", f"kk{i}", "--yes", "--quiet", "--no-git", "--template", str(big2k)], "-"),
            ("check (generated project)", lambda i: [dayone, "check", str(generated), "--json"], "<= 50 ms"),
            ("check (50,000-file repository)", lambda i: [dayone, "check", str(big_repo), "--json"], "<= 1000 ms"),
        ]
        if args.cookiecutter:
            cc, cc_template = cookiecutter_setup(dayone, work, env)
            git = shutil.which("git") or "git"
            commit = f"cd proj && {git} init -q -b main && {git} add -A && {git} commit -qm first"
            # The same cookiecutter template, rendered by dayone's Jinja engine.
            dayone_cc = [dayone, "new", "--yes", "--quiet", "--template", str(cc_template)]
            jobs += [
                ("cookiecutter (same tree)", lambda i: [*cc, "-o", f"cc{i}"], "-"),
                ("cookiecutter + git CLI commit", lambda i: ["/bin/sh", "-c", f"mkdir ccg{i} && cd ccg{i} && "
                                                            f"{' '.join(cc)} && {commit}"], "-"),
                ("new cookiecutter template --no-git", lambda i: [*dayone_cc, f"ccd{i}", "--no-git"], "-"),
                ("new cookiecutter template (git)", lambda i: [*dayone_cc, f"ccdg{i}"], "-"),
            ]
        results = {name: ([], []) for name, _, _ in jobs}
        # Interleave the jobs run by run so machine noise spreads evenly over all of them.
        for i in range(args.runs):
            for name, cmd, _ in jobs:
                out = work / "out"
                out.mkdir(exist_ok=True)
                results[name][0].append(run_once(cmd(i), out, env))
                if i < 5:
                    results[name][1].append(peak_rss(cmd(i + args.runs), out, env))
            shutil.rmtree(work / "out")

        print(f"dayone benchmark: {args.runs} runs each, interleaved; {os.cpu_count()} cores; in {tmp}")
        print(f"{'job':<34}{'median ms':>10}{'min ms':>9}{'peak MiB':>10}  target (time)")
        for name, _, target in jobs:
            walls, rss = results[name]
            peak = "n/a" if None in rss else f"{max(rss):.1f}"
            print(f"{name:<34}{statistics.median(walls):>10.2f}{min(walls):>9.2f}{peak:>10}  {target}")
        print("peak memory target: <= 8 MiB for the built-in template (measured with GNU time over 5 runs; n/a without it)")
        if args.cookiecutter:
            median = {name: statistics.median(walls) for name, (walls, _) in results.items()}
            ratio = median["cookiecutter + git CLI commit"] / median["new --yes (built-in, git)"]
            print(f"speed-up, dayone new --yes (git) vs cookiecutter + git: {ratio:.0f}x (target >= 50x)")
            ratio = median["cookiecutter (same tree)"] / median["new --yes (built-in, --no-git)"]
            print(f"speed-up, dayone new --yes --no-git vs cookiecutter alone: {ratio:.0f}x")
            ratio = median["cookiecutter (same tree)"] / median["new cookiecutter template --no-git"]
            print(f"speed-up, the cookiecutter template rendered by dayone (--no-git) vs by cookiecutter: "
                  f"{ratio:.0f}x (target >= 30x)")
            ratio = median["cookiecutter + git CLI commit"] / median["new cookiecutter template (git)"]
            print(f"speed-up, the cookiecutter template with git, dayone vs cookiecutter + git: {ratio:.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
