"""Run the serving starters for real against the project's API under uvicorn: `invoke load-test` for a
few seconds (its CSV report must show requests to both endpoints and no failure), and /metrics after
a /predict (the counters and the predicted label must be there).

Called after the pipeline, so the trained model and data/raw/ exist.
"""

from __future__ import annotations

import csv
import re
import shutil
import urllib.request
from pathlib import Path

from api_server import post, served_api
from verify_kinds import api_requests
from verify_shell import CheckError, invoke_command, project_env, run

# The test module each serving starter ships; check_tests requires a passing test in each.
STARTER_TESTS = {"load_test": "test_load", "metrics": "test_metrics"}


def on(answers: dict[str, str], starter: str) -> bool:
    """Whether a serving starter is in the project: it is asked, and has files, only with the API."""
    return answers.get("api") == "true" and answers.get(starter) == "true"


def enabled(answers: dict[str, str]) -> bool:
    return any(on(answers, name) for name in STARTER_TESTS)


def starter_tests(answers: dict[str, str]) -> list[str]:
    """The starters' test modules that must pass in a project with these answers."""
    return [module for starter, module in STARTER_TESTS.items() if on(answers, starter)]


def expected_files(opt: dict[str, str]) -> dict[str, bool]:
    """The files only the serving starters put in place, and whether this project must have each."""
    return {
        "tests/load/locustfile.py": on(opt, "load_test"),
        "tests/test_load.py": on(opt, "load_test"),
        f"src/{opt['package_name']}/metrics.py": on(opt, "metrics"),
        "tests/test_metrics.py": on(opt, "metrics"),
    }


def check_load_test(project: Path, bin_dir: Path, answers: dict[str, str], tools: Path, base: str) -> str:
    report = project / "reports" / "load_test"
    shutil.rmtree(report, ignore_errors=True)
    invoke = invoke_command(bin_dir, answers["dependency_manager"], tools)
    # 60 requests, with the run time as the upper bound only (a short one can end before the
    # first request on a busy machine, locust's clock having counted its own start).
    options = ["--host", base, "--users", "3", "--spawn-rate", "3", "--run-time", "60s"]
    env = {**project_env(bin_dir), "LOAD_TEST_MAX_REQUESTS": "60"}
    run([*invoke, "load-test", *options], cwd=project, env=env, timeout=300)
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


def check_metrics(project: Path, answers: dict[str, str], base: str) -> str:
    """One /predict moves the request counter of POST /predict and the predictions of its label by exactly 1."""
    good, _, _ = api_requests(project, answers["data_kind"])
    _, before = scrape(base)
    status, body = post(f"{base}/predict", good)
    if status != 200:
        raise CheckError(f"/predict of {good.what} answered {status} {body}")
    kind, after = scrape(base)
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


def check_serving_starters(project: Path, bin_dir: Path, answers: dict[str, str], tools: Path) -> str:
    done = []
    with served_api(project, bin_dir, answers["package_name"]) as base:
        if on(answers, "load_test"):
            done.append(check_load_test(project, bin_dir, answers, tools, base))
        if on(answers, "metrics"):
            done.append(check_metrics(project, answers, base))
    return "; ".join(done)
