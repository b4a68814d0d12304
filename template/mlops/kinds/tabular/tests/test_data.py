"""Tests for creating and preprocessing the dataset."""

import json
import logging
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from {{ package_name }}.data import (
    FAULTS,
    RawDataError,
    app,
    encode_rows,
    ensure_raw_data,
    load_split,
    make_reading,
    preprocess,
    read_table,
    synthesize,
)


def test_synthesize_writes_rows_of_every_class(raw_dir: Path) -> None:
    columns, rows = read_table(raw_dir / "machines.csv")
    assert "label" not in columns
    assert "site" in columns
    labels = [row["label"] for row in rows]
    assert sorted(set(labels)) == sorted(FAULTS)
    assert len({labels.count(fault) for fault in FAULTS}) == 1


def test_make_reading_rejects_an_unknown_fault() -> None:
    with pytest.raises(ValueError, match="unknown fault 'rust'"):
        make_reading("rust", np.random.default_rng(0))


def test_numbers_and_categories_are_told_apart_and_encoded(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "plants.csv").write_text("height,soil,label\n10,clay,a\n30,sand,b\n,clay,a\n20,NA,b\n")
    meta = preprocess(raw, tmp_path / "processed", test_fraction=0.25)
    features = meta["features"]
    assert [feature["name"] for feature in features["numbers"]] == ["height"]
    assert features["categories"] == [{"name": "soil", "values": ["", "clay", "sand"]}]
    encoded = encode_rows([{"height": 20, "soil": "sand"}, {"height": "", "soil": "clay"}], features)
    height = features["numbers"][0]
    assert encoded[0].tolist() == pytest.approx([(20 - height["mean"]) / height["std"], 2.0])
    assert encoded[1].tolist() == [0.0, 1.0]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"soil": "clay"}, "missing the feature 'height'"),
        ({"height": "tall", "soil": "clay"}, "'height' must be a number"),
        ({"height": 3, "soil": "peat"}, "'soil' cannot be 'peat'"),
    ],
)
def test_encode_rows_names_what_is_wrong(row: dict, message: str) -> None:
    features = {
        "numbers": [{"name": "height", "mean": 0.0, "std": 1.0}],
        "categories": [{"name": "soil", "values": ["clay", "sand"]}],
    }
    with pytest.raises(ValueError, match=message):
        encode_rows([row], features)


def test_preprocess_writes_encoded_splits(raw_dir: Path, processed_dir: Path) -> None:
    train, test = load_split("train", processed_dir), load_split("test", processed_dir)
    _, rows = read_table(raw_dir / "machines.csv")
    assert len(train) + len(test) == len(rows)
    assert len(test) == len(rows) // 4
    features, labels = train.tensors
    meta = json.loads((processed_dir / "meta.json").read_text())
    assert features.shape == (len(train), len(meta["features"]["numbers"]) + len(meta["features"]["categories"]))
    assert set(labels.tolist()) == set(range(len(FAULTS)))
    numbers = features[:, : len(meta["features"]["numbers"])]
    assert abs(float(numbers.mean())) < 0.1
    assert meta["classes"] == sorted(FAULTS)


def test_files_with_other_columns_are_refused(tmp_path: Path) -> None:
    synthesize(tmp_path, per_class=2)
    (tmp_path / "more.csv").write_text("temperature,label\n61,healthy\n")
    with pytest.raises(RawDataError, match="must have the same columns"):
        preprocess(tmp_path, tmp_path / "processed")


def test_preprocess_needs_two_classes(tmp_path: Path) -> None:
    (tmp_path / "one.csv").write_text("size,label\n1,only\n2,only\n")
    with pytest.raises(RawDataError, match=r"rows of only one class \(only\)"):
        preprocess(tmp_path, tmp_path / "processed")


def test_an_empty_raw_folder_gets_the_synthetic_dataset(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ".gitkeep").touch()
    assert ensure_raw_data(raw, per_class=2)
    assert len(read_table(raw / "machines.csv")[1]) == 2 * len(FAULTS)


def test_own_files_are_never_mixed_with_synthetic_ones(tmp_path: Path) -> None:
    (tmp_path / "sales.csv").write_text("month,amount\n1,2\n")
    assert not ensure_raw_data(tmp_path, per_class=2)
    assert [path.name for path in tmp_path.iterdir()] == ["sales.csv"]


def test_preprocess_refuses_data_it_cannot_read_and_says_what_to_change(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "sales.csv").write_text("month,amount\n1,2\n")
    processed = tmp_path / "processed"
    result = CliRunner().invoke(app, ["preprocess", "--raw-dir", str(raw), "--processed-dir", str(processed)])
    assert result.exit_code == 2
    assert "sales.csv has the columns month, amount" in result.output
    assert "needs a `label` column" in result.output
    assert "`read_table`" in result.output
    assert [path.name for path in raw.iterdir()] == ["sales.csv"]
    assert not processed.exists()


def test_files_beside_the_tables_are_named_in_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    synthesize(tmp_path / "raw", per_class=2)
    (tmp_path / "raw" / "notes.txt").write_text("where the data came from\n")
    with caplog.at_level(logging.WARNING):
        preprocess(tmp_path / "raw", tmp_path / "processed")
    assert "not CSV files: notes.txt" in caplog.text


def test_load_split_explains_missing_data(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke preprocess-data"):
        load_split("train", tmp_path)


def test_rows_without_a_label_are_skipped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "t.csv"
    path.write_text("size,label\n1,a\n2,\n")
    with caplog.at_level(logging.WARNING):
        assert len(read_table(path)[1]) == 1
    assert "Skipped 1 rows" in caplog.text
