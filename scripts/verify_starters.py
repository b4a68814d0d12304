"""The one place a starter's runtime check is registered.

Everything else about a starter the checks read from the template itself: whether it is on (its
question and its layer's condition in template.toml), which files it adds (its layer folder,
template/mlops/starters/NAME/), and which test modules must pass (the `tests/test_*.py` of that
folder). What cannot be read from the template is how to run its offline parts for real, which
is this table. A starter of the manifest with no entry here stops verify_template.py at once, so a
new starter cannot go unchecked; it joins the `everything` combination by itself (and the static
tier's pairwise set), and verify_combos.py places it in more combinations where its behaviour
differs by kind of data or training loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import verify_cloud
import verify_frontend
import verify_monitoring
import verify_serving
import verify_starters_model
import verify_training
from verify_manifest import starters
from verify_shell import Project


@dataclass(frozen=True)
class Runtime:
    """How a starter's offline parts run after the pipeline: a check of the project (which returns
    what it saw), whether it needs the API served (``Project.api``), and the paths its tasks write,
    which git must ignore."""

    check: Callable[[Project], str]
    needs_api: bool = False
    writes: tuple[str, ...] = ()


REGISTRY: dict[str, Runtime] = {
    "data_workflow": Runtime(verify_cloud.check_data_summary),
    "registry_workflow": Runtime(verify_cloud.check_registry),
    "cloud_run": Runtime(verify_cloud.check_deploy),
    "vertex": Runtime(verify_cloud.check_vertex),
    "profiling": Runtime(verify_training.check_profiling, writes=("reports/profiling",)),
    "sweep": Runtime(verify_training.check_sweep, writes=("sweeps/", "multirun/")),
    "distributed": Runtime(verify_training.check_distributed),
    "drift": Runtime(verify_monitoring.check_drift, writes=("reports/drift", "data/monitoring")),
    "monitoring": Runtime(verify_monitoring.check_monitoring),
    "onnx": Runtime(verify_starters_model.check_onnx, writes=("models/",)),
    "quantize": Runtime(verify_starters_model.check_quantize, writes=("models/",)),
    "frontend": Runtime(verify_frontend.check_frontend),
    "load_test": Runtime(verify_serving.check_load_test, needs_api=True, writes=("reports/load_test",)),
    "metrics": Runtime(verify_serving.check_metrics, needs_api=True),
}


def unregistered() -> list[str]:
    """Starters of the manifest without a runtime check here."""
    return [name for name in starters() if name not in REGISTRY]
