"""Tests for the API, through FastAPI's test client."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from {{ package_name }}.api import app
from {{ package_name }}.data import SHAPES, shape_edges

STAR = {"nodes": [[1.0, 0.2, -0.4]] * 6, "edges": shape_edges("star", 6)}


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
    response = client.post("/predict", json=STAR)
    assert response.status_code == 200
    body = response.json()
    assert set(body["probabilities"]) == set(SHAPES)
    assert body["label"] in body["probabilities"]
    assert sum(body["probabilities"].values()) == pytest.approx(1.0, abs=1e-5)


def test_a_graph_without_edges_is_a_graph(client: TestClient) -> None:
    assert client.post("/predict", json={"nodes": STAR["nodes"]}).status_code == 200


@pytest.mark.parametrize(
    ("graph", "message"),
    [
        ({"nodes": [[1.0, 0.0]] * 3, "edges": []}, "each node needs 3 features, got 2"),
        ({**STAR, "edges": [[0, 9]]}, "names a node that is not there"),
        ({"nodes": [], "edges": []}, "at least one node"),
    ],
)
def test_predict_says_what_is_wrong_with_a_graph(client: TestClient, graph: dict, message: str) -> None:
    response = client.post("/predict", json=graph)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_predict_needs_nodes(client: TestClient) -> None:
    assert client.post("/predict", json={"edges": [[0, 1]]}).status_code == 422


def test_startup_without_a_model_names_the_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODEL_PATH", str(tmp_path / "missing.pt"))
    with pytest.raises(FileNotFoundError, match=r"missing\.pt"), TestClient(app):
        pass
