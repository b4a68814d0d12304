"""Tests for creating and preprocessing the dataset."""

import json
import logging
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image
from typer.testing import CliRunner

from {{ package_name }}.data import (
    SHAPES,
    RawDataError,
    app,
    draw_shape,
    ensure_raw_data,
    find_images,
    load_image,
    load_split,
    preprocess,
    synthesize,
)


def test_synthesize_writes_one_folder_per_class(raw_dir: Path) -> None:
    classes = find_images(raw_dir)
    assert list(classes) == sorted(SHAPES)
    counts = {len(files) for files in classes.values()}
    assert len(counts) == 1
    assert counts.pop() > 0


def test_draw_shape_rejects_unknown_shape() -> None:
    with pytest.raises(ValueError, match="unknown shape 'hexagon'"):
        draw_shape("hexagon", np.random.default_rng(0))


def test_load_image_makes_one_channel_of_the_requested_size(tmp_path: Path) -> None:
    path = tmp_path / "colour.png"
    Image.new("RGB", (50, 40), color=(255, 0, 0)).save(path)
    image = load_image(path, size=28)
    assert image.shape == (1, 28, 28)
    assert image.dtype == torch.float32
    assert 0.0 <= float(image.min()) <= float(image.max()) <= 1.0


def test_preprocess_writes_normalized_splits(raw_dir: Path, processed_dir: Path) -> None:
    train, test = load_split("train", processed_dir), load_split("test", processed_dir)
    total = sum(len(files) for files in find_images(raw_dir).values())
    assert len(train) + len(test) == total
    assert len(test) == total // 4
    images, labels = train.tensors
    assert images.shape == (len(train), 1, 28, 28)
    assert set(labels.tolist()) == set(range(len(SHAPES)))
    assert abs(float(images.mean())) < 1e-3
    assert abs(float(images.std()) - 1.0) < 1e-2
    meta = json.loads((processed_dir / "meta.json").read_text())
    assert meta["classes"] == sorted(SHAPES)


def test_preprocess_needs_two_classes(tmp_path: Path) -> None:
    (tmp_path / "only").mkdir()
    Image.new("L", (28, 28)).save(tmp_path / "only" / "a.png")
    with pytest.raises(RawDataError, match=r"only one class folder of images \(only\)"):
        preprocess(tmp_path, tmp_path / "processed")


def test_an_empty_raw_folder_gets_the_synthetic_dataset(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ".gitkeep").touch()
    assert ensure_raw_data(raw, per_class=2)
    assert {name: len(files) for name, files in find_images(raw).items()} == dict.fromkeys(sorted(SHAPES), 2)


def test_own_files_are_never_mixed_with_synthetic_ones(tmp_path: Path) -> None:
    (tmp_path / "measurements.csv").write_text("x,y\n1,2\n")
    assert not ensure_raw_data(tmp_path, per_class=2)
    assert [path.name for path in tmp_path.iterdir()] == ["measurements.csv"]


def test_preprocess_refuses_data_it_cannot_read_and_says_what_to_change(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "measurements.csv").write_text("x,y\n1,2\n")
    processed = tmp_path / "processed"
    result = CliRunner().invoke(app, ["preprocess", "--raw-dir", str(raw), "--processed-dir", str(processed)])
    assert result.exit_code == 2
    assert "holds files this loader cannot read (measurements.csv)" in result.output
    assert "<class name>/<image files>" in result.output
    assert "`find_images`" in result.output
    assert [path.name for path in raw.iterdir()] == ["measurements.csv"]
    assert not processed.exists()


def test_files_beside_the_class_folders_are_named_in_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    synthesize(tmp_path / "raw", per_class=2)
    (tmp_path / "raw" / "labels.csv").write_text("file,label\n")
    with caplog.at_level(logging.WARNING):
        preprocess(tmp_path / "raw", tmp_path / "processed")
    assert "not images in a class folder: labels.csv" in caplog.text


def test_load_split_explains_missing_data(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke preprocess-data"):
        load_split("train", tmp_path)
