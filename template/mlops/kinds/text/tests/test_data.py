"""Tests for creating and preprocessing the dataset."""

import csv
import json
import logging
from pathlib import Path

import numpy as np
import pytest
import torch
from typer.testing import CliRunner

from {{ package_name }}.data import (
    PAD_ID,
    TOPICS,
    RawDataError,
    app,
    build_tokenizer,
    encode,
    ensure_raw_data,
    load_split,
    load_tokenizer,
    make_message,
    preprocess,
    read_examples,
    synthesize,
    tokenizer_state,
)


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as file:
        csv.writer(file).writerows(rows)
    return path


def test_synthesize_writes_labelled_messages_of_every_topic(raw_dir: Path) -> None:
    examples = read_examples(raw_dir / "messages.csv")
    labels = [label for _, label in examples]
    assert sorted(set(labels)) == sorted(TOPICS)
    assert len({labels.count(topic) for topic in TOPICS}) == 1
    assert all(text for text, _ in examples)


def test_make_message_rejects_an_unknown_topic() -> None:
    with pytest.raises(ValueError, match="unknown topic 'gardening'"):
        make_message("gardening", np.random.default_rng(0))


def test_csv_and_json_lines_are_read_alike(tmp_path: Path) -> None:
    write_csv(tmp_path / "a.csv", [["id", "text", "label"], ["1", 'It said "yes", then left', "news"], ["2", "", "x"]])
    (tmp_path / "b.jsonl").write_text(json.dumps({"text": "Rain, again", "label": "weather"}) + "\n\n")
    assert read_examples(tmp_path / "a.csv") == [('It said "yes", then left', "news")]
    assert read_examples(tmp_path / "b.jsonl") == [("Rain, again", "weather")]


def test_a_csv_without_a_text_column_is_refused_naming_its_columns(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "measurements.csv", [["width", "label"], ["3", "box"]])
    with pytest.raises(RawDataError, match=r"measurements\.csv has the columns width, label"):
        read_examples(path)


def test_a_broken_json_line_is_named_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "texts.jsonl"
    path.write_text('{"text": "fine", "label": "a"}\n{"text": oops}\n')
    with pytest.raises(RawDataError, match=r"texts\.jsonl:2 is not a JSON object"):
        read_examples(path)


def test_the_tokenizer_pads_cuts_and_survives_saving() -> None:
    tokenizer = build_tokenizer(["the rain came", "the sun came out"] * 5)
    tokens = encode(tokenizer, ["the rain", "the sun came out " * 10, "zebra"], max_length=8)
    assert tokens.shape == (3, 8)
    assert tokens.dtype == torch.long
    assert int(tokens[0, -1]) == PAD_ID
    assert PAD_ID not in tokens[1].tolist()
    reloaded = load_tokenizer(json.loads(json.dumps(tokenizer_state(tokenizer))))
    assert torch.equal(encode(reloaded, ["the rain", "zebra"], max_length=8), tokens[[0, 2]])


def test_preprocess_writes_token_splits(raw_dir: Path, processed_dir: Path) -> None:
    train, test = load_split("train", processed_dir), load_split("test", processed_dir)
    total = len(read_examples(raw_dir / "messages.csv"))
    assert len(train) + len(test) == total
    assert len(test) == total // 4
    tokens, labels = train.tensors
    meta = json.loads((processed_dir / "meta.json").read_text())
    assert tokens.shape == (len(train), meta["max_length"])
    assert int(tokens.max()) < meta["vocab_size"]
    assert set(labels.tolist()) == set(range(len(TOPICS)))
    assert meta["classes"] == sorted(TOPICS)


def test_preprocess_needs_two_labels(tmp_path: Path) -> None:
    write_csv(tmp_path / "one.csv", [["text", "label"], ["a text", "only"], ["another", "only"]])
    with pytest.raises(RawDataError, match=r"texts of only one label \(only\)"):
        preprocess(tmp_path, tmp_path / "processed")


def test_an_empty_raw_folder_gets_the_synthetic_dataset(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ".gitkeep").touch()
    assert ensure_raw_data(raw, per_class=2)
    assert len(read_examples(raw / "messages.csv")) == 2 * len(TOPICS)


def test_own_files_are_never_mixed_with_synthetic_ones(tmp_path: Path) -> None:
    (tmp_path / "reviews.csv").write_text("review,stars\ngood,5\n")
    assert not ensure_raw_data(tmp_path, per_class=2)
    assert [path.name for path in tmp_path.iterdir()] == ["reviews.csv"]


def test_preprocess_refuses_data_it_cannot_read_and_says_what_to_change(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "scan.png").write_bytes(b"\x89PNG")
    processed = tmp_path / "processed"
    result = CliRunner().invoke(app, ["preprocess", "--raw-dir", str(raw), "--processed-dir", str(processed)])
    assert result.exit_code == 2
    assert "holds files this loader cannot read (scan.png)" in result.output
    assert "a `text` and a `label` column" in result.output
    assert "`read_examples`" in result.output
    assert [path.name for path in raw.iterdir()] == ["scan.png"]
    assert not processed.exists()


def test_files_beside_the_tables_are_named_in_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    synthesize(tmp_path / "raw", per_class=2)
    (tmp_path / "raw" / "notes.txt").write_text("where the data came from\n")
    with caplog.at_level(logging.WARNING):
        preprocess(tmp_path / "raw", tmp_path / "processed")
    assert "not CSV or JSON Lines: notes.txt" in caplog.text


def test_load_split_explains_missing_data(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke preprocess-data"):
        load_split("train", tmp_path)
