"""The model: a small convolutional network for single-channel square images."""

from pathlib import Path
from typing import Any

import torch
from torch import nn


class Classifier(nn.Module):
    """Two convolution blocks followed by a linear layer that scores each class."""

    def __init__(
        self,
        num_classes: int,
        image_size: int = 28,
        channels: tuple[int, int] = (16, 32),
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        if image_size % 4 != 0:
            raise ValueError(f"image_size must be a multiple of 4 (two 2x2 poolings), got {image_size}")
        first, second = channels
        self.image_size = image_size
        self.features = nn.Sequential(
            nn.Conv2d(1, first, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(first, second, kernel_size=3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Dropout(dropout),
            nn.Linear(second * (image_size // 4) ** 2, num_classes),
        )
        self.hparams_dict = {
            "num_classes": num_classes,
            "image_size": image_size,
            "channels": list(channels),
            "dropout": dropout,
        }

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Return one row of class scores (logits) per image of a (N, 1, H, W) batch."""
        expected = (1, self.image_size, self.image_size)
        if images.ndim != 4 or tuple(images.shape[1:]) != expected:
            shape = ", ".join(map(str, expected))
            raise ValueError(f"expected a batch of shape (N, {shape}), got {tuple(images.shape)}")
        return self.head(self.features(images))


def save_checkpoint(model: Classifier, path: Path, meta: dict[str, Any]) -> None:
    """Save the weights together with everything needed to use them: architecture, classes, normalization."""
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "state_dict": model.state_dict(),
        "hparams": model.hparams_dict,
        "classes": list(meta["classes"]),
        "mean": float(meta["mean"]),
        "std": float(meta["std"]),
    }
    torch.save(checkpoint, path)


def load_checkpoint(path: Path) -> tuple[Classifier, dict[str, Any]]:
    """Rebuild the model saved by ``save_checkpoint`` in evaluation mode; also return the checkpoint."""
    if not path.is_file():
        raise FileNotFoundError(f"no trained model at {path}: train one first with `invoke train`")
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    hparams = dict(checkpoint["hparams"])
    hparams["channels"] = tuple(hparams["channels"])
    model = Classifier(**hparams)
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    return model, checkpoint
