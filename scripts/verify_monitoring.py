"""Run the monitoring starters' offline parts for real: the drift report on a same-distribution and
on a shifted sample, and the gcloud commands `invoke monitoring` prints.

Called after the pipeline, so the trained model and data/processed/ exist.
"""

from __future__ import annotations

import json

from verify_shell import CheckError, Project


def drift_verdict(p: Project, sample: str) -> dict:
    p.task("drift-report", "--sample", sample, timeout=600)
    return json.loads((p.root / "reports" / "drift" / "report.json").read_text())


def check_drift(p: Project) -> str:
    same, shifted = drift_verdict(p, "same"), drift_verdict(p, "shifted")
    if same["drifted"] or not shifted["drifted"]:
        raise CheckError(f"drift report: same sample drifted={same['drifted']}, shifted={shifted['drifted']}")
    return f"drift: shifted sample drifted in {', '.join(shifted['drifted_columns'])}; same sample did not"


def check_monitoring(p: Project) -> str:
    output = p.task("monitoring", "--project", "demo-project", "--email", "team@example.org")
    if "--policy-from-file=monitoring/alert-policy.yaml" not in output or "--project=demo-project" not in output:
        raise CheckError(f"invoke monitoring did not print the gcloud commands:\n{output[-1500:]}")
    return "monitoring: gcloud commands printed"
