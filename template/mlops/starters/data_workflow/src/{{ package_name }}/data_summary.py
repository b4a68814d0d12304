{%- if data_kind == "text" %}{% set examples = "texts" %}{% elif data_kind == "tabular" %}{% set examples = "rows" %}{% elif data_kind == "graph" %}{% set examples = "graphs" %}{% else %}{% set examples = "images" %}{% endif -%}
"""A Markdown summary of the preprocessed data: how many {{ examples }} of each class every split holds.

The data workflow (.github/workflows/data.yaml) writes it to the run's summary page, so a change
of the data shows up as a change of these counts.
"""

from collections import Counter
from pathlib import Path

import typer

from {{ package_name }}.data import PROCESSED_DIR, load_meta, load_split

SPLITS = ("train", "test")

app = typer.Typer(help="Summarise the preprocessed data.")


def class_counts(processed_dir: Path = PROCESSED_DIR) -> dict[str, Counter[str]]:
    """For each split, the number of {{ examples }} of each class."""
    classes = load_meta(processed_dir)["classes"]
    return {split: Counter(classes[int(label)] for _, label in load_split(split, processed_dir)) for split in SPLITS}


def summary(processed_dir: Path = PROCESSED_DIR) -> str:
    """The class counts of every split as a Markdown table, with a total row."""
    counts = class_counts(processed_dir)
    classes = load_meta(processed_dir)["classes"]
    lines = [
        f"## Data in {processed_dir}",
        "",
        "| class | " + " | ".join(SPLITS) + " |",
        "| --- |" + " --- |" * len(SPLITS),
    ]
    lines += [f"| {name} | " + " | ".join(str(counts[split][name]) for split in SPLITS) + " |" for name in classes]
    lines.append("| **total** | " + " | ".join(str(sum(counts[split].values())) for split in SPLITS) + " |")
    return "\n".join(lines)


@app.command()
def main(processed_dir: Path = PROCESSED_DIR) -> None:
    """Print the summary of PROCESSED_DIR."""
    typer.echo(summary(processed_dir))


if __name__ == "__main__":
    app()
