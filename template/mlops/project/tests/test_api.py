"""Tests for the API, through FastAPI's test client."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from {{ package_name }}.api import app


@pytest.fixture
def client(checkpoint_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("MODEL_PATH", str(checkpoint_path))
    with TestClient(app) as test_client:
        yield test_client


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (28, 28), color=128).save(buffer, format="PNG")
    return buffer.getvalue()


def test_health(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_predict_returns_a_class_and_probabilities(client: TestClient) -> None:
    response = client.post("/predict", files={"file": ("shape.png", png_bytes(), "image/png")})
    assert response.status_code == 200
    body = response.json()
    assert set(body["probabilities"]) == {"circle", "cross", "square", "triangle"}
    assert body["label"] in body["probabilities"]
    assert sum(body["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)


def test_predict_rejects_a_file_that_is_not_an_image(client: TestClient) -> None:
    response = client.post("/predict", files={"file": ("notes.txt", b"not an image", "text/plain")})
    assert response.status_code == 400
    assert "could not read 'notes.txt' as an image" in response.json()["detail"]


def test_predict_rejects_an_empty_upload(client: TestClient) -> None:
    response = client.post("/predict", files={"file": ("empty.png", b"", "image/png")})
    assert response.status_code == 400
    assert "empty" in response.json()["detail"]


def test_predict_needs_a_file(client: TestClient) -> None:
    assert client.post("/predict").status_code == 422


def test_startup_without_a_model_names_the_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL_PATH", str(tmp_path / "missing.pt"))
    with pytest.raises(FileNotFoundError, match=r"missing\.pt"), TestClient(app):
        pass
