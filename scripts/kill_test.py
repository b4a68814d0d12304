#!/usr/bin/env python3
"""Kill `dayone new` at random moments and check that nothing is lost and nothing is left behind.

    python3 scripts/kill_test.py --dayone target/release/dayone [--runs 100]

For `new` into a new folder and `new --force` over a folder holding the group's own files, each
killed RUNS times with SIGKILL and RUNS times with SIGINT at a random moment of its run, this
prints how each run ended:
  absent      the project folder does not exist (new) or holds exactly what it held (--force)
  complete    every file as dayone writes it, a valid repository with one commit, a clean status
  mid-change  (--force only) killed while swapping files in: what the journal lets the next run undo
  broken      anything else (a failure for a new folder, which is renamed into place in one step)
and, for --force, whether every one of the group's own files is intact. Then the same command runs
again, without a kill: it must take back or finish what the killed run left and make the project,
and afterwards no dayone staging, backup or journal file may be left anywhere. Exit 1 on any
broken run, lost user file or leftover.
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

FILES = 1500
USER_FILES = {"notes.md": "my notes\n", "data/raw/mine.csv": "a,b\n1,2\n", "README.md": "my own readme\n"}


def make_template(root: Path) -> Path:
    """A folder template of many small files (so that a run lasts long enough to be hit) and a README."""
    (root / "project" / "src").mkdir(parents=True)
    (root / "template.toml").write_text(
        '[template]\nname = "kill"\nversion = "1.0.0"\ndirectory_variable = "name"\n\n'
        '[[variables]]\nname = "name"\nprompt = "Name"\ntype = "string"\ndefault = "proj"\n'
    )
    (root / "project" / "README.md").write_text("# {{ name }}\n")
    for i in range(FILES):
        folder = root / "project" / "src" / f"pkg{i % 40}"
        folder.mkdir(exist_ok=True)
        (folder / f"m{i}.py").write_text(f"# {{{{ name }}}} module {i}\nVALUE = {i}\n")
    return root


def tree(root: Path) -> dict[str, bytes]:
    """The project's files, without .git and without what a killed run keeps for the next one."""
    files = {}
    for path in root.rglob("*"):
        parts = path.relative_to(root).parts
        if path.is_file() and ".git" not in parts and not parts[0].startswith(".dayone-"):
            files[str(path.relative_to(root))] = path.read_bytes()
    return files


def leftovers(*folders: Path) -> list[str]:
    found = []
    for folder in folders:
        if folder.is_dir():
            found += [str(folder / name) for name in os.listdir(folder) if name.startswith(".dayone-")]
    return found


def git_ok(project: Path, env: dict[str, str]) -> bool:
    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=project, env=env, capture_output=True, text=True)

    status = git("status", "--porcelain", "--untracked-files=all")
    count = git("rev-list", "--count", "HEAD")
    fsck = git("fsck", "--no-dangling")
    user = [line for line in status.stdout.splitlines() if not any(u in line for u in USER_FILES)]
    return status.returncode == 0 and not user and count.stdout.strip() == "1" and fsck.returncode == 0


def classify(dest: Path, expected: dict[str, bytes], before: dict[str, bytes] | None, env: dict[str, str]) -> str:
    if before is None and not dest.exists():
        return "absent"
    now = tree(dest) if dest.exists() else {}
    if before is not None and now == before and not (dest / ".git").exists():
        return "absent"
    wanted = {**(before or {}), **expected}
    if now == wanted and (dest / ".git").exists() and git_ok(dest, env):
        return "complete"
    return "broken" if before is None else "mid-change"


def run(dayone: Path, template: Path, runs: int, duration: float) -> int:
    failures = 0
    with tempfile.TemporaryDirectory(prefix="dayone-kill-") as tmp:
        work = Path(tmp)
        env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(work),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(work / ".gitconfig"),
        }
        (work / ".gitconfig").write_text("[user]\n\tname = Kill Test\n\temail = kill@example.org\n")
        reference = work / "reference"
        subprocess.run([str(dayone), "new", str(reference), "--yes", "--quiet", "--no-git", "--set", "name=proj",
                        "--template", str(template)], env=env, check=True)
        expected = tree(reference)
        for force in (False, True):
            for sig in (signal.SIGKILL, signal.SIGINT):
                outcomes: Counter[str] = Counter()
                user_lost = left = 0
                for i in range(runs):
                    dest = work / f"{'force' if force else 'new'}-{sig.name}-{i}" / "proj"
                    dest.parent.mkdir()
                    if force:
                        for name, text in USER_FILES.items():
                            (dest / name).parent.mkdir(parents=True, exist_ok=True)
                            (dest / name).write_text(text)
                    before = tree(dest) if force else None
                    cmd = [str(dayone), "new", str(dest), "--yes", "--quiet", "--set", "name=proj", "--template", str(template)]
                    cmd += ["--force"] if force else []
                    child = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    time.sleep(random.uniform(0, duration))
                    child.send_signal(sig)
                    child.wait()
                    outcome = classify(dest, expected, before, env)
                    outcomes[outcome] += 1
                    if force and any((dest / n).read_text() != t for n, t in USER_FILES.items() if n != "README.md"):
                        user_lost += 1
                    again = subprocess.run(cmd, env=env, capture_output=True, text=True)
                    if outcome == "absent" and again.returncode != 0:
                        outcomes["not made on the next run"] += 1
                    if classify(dest, expected, before, env) != "complete":
                        outcomes["incomplete after the next run"] += 1
                    left += bool(leftovers(dest.parent, dest))
                mode = "new --force" if force else "new"
                counts = ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items()))
                extra = f", user files lost {user_lost}" if force else ""
                print(f"{mode:12} {sig.name:8} {runs} runs: {counts}{extra}; dayone files left after the next run: {left}")
                bad = sum(v for k, v in outcomes.items() if k not in ("absent", "complete", "mid-change"))
                failures += bad + user_lost + left
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dayone", required=True, type=Path)
    parser.add_argument("--runs", type=int, default=100, help="kills per signal and mode (default 100)")
    args = parser.parse_args()
    dayone = args.dayone.resolve()
    with tempfile.TemporaryDirectory(prefix="dayone-kill-template-") as tmp:
        template = make_template(Path(tmp))
        # How long one undisturbed run takes, so the kills spread over the whole of it.
        start = time.monotonic()
        probe = Path(tmp) / "probe"
        subprocess.run([str(dayone), "new", str(probe), "--yes", "--quiet", "--template", str(template)],
                       check=True, env={**os.environ, "GIT_AUTHOR_NAME": "k", "GIT_AUTHOR_EMAIL": "k@k"})
        duration = time.monotonic() - start
        shutil.rmtree(probe)
        print(f"one run takes {duration * 1000:.0f} ms; killing at random moments within it")
        failures = run(dayone, template, args.runs, duration * 1.2)
    print("kill test: " + ("ok" if not failures else f"{failures} failure(s)"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
