"""Create, load and preprocess the text dataset.

Raw data lives in ``data/raw/`` as CSV files (a header row with a ``text`` and a ``label`` column;
other columns are ignored) or JSON Lines files (``.jsonl``: one object per line with ``"text"`` and
``"label"`` keys). Every such file there is read. Copy your own data into that layout (or change
``read_examples``) and the rest of the pipeline works unchanged. Only when ``data/raw`` is empty does
the ``preprocess`` command first write a small synthetic dataset of short messages about four topics,
so everything runs offline; files it cannot read stop it with an error instead.

Preprocessing {% if framework == "transformers" %}trains a WordPiece tokenizer (Hugging Face ``tokenizers``, wrapped for
``transformers``) on the training texts{% else %}builds a vocabulary of the training texts' most frequent words{% endif %} and turns every text into a fixed number of
token ids, padded with ``PAD_ID``.
"""

import csv
import json
import logging
{%- if framework == "none" %}
import re
from collections import Counter
{%- endif %}
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import torch
import typer
{%- if framework == "transformers" %}
from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors, trainers
{%- endif %}
from torch.utils.data import TensorDataset
{%- if framework == "transformers" %}
from transformers import PreTrainedTokenizerFast
{%- endif %}

from {{ package_name }} import configure_logging

logger = logging.getLogger(__name__)

RAW_DIR = Path("data/raw")
PROCESSED_DIR = Path("data/processed")
TABLE_SUFFIXES = frozenset({".csv", ".jsonl"})
MAX_LENGTH = 32
VOCAB_SIZE = 2000
{%- if framework == "transformers" %}
SPECIAL_TOKENS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]")
{%- else %}
SPECIAL_TOKENS = ("<pad>", "<unk>")
{%- endif %}
PAD_ID = 0
UNKNOWN_ID = 1

# The synthetic dataset: messages about one topic each, made of a few phrases of that topic between
# words that say nothing about it. Now and then a phrase of another topic slips in, as in real text.
TOPICS = {
    "cooking": (
        "a pinch of salt",
        "the onions",
        "fresh basil",
        "a slow simmer",
        "the oven",
        "garlic bread",
        "a spicy curry",
        "the dough",
        "roasted peppers",
        "lemon zest",
        "the frying pan",
        "a creamy sauce",
    ),
    "football": (
        "the penalty",
        "a late goal",
        "the referee",
        "the away match",
        "our goalkeeper",
        "the league table",
        "a corner kick",
        "the striker",
        "extra time",
        "the midfield",
        "a yellow card",
        "the final whistle",
    ),
    "travel": (
        "the night train",
        "a window seat",
        "the hostel",
        "my passport",
        "the ferry",
        "a day trip",
        "the old harbour",
        "a delayed flight",
        "the boarding pass",
        "a mountain village",
        "the tour guide",
        "the city map",
    ),
    "weather": (
        "heavy rain",
        "a cold front",
        "the forecast",
        "strong winds",
        "morning fog",
        "a heat wave",
        "the thunderstorm",
        "clear skies",
        "light snow",
        "the humidity",
        "a sudden shower",
        "the sunset",
    ),
}
OPENERS = ("honestly", "yesterday", "I think", "did you hear about", "so far", "we talked about", "today")
LINKS = ("and", "but also", "then", "after", "with", "because of")

# The end of every message about data the loader cannot read.
HOW_TO_CHANGE = (
    "Put your data in that layout, or rewrite `read_examples` (how one file becomes (text, label) pairs) in "
    "src/{{ package_name }}/data.py to read it; "
    "for data that is not one text per example, rewrite `preprocess` "
    "itself, keeping the train.pt, test.pt and meta.json it writes."
)

app = typer.Typer(help="Create and preprocess the dataset.", no_args_is_help=True)


class RawDataError(ValueError):
    """The raw folder holds data, but not in the layout this loader reads."""


def make_message(topic: str, rng: np.random.Generator) -> str:
    """Write one short message about ``topic``, sometimes with a phrase of another topic in it."""
    if topic not in TOPICS:
        raise ValueError(f"unknown topic {topic!r}; choose one of: {', '.join(TOPICS)}")
    first, second = rng.choice(TOPICS[topic], size=2, replace=False)
    words = [str(rng.choice(OPENERS)), str(first), str(rng.choice(LINKS)), str(second)]
    if rng.random() < 0.2:
        other = str(rng.choice([name for name in TOPICS if name != topic]))
        words += [str(rng.choice(LINKS)), str(rng.choice(TOPICS[other]))]
    return " ".join(words)


def synthesize(raw_dir: Path, per_class: int = 600, seed: int = 0) -> int:
    """Write ``per_class`` messages of each topic to ``raw_dir/messages.csv``; return the count."""
    rng = np.random.default_rng(seed)
    raw_dir.mkdir(parents=True, exist_ok=True)
    with (raw_dir / "messages.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["text", "label"])
        for index in range(per_class * len(TOPICS)):
            topic = list(TOPICS)[index % len(TOPICS)]
            writer.writerow([make_message(topic, rng), topic])
    return per_class * len(TOPICS)


def visible_files(raw_dir: Path) -> Iterator[Path]:
    """Every file below ``raw_dir`` except hidden ones (``.gitkeep``, ``.DS_Store``, ...)."""
    if not raw_dir.is_dir():
        return
    for path in sorted(raw_dir.rglob("*")):
        if path.is_file() and not any(part.startswith(".") for part in path.relative_to(raw_dir).parts):
            yield path


def ensure_raw_data(raw_dir: Path = RAW_DIR, per_class: int = 600, seed: int = 0) -> bool:
    """Write the synthetic dataset into ``raw_dir`` only if it holds no files; return whether it did.

    A folder with any data in it is left alone, so your own data is never mixed with made-up messages.
    """
    if next(visible_files(raw_dir), None) is not None:
        return False
    synthesize(raw_dir, per_class=per_class, seed=seed)
    return True


def read_examples(path: Path) -> list[tuple[str, str]]:
    """Read the (text, label) pairs of one CSV or JSON Lines file; rows without a text or label are skipped."""
    rows: list[dict[str, Any]] = []
    if path.suffix.lower() == ".csv":
        with path.open(newline="", encoding="utf-8") as file:
            reader = csv.DictReader(file)
            columns = reader.fieldnames or []
            if "text" not in columns or "label" not in columns:
                raise RawDataError(
                    f"{path} has the columns {', '.join(columns) or '(none)'}, but the loader needs a `text` and a "
                    f"`label` column. {HOW_TO_CHANGE}"
                )
            rows = list(reader)
    else:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise RawDataError(f"{path}:{number} is not a JSON object: {error}. {HOW_TO_CHANGE}") from error
            if not isinstance(row, dict) or "text" not in row or "label" not in row:
                raise RawDataError(f'{path}:{number} needs a "text" and a "label" key. {HOW_TO_CHANGE}')
            rows.append(row)
    examples = [(str(row["text"] or "").strip(), str(row["label"] or "").strip()) for row in rows]
    kept = [(text, label) for text, label in examples if text and label]
    if len(kept) < len(examples):
        logger.warning("Skipped %d rows of %s without a text or a label", len(examples) - len(kept), path)
    return kept
{%- if framework == "transformers" %}


def build_tokenizer(texts: list[str], vocab_size: int = VOCAB_SIZE) -> PreTrainedTokenizerFast:
    """Train a WordPiece tokenizer on ``texts``, the way BERT's was trained, but on your data and in a second."""
    tokenizer = Tokenizer(models.WordPiece(unk_token=SPECIAL_TOKENS[UNKNOWN_ID]))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.train_from_iterator(
        texts, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=list(SPECIAL_TOKENS))
    )
    cls, sep = SPECIAL_TOKENS[2], SPECIAL_TOKENS[3]
    tokenizer.post_processor = processors.TemplateProcessing(
        single=f"{cls} $A {sep}", special_tokens=[(cls, tokenizer.token_to_id(cls)), (sep, tokenizer.token_to_id(sep))]
    )
    return wrap_tokenizer(tokenizer)


def wrap_tokenizer(tokenizer: Tokenizer) -> PreTrainedTokenizerFast:
    """Give a ``tokenizers`` tokenizer the interface ``transformers`` models expect (padding, truncation, ...)."""
    pad, unknown, cls, sep = SPECIAL_TOKENS
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer, pad_token=pad, unk_token=unknown, cls_token=cls, sep_token=sep
    )


def tokenizer_state(tokenizer: PreTrainedTokenizerFast) -> str:
    """The tokenizer as a JSON string, to keep in meta.json and in the checkpoint."""
    return tokenizer.backend_tokenizer.to_str()


def load_tokenizer(state: str) -> PreTrainedTokenizerFast:
    """Rebuild the tokenizer that ``tokenizer_state`` saved."""
    return wrap_tokenizer(Tokenizer.from_str(state))


def encode(tokenizer: PreTrainedTokenizerFast, texts: list[str], max_length: int = MAX_LENGTH) -> torch.Tensor:
    """Turn texts into a (len(texts), max_length) tensor of token ids, cut or padded with ``PAD_ID``."""
    encoded = tokenizer(texts, padding="max_length", truncation=True, max_length=max_length, return_tensors="pt")
    return encoded["input_ids"]
{%- else %}


class WordTokenizer:
    """Splits a text into lowercase words and numbers each word by its place in a fixed vocabulary."""

    def __init__(self, vocabulary: list[str]) -> None:
        if list(vocabulary[: len(SPECIAL_TOKENS)]) != list(SPECIAL_TOKENS):
            raise ValueError(f"a vocabulary starts with {list(SPECIAL_TOKENS)}")
        self.vocabulary = list(vocabulary)
        self.ids = {word: index for index, word in enumerate(self.vocabulary)}

    @staticmethod
    def words(text: str) -> list[str]:
        """The lowercase words and numbers of ``text``, in order."""
        return re.findall(r"[a-z0-9']+", text.lower())

    def ids_of(self, text: str, max_length: int) -> list[int]:
        """The first ``max_length`` words' ids (unknown words get ``UNKNOWN_ID``), padded with ``PAD_ID``."""
        ids = [self.ids.get(word, UNKNOWN_ID) for word in self.words(text)[:max_length]]
        return ids + [PAD_ID] * (max_length - len(ids))


def build_tokenizer(texts: list[str], vocab_size: int = VOCAB_SIZE) -> WordTokenizer:
    """A tokenizer whose vocabulary is the ``vocab_size`` most frequent words of ``texts`` (special tokens included)."""
    counts = Counter(word for text in texts for word in WordTokenizer.words(text))
    most_common = [word for word, _ in counts.most_common(vocab_size - len(SPECIAL_TOKENS))]
    return WordTokenizer([*SPECIAL_TOKENS, *most_common])


def tokenizer_state(tokenizer: WordTokenizer) -> list[str]:
    """The tokenizer as a plain list of words, to keep in meta.json and in the checkpoint."""
    return tokenizer.vocabulary


def load_tokenizer(state: list[str]) -> WordTokenizer:
    """Rebuild the tokenizer that ``tokenizer_state`` saved."""
    return WordTokenizer(state)


def encode(tokenizer: WordTokenizer, texts: list[str], max_length: int = MAX_LENGTH) -> torch.Tensor:
    """Turn texts into a (len(texts), max_length) tensor of token ids, cut or padded with ``PAD_ID``."""
    return torch.tensor([tokenizer.ids_of(text, max_length) for text in texts], dtype=torch.long).reshape(
        len(texts), max_length
    )
{%- endif %}


def preprocess(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    max_length: int = MAX_LENGTH,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> dict[str, Any]:
    """Turn the raw texts into token ids in train/test tensors plus a ``meta.json``; return the metadata."""
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be between 0 and 1, got {test_fraction}")
    tables = [path for path in visible_files(raw_dir) if path.suffix.lower() in TABLE_SUFFIXES]
    others = [path.relative_to(raw_dir).as_posix() for path in visible_files(raw_dir) if path not in tables]
    examples = [example for path in tables for example in read_examples(path)]
    classes = sorted({label for _, label in examples})
    if len(classes) < 2:
        raise RawDataError(layout_problem(raw_dir, classes, others, tables))
    if others:
        logger.warning("Ignored files in %s that are not CSV or JSON Lines: %s", raw_dir, some_of(others))
    order = torch.randperm(len(examples), generator=torch.Generator().manual_seed(seed))
    test_count = max(1, int(len(examples) * test_fraction))
    splits = {"train": order[test_count:], "test": order[:test_count]}
    tokenizer = build_tokenizer([examples[index][0] for index in splits["train"].tolist()])
    tokens = encode(tokenizer, [text for text, _ in examples], max_length)
    labels = torch.tensor([classes.index(label) for _, label in examples])
    processed_dir.mkdir(parents=True, exist_ok=True)
    for split, indices in splits.items():
        torch.save({"tokens": tokens[indices], "labels": labels[indices]}, processed_dir / f"{split}.pt")
    meta = {
        "classes": classes,
        "max_length": max_length,
        "vocab_size": len(tokenizer{% if framework == "none" %}.vocabulary{% endif %}),
        "tokenizer": tokenizer_state(tokenizer),
    }
    (processed_dir / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    logger.info(
        "Preprocessed %d texts of %d classes into %s (%d train, %d test)",
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


def layout_problem(raw_dir: Path, classes: list[str], others: list[str], tables: list[Path]) -> str:
    """Explain what is in ``raw_dir``, which layout the loader expects and what to change for other data."""
    if classes:
        found = f"texts of only one label ({classes[0]})"
    elif tables:
        found = f"no labelled texts in {some_of([path.name for path in tables])}"
    elif others:
        found = f"files this loader cannot read ({some_of(others)})"
    else:
        found = "no data"
    return (
        f"{raw_dir} holds {found}. The loader expects CSV files with a `text` and a `label` column, or JSON Lines "
        f'files (.jsonl) with "text" and "label" keys, and at least two labels. {HOW_TO_CHANGE}'
    )


def _processed_file(processed_dir: Path, name: str) -> Path:
    path = processed_dir / name
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `invoke preprocess-data` first")
    return path


def load_meta(processed_dir: Path = PROCESSED_DIR) -> dict[str, Any]:
    """Read the class names, text length and tokenizer written by ``preprocess``."""
    return json.loads(_processed_file(processed_dir, "meta.json").read_text())


def load_split(split: str, processed_dir: Path = PROCESSED_DIR) -> TensorDataset:
    """Load the preprocessed ``train`` or ``test`` split as a dataset of (token ids, label) pairs."""
    if split not in ("train", "test"):
        raise ValueError(f"split must be 'train' or 'test', got {split!r}")
    tensors = torch.load(_processed_file(processed_dir, f"{split}.pt"), weights_only=True)
    return TensorDataset(tensors["tokens"], tensors["labels"])


@app.command("synthesize")
def synthesize_command(raw_dir: Path = RAW_DIR, per_class: int = 600, seed: int = 0) -> None:
    """Write the synthetic messages dataset into RAW_DIR."""
    configure_logging()
    count = synthesize(raw_dir, per_class=per_class, seed=seed)
    logger.info("Wrote %d synthetic messages to %s", count, raw_dir)


@app.command("preprocess")
def preprocess_command(
    raw_dir: Path = RAW_DIR,
    processed_dir: Path = PROCESSED_DIR,
    max_length: int = MAX_LENGTH,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> None:
    """Preprocess RAW_DIR into PROCESSED_DIR, writing the synthetic dataset first if RAW_DIR is empty."""
    configure_logging()
    if ensure_raw_data(raw_dir, seed=seed):
        logger.info("%s was empty: wrote the synthetic dataset there first", raw_dir)
    try:
        preprocess(raw_dir, processed_dir, max_length=max_length, test_fraction=test_fraction, seed=seed)
    except RawDataError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from error


if __name__ == "__main__":
    app()
