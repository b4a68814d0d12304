# API image: docker build -f dockerfiles/api.dockerfile -t api:latest .
# It serves models/model.pt: train first, or mount models/ at run time (see the README).
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
RUN pip install --no-deps -e .
{%- endif %}

COPY models/ models/

EXPOSE 8000
CMD ["sh", "-c", "exec uvicorn {{ package_name }}.api:app --host 0.0.0.0 --port ${PORT:-8000}"]
