"""Project tasks, run with `{% if dependency_manager == "uv" %}uv run {% endif %}invoke NAME` (list them with `invoke --list`)."""

{% if (cloud_run and api) or vertex %}import os
import shlex
import shutil
import subprocess
{% endif %}import sys
{%- if vertex %}
import tempfile
{%- endif %}
{%- if dependency_manager == "uv" or vertex %}
from pathlib import Path
{%- endif %}
{%- if vertex %}

import yaml
from invoke import Context, Exit, task
{%- elif (cloud_run and api) %}

from invoke import Context, Exit, task
{%- else %}

from invoke import Context{% if monitoring %}, Exit{% endif %}, task
{%- endif %}

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
def profile(ctx: Context, epochs: int = 1, with_stack: bool = False) -> None:
    """Profile EPOCHS epochs of training with cProfile and torch.profiler into reports/profiling/."""
    stack = " --with-stack" if with_stack else ""
    ctx.run(f"{RUN}python -m {PACKAGE}.profiling --epochs {epochs}{stack}", echo=True, pty=PTY)
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
{%- if frontend %}


@task
def frontend(ctx: Context, port: int = 8501, api_url: str = "") -> None:
    """Serve the Streamlit frontend on http://127.0.0.1:PORT; it calls the API at --api-url (or $API_URL)."""
    command = f"{RUN}streamlit run frontend/app.py --server.headless true --server.address 127.0.0.1"
    command += f" --server.port {port} --browser.gatherUsageStats false"
    ctx.run(command, env={"API_URL": api_url} if api_url else {}, echo=True, pty=PTY)
{%- endif %}
{%- if load_test %}


@task(
    help={
        "host": "the API's base URL: the local server, or a deployed service",
        "users": "how many simulated users at the peak",
        "spawn-rate": "users started per second",
        "run-time": "how long to run, e.g. 30s, 5m",
    }
)
def load_test(
    ctx: Context, host: str = "http://127.0.0.1:8000", users: int = 10, spawn_rate: int = 2, run_time: str = "30s"
) -> None:
    """Load-test the API at HOST with locust (tests/load/locustfile.py); the report goes to reports/load_test/."""
    ctx.run(
        f"{RUN}locust -f tests/load/locustfile.py --headless --host {host} --users {users} --spawn-rate {spawn_rate} "
        f"--run-time {run_time} --csv reports/load_test/load --html reports/load_test/report.html",
        echo=True,
        pty=PTY,
    )
{%- endif %}
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
    images = ["train"{% if api %}, "api"{% endif %}{% if frontend and api %}, "frontend"{% endif %}]
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
{%- if (cloud_run and api) or vertex %}


# Google Cloud: the region and the Artifact Registry repository that cloudbuild.yaml pushes the
# images to (docs/cloud.md says how to create it).
REGION = "{{ gcp_region }}"
REPOSITORY = "{{ project_name | kebab_case }}"


def gcp_project(project: str) -> str:
    """The GCP project to use: the option, else $GOOGLE_CLOUD_PROJECT, else gcloud's default project."""
    if project:
        return project
    if os.environ.get("GOOGLE_CLOUD_PROJECT"):
        return os.environ["GOOGLE_CLOUD_PROJECT"]
    gcloud = shutil.which("gcloud")
    if gcloud:
        found = subprocess.run([gcloud, "config", "get-value", "project"], capture_output=True, text=True, check=False)
        if found.stdout.strip():
            return found.stdout.strip()
    raise Exit(
        "error: no GCP project: pass --project ID, set GOOGLE_CLOUD_PROJECT or run `gcloud config set project ID`", 2
    )


def image_uri(project: str, region: str, image: str) -> str:
    """The address of the image `train` or `api` in Artifact Registry, as cloudbuild.yaml tags it."""
    return f"{region}-docker.pkg.dev/{project}/{REPOSITORY}/{image}:latest"
{%- endif %}
{%- if (cloud_run and api) %}


# The port dockerfiles/api.dockerfile serves on; Cloud Run hands it to the container as $PORT.
API_PORT = 8000


@task
def deploy(
    ctx: Context,
    project: str = "",
    region: str = REGION,
    image: str = "",
    service: str = "{{ project_name | kebab_case }}-api",
    memory: str = "2Gi",
    dry_run: bool = False,
) -> None:
    """Deploy the API image to Cloud Run (docs/cloud.md); --dry-run prints the gcloud command only."""
    project = gcp_project(project)
    command = [
        "gcloud",
        "run",
        "deploy",
        service,
        f"--image={image or image_uri(project, region, 'api')}",
        f"--project={project}",
        f"--region={region}",
        f"--port={API_PORT}",
        f"--memory={memory}",
        "--cpu=1",
        "--max-instances=2",
        "--allow-unauthenticated",
    ]
    ctx.run(shlex.join(command), echo=True, dry=dry_run, pty=PTY)
{%- endif %}
{%- if vertex %}


VERTEX_JOB = Path("configs/vertex_job.yaml")


@task
def vertex_train(
    ctx: Context,
    project: str = "",
    region: str = REGION,
    image: str = "",
    machine_type: str = "",
    dry_run: bool = False,
) -> None:
    """Run the training image as a Vertex AI custom job (configs/vertex_job.yaml); --dry-run only prints it."""
    project = gcp_project(project)
    job = yaml.safe_load(VERTEX_JOB.read_text())
    pool = job["workerPoolSpecs"][0]
    pool["containerSpec"]["imageUri"] = image or image_uri(project, region, "train")
    if machine_type:
        pool["machineSpec"]["machineType"] = machine_type
    # The file in the repository names no project; gcloud reads this filled-in copy.
    config = Path(tempfile.gettempdir()) / f"{REPOSITORY}-vertex-job.yaml"
    config.write_text(yaml.safe_dump(job, sort_keys=False))
    command = [
        "gcloud",
        "ai",
        "custom-jobs",
        "create",
        f"--project={project}",
        f"--region={region}",
        f"--display-name={REPOSITORY}-train",
        f"--config={config}",
    ]
    ctx.run(shlex.join(command), echo=True, dry=dry_run, pty=PTY)
{%- endif %}
