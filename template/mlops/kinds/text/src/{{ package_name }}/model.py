{%- if framework == "transformers" -%}
"""The model: a small BERT-style transformer from Hugging Face Transformers, built from a config."""
{%- else -%}
"""The model: a bag of words, averaging the embeddings of a text's tokens, then a small classifier."""
{%- endif %}

from pathlib import Path
from typing import Any

import torch
from torch import nn
{%- if framework == "transformers" %}
from transformers import BertConfig, BertForSequenceClassification
{%- endif %}

from {{ package_name }}.data import PAD_ID


class Classifier(nn.Module):
{%- if framework == "transformers" %}
    """A BERT encoder with a classification head, sized by the arguments and with fresh random weights.

    Built from a ``BertConfig``, so nothing is downloaded. The README says how to start from a
    pretrained checkpoint instead.
    """

    def __init__(
        self,
        num_classes: int,
        vocab_size: int,
        max_length: int = 32,
        hidden_size: int = 64,
        layers: int = 2,
        heads: int = 2,
        dropout: float = 0.1,
    ) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        if hidden_size % heads != 0:
            raise ValueError(f"hidden_size ({hidden_size}) must be a multiple of heads ({heads})")
        self.max_length = max_length
        config = BertConfig(
            vocab_size=vocab_size,
            hidden_size=hidden_size,
            num_hidden_layers=layers,
            num_attention_heads=heads,
            intermediate_size=4 * hidden_size,
            max_position_embeddings=max_length,
            hidden_dropout_prob=dropout,
            attention_probs_dropout_prob=dropout,
            num_labels=num_classes,
            pad_token_id=PAD_ID,
        )
        self.transformer = BertForSequenceClassification(config)
        self.hparams_dict = {
            "num_classes": num_classes,
            "vocab_size": vocab_size,
            "max_length": max_length,
            "hidden_size": hidden_size,
            "layers": layers,
            "heads": heads,
            "dropout": dropout,
        }
{%- else %}
    """Embeds each token, averages the embeddings of the real (not padding) tokens and scores each class."""

    def __init__(
        self,
        num_classes: int,
        vocab_size: int,
        max_length: int = 32,
        embedding_dim: int = 64,
        dropout: float = 0.2,
    ) -> None:
        super().__init__()
        if num_classes < 2:
            raise ValueError(f"num_classes must be at least 2, got {num_classes}")
        self.max_length = max_length
        self.embedding = nn.Embedding(vocab_size, embedding_dim, padding_idx=PAD_ID)
        self.head = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(embedding_dim, embedding_dim),
            nn.ReLU(),
            nn.Linear(embedding_dim, num_classes),
        )
        self.hparams_dict = {
            "num_classes": num_classes,
            "vocab_size": vocab_size,
            "max_length": max_length,
            "embedding_dim": embedding_dim,
            "dropout": dropout,
        }
{%- endif %}

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Return one row of class scores (logits) per text of a (N, max_length) batch of token ids."""
        if tokens.ndim != 2 or tokens.shape[1] != self.max_length or tokens.dtype != torch.long:
            raise ValueError(
                f"expected token ids of shape (N, {self.max_length}) and dtype torch.long, "
                f"got {tuple(tokens.shape)} {tokens.dtype}"
            )
{%- if framework == "transformers" %}
        return self.transformer(input_ids=tokens, attention_mask=(tokens != PAD_ID).long()).logits
{%- else %}
        real = (tokens != PAD_ID).unsqueeze(-1).float()
        mean = (self.embedding(tokens) * real).sum(dim=1) / real.sum(dim=1).clamp(min=1.0)
        return self.head(mean)
{%- endif %}


def build_model(meta: dict[str, Any], **options: Any) -> Classifier:
    """A new, untrained model for the data ``meta`` describes; ``options`` are ``Classifier``'s settings."""
    return Classifier(len(meta["classes"]), meta["vocab_size"], meta["max_length"], **options)


def save_checkpoint(model: Classifier, path: Path, meta: dict[str, Any]) -> None:
    """Save the weights together with everything needed to use them: architecture, classes, tokenizer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    checkpoint = {
        "state_dict": model.state_dict(),
        "hparams": model.hparams_dict,
        "classes": list(meta["classes"]),
        "tokenizer": meta["tokenizer"],
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
