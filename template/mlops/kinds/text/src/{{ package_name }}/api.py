"""A FastAPI service that classifies texts with the trained model.

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
{% endif %}from {{ package_name }}.data import encode, load_tokenizer
{%- if metrics %}
from {{ package_name }}.metrics import instrument, record_prediction
{%- endif %}
from {{ package_name }}.model import load_checkpoint
{%- if onnx %}
from {{ package_name }}.onnx_model import OnnxClassifier
{%- endif %}

DEFAULT_MODEL_PATH = Path("models/model.pt")


class Message(BaseModel):
    """The text to classify."""

    text: str


class Prediction(BaseModel):
    """The predicted class and the probability of every class."""

    label: str
    probabilities: dict[str, float]


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Load the model and its tokenizer once when the server starts."""
    model, checkpoint = load_checkpoint(Path(os.environ.get("MODEL_PATH", DEFAULT_MODEL_PATH)))
{%- if onnx %}
    if os.environ.get("ONNX_MODEL_PATH"):
        # Serve the exported model with onnxruntime; the checkpoint still says what the classes are.
        model = OnnxClassifier(Path(os.environ["ONNX_MODEL_PATH"]), like=model)
{%- endif %}
    app.state.model = model
    app.state.checkpoint = checkpoint
    app.state.tokenizer = load_tokenizer(checkpoint["tokenizer"])
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


@app.post("/predict")
def predict(request: Request, message: Message) -> Prediction:
    """Classify the text sent as JSON: ``{"text": "..."}``."""
    if not message.text.strip():
        raise HTTPException(status_code=400, detail='the text is empty: send {"text": "..."} with some words in it')
    model = request.app.state.model
    tokens = encode(request.app.state.tokenizer, [message.text], model.max_length)
    with torch.inference_mode():
        probabilities = model(tokens).softmax(dim=1)[0].tolist()
    classes = request.app.state.checkpoint["classes"]
    best = max(range(len(classes)), key=probabilities.__getitem__)
{%- if drift %}
    drift_service.record(request, message.text, classes[best], probabilities[best])
{%- endif %}
{%- if metrics %}
    record_prediction(classes[best], probabilities[best])
{%- endif %}
    return Prediction(label=classes[best], probabilities=dict(zip(classes, probabilities, strict=True)))
