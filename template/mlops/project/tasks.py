"""Project tasks, run with `{% if dependency_manager == "uv" %}uv run {% endif %}invoke NAME` (list them with `invoke --list`)."""

import sys
{%- if dependency_manager == "uv" %}
from pathlib import Path
{%- endif %}

from invoke import Context, task

PACKAGE = "{{ package_name }}"
{%- if dependency_manager == "uv" %}
RUN = "uv run "
{%- else %}
RUN = ""
{%- endif %}
PTY = sys.platform != "win32"
{%- if dependency_manager == "pip" %}


@task
def requirements(ctx: Context) -> None:
    """Install the project and what it needs to run (torch from where requirements-torch.txt says)."""
    ctx.run("python -m pip install -U pip", echo=True, pty=PTY)
    ctx.run("pip install -r requirements-torch.txt -r requirements.txt -e .", echo=True, pty=PTY)


@task(requirements)
def dev_requirements(ctx: Context) -> None:
    """Install the development tools too."""
    ctx.run("pip install -r requirements-dev.txt", echo=True, pty=PTY)
{%- endif %}


@task
def preprocess_data(ctx: Context) -> None:
    """Preprocess data/raw into data/processed (writes the synthetic dataset first if data/raw is empty)."""
    ctx.run(f"{RUN}python -m {PACKAGE}.data preprocess", echo=True, pty=PTY)


@task
def train(ctx: Context, args: str = "") -> None:
    """Train the model and save it to models/model.pt; pass extra options with --args."""
    ctx.run(f"{RUN}python -m {PACKAGE}.train {args}".strip(), echo=True, pty=PTY)


@task
def evaluate(ctx: Context) -> None:
    """Report the trained model's accuracy on the test split."""
    ctx.run(f"{RUN}python -m {PACKAGE}.evaluate", echo=True, pty=PTY)


@task
def visualize(ctx: Context) -> None:
    """Draw the model's predictions into reports/figures/predictions.png."""
    ctx.run(f"{RUN}python -m {PACKAGE}.visualize", echo=True, pty=PTY)
{%- if profiling %}


@task
def profile(ctx: Context, epochs: int = 1) -> None:
    """Profile EPOCHS epochs of training with cProfile and torch.profiler into reports/profiling/."""
    ctx.run(f"{RUN}python -m {PACKAGE}.profiling --epochs {epochs}", echo=True, pty=PTY)
{%- endif %}
{%- if sweep %}


@task
def sweep(ctx: Context, quick: bool = False) -> None:
{%- if hydra %}
    """Train once per combination in configs/sweep.yaml (Hydra multirun); --quick: one epoch, two trials."""
    quick_settings = " training=quick training.batch_size=128" if quick else ""
    ctx.run(f"{RUN}python -m {PACKAGE}.train --config-name sweep --multirun{quick_settings}", echo=True, pty=PTY)
{%- else %}
    """Train once per combination in configs/sweep.yaml into sweeps/; --quick: one epoch, two trials."""
    quick_settings = " --epochs 1 --trials 2" if quick else ""
    ctx.run(f"{RUN}python -m {PACKAGE}.sweep{quick_settings}", echo=True, pty=PTY)
{%- endif %}
{%- endif %}
{%- if distributed and training == "pytorch" %}


@task
def train_ddp(ctx: Context, processes: int = 2, args: str = "") -> None:
    """Train in PROCESSES processes with DDP over gloo (torchrun); pass extra options with --args."""
    launch = f"{RUN}torchrun --standalone --nproc-per-node={processes}"
    ctx.run(f"{launch} -m {PACKAGE}.train {args}".strip(), echo=True, pty=PTY)
{%- endif %}


@task
def test(ctx: Context) -> None:
    """Run the tests and report coverage."""
    ctx.run(f"{RUN}coverage run -m pytest tests/", echo=True, pty=PTY)
    ctx.run(f"{RUN}coverage report", echo=True, pty=PTY)


@task
def lint(ctx: Context) -> None:
    """Check linting and formatting the way CI does."""
    ctx.run(f"{RUN}ruff check .", echo=True, pty=PTY)
    ctx.run(f"{RUN}ruff format --check .", echo=True, pty=PTY)
{%- if api %}


@task
def serve_api(ctx: Context, port: int = 8000) -> None:
    """Serve the API on http://127.0.0.1:PORT with auto-reload."""
    ctx.run(f"{RUN}uvicorn {PACKAGE}.api:app --reload --host 127.0.0.1 --port {port}", echo=True, pty=PTY)
{%- endif %}


@task
def docker_build(ctx: Context, progress: str = "plain") -> None:
    """Build the Docker image{% if api %}s{% endif %} from dockerfiles/."""
    images = ["train"{% if api %}, "api"{% endif %}]
{%- if dependency_manager == "uv" %}
    if not Path("uv.lock").exists():
        # The images install exactly what uv.lock pins; write it if `uv sync` has not yet.
        ctx.run("uv lock", echo=True, pty=PTY)
{%- endif %}
    for image in images:
        ctx.run(
            f"docker build -t {image}:latest . -f dockerfiles/{image}.dockerfile --progress={progress}",
            echo=True,
            pty=PTY,
        )
{%- if docs %}


@task
def build_docs(ctx: Context) -> None:
    """Build the documentation site into docs/build/."""
    ctx.run(f"{RUN}mkdocs build --config-file docs/mkdocs.yaml --strict", echo=True, pty=PTY)


@task
def serve_docs(ctx: Context) -> None:
    """Serve the documentation with live reload."""
    ctx.run(f"{RUN}mkdocs serve --config-file docs/mkdocs.yaml", echo=True, pty=PTY)
{%- endif %}
