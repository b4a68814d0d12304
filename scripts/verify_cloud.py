"""Run the cloud starters' offline parts (data and registry workflows, Cloud Run, Vertex AI) after
the pipeline trained a model: the tasks build their gcloud commands, the data summary counts the
processed data, and the registry checks pass on the model training wrote."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from verify_shell import CheckError, Project


def dry_run(p: Project, task: str) -> list[str]:
    """The command `invoke TASK --dry-run` prints (its last line), split as a shell would."""
    output = p.task(task, "--dry-run", "--project", "verify-project")
    return shlex.split(re.sub(r"\x1b\[[0-9;]*m", "", output).strip().splitlines()[-1])


def check_deploy(p: Project) -> str:
    command = dry_run(p, "deploy")
    port = re.search(r"^EXPOSE (\d+)$", (p.root / "dockerfiles" / "api.dockerfile").read_text(), re.MULTILINE)
    if command[:3] != ["gcloud", "run", "deploy"] or not port or f"--port={port.group(1)}" not in command:
        raise CheckError(f"invoke deploy --dry-run printed {command}")
    return "deploy: gcloud run deploy on the API image's port"


def check_vertex(p: Project) -> str:
    command = dry_run(p, "vertex-train")
    config = Path(next((w for w in command if w.startswith("--config=")), "--config=").removeprefix("--config="))
    if command[:4] != ["gcloud", "ai", "custom-jobs", "create"] or "verify-project/" not in config.read_text():
        raise CheckError(f"invoke vertex-train --dry-run printed {command}")
    return "vertex-train: gcloud ai custom-jobs create with the job config"


def check_data_summary(p: Project) -> str:
    summary = p.run([str(p.bin_dir / "python"), "-m", f"{p.answers['package_name']}.data_summary"])
    if "| **total** |" not in summary:
        raise CheckError(f"data_summary printed no table:\n{summary}")
    return "data summary table"


def check_registry(p: Project) -> str:
    """What the registry workflow does once it has fetched a model: the trained one stands in."""
    p.run(
        [str(p.bin_dir / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_registry_workflow.py"],
        CANDIDATE_MODEL="models/model.pt",
        CANDIDATE_DATA="data/processed",
    )
    return "registry checks on the trained model"
