# Training image: docker build -f dockerfiles/train.dockerfile -t train:latest .
# Run it with data/ and models/ mounted: see the README.
{%- if dependency_manager == "uv" %}
FROM python:{{ python_version }}-slim-trixie
COPY --from=ghcr.io/astral-sh/uv:0.13 /uv /uvx /bin/

ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never
WORKDIR /app

# Dependencies first, so that code changes do not reinstall them.
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --locked --no-dev --no-install-project

COPY pyproject.toml uv.lock README.md ./
COPY src/ src/
COPY configs/ configs/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --locked --no-dev

ENV PATH="/app/.venv/bin:$PATH"
{%- else %}
FROM python:{{ python_version }}-slim-trixie

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1
WORKDIR /app

# Dependencies first, so that code changes do not reinstall them. requirements-torch.txt picks
# torch's CPU build.
COPY requirements.txt requirements-torch.txt ./
RUN pip install -r requirements-torch.txt -r requirements.txt

COPY pyproject.toml README.md ./
COPY src/ src/
COPY configs/ configs/
RUN pip install --no-deps -e .
{%- endif %}
{%- if tracking == "wandb" %}

# wandb stays offline unless you pass -e WANDB_MODE=online -e WANDB_API_KEY=...
ENV WANDB_MODE=offline
{%- endif %}

ENTRYPOINT ["python", "-m", "{{ package_name }}.train"]
