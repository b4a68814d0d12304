"""Run the training starters' tasks for real: `invoke profile`, `invoke sweep --quick` and `invoke train-ddp`.

Called after the pipeline, so data/processed/ exists. Each task must leave the files its README
section promises, and none of them may leave files git would commit.
"""

from __future__ import annotations

import glob
import json
from pathlib import Path

from verify_shell import CheckError, invoke_command, project_env, run

# The test module each training starter ships; check_tests requires a passing test in each.
STARTER_TESTS = {"profiling": "test_profiling", "sweep": "test_sweep", "distributed": "test_distributed"}


def starter_tests(answers: dict[str, str]) -> list[str]:
    """The starters' test modules that must pass in a project with these answers."""
    return [module for starter, module in STARTER_TESTS.items() if answers.get(starter) == "true"]


def sweep_trials(project: Path, hydra: bool) -> list[dict]:
    """The metrics each trial of the last sweep recorded."""
    if hydra:
        runs = sorted(glob.glob(str(project / "multirun" / "sweep" / "*")))
        if not runs:
            raise CheckError("invoke sweep left no folder under multirun/sweep/")
        return [json.loads(Path(path).read_text()) for path in sorted(glob.glob(f"{runs[-1]}/*/metrics.json"))]
    results = project / "sweeps" / "results.jsonl"
    if not results.is_file():
        raise CheckError("invoke sweep wrote no sweeps/results.jsonl")
    return [json.loads(line)["metrics"] for line in results.read_text().splitlines()]


def check_training_starters(project: Path, bin_dir: Path, answers: dict[str, str], tools: Path) -> str:
    env = project_env(bin_dir)
    invoke = invoke_command(bin_dir, answers["dependency_manager"], tools)
    done = []
    if answers.get("profiling") == "true":
        run([*invoke, "profile"], cwd=project, env=env, timeout=900)
        summary = (project / "reports" / "profiling" / "train.txt").read_text()
        trace = project / "reports" / "profiling" / "trace.json"
        step = "(training_step)" if answers["training"] == "lightning" else "(train_step)"
        if step not in summary or not json.loads(trace.read_text()).get("traceEvents"):
            raise CheckError(f"invoke profile wrote no summary naming {step} or an empty trace")
        done.append(f"profile: trace {trace.stat().st_size // 1024} KiB")
    if answers.get("sweep") == "true":
        run([*invoke, "sweep", "--quick"], cwd=project, env=env, timeout=900)
        trials = sweep_trials(project, answers["hydra"] == "true")
        if len(trials) != 2 or not all(trial.get("train_loss", 0) > 0 for trial in trials):
            raise CheckError(f"invoke sweep --quick recorded {trials}, not two trials with a training loss")
        done.append("sweep: 2 trials")
    if answers.get("distributed") == "true" and answers["training"] == "pytorch":
        model = project / "models" / "model.pt"
        model.unlink(missing_ok=True)
        override = "training=quick" if answers["hydra"] == "true" else "--epochs 1"
        output = run([*invoke, "train-ddp", "--args", override], cwd=project, env=env, timeout=900)
        if "Process 1 of 2 loads batches" not in output or not model.is_file():
            raise CheckError(f"invoke train-ddp did not train in two processes:\n{output[-2000:]}")
        done.append("train-ddp: 2 processes")
    status = run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project)
    written = ("reports/profiling", "sweeps/", "multirun/")
    leaked = [line for line in status.splitlines() if any(part in line for part in written)]
    if leaked:
        raise CheckError(f"git would commit what the starters wrote: {leaked[:5]}")
    return "; ".join(done)
