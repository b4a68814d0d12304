{%- if framework == "torch_frame" -%}
"""The model: a ResNet for tables from PyTorch Frame, which embeds each column by its kind."""
{%- else -%}
"""The model: a small multilayer perceptron over the number features and one-hot encoded categories."""
{%- endif %}

from pathlib import Path
from typing import Any

import torch
from torch import nn
{%- if framework == "torch_frame" %}
from torch_frame import TensorFrame, stype
from torch_frame.data.stats import StatType
from torch_frame.nn import ResNet
{%- endif %}


class Classifier(nn.Module):
{%- if framework == "torch_frame" %}
    """PyTorch Frame's ResNet: embeds each column by its kind, then residual blocks score each class.

    A number column is embedded by a linear map, a category by a learned vector per value. The
    weights start random, so nothing is downloaded. ``torch_frame.nn`` has other models that take the
    same columns (``FTTransformer``, ``ExcelFormer``, ``Trompt``, ...): swap ``ResNet`` for one.
    """
{%- else %}
    """Scores each class from the number features and a one-hot encoding of every category feature."""
{%- endif %}

    def __init__(
        self,
        num_classes: int,
        numbers: list[str],
        categories: dict[str, int],
{%- if framework == "torch_frame" %}
        channels: int = 32,
        layers: int = 2,
{%- else %}
        hidden: int = 64,
        layers: int = 2,
{%- endif %}
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        if not numbers and not categories:
            raise ValueError("the model needs at least one feature")
        self.numbers = list(numbers)
        self.categories = dict(categories)
{%- if framework == "torch_frame" %}
        # The data are scaled and indexed already (see data.py), so the statistics PyTorch Frame's
        # encoders ask for are those of scaled numbers, and each category's number of values.
        self.columns: dict[stype, list[str]] = {}
        statistics: dict[str, dict[StatType, Any]] = {}
        if self.numbers:
            self.columns[stype.numerical] = self.numbers
            statistics |= {name: {StatType.MEAN: 0.0, StatType.STD: 1.0} for name in self.numbers}
        if self.categories:
            self.columns[stype.categorical] = list(self.categories)
            statistics |= {
                name: {StatType.COUNT: (list(range(size)), [1] * size)} for name, size in self.categories.items()
            }
        self.network = ResNet(
            channels=channels,
            out_channels=num_classes,
            num_layers=layers,
            col_stats=statistics,
            col_names_dict=self.columns,
            dropout_prob=dropout,
        )
{%- else %}
        width = len(self.numbers) + sum(self.categories.values())
        blocks: list[nn.Module] = []
        for _ in range(layers):
            blocks += [nn.Linear(width, hidden), nn.ReLU(), nn.Dropout(dropout)]
            width = hidden
        self.network = nn.Sequential(*blocks, nn.Linear(width, num_classes))
{%- endif %}
        self.hparams_dict = {
            "num_classes": num_classes,
            "numbers": self.numbers,
            "categories": self.categories,
{%- if framework == "torch_frame" %}
            "channels": channels,
{%- else %}
            "hidden": hidden,
{%- endif %}
            "layers": layers,
            "dropout": dropout,
        }

    def forward(self, rows: torch.Tensor) -> torch.Tensor:
        """Return one row of class scores (logits) per row of a (N, features) batch from ``data.encode_rows``."""
        width = len(self.numbers) + len(self.categories)
        if rows.ndim != 2 or rows.shape[1] != width:
            raise ValueError(f"expected a batch of shape (N, {width}), got {tuple(rows.shape)}")
        numbers, codes = rows[:, : len(self.numbers)], rows[:, len(self.numbers) :].long()
{%- if framework == "torch_frame" %}
        parts: dict[stype, torch.Tensor] = {}
        if self.numbers:
            parts[stype.numerical] = numbers
        if self.categories:
            parts[stype.categorical] = codes
        return self.network(TensorFrame(parts, self.columns))
{%- else %}
        one_hot = [
            nn.functional.one_hot(codes[:, index], size).float() for index, size in enumerate(self.categories.values())
        ]
        return self.network(torch.cat([numbers, *one_hot], dim=1))
{%- endif %}


def build_model(meta: dict[str, Any], **options: Any) -> Classifier:
    """A new, untrained model for the data ``meta`` describes; ``options`` are ``Classifier``'s settings."""
    features = meta["features"]
    return Classifier(
        len(meta["classes"]),
        [feature["name"] for feature in features["numbers"]],
        {feature["name"]: len(feature["values"]) for feature in features["categories"]},
        **options,
    )


def save_checkpoint(model: Classifier, path: Path, meta: dict[str, Any]) -> None:
    """Save the weights together with everything needed to use them: architecture, classes, feature encoding."""
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "state_dict": model.state_dict(),
        "hparams": model.hparams_dict,
        "classes": list(meta["classes"]),
        "features": meta["features"],
    }
    torch.save(checkpoint, path)


def load_checkpoint(path: Path) -> tuple[Classifier, dict[str, Any]]:
    """Rebuild the model saved by ``save_checkpoint`` in evaluation mode; also return the checkpoint."""
    if not path.is_file():
        raise FileNotFoundError(f"no trained model at {path}: train one first with `invoke train`")
    checkpoint = torch.load(path, map_location="cpu", weights_only=True)
    model = Classifier(**checkpoint["hparams"])
    model.load_state_dict(checkpoint["state_dict"])
    model.eval()
    return model, checkpoint
