{%- if data_kind == "image" %}{% set good = 'files={"file": ("shape.png", png_bytes(), "image/png")}' %}{% set bad = 'files={"file": ("empty.png", b"", "image/png")}' %}{% elif data_kind == "text" %}{% set good = 'json={"text": "the referee gave a late penalty"}' %}{% set bad = 'json={"text": "   "}' %}{% elif data_kind == "tabular" %}{% set good = 'json={"features": READING}' %}{% set bad = 'json={"features": {**READING, "site": "moon"}}' %}{% else %}{% set good = "json=STAR" %}{% set bad = 'json={**STAR, "edges": [[0, 9]]}' %}{% endif -%}
"""Tests for the API's metrics: GET /metrics in Prometheus's text format, and counters that follow the requests."""
{% if data_kind == "image" %}
import io
{%- endif %}
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
{%- if data_kind == "image" %}
from PIL import Image
{%- endif %}
from prometheus_client.parser import text_string_to_metric_families

from {{ package_name }}.api import app
{%- if data_kind == "graph" %}
from {{ package_name }}.data import shape_edges
{%- endif %}

Samples = dict[tuple[str, frozenset], float]
{%- if data_kind == "tabular" %}

READING = {"temperature": 81.5, "vibration": 2.1, "pressure": 5.2, "speed": 1490, "age_years": 4, "site": "south"}
{%- elif data_kind == "graph" %}

STAR = {"nodes": [[1.0, 0.2, -0.4]] * 6, "edges": shape_edges("star", 6)}
{%- endif %}


@pytest.fixture
def client(checkpoint_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("MODEL_PATH", str(checkpoint_path))
    with TestClient(app) as test_client:
        yield test_client
{%- if data_kind == "image" %}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (28, 28), color=128).save(buffer, format="PNG")
    return buffer.getvalue()
{%- endif %}


def scrape(client: TestClient) -> Samples:
    """Every sample /metrics reports, by name and labels."""
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


def moved(before: Samples, after: Samples, name: str, **labels: str) -> float:
    """How much one sample grew between two scrapes (a sample not there yet counts as 0)."""
    key = (name, frozenset(labels.items()))
    return after.get(key, 0.0) - before.get(key, 0.0)


def predictions(samples: Samples) -> float:
    return sum(value for (name, _), value in samples.items() if name == "predictions_total")


def test_a_prediction_is_counted_timed_and_labelled(client: TestClient) -> None:
    before = scrape(client)
    response = client.post("/predict", {{ good }})
    assert response.status_code == 200
    label = response.json()["label"]
    after = scrape(client)
    assert moved(before, after, "http_requests_total", method="POST", route="/predict", status="200") == 1
    assert moved(before, after, "http_request_duration_seconds_count", method="POST", route="/predict") == 1
    assert moved(before, after, "http_request_duration_seconds_sum", method="POST", route="/predict") > 0
    assert moved(before, after, "predictions_total", label=label) == 1
    assert predictions(after) - predictions(before) == 1
    assert moved(before, after, "prediction_confidence_count") == 1


def test_a_refused_request_is_counted_by_its_status_and_predicts_nothing(client: TestClient) -> None:
    before = scrape(client)
    assert client.post("/predict", {{ bad }}).status_code == 400
    after = scrape(client)
    assert moved(before, after, "http_requests_total", method="POST", route="/predict", status="400") == 1
    assert moved(before, after, "http_requests_total", method="POST", route="/predict", status="200") == 0
    assert predictions(after) == predictions(before)


def test_paths_the_api_does_not_serve_share_one_label(client: TestClient) -> None:
    before = scrape(client)
    assert client.get("/no-such-page").status_code == 404
    assert client.get("/another-one").status_code == 404
    after = scrape(client)
    assert moved(before, after, "http_requests_total", method="GET", route="unmatched", status="404") == 2
    assert not any("no-such-page" in str(labels) for _, labels in after)


def test_scrapes_and_health_checks_are_counted_too(client: TestClient) -> None:
    before = scrape(client)
    client.get("/health")
    after = scrape(client)
    assert moved(before, after, "http_requests_total", method="GET", route="/health", status="200") == 1
    # The scrape that read `before` was answered, and so counted, before `after` was read.
    assert moved(before, after, "http_requests_total", method="GET", route="/metrics", status="200") == 1


@pytest.mark.skipif(sys.platform != "linux", reason="prometheus-client reads the process's numbers from /proc")
def test_the_process_cpu_time_and_memory_are_reported(client: TestClient) -> None:
    samples = scrape(client)
    assert samples[("process_resident_memory_bytes", frozenset())] > 0
    assert ("process_cpu_seconds_total", frozenset()) in samples
