"""Run the training starters' tasks for real: `invoke profile`, `invoke sweep --quick` and
`invoke train-ddp`.

Called after the pipeline, so data/processed/ exists. Each task must leave the files its README
section promises.
"""

from __future__ import annotations

import glob
import json
from pathlib import Path

from verify_shell import CheckError, Project


def check_profiling(p: Project) -> str:
    p.task("profile", timeout=900)
    summary = (p.root / "reports" / "profiling" / "train.txt").read_text()
    trace = p.root / "reports" / "profiling" / "trace.json"
    step = "(training_step)" if p.answers["training"] == "lightning" else "(train_step)"
    if step not in summary or not json.loads(trace.read_text()).get("traceEvents"):
        raise CheckError(f"invoke profile wrote no summary naming {step} or an empty trace")
    return f"profile: trace {trace.stat().st_size // 1024} KiB"


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


def check_sweep(p: Project) -> str:
    p.task("sweep", "--quick", timeout=900)
    trials = sweep_trials(p.root, p.answers["hydra"] == "true")
    if len(trials) != 2 or not all(trial.get("train_loss", 0) > 0 for trial in trials):
        raise CheckError(f"invoke sweep --quick recorded {trials}, not two trials with a training loss")
    return "sweep: 2 trials" + (" (Hydra multirun)" if p.answers["hydra"] == "true" else "")


def check_distributed(p: Project) -> str:
    """DDP in two processes with the plain loop; with Lightning the strategy is the tests' to check."""
    if p.answers["training"] != "pytorch":
        return "Lightning's strategy and devices: checked by the project's tests"
    model = p.root / "models" / "model.pt"
    model.unlink(missing_ok=True)
    override = "training=quick" if p.answers["hydra"] == "true" else "--epochs 1"
    output = p.task("train-ddp", "--args", override, timeout=900)
    if "Process 1 of 2 loads batches" not in output or not model.is_file():
        raise CheckError(f"invoke train-ddp did not train in two processes:\n{output[-2000:]}")
    return "train-ddp: 2 processes"
