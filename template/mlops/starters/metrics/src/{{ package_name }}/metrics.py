"""Prometheus metrics of the API: the requests it answered, how long they took, and what it predicted.

api.py calls ``instrument(app)`` once: from then on every request is counted and timed, and
``GET /metrics`` answers in Prometheus's text format, with the process's CPU time and memory
(``process_*``, on Linux) beside the metrics below. After each answered /predict, api.py calls
``record_prediction``. Add a metric of your own here and update it where it happens.

Routes are labelled by their path template (``/predict``), and paths the API does not serve share
the label ``unmatched``, so a scan of random URLs cannot grow the number of series without end. The
numbers live in this process and start from zero when it starts: with several uvicorn workers,
use prometheus-client's multiprocess mode.
"""

import time
from collections.abc import Awaitable, Callable

from fastapi import APIRouter, FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

REQUESTS = Counter("http_requests", "Requests answered, by method, route and status.", ["method", "route", "status"])
LATENCY = Histogram("http_request_duration_seconds", "Time to answer a request, by method, route.", ["method", "route"])
IN_PROGRESS = Gauge("http_requests_in_progress", "Requests being answered right now.")
PREDICTIONS = Counter("predictions", "Predictions made, by predicted label.", ["label"])
CONFIDENCE = Histogram(
    "prediction_confidence",
    "The probability the model gave the label it predicted.",
    buckets=(0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1.0),
)

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics() -> Response:
    """Every metric of this process, in Prometheus's text format."""
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def route_of(request: Request) -> str:
    """The path template of the route that served ``request`` (also when its method was wrong), or ``unmatched``.

    The router notes the route it chose in the request's scope, so this is known once it has run.
    """
    return getattr(request.scope.get("route"), "path", "unmatched")


async def count_and_time(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """Middleware: count the request by its route and status, and time it."""
    started = time.perf_counter()
    # The server answers an error the app did not handle with a 500.
    status = "500"
    try:
        with IN_PROGRESS.track_inprogress():
            response = await call_next(request)
        status = str(response.status_code)
        return response
    finally:
        route = route_of(request)
        LATENCY.labels(request.method, route).observe(time.perf_counter() - started)
        REQUESTS.labels(request.method, route, status).inc()


def instrument(app: FastAPI) -> None:
    """Count and time every request the app answers, and serve GET /metrics."""
    app.middleware("http")(count_and_time)
    app.include_router(router)


def record_prediction(label: str, probability: float) -> None:
    """Count one prediction of ``label``, made with ``probability``."""
    PREDICTIONS.labels(label).inc()
    CONFIDENCE.observe(probability)
