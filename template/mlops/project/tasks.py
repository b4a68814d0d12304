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


{%- if onnx %}


@task
def export_onnx(ctx: Context) -> None:
    """Export the trained model to models/model.onnx and check it against PyTorch."""
    ctx.run(f"{RUN}python -m {PACKAGE}.onnx_model", echo=True, pty=PTY)
{%- endif %}
{%- if quantize %}


@task
def quantize(ctx: Context) -> None:
    """Quantise the trained model to int8 into models/model_quantized.pt; print size and latency."""
    ctx.run(f"{RUN}python -m {PACKAGE}.quantize", echo=True, pty=PTY)
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
