{%- if data_kind == "image" %}{% set body = 'files={"file": ("input.png", png_of(example), "image/png")}' %}{% elif data_kind == "text" %}{% set body = 'json={"text": example}' %}{% elif data_kind == "tabular" %}{% set body = 'json={"features": example}' %}{% else %}{% set body = 'json={"nodes": example.x.tolist(), "edges": example.edge_index.t().tolist()}' %}{% endif -%}
"""Tests for drift: the statistics on synthetic samples, the report, and the API's records and /drift."""
{% if data_kind == "image" %}
import io
{%- endif %}
import json
from collections.abc import Iterator
from pathlib import Path

{% if data_kind == "image" %}import numpy as np
{% endif %}import pytest
from fastapi.testclient import TestClient
{%- if data_kind == "image" %}
from PIL import Image
{%- endif %}

from {{ package_name }}.api import app
from {{ package_name }}.data import load_meta
from {{ package_name }}.drift import MIN_SAMPLE, build_reference, compare, write_report
from {{ package_name }}.drift_features import InputSummary, sample


@pytest.fixture(scope="module")
def reference(raw_dir: Path, processed_dir: Path) -> list[dict]:
    return build_reference(raw_dir, processed_dir)


def summaries(processed_dir: Path, shifted: bool, count: int = 100) -> list[dict]:
    meta = load_meta(processed_dir)
    summarize = InputSummary(meta)
    return [summarize(example) for example in sample(count, seed=7, shifted=shifted, meta=meta)]


def test_a_sample_like_the_training_data_has_not_drifted(reference: list[dict], processed_dir: Path) -> None:
    result = compare(reference, summaries(processed_dir, shifted=False))
    assert not result["drifted"], result["columns"]


def test_a_shifted_sample_has_drifted(reference: list[dict], processed_dir: Path) -> None:
    result = compare(reference, summaries(processed_dir, shifted=True))
    assert result["drifted"]
    assert result["drifted_columns"]


def test_too_few_inputs_are_refused(reference: list[dict], processed_dir: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        compare(reference, summaries(processed_dir, shifted=True, count=MIN_SAMPLE - 1))


def test_the_report_is_written_as_json_and_html(reference: list[dict], processed_dir: Path, tmp_path: Path) -> None:
    path = write_report(compare(reference, summaries(processed_dir, shifted=True)), tmp_path, "test")
    assert json.loads(path.read_text())["drifted"] is True
    assert "Drift detected" in (tmp_path / "report.html").read_text()
{%- if data_kind == "image" %}


def png_of(image) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray((image[0].numpy() * 255).clip(0, 255).astype(np.uint8)).save(buffer, format="PNG")
    return buffer.getvalue()
{%- endif %}


@pytest.fixture
def client(
    checkpoint_path: Path, reference: list[dict], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    reference_path = tmp_path / "reference.json"
    reference_path.write_text(json.dumps(reference))
    monkeypatch.setenv("MODEL_PATH", str(checkpoint_path))
    monkeypatch.setenv("MONITORING_DIR", str(tmp_path / "monitoring"))
    monkeypatch.setenv("DRIFT_REFERENCE", str(reference_path))
    with TestClient(app) as test_client:
        yield test_client


def post(client: TestClient, processed_dir: Path, shifted: bool, count: int) -> None:
    for example in sample(count, seed=11, shifted=shifted, meta=load_meta(processed_dir)):
        response = client.post("/predict", {{ body }})
        assert response.status_code == 200, response.text


def test_the_api_records_every_answered_request(client: TestClient, processed_dir: Path, tmp_path: Path) -> None:
    post(client, processed_dir, shifted=False, count=3)
    lines = (tmp_path / "monitoring" / "predictions.jsonl").read_text().splitlines()
    assert len(lines) == 3
    record = json.loads(lines[0])
    assert set(record) == {"time", "input", "prediction", "probability"}
    assert record["prediction"] in load_meta(processed_dir)["classes"]


def test_drift_needs_enough_records(client: TestClient, processed_dir: Path) -> None:
    post(client, processed_dir, shifted=True, count=2)
    response = client.get("/drift")
    assert response.status_code == 409
    assert "at least" in response.json()["detail"]


def test_drift_reports_shifted_requests_as_drifted(client: TestClient, processed_dir: Path) -> None:
    post(client, processed_dir, shifted=True, count=MIN_SAMPLE + 10)
    response = client.get("/drift")
    assert response.status_code == 200
    body = response.json()
    assert body["drifted"] is True
    assert body["current_size"] == MIN_SAMPLE + 10
    assert sum(body["predictions"].values()) == MIN_SAMPLE + 10


def test_drift_without_a_reference_says_how_to_make_one(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DRIFT_REFERENCE", str(tmp_path / "missing.json"))
    response = client.get("/drift")
    assert response.status_code == 503
    assert "invoke drift-reference" in response.json()["detail"]
