"""Project tasks, run with `{% if dependency_manager == "uv" %}uv run {% endif %}invoke NAME` (list them with `invoke --list`)."""

import sys
{%- if dependency_manager == "uv" %}
from pathlib import Path
{%- endif %}

from invoke import Context{% if monitoring %}, Exit{% endif %}, task

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
{%- if drift %}


@task
def drift_reference(ctx: Context) -> None:
    """Summarise the training data into models/drift_reference.json, the reference drift is measured against."""
    ctx.run(f"{RUN}python -m {PACKAGE}.drift reference", echo=True, pty=PTY)


@task(drift_reference)
def drift_report(ctx: Context, sample: str = "recorded") -> None:
    """Compare the API's recorded inputs (or --sample same/shifted) with the training data; see reports/drift/."""
    ctx.run(f"{RUN}python -m {PACKAGE}.drift report --sample {sample}", echo=True, pty=PTY)
{%- endif %}
{%- endif %}
{%- if monitoring %}


def monitoring_commands(project: str, email: str, channel: str) -> list[str]:
    """The gcloud commands that create the notification channel and the alert policy in monitoring/."""
    return [
        f"gcloud beta monitoring channels create --project={project} "
        "--channel-content-from-file=monitoring/notification-channel.yaml "
        f"--channel-labels=email_address={email} --format=value(name)",
        f"gcloud monitoring policies create --project={project} --policy-from-file=monitoring/alert-policy.yaml "
        f"--notification-channels={channel}",
    ]


@task
def monitoring(ctx: Context, project: str = "", email: str = "", apply: bool = False) -> None:
    """Print the gcloud commands that create the alert policy of monitoring/ (run them with --apply)."""
    if not project or not email:
        raise Exit("give --project (your GCP project ID) and --email (where alerts go)", code=2)
    if not apply:
        print("\n".join(monitoring_commands(project, email, "NAME_PRINTED_BY_THE_FIRST_COMMAND")))
        return
    create_channel = monitoring_commands(project, email, "")[0]
    channel = ctx.run(create_channel, echo=True).stdout.strip()
    ctx.run(monitoring_commands(project, email, channel)[1], echo=True, pty=PTY)
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
