"""A FastAPI service that classifies rows of features with the trained model.

Run it with ``uvicorn {{ package_name }}.api:app``. The model is loaded once at startup from
``models/model.pt``, or from the file named by the ``MODEL_PATH`` environment variable.
"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import torch
from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel

{% if drift %}from {{ package_name }} import drift_service
{% endif %}from {{ package_name }}.data import encode_rows
{%- if metrics %}
from {{ package_name }}.metrics import instrument, record_prediction
{%- endif %}
from {{ package_name }}.model import load_checkpoint
{%- if onnx %}
from {{ package_name }}.onnx_model import OnnxClassifier
{%- endif %}

DEFAULT_MODEL_PATH = Path("models/model.pt")


class Row(BaseModel):
    """One example: every feature column of the training data, by name."""

    features: dict[str, float | str | None]


class Prediction(BaseModel):
    """The predicted class and the probability of every class."""

    label: str
    probabilities: dict[str, float]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the model once when the server starts."""
    model, checkpoint = load_checkpoint(Path(os.environ.get("MODEL_PATH", DEFAULT_MODEL_PATH)))
{%- if onnx %}
    if os.environ.get("ONNX_MODEL_PATH"):
        # Serve the exported model with onnxruntime; the checkpoint still says what the classes are.
        model = OnnxClassifier(Path(os.environ["ONNX_MODEL_PATH"]), like=model)
{%- endif %}
    app.state.model = model
    app.state.checkpoint = checkpoint
{%- if drift %}
    drift_service.start(app, checkpoint)
{%- endif %}
    yield


app = FastAPI(title="{{ project_name }}", lifespan=lifespan)
{%- if metrics %}
instrument(app)
{%- endif %}
{%- if drift %}
app.include_router(drift_service.router)
{%- endif %}


@app.get("/health")
def health() -> dict[str, str]:
    """Report that the server is up and has a model."""
    return {"status": "ok"}
{%- if frontend %}


@app.get("/features")
def list_features(request: Request) -> dict[str, list]:
    """The features ``/predict`` needs, as the model was trained on them: each number with its mean and
    standard deviation, each category with every value it takes."""
    return request.app.state.checkpoint["features"]
{%- endif %}


@app.post("/predict")
def predict(request: Request, row: Row) -> Prediction:
    """Classify one row sent as JSON: ``{"features": {"column": value, ...}}``."""
    checkpoint = request.app.state.checkpoint
    try:
        features = encode_rows([row.features], checkpoint["features"])
    except ValueError as error:
        raise HTTPException(status_code=400, detail=f"cannot use these features: {error}") from error
    with torch.inference_mode():
        probabilities = request.app.state.model(features).softmax(dim=1)[0].tolist()
    classes = checkpoint["classes"]
    best = max(range(len(classes)), key=probabilities.__getitem__)
{%- if drift %}
    drift_service.record(request, row.features, classes[best], probabilities[best])
{%- endif %}
{%- if metrics %}
    record_prediction(classes[best], probabilities[best])
{%- endif %}
    return Prediction(label=classes[best], probabilities=dict(zip(classes, probabilities, strict=True)))
