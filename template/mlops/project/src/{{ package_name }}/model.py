{%- if framework == "timm" -%}
"""The model: an image classifier from PyTorch Image Models (timm) for single-channel square images."""

from pathlib import Path
from typing import Any

import timm
import torch
from torch import nn


class Classifier(nn.Module):
    """A timm network (``resnet10t`` unless ``architecture`` names another) that scores each class.

    ``pretrained=False``: the weights start random and are trained on your data, so nothing is
    downloaded. The README says how to start from weights trained on ImageNet instead.
    """

    def __init__(
        self,
        num_classes: int,
        image_size: int = 28,
        architecture: str = "resnet10t",
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        if architecture not in timm.list_models():
            raise ValueError(f"timm has no architecture {architecture!r}; `timm.list_models()` lists them all")
        self.image_size = image_size
        self.network = timm.create_model(
            architecture, pretrained=False, num_classes=num_classes, in_chans=1, drop_rate=dropout
        )
        self.hparams_dict = {
            "num_classes": num_classes,
            "image_size": image_size,
            "architecture": architecture,
            "dropout": dropout,
        }

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        """Return one row of class scores (logits) per image of a (N, 1, H, W) batch."""
        expected = (1, self.image_size, self.image_size)
        if images.ndim != 4 or tuple(images.shape[1:]) != expected:
            shape = ", ".join(map(str, expected))
            raise ValueError(f"expected a batch of shape (N, {shape}), got {tuple(images.shape)}")
        return self.network(images)


def build_model(meta: dict[str, Any], **options: Any) -> Classifier:
    """A new, untrained model for the data ``meta`` describes; ``options`` are ``Classifier``'s settings."""
    return Classifier(len(meta["classes"]), meta["image_size"], **options)
{%- else -%}
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
{%- endif %}


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
{%- if framework == "timm" %}
    model = Classifier(**checkpoint["hparams"])
{%- else %}
    hparams = dict(checkpoint["hparams"])
    hparams["channels"] = tuple(hparams["channels"])
    model = Classifier(**hparams)
{%- endif %}
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    return model, checkpoint
