"""Profile one short training run with cProfile and torch.profiler and write the results to ``reports/profiling/``.

``train.pstats`` and ``train.txt`` hold cProfile's view (Python functions, sorted by cumulative
time; open the first with ``snakeviz`` or ``python -m pstats``), ``ops.txt`` the PyTorch operators
that took the most time, and ``trace.json`` a trace that chrome://tracing, https://ui.perfetto.dev
or TensorBoard's profiler plugin opens.
"""

import cProfile
import io
import logging
import pstats
from pathlib import Path

import typer
{%- if hydra %}
from hydra import compose, initialize_config_dir
{%- endif %}
from torch.profiler import ProfilerActivity, profile, record_function

from {{ package_name }} import configure_logging
from {{ package_name }}.data import PROCESSED_DIR
{%- if hydra %}
from {{ package_name }}.train import main as train_main
{%- else %}
from {{ package_name }}.train import CONFIG_PATH
from {{ package_name }}.train import main as train_main
{%- endif %}

logger = logging.getLogger(__name__)

OUTPUT_DIR = Path("reports/profiling")
# The range in the trace that holds the profiled training run.
TRACE_RANGE = "training run"
{%- if hydra %}
CONFIG_DIR = Path("configs")
{%- endif %}


def train_once(processed_dir: Path, model_path: Path, epochs: int) -> None:
    """Train as ``invoke train`` does, on ``processed_dir`` for ``epochs`` epochs, saving to ``model_path``."""
{%- if hydra %}
    overrides = [
        f"paths.processed_dir={processed_dir.as_posix()}",
        f"paths.model_path={model_path.as_posix()}",
        f"training.epochs={epochs}",
{%- if distributed %}
        # Loader workers are other processes cProfile cannot see, and starting them under the
        # profiler can cost it the outer frames (train, main): profile one process.
        "training.num_workers=0",
        "training.persistent_workers=false",
{%- endif %}
    ]
    with initialize_config_dir(config_dir=str(CONFIG_DIR.resolve()), version_base="1.3"):
        cfg = compose(config_name="config", overrides=overrides)
    # `main` is wrapped by @hydra.main; the function inside takes the composed configuration.
    train_main.__wrapped__(cfg)
{%- else %}
    train_main(config=CONFIG_PATH, processed_dir=processed_dir, model_path=model_path, epochs=epochs)
{%- endif %}


def profile_training(
    output_dir: Path = OUTPUT_DIR,
    processed_dir: Path = PROCESSED_DIR,
    epochs: int = 1,
    rows: int = 30,
    with_stack: bool = False,
) -> list[Path]:
    """Train twice, once under each profiler, and return the files written to ``output_dir``.

    ``with_stack`` records the Python call stack of every operator in the trace: far more detail,
    but one epoch then takes minutes, gigabytes of memory and a trace of hundreds of megabytes.
    """
    if epochs < 1:
        raise ValueError(f"epochs must be at least 1, got {epochs}")
    output_dir.mkdir(parents=True, exist_ok=True)
    # The profiled runs save their model here, so models/model.pt stays as training left it.
    model_path = output_dir / "model.pt"

    profiler = cProfile.Profile()
    profiler.runcall(train_once, processed_dir, model_path, epochs)
    profiler.dump_stats(output_dir / "train.pstats")
    summary = io.StringIO()
    stats = pstats.Stats(profiler, stream=summary).sort_stats("cumulative")
    stats.print_stats(rows)
    # This project's own functions, wherever they rank: the place to start looking.
    stats.print_stats(r"{{ package_name }}[/\\]")
    (output_dir / "train.txt").write_text(summary.getvalue())

    with (
        profile(activities=[ProfilerActivity.CPU], with_stack=with_stack) as torch_profiler,
        record_function(TRACE_RANGE),
    ):
        train_once(processed_dir, model_path, epochs)
    torch_profiler.export_chrome_trace(str(output_dir / "trace.json"))
    table = torch_profiler.key_averages().table(sort_by="self_cpu_time_total", row_limit=rows)
    (output_dir / "ops.txt").write_text(table + "\n")

    written = [output_dir / name for name in ("train.pstats", "train.txt", "ops.txt", "trace.json")]
    logger.info("Wrote %s", ", ".join(str(path) for path in written))
    return written


def main(
    output_dir: Path = OUTPUT_DIR, processed_dir: Path = PROCESSED_DIR, epochs: int = 1, with_stack: bool = False
) -> None:
    """Profile EPOCHS epochs of training on PROCESSED_DIR and write the results to OUTPUT_DIR."""
    configure_logging()
    profile_training(output_dir, processed_dir, epochs, with_stack=with_stack)


if __name__ == "__main__":
    typer.run(main)
