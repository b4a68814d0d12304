{%- if data_kind == "image" %}{% set examples = "images" %}{% elif data_kind == "text" %}{% set examples = "texts" %}{% elif data_kind == "tabular" %}{% set examples = "rows" %}{% else %}{% set examples = "graphs" %}{% endif -%}
"""A locust load test of the API: users who send {{ examples }} to /predict and ask /health now and then.

Run it against a served API with ``{% if dependency_manager == "uv" %}uv run {% endif %}invoke load-test`` (headless, report in reports/load_test/), or
with locust's web UI: ``{% if dependency_manager == "uv" %}uv run {% endif %}locust -f tests/load/locustfile.py --host http://127.0.0.1:8000``.
The {{ examples }} are made once, by the same code that writes the synthetic dataset; to load-test
with your own data, fill ``EXAMPLES`` from it instead. With ``LOAD_TEST_MAX_REQUESTS`` set, the run
ends after that many requests, or at ``--run-time``, whichever comes first.
"""

{% if data_kind == "image" %}import io
{% endif %}import os
import random

import gevent
import numpy as np
from locust import HttpUser, between, events, task
from locust.env import Environment

from {{ package_name }}.data import {% if data_kind == "image" %}SHAPES, draw_shape{% elif data_kind == "text" %}TOPICS, make_message{% elif data_kind == "tabular" %}FAULTS, LABEL, make_reading{% else %}SHAPES, make_graph{% endif %}

PER_CLASS = 5
# Stop the run after this many requests in all (0: no limit but --run-time).
MAX_REQUESTS = int(os.environ.get("LOAD_TEST_MAX_REQUESTS", "0"))

{%- if data_kind == "image" %}


def make_examples(seed: int = 0) -> list[bytes]:
    """PNG files of every shape, as a client would upload them."""
    rng = np.random.default_rng(seed)
    examples = []
    for shape in SHAPES:
        for _ in range(PER_CLASS):
            buffer = io.BytesIO()
            draw_shape(shape, rng).save(buffer, format="PNG")
            examples.append(buffer.getvalue())
    return examples
{%- elif data_kind == "text" %}


def make_examples(seed: int = 0) -> list[dict]:
    """Request bodies: messages on every topic."""
    rng = np.random.default_rng(seed)
    return [{"text": make_message(topic, rng)} for topic in TOPICS for _ in range(PER_CLASS)]
{%- elif data_kind == "tabular" %}


def make_examples(seed: int = 0) -> list[dict]:
    """Request bodies: readings of pumps with every fault, without the label."""
    rng = np.random.default_rng(seed)
    rows = [make_reading(fault, rng) for fault in FAULTS for _ in range(PER_CLASS)]
    return [{"features": {name: value for name, value in row.items() if name != LABEL}} for row in rows]
{%- else %}


def make_examples(seed: int = 0) -> list[dict]:
    """Request bodies: graphs of every shape, without the label."""
    rng = np.random.default_rng(seed)
    graphs = [make_graph(shape, rng) for shape in SHAPES for _ in range(PER_CLASS)]
    return [{"nodes": graph["nodes"], "edges": graph["edges"]} for graph in graphs]
{%- endif %}


EXAMPLES = make_examples()


@events.init.add_listener
def stop_after_max_requests(environment: Environment, **_kwargs: object) -> None:
    """End the run once MAX_REQUESTS requests were made, when it is set."""
    if MAX_REQUESTS <= 0:
        return
    stopping = []

    def count(**_request: object) -> None:
        if not stopping and environment.runner is not None and environment.stats.total.num_requests >= MAX_REQUESTS:
            stopping.append(True)
            # From its own greenlet: quitting stops every user, the one making this request too.
            gevent.spawn(environment.runner.quit)

    environment.events.request.add_listener(count)


class ApiUser(HttpUser):
    """One client: a health check to begin with, then mostly predictions, with short pauses between requests."""

    wait_time = between(0.05, 0.5)

    def on_start(self) -> None:
        # Each user first checks that the API is up, as a client (or a load balancer) would.
        self.client.get("/health")

    @task(5)
    def predict(self) -> None:
{%- if data_kind == "image" %}
        upload = {"file": ("example.png", random.choice(EXAMPLES), "image/png")}
        with self.client.post("/predict", files=upload, catch_response=True) as response:
{%- else %}
        with self.client.post("/predict", json=random.choice(EXAMPLES), catch_response=True) as response:
{%- endif %}
            # An answer without a label is a failure too, even with status 200.
            if response.status_code == 200 and "label" not in response.json():
                response.failure(f"no label in the answer: {response.text[:200]}")

    @task(1)
    def health(self) -> None:
        self.client.get("/health")
