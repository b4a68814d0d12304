"""The API's side of drift: it records every answered /predict and serves /drift over those records.

``start`` gives the app its input summary and its prediction log (api.py calls it at startup),
``record`` writes one request's record, and ``router`` holds the /drift endpoint. The reference is
``models/drift_reference.json`` (make it with ``invoke drift-reference``), or the file named by the
``DRIFT_REFERENCE`` environment variable.
"""

import os
from pathlib import Path
from typing import Any

from fastapi import APIRouter, FastAPI, HTTPException, Request

from {{ package_name }}.drift import REFERENCE_PATH, load_reference, summarize_records
from {{ package_name }}.drift_features import InputSummary
from {{ package_name }}.prediction_log import PredictionLog

router = APIRouter()


def start(app: FastAPI, checkpoint: dict[str, Any]) -> None:
    """Prepare recording: how inputs are summarised, and where records go."""
    app.state.input_summary = InputSummary(checkpoint)
    app.state.prediction_log = PredictionLog.from_environment()


def record(request: Request, example: Any, prediction: str, probability: float) -> None:
    """Append the summary of ``example`` and its prediction to the app's log."""
    request.app.state.prediction_log.append(request.app.state.input_summary(example), prediction, probability)


@router.get("/drift")
def drift(request: Request) -> dict[str, Any]:
    """Compare the inputs recorded so far with the training data: overall and column by column."""
    try:
        reference = load_reference(Path(os.environ.get("DRIFT_REFERENCE", REFERENCE_PATH)))
    except FileNotFoundError as error:
        raise HTTPException(status_code=503, detail=str(error)) from error
    try:
        return summarize_records(request.app.state.prediction_log.read(), reference)
    except ValueError as error:
        raise HTTPException(status_code=409, detail=str(error)) from error
