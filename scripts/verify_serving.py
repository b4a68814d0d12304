"""Run the serving starters for real against the project's API under uvicorn: `invoke load-test`
(its CSV report must show requests to both endpoints and no failure), and /metrics after a
/predict (the counters and the predicted label must be there).

Called after the pipeline, with the API served (``Project.api``).
"""

from __future__ import annotations

import csv
import re
import shutil
import urllib.request

from api_server import post
from verify_kinds import api_requests
from verify_shell import CheckError, Project


def check_load_test(p: Project) -> str:
    report = p.root / "reports" / "load_test"
    shutil.rmtree(report, ignore_errors=True)
    # 60 requests, with the run time as the upper bound only (a short one can end before the
    # first request on a busy machine, locust's clock having counted its own start).
    options = ["--host", p.api, "--users", "3", "--spawn-rate", "3", "--run-time", "60s"]
    p.task("load-test", *options, timeout=300, LOAD_TEST_MAX_REQUESTS="60")
    stats = report / "load_stats.csv"
    if not stats.is_file() or not (report / "report.html").is_file():
        raise CheckError(f"invoke load-test wrote no load_stats.csv and report.html in {report}")
    with stats.open(newline="", encoding="utf-8") as file:
        rows = {row["Name"]: row for row in csv.DictReader(file)}
    counts = {name: int(rows[name]["Request Count"]) if name in rows else 0 for name in ("/health", "/predict")}
    failures = int(rows.get("Aggregated", {}).get("Failure Count", "-1"))
    if min(counts.values()) == 0 or failures != 0:
        raise CheckError(f"load test: requests {counts}, failures {failures}:\n{stats.read_text()[-1500:]}")
    median = rows["/predict"]["Median Response Time"]
    return f"load-test: {counts['/health']} /health, {counts['/predict']} /predict, 0 failed; median {median} ms"


def sample(text: str, name: str, labels: str) -> float:
    """The value of the sample ``name{labels}`` in Prometheus's text format (0 when it is not there)."""
    found = re.search(rf"^{re.escape(name)}\{{{re.escape(labels)}\}} (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def scrape(base: str) -> tuple[str, str]:
    """The content type and the text /metrics answers."""
    with urllib.request.urlopen(f"{base}/metrics", timeout=30) as response:
        return response.headers.get("Content-Type", ""), response.read().decode()


def check_metrics(p: Project) -> str:
    """One /predict moves the request counter of POST /predict and the predictions of its label by exactly 1."""
    good, _, _ = api_requests(p.root, p.answers["data_kind"])
    _, before = scrape(p.api)
    status, body = post(f"{p.api}/predict", good)
    if status != 200:
        raise CheckError(f"/predict of {good.what} answered {status} {body}")
    kind, after = scrape(p.api)
    label = f'label="{body["label"]}"'
    route = 'method="POST",route="/predict",status="200"'
    predicted = sample(after, "predictions_total", label) - sample(before, "predictions_total", label)
    answered = sample(after, "http_requests_total", route) - sample(before, "http_requests_total", route)
    if not kind.startswith("text/plain") or predicted != 1 or answered != 1:
        raise CheckError(
            f"/metrics ({kind}) after one /predict of {body['label']}: predictions_total moved by {predicted}, "
            f"POST /predict 200 by {answered}:\n{after[:1500]}"
        )
    total = sample(after, "http_requests_total", route)
    return f"/metrics: one /predict ({body['label']}) counted once; {total:.0f} POST /predict answered in all"
