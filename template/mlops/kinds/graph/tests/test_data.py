"""Tests for creating and preprocessing the dataset."""

import json
import logging
from pathlib import Path

import numpy as np
import pytest
import torch
from torch_geometric.data import Data
from torch_geometric.loader import DataLoader
from typer.testing import CliRunner

from {{ package_name }}.data import (
    NODE_FEATURES,
    SHAPES,
    RawDataError,
    app,
    ensure_raw_data,
    load_split,
    make_graph,
    preprocess,
    read_graphs,
    shape_edges,
    synthesize,
    to_graph,
)


def test_synthesize_writes_graphs_of_every_shape(raw_dir: Path) -> None:
    graphs = read_graphs(raw_dir / "graphs.jsonl")
    labels = [label for _, label in graphs]
    assert sorted(set(labels)) == sorted(SHAPES)
    assert len({labels.count(shape) for shape in SHAPES}) == 1
    assert all(graph.num_node_features == NODE_FEATURES for graph, _ in graphs)


@pytest.mark.parametrize(("shape", "edges"), [("chain", 4), ("star", 4), ("wheel", 8), ("clique", 10)])
def test_each_shape_has_its_number_of_edges(shape: str, edges: int) -> None:
    assert len(shape_edges(shape, 5)) == edges


def test_make_graph_rejects_an_unknown_shape() -> None:
    with pytest.raises(ValueError, match="unknown shape 'tree'"):
        make_graph("tree", np.random.default_rng(0))


def test_edges_are_used_both_ways() -> None:
    graph = to_graph([[1.0], [2.0], [3.0]], [[0, 1], [1, 2]])
    assert graph.num_nodes == 3
    assert sorted(map(tuple, graph.edge_index.t().tolist())) == [(0, 1), (1, 0), (1, 2), (2, 1)]


@pytest.mark.parametrize(
    ("nodes", "edges", "message"),
    [
        ([], [], "at least one node"),
        ([[1.0], [1.0, 2.0]], [], "same number of features"),
        ([[1.0], [2.0]], [[0, 2]], "names a node that is not there"),
        ([[1.0], [2.0]], [[0, 1, 1]], "a pair of node positions"),
    ],
)
def test_to_graph_says_what_is_wrong(nodes: list, edges: list, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        to_graph(nodes, edges)


def test_a_bad_line_is_named_with_its_number(tmp_path: Path) -> None:
    path = tmp_path / "graphs.jsonl"
    path.write_text(json.dumps({"nodes": [[1.0]], "label": "a"}) + "\n" + json.dumps({"edges": []}) + "\n")
    with pytest.raises(RawDataError, match=r"graphs\.jsonl:2 needs \"nodes\" and \"label\""):
        read_graphs(path)


def test_preprocess_writes_splits_that_batch(raw_dir: Path, processed_dir: Path) -> None:
    train, test = load_split("train", processed_dir), load_split("test", processed_dir)
    total = len(read_graphs(raw_dir / "graphs.jsonl"))
    assert len(train) + len(test) == total
    assert len(test) == total // 4
    assert isinstance(train[0][0], Data)
    graphs, labels = next(iter(DataLoader(train, batch_size=5)))
    assert graphs.num_graphs == 5
    assert labels.shape == (5,)
    assert set(torch.cat([label.view(1) for _, label in train]).tolist()) == set(range(len(SHAPES)))
    meta = json.loads((processed_dir / "meta.json").read_text())
    assert meta == {"classes": sorted(SHAPES), "num_node_features": NODE_FEATURES}


def test_a_split_keeps_each_graph_whole(raw_dir: Path, tmp_path: Path) -> None:
    preprocess(raw_dir, tmp_path, test_fraction=0.5, seed=3)
    stored = {(graph.num_nodes, graph.num_edges) for graph, _ in load_split("test", tmp_path)}
    read = {(graph.num_nodes, graph.num_edges) for graph, _ in read_graphs(raw_dir / "graphs.jsonl")}
    assert stored <= read


def test_preprocess_needs_two_labels(tmp_path: Path) -> None:
    (tmp_path / "g.jsonl").write_text(json.dumps({"nodes": [[1.0]], "edges": [], "label": "only"}) + "\n")
    with pytest.raises(RawDataError, match=r"graphs of only one label \(only\)"):
        preprocess(tmp_path, tmp_path / "processed")


def test_an_empty_raw_folder_gets_the_synthetic_dataset(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / ".gitkeep").touch()
    assert ensure_raw_data(raw, per_class=2)
    assert len(read_graphs(raw / "graphs.jsonl")) == 2 * len(SHAPES)


def test_own_files_are_never_mixed_with_synthetic_ones(tmp_path: Path) -> None:
    (tmp_path / "edges.csv").write_text("source,target\n0,1\n")
    assert not ensure_raw_data(tmp_path, per_class=2)
    assert [path.name for path in tmp_path.iterdir()] == ["edges.csv"]


def test_preprocess_refuses_data_it_cannot_read_and_says_what_to_change(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "edges.csv").write_text("source,target\n0,1\n")
    processed = tmp_path / "processed"
    result = CliRunner().invoke(app, ["preprocess", "--raw-dir", str(raw), "--processed-dir", str(processed)])
    assert result.exit_code == 2
    assert "holds files this loader cannot read (edges.csv)" in result.output
    assert '"nodes"' in result.output
    assert "`read_graphs`" in result.output
    assert [path.name for path in raw.iterdir()] == ["edges.csv"]
    assert not processed.exists()


def test_files_beside_the_graphs_are_named_in_a_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    synthesize(tmp_path / "raw", per_class=2)
    (tmp_path / "raw" / "notes.txt").write_text("where the data came from\n")
    with caplog.at_level(logging.WARNING):
        preprocess(tmp_path / "raw", tmp_path / "processed")
    assert "not JSON Lines: notes.txt" in caplog.text


def test_load_split_explains_missing_data(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke preprocess-data"):
        load_split("train", tmp_path)
