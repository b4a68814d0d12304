{%- if data_kind == "text" %}{% set examples = "texts" %}{% elif data_kind == "tabular" %}{% set examples = "rows" %}{% elif data_kind == "graph" %}{% set examples = "graphs" %}{% else %}{% set examples = "images" %}{% endif -%}
"""The ONNX export: onnxruntime must give the class scores PyTorch gives, on real {{ examples }}."""

{% if api and data_kind == "image" -%}
import io
{% endif -%}
from pathlib import Path

{% if api and data_kind in ["image", "tabular"] -%}
import numpy as np
{% endif -%}
import pytest
{% if api -%}
from fastapi.testclient import TestClient
{% endif %}
{% if api -%}
from {{ package_name }}.api import app
{% endif -%}
from {{ package_name }}.batches import load_batch
{%- if api and data_kind == "image" %}
from {{ package_name }}.data import draw_shape
{%- elif api and data_kind == "tabular" %}
from {{ package_name }}.data import FAULTS, LABEL, make_reading
{%- elif api and data_kind == "graph" %}
from {{ package_name }}.data import shape_edges
{%- endif %}
from {{ package_name }}.model import load_checkpoint
from {{ package_name }}.onnx_model import TOLERANCE, OnnxClassifier, export, largest_difference


@pytest.fixture(scope="module")
def onnx_path(checkpoint_path: Path, processed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture checkpoint exported to ONNX, traced on the test split."""
    model, _ = load_checkpoint(checkpoint_path)
    return export(model, load_batch("test", processed_dir), tmp_path_factory.mktemp("onnx") / "model.onnx")


def test_onnxruntime_gives_the_scores_pytorch_gives(
    checkpoint_path: Path, processed_dir: Path, onnx_path: Path
) -> None:
    model, checkpoint = load_checkpoint(checkpoint_path)
    # The train split: another batch, of another size, than the one the export was traced on.
    batch = load_batch("train", processed_dir)
    exported = OnnxClassifier(onnx_path)
    assert exported(batch).shape == (len(batch{% if data_kind == "graph" %}.to_data_list(){% endif %}), len(checkpoint["classes"]))
    assert largest_difference(model, exported, batch) < TOLERANCE


def test_a_missing_onnx_file_names_the_task(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke export-onnx"):
        OnnxClassifier(tmp_path / "model.onnx")
{%- if api %}


def request_body() -> dict:
    """One example as the API's /predict takes it."""
{%- if data_kind == "image" %}
    buffer = io.BytesIO()
    draw_shape("circle", np.random.default_rng(0)).save(buffer, format="PNG")
    return {"files": {"file": ("circle.png", buffer.getvalue(), "image/png")}}
{%- elif data_kind == "text" %}
    return {"json": {"text": "the referee gave a late penalty"}}
{%- elif data_kind == "tabular" %}
    reading = make_reading(next(iter(FAULTS)), np.random.default_rng(0))
    return {"json": {"features": {name: value for name, value in reading.items() if name != LABEL}}}
{%- else %}
    return {"json": {"nodes": [[1.0, 0.2, -0.4]] * 6, "edges": shape_edges("star", 6)}}
{%- endif %}


def predict(monkeypatch: pytest.MonkeyPatch, **environment: str) -> tuple[object, dict]:
    """Start the API with ``environment`` set; return the model it loaded and its answer to one example."""
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with TestClient(app) as client:
        response = client.post("/predict", **request_body())
        assert response.status_code == 200, response.text
        return client.app.state.model, response.json()


def test_the_api_serves_the_onnx_model_when_told_to(
    checkpoint_path: Path, onnx_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ONNX_MODEL_PATH", raising=False)
    _, from_torch = predict(monkeypatch, MODEL_PATH=str(checkpoint_path))
    model, from_onnx = predict(monkeypatch, ONNX_MODEL_PATH=str(onnx_path))
    assert isinstance(model, OnnxClassifier)
    assert from_onnx["label"] == from_torch["label"]
    assert from_onnx["probabilities"] == pytest.approx(from_torch["probabilities"], abs=TOLERANCE)
{%- endif %}
