#!/usr/bin/env python3
"""Kill dayone's writing commands at random moments, and run them in concurrent pairs, and check
that nothing is lost, nothing is corrupt and nothing is left behind.

    python3 scripts/kill_test.py --dayone target/release/dayone [--runs 100] [--pairs 15] [--files 1500]

Kills: each command is killed RUNS times with SIGKILL and RUNS times with SIGINT at a random
moment of its run:
  new          into a new folder
  new --force  over a folder holding the group's own files
  update       a project with the group's edits (one of them a conflict) to template version 2
  add          a feature, on the same project
Right after each kill the state is one of
  before      exactly as before the run (files, index, HEAD and base)
  after       exactly as one undisturbed run leaves it
  mid-change  in between, as the journal lets the next run finish or take back
and the group's files and .dayone.toml must be in place and `git fsck` clean. Then the same
command runs again, without a kill: afterwards the project must be exactly `after`, `git fsck`
clean, and no dayone staging, backup, journal or lock file left anywhere.

Pairs: PAIRS times each, two runs start together on one destination: `new` twice, `new --force`
twice, `update` twice, and `add` of two different features (with --allow-dirty, so the second
merges the first's uncommitted work). Every run that exits 0 must have its change in the final
tree, the tree must be whole and `git fsck` clean.

Counted as failures (exit 1): a broken new project, a half-merged tree after the next run, a
group file or .dayone.toml missing after a kill, a corrupt repository, a lost change, a leftover.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

EXTRA = 300
USER_FILES = {"notes.md": "my notes\n", "data/raw/mine.csv": "a,b\n1,2\n", "README.md": "my own readme\n"}
README_EDIT = "line 3, as the group wrote it"


def make_template(root: Path, version: int, files: int) -> Path:
    """A folder template of many small files (so that a run lasts long enough to be hit), a
    README, a config file, and two features that add files. Version 2 changes every module, the
    README's title and the config."""
    (root / "project" / "src").mkdir(parents=True)
    (root / "template.toml").write_text(
        f'[template]\nname = "kill"\nversion = "{version}.0.0"\ndirectory_variable = "name"\n\n'
        '[[variables]]\nname = "name"\nprompt = "Name"\ntype = "string"\ndefault = "proj"\n\n'
        '[[variables]]\nname = "extra"\nprompt = "Extra?"\ntype = "bool"\ndefault = false\nfeature = true\n\n'
        '[[variables]]\nname = "more"\nprompt = "More?"\ntype = "bool"\ndefault = false\nfeature = true\n\n'
        '[[files.rules]]\nwhen = "extra"\npaths = ["extra/*"]\n\n'
        '[[files.rules]]\nwhen = "more"\npaths = ["more/*"]\n'
    )
    title = " (v2)" if version == 2 else ""
    lines = "".join(f"line {i}\n" for i in range(1, 9))
    (root / "project" / "README.md").write_text(
        f"# {{{{ name }}}}{title}\n{lines}{{% if extra %}}With extra.\n{{% endif %}}{{% if more %}}With more.\n{{% endif %}}"
    )
    (root / "project" / "config.toml").write_text(f"x = {version}\n")
    for i in range(files):
        folder = root / "project" / "src" / f"pkg{i % 40}"
        folder.mkdir(exist_ok=True)
        value = f"{i} + {version}"
        (folder / f"m{i}.py").write_text(f"# {{{{ name }}}} module {i}\nVALUE = {value}\n\nDOC = 'module {i}'\n")
    for feature in ("extra", "more"):
        (root / "project" / feature).mkdir()
        for i in range(EXTRA):
            (root / "project" / feature / f"f{i}.txt").write_text(f"{feature} {i}\n")
    return root


def env_for(work: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(work),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": str(work / ".gitconfig"),
    }


def git(project: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=project, env=env, capture_output=True, text=True)


def tree(root: Path) -> dict[str, bytes]:
    """The project's files, without .git and without what a killed run keeps for the next one."""
    files = {}
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if path.is_file() and ".git" not in parts and not parts[0].startswith(".dayone-"):
            files[str(path.relative_to(root))] = path.read_bytes()
    return files


def state(project: Path, env: dict[str, str]) -> tuple:
    """Everything `before` and `after` are told apart by: every file outside .git (dayone's own
    included), the index with its stages, HEAD's tree and the base's tree."""
    files = {}
    if project.is_dir():
        for path in project.rglob("*"):
            if ".git" not in path.relative_to(project).parts and path.is_file():
                files[str(path.relative_to(project))] = path.read_bytes()
    if not (project / ".git").is_dir():
        return (files, "", "", "")
    return (
        files,
        git(project, env, "ls-files", "-s").stdout,
        git(project, env, "rev-parse", "-q", "--verify", "HEAD^{tree}").stdout,
        git(project, env, "rev-parse", "-q", "--verify", "refs/dayone/base^{tree}").stdout,
    )


def leftovers(*folders: Path) -> list[str]:
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [str(folder / name) for name in os.listdir(folder) if name.startswith(".dayone-")]
    return found


def fsck_ok(project: Path, env: dict[str, str]) -> bool:
    """`git fsck` finds nothing to say (objects no ref reaches aside)."""
    if not (project / ".git").exists():
        return True
    out = git(project, env, "fsck", "--full", "--no-dangling")
    return out.returncode == 0 and not (out.stdout + out.stderr).strip()


def git_ok(project: Path, env: dict[str, str]) -> bool:
    status = git(project, env, "status", "--porcelain", "--untracked-files=all")
    count = git(project, env, "rev-list", "--count", "HEAD")
    user = [line for line in status.stdout.splitlines() if not any(u in line for u in USER_FILES)]
    return status.returncode == 0 and not user and count.stdout.strip() == "1" and fsck_ok(project, env)


def classify_new(dest: Path, expected: dict[str, bytes], before: dict[str, bytes] | None, env: dict[str, str]) -> str:
    if before is None and not dest.exists():
        return "absent"
    now = tree(dest) if dest.exists() else {}
    if before is not None and now == before and not (dest / ".git").exists():
        return "absent"
    wanted = {**(before or {}), **expected}
    if now == wanted and (dest / ".git").exists() and git_ok(dest, env):
        return "complete"
    return "broken" if before is None else "mid-change"


def kill_at_random(cmd: list[str], env: dict[str, str], sig: signal.Signals, duration: float) -> None:
    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(random.uniform(0, duration))
    child.send_signal(sig)
    child.wait()


def new_tree(dayone: Path, template: Path, where: Path, env: dict[str, str]) -> dict[str, bytes]:
    """The files `new` makes from the template, as one undisturbed run writes them. `where` is as
    deep below the work folder as the killed runs' projects: `.dayone.toml` records the template
    folder relative to the project."""
    subprocess.run([str(dayone), "new", str(where), "--yes", "--quiet", "--no-git", "--set", "name=proj",
                    "--template", str(template)], env=env, check=True)
    return tree(where)


def new_in(dest: Path, force: bool, dayone: Path, template: Path) -> tuple[dict[str, bytes] | None, list[str]]:
    """A destination for `new` (for --force, a folder with the group's own files), what it holds
    before the run, and the command."""
    dest.parent.mkdir()
    if force:
        for name, text in USER_FILES.items():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            (dest / name).write_text(text)
    before = tree(dest) if force else None
    cmd = [str(dayone), "new", str(dest), "--yes", "--quiet", "--set", "name=proj", "--template", str(template)]
    return before, cmd + (["--force"] if force else [])


def kill_new(dayone: Path, template: Path, work: Path, runs: int, duration: float) -> int:
    failures = 0
    env = env_for(work)
    expected = new_tree(dayone, template, work / "reference" / "proj", env)
    for force in (False, True):
        for sig in (signal.SIGKILL, signal.SIGINT):
            outcomes: Counter[str] = Counter()
            user_lost = left = 0
            for i in range(runs):
                dest = work / f"{'force' if force else 'new'}-{sig.name}-{i}" / "proj"
                before, cmd = new_in(dest, force, dayone, template)
                kill_at_random(cmd, env, sig, duration)
                outcome = classify_new(dest, expected, before, env)
                outcomes[outcome] += 1
                if not fsck_ok(dest, env):
                    outcomes["corrupt repository after the kill"] += 1
                if force and any((dest / n).read_text() != t for n, t in USER_FILES.items() if n != "README.md"):
                    user_lost += 1
                again = subprocess.run(cmd, env=env, capture_output=True, text=True)
                if outcome == "absent" and again.returncode != 0:
                    outcomes["not made on the next run"] += 1
                if classify_new(dest, expected, before, env) != "complete":
                    outcomes["incomplete after the next run"] += 1
                left += bool(leftovers(dest.parent, dest))
                shutil.rmtree(dest.parent)
            mode = "new --force" if force else "new"
            counts = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
            extra = f", user files lost {user_lost}" if force else ""
            print(f"{mode:12} {sig.name:8} {runs} runs: {counts}{extra}; dayone files left after the next run: {left}", flush=True)
            bad = sum(v for k, v in outcomes.items() if k not in ("absent", "complete", "mid-change"))
            failures += bad + user_lost + left
    return failures


def edited_project(dayone: Path, v1: Path, where: Path, env: dict[str, str]) -> Path:
    """A project made from version 1 with the group's edits committed: the README (merges
    cleanly with version 2), config.toml (a conflict), ten modules and a file of their own."""
    proj = where / "proj"
    subprocess.run([str(dayone), "new", str(proj), "--yes", "--quiet", "--set", "name=proj", "--template", str(v1)],
                   env=env, check=True)
    readme = proj / "README.md"
    readme.write_text(readme.read_text().replace("line 3", README_EDIT))
    (proj / "config.toml").write_text("x = 10\n")
    for i in range(10):
        module = proj / "src" / f"pkg{i % 40}" / f"m{i}.py"
        module.write_text(module.read_text().replace(f"DOC = 'module {i}'", f"DOC = 'the group documented {i}'"))
    (proj / "notes.md").write_text(USER_FILES["notes.md"])
    git(proj, env, "add", "-A")
    git(proj, env, "-c", "user.name=Group", "-c", "user.email=group@example.org", "commit", "-qm", "the group's work")
    return proj


def group_files_in_place(proj: Path) -> bool:
    try:
        return (
            (proj / "notes.md").read_text() == USER_FILES["notes.md"]
            and README_EDIT in (proj / "README.md").read_text()
            and "[answers]" in (proj / ".dayone.toml").read_text()
            and "the group documented 3" in (proj / "src" / "pkg3" / "m3.py").read_text()
        )
    except OSError:
        return False


def kill_changes(dayone: Path, v1: Path, v2: Path, work: Path, runs: int) -> int:
    """Kill `update` and `add` on a project with the group's edits."""
    failures = 0
    env = env_for(work)
    pristine = edited_project(dayone, v1, work / "pristine", env)
    before = state(pristine, env)
    commands = {
        "update": lambda p: [str(dayone), "update", str(p), "--yes", "--quiet", "--template", str(v2)],
        "add": lambda p: [str(dayone), "add", "extra", "--project", str(p), "--yes", "--quiet", "--template", str(v1)],
    }
    for name, command in commands.items():
        reference = work / f"reference-{name}" / "proj"
        shutil.copytree(pristine, reference, symlinks=True)
        start = time.monotonic()
        subprocess.run(command(reference), env=env, capture_output=True)
        duration = time.monotonic() - start
        after = state(reference, env)
        assert after != before, f"{name} changes nothing"
        for sig in (signal.SIGKILL, signal.SIGINT):
            outcomes: Counter[str] = Counter()
            for i in range(runs):
                proj = work / f"{name}-{sig.name}-{i}" / "proj"
                shutil.copytree(pristine, proj, symlinks=True)
                cmd = command(proj)
                kill_at_random(cmd, env, sig, duration * 1.2)
                now = state(proj, env)
                outcomes["before" if now == before else "after" if now == after else "mid-change"] += 1
                if not group_files_in_place(proj):
                    outcomes["group file or .dayone.toml missing after the kill"] += 1
                if not fsck_ok(proj, env):
                    outcomes["corrupt repository after the kill"] += 1
                subprocess.run(cmd, env=env, capture_output=True)
                if state(proj, env) != after:
                    outcomes["half-merged after the next run"] += 1
                if not group_files_in_place(proj):
                    outcomes["group edits lost after the next run"] += 1
                if not fsck_ok(proj, env):
                    outcomes["corrupt repository after the next run"] += 1
                if leftovers(proj.parent, proj):
                    outcomes["dayone files left after the next run"] += 1
                shutil.rmtree(proj.parent)
            counts = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
            print(f"{name:12} {sig.name:8} {runs} runs (one takes {duration * 1000:.0f} ms): {counts}", flush=True)
            failures += sum(v for k, v in outcomes.items() if k not in ("before", "after", "mid-change"))
    return failures


def together(*cmds: list[str], env: dict[str, str]) -> list[int]:
    """Start the commands at once; their exit codes."""
    children = [subprocess.Popen(c, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for c in cmds]
    return [c.wait() for c in children]


def pairs(dayone: Path, v1: Path, v2: Path, work: Path, count: int) -> int:
    """Two runs at once on one destination, COUNT times for each kind of pair."""
    failures = 0
    env = env_for(work)
    pristine = edited_project(dayone, v1, work / "pairs-pristine", env)
    reference_update = work / "pairs-reference" / "proj"
    shutil.copytree(pristine, reference_update, symlinks=True)
    subprocess.run([str(dayone), "update", str(reference_update), "--yes", "--quiet", "--template", str(v2)],
                   env=env, capture_output=True)
    after_update = state(reference_update, env)
    expected_new = new_tree(dayone, v1, work / "pairs-new-reference" / "proj", env)

    def new_pair(i: int, force: bool) -> tuple[list[int], list[str]]:
        dest = work / f"pair-{'force' if force else 'new'}-{i}" / "proj"
        before, cmd = new_in(dest, force, dayone, v1)
        codes = together(cmd, cmd, env=env)
        problems = []
        if classify_new(dest, expected_new, before, env) != "complete":
            problems.append("broken tree")
        if not fsck_ok(dest, env):
            problems.append("corrupt repository")
        if not force and codes.count(0) != 1:
            problems.append("not exactly one run made it")
        if force and any((dest / n).read_text() != t for n, t in USER_FILES.items() if n != "README.md"):
            problems.append("user files lost")
        if leftovers(dest.parent, dest):
            problems.append("dayone files left")
        shutil.rmtree(dest.parent)
        return codes, problems

    def update_pair(i: int) -> tuple[list[int], list[str]]:
        proj = work / f"pair-update-{i}" / "proj"
        shutil.copytree(pristine, proj, symlinks=True)
        cmd = [str(dayone), "update", str(proj), "--yes", "--quiet", "--template", str(v2)]
        codes = together(cmd, cmd, env=env)
        problems = []
        if 0 not in codes and 1 not in codes:
            problems.append("neither run updated")
        if state(proj, env) != after_update:
            problems.append("lost change or mixed tree")
        if not fsck_ok(proj, env):
            problems.append("corrupt repository")
        if leftovers(proj.parent, proj):
            problems.append("dayone files left")
        shutil.rmtree(proj.parent)
        return codes, problems

    def add_pair(i: int) -> tuple[list[int], list[str]]:
        proj = work / f"pair-add-{i}" / "proj"
        shutil.copytree(pristine, proj, symlinks=True)
        features = ["extra", "more"]
        cmds = [[str(dayone), "add", f, "--project", str(proj), "--yes", "--quiet", "--allow-dirty",
                 "--template", str(v1)] for f in features]
        codes = together(*cmds, env=env)
        problems = []
        answers = (proj / ".dayone.toml").read_text() if (proj / ".dayone.toml").exists() else ""
        for feature, code in zip(features, codes):
            present = f"{feature} = true" in answers and (proj / feature / "f0.txt").is_file() \
                and f"With {feature}." in (proj / "README.md").read_text()
            if code == 0 and not present:
                problems.append(f"lost change ({feature})")
            if code not in (0, 2):
                problems.append(f"exit {code}")
        if not group_files_in_place(proj):
            problems.append("group edits lost")
        if not fsck_ok(proj, env):
            problems.append("corrupt repository")
        if leftovers(proj.parent, proj):
            problems.append("dayone files left")
        shutil.rmtree(proj.parent)
        return codes, problems

    kinds = {
        "new + new": lambda i: new_pair(i, False),
        "new --force twice": lambda i: new_pair(i, True),
        "update + update": update_pair,
        "add extra + add more": add_pair,
    }
    for label, run in kinds.items():
        codes: Counter[str] = Counter()
        problems: Counter[str] = Counter()
        for i in range(count):
            exits, found = run(i)
            codes[" and ".join(str(c) for c in sorted(exits))] += 1
            problems.update(found)
        said = ", ".join(f"exits {k}: {v}" for k, v in sorted(codes.items()))
        bad = ", ".join(f"{k} {v}" for k, v in sorted(problems.items())) or "no problem"
        print(f"pairs {label:22} {count} pairs: {said}; {bad}", flush=True)
        failures += sum(problems.values())
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dayone", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=100, help="kills per signal and command (default 100)")
    parser.add_argument("--pairs", type=int, default=15, help="concurrent pairs of each kind (default 15)")
    parser.add_argument("--files", type=int, default=1500,
                        help="modules in the template, so a run lasts long enough to be hit (default 1500)")
    args = parser.parse_args()
    dayone = args.dayone.resolve()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="dayone-kill-template-") as tmp:
        v1 = make_template(Path(tmp) / "v1", 1, args.files)
        v2 = make_template(Path(tmp) / "v2", 2, args.files)
        # How long one undisturbed run takes, so the kills spread over the whole of it.
        start = time.monotonic()
        probe = Path(tmp) / "probe"
        subprocess.run([str(dayone), "new", str(probe), "--yes", "--quiet", "--template", str(v1)],
                       check=True, env={**os.environ, "GIT_AUTHOR_NAME": "k", "GIT_AUTHOR_EMAIL": "k@k"})
        duration = time.monotonic() - start
        shutil.rmtree(probe)
        print(f"one `new` takes {duration * 1000:.0f} ms; killing at random moments within it", flush=True)
        failures = 0
        with tempfile.TemporaryDirectory(prefix="dayone-kill-") as work:
            failures += kill_new(dayone, v1, Path(work), args.runs, duration * 1.2)
        with tempfile.TemporaryDirectory(prefix="dayone-kill-") as work:
            failures += kill_changes(dayone, v1, v2, Path(work), args.runs)
        if args.pairs:
            with tempfile.TemporaryDirectory(prefix="dayone-pairs-") as work:
                failures += pairs(dayone, v1, v2, Path(work), args.pairs)
    print(f"kill test: {'ok' if not failures else f'{failures} failure(s)'} in {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
