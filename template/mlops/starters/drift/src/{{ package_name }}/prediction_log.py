"""The record of what the API serves: one JSON line per answered /predict, appended to a local file.

Each line holds the time, the summary of the input that drift is measured on (see drift_features.py)
and the prediction. The folder is ``data/monitoring/`` (ignored by git), or the one named by the
``MONITORING_DIR`` environment variable. On Cloud Run the container's disk is lost when an instance
stops: point ``MONITORING_DIR`` at a mounted bucket to keep the records (see the README).
"""

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_DIR = Path("data/monitoring")
FILE_NAME = "predictions.jsonl"


class PredictionLog:
    """Appends records to ``folder/predictions.jsonl`` and reads them back."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        # Requests are answered in several threads at once; each line must be written whole.
        self._lock = threading.Lock()

    @classmethod
    def from_environment(cls) -> "PredictionLog":
        """The log in ``MONITORING_DIR``, or in ``data/monitoring/`` when that is not set."""
        return cls(Path(os.environ.get("MONITORING_DIR", DEFAULT_DIR)))

    def append(self, summary: dict[str, Any], prediction: str, probability: float) -> None:
        """Record one answered request."""
        record = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "input": summary,
            "prediction": prediction,
            "probability": round(probability, 4),
        }
        line = json.dumps(record) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as file:
                file.write(line)

    def read(self) -> list[dict[str, Any]]:
        """Every record so far (none when nothing was recorded yet)."""
        return read_records(self.path) if self.path.is_file() else []


def read_records(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON Lines file; raise ValueError naming the line that is not a record."""
    records = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"{path}:{number} is not a JSON object: {error}") from error
        if not isinstance(record, dict) or not isinstance(record.get("input"), dict):
            raise ValueError(f'{path}:{number} needs an "input" object with the summary of one input')
        records.append(record)
    return records
