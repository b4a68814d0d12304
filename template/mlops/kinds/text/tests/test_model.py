"""Tests for the model and its checkpoints."""

from pathlib import Path

import pytest
import torch
{%- if framework == "transformers" %}
from transformers import BertForSequenceClassification
{%- endif %}

from {{ package_name }}.model import Classifier, load_checkpoint

VOCAB = 50


def tokens(count: int, length: int = 32) -> torch.Tensor:
    return torch.randint(1, VOCAB, (count, length))


def test_output_has_one_score_per_class() -> None:
    model = Classifier(num_classes=4, vocab_size=VOCAB)
    assert model(tokens(8)).shape == (8, 4)


{%- if framework == "none" %}


def test_padding_is_left_out_of_the_average() -> None:
    model = Classifier(num_classes=3, vocab_size=VOCAB).eval()
    text = torch.zeros(1, 32, dtype=torch.long)
    text[0, :3] = torch.tensor([5, 6, 7])
    repeated = text.clone()
    repeated[0, 3:6] = torch.tensor([5, 6, 7])
    # The mean of the real tokens' embeddings is the same for a text and that text twice over.
    assert torch.allclose(model(text), model(repeated), atol=1e-6)
    assert torch.isfinite(model(torch.zeros(1, 32, dtype=torch.long))).all()
{%- endif %}


@pytest.mark.parametrize(
    "batch", [torch.zeros(8, 16, dtype=torch.long), torch.zeros(32, dtype=torch.long), torch.zeros(2, 32)]
)
def test_wrong_input_is_rejected(batch: torch.Tensor) -> None:
    with pytest.raises(ValueError, match="expected token ids of shape"):
        Classifier(num_classes=4, vocab_size=VOCAB)(batch)


def test_needs_two_classes() -> None:
    with pytest.raises(ValueError, match="at least 2"):
        Classifier(num_classes=1, vocab_size=VOCAB)
{%- if framework == "transformers" %}


def test_the_network_is_a_transformers_bert_built_from_its_config() -> None:
    model = Classifier(num_classes=4, vocab_size=VOCAB, hidden_size=32, layers=1, heads=4)
    assert isinstance(model.transformer, BertForSequenceClassification)
    config = model.transformer.config
    assert (config.vocab_size, config.hidden_size, config.num_hidden_layers, config.num_labels) == (VOCAB, 32, 1, 4)


def test_heads_must_divide_the_hidden_size() -> None:
    with pytest.raises(ValueError, match="multiple of heads"):
        Classifier(num_classes=4, vocab_size=VOCAB, hidden_size=30, heads=4)
{%- endif %}


def test_checkpoint_round_trip_keeps_predictions(checkpoint_path: Path) -> None:
    first, checkpoint = load_checkpoint(checkpoint_path)
    second, _ = load_checkpoint(checkpoint_path)
    batch = torch.randint(1, checkpoint["hparams"]["vocab_size"], (4, first.max_length))
    assert torch.equal(first(batch), second(batch))
    assert len(checkpoint["classes"]) == 4
    assert checkpoint["tokenizer"]


def test_missing_checkpoint_says_how_to_train(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="invoke train"):
        load_checkpoint(tmp_path / "missing.pt")
