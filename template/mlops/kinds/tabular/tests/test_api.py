"""Tests for the API, through FastAPI's test client."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from {{ package_name }}.api import app
from {{ package_name }}.data import FAULTS

READING = {"temperature": 81.5, "vibration": 2.1, "pressure": 5.2, "speed": 1490, "age_years": 4, "site": "south"}


@pytest.fixture
def client(checkpoint_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("MODEL_PATH", str(checkpoint_path))
    with TestClient(app) as test_client:
        yield test_client


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_predict_returns_a_class_and_probabilities(client: TestClient) -> None:
    response = client.post("/predict", json={"features": READING})
    assert response.status_code == 200
    body = response.json()
    assert set(body["probabilities"]) == set(FAULTS)
    assert body["label"] in body["probabilities"]
    assert sum(body["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)


def test_numbers_may_come_as_text_and_may_be_missing(client: TestClient) -> None:
    response = client.post("/predict", json={"features": {**READING, "speed": "1490", "age_years": None}})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("change", "message"),
    [({"site": "moon"}, "'site' cannot be 'moon'"), ({"pressure": "high"}, "'pressure' must be a number")],
)
def test_predict_names_a_bad_feature(client: TestClient, change: dict, message: str) -> None:
    response = client.post("/predict", json={"features": {**READING, **change}})
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_predict_names_a_missing_feature(client: TestClient) -> None:
    reading = {name: value for name, value in READING.items() if name != "vibration"}
    response = client.post("/predict", json={"features": reading})
    assert response.status_code == 400
    assert "missing the feature 'vibration'" in response.json()["detail"]


def test_predict_needs_features(client: TestClient) -> None:
    assert client.post("/predict", json={"temperature": 60}).status_code == 422


def test_startup_without_a_model_names_the_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL_PATH", str(tmp_path / "missing.pt"))
    with pytest.raises(FileNotFoundError, match=r"missing\.pt"), TestClient(app):
        pass
