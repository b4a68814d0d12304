"""Create, load and preprocess the image dataset.

Raw data lives in ``data/raw/<class name>/<image files>``: one folder per class, in any image
format Pillow can read. Copy your own data into that layout (or change ``find_images`` and
``load_image``) and the rest of the pipeline works unchanged. Only when ``data/raw`` is empty does
the ``preprocess`` command first write a small synthetic dataset of drawn shapes, so everything runs
offline; files it cannot read stop it with an error instead.
"""

import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import torch
import typer
from PIL import Image, ImageDraw
from torch.utils.data import TensorDataset

from {{ package_name }} import configure_logging

logger = logging.getLogger(__name__)

RAW_DIR = Path("data/raw")
PROCESSED_DIR = Path("data/processed")
IMAGE_SIZE = 28
SHAPES = ("circle", "square", "triangle", "cross")
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"})

app = typer.Typer(help="Create and preprocess the dataset.", no_args_is_help=True)


class RawDataError(ValueError):
    """The raw folder holds data, but not in the layout this loader reads."""


def draw_shape(shape: str, rng: np.random.Generator, size: int = IMAGE_SIZE) -> Image.Image:
    """Draw one noisy grayscale image of ``shape`` at a random position and scale."""
    image = Image.new("L", (size, size), color=0)
    draw = ImageDraw.Draw(image)
    radius = float(rng.uniform(0.2, 0.35)) * size
    cx, cy = (float(v) for v in rng.uniform(radius + 1, size - radius - 1, size=2))
    left, top, right, bottom = cx - radius, cy - radius, cx + radius, cy + radius
    ink = int(rng.integers(160, 256))
    if shape == "circle":
        draw.ellipse((left, top, right, bottom), outline=ink, width=2)
    elif shape == "square":
        draw.rectangle((left, top, right, bottom), outline=ink, width=2)
    elif shape == "triangle":
        draw.polygon([(cx, top), (left, bottom), (right, bottom)], outline=ink, width=2)
    elif shape == "cross":
        draw.line((left, top, right, bottom), fill=ink, width=2)
        draw.line((left, bottom, right, top), fill=ink, width=2)
    else:
        raise ValueError(f"unknown shape {shape!r}; choose one of: {', '.join(SHAPES)}")
    noise = rng.normal(0.0, 20.0, size=(size, size))
    pixels = np.clip(np.asarray(image, dtype=np.float64) + noise, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels)


def synthesize(raw_dir: Path, per_class: int = 600, seed: int = 0, size: int = IMAGE_SIZE) -> int:
    """Write ``per_class`` PNG images of each shape into ``raw_dir/<shape>/``; return the count."""
    rng = np.random.default_rng(seed)
    for shape in SHAPES:
        folder = raw_dir / shape
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(per_class):
            draw_shape(shape, rng, size).save(folder / f"{shape}_{index:05d}.png")
    return per_class * len(SHAPES)


def visible_files(raw_dir: Path) -> Iterator[Path]:
    """Every file below ``raw_dir`` except hidden ones (``.gitkeep``, ``.DS_Store``, ...)."""
    if not raw_dir.is_dir():
        return
    for path in sorted(raw_dir.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts):
            yield path


def ensure_raw_data(raw_dir: Path = RAW_DIR, per_class: int = 600, seed: int = 0) -> bool:
    """Write the synthetic dataset into ``raw_dir`` only if it holds no files; return whether it did.

    A folder with any data in it is left alone, so your own data is never mixed with drawn shapes.
    """
    if next(visible_files(raw_dir), None) is not None:
        return False
    synthesize(raw_dir, per_class=per_class, seed=seed)
    return True


def find_images(raw_dir: Path) -> dict[str, list[Path]]:
    """Map each class (a sub-folder of ``raw_dir`` holding images) to its sorted image files."""
    if not raw_dir.is_dir():
        return {}
    classes: dict[str, list[Path]] = {}
    for folder in sorted(path for path in raw_dir.iterdir() if path.is_dir()):
        files = sorted(path for path in folder.iterdir() if path.suffix.lower() in IMAGE_SUFFIXES)
        if files:
            classes[folder.name] = files
    return classes


def load_image(source: Path | BinaryIO, size: int = IMAGE_SIZE) -> torch.Tensor:
    """Read an image as a float tensor of shape (1, size, size) with values in [0, 1]."""
    with Image.open(source) as image:
        gray = image.convert("L").resize((size, size))
    return torch.from_numpy(np.asarray(gray, dtype=np.float32) / 255.0).unsqueeze(0)


def normalize(images: torch.Tensor, mean: float, std: float) -> torch.Tensor:
    """Shift and scale images with the training set's statistics."""
    return (images - mean) / std


def preprocess(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    size: int = IMAGE_SIZE,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> dict[str, Any]:
    """Turn the raw images into normalized train/test tensors plus a ``meta.json``; return the metadata."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    classes = find_images(raw_dir)
    images_found = {path for files in classes.values() for path in files}
    others = [path.relative_to(raw_dir).as_posix() for path in visible_files(raw_dir) if path not in images_found]
    if len(classes) < 2:
        raise RawDataError(layout_problem(raw_dir, list(classes), others))
    if others:
        logger.warning("Ignored files in %s that are not images in a class folder: %s", raw_dir, some_of(others))
    images = torch.stack([load_image(path, size) for files in classes.values() for path in files])
    labels = torch.tensor([label for label, files in enumerate(classes.values()) for _ in files])
    order = torch.randperm(len(labels), generator=torch.Generator().manual_seed(seed))
    test_count = max(1, int(len(labels) * test_fraction))
    splits = {"train": order[test_count:], "test": order[:test_count]}
    mean = float(images[splits["train"]].mean())
    std = float(images[splits["train"]].std())
    processed_dir.mkdir(parents=True, exist_ok=True)
    for split, indices in splits.items():
        tensors = {"images": normalize(images[indices], mean, std), "labels": labels[indices]}
        torch.save(tensors, processed_dir / f"{split}.pt")
    meta = {"classes": list(classes), "image_size": size, "mean": mean, "std": std}
    (processed_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    logger.info(
        "Preprocessed %d images of %d classes into %s (%d train, %d test)",
        len(labels),
        len(classes),
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
        found = f"only one class folder of images ({classes[0]})"
    elif others:
        found = f"files this loader cannot read ({some_of(others)})"
    else:
        found = "no data"
    return (
        f"{raw_dir} holds {found}. The loader expects at least two class folders with images in them: "
        f"{raw_dir}/<class name>/<image files>. Put your data in that layout, or rewrite `find_images` (which "
        "files make up each class) and `load_image` (how one file becomes a tensor) in "
        "src/{{ package_name }}/data.py to read it; for data that is not one file per example, rewrite "
        "`preprocess` itself, keeping the train.pt, test.pt and meta.json it writes."
    )


def _processed_file(processed_dir: Path, name: str) -> Path:
    path = processed_dir / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `invoke preprocess-data` first")
    return path


def load_meta(processed_dir: Path = PROCESSED_DIR) -> dict[str, Any]:
    """Read the class names, image size and normalization written by ``preprocess``."""
    return json.loads(_processed_file(processed_dir, "meta.json").read_text())


def load_split(split: str, processed_dir: Path = PROCESSED_DIR) -> TensorDataset:
    """Load the preprocessed ``train`` or ``test`` split as a dataset of (image, label) pairs."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    tensors = torch.load(_processed_file(processed_dir, f"{split}.pt"), weights_only=True)
    return TensorDataset(tensors["images"], tensors["labels"])


@app.command("synthesize")
def synthesize_command(raw_dir: Path = RAW_DIR, per_class: int = 600, seed: int = 0) -> None:
    """Write the synthetic shapes dataset into RAW_DIR."""
    configure_logging()
    count = synthesize(raw_dir, per_class=per_class, seed=seed)
    logger.info("Wrote %d synthetic images to %s", count, raw_dir)


@app.command("preprocess")
def preprocess_command(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    image_size: int = IMAGE_SIZE,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> None:
    """Preprocess RAW_DIR into PROCESSED_DIR, writing the synthetic dataset first if RAW_DIR is empty."""
    configure_logging()
    if ensure_raw_data(raw_dir, seed=seed):
        logger.info("%s was empty: wrote the synthetic dataset there first", raw_dir)
    try:
        preprocess(raw_dir, processed_dir, size=image_size, test_fraction=test_fraction, seed=seed)
    except RawDataError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from error


if __name__ == "__main__":
    app()
