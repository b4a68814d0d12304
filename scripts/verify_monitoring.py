"""Run the monitoring starters' offline parts for real: the drift report on a same-distribution and
on a shifted sample, and the gcloud commands `invoke monitoring` prints.

Called after the pipeline, so the trained model and data/processed/ exist.
"""

from __future__ import annotations

import json
from pathlib import Path

from verify_shell import CheckError, invoke_command, project_env, run

# The test module each monitoring starter ships; check_tests requires a passing test in each.
STARTER_TESTS = {"drift": "test_drift", "monitoring": "test_monitoring"}


def enabled(answers: dict[str, str]) -> bool:
    return any(answers.get(name) == "true" for name in STARTER_TESTS)


def starter_tests(answers: dict[str, str]) -> list[str]:
    """The starters' test modules that must pass in a project with these answers."""
    return [module for starter, module in STARTER_TESTS.items() if answers.get(starter) == "true"]


def drift_verdict(project: Path, invoke: list[str], env: dict[str, str], sample: str) -> dict:
    run([*invoke, "drift-report", "--sample", sample], cwd=project, env=env, timeout=600)
    return json.loads((project / "reports" / "drift" / "report.json").read_text())


def check_monitoring_starters(project: Path, bin_dir: Path, answers: dict[str, str], tools: Path) -> str:
    env = project_env(bin_dir)
    invoke = invoke_command(bin_dir, answers["dependency_manager"], tools)
    done = []
    if answers.get("drift") == "true" and answers["api"] == "true":
        same = drift_verdict(project, invoke, env, "same")
        shifted = drift_verdict(project, invoke, env, "shifted")
        if same["drifted"] or not shifted["drifted"]:
            raise CheckError(f"drift report: same sample drifted={same['drifted']}, shifted={shifted['drifted']}")
        done.append(f"drift: shifted sample drifted in {', '.join(shifted['drifted_columns'])}; same sample did not")
    if answers.get("monitoring") == "true":
        output = run([*invoke, "monitoring", "--project", "demo-project", "--email", "team@example.org"], cwd=project, env=env)
        if "--policy-from-file=monitoring/alert-policy.yaml" not in output or "--project=demo-project" not in output:
            raise CheckError(f"invoke monitoring did not print the gcloud commands:\n{output[-1500:]}")
        done.append("monitoring: gcloud commands printed")
    return "; ".join(done)
