"""Tests for the model and its checkpoints."""

from pathlib import Path

import pytest
import torch
from torch_geometric.data import Batch, Data
from torch_geometric.nn import GraphConv

from {{ package_name }}.data import shape_edges, to_graph
from {{ package_name }}.model import Classifier, load_checkpoint


def batch_of(*shapes: str, features: int = 3) -> Batch:
    return Batch.from_data_list([to_graph(torch.ones(6, features).tolist(), shape_edges(shape, 6)) for shape in shapes])


def test_output_has_one_score_per_graph_and_class() -> None:
    model = Classifier(num_classes=4, num_node_features=3)
    assert model(batch_of("wheel", "star", "chain")).shape == (3, 4)


def test_the_layers_come_from_pytorch_geometric() -> None:
    model = Classifier(num_classes=4, num_node_features=3, channels=(8, 8, 8))
    assert [type(layer) for layer in model.convolutions] == [GraphConv] * 3


def test_graphs_of_different_shapes_get_different_scores() -> None:
    torch.manual_seed(0)
    scores = Classifier(num_classes=2, num_node_features=3).eval()(batch_of("star", "clique"))
    assert not torch.allclose(scores[0], scores[1])


def test_wrong_node_features_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"expected node features of shape \(nodes, 3\)"):
        Classifier(num_classes=4, num_node_features=3)(batch_of("wheel", features=2))
    with pytest.raises(ValueError, match="expected node features"):
        Classifier(num_classes=4, num_node_features=3)(Data(edge_index=torch.zeros(2, 0, dtype=torch.long)))


def test_needs_two_classes_and_a_layer() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        Classifier(num_classes=1, num_node_features=3)
    with pytest.raises(ValueError, match="at least one layer"):
        Classifier(num_classes=2, num_node_features=3, channels=())


def test_checkpoint_round_trip_keeps_predictions(checkpoint_path: Path) -> None:
    first, checkpoint = load_checkpoint(checkpoint_path)
    second, _ = load_checkpoint(checkpoint_path)
    batch = batch_of("wheel", "star", features=first.num_node_features)
    assert torch.equal(first(batch), second(batch))
    assert len(checkpoint["classes"]) == 4


def test_missing_checkpoint_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke train"):
        load_checkpoint(tmp_path / "missing.pt")
