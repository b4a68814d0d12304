"""Running commands for verify_template.py: the error a failed check raises, and the environments
uv and a generated project's venv run in."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / ".tools"
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
    tools_bin = TOOLS / "venv" / "bin"
    env["PATH"] = os.pathsep.join([str(bin_dir), str(tools_bin), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(bin_dir.parent)
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env["UV_INDEX"] = UV_TORCH_INDEX
    return env


def invoke_command(bin_dir: Path, manager: str, tools: Path) -> list[str]:
    return [str(tools / "uv"), "run", "invoke"] if manager == "uv" else [str(bin_dir / "invoke")]
