"""Checks of the model starters in a generated project, after the pipeline has trained a model:
`invoke export-onnx` (ONNX export compared with PyTorch) and `invoke quantize` (int8 weights)."""

from __future__ import annotations

import re
from pathlib import Path

from verify_shell import CheckError, invoke_command, project_env, run

# The project's tests of each starter: verify fails if they did not run and pass.
TEST_MODULES = {"onnx": "test_onnx", "quantize": "test_quantize"}
TASKS = {"onnx": "export-onnx", "quantize": "quantize"}


def starters_on(answers: dict[str, str]) -> list[str]:
    """The model starters this project has."""
    return [name for name in TASKS if answers.get(name) == "true"]


def check_model_starters(project: Path, bin_dir: Path, answers: dict[str, str], tools: Path) -> str:
    """Run each starter's task on the trained model and check what it wrote and printed."""
    invoke = invoke_command(bin_dir, answers["dependency_manager"], tools)
    env = project_env(bin_dir)
    models = project / "models"
    found = []
    if "onnx" in starters_on(answers):
        output = run([*invoke, "export-onnx"], cwd=project, env=env)
        difference = re.search(r"largest logit difference from PyTorch: (\S+)", output)
        if not (models / "model.onnx").is_file() or not difference:
            raise CheckError(f"export-onnx wrote no models/model.onnx or no comparison:\n{output[-2000:]}")
        found.append(f"ONNX logits within {difference.group(1)} of PyTorch's")
    if "quantize" in starters_on(answers):
        output = run([*invoke, "quantize"], cwd=project, env=env)
        size = re.search(r"Size: (\S+ kB -> \S+ kB)", output)
        same = re.search(r"Same class as the float model on ([0-9.]+)%", output)
        if not (models / "model_quantized.pt").is_file() or not size or not same:
            raise CheckError(f"quantize wrote no models/model_quantized.pt or no figures:\n{output[-2000:]}")
        # A trained model keeps its class on nearly every test example once quantised.
        if float(same.group(1)) < 95:
            raise CheckError(f"the quantised model agrees with the float model on only {same.group(1)}%")
        found.append(f"quantised {size.group(1)}, same class on {same.group(1)}%")
    return "; ".join(found)
