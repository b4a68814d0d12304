"""Data drift: compare inputs (those the API recorded, or a sample) with the training data, column by column.

Every input is first summarised by a few columns (drift_features.py says which for this kind of data).
A number column is compared with the two-sample Kolmogorov-Smirnov test (scipy); a category column
with the population stability index (PSI) of its values. A column has drifted when its KS p-value is
below ``ALPHA`` divided by the number of columns (the Bonferroni correction, so that many columns do
not make a false alarm likely) or its PSI is above ``PSI_LIMIT``; the sample has drifted when any
column has.

Commands: ``reference`` summarises the training data into ``models/drift_reference.json`` (the API's
/drift endpoint reads it, and the API image ships it with the model); ``report`` writes
``reports/drift/report.json`` and ``report.html``.
"""

import html
import json
import logging
import math
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from scipy.stats import ks_2samp

from {{ package_name }} import configure_logging
from {{ package_name }}.data import PROCESSED_DIR, RAW_DIR, load_meta
from {{ package_name }}.drift_features import InputSummary, Summary, reference_examples, sample
from {{ package_name }}.prediction_log import PredictionLog, read_records

logger = logging.getLogger(__name__)

ALPHA = 0.05
PSI_LIMIT = 0.2
# Fewer inputs than this say too little about a distribution to call it drifted or not.
MIN_SAMPLE = 20
REFERENCE_PATH = Path("models/drift_reference.json")
REPORT_DIR = Path("reports/drift")

app = typer.Typer(help="Measure data drift against the training data.", no_args_is_help=True)


class SampleKind(StrEnum):
    recorded = "recorded"
    same = "same"
    shifted = "shifted"


def build_reference(raw_dir: Path = RAW_DIR, processed_dir: Path = PROCESSED_DIR) -> list[Summary]:
    """The summary of every training example."""
    meta = load_meta(processed_dir)
    summarize = InputSummary(meta)
    return [summarize(example) for example in reference_examples(raw_dir, meta)]


def load_reference(path: Path = REFERENCE_PATH) -> list[Summary]:
    """The summaries that ``reference`` saved."""
    if not path.is_file():
        raise FileNotFoundError(f"{path} does not exist: run `invoke drift-reference` first")
    return json.loads(path.read_text(encoding="utf-8"))


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def psi(reference: list[Any], current: list[Any]) -> float:
    """Population stability index of two samples of categories (0: same mix; above 0.2: a clear shift)."""
    ref_counts, cur_counts = Counter(reference), Counter(current)
    total = 0.0
    for value in set(ref_counts) | set(cur_counts):
        # A small floor keeps a value that one sample lacks from dividing by zero.
        expected = max(ref_counts[value] / len(reference), 1e-4)
        actual = max(cur_counts[value] / len(current), 1e-4)
        total += (actual - expected) * math.log(actual / expected)
    return total


def column_drift(name: str, reference: list[Any], current: list[Any], alpha: float) -> dict[str, Any]:
    """Compare one column of the two samples; empty values are left out."""
    ref = [value for value in reference if value is not None]
    cur = [value for value in current if value is not None]
    if not ref or not cur:
        return {"column": name, "test": "none", "drifted": False, "note": "no values to compare"}
    if all(is_number(value) for value in ref + cur):
        result = ks_2samp(ref, cur)
        return {
            "column": name,
            "test": "ks",
            "statistic": round(float(result.statistic), 4),
            "p_value": float(result.pvalue),
            "drifted": bool(result.pvalue < alpha),
        }
    score = psi([str(value) for value in ref], [str(value) for value in cur])
    return {"column": name, "test": "psi", "statistic": round(score, 4), "drifted": score > PSI_LIMIT}


def compare(reference: list[Summary], current: list[Summary], alpha: float = ALPHA) -> dict[str, Any]:
    """Compare every column of ``current`` with ``reference``; raise ValueError when a sample is too small."""
    if len(current) < MIN_SAMPLE:
        raise ValueError(f"only {len(current)} inputs to compare; drift needs at least {MIN_SAMPLE}")
    if not reference:
        raise ValueError("the reference holds no training examples")
    names = sorted({name for row in reference for name in row})
    columns = [
        column_drift(name, [row.get(name) for row in reference], [row.get(name) for row in current], alpha / len(names))
        for name in names
    ]
    return {
        "drifted": any(column["drifted"] for column in columns),
        "drifted_columns": [column["column"] for column in columns if column["drifted"]],
        "reference_size": len(reference),
        "current_size": len(current),
        "alpha": alpha,
        "psi_limit": PSI_LIMIT,
        "columns": columns,
    }


def summarize_records(records: list[dict[str, Any]], reference: list[Summary]) -> dict[str, Any]:
    """Drift of recorded inputs against the reference, plus how often each class was predicted."""
    result = compare(reference, [record["input"] for record in records])
    result["predictions"] = dict(Counter(str(record.get("prediction")) for record in records).most_common())
    return result


def html_report(result: dict[str, Any], title: str) -> str:
    """A small standalone HTML page with the result as a table."""
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{html.escape(str(column.get(key, '')))}</td>" for key in ("column", "test", "statistic"))
        + f"<td>{column.get('p_value', '')}</td><td>{'yes' if column['drifted'] else 'no'}</td></tr>"
        for column in result["columns"]
    )
    verdict = "Drift detected" if result["drifted"] else "No drift detected"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head><body>"
        f"<h1>{html.escape(title)}</h1><p><strong>{verdict}</strong>: {result['current_size']} inputs against "
        f"{result['reference_size']} training examples.</p><table border='1' cellpadding='4'>"
        f"<tr><th>column</th><th>test</th><th>statistic</th><th>p-value</th><th>drifted</th></tr>{rows}</table>"
        "</body></html>\n"
    )


def write_report(result: dict[str, Any], output_dir: Path, title: str) -> Path:
    """Write ``report.json`` and ``report.html`` into ``output_dir``; return the JSON file."""
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / "report.html").write_text(html_report(result, title), encoding="utf-8")
    path = output_dir / "report.json"
    path.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return path


def current_sample(kind: SampleKind, current: Path | None, processed_dir: Path, count: int) -> list[Summary]:
    """The inputs to compare: the recorded ones, or new synthetic ones like the training data or shifted."""
    if kind is SampleKind.recorded:
        records = read_records(current) if current else PredictionLog.from_environment().read()
        return [record["input"] for record in records]
    meta = load_meta(processed_dir)
    summarize = InputSummary(meta)
    return [summarize(example) for example in sample(count, seed=123, shifted=kind is SampleKind.shifted, meta=meta)]


@app.command("reference")
def reference_command(
    raw_dir: Path = RAW_DIR, processed_dir: Path = PROCESSED_DIR, output: Path = REFERENCE_PATH
) -> None:
    """Summarise the training data into OUTPUT, the reference that drift is measured against."""
    configure_logging()
    reference = build_reference(raw_dir, processed_dir)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(reference) + "\n", encoding="utf-8")
    logger.info("Summarised %d training examples into %s", len(reference), output)


@app.command("report")
def report_command(
    sample_kind: Annotated[SampleKind, typer.Option("--sample", help="what to compare")] = SampleKind.recorded,
    current: Annotated[Path | None, typer.Option(help="records to compare (default: the API's)")] = None,
    reference: Path = REFERENCE_PATH,
    processed_dir: Path = PROCESSED_DIR,
    count: int = 200,
    output_dir: Path = REPORT_DIR,
) -> None:
    """Compare the recorded inputs (or a synthetic sample) with the reference; write OUTPUT_DIR/report.*."""
    configure_logging()
    try:
        result = compare(load_reference(reference), current_sample(sample_kind, current, processed_dir, count))
    except (FileNotFoundError, ValueError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from error
    path = write_report(result, output_dir, f"Data drift: {sample_kind.value} inputs")
    verdict = "drift in " + ", ".join(result["drifted_columns"]) if result["drifted"] else "no drift"
    logger.info("%s (%d inputs); report in %s", verdict, result["current_size"], path)


if __name__ == "__main__":
    app()
