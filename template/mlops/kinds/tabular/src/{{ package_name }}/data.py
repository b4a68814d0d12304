"""Create, load and preprocess the tabular dataset.

Raw data lives in ``data/raw/`` as CSV files with a header row: one row per example, a ``label``
column with its class, and any other columns as its features. Every CSV file there is read, and they
must all have the same columns. A column whose filled-in values are all numbers is a number feature
(scaled to mean 0 and standard deviation 1; an empty cell becomes the mean); any other column is a
category feature (each value gets an index; an empty cell is a value of its own). Copy your own data
into that layout (or change ``read_table``) and the rest of the pipeline works unchanged. Only when
``data/raw`` is empty does the ``preprocess`` command first write a small synthetic dataset of machine
sensor readings, so everything runs offline; files it cannot read stop it with an error instead.
"""

import csv
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
import typer
from torch.utils.data import TensorDataset

from {{ package_name }} import configure_logging

logger = logging.getLogger(__name__)

RAW_DIR = Path("data/raw")
PROCESSED_DIR = Path("data/processed")
LABEL = "label"
# Cell texts that mean "no value" (compared in lowercase).
MISSING = frozenset({"", "na", "n/a", "nan", "none", "null"})

# The synthetic dataset: readings of a pump on four sites; each fault shifts some of the readings.
# Columns: (name, mean of a healthy pump, standard deviation).
READINGS = (
    ("temperature", 60.0, 6.0),
    ("vibration", 2.0, 0.6),
    ("pressure", 5.0, 0.5),
    ("speed", 1500.0, 100.0),
    ("age_years", 5.0, 3.0),
)
SITES = ("north", "south", "east", "west")
FAULTS = {
    "healthy": {},
    "overheating": {"temperature": 18.0},
    "worn_bearing": {"vibration": 2.5, "speed": -150.0},
    "clogged_filter": {"pressure": 1.5, "temperature": 5.0},
}

# The end of every message about data the loader cannot read.
HOW_TO_CHANGE = (
    "Put your data in that layout, or rewrite `read_table` (how one file becomes rows of named values) in "
    "src/{{ package_name }}/data.py to read it; "
    "for data that is not one row per example, rewrite `preprocess` "
    "itself, keeping the train.pt, test.pt and meta.json it writes."
)

app = typer.Typer(help="Create and preprocess the dataset.", no_args_is_help=True)


class RawDataError(ValueError):
    """The raw folder holds data, but not in the layout this loader reads."""


def make_reading(fault: str, rng: np.random.Generator) -> dict[str, str]:
    """One row of sensor readings of a pump with ``fault`` (or none), as the text a CSV file holds."""
    if fault not in FAULTS:
        raise ValueError(f"unknown fault {fault!r}; choose one of: {', '.join(FAULTS)}")
    site = str(rng.choice(SITES))
    row = {}
    for name, mean, spread in READINGS:
        # The south site runs a little warmer, so the site matters too.
        shift = FAULTS[fault].get(name, 0.0) + (3.0 if name == "temperature" and site == "south" else 0.0)
        row[name] = f"{rng.normal(mean + shift, spread):.2f}"
    return {**row, "site": site, LABEL: fault}


def synthesize(raw_dir: Path, per_class: int = 600, seed: int = 0) -> int:
    """Write ``per_class`` rows of each fault to ``raw_dir/machines.csv``; return the count."""
    rng = np.random.default_rng(seed)
    raw_dir.mkdir(parents=True, exist_ok=True)
    columns = [name for name, _, _ in READINGS] + ["site", LABEL]
    with (raw_dir / "machines.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=columns)
        writer.writeheader()
        for index in range(per_class * len(FAULTS)):
            writer.writerow(make_reading(list(FAULTS)[index % len(FAULTS)], rng))
    return per_class * len(FAULTS)


def visible_files(raw_dir: Path) -> Iterator[Path]:
    """Every file below ``raw_dir`` except hidden ones (``.gitkeep``, ``.DS_Store``, ...)."""
    if not raw_dir.is_dir():
        return
    for path in sorted(raw_dir.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts):
            yield path


def ensure_raw_data(raw_dir: Path = RAW_DIR, per_class: int = 600, seed: int = 0) -> bool:
    """Write the synthetic dataset into ``raw_dir`` only if it holds no files; return whether it did.

    A folder with any data in it is left alone, so your own data is never mixed with made-up rows.
    """
    if next(visible_files(raw_dir), None) is not None:
        return False
    synthesize(raw_dir, per_class=per_class, seed=seed)
    return True


def read_table(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read one CSV file: its feature columns (all but ``label``) and its rows as column -> text.

    Rows without a label are skipped, with a warning.
    """
    with path.open(newline="", encoding="utf-8") as file:
        reader = csv.DictReader(file)
        columns = list(reader.fieldnames or [])
        if LABEL not in columns or len(columns) < 2:
            raise RawDataError(
                f"{path} has the columns {', '.join(columns) or '(none)'}, but the loader needs a `{LABEL}` column "
                f"and at least one feature column. {HOW_TO_CHANGE}"
            )
        every_row = list(reader)
    rows = [row for row in every_row if (row.get(LABEL) or "").strip()]
    if len(rows) < len(every_row):
        logger.warning("Skipped %d rows of %s without a label", len(every_row) - len(rows), path)
    return [column for column in columns if column != LABEL], rows


def cell(value: Any) -> str:
    """A cell's text without surrounding spaces; empty when it says there is no value ("NA", "nan", ...)."""
    text = str(value if value is not None else "").strip()
    return "" if text.lower() in MISSING else text


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def describe_features(columns: list[str], rows: list[dict[str, str]], train: list[int]) -> dict[str, list]:
    """Decide which columns are numbers and which categories, and what encoding each needs.

    Number columns get the mean and standard deviation of the ``train`` rows; category columns get
    every value they take, sorted, so that each has an index.
    """
    numbers, categories = [], []
    for column in columns:
        values = [cell(row.get(column)) for row in rows]
        filled = [value for value in values if value]
        if filled and all(is_number(value) for value in filled):
            seen = np.array([float(values[index]) for index in train if values[index]] or [0.0])
            numbers.append({"name": column, "mean": float(seen.mean()), "std": float(seen.std()) or 1.0})
        else:
            categories.append({"name": column, "values": sorted(set(values))})
    return {"numbers": numbers, "categories": categories}


def encode_rows(rows: list[dict[str, Any]], features: dict[str, list]) -> torch.Tensor:
    """Turn rows (column -> value) into a float tensor: scaled numbers first, then category indices.

    Raises ValueError naming the column when a row lacks a feature, holds text where a number
    belongs, or a category value that the training data never had.
    """
    encoded = []
    for row in rows:
        values = []
        for feature in features["numbers"]:
            if feature["name"] not in row:
                raise ValueError(f"missing the feature {feature['name']!r}")
            text = cell(row[feature["name"]])
            if text and not is_number(text):
                raise ValueError(f"{feature['name']!r} must be a number, got {text!r}")
            values.append((float(text) - feature["mean"]) / feature["std"] if text else 0.0)
        for feature in features["categories"]:
            if feature["name"] not in row:
                raise ValueError(f"missing the feature {feature['name']!r}")
            text = cell(row[feature["name"]])
            if text not in feature["values"]:
                raise ValueError(f"{feature['name']!r} cannot be {text!r}; it is one of {feature['values']}")
            values.append(float(feature["values"].index(text)))
        encoded.append(values)
    width = len(features["numbers"]) + len(features["categories"])
    return torch.tensor(encoded, dtype=torch.float32).reshape(len(rows), width)


def preprocess(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> dict[str, Any]:
    """Turn the raw tables into encoded train/test tensors plus a ``meta.json``; return the metadata."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    tables = [path for path in visible_files(raw_dir) if path.suffix.lower() == ".csv"]
    others = [path.relative_to(raw_dir).as_posix() for path in visible_files(raw_dir) if path not in tables]
    columns: list[str] | None = None
    rows: list[dict[str, str]] = []
    for path in tables:
        file_columns, file_rows = read_table(path)
        if columns is not None and file_columns != columns:
            raise RawDataError(
                f"{path} has the feature columns {file_columns}, but {tables[0]} has {columns}: every CSV file in "
                f"{raw_dir} must have the same columns. {HOW_TO_CHANGE}"
            )
        columns = file_columns
        rows += file_rows
    classes = sorted({row[LABEL].strip() for row in rows})
    if len(classes) < 2:
        raise RawDataError(layout_problem(raw_dir, classes, others))
    if others:
        logger.warning("Ignored files in %s that are not CSV files: %s", raw_dir, some_of(others))
    order = torch.randperm(len(rows), generator=torch.Generator().manual_seed(seed))
    test_count = max(1, int(len(rows) * test_fraction))
    splits = {"train": order[test_count:], "test": order[:test_count]}
    features = describe_features(columns or [], rows, splits["train"].tolist())
    encoded = encode_rows(rows, features)
    labels = torch.tensor([classes.index(row[LABEL].strip()) for row in rows])
    processed_dir.mkdir(parents=True, exist_ok=True)
    for split, indices in splits.items():
        torch.save({"features": encoded[indices], "labels": labels[indices]}, processed_dir / f"{split}.pt")
    meta = {"classes": classes, "features": features}
    (processed_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    logger.info(
        "Preprocessed %d rows of %d classes (%d number and %d category features) into %s (%d train, %d test)",
        len(labels),
        len(classes),
        len(features["numbers"]),
        len(features["categories"]),
        processed_dir,
        len(splits["train"]),
        len(splits["test"]),
    )
    return meta


def some_of(names: list[str], shown: int = 3) -> str:
    """The first few ``names`` and how many more there are."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def layout_problem(raw_dir: Path, classes: list[str], others: list[str]) -> str:
    """Explain what is in ``raw_dir``, which layout the loader expects and what to change for other data."""
    if classes:
        found = f"rows of only one class ({classes[0]})"
    elif others:
        found = f"files this loader cannot read ({some_of(others)})"
    else:
        found = "no labelled rows"
    return (
        f"{raw_dir} holds {found}. The loader expects CSV files with a header row, a `{LABEL}` column and feature "
        f"columns, and at least two classes. {HOW_TO_CHANGE}"
    )


def _processed_file(processed_dir: Path, name: str) -> Path:
    path = processed_dir / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `invoke preprocess-data` first")
    return path


def load_meta(processed_dir: Path = PROCESSED_DIR) -> dict[str, Any]:
    """Read the class names and the feature encoding written by ``preprocess``."""
    return json.loads(_processed_file(processed_dir, "meta.json").read_text())


def load_split(split: str, processed_dir: Path = PROCESSED_DIR) -> TensorDataset:
    """Load the preprocessed ``train`` or ``test`` split as a dataset of (features, label) pairs."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    tensors = torch.load(_processed_file(processed_dir, f"{split}.pt"), weights_only=True)
    return TensorDataset(tensors["features"], tensors["labels"])


@app.command("synthesize")
def synthesize_command(raw_dir: Path = RAW_DIR, per_class: int = 600, seed: int = 0) -> None:
    """Write the synthetic machine readings into RAW_DIR."""
    configure_logging()
    count = synthesize(raw_dir, per_class=per_class, seed=seed)
    logger.info("Wrote %d synthetic rows to %s", count, raw_dir)


@app.command("preprocess")
def preprocess_command(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> None:
    """Preprocess RAW_DIR into PROCESSED_DIR, writing the synthetic dataset first if RAW_DIR is empty."""
    configure_logging()
    if ensure_raw_data(raw_dir, seed=seed):
        logger.info("%s was empty: wrote the synthetic dataset there first", raw_dir)
    try:
        preprocess(raw_dir, processed_dir, test_fraction=test_fraction, seed=seed)
    except RawDataError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from error


if __name__ == "__main__":
    app()
