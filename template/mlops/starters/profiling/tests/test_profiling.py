"""Tests for the profiling task: it trains for real and its files name the training code."""

import json
import pstats
from pathlib import Path

from {{ package_name }}.profiling import TRACE_RANGE, profile_training

# What cProfile must have seen: the step training repeats, which runs inside every other training
# function, so a profile that names it saw training. torch.profiler's trace holds the operators.
TRAINING_FUNCTIONS = ("{% if training == "lightning" %}training_step{% else %}train_step{% endif %}",)


def test_profiling_writes_a_summary_and_a_trace_of_the_training_functions(processed_dir: Path, tmp_path: Path) -> None:
    output_dir = tmp_path / "profiling"
    written = profile_training(output_dir, processed_dir, epochs=1)

    assert sorted(path.name for path in written) == ["ops.txt", "trace.json", "train.pstats", "train.txt"]
    profiled = {name for _, _, name in pstats.Stats(str(output_dir / "train.pstats")).stats}  # type: ignore[attr-defined]
    summary = (output_dir / "train.txt").read_text()
    for function in TRAINING_FUNCTIONS:
        assert function in profiled
        assert f"({function})" in summary
    events = json.loads((output_dir / "trace.json").read_text())["traceEvents"]
    names = " ".join(str(event.get("name", "")) for event in events)
    assert TRACE_RANGE in names
    assert "aten::" in names
    assert "aten::" in (output_dir / "ops.txt").read_text()
    assert (output_dir / "model.pt").is_file()
