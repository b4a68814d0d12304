"""A short load test: the API served by uvicorn on a free port, and tests/load/locustfile.py run against it.

It checks that the locustfile works with the API as it is (both endpoints called, no request failed),
not how fast the API is: timings on a shared test machine say little. Measure those with
``{% if dependency_manager == "uv" %}uv run {% endif %}invoke load-test`` against the served or deployed API.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

APP = "{{ package_name }}.api:app"
LOCUSTFILE = Path(__file__).parent / "load" / "locustfile.py"
# Two users and 20 requests: both endpoints are called, and the test is quick. The run time is
# only the upper bound: locust's clock can count the seconds its start took (importing torch on a
# busy machine) as part of the run, so a short one may end before any request was made.
USERS, MAX_REQUESTS, RUN_TIME = 2, 20, "60s"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_healthy(url: str, server: subprocess.Popen, log: Path, seconds: float = 120) -> None:
    """Poll /health until the server answers; fail with its log if it exits or takes too long."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"the API did not come up at {url}:\n{log.read_text()[-3000:]}")
        time.sleep(0.2)


@pytest.fixture
def served_api(checkpoint_path: Path, tmp_path: Path) -> Iterator[str]:
    """The API under uvicorn with the test checkpoint; stopped after the test, whatever happened."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "uvicorn.log"
    env = {**os.environ, "MODEL_PATH": str(checkpoint_path)}
    command = [sys.executable, "-m", "uvicorn", APP, "--host", "127.0.0.1", "--port", str(port)]
    with log.open("w") as output:
        server = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    try:
        wait_until_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_a_short_load_test_calls_both_endpoints_without_a_failure(served_api: str, tmp_path: Path) -> None:
    command = [
        sys.executable,
        "-m",
        "locust",
        "--locustfile",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        served_api,
        "--users",
        str(USERS),
        "--spawn-rate",
        str(USERS),
        "--run-time",
        RUN_TIME,
        "--stop-timeout",
        "2",
        # The final numbers (the CSV files are written once a second, so they can lag behind).
        "--json-file",
        str(tmp_path / "stats"),
    ]
    env = {**os.environ, "LOAD_TEST_MAX_REQUESTS": str(MAX_REQUESTS)}
    finished = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False, env=env)
    output = f"{finished.stdout[-2000:]}\n{finished.stderr[-3000:]}"
    assert (tmp_path / "stats.json").is_file(), output
    stats = {entry["name"]: entry for entry in json.loads((tmp_path / "stats.json").read_text())}
    for endpoint in ("/health", "/predict"):
        assert endpoint in stats, output
        assert stats[endpoint]["num_requests"] > 0, stats[endpoint]
        assert stats[endpoint]["num_failures"] == 0, output
    # Locust exits with 1 when a request failed or a user raised.
    assert finished.returncode == 0, output
