"""Checks of the cloud starters (data and registry workflows, Cloud Run, Vertex AI) in a generated
project, beyond their pytest files: their files exist exactly when they are on, and their offline
parts run for real after the pipeline trained a model."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from verify_shell import CheckError, invoke_command, project_env, run

FEATURES = ("data_workflow", "registry_workflow", "cloud_run", "vertex")


def expected_files(opt: dict[str, str]) -> dict[str, bool]:
    """The files each cloud starter adds, and whether this project should have them."""
    on = {name: opt.get(name) == "true" for name in FEATURES}
    pkg = opt["package_name"]
    return {
        ".github/workflows/data.yaml": on["data_workflow"],
        f"src/{pkg}/data_summary.py": on["data_workflow"],
        "tests/test_data_workflow.py": on["data_workflow"],
        ".github/workflows/registry.yaml": on["registry_workflow"],
        "tests/test_registry_workflow.py": on["registry_workflow"],
        ".github/workflows/deploy.yaml": on["cloud_run"],
        "tests/test_cloud_run.py": on["cloud_run"],
        "configs/vertex_job.yaml": on["vertex"],
        "tests/test_vertex.py": on["vertex"],
        "docs/cloud.md": any(on.values()),
    }


def test_modules(opt: dict[str, str]) -> list[str]:
    """The pytest modules of the cloud starters that are on: each must have passing tests."""
    return [
        Path(path).stem
        for path, wanted in expected_files(opt).items()
        if wanted and path.startswith("tests/")
    ]


def dry_run(
    invoke: list[str], task: str, project: Path, env: dict[str, str]
) -> list[str]:
    output = run(
        [*invoke, task, "--dry-run", "--project", "verify-project"],
        cwd=project,
        env=env,
    )
    return shlex.split(re.sub(r"\x1b\[[0-9;]*m", "", output).strip().splitlines()[-1])


def check_cloud(project: Path, bin_dir: Path, opt: dict[str, str], tools: Path) -> str:
    """After the pipeline: the tasks build their gcloud commands, the data summary counts the
    processed data, and the registry checks pass on the model training wrote."""
    env = project_env(bin_dir)
    invoke = invoke_command(bin_dir, opt["dependency_manager"], tools)
    python = str(bin_dir / "python")
    done = []
    if opt.get("cloud_run") == "true":
        command = dry_run(invoke, "deploy", project, env)
        port = re.search(
            r"^EXPOSE (\d+)$",
            (project / "dockerfiles" / "api.dockerfile").read_text(),
            re.MULTILINE,
        )
        if (
            command[:3] != ["gcloud", "run", "deploy"]
            or not port
            or f"--port={port.group(1)}" not in command
        ):
            raise CheckError(f"invoke deploy --dry-run printed {command}")
        done.append("deploy")
    if opt.get("vertex") == "true":
        command = dry_run(invoke, "vertex-train", project, env)
        config = Path(
            next(
                (w for w in command if w.startswith("--config=")), "--config="
            ).removeprefix("--config=")
        )
        if (
            command[:4] != ["gcloud", "ai", "custom-jobs", "create"]
            or "verify-project/" not in config.read_text()
        ):
            raise CheckError(f"invoke vertex-train --dry-run printed {command}")
        done.append("vertex-train")
    if opt.get("data_workflow") == "true":
        summary = run(
            [python, "-m", f"{opt['package_name']}.data_summary"], cwd=project, env=env
        )
        if "| **total** |" not in summary:
            raise CheckError(f"data_summary printed no table:\n{summary}")
        done.append("data summary")
    if opt.get("registry_workflow") == "true":
        # What the registry workflow does once it has fetched a model: the trained one stands in.
        candidate = dict(
            env, CANDIDATE_MODEL="models/model.pt", CANDIDATE_DATA="data/processed"
        )
        run(
            [
                python,
                "-m",
                "pytest",
                "-q",
                "-p",
                "no:cacheprovider",
                "tests/test_registry_workflow.py",
            ],
            cwd=project,
            env=candidate,
        )
        done.append("registry checks on the trained model")
    return ", ".join(done)


def enabled(opt: dict[str, str]) -> bool:
    return any(opt.get(name) == "true" for name in FEATURES)
