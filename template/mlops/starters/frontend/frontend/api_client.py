"""What the Streamlit page sends to the API and how it reads the answer, as plain functions.

The page (``app.py``) only draws; building the request for one input, sending it to ``POST /predict``
and turning the answer, or the lack of one, into something to show all happen here, so the tests
call them without a browser. The API's address is the ``API_URL`` environment variable (default
http://127.0.0.1:8000).
"""
{% if data_kind == "graph" %}
import json
{%- endif %}
import os
from dataclasses import dataclass
from typing import Any

import requests

DEFAULT_API_URL = "http://127.0.0.1:8000"
# Seconds to wait for an answer: enough for a prediction on a CPU, short enough for a page.
TIMEOUT = 30
{%- if data_kind == "graph" %}
# What the page's editor starts with: four nodes of three features, the first linked to the others.
EXAMPLE_GRAPH = {
    "nodes": [[1.0, 0.2, -0.4], [1.0, 0.5, 0.1], [1.0, -0.3, 0.8], [1.0, 0.0, 0.0]],
    "edges": [[0, 1], [0, 2], [0, 3]],
}
{%- endif %}


class ApiError(Exception):
    """No prediction: the API cannot be reached, refused the input or failed; the message says which."""


@dataclass(frozen=True)
class Prediction:
    """The API's answer: the predicted class and the probability of every class."""

    label: str
    probabilities: dict[str, float]

    def ranked(self) -> list[dict[str, Any]]:
        """The classes as rows of a table, the most probable first."""
        order = sorted(self.probabilities.items(), key=lambda item: item[1], reverse=True)
        return [{"class": name, "probability": probability} for name, probability in order]


def api_url() -> str:
    """The API's base address, read at every call so that a changed API_URL takes effect."""
    return os.environ.get("API_URL", DEFAULT_API_URL).rstrip("/")


def send(method: str, path: str, **request: Any) -> requests.Response:
    """Send one HTTP request to the API: the only function here that uses the network."""
    return requests.request(method, api_url() + path, timeout=TIMEOUT, **request)


def answer_of(response: Any) -> Any:
    """The JSON body of a response, or its text when it is not JSON (a proxy's error page, say)."""
    try:
        return response.json()
    except ValueError:
        return response.text


def describe_refusal(status: int, body: Any) -> str:
    """Say why the API gave no prediction, with FastAPI's ``detail`` when it sent one."""
    detail = body.get("detail", body) if isinstance(body, dict) else body
    if isinstance(detail, list):
        # A validation error (422): each item names where in the request it is and what is wrong.
        detail = "; ".join(
            f"{'.'.join(str(part) for part in item.get('loc', [])[1:]) or 'request'}: {item.get('msg')}"
            if isinstance(item, dict)
            else str(item)
            for item in detail
        )
    if 400 <= status < 500:
        return f"The API refused the input ({status}): {detail}"
    return f"The API failed ({status}): {detail}"


def call(method: str, path: str, **request: Any) -> Any:
    """Send one request and return the JSON answer; raise ApiError saying why there is none."""
    try:
        response = send(method, path, **request)
    except requests.RequestException as error:
        raise ApiError(
            f"Cannot reach the API at {api_url()} ({type(error).__name__}). Start it with `invoke serve-api`, "
            "or set API_URL to where it runs."
        ) from error
    if response.status_code >= 400:
        raise ApiError(describe_refusal(response.status_code, answer_of(response)))
    return response.json()


def predict(request: dict[str, Any]) -> Prediction:
    """Send one input (a request made by the function below) to ``POST /predict``."""
    body = call("POST", "/predict", **request)
    return Prediction(label=body["label"], probabilities=body["probabilities"])
{%- if data_kind == "image" %}


def image_request(name: str, data: bytes, content_type: str | None) -> dict[str, Any]:
    """An uploaded image, sent as the API reads it: the form field ``file``."""
    return {"files": {"file": (name, data, content_type or "application/octet-stream")}}
{%- elif data_kind == "text" %}


def text_request(text: str) -> dict[str, Any]:
    """A text, sent as the API reads it: ``{"text": "..."}``."""
    return {"json": {"text": text}}
{%- elif data_kind == "tabular" %}


def features() -> dict[str, list[dict[str, Any]]]:
    """The features the served model was trained on (``GET /features``): numbers with their mean, and
    categories with every value they take."""
    return call("GET", "/features")


def row_request(values: dict[str, float | str]) -> dict[str, Any]:
    """One row of feature values by name, sent as the API reads it: ``{"features": {...}}``."""
    return {"json": {"features": values}}
{%- else %}


def graph_request(text: str) -> dict[str, Any]:
    """A graph written as JSON, ``{"nodes": [[...], ...], "edges": [[0, 1], ...]}``, ready to send.

    Raises ValueError saying what is wrong when the text is not such an object; whether the nodes
    have the right number of features is the API's to say.
    """
    try:
        graph = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"This is not JSON: {error.msg} (line {error.lineno}, column {error.colno}).") from error
    if not isinstance(graph, dict) or "nodes" not in graph:
        raise ValueError('Write one graph as a JSON object: {"nodes": [[...], ...], "edges": [[0, 1], ...]}.')
    return {"json": graph}
{%- endif %}
