"""Tests for the API, through FastAPI's test client."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from {{ package_name }}.api import app
from {{ package_name }}.data import TOPICS


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
    response = client.post("/predict", json={"text": "the referee gave a late penalty"})
    assert response.status_code == 200
    body = response.json()
    assert set(body["probabilities"]) == set(TOPICS)
    assert body["label"] in body["probabilities"]
    assert sum(body["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)


def test_words_never_seen_in_training_still_get_a_prediction(client: TestClient) -> None:
    response = client.post("/predict", json={"text": "zyxxy quorble " * 40})
    assert response.status_code == 200


def test_a_text_without_words_still_gets_a_prediction(client: TestClient) -> None:
    response = client.post("/predict", json={"text": "?!"})
    assert response.status_code == 200
    assert sum(response.json()["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)


def test_predict_rejects_an_empty_text(client: TestClient) -> None:
    response = client.post("/predict", json={"text": "   "})
    assert response.status_code == 400
    assert "the text is empty" in response.json()["detail"]


@pytest.mark.parametrize("body", [{}, {"message": "hi"}, {"text": ["a", "list"]}])
def test_predict_needs_a_text_field(client: TestClient, body: dict) -> None:
    assert client.post("/predict", json=body).status_code == 422


def test_startup_without_a_model_names_the_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL_PATH", str(tmp_path / "missing.pt"))
    with pytest.raises(FileNotFoundError, match=r"missing\.pt"), TestClient(app):
        pass
