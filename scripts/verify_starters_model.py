"""Checks of the model starters in a generated project, after the pipeline has trained a model:
`invoke export-onnx` (ONNX export compared with PyTorch) and `invoke quantize` (int8 weights)."""

from __future__ import annotations

import re

from verify_shell import CheckError, Project


def check_onnx(p: Project) -> str:
    output = p.task("export-onnx")
    difference = re.search(r"largest logit difference from PyTorch: (\S+)", output)
    if not (p.root / "models" / "model.onnx").is_file() or not difference:
        raise CheckError(f"export-onnx wrote no models/model.onnx or no comparison:\n{output[-2000:]}")
    return f"ONNX logits within {difference.group(1)} of PyTorch's"


def check_quantize(p: Project) -> str:
    output = p.task("quantize")
    size = re.search(r"Size: (\S+ kB -> \S+ kB)", output)
    same = re.search(r"Same class as the float model on ([0-9.]+)%", output)
    if not (p.root / "models" / "model_quantized.pt").is_file() or not size or not same:
        raise CheckError(f"quantize wrote no models/model_quantized.pt or no figures:\n{output[-2000:]}")
    # A trained model keeps its class on nearly every test example once quantised.
    if float(same.group(1)) < 95:
        raise CheckError(f"the quantised model agrees with the float model on only {same.group(1)}%")
    return f"quantised {size.group(1)}, same class on {same.group(1)}%"
