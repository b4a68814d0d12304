"""Running commands for verify_template.py: the error a failed check raises, and the environments
uv and a generated project's venv run in."""

from __future__ import annotations

import os
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

import local_tools

REPO = Path(__file__).resolve().parent.parent
# The checking tools' bin folder (uv among them), as local_tools.install_all() makes it.
TOOLS_BIN = local_tools.bin_of(local_tools.venv_for(local_tools.ALL))
STEP_TIMEOUT = 900
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
PYPI = "https://pypi.org/simple"
# Replaces the pytorch-cpu index of a generated pyproject.toml in every uv command (see
# verify_template.py's docstring).
UV_TORCH_INDEX = f"pytorch-cpu={PYPI}"


class CheckError(Exception):
    """One check of one combination failed; the message says which and why."""


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


def free_port() -> int:
    """A TCP port of 127.0.0.1 that nothing listens on now (each concurrent check asks for its own)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def uv_env(python: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "UV_PROJECT"))}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV_INDEX"] = UV_TORCH_INDEX
    env.pop("WANDB_MODE", None)
    if python is not None:
        env["UV_PYTHON"] = str(python)
    return env


def project_env(bin_dir: Path) -> dict[str, str]:
    """The project's venv first on PATH, then the checking tools (uv), as a user's shell would have them."""
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "WANDB_MODE", "MODEL_PATH")}
    env["PATH"] = os.pathsep.join([str(bin_dir), str(TOOLS_BIN), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV_INDEX"] = UV_TORCH_INDEX
    return env


def invoke_command(bin_dir: Path, manager: str, tools: Path) -> list[str]:
    return [str(tools / "uv"), "run", "invoke"] if manager == "uv" else [str(bin_dir / "invoke")]


@dataclass
class Project:
    """A generated project being checked at runtime: where it is, its answers as recorded, its venv's
    bin folder and the checking tools' bin folder; ``api`` is the served API's base URL while a
    check runs against it."""

    root: Path
    answers: dict[str, str]
    bin_dir: Path
    tools: Path
    api: str | None = None

    @property
    def env(self) -> dict[str, str]:
        return project_env(self.bin_dir)

    @property
    def invoke(self) -> list[str]:
        return invoke_command(self.bin_dir, self.answers["dependency_manager"], self.tools)

    def run(self, args: list[str], timeout: float = STEP_TIMEOUT, **env: str) -> str:
        """Run a command in the project with its venv's environment (plus ``env``)."""
        return run(args, cwd=self.root, env={**self.env, **env}, timeout=timeout)

    def task(self, name: str, *args: str, timeout: float = STEP_TIMEOUT, **env: str) -> str:
        """Run one of the project's invoke tasks."""
        return self.run([*self.invoke, name, *args], timeout=timeout, **env)

    def untracked_outputs(self, prefixes: tuple[str, ...]) -> list[str]:
        """Lines of `git status` under the given paths: what a task wrote that git would commit."""
        status = run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=self.root)
        return [line for line in status.splitlines() if any(p in line for p in prefixes)]
