"""Tests for the Streamlit frontend: the page runs without a browser (Streamlit's AppTest) and its
requests go to the real API app, with the test checkpoint, through FastAPI's test client."""
{% if data_kind == "image" %}
import io
{%- endif %}
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import api_client
import pytest
from fastapi.testclient import TestClient
{%- if data_kind == "image" %}
from PIL import Image
{%- endif %}
from streamlit.testing.v1 import AppTest

from {{ package_name }}.api import app

PAGE = Path(__file__).resolve().parent.parent / "frontend" / "app.py"
{%- if data_kind == "text" %}
TEXT = "the referee gave a late penalty"
{%- elif data_kind == "graph" %}
# Four nodes with two features each: the model wants three.
TOO_FEW_FEATURES = '{"nodes": [[1, 0], [1, 0], [1, 0], [1, 0]], "edges": [[0, 1], [1, 2], [2, 3]]}'
{%- endif %}


@pytest.fixture
def sent(checkpoint_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The frontend's requests go to the API app itself; yields the paths it asked for, in order."""
    monkeypatch.setenv("MODEL_PATH", str(checkpoint_path))
    paths: list[str] = []
    with TestClient(app) as client:

        def send(method: str, path: str, **request: Any) -> Any:
            paths.append(path)
            return client.request(method, path, **request)

        monkeypatch.setattr(api_client, "send", send)
        yield paths


@pytest.fixture
def api(checkpoint_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """The API app for the tests to ask directly what it answers."""
    monkeypatch.setenv("MODEL_PATH", str(checkpoint_path))
    with TestClient(app) as client:
        yield client


def page() -> AppTest:
    """The page after its first run. Each run imports Streamlit's machinery, so allow a few seconds."""
    return AppTest.from_file(PAGE, default_timeout=60).run()


def shown_probabilities(at: AppTest) -> dict[str, float]:
    table = at.dataframe[0].value
    return dict(zip(table["class"], table["probability"], strict=True))


def free_port() -> int:
    """A port on 127.0.0.1 where nothing listens (it was free a moment ago)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
{%- if data_kind == "image" %}


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (28, 28), color=200).save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_page_shows_the_apis_prediction_for_an_upload(sent: list[str], api: TestClient) -> None:
    at = page()
    assert at.button(key="predict").disabled, "nothing to send before an upload"
    at.file_uploader(key="image").set_value(("shape.png", png_bytes(), "image/png"))
    at.run()
    at.button(key="predict").click().run()
    assert not at.error, at.error[0].value
    expected = api.post("/predict", files={"file": ("shape.png", png_bytes(), "image/png")}).json()
    assert sent == ["/predict"]
    assert at.metric[0].value == expected["label"]
    assert shown_probabilities(at) == pytest.approx(expected["probabilities"])


def test_the_page_shows_why_the_api_refused_an_upload(sent: list[str]) -> None:
    at = page()
    at.file_uploader(key="image").set_value(("notes.png", b"not an image at all", "image/png"))
    at.run()
    at.button(key="predict").click().run()
    assert sent == ["/predict"]
    assert "The API refused the input (400): could not read 'notes.png' as an image" in at.error[0].value
    assert not at.metric


def test_the_request_is_the_upload_the_api_reads() -> None:
    request = api_client.image_request("a.jpg", b"bytes", None)
    assert request == {"files": {"file": ("a.jpg", b"bytes", "application/octet-stream")}}
{%- elif data_kind == "text" %}


def test_the_page_shows_the_apis_prediction_for_a_text(sent: list[str], api: TestClient) -> None:
    at = page()
    at.text_area(key="text").input(TEXT)
    at.button(key="predict").click().run()
    assert not at.error, at.error[0].value
    expected = api.post("/predict", json={"text": TEXT}).json()
    assert sent == ["/predict"]
    assert at.metric[0].value == expected["label"]
    assert shown_probabilities(at) == pytest.approx(expected["probabilities"])


def test_the_page_shows_why_the_api_refused_an_empty_text(sent: list[str]) -> None:
    at = page()
    at.text_area(key="text").input("   ")
    at.button(key="predict").click().run()
    assert sent == ["/predict"]
    assert "The API refused the input (400): the text is empty" in at.error[0].value
    assert not at.metric
{%- elif data_kind == "tabular" %}


def test_the_form_has_an_input_for_every_feature_of_the_model(sent: list[str], api: TestClient) -> None:
    at = page()
    features = api.get("/features").json()
    assert sent == ["/features"]
    assert [widget.key for widget in at.number_input] == [f"feature:{f['name']}" for f in features["numbers"]]
    assert [widget.key for widget in at.selectbox] == [f"feature:{f['name']}" for f in features["categories"]]
    for feature, widget in zip(features["categories"], at.selectbox, strict=True):
        assert widget.options == [value or "(empty)" for value in feature["values"]]


def test_the_page_shows_the_apis_prediction_for_a_row(sent: list[str], api: TestClient) -> None:
    at = page()
    features = api.get("/features").json()
    row: dict[str, float | str] = {}
    for index, feature in enumerate(features["numbers"]):
        row[feature["name"]] = round(feature["mean"] + (index + 1) * feature["std"], 2)
        at.number_input(key=f"feature:{feature['name']}").set_value(row[feature["name"]])
    for feature in features["categories"]:
        row[feature["name"]] = feature["values"][-1]
        at.selectbox(key=f"feature:{feature['name']}").set_value(row[feature["name"]])
    at.button(key="predict").click().run()
    assert not at.error, at.error[0].value
    expected = api.post("/predict", json={"features": row}).json()
    assert sent[-1] == "/predict"
    assert at.metric[0].value == expected["label"]
    assert shown_probabilities(at) == pytest.approx(expected["probabilities"])


def test_a_refused_row_raises_the_apis_reason(sent: list[str], api: TestClient) -> None:
    features = api.get("/features").json()
    row = {feature["name"]: feature["mean"] for feature in features["numbers"]}
    row |= {feature["name"]: "a value never seen" for feature in features["categories"]}
    name = features["categories"][0]["name"]
    with pytest.raises(api_client.ApiError, match=rf"refused the input \(400\): .*'{name}' cannot be"):
        api_client.predict(api_client.row_request(row))
{%- else %}


def test_the_page_shows_the_apis_prediction_for_a_graph(sent: list[str], api: TestClient) -> None:
    at = page()
    at.button(key="predict").click().run()
    assert not at.error, at.error[0].value
    expected = api.post("/predict", json=api_client.EXAMPLE_GRAPH).json()
    assert sent == ["/predict"]
    assert at.metric[0].value == expected["label"]
    assert shown_probabilities(at) == pytest.approx(expected["probabilities"])


def test_the_page_shows_why_the_api_refused_a_graph(sent: list[str]) -> None:
    at = page()
    at.text_area(key="graph").input(TOO_FEW_FEATURES)
    at.button(key="predict").click().run()
    assert sent == ["/predict"]
    assert "The API refused the input (400): cannot use this graph: each node needs 3 features" in at.error[0].value
    assert not at.metric


def test_text_that_is_not_a_graph_is_not_sent(sent: list[str]) -> None:
    at = page()
    at.text_area(key="graph").input('{"nodes": [[1, 0, 0]')
    at.run()
    assert "This is not JSON" in at.error[0].value
    assert at.button(key="predict").disabled
    assert sent == []


def test_a_malformed_graph_names_the_field(sent: list[str]) -> None:
    with pytest.raises(api_client.ApiError, match=r"refused the input \(422\): nodes: "):
        api_client.predict(api_client.graph_request('{"nodes": "three nodes"}'))
{%- endif %}


def test_the_page_says_when_the_api_cannot_be_reached(monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    monkeypatch.setenv("API_URL", url)
    at = page()
{%- if data_kind == "image" %}
    at.file_uploader(key="image").set_value(("shape.png", png_bytes(), "image/png"))
    at.run()
    at.button(key="predict").click().run()
{%- elif data_kind != "tabular" %}
    at.button(key="predict").click().run()
{%- endif %}
    assert f"Cannot reach the API at {url}" in at.error[0].value
    assert not at.metric


def test_the_classes_are_ranked_by_probability() -> None:
    prediction = api_client.Prediction(label="b", probabilities={"a": 0.2, "b": 0.7, "c": 0.1})
    assert [row["class"] for row in prediction.ranked()] == ["b", "a", "c"]


def test_a_failure_of_the_api_is_not_called_a_refusal() -> None:
    assert api_client.describe_refusal(503, "Service Unavailable") == "The API failed (503): Service Unavailable"
