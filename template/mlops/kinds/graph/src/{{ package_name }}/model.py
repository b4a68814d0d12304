"""The model: a graph neural network from PyTorch Geometric that classifies whole graphs."""

from itertools import pairwise
from pathlib import Path
from typing import Any

import torch
from torch import nn
from torch_geometric.data import Batch
from torch_geometric.nn import GraphConv, global_mean_pool


class Classifier(nn.Module):
    """Graph convolutions over the nodes, the average of each graph's nodes, then a layer scoring each class.

    ``GraphConv`` sums what a node's neighbours hold, so the layers learn how many neighbours nodes
    have and what those neighbours are like, which is what tells the shapes apart. The weights start
    random, so nothing is downloaded. ``torch_geometric.nn`` has many other layers (``GCNConv``,
    ``GATConv``, ``GINConv``, ...) that take the same inputs.
    """

    def __init__(
        self,
        num_classes: int,
        num_node_features: int,
        channels: tuple[int, ...] = (32, 32),
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        if not channels:
            raise ValueError("channels needs at least one layer width")
        self.num_node_features = num_node_features
        widths = [num_node_features, *channels]
        self.convolutions = nn.ModuleList(GraphConv(width, next_width) for width, next_width in pairwise(widths))
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(widths[-1], num_classes))
        self.hparams_dict = {
            "num_classes": num_classes,
            "num_node_features": num_node_features,
            "channels": list(channels),
            "dropout": dropout,
        }

    def forward(self, graphs: Batch) -> torch.Tensor:
        """Return one row of class scores (logits) per graph of a batch from PyTorch Geometric's DataLoader."""
        x = graphs.x
        if x is None or x.ndim != 2 or x.shape[1] != self.num_node_features:
            got = None if x is None else tuple(x.shape)
            raise ValueError(f"expected node features of shape (nodes, {self.num_node_features}), got {got}")
        for convolution in self.convolutions:
            x = convolution(x, graphs.edge_index).relu()
        return self.head(global_mean_pool(x, graphs.batch))


def build_model(meta: dict[str, Any], **options: Any) -> Classifier:
    """A new, untrained model for the data ``meta`` describes; ``options`` are ``Classifier``'s settings."""
    if "channels" in options:
        options["channels"] = tuple(options["channels"])
    return Classifier(len(meta["classes"]), meta["num_node_features"], **options)


def save_checkpoint(model: Classifier, path: Path, meta: dict[str, Any]) -> None:
    """Save the weights together with everything needed to use them: architecture and classes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "state_dict": model.state_dict(),
        "hparams": model.hparams_dict,
        "classes": list(meta["classes"]),
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
