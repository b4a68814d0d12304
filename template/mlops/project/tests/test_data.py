"""Tests for creating and preprocessing the dataset."""

import json
from pathlib import Path

import numpy as np
import pytest
import torch
from PIL import Image

from {{ package_name }}.data import SHAPES, draw_shape, find_images, load_image, load_split, preprocess


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
    with pytest.raises(ValueError, match="at least two class folders"):
        preprocess(tmp_path, tmp_path / "processed")


def test_load_split_explains_missing_data(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke preprocess-data"):
        load_split("train", tmp_path)
