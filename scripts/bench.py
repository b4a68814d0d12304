#!/usr/bin/env python3
"""Benchmark dayone: median wall time and peak memory of its main jobs, measured side by side.

    cargo build --release --locked && python3 scripts/bench.py [--runs 30]
    python3 scripts/bench.py --check [--baseline OLD_BINARY]   # `dayone check` only

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


def make_git_template(work: Path, env: dict[str, str]) -> tuple[Path, str]:
    """The built-in template as a folder template, and the same folder committed (tagged v1)
    in a local bare repository: the folder and the `--template` address of its copy in git."""
    import subprocess

    folder = work / "folder-template"
    shutil.copytree(ROOT / "template" / "mlops", folder)
    upstream = work / "template-upstream"
    shutil.copytree(folder, upstream / "tpl")
    git = ["git", "-c", "user.name=Bench", "-c", "user.email=bench@example.org"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "template"], ["tag", "v1"]):
        subprocess.run([*git, *args], cwd=upstream, env=env, check=True)
    subprocess.run([*git, "clone", "-q", "--bare", str(upstream), str(work / "template.git")], env=env, check=True)
    return folder, f"file://{work / 'template.git'}@v1#tpl"


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


def make_group_repository(dayone: str, work: Path, env: dict[str, str]) -> Path:
    """A typical group repository a few weeks in: the default project with the cloud options,
    plus the group's modules and tests, docs pages, figures (two of exactly the size of the
    course's example figures, so `check` reads and hashes them) and a report whose answers
    show figures and describe the cloud work."""
    run_once([dayone, "new", "grouprepo", "--yes", "--quiet", "--no-git", "--set", "gcp=true", "--set", "docs=true"],
             work, env)
    repo = work / "grouprepo"
    package = next(p for p in (repo / "src").iterdir() if p.is_dir())
    for i in range(60):
        (package / f"module_{i}.py").write_text(
            f'"""Module {i}."""\n\nimport torch\n\n\ndef step_{i}(x: torch.Tensor) -> torch.Tensor:\n'
            f'    """Step {i}."""\n    return x * {i}\n')
    for i in range(20):
        (repo / "tests" / f"test_module_{i}.py").write_text(
            f"from {package.name}.module_{i} import step_{i}\n\n\ndef test_step_{i}():\n    assert step_{i}(1) == {i}\n")
    figures = repo / "reports" / "figures"
    for i in range(40):
        (figures / f"figure_{i}.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(2000 + i))
    for name, size in [("overview.png", 107_110), ("build.png", 67_106)]:
        (figures / name).write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(size - 8))
    report = repo / "reports" / "README.md"
    text = report.read_text()
    answers = {
        21: "![our build history](figures/build.png)",
        22: "We trained the model on Vertex AI with a custom job, which worked after raising the quota.",
        26: "We set up an alert policy in Cloud Monitoring.\n\n![alert policy](figures/figure_1.png)",
        29: "![the whole system](figures/overview.png)",
    }
    for number, answer in answers.items():
        text = text.replace(f"--- question {number} fill here ---", answer)
    report.write_text(text)
    for i in range(8):
        (repo / "docs" / "source" / f"page_{i}.md").write_text(f"# Page {i}\n\n" + "The project does this. " * 40)
    return repo


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--dayone", default=str(ROOT / "target" / "release" / "dayone"))
    parser.add_argument("--cookiecutter", action="store_true",
                        help="also time cookiecutter (installed from PyPI into .tools/) rendering the same tree, "
                        "with and without `git init && git add -A && git commit`, and dayone rendering that "
                        "cookiecutter template")
    parser.add_argument("--check", action="store_true",
                        help="time only `dayone check` (on the generated project, a typical group repository and a "
                        "50,000-file repository)")
    parser.add_argument("--baseline", help="another dayone binary (say, one built before a change) whose `check` is "
                        "timed in the same interleaved run")
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
        if not args.check:
            heavy_template_peak(dayone, work, env)
            big1k = make_big_template(work / "big1000", 1000)
            big2k = make_big_template(work / "big2000", 2000)
            folder_template, git_template = make_git_template(work, env)
            # The first use fetches the tag into the cache (HOME/.cache); every timed run is a hit.
            run_once([dayone, "new", "fetched", "--yes", "--quiet", "--no-git", "--template", git_template], work, env)
        run_once([dayone, "new", "generated", "--yes", "--quiet"], work, env)
        generated = work / "generated"
        group_repo = make_group_repository(dayone, work, env)
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
            ("new folder template (--no-git)", lambda i: [dayone, "new", f"ft{i}", "--yes", "--quiet", "--no-git", "--template", str(folder_template)], "-"),
            ("new cached git URL, tag (--no-git)", lambda i: [dayone, "new", f"gt{i}", "--yes", "--quiet", "--no-git", "--template", git_template], "folder + < 5 ms"),
            ("new git URL, branch (fetches)", lambda i: [dayone, "new", f"gb{i}", "--yes", "--quiet", "--no-git", "--template", git_template.replace("@v1", "@main")], "-"),
        ]
        checks = [
            ("generated project", generated, "<= 50 ms"),
            ("group repository", group_repo, "<= 100 ms"),
            ("50,000-file repository", big_repo, "<= 1000 ms"),
        ]
        binaries = [("check", dayone)]
        if args.baseline:
            binaries.append(("baseline check", str(Path(args.baseline).resolve())))
        if args.check:
            jobs = []
        for label, binary in binaries:
            for what, folder, target in checks:
                jobs.append((f"{label} ({what})", lambda i, b=binary, f=folder: [b, "check", str(f), "--json"], target))
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
        print(f"{'job':<42}{'median ms':>10}{'min ms':>9}{'peak MiB':>10}  target (time)")
        for name, _, target in jobs:
            walls, rss = results[name]
            peak = "n/a" if None in rss else f"{max(rss):.1f}"
            print(f"{name:<42}{statistics.median(walls):>10.2f}{min(walls):>9.2f}{peak:>10}  {target}")
        print("peak memory target: <= 8 MiB for the built-in template (measured with GNU time over 5 runs; n/a without it)")
        median = {name: statistics.median(walls) for name, (walls, _) in results.items()}
        if not args.check:
            added = median["new cached git URL, tag (--no-git)"] - median["new folder template (--no-git)"]
            print(f"a cached git URL adds {added:.2f} ms (median against the same folder template; target < 5 ms)")
        if args.cookiecutter:
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
