"""What verify_template.py checks differently for each kind of data and framework: the data the loader
must refuse, a real request to /predict and a bad one, words that must not be left over from the
image project, and the framework the report's pre-filled answer names."""

from __future__ import annotations

import csv
import json
import re
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from verify_shell import CheckError

# The words the report's pre-filled answer to question 3 uses for each framework.
FRAMEWORK_NAMES = {
    "timm": "PyTorch Image Models",
    "transformers": "Hugging Face Transformers",
    "torch_frame": "PyTorch Frame",
    "torch_geometric": "PyTorch Geometric",
}
# Left over from the image project when they appear in a project of another kind.
IMAGE_WORDS = re.compile(r"\bCNN\b|\bcircle\b|find_images|load_image|IMAGE_SIZE|image classifier|one folder per class")


@dataclass(frozen=True)
class Foreign:
    """A file a group might drop into data/raw/ that this kind's loader cannot read, and what its error must say."""

    name: str
    text: str
    says: tuple[str, ...]


FOREIGN = {
    "image": Foreign(
        "measurements.csv", "width,height,label\n3,4,box\n", ("<class name>/<image files>", "`find_images`")
    ),
    "text": Foreign(
        "measurements.csv", "width,height,label\n3,4,box\n", ("a `text` and a `label` column", "`read_examples`")
    ),
    # A table without a label column: the tabular loader reads CSV files, so it must be told what is missing.
    "tabular": Foreign("measurements.csv", "width,height,kind\n3,4,box\n", ("needs a `label` column", "`read_table`")),
    "graph": Foreign("measurements.csv", "width,height,label\n3,4,box\n", ('"nodes"', "`read_graphs`")),
}


@dataclass(frozen=True)
class Request:
    """A POST to /predict: a multipart upload (``upload`` = filename, content type, bytes) or a JSON body."""

    what: str
    json_body: dict | None = None
    upload: tuple[str, str, bytes] | None = None


def png_image(size: int = 28) -> bytes:
    """A grayscale PNG of a cross, written with the standard library only."""
    rows = []
    for y in range(size):
        row = bytes(255 if abs(x - y) <= 1 or abs(x + y - size + 1) <= 1 else 0 for x in range(size))
        rows.append(b"\x00" + row)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", size, size, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def first_line(path: Path) -> str:
    with path.open(encoding="utf-8") as file:
        return file.readline()


def first_row(path: Path) -> dict[str, str]:
    with path.open(newline="", encoding="utf-8") as file:
        return next(csv.DictReader(file))


def api_requests(project: Path, kind: str) -> tuple[Request, Request, str]:
    """A real input of ``kind`` (taken from the data the pipeline wrote), a bad one, and a word its 400 must hold."""
    raw = project / "data" / "raw"
    if kind == "image":
        good = Request("a drawn cross", upload=("cross.png", "image/png", png_image()))
        return good, Request("a text file", upload=("notes.txt", "text/plain", b"not an image")), "image"
    if kind == "text":
        text = first_row(raw / "messages.csv")["text"]
        return Request(f"the text {text!r}", json_body={"text": text}), Request("blanks", {"text": "  "}), "empty"
    if kind == "tabular":
        row = {name: value for name, value in first_row(raw / "machines.csv").items() if name != "label"}
        short = dict(list(row.items())[1:])
        good, bad = (
            Request("the first row", {"features": row}),
            Request("a row short of a feature", {"features": short}),
        )
        return good, bad, "missing the feature"
    graph = json.loads(first_line(raw / "graphs.jsonl"))
    good = {"nodes": graph["nodes"], "edges": graph["edges"]}
    bad = {**good, "edges": [[0, len(graph["nodes"]) + 5]]}
    return Request(f"a {graph['label']}", good), Request("an edge to no node", bad), "not there"


def check_kind_files(project: Path, answers: dict[str, str]) -> str:
    """A project of another kind keeps no image words; the report's question 3 names the framework chosen."""
    problems = []
    kind, framework = answers["data_kind"], answers["framework"]
    if kind != "image":
        for path in sorted(project.rglob("*")):
            if path.is_file() and ".git" not in path.parts and path.suffix in (".py", ".md", ".yaml", ".toml"):
                found = IMAGE_WORDS.search(path.read_text(errors="replace"))
                if found:
                    problems.append(f"{path.relative_to(project)} still says {found.group(0)!r}")
    report = (project / "reports" / "README.md").read_text()
    # The answer runs from the line after the quoted question's "Answer:" to the next heading.
    answer = re.split(r"^#", report.split("### Question 3", 1)[1].split("> Answer:", 1)[1], maxsplit=1, flags=re.M)[0]
    if framework == "none":
        if answer.strip() != "--- question 3 fill here ---":
            problems.append(f"with no framework, question 3 is pre-filled: {answer.strip()[:80]!r}")
    elif FRAMEWORK_NAMES[framework] not in " ".join(answer.split()):
        problems.append(f"question 3 does not name {FRAMEWORK_NAMES[framework]}: {answer.strip()[:120]!r}")
    if problems:
        raise CheckError("; ".join(problems))
    return f"{kind}, {framework}" + (f": question 3 names {FRAMEWORK_NAMES[framework]}" if framework != "none" else "")
